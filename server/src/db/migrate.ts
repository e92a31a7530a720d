import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { WardError } from '@ward/contracts';
import type { SystemDb } from './types.ts';

/**
 * Numbered SQL migrations (server/src/db/migrations/NNNN_name.sql), the same files on PGlite and
 * PostgreSQL. Each runs in its own transaction together with its row in ward_migrations, as the
 * owner role ward_owner: a failed migration leaves nothing behind, and running twice changes nothing.
 */
const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const BOOTSTRAP = new URL('./bootstrap.sql', import.meta.url);
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
// Serialises migrations from several processes (servers starting at once, or the CLI).
const LOCK = "SELECT pg_advisory_xact_lock(hashtext('ward_migrations'))";

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(): Migration[] {
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
  let previous = 0;
  return files.map((file) => {
    const match = FILE_NAME.exec(file);
    if (!match) throw new WardError('DB_MIGRATION_FAILED', `Migration file ${file} is not named NNNN_name.sql.`);
    const version = Number(match[1]);
    if (version <= previous) throw new WardError('DB_MIGRATION_FAILED', `Migration ${file} repeats number ${version}.`);
    previous = version;
    const sql = readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8');
    return { version, name: match[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

export interface MigrateResult {
  applied: number[];
  total: number;
}

export async function migrate(systemDb: SystemDb, onApplied?: (m: Migration) => void): Promise<MigrateResult> {
  const migrations = listMigrations();
  try {
    await systemDb.transaction(async (tx) => {
      await tx.query(LOCK);
      await tx.execScript(readFileSync(BOOTSTRAP, 'utf8'));
    });
  } catch (e) {
    throw new WardError(
      'DB_MIGRATION_FAILED',
      'Creating the roles ward_owner and ward_app failed: the migration URL (WARD_MIGRATION_DATABASE_URL) must log in as a superuser.',
      { cause: e },
    );
  }

  const applied: number[] = [];
  for (const m of migrations) {
    const ran = await systemDb.transaction(async (tx) => {
      await tx.query(LOCK);
      const { rows } = await tx.query<{ checksum: string }>('SELECT checksum FROM ward_migrations WHERE version = $1', [m.version]);
      if (rows[0]) {
        if (rows[0].checksum !== m.checksum) {
          throw new WardError('DB_MIGRATION_FAILED', `Migration ${m.version} (${m.name}) was changed after it was applied; add a new migration instead.`);
        }
        return false;
      }
      await tx.query("SELECT set_config('role', 'ward_owner', true)");
      try {
        await tx.execScript(m.sql);
      } catch (e) {
        throw new WardError('DB_MIGRATION_FAILED', `Migration ${m.version} (${m.name}) failed: ${(e as Error).message}`, { cause: e });
      }
      await tx.query('INSERT INTO ward_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      return true;
    });
    if (ran) {
      applied.push(m.version);
      onApplied?.(m);
    }
  }
  return { applied, total: migrations.length };
}

/** How many migrations the database has applied (for /healthz). */
export async function appliedMigrationCount(systemDb: SystemDb): Promise<number> {
  const exists = await systemDb.query<{ t: string | null }>("SELECT to_regclass('public.ward_migrations')::text AS t");
  if (!exists.rows[0]?.t) return 0;
  const { rows } = await systemDb.query<{ n: number }>('SELECT count(*)::int AS n FROM ward_migrations');
  return rows[0]?.n ?? 0;
}
