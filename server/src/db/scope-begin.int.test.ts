// R-AUTHZ-7, R-OPS-1: on PostgreSQL the scope leaves with BEGIN as a SET LOCAL of a quoted literal
// (beginScopeSql); the embedded engine sets it with a parameterised statement. Either way the database
// sees exactly the scope the server made, an actor id with quotes and backslashes included, and the
// verifying view accepts it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, type TestDatabase } from '../../test/support/databases.ts';
import { insertTenant } from '../../test/support/fixtures.ts';

const T = '3c000000-0000-4000-8000-000000000000';
const ACTOR = "o'brien\\'; SELECT 1; --";

for (const { engine, open, skip } of ENGINES) {
  describe(`the scope as the database sees it on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await open();
      await t.superuser((tx) => insertTenant(tx, T, 'scope-begin'));
    });
    after(async () => t?.close());

    test('an actor id with a quote, a backslash and SQL in it arrives verbatim and verifies', async () => {
      const seen = await t.db.scoped({ tenantId: T, phiScopes: ['Healthcare-PHI', 'Dental'], actorId: ACTOR, actorKind: 'service' }, async (tx) =>
        (await tx.query<{ actor: string; keys: string; tenant: string | null; tenant_actor: string | null; phi_keys: string[] | null }>(
          `SELECT split_part(current_setting('ward.scope'), E'\\n', 4) AS actor, split_part(current_setting('ward.scope'), E'\\n', 3) AS keys,
                  v.tenant::text AS tenant, v.tenant_actor, v.phi_keys
             FROM ward_scope_verified v`)).rows[0]!);
      assert.deepEqual(seen, { actor: `${T}/service:${ACTOR}`, keys: `${T}/Healthcare-PHI,${T}/Dental`, tenant: T, tenant_actor: `${T}/service:${ACTOR}`, phi_keys: [`${T}/Healthcare-PHI`, `${T}/Dental`] });
    });

    test('the settings are transaction-local: the next transaction on the pool starts without them', async () => {
      await t.db.scoped({ tenantId: T, phiScopes: [], actorId: 'a', actorKind: 'human' }, (tx) => tx.query('SELECT 1'));
      const left = await t.asAppWithoutSettings(async (tx) =>
        (await tx.query<{ scope: string | null }>("SELECT NULLIF(current_setting('ward.scope', true), '') AS scope")).rows[0]!.scope);
      assert.equal(left, null);
    });

    test('a scope refused by the server never opens a transaction', async () => {
      await assert.rejects(t.db.scoped({ tenantId: T, phiScopes: [], actorId: 'a\nb', actorKind: 'human' }, (tx) => tx.query('SELECT 1')), { code: 'SCOPE_INVALID' });
      const rows = await t.db.scoped({ tenantId: T, phiScopes: [], actorId: 'a', actorKind: 'human' }, async (tx) => (await tx.query('SELECT 1 AS one')).rows);
      assert.deepEqual(rows, [{ one: 1 }]);
    });
  });
}
