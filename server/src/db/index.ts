import type { Config } from '../config.ts';
import { appliedMigrationCount, migrate } from './migrate.ts';
import { openEmbedded } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import { assertSafeAppRole } from './role-check.ts';
import type { Db } from './types.ts';

export type { DataScope, Db, SystemDb, SystemTx, Tx } from './types.ts';
export { scopeForPrincipal } from './scope.ts';

export interface OpenedDatabase {
  db: Db;
  migrations: number;
}

/**
 * Opens the configured database. `migrate` applies pending migrations first; `serve` also checks the
 * application role (the server refuses to serve with an unsafe one). On PostgreSQL with one URL only,
 * the role is checked before anything is migrated.
 */
export async function openDatabase(config: Config, opts: { migrate: boolean; serve: boolean; poolSize?: number }): Promise<OpenedDatabase> {
  const target = config.database;
  const db = target.engine === 'embedded' ? await openEmbedded(target.dataDir) : openPostgres(target, { poolSize: opts.poolSize });
  try {
    const appUrl = target.engine === 'postgres' ? target.appUrl : undefined;
    if (opts.serve && target.engine === 'postgres' && target.appUrl === target.migrationUrl) await assertSafeAppRole(db, appUrl);
    if (opts.migrate) await migrate(db.systemDb);
    if (opts.serve) await assertSafeAppRole(db, appUrl);
    return { db, migrations: await appliedMigrationCount(db.systemDb) };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}
