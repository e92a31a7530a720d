/**
 * The audit sealer (R-AUDIT-3, R-AUDIT-2; docs/audit.md "Sealing"). Access transactions insert their
 * event and never wait on a per-tenant lock; this one job, holding the database lease `audit-sealer`
 * (so that several servers never seal at once), gives committed events the tenant's next seqs, leaf
 * and chain hashes (rows of `audit_seals`; the events themselves are never updated) and tree nodes,
 * and signs a tree head per batch, all in one transaction; then publishes the head outside the database.
 *
 * Order (seal-order.ts): a tenant's events after its last seal in (xact, occurred_at, id) order, only
 * those whose inserting transaction is below the horizon (has ended; transactions of other databases
 * do not count). No transaction can later commit an event that sorts before one sealed, so none is
 * skipped and no seq is assigned below one already sealed. An open transaction holds back the events
 * of transactions that took their ids after it; a pass waits a little for it (holdBackWaitMs), then
 * leaves them to the next pass.
 *
 * Crash safety: nothing is sealed outside the sealing transaction; after a crash the events it did not
 * seal are still after the tenant's last seal and the next pass seals them; heads committed but not
 * yet published (published_at NULL) are published by the next pass.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { SystemDb, SystemTx } from '../../db/types.ts';
import type { Logger } from '../../logging.ts';
import { CHAIN_GENESIS } from './hashes.ts';
import type { SigningKeyStore } from './key-store.ts';
import { createDbLevelStore, EVENT_COLUMNS_SQL, insertHead, insertNodes, STORED_NODE_LEVEL } from './repo.ts';
import { sealRows, type RowToSeal } from './seal-rows.ts';
import { FIRST_KEY, INSERT_SEALS, PASS_BOUND, SEAL_TIP, TENANTS_TO_SEAL, unsealedAfterKey, type SealKey } from './seal-order.ts';
import type { HeadSink } from './head-sink.ts';
import { createHeadPublisher } from './sealer-heads.ts';
import type { PublicationGuard } from './publication-guard.ts';
import { MerkleTree } from './tree.ts';
import { signTreeHead, type SignedTreeHead } from './tree-head.ts';

export const SEALER_LEASE = 'audit-sealer';

// Also returns the pass's bound: the events of transactions below it are what the pass waits for (seal-order.ts).
const ACQUIRE_LEASE = `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3))
  ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
    WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= clock_timestamp()
  RETURNING holder, ${PASS_BOUND} AS pass_bound`;
// In every sealing transaction: renews the lease and holds its row until commit, so a server taking
// over an expired lease waits for this transaction and then finds it renewed (fencing).
const FENCE = `UPDATE leases SET expires_at = clock_timestamp() + make_interval(secs => $3)
  WHERE name = $1 AND holder = $2 AND expires_at > clock_timestamp()
  RETURNING to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`;
const RELEASE_LEASE = 'DELETE FROM leases WHERE name = $1 AND holder = $2';
// The rows to seal: the event columns as the leaf is computed from them, and the key (xact) to go on from.
const UNSEALED = unsealedAfterKey(EVENT_COLUMNS_SQL);

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
  /**
   * How long (within maxPassMs) a pass waits, polling, for open transactions that hold committed
   * events back (seal-order.ts) before it leaves them to the next pass. 0: it does not wait.
   */
  holdBackWaitMs?: number;
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

/** Rows as the sealer reads them: the event's columns (no seq yet) and its inserting transaction. */
type UnsealedRow = RowToSeal & { xact: string };

/** Rows read ahead for the batch that goes on after `after` (the previous batch's last row). */
interface Prefetched {
  after: SealKey;
  rows: Promise<UnsealedRow[]>;
}

class LeaseLost extends Error {}

const DELAY_SAMPLES = 100_000;
/** Rows hashed at a time within a batch: the next chunk is hashed while the database writes this one. */
const SEAL_CHUNK = 1024;
const HOLD_BACK_FIRST_POLL_MS = 10;
const HOLD_BACK_MAX_POLL_MS = 200;

const keyOfRow = (row: UnsealedRow): SealKey => ({ xact: row.xact, occurred_at: row.occurred_at, id: row.id });

export function createAuditSealer(options: SealerOptions): AuditSealer {
  const { systemDb, keys, sinks } = options;
  const clock = options.clock ?? { now: () => new Date() };
  const batchSize = options.batchSize ?? 5000;
  const intervalMs = options.intervalMs ?? 500;
  const leaseSeconds = options.leaseSeconds ?? 10;
  const maxPassMs = options.maxPassMs ?? 5000;
  const holdBackWaitMs = options.holdBackWaitMs ?? 1000;
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  const heads = createHeadPublisher(systemDb, sinks, options.logger);
  const states = new Map<string, TenantState>();
  const delays = new Float64Array(DELAY_SAMPLES);
  let delayCount = 0;
  let wasLeader = false;
  let running: Promise<SealPassResult> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** Set while stop() waits, so that a running pass starts no new batch. */
  let isStopping = false;

  /** The pass's bound (seal-order.ts) when this server holds the lease; null when another does. */
  async function acquireLease(): Promise<string | null> {
    const { rows } = await systemDb.query<{ pass_bound: string }>(ACQUIRE_LEASE, [SEALER_LEASE, holder, leaseSeconds]);
    const isLeader = rows.length === 1;
    // A new term: another sealer may have sealed meanwhile, so nothing cached is trusted.
    if (isLeader && !wasLeader) states.clear();
    wasLeader = isLeader;
    return isLeader ? rows[0]!.pass_bound : null;
  }

  /**
   * The tenant's tree and chain at its last seal, from the cache when it still matches, and the key
   * of that seal's event (where the unsealed events begin).
   */
  async function stateAt(tx: SystemTx, tenantId: string): Promise<{ state: TenantState; key: SealKey }> {
    const tip = (await tx.query<{ seq: string | number; chain_hash: Uint8Array; event_id: string | null; xact: string | null; occurred_at: string | null }>(SEAL_TIP, [tenantId])).rows[0];
    if (tip !== undefined && (tip.event_id === null || tip.xact === null || tip.occurred_at === null)) {
      throw new Error('the event of the last seal is missing: sealing stops for this tenant (ward audit verify)');
    }
    const key = tip === undefined ? FIRST_KEY : { xact: tip.xact!, occurred_at: tip.occurred_at!, id: tip.event_id! };
    const size = tip === undefined ? 0 : Number(tip.seq);
    const chain = tip === undefined ? CHAIN_GENESIS : Buffer.from(tip.chain_hash);
    const cached = states.get(tenantId);
    if (cached !== undefined && cached.tree.size === size && cached.chain.equals(chain)) return { state: cached, key };
    const tree = size === 0 ? MerkleTree.create(createDbLevelStore(tx, tenantId)) : await MerkleTree.open(createDbLevelStore(tx, tenantId), size);
    return { state: { tree, chain }, key };
  }

  /**
   * The rows after `after` (a batch's last row), read outside any transaction while that batch is
   * hashed, written and committed (so PostgreSQL reads the next batch while Node hashes this one).
   * Safe: they are the next rows in seal order below this statement's horizon, and no row can appear
   * before them later (seal-order.ts); the next batch uses them only when its tip is `after`, and the
   * seal table refuses a second seal of an event or a seq.
   */
  function prefetch(tenantId: string, after: SealKey): Prefetched {
    const rows = systemDb.query<UnsealedRow>(UNSEALED, [tenantId, batchSize, after.xact, after.occurred_at, after.id]).then((r) => r.rows);
    rows.catch(() => {}); // a failure is seen by the batch that awaits it
    return { after, rows };
  }

  /**
   * Seals up to batchSize rows of one tenant in one transaction; returns the signed head, if any.
   * `prefetched`: the rows to seal, read beforehand (prefetch); otherwise read in the transaction.
   */
  async function sealBatch(
    tenantId: string,
    prefetched: Prefetched | undefined,
    onFullBatch: (last: SealKey) => void,
  ): Promise<{ sealed: number; head: SignedTreeHead | null }> {
    const ring = await keys.load();
    // Awaited before the transaction opens: on the embedded engine a query waits for an open transaction.
    const given = prefetched === undefined ? undefined : await prefetched.rows;
    const startedAt = performance.now();
    let dbNow = 0;
    let occurred: string[] = [];
    try {
      const result = await systemDb.transaction(async (tx) => {
        const fence = (await tx.query<{ now: string }>(FENCE, [SEALER_LEASE, holder, leaseSeconds])).rows[0];
        if (fence === undefined) throw new LeaseLost();
        dbNow = Date.parse(fence.now);
        const { state, key } = await stateAt(tx, tenantId);
        const isGivenCurrent = given !== undefined && prefetched!.after.id === key.id && prefetched!.after.xact === key.xact;
        const rows = isGivenCurrent ? given : (await tx.query<UnsealedRow>(UNSEALED, [tenantId, batchSize, key.xact, key.occurred_at, key.id])).rows;
        if (rows.length === 0) return { sealed: 0, head: null, state };
        if (rows.length === batchSize) onFullBatch(keyOfRow(rows[rows.length - 1]!));
        // Each chunk is hashed while PostgreSQL writes the one before it (one statement in flight).
        const firstSeq = state.tree.size + 1;
        let chain = state.chain;
        let writing: Promise<unknown> = Promise.resolve();
        for (let at = 0; at < rows.length; at += SEAL_CHUNK) {
          const to = Math.min(rows.length, at + SEAL_CHUNK);
          const seals = sealRows(rows, at, to, firstSeq + at, chain);
          state.tree.appendLeaves(seals.leaves, STORED_NODE_LEVEL);
          chain = seals.chain;
          await writing;
          writing = tx.query(INSERT_SEALS, [tenantId, firstSeq + at, seals.ids, seals.leaves, seals.chains]).then((r) => {
            if (r.rowCount !== to - at) throw new Error('the seals of a batch were not all written');
          });
          writing.catch(() => {}); // awaited above or below
        }
        await writing;
        occurred = rows.map((r) => r.occurred_at);
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

  async function pass(): Promise<SealPassResult> {
    const result: SealPassResult = { isLeader: false, sealed: 0, heads: 0, unpublished: 0 };
    const passBound = await acquireLease();
    if (passBound === null) return result;
    result.isLeader = true;
    result.unpublished = await heads.publishPending();
    const startedAt = performance.now();
    const deadline = startedAt + maxPassMs;
    const waitUntil = startedAt + Math.min(maxPassMs, holdBackWaitMs);
    let pollMs = HOLD_BACK_FIRST_POLL_MS;
    // Each head is published after its commit, in order, while the next batch seals; all before the pass ends.
    let publishing: Promise<void> = Promise.resolve();
    try {
      for (let round = 0; !isStopping && performance.now() < deadline; round += 1) {
        let hasBacklog = false;
        let sealedInRound = 0;
        const tenants = (await systemDb.query<{ tenant_id: string; is_sealable: boolean; is_owed: boolean }>(TENANTS_TO_SEAL, [passBound])).rows;
        // After the first round, go on only for events committed by transactions that began before the pass.
        const isOwed = tenants.some((t) => t.is_owed);
        if (round > 0 && !isOwed) break;
        for (const { tenant_id: tenantId, is_sealable: isSealable } of tenants) {
          // Committed events wait behind a transaction still open (seal-order.ts).
          if (!isSealable) continue;
          // A full batch: the next one's rows are read while this one commits.
          let next: Prefetched | undefined;
          for (;;) {
            let started: Prefetched | undefined;
            const batch = await sealBatch(tenantId, next, (last) => {
              if (!isStopping && performance.now() < deadline) started = prefetch(tenantId, last);
            });
            next = started;
            result.sealed += batch.sealed;
            sealedInRound += batch.sealed;
            if (batch.sealed === batchSize && next === undefined) hasBacklog = true;
            const head = batch.head;
            if (head !== null) {
              result.heads += 1;
              publishing = publishing.then(async () => {
                if (!(await heads.publish([head]))) result.unpublished += 1;
              });
              publishing.catch(() => {}); // a failure is thrown when the pass awaits it, below
            }
            if (next === undefined) break;
          }
        }
        if (hasBacklog || sealedInRound > 0) continue;
        // Owed events held back by a transaction still open: poll (backing off) while the wait allows,
        // then leave them to the next pass.
        if (!isOwed || performance.now() + pollMs > waitUntil) break;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        pollMs = Math.min(pollMs * 2, HOLD_BACK_MAX_POLL_MS);
      }
    } catch (e) {
      if (!(e instanceof LeaseLost)) {
        await publishing.catch(() => {});
        throw e;
      }
      wasLeader = false;
      result.isLeader = false;
    }
    await publishing;
    if (result.isLeader && options.afterPass !== undefined) {
      await options.afterPass().catch((e: unknown) => options.logger?.warn({ err: { message: (e as Error).message } }, 'audit: the work after a sealing pass failed; will retry'));
    }
    return result;
  }

  async function passAndReport(): Promise<SealPassResult> {
    const result = await pass();
    if (options.publication !== undefined) {
      options.publication.observe(await heads.oldestUnpublished());
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
