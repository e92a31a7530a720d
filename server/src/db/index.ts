import type { Config } from '../config.ts';
import { appliedMigrationCount, migrate, type Migration } from './migrate.ts';
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
  /** Called for each migration applied now (`ward migrate` prints them). */
  onMigration?: (m: Migration) => void;
}

export async function openDatabase(config: Config, opts: OpenOptions): Promise<OpenedDatabase> {
  const target = config.database;
  const report = opts.report ?? (() => {});
  if (target.engine === 'postgres') {
    // R-OPS-1: on a new cluster the application role exists only once the migrations' bootstrap has
    // made it, so a start that migrates waits for the migration URL first and for the application
    // URL after migrating (both pools connect lazily).
    const [url, variable] = opts.migrate ? [target.migrationUrl, target.migrationUrlVariable] : [target.appUrl, target.appUrlVariable];
    await waitForPostgres(url, variable, { waitSeconds: target.waitSeconds, report });
  }
  const db = target.engine === 'embedded' ? await openEmbedded(target.dataDir, { report }) : openPostgres(target, { ...target.pool, ...(opts.poolSize !== undefined ? { size: opts.poolSize } : {}) });
  try {
    const appUrl = target.engine === 'postgres' ? target.appUrl : undefined;
    if (opts.serve && target.engine === 'postgres' && target.appUrl === target.migrationUrl) await assertSafeAppRole(db, appUrl);
    if (opts.migrate) {
      const started = Date.now();
      const result = await migrate(db.systemDb, opts.onMigration);
      if (result.applied.length > 0) report(`applied ${result.applied.length} of ${result.total} migrations in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (target.engine === 'postgres' && target.appUrl !== target.migrationUrl) {
        await waitForPostgres(target.appUrl, target.appUrlVariable, { waitSeconds: target.waitSeconds, report });
      }
    }
    if (opts.serve) await assertSafeAppRole(db, appUrl);
    return { db, migrations: await appliedMigrationCount(db.systemDb) };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}
