import type { Config } from '../config.ts';
import { appliedMigrationCount, migrate } from './migrate.ts';
import { openEmbedded } from './pglite.ts';
import { openPostgres, waitForPostgres } from './postgres.ts';
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
export interface OpenOptions {
  migrate: boolean;
  serve: boolean;
  poolSize?: number;
  /** Lines that say what a slow step is doing (initdb, waiting for PostgreSQL, migrations). */
  report?: (line: string) => void;
}

export async function openDatabase(config: Config, opts: OpenOptions): Promise<OpenedDatabase> {
  const target = config.database;
  const report = opts.report ?? (() => {});
  if (target.engine === 'postgres') {
    const wait = { waitSeconds: target.waitSeconds, report };
    if (opts.migrate) await waitForPostgres(target.migrationUrl, target.migrationUrlVariable, wait);
    await waitForPostgres(target.appUrl, target.appUrlVariable, wait);
  }
  const db = target.engine === 'embedded' ? await openEmbedded(target.dataDir, { report }) : openPostgres(target, { ...target.pool, ...(opts.poolSize !== undefined ? { size: opts.poolSize } : {}) });
  try {
    const appUrl = target.engine === 'postgres' ? target.appUrl : undefined;
    if (opts.serve && target.engine === 'postgres' && target.appUrl === target.migrationUrl) await assertSafeAppRole(db, appUrl);
    if (opts.migrate) {
      const started = Date.now();
      const result = await migrate(db.systemDb);
      if (result.applied.length > 0) report(`applied ${result.applied.length} of ${result.total} migrations in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    if (opts.serve) await assertSafeAppRole(db, appUrl);
    return { db, migrations: await appliedMigrationCount(db.systemDb) };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}
