import { existsSync, mkdirSync } from 'node:fs';
import { parse, PGlite, protocol, type Transaction } from '@electric-sql/pglite';
import { AUTH_LOOKUPS, type AuthLookupSql, type DataScope, type Db, type QueryResult, type ScopedOptions, type SystemDb, type Tx } from './types.ts';
import { scopeSettings } from './scope.ts';
import { loadScopeKey, macScope, scopeExpiry, SET_SCOPE_SETTING, vouchAuditEvent } from './scope-key.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';

/**
 * The embedded database (PGlite: PostgreSQL compiled to WebAssembly, in-process). Its session user
 * is always a superuser, so each scoped transaction switches to `ward_app` transaction-locally:
 * row-level security then stops application bugs, though not injected SQL (docs/threat-model.md).
 * Only parameterised single statements run in scoped transactions.
 */
const SET_SCOPE = `SELECT set_config('role', 'ward_app', true), ${SET_SCOPE_SETTING}`;
/** R-AUDIT-2: the same, for a read whose record the audit writer commits (db/types.ts ScopedOptions). */
const SET_SCOPE_ASYNC_COMMIT = `${SET_SCOPE}, set_config('synchronous_commit', 'off', true)`;
const SET_APP_ROLE = "SELECT set_config('role', 'ward_app', true)";
const LOOKUPS = new Set<string>(Object.values(AUTH_LOOKUPS));

function wrap(tx: Transaction | PGlite): Tx {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      return counted(await tx.query<R>(sql, params as unknown[]));
    },
  };
}

/**
 * The statement's own count, as node-postgres reports it: rows returned by a SELECT, changed by an
 * UPDATE. `affectedRows` is 0 for every SELECT, so it only serves an older PGlite.
 */
function counted<R>(result: { rows: R[]; rowCount?: number; affectedRows?: number }): QueryResult<R> {
  return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
}

/**
 * R-OPS-1: statements prepared once per database under a name, as postgres.ts does per connection.
 * PGlite's own query() parses, plans and describes every statement again (five calls into the
 * engine); a scoped statement's plan carries the row-level security policies and the scope's
 * verifying view (0066), so planning was most of its cost. Here a statement is parsed and described
 * once, then each execution is one call: bind, describe, execute, sync. Only inside a transaction
 * (the transaction's lock is held; the engine's query lock is taken here). PostgreSQL re-plans a
 * prepared statement itself when a table it reads changes.
 */
function preparedStatements(pg: PGlite) {
  const { serialize } = protocol;
  const statements = new Map<string, { name: string; paramTypes: number[] }>();
  const concat = (parts: Uint8Array[]) => Buffer.concat(parts);
  const run = (message: Uint8Array) => pg.execProtocol(message, { syncToFs: false });
  return function wrapPrepared(raw: Transaction): Tx {
    return {
      async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
        if (raw.closed) throw new Error('Transaction is closed');
        return pg.runExclusive(async () => {
          let statement = statements.get(sql);
          if (!statement) {
            const name = `w_${statements.size}`;
            const described = await run(concat([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]));
            statement = { name, paramTypes: parse.parseDescribeStatementResults(described.messages) };
            statements.set(sql, statement);
          }
          const types = statement.paramTypes;
          const values = params.map((value, i) => {
            if (value === null || value === undefined) return null;
            const serializer = pg.serializers[types[i]!];
            return serializer ? (serializer(value) as string) : String(value);
          });
          const { messages } = await run(concat([serialize.bind({ statement: statement.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]));
          return counted(parse.parseResults(messages, pg.parsers)[0] as unknown as { rows: R[]; rowCount?: number; affectedRows?: number });
        });
      },
    };
  }
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

  const prepared = preparedStatements(pg);
  const systemDb: SystemDb = {
    transaction: (fn) =>
      pg.transaction((raw) =>
        fn({
          ...prepared(raw),
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
    async scoped<T>(scope: DataScope, fn: (tx: Tx) => Promise<T>, opts: ScopedOptions = {}): Promise<T> {
      const settings = scopeSettings(scope);
      const { key, pid } = await scopeKey();
      return pg.transaction(async (raw) => {
        // The same MAC'd scope as on PostgreSQL (R-AUTHZ-7); the superuser session remains the limit (docs/threat-model.md).
        const tx = prepared(raw);
        const nowMs = Date.now();
        await tx.query(opts.asyncCommit === true ? SET_SCOPE_ASYNC_COMMIT : SET_SCOPE, [macScope(settings, key, pid, nowMs)]);
        // R-AUDIT-2 (0105): the audit events this transaction vouches for are of its tenant and actor, within its expiry.
        return fn({ ...tx, vouch: (event, text) => vouchAuditEvent(key, { settings, expires: scopeExpiry(nowMs) }, event, text) });
      });
    },
    authLookup<R>(sql: AuthLookupSql, params: readonly unknown[]): Promise<R[]> {
      if (!LOOKUPS.has(sql)) return Promise.reject(new Error('not an authentication lookup'));
      return pg.transaction(async (raw) => {
        const tx = prepared(raw);
        await tx.query(SET_APP_ROLE);
        return (await tx.query<R>(sql, params)).rows;
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
