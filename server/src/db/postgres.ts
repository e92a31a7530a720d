import { createHash } from 'node:crypto';
import pg from 'pg';
import { WardError } from '@ward/contracts';
import type { PoolLimits } from '../config.ts';
import { AUTH_LOOKUPS, type AuthLookupSql, type DataScope, type Db, type QueryResult, type ScopedOptions, type SystemDb, type Tx } from './types.ts';
import { scopeSettings } from './scope.ts';
import { preparedQuery } from './prepared-query.ts';
import { beginScopeSql, loadScopeKey, macScope, scopeExpiry, vouchAuditEvent } from './scope-key.ts';

/**
 * PostgreSQL in production. The application pool logs in as `ward_app` (not a superuser, owns
 * nothing, no BYPASSRLS), so it cannot switch to anything stronger; `systemDb` uses the migration
 * (owner) URL and is created only when a migration, the seed or a job asks for it.
 */
const LOOKUPS = new Set<string>(Object.values(AUTH_LOOKUPS));

// Every statement is prepared once per connection under a name derived from its text.
const statementNames = new Map<string, string>();
export function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `w_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** A scoped transaction's Tx: statements, commitWith and sendWithNext (inTransaction). */
function scopedTx(client: pg.PoolClient, control: TransactionControl, vouch?: Tx['vouch']): Tx {
  // `vouch` set after the literal, not spread into its head: in Node 20's V8 a literal that opens with
  // a spread pays a map transition per property after it, on every transaction (R-OPS-1).
  const tx: Tx = {
    query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const pending = preparedQuery(client, statementName(sql), sql, params);
      control.issued();
      return pending.then((result) => ({ rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length }));
    },
    commitWith: control.commitWith,
    sendWithNext: control.sendWithNext,
  };
  if (vouch) tx.vouch = vouch;
  return tx;
}

export function wrap(client: pg.PoolClient | pg.Pool): Tx {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const result = await preparedQuery(client, statementName(sql), sql, params);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    },
  };
}

/** What a transaction's body may ask of its connection besides statements (postgres.ts only). */
export interface TransactionControl {
  /** Tx.commitWith: a statement sent that the COMMIT leaves behind without awaiting it first. */
  commitWith(pending: Promise<unknown>): void;
  /** Tx.sendWithNext: the next statement waits for the one after it, and both leave in one write. */
  sendWithNext(): void;
  /** Called by the body's Tx after each statement it issues (releases a sendWithNext hold). */
  issued(): void;
}

/**
 * One transaction on a pooled connection. `begin` gives the message that opens it (BEGIN, or BEGIN and
 * the scope: beginScopeSql), sent before `fn` without being awaited first, so that on a pipelining
 * pool it leaves together with fn's first statement; should it fail, the transaction is aborted and
 * fn's statements fail with it (fail closed). Statements fn hands to `commitWith` are not awaited
 * before the COMMIT: it leaves behind them, in the same round trip (R-OPS-1), and the transaction
 * succeeds only if each of them succeeded and the COMMIT committed (an aborted transaction's COMMIT
 * answers ROLLBACK, which fails it too: fail closed). Exported for bench:db, whose unscoped
 * transaction must take the same path as a scoped one.
 *
 * `sendWithNext` (R-OPS-1): on loopback a write costs the sender the receiver's TCP work too, so
 * statements that are issued back to back leave in one write where the caller says so: the
 * connection's socket is corked until the second statement issued after the call (the COMMIT counts)
 * has been issued, and at the latest until the end of this turn of the event loop, so that a caller
 * that awaits the first statement's answer meanwhile waits one turn, never for ever. The statements'
 * order on the wire, and so their execution order, is the order they were issued in either way.
 */
export async function inTransaction<T>(
  acquire: () => Promise<pg.PoolClient>,
  fn: (client: pg.PoolClient, control: TransactionControl) => Promise<T>,
  begin: (client: pg.PoolClient) => string = () => 'BEGIN',
): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await acquire();
  } catch (e) {
    throw asUnavailable(e); // R-OPS-1: a pool that cannot give a connection is a 503
  }
  let broken: Error | undefined;
  const withCommit: Promise<unknown>[] = [];
  const stream = (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
  let held = 0; // statements still to be issued before a sendWithNext hold ends; 0: no hold
  const release = () => {
    if (held === 0) return;
    held = 0;
    stream?.uncork?.();
  };
  const control: TransactionControl = {
    commitWith(pending) {
      pending.catch(() => {}); // awaited below, with the COMMIT
      withCommit.push(pending);
    },
    sendWithNext() {
      if (held !== 0 || !stream?.cork || !stream.uncork) return;
      stream.cork();
      held = 2;
      setImmediate(release);
    },
    issued() {
      if (held !== 0 && --held === 0) stream?.uncork?.();
    },
  };
  try {
    const opening = begin(client);
    // BEGIN with the scope, and fn's first statement, leave in one write (R-OPS-1): each query would
    // otherwise be a write of its own, and on loopback a write costs the sender the receiver's
    // TCP work too. Uncorked as soon as fn has issued what it issues without waiting.
    stream?.cork?.();
    let ready: Promise<unknown>;
    let pending: Promise<T>;
    try {
      ready = client.query(opening); // simple protocol: BEGIN; SET LOCAL …, no parameters
      ready.catch(() => {});
      pending = fn(client, control);
    } finally {
      stream?.uncork?.();
    }
    let result: T;
    try {
      result = await pending;
    } finally {
      await ready;
    }
    const committing = client.query('COMMIT');
    control.issued();
    committing.catch(() => {}); // awaited below, after the statements it was sent behind
    for (const p of withCommit) await p; // the first failure fails the transaction
    const committed = await committing;
    if (committed.command !== 'COMMIT') throw new Error(`the transaction ended in ${String(committed.command)}, not COMMIT`);
    return result;
  } catch (e) {
    release();
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError; // a connection that cannot roll back is not returned to the pool
    });
    throw asUnavailable(e);
  } finally {
    release(); // never back to the pool corked
    client.release(broken);
  }
}

/**
 * R-OPS-1: errors that mean "the database cannot serve this now" — down, restarting, refusing
 * connections, a pool with no connection to give, a statement cancelled by its timeout. They answer
 * 503 SERVICE_UNAVAILABLE with Retry-After (the request failed closed and may be retried), not 500.
 * Only the reason's name is kept (never a statement or its values).
 */
const UNAVAILABLE_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection_refused', ECONNRESET: 'connection_reset', ETIMEDOUT: 'connection_timeout', EPIPE: 'connection_reset',
  EHOSTUNREACH: 'unreachable', ENETUNREACH: 'unreachable', EAI_AGAIN: 'unreachable',
  '57P01': 'admin_shutdown', '57P02': 'crash_shutdown', '57P03': 'starting_up', '53300': 'too_many_connections',
  '57014': 'statement_timeout', '25P03': 'idle_in_transaction_timeout', '08000': 'connection_exception', '08003': 'connection_exception',
  '08006': 'connection_failure', '08001': 'connection_failure', '08004': 'connection_rejected',
};
const UNAVAILABLE_MESSAGES: [RegExp, string][] = [
  [/^Connection terminated/, 'connection_terminated'],
  [/timeout exceeded when trying to connect/, 'pool_acquire_timeout'],
  [/not queryable|Client was closed/, 'connection_closed'],
];

export function unavailable(reason: string, cause?: unknown): WardError {
  return new WardError('SERVICE_UNAVAILABLE', undefined, { detail: `database: ${reason}`, reasons: [reason], headers: { 'retry-after': '1' }, ...(cause ? { cause } : {}) });
}

/** The error as a 503 when the database is what failed, else unchanged. */
export function asUnavailable(e: unknown): unknown {
  if (e instanceof WardError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  const byCode = typeof code === 'string' ? UNAVAILABLE_CODES[code] : undefined;
  if (byCode) return unavailable(byCode, e);
  const message = (e as Error | null)?.message ?? '';
  for (const [pattern, reason] of UNAVAILABLE_MESSAGES) if (pattern.test(message)) return unavailable(reason, e);
  return e;
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

export function createPool(url: string, max: number, opts: { pipeline?: boolean; acquireTimeoutMs?: number; statementTimeoutMs?: number } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url, max, application_name: 'ward', pipeline: opts.pipeline ?? false,
    ...(opts.acquireTimeoutMs !== undefined ? { connectionTimeoutMillis: opts.acquireTimeoutMs } : {}),
    // Server-side limits: a slow statement is cancelled (57014), a transaction left idle is ended.
    ...(opts.statementTimeoutMs !== undefined ? { statement_timeout: opts.statementTimeoutMs, idle_in_transaction_session_timeout: Math.max(opts.statementTimeoutMs, 30_000) } : {}),
  } as pg.PoolConfig);
  pool.on('error', () => {
    /* an idle client died; the pool replaces it on the next connect */
  });
  return pool;
}

/**
 * A scoped transaction on the app pool. The pool pipelines: BEGIN with the scope settings (and, for the
 * audit writer's reads, synchronous_commit off: R-AUDIT-2), and fn's first statement, share a round
 * trip. The scope's MAC binds it to this connection's backend (R-AUTHZ-7); the audit events it vouches
 * for are of its tenant and actor, within its expiry (0105). `settings` are scopeSettings' values.
 */
function scopedTransaction<T>(acquire: () => Promise<pg.PoolClient>, settings: ReturnType<typeof scopeSettings>, key: Buffer, fn: (tx: Tx) => Promise<T>, opts: ScopedOptions): Promise<T> {
  let openedMs = 0; // when the scope was MAC'd: its expiry is the vouchers' (0105)
  // The voucher is written in the call, not bound to a name: tsx (esbuild's keepNames) defines the
  // name of every named closure as it is made, ~0.3 µs each (R-OPS-1).
  return inTransaction(acquire, (client, control) => fn(scopedTx(client, control, (event, text) => vouchAuditEvent(key, { settings, expires: scopeExpiry(openedMs) }, event, text))), (client) => {
    openedMs = Date.now();
    return beginScopeSql(macScope(settings, key, (client as unknown as { processID: number }).processID, openedMs), opts);
  });
}

export function openPostgres(urls: { appUrl: string; migrationUrl: string }, limits: Partial<PoolLimits> = {}): Db {
  const app = createPool(urls.appUrl, limits.size ?? 10, { pipeline: true, acquireTimeoutMs: limits.acquireTimeoutMs ?? 5000, statementTimeoutMs: limits.statementTimeoutMs ?? 15_000 });
  const queueLimit = limits.queueLimit ?? 200;
  /** R-OPS-1: a bounded queue: past it, a request is refused at once instead of waiting without end. */
  // A refused connection is made a 503 by inTransaction (asUnavailable), not by a promise of its own here.
  const acquire = (): Promise<pg.PoolClient> => {
    if (app.waitingCount >= queueLimit && app.idleCount === 0) return Promise.reject(unavailable('pool_queue_full'));
    return app.connect();
  };
  let system: pg.Pool | undefined;
  const systemPool = () => (system ??= createPool(urls.migrationUrl, 4));
  // R-AUDIT-2: the audit writer's batches (modules/audit/writer.ts) have a connection of their own, as
  // ward_app, so that a batch never queues for a connection behind the reads that wait for it.
  let batches: pg.Pool | undefined;
  const batchPool = () => (batches ??= createPool(urls.appUrl, 4, { acquireTimeoutMs: limits.acquireTimeoutMs ?? 5000, statementTimeoutMs: limits.statementTimeoutMs ?? 15_000 }));

  let key: Promise<Buffer> | undefined;
  let loadedKey: Buffer | undefined; // the key once read: a scoped transaction then waits for nothing before its own
  const scopeKey = () =>
    (key ??= loadScopeKey(systemDb).then(
      (k) => (loadedKey = k),
      (e: unknown) => {
        key = undefined; // not cached: the next transaction tries again (and fails closed until it can)
        throw e;
      },
    ));

  const systemDb: SystemDb = {
    transaction: (fn) =>
      inTransaction(() => systemPool().connect(), (client) =>
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
    scoped<T>(scope: DataScope, fn: (tx: Tx) => Promise<T>, opts: ScopedOptions = {}): Promise<T> {
      let settings: ReturnType<typeof scopeSettings>;
      try {
        settings = scopeSettings(scope);
      } catch (e) {
        return Promise.reject(e);
      }
      // Once the key is read, the transaction starts in this call: no await of the key, no promise of
      // an async function around inTransaction's (R-OPS-1).
      return loadedKey ? scopedTransaction(acquire, settings, loadedKey, fn, opts) : scopeKey().then((k) => scopedTransaction(acquire, settings, k, fn, opts));
    },
    async authLookup<R>(sql: AuthLookupSql, params: readonly unknown[]): Promise<R[]> {
      if (!LOOKUPS.has(sql)) throw new Error('not an authentication lookup');
      try {
        return (await wrap(sql === AUTH_LOOKUPS.auditVouchedBatch ? batchPool() : app).query<R>(sql, params)).rows;
      } catch (e) {
        throw asUnavailable(e);
      }
    },
    async close() {
      await Promise.all([app.end(), system?.end(), batches?.end()]);
    },
  };
}
