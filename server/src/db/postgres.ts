import { createHash } from 'node:crypto';
import pg from 'pg';
import { WardError } from '@ward/contracts';
import { AUTH_LOOKUPS, type AuthLookupSql, type DataScope, type Db, type QueryResult, type SystemDb, type Tx } from './types.ts';
import { scopeSettings } from './scope.ts';
import { loadScopeKey, macScopeSettings, SET_SCOPE_SETTINGS } from './scope-key.ts';

/**
 * PostgreSQL in production. The application pool logs in as `ward_app` (not a superuser, owns
 * nothing, no BYPASSRLS), so it cannot switch to anything stronger; `systemDb` uses the migration
 * (owner) URL and is created only when a migration, the seed or a job asks for it.
 */
const SET_SCOPE = `SELECT ${SET_SCOPE_SETTINGS}`;
const LOOKUPS = new Set<string>(Object.values(AUTH_LOOKUPS));

// Every statement is prepared once per connection under a name derived from its text.
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `w_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

function wrap(client: pg.PoolClient | pg.Pool): Tx {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const result = await client.query({ name: statementName(sql), text: sql, values: params as unknown[] });
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    },
  };
}

/**
 * One transaction on a pooled connection. `begin` runs before `fn` without being awaited first, so
 * that on a pipelining pool its statements leave together with fn's first one; should it fail, the
 * transaction is aborted and fn's statements fail with it (fail closed).
 */
async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, begin?: (client: pg.PoolClient) => Promise<unknown>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // BEGIN, the scope and fn's first statement leave in one write (R-OPS-1): each query would
    // otherwise be a write of its own, and on loopback a write costs the sender the receiver's
    // TCP work too. Uncorked as soon as fn has issued what it issues without waiting.
    const stream = (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
    stream?.cork?.();
    let ready: Promise<unknown>;
    let pending: Promise<T>;
    try {
      ready = Promise.all([client.query('BEGIN'), begin?.(client)]);
      ready.catch(() => {});
      pending = fn(client);
    } finally {
      stream?.uncork?.();
    }
    let result: T;
    try {
      result = await pending;
    } finally {
      await ready;
    }
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError; // a connection that cannot roll back is not returned to the pool
    });
    throw e;
  } finally {
    client.release(broken);
  }
}

/** Where a URL points, for messages: host and port only (never the user's password). */
export function describeServer(url: string): string {
  const u = new URL(url);
  return `${u.hostname || 'localhost'}:${u.port || '5432'}`;
}

const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', '57P03' /* the database system is starting up */]);
const LOGIN = new Set(['28P01', '28000' /* authentication failed, no such role or no pg_hba entry */, '3D000' /* no such database */]);

function reasonOf(e: unknown): string {
  const code = (e as { code?: string } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ENOTFOUND': return 'no such host';
    case '57P03': return 'the database system is starting up';
    case '28P01': return 'password authentication failed';
    case '28000': return 'the role may not log in from here (pg_hba.conf)';
    case '3D000': return 'the database does not exist';
    case undefined: return /timeout/i.test((e as Error | null)?.message ?? '') ? 'timed out' : 'no answer';
    default: return code;
  }
}

/**
 * R-OPS-1: waits for PostgreSQL at start, so that `npm start` beside a starting database works,
 * with a line that names the host, port and the variable that set them while it waits. Gives up
 * after `waitSeconds` with DATABASE_UNREACHABLE, or at once on a refused login (DATABASE_LOGIN_FAILED).
 */
export async function waitForPostgres(
  url: string,
  variable: string,
  opts: { waitSeconds: number; report?: (line: string) => void; intervalMs?: number },
): Promise<void> {
  const where = `PostgreSQL at ${describeServer(url)} (from ${variable})`;
  const started = Date.now();
  let lastReport = -Infinity;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, application_name: 'ward' });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      if (lastReport > -Infinity) opts.report?.(`${where} answers now.`);
      return;
    } catch (e) {
      await client.end().catch(() => undefined); // the connection never opened: nothing to close
      const code = (e as { code?: string }).code ?? '';
      const reason = reasonOf(e);
      if (LOGIN.has(code)) {
        throw new WardError('DATABASE_LOGIN_FAILED', `${where} refused the login of user ${new URL(url).username}: ${reason}. Check the user, password and database in ${variable}.`, { cause: e });
      }
      const elapsed = (Date.now() - started) / 1000;
      if (!TRANSIENT.has(code) && !/timeout/i.test((e as Error).message ?? '') || elapsed >= opts.waitSeconds) {
        const waited = elapsed >= 1 ? ` within ${Math.round(elapsed)} s` : '';
        throw new WardError('DATABASE_UNREACHABLE', `${where} did not answer${waited}: ${reason}. Is it running, and are the host and port in ${variable} right?`, { cause: e });
      }
      if (Date.now() - lastReport >= 5000) {
        opts.report?.(`waiting for ${where}: ${reason}; retrying for up to ${opts.waitSeconds} s (${Math.round(elapsed)} s so far)`);
        lastReport = Date.now();
      }
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 1000));
    }
  }
}

export function createPool(url: string, max: number, opts: { pipeline?: boolean } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'ward', pipeline: opts.pipeline ?? false } as pg.PoolConfig);
  pool.on('error', () => {
    /* an idle client died; the pool replaces it on the next connect */
  });
  return pool;
}

export function openPostgres(urls: { appUrl: string; migrationUrl: string }, opts: { poolSize?: number } = {}): Db {
  const app = createPool(urls.appUrl, opts.poolSize ?? 10, { pipeline: true });
  let system: pg.Pool | undefined;
  const systemPool = () => (system ??= createPool(urls.migrationUrl, 4));

  let key: Promise<Buffer> | undefined;
  const scopeKey = () =>
    (key ??= loadScopeKey(systemDb).catch((e: unknown) => {
      key = undefined; // not cached: the next transaction tries again (and fails closed until it can)
      throw e;
    }));

  const systemDb: SystemDb = {
    transaction: (fn) =>
      inTransaction(systemPool(), (client) =>
        fn({
          ...wrap(client),
          async execScript(sql: string) {
            await client.query(sql); // simple protocol: several statements, no parameters
          },
        }),
      ),
    query: (sql, params) => wrap(systemPool()).query(sql, params),
  };

  return {
    engine: 'postgres',
    systemDb,
    async scoped<T>(scope: DataScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
      const settings = scopeSettings(scope);
      const key = await scopeKey();
      // The app pool pipelines: BEGIN, the scope settings and fn's first statement share a round trip.
      // The scope's MAC binds it to this connection's backend (R-AUTHZ-7).
      return inTransaction(app, (client) => fn(wrap(client)), (client) =>
        client.query({ name: 'ward_set_scope', text: SET_SCOPE, values: macScopeSettings(settings, key, (client as unknown as { processID: number }).processID) }));
    },
    async authLookup<R>(sql: AuthLookupSql, params: readonly unknown[]): Promise<R[]> {
      if (!LOOKUPS.has(sql)) throw new Error('not an authentication lookup');
      return (await wrap(app).query<R>(sql, params)).rows;
    },
    async close() {
      await Promise.all([app.end(), system?.end()]);
    },
  };
}
