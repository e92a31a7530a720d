import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../app.ts';
import { PublicKeyRing } from '../../modules/audit/keys.ts';
import { createTestDeps, type TestDeps } from '../../../test/support/deps.ts';

describe('GET /.well-known/ward-audit-keys', () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  before(async () => {
    t = await createTestDeps('embedded');
    app = await buildApp(t.deps);
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  test('publishes the signing keys as a JWK Set, without authentication, old keys kept after rotation', async () => {
    const first = await t.deps.auditKeys.load();
    await t.deps.auditKeys.rotate();
    const res = await app.inject({ method: 'GET', url: '/.well-known/ward-audit-keys' });
    assert.equal(res.statusCode, 200);
    const { keys } = res.json() as { keys: unknown[] };
    assert.equal(keys.length, 2);
    const ring = PublicKeyRing.fromJwks(keys);
    assert.ok(ring.get(first.active.keyId), 'the retired key still verifies old heads');
    assert.ok(keys.every((k) => !('d' in (k as object))), 'no private part');
  });
});
