// R-MON-1: the rate limiter on the embedded database: the limit per key per window, keys apart,
// limiters apart by name, and a new window after the last one ended (frozen clock).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { embeddedTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { createRateLimiter } from './rate-limit.ts';

describe('the shared rate limiter', () => {
  let t: TestDatabase;
  let now = new Date('2026-12-05T12:00:00Z');
  const clock = { now: () => now };
  before(async () => {
    t = await embeddedTestDatabase();
  });
  after(async () => t?.close());

  test('allows the limit per key per window, then refuses with RATE_LIMITED until the window ends', async () => {
    const limiter = createRateLimiter({ db: t.db, clock, name: 'test', limit: 3, windowSeconds: 60 });
    const other = createRateLimiter({ db: t.db, clock, name: 'other', limit: 3, windowSeconds: 60 });
    for (let i = 0; i < 3; i++) await limiter.hit('ip:10.0.0.1');
    await assert.rejects(limiter.hit('ip:10.0.0.1'), { code: 'RATE_LIMITED' });
    await limiter.hit('ip:10.0.0.2'); // another key
    await other.hit('ip:10.0.0.1'); // another limiter
    now = new Date(now.getTime() + 61_000);
    await limiter.hit('ip:10.0.0.1'); // a new window
  });

  test('stores only hashes of the keys', async () => {
    const { rows } = await t.superuser((tx) => tx.query<{ n: number }>("SELECT count(*)::int AS n FROM rate_limits WHERE position('10.0.0' in encode(key_hash, 'escape')) > 0"));
    assert.equal(rows[0]!.n, 0);
  });
});
