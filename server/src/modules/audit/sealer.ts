/**
 * The audit sealer (R-AUDIT-3, R-AUDIT-2; docs/audit.md "Sealing"). Access transactions insert their
 * event with seq NULL and never wait on a per-tenant lock; this one job, holding the database lease
 * `audit-sealer` (so that several servers never seal at once), turns committed unsealed rows into the
 * tenant's next seqs, leaf and chain hashes and tree nodes, and signs a tree head per batch, all in one
 * transaction; then publishes the head outside the database.
 *
 * Commit order: a batch takes the rows its snapshot sees, which all committed before it; a row that
 * commits later (even with an earlier occurred_at) is not visible yet and gets a seq after them in a
 * later batch, never one below a seq already sealed. Within a batch, rows are ordered by occurred_at.
 *
 * Crash safety: nothing is sealed outside the sealing transaction; after a crash the rows it did not
 * commit are still unsealed and the next pass seals them; heads committed but not yet published
 * (published_at NULL) are published by the next pass.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { SystemDb, SystemTx } from '../../db/types.ts';
import type { Logger } from '../../logging.ts';
import { sealableFromRow, type AuditEventRow } from './event.ts';
import { CHAIN_GENESIS, chainNext, hashLeafText } from './hashes.ts';
import { leafText } from './event.ts';
import type { SigningKeyStore } from './key-store.ts';
import { createDbLevelStore, EVENT_COLUMNS_SQL, insertHead, insertNodes } from './repo.ts';
import type { HeadSink } from './head-sink.ts';
import type { PublicationGuard } from './publication-guard.ts';
import { MerkleTree } from './tree.ts';
import { signTreeHead, type SignedTreeHead } from './tree-head.ts';

export const SEALER_LEASE = 'audit-sealer';

const ACQUIRE_LEASE = `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3))
  ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
    WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= clock_timestamp()
  RETURNING holder`;
// In every sealing transaction: renews the lease and holds its row until commit, so a server taking
// over an expired lease waits for this transaction and then finds it renewed (fencing).
const FENCE = `UPDATE leases SET expires_at = clock_timestamp() + make_interval(secs => $3)
  WHERE name = $1 AND holder = $2 AND expires_at > clock_timestamp()
  RETURNING to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`;
const RELEASE_LEASE = 'DELETE FROM leases WHERE name = $1 AND holder = $2';
// A loose index scan over the partial index of unsealed rows: one probe per tenant with a backlog.
const TENANTS_WITH_UNSEALED = `WITH RECURSIVE t (tenant_id) AS (
    (SELECT tenant_id FROM audit_events WHERE seq IS NULL ORDER BY tenant_id LIMIT 1)
    UNION ALL
    SELECT (SELECT e.tenant_id FROM audit_events e WHERE e.seq IS NULL AND e.tenant_id > t.tenant_id ORDER BY e.tenant_id LIMIT 1)
      FROM t WHERE t.tenant_id IS NOT NULL)
  SELECT tenant_id FROM t WHERE tenant_id IS NOT NULL`;
const TIP = `SELECT seq, chain_hash FROM audit_events WHERE tenant_id = $1 AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1`;
// Ordered by the table's columns (e.occurred_at), not by the text of the same name in the select
// list: ordering by that text sorted the tenant's whole backlog on every batch (to disk, and once per
// 5,000 rows); by the column, an index scan of audit_events_time stops after the batch. The order is
// the same (the text is fixed-width UTC).
const UNSEALED = `SELECT ${EVENT_COLUMNS_SQL} FROM audit_events e
  WHERE e.tenant_id = $1 AND e.seq IS NULL ORDER BY e.occurred_at, e.id LIMIT $2`;
// The next batch, read while the previous one commits (keyset after its last row; see sealBatch).
const UNSEALED_AFTER = `SELECT ${EVENT_COLUMNS_SQL} FROM audit_events e
  WHERE e.tenant_id = $1 AND e.seq IS NULL AND (e.occurred_at, e.id) > ($3::timestamptz, $4::uuid)
  ORDER BY e.occurred_at, e.id LIMIT $2`;
const SEAL_ROWS = `UPDATE audit_events e
  SET seq = u.seq, leaf_hash = decode(u.leaf, 'hex'), chain_hash = decode(u.chain, 'hex'), sealed_at = clock_timestamp()
  FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[]) AS u (id, seq, leaf, chain)
  WHERE e.id = u.id AND e.tenant_id = $1 AND e.seq IS NULL`;
const UNPUBLISHED = `SELECT tenant_id, tree_size, root_hash, signed_at, key_id, signature FROM audit_tree_heads
  WHERE published_at IS NULL ORDER BY tenant_id, tree_size LIMIT 1000`;
// The partial index of unpublished heads keeps this one probe per pass cheap on every server.
const OLDEST_UNPUBLISHED = `SELECT min(signed_at) AS signed_at FROM audit_tree_heads WHERE published_at IS NULL`;
const MARK_PUBLISHED = `UPDATE audit_tree_heads SET published_at = clock_timestamp()
  WHERE tenant_id = $1 AND tree_size = ANY ($2::bigint[]) AND published_at IS NULL`;

export interface SealPassResult {
  /** False when another server holds the lease: this one sealed nothing. */
  isLeader: boolean;
  sealed: number;
  heads: number;
  /** Heads signed but not published (a sink failed); they are retried on the next pass. */
  unpublished: number;
}

export interface MergeDelayStats {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface AuditSealer {
  /** One pass: take or renew the lease, publish pending heads, seal until no backlog (bounded). */
  sealOnce(): Promise<SealPassResult>;
  /** Runs a pass every `intervalMs` (unref'd timer) until stop(). */
  start(): void;
  /** Stops the timer, waits for a running pass and releases the lease. */
  stop(): Promise<void>;
  /** Merge delay (insert → sealed, per event, database clock) over the last events sealed here. */
  mergeDelay(): MergeDelayStats;
  readonly holder: string;
}

export interface SealerOptions {
  systemDb: SystemDb;
  keys: SigningKeyStore;
  sinks: readonly HeadSink[];
  logger?: Pick<Logger, 'warn' | 'error' | 'info'>;
  clock?: { now(): Date };
  /** Rows per tenant per sealing transaction (and per signed head). */
  batchSize?: number;
  intervalMs?: number;
  leaseSeconds?: number;
  /** A pass stops starting new batches after this long, so that shutdown and lease renewal stay prompt. */
  maxPassMs?: number;
  holder?: string;
  /**
   * Runs after each pass that this server led, under the same lease (R-MON-1: the detector evaluates
   * what was just sealed). Its failure is logged and retried on the next pass; sealing goes on.
   */
  afterPass?: () => Promise<unknown>;
  /**
   * Told after every pass, leader or not, how long the oldest head has waited to be published; it
   * refuses new audit records once that is too long (publication-guard.ts).
   */
  publication?: PublicationGuard;
}

interface TenantState {
  tree: MerkleTree;
  chain: Buffer;
}

class LeaseLost extends Error {}

const DELAY_SAMPLES = 100_000;

export function createAuditSealer(options: SealerOptions): AuditSealer {
  const { systemDb, keys, sinks } = options;
  const clock = options.clock ?? { now: () => new Date() };
  const batchSize = options.batchSize ?? 5000;
  const intervalMs = options.intervalMs ?? 500;
  const leaseSeconds = options.leaseSeconds ?? 10;
  const maxPassMs = options.maxPassMs ?? 5000;
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  const states = new Map<string, TenantState>();
  const delays = new Float64Array(DELAY_SAMPLES);
  let delayCount = 0;
  let wasLeader = false;
  let running: Promise<SealPassResult> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** Set while stop() waits, so that a running pass starts no new batch. */
  let isStopping = false;

  async function acquireLease(): Promise<boolean> {
    const { rows } = await systemDb.query(ACQUIRE_LEASE, [SEALER_LEASE, holder, leaseSeconds]);
    const isLeader = rows.length === 1;
    // A new term: another sealer may have sealed meanwhile, so nothing cached is trusted.
    if (isLeader && !wasLeader) states.clear();
    wasLeader = isLeader;
    return isLeader;
  }

  /** The tenant's tree and chain at its last sealed seq, from the cache when it still matches. */
  async function stateAt(tx: SystemTx, tenantId: string): Promise<TenantState> {
    const tip = (await tx.query<{ seq: string | number; chain_hash: Uint8Array }>(TIP, [tenantId])).rows[0];
    const size = tip === undefined ? 0 : Number(tip.seq);
    const chain = tip === undefined ? CHAIN_GENESIS : Buffer.from(tip.chain_hash);
    const cached = states.get(tenantId);
    if (cached !== undefined && cached.tree.size === size && cached.chain.equals(chain)) return cached;
    const tree = size === 0 ? MerkleTree.create(createDbLevelStore(tx, tenantId)) : await MerkleTree.open(createDbLevelStore(tx, tenantId), size);
    return { tree, chain };
  }

  /**
   * The rows after `last` (its occurred_at text and id), read outside any transaction while the batch
   * before them is hashed, written and committed (so PostgreSQL reads the next batch while Node hashes
   * this one). Safe because audit rows never change but for sealing, which only this lease
   * holder does: the next batch's UPDATE still requires `seq IS NULL` for every row (row count checked).
   * A row that commits meanwhile with an earlier occurred_at is not among them and is sealed in a
   * later batch, after them (commit order, as above).
   */
  function prefetch(tenantId: string, last: { occurred_at: string; id: string }): Promise<AuditEventRow[]> {
    const rows = systemDb.query<AuditEventRow>(UNSEALED_AFTER, [tenantId, batchSize, last.occurred_at, last.id]).then((r) => r.rows);
    rows.catch(() => {}); // a failure is seen by the batch that awaits it
    return rows;
  }

  /**
   * Seals up to batchSize rows of one tenant in one transaction; returns the signed head, if any.
   * `prefetched`: the rows to seal, read beforehand (prefetch); otherwise read in the transaction.
   */
  async function sealBatch(
    tenantId: string,
    prefetched: Promise<AuditEventRow[]> | undefined,
    onFullBatch: (last: AuditEventRow) => void,
  ): Promise<{ sealed: number; head: SignedTreeHead | null }> {
    const ring = await keys.load();
    // Awaited before the transaction opens: on the embedded engine a query waits for an open transaction.
    const given = prefetched === undefined ? undefined : await prefetched;
    const startedAt = performance.now();
    let dbNow = 0;
    let occurred: string[] = [];
    try {
      const result = await systemDb.transaction(async (tx) => {
        const fence = (await tx.query<{ now: string }>(FENCE, [SEALER_LEASE, holder, leaseSeconds])).rows[0];
        if (fence === undefined) throw new LeaseLost();
        dbNow = Date.parse(fence.now);
        const state = await stateAt(tx, tenantId);
        const rows = given ?? (await tx.query<AuditEventRow>(UNSEALED, [tenantId, batchSize])).rows;
        if (rows.length === 0) return { sealed: 0, head: null, state };
        if (rows.length === batchSize) onFullBatch(rows[rows.length - 1]!);
        const ids: string[] = new Array(rows.length);
        const seqs: number[] = new Array(rows.length);
        const leaves: string[] = new Array(rows.length);
        const chains: string[] = new Array(rows.length);
        let chain = state.chain;
        // Leaves from the rows as read back from the database (jsonb has normalised metadata).
        for (let i = 0; i < rows.length; i += 1) {
          const seq = state.tree.size + 1;
          const row = rows[i]!;
          const event = sealableFromRow({ ...row, source_ip: row.source_ip === null ? null : String(row.source_ip) }, seq);
          const leafHash = hashLeafText(leafText(event));
          chain = chainNext(chain, leafHash);
          state.tree.append(leafHash);
          ids[i] = event.id;
          seqs[i] = seq;
          leaves[i] = leafHash.toString('hex');
          chains[i] = chain.toString('hex');
        }
        occurred = rows.map((r) => r.occurred_at);
        const updated = await tx.query(SEAL_ROWS, [tenantId, ids, seqs, leaves, chains]);
        if (updated.rowCount !== rows.length) throw new Error('a row to seal changed under the sealer');
        await insertNodes(tx, tenantId, state.tree.takePending());
        const head = signTreeHead({ tenantId, treeSize: state.tree.size, rootHash: state.tree.root(), timestamp: clock.now().toISOString() }, ring.active);
        await insertHead(tx, head);
        state.chain = chain;
        return { sealed: rows.length, head, state };
      });
      states.set(tenantId, result.state);
      const sealedAt = dbNow + (performance.now() - startedAt);
      for (const text of occurred) {
        delays[delayCount % DELAY_SAMPLES] = Math.max(0, sealedAt - Date.parse(text));
        delayCount += 1;
      }
      return { sealed: result.sealed, head: result.head };
    } catch (e) {
      states.delete(tenantId); // the in-memory tree may have advanced past what was committed
      throw e;
    }
  }

  async function publish(heads: readonly SignedTreeHead[]): Promise<boolean> {
    if (heads.length === 0) return true;
    try {
      for (const sink of sinks) await sink.publish(heads);
    } catch (e) {
      options.logger?.warn({ err: { message: (e as Error).message }, heads: heads.length }, 'audit: publishing signed tree heads failed; will retry');
      return false;
    }
    await systemDb.query(MARK_PUBLISHED, [heads[0]!.tenantId, heads.map((h) => h.treeSize)]);
    return true;
  }

  /** Heads committed but not published (a crash or a sink failure in an earlier pass). */
  async function publishPending(): Promise<number> {
    const { rows } = await systemDb.query<{ tenant_id: string; tree_size: string | number; root_hash: string; signed_at: string; key_id: string; signature: string }>(UNPUBLISHED);
    const byTenant = new Map<string, SignedTreeHead[]>();
    for (const r of rows) {
      const head = { tenantId: r.tenant_id, treeSize: Number(r.tree_size), rootHash: r.root_hash, timestamp: r.signed_at, keyId: r.key_id, signature: r.signature };
      byTenant.set(r.tenant_id, [...(byTenant.get(r.tenant_id) ?? []), head]);
    }
    let failed = 0;
    for (const list of byTenant.values()) if (!(await publish(list))) failed += list.length;
    return failed;
  }

  async function pass(): Promise<SealPassResult> {
    const result: SealPassResult = { isLeader: false, sealed: 0, heads: 0, unpublished: 0 };
    if (!(await acquireLease())) return result;
    result.isLeader = true;
    result.unpublished = await publishPending();
    const deadline = performance.now() + maxPassMs;
    try {
      let hasBacklog = true;
      while (hasBacklog && !isStopping && performance.now() < deadline) {
        hasBacklog = false;
        const tenants = (await systemDb.query<{ tenant_id: string }>(TENANTS_WITH_UNSEALED)).rows.map((r) => r.tenant_id);
        for (const tenantId of tenants) {
          // A full batch: the next one's rows are read while this one commits and is published.
          let next: Promise<AuditEventRow[]> | undefined;
          for (;;) {
            let started: Promise<AuditEventRow[]> | undefined;
            const batch = await sealBatch(tenantId, next, (last) => {
              if (!isStopping && performance.now() < deadline) started = prefetch(tenantId, last);
            });
            next = started;
            result.sealed += batch.sealed;
            if (batch.sealed === batchSize && next === undefined) hasBacklog = true;
            if (batch.head !== null) {
              result.heads += 1;
              if (!(await publish([batch.head]))) result.unpublished += 1;
            }
            if (next === undefined) break;
          }
        }
      }
    } catch (e) {
      if (!(e instanceof LeaseLost)) throw e;
      wasLeader = false;
      result.isLeader = false;
    }
    if (result.isLeader && options.afterPass !== undefined) {
      await options.afterPass().catch((e: unknown) => options.logger?.warn({ err: { message: (e as Error).message } }, 'audit: the work after a sealing pass failed; will retry'));
    }
    return result;
  }

  async function passAndReport(): Promise<SealPassResult> {
    const result = await pass();
    if (options.publication !== undefined) {
      const oldest = (await systemDb.query<{ signed_at: string | null }>(OLDEST_UNPUBLISHED)).rows[0]?.signed_at ?? null;
      options.publication.observe(oldest === null ? null : new Date(oldest));
    }
    return result;
  }

  function sealOnce(): Promise<SealPassResult> {
    running ??= passAndReport().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      sealOnce()
        .catch((e: unknown) => options.logger?.error({ err: { message: (e as Error).message } }, 'audit: sealing pass failed; will retry'))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  return {
    holder,
    sealOnce,
    start() {
      stopped = false;
      if (timer === undefined) schedule();
    },
    async stop() {
      stopped = true;
      isStopping = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      try {
        await running?.catch(() => {});
        if (wasLeader) {
          // Let another server take over at once rather than after the lease expires.
          await systemDb.query(RELEASE_LEASE, [SEALER_LEASE, holder]).catch(() => {});
          wasLeader = false;
        }
      } finally {
        isStopping = false;
      }
    },
    mergeDelay() {
      const n = Math.min(delayCount, DELAY_SAMPLES);
      if (n === 0) return { count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
      const sorted = Float64Array.from(delays.subarray(0, n)).sort();
      const at = (q: number) => Math.round(sorted[Math.min(n - 1, Math.floor(q * n))]!);
      return { count: delayCount, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: Math.round(sorted[n - 1]!) };
    },
  };
}
