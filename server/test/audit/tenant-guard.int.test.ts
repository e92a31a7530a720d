// R-AUDIT-1 (0106): audit_events has no foreign key to tenants (a per-row check and lock of the tenant's
// row on every insert); a tenant with audit events still cannot be deleted or renumbered, as the key
// refused it (23503). On both engines.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createAuditLog } from '../../src/modules/audit/append.ts';
import { insertTenant, refused } from '../support/fixtures.ts';
import { ENGINES, type TestDatabase } from '../support/databases.ts';

const WITH_EVENTS = '0a000000-0000-4000-8000-0000000071d1';
const WITHOUT = '0b000000-0000-4000-8000-0000000071d1';

for (const { engine, open, skip } of ENGINES) {
  describe(`a tenant keeps its audit trail on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await open();
      await t.superuser(async (tx) => {
        await insertTenant(tx, WITH_EVENTS, 'guard-with-events');
        await insertTenant(tx, WITHOUT, 'guard-without');
      });
      await t.db.scoped({ tenantId: WITH_EVENTS, phiScopes: [], actorId: 'member-1', actorKind: 'human' }, (tx) =>
        createAuditLog().append(tx, { tenantId: WITH_EVENTS, actorKind: 'human', actorId: 'member-1', action: 'patient.view', outcome: 'success' }));
    });
    after(() => t?.close());

    test('a tenant with audit events cannot be deleted or given another id; one without can', async () => {
      assert.equal(await t.superuser((tx) => refused(tx, 'DELETE FROM tenants WHERE id = $1', [WITH_EVENTS])), '23503');
      assert.equal(await t.superuser((tx) => refused(tx, 'UPDATE tenants SET id = $2 WHERE id = $1', [WITH_EVENTS, randomUUID()])), '23503');
      await t.superuser((tx) => tx.query("UPDATE tenants SET name = 'renamed' WHERE id = $1", [WITH_EVENTS])); // other columns: free
      await t.superuser((tx) => tx.query('DELETE FROM tenants WHERE id = $1', [WITHOUT]));
      const { rows } = await t.superuser((tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants WHERE id = ANY ($1::uuid[])', [[WITH_EVENTS, WITHOUT]]));
      assert.equal(rows[0]!.n, 1);
    });
  });
}
