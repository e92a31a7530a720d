// Both engines report a statement's row count the same way (node-postgres's `rowCount`): the rows a
// SELECT returned, the rows an UPDATE or DELETE changed. Code such as "no such row" checks
// (`SELECT 1 … ; rowCount === 0`) relies on it; PGlite's `affectedRows` is 0 for every SELECT.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, type TestDatabase } from '../../test/support/databases.ts';
import { insertMember, insertTenant } from '../../test/support/fixtures.ts';

const T = '3b000000-0000-4000-8000-000000000000';
const M = 'ab000001-0000-4000-8000-000000000000';

for (const { engine, open, skip } of ENGINES) {
  describe(`row counts on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await open();
      await t.superuser(async (tx) => {
        await insertTenant(tx, T, 'rowcount');
        await insertMember(tx, { id: M, tenantId: T, email: 'm@rowcount.test', roles: ['Agent', 'Viewer'], scopes: [] });
      });
    });
    after(async () => t?.close());

    test('a SELECT counts the rows it returned, a parameterised one too', async () => {
      await t.superuser(async (tx) => {
        assert.equal((await tx.query('SELECT role FROM member_roles WHERE member_id = $1', [M])).rowCount, 2);
        assert.equal((await tx.query("SELECT role FROM member_roles WHERE member_id = $1 AND role = 'Agent'", [M])).rowCount, 1);
        assert.equal((await tx.query('SELECT 1 FROM member_roles WHERE false')).rowCount, 0);
      });
    });

    test('an UPDATE and a DELETE count the rows they changed', async () => {
      await t.superuser(async (tx) => {
        assert.equal((await tx.query("UPDATE member_roles SET granted_by = NULL WHERE member_id = $1 AND role = 'Viewer'", [M])).rowCount, 1);
        assert.equal((await tx.query("DELETE FROM member_roles WHERE member_id = $1 AND role = 'Viewer'", [M])).rowCount, 1);
        assert.equal((await tx.query("DELETE FROM member_roles WHERE member_id = $1 AND role = 'Viewer'", [M])).rowCount, 0);
      });
    });
  });
}
