// WARD_TRUST_PROXY: behind a listed load balancer, the audited source address is the client's
// (from X-Forwarded-For); unlisted senders' X-Forwarded-For is ignored (R-AUDIT-1).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { insertMember, insertTenant } from '../support/fixtures.ts';
import { signIn } from '../support/session-client.ts';

const TENANT = '7a000000-0000-4000-8000-000000000000';
const MEMBER = '7a000001-0000-4000-8000-000000000000';

describe('WARD_TRUST_PROXY', () => {
  let t: TestDeps;
  before(async () => {
    t = await createTestDeps('embedded');
    await t.deps.db.systemDb.transaction(async (tx) => {
      await insertTenant(tx, TENANT, 'proxied');
      await insertMember(tx, { id: MEMBER, tenantId: TENANT, email: 'agent@proxied.example', roles: ['Agent'], scopes: [] });
    });
  });
  after(async () => {
    await t?.close();
  });

  async function auditedSourceOfLogout(trustProxy: string[] | false, remoteAddress: string): Promise<string | null> {
    const app = await buildApp({ ...t.deps, config: { ...t.deps.config, trustProxy } });
    try {
      const who = await signIn(t.deps, 'agent@proxied.example');
      const res = await app.inject({ method: 'POST', url: '/v1/auth/logout', remoteAddress, headers: { ...(await who.headers('POST', '/v1/auth/logout')), 'x-forwarded-for': '203.0.113.9' } });
      assert.ok(res.statusCode < 300, res.body);
      const { rows } = await t.deps.db.systemDb.query<{ source_ip: string | null }>(
        "SELECT host(source_ip) AS source_ip FROM audit_events WHERE action = 'auth.logout' AND session_id = $1", [who.sessionId]);
      return rows[0]?.source_ip ?? null;
    } finally {
      await app.close();
    }
  }

  test('off by default: X-Forwarded-For is not believed', async () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(await auditedSourceOfLogout(false, '10.0.0.7'), '10.0.0.7');
  });

  test('from a listed proxy, the client behind it is audited', async () => {
    assert.equal(await auditedSourceOfLogout(loadConfig({ WARD_TRUST_PROXY: '10.0.0.0/8' }).trustProxy, '10.0.0.7'), '203.0.113.9');
  });

  test('from an address that is not listed, the header is ignored', async () => {
    assert.equal(await auditedSourceOfLogout(['10.0.0.0/8'], '192.0.2.50'), '192.0.2.50');
  });

  test('a value that is not a list of addresses stops the start', () => {
    assert.throws(() => loadConfig({ WARD_TRUST_PROXY: 'true' }), /WARD_TRUST_PROXY must list proxy addresses/);
    assert.throws(() => loadConfig({ WARD_TRUST_PROXY: '10.0.0.0/40' }), /WARD_TRUST_PROXY/);
    assert.deepEqual(loadConfig({ WARD_TRUST_PROXY: '10.0.0.1, fd00::/8' }).trustProxy, ['10.0.0.1', 'fd00::/8']);
  });
});
