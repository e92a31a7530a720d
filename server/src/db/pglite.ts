import { existsSync, mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { AUTH_LOOKUPS, type AuthLookupSql, type DataScope, type Db, type QueryResult, type SystemDb, type Tx } from './types.ts';
import { scopeSettings } from './scope.ts';
import { loadScopeKey, macScopeSettings, SET_SCOPE_SETTINGS } from './scope-key.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';

/**
 * The embedded database (PGlite: PostgreSQL compiled to WebAssembly, in-process). Its session user
 * is always a superuser, so each scoped transaction switches to `ward_app` transaction-locally:
 * row-level security then stops application bugs, though not injected SQL (docs/threat-model.md).
 * Only parameterised single statements run in scoped transactions.
 */
const SET_SCOPE = `SELECT set_config('role', 'ward_app', true), ${SET_SCOPE_SETTINGS}`;
const SET_APP_ROLE = "SELECT set_config('role', 'ward_app', true)";
const LOOKUPS = new Set<string>(Object.values(AUTH_LOOKUPS));

function wrap(tx: Transaction | PGlite): Tx {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const result = await tx.query<R>(sql, params as unknown[]);
      // The statement's own count, as node-postgres reports it: rows returned by a SELECT, changed
      // by an UPDATE. `affectedRows` is 0 for every SELECT, so it only serves an older PGlite.
      return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
    },
  };
}

export async function openEmbedded(dataDir: string, opts: { lock?: boolean; report?: (line: string) => void } = {}): Promise<Db> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = opts.lock === false ? null : acquireDataDirLock(dataDir);
  let pg: PGlite;
  try {
    const isFirstStart = !existsSync(`${dataDir}/pgdata/PG_VERSION`);
    const started = Date.now();
    if (isFirstStart) opts.report?.(`first start: creating the embedded database in ${dataDir}/pgdata (initdb, a few seconds)`);
    pg = await PGlite.create(`${dataDir}/pgdata`);
    if (isFirstStart) opts.report?.(`created the embedded database in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    lock?.release();
    throw e;
  }

  const systemDb: SystemDb = {
    transaction: (fn) =>
      pg.transaction((raw) =>
        fn({
          ...wrap(raw),
          async execScript(sql: string) {
            await raw.exec(sql);
          },
        }),
      ),
    query: (sql, params) => wrap(pg).query(sql, params),
  };

  // The key, and the one backend's pid, read once on first use.
  let keyAndPid: Promise<{ key: Buffer; pid: number }> | undefined;
  const scopeKey = () =>
    (keyAndPid ??= (async () => {
      const key = await loadScopeKey(systemDb);
      const { rows } = await pg.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      return { key, pid: rows[0]!.pid };
    })().catch((e: unknown) => {
      keyAndPid = undefined;
      throw e;
    }));

  return {
    engine: 'embedded',
    systemDb,
    async scoped<T>(scope: DataScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
      const settings = scopeSettings(scope);
      const { key, pid } = await scopeKey();
      return pg.transaction(async (raw) => {
        // The same MAC'd scope as on PostgreSQL (R-AUTHZ-7); the superuser session remains the limit (docs/threat-model.md).
        await raw.query(SET_SCOPE, macScopeSettings(settings, key, pid));
        return fn(wrap(raw));
      });
    },
    authLookup<R>(sql: AuthLookupSql, params: readonly unknown[]): Promise<R[]> {
      if (!LOOKUPS.has(sql)) return Promise.reject(new Error('not an authentication lookup'));
      return pg.transaction(async (raw) => {
        await raw.query(SET_APP_ROLE);
        return (await raw.query<R>(sql, params as unknown[])).rows;
      });
    },
    async close() {
      try {
        await pg.close();
      } finally {
        lock?.release();
      }
    },
  };
}
