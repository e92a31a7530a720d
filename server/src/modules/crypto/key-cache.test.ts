import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { createKeyCache } from './key-cache.ts';
import { frozenClock } from './test-support/fixtures.ts';

const key = () => createSecretKey(randomBytes(32));

describe('key cache (R-DATA-1)', () => {
  test('keeps at most maxTenants tenants, dropping the least recently used first', () => {
    const cache = createKeyCache(frozenClock(), { maxTenants: 2, ttlSeconds: 60 });
    const [a, b, c] = [key(), key(), key()];
    cache.setKey('a', 'data', 1, a);
    cache.setKey('b', 'data', 1, b);
    assert.equal(cache.getKey('a', 'data', 1), a); // a is now the most recent
    cache.setKey('c', 'data', 1, c);
    assert.equal(cache.tenantCount, 2);
    assert.equal(cache.getKey('b', 'data', 1), undefined);
    assert.equal(cache.getKey('a', 'data', 1), a);
    assert.equal(cache.getKey('c', 'data', 1), c);
  });

  test('forgets keys and active versions once the TTL has passed', () => {
    const clock = frozenClock();
    const cache = createKeyCache(clock, { ttlSeconds: 10 });
    cache.setKey('a', 'index', 3, key());
    cache.setActiveVersion('a', 'index', 3);
    clock.advanceSeconds(9);
    assert.ok(cache.getKey('a', 'index', 3));
    assert.equal(cache.getActiveVersion('a', 'index'), 3);
    clock.advanceSeconds(1);
    assert.equal(cache.getKey('a', 'index', 3), undefined);
    assert.equal(cache.getActiveVersion('a', 'index'), undefined);
  });

  test('forgetting a tenant drops all its keys and no other tenant\'s', () => {
    const cache = createKeyCache(frozenClock());
    cache.setKey('a', 'data', 1, key());
    cache.setKey('b', 'data', 1, key());
    cache.forgetTenant('a');
    assert.equal(cache.getKey('a', 'data', 1), undefined);
    assert.ok(cache.getKey('b', 'data', 1));
  });
});
