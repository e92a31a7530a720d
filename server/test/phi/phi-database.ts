/**
 * Test databases with the PHI encryption schema: one of the ENGINES, plus migration 0006 applied
 * by hand while it waits for 0005 (the runner refuses gaps) — a no-op once the runner applied it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ENGINES, type TestDatabase } from '../support/databases.ts';

const MIGRATION = new URL('../../src/db/migrations/0006_phi_encryption.sql', import.meta.url);
const DRAFT = new URL('../../src/modules/phi/0006_phi_encryption.sql.draft', import.meta.url);

export async function withPhiSchema(database: TestDatabase): Promise<TestDatabase> {
  const { rows } = await database.db.systemDb.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'tenant_keys'",
  );
  if ((rows[0]?.n ?? 0) > 0) return database;
  const sql = readFileSync(existsSync(MIGRATION) ? MIGRATION : DRAFT, 'utf8');
  await database.db.systemDb.transaction(async (tx) => {
    await tx.query("SELECT set_config('role', 'ward_owner', true)");
    await tx.execScript(sql);
  });
  return database;
}

export const PHI_ENGINES = ENGINES.map((e) => ({ ...e, open: async () => withPhiSchema(await e.open()) }));
