/**
 * The audit trail's SQL (R-AUDIT-3): sealed events read back in seq order (an event joined to its
 * seal in `audit_seals`, 0085), signed heads, and the Merkle tree's LevelStore over `audit_tree_nodes`
 * (level 0 is `audit_seals.leaf_hash`; levels 1–3 are hashed from the leaves). Every
 * function takes the transaction it runs in: the sealer's and `ward audit verify`'s (the owner connection), or a
 * scoped one (RLS limits it to its tenant).
 *
 * `occurred_at` is read as text formatted in SQL, in UTC, whatever the session's TimeZone and
 * DateStyle: the sealer and every verifier hash the same bytes (docs/audit.md, Leaves).
 */
import type { Tx } from '../../db/types.ts';
import { sealableFromRow, type AuditEventRow, type SealedEvent } from './event.ts';
import { hashChildren } from './hashes.ts';
import type { NodeRef } from './merkle.ts';
import type { LevelStore, StoredNode } from './tree.ts';
import type { SignedTreeHead } from './tree-head.ts';

export type Queryable = Pick<Tx, 'query'>;

/** The event columns of `audit_events e` (seq aside: it is the seal's), as the leaf is computed from them. */
export const EVENT_COLUMNS_SQL = `e.id, e.tenant_id,
  to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
  e.actor_kind, e.actor_id, e.on_behalf_of, e.session_id, e.device_id, e.source_ip, e.action, e.target_type, e.target_id, e.phi_scope,
  e.decision, e.policy_ids, e.reasons, e.purpose, e.justification_enc, e.outcome, e.metadata`;

// A page: the seals of the seqs in ($2, $3], every row of each (a duplicated seq, which only tampering
// makes, is read whole, for the verifier to name), in (seq, event id) order. A bounded seq range keeps
// the plan an index range scan of the seals whatever the statistics say: a keyset with LIMIT was
// planned, on seals not yet analysed, as a sort of the tenant's whole remaining log on every page.
const SEALED_RANGE = `SELECT ${EVENT_COLUMNS_SQL}, s.seq, s.leaf_hash, s.chain_hash FROM audit_seals s JOIN audit_events e ON e.id = s.event_id
  WHERE s.tenant_id = $1 AND s.seq > $2 AND s.seq <= $3
  ORDER BY s.seq, s.event_id`;
// After a short page (the end, or a gap, which only tampering makes): the next seq, if any.
const NEXT_SEQ = 'SELECT min(seq) AS seq FROM audit_seals WHERE tenant_id = $1 AND seq > $2';

const HEADS = `SELECT tenant_id, tree_size, root_hash, signed_at, key_id, signature FROM audit_tree_heads
  WHERE tenant_id = $1 ORDER BY tree_size`;

const INSERT_HEAD = `INSERT INTO audit_tree_heads (tenant_id, tree_size, root_hash, signed_at, key_id, signature)
  VALUES ($1, $2, $3, $4, $5, $6)`;

const LEAVES = `SELECT seq, leaf_hash FROM audit_seals WHERE tenant_id = $1 AND seq = ANY ($2::bigint[])`;
const NODES = `SELECT level, node_index, hash FROM audit_tree_nodes
  WHERE tenant_id = $1 AND (level, node_index) IN (SELECT l, i FROM unnest($2::smallint[], $3::bigint[]) AS u (l, i))`;
const INSERT_NODES = `INSERT INTO audit_tree_nodes (tenant_id, level, node_index, hash)
  SELECT $1, l, i, decode(h, 'hex') FROM unnest($2::smallint[], $3::bigint[], $4::text[]) AS u (l, i, h)
  ON CONFLICT DO NOTHING`;

const TENANT_BY_SLUG = 'SELECT id, slug FROM tenants WHERE slug = $1';
const TENANTS = 'SELECT id, slug FROM tenants ORDER BY slug';

export interface SealedRow extends AuditEventRow {
  leaf_hash: Uint8Array | null;
  chain_hash: Uint8Array | null;
}

function asBuffer(bytes: Uint8Array | null): Buffer {
  if (bytes === null) return Buffer.alloc(0); // a sealed row without hashes fails the verifier's check
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Maps a sealed row (seq as stored); a row whose fields cannot be mapped throws TypeError. */
export function sealedFromRow(row: SealedRow): SealedEvent {
  const event = sealableFromRow(row) as SealedEvent;
  event.leafHash = asBuffer(row.leaf_hash);
  event.chainHash = asBuffer(row.chain_hash);
  return event;
}

/**
 * A tenant's sealed events in seq order, a page at a time (an array per page: no await per event);
 * the next page is read while the caller works on the current one. Rows that cannot be mapped (a
 * tampered type) are passed on with seq intact and empty hashes, so that the verifier names them.
 */
export async function* sealedPages(
  q: Queryable,
  tenantId: string,
  opts: { pageSize?: number; fromSeq?: number } = {},
): AsyncGenerator<SealedEvent[]> {
  const pageSize = opts.pageSize ?? 10_000;
  const page = (after: number) => q.query<SealedRow>(SEALED_RANGE, [tenantId, after, after + pageSize]).then((r) => r.rows);
  let after = (opts.fromSeq ?? 1) - 1;
  let next = page(after);
  for (;;) {
    const rows = await next;
    const end = after + pageSize;
    // A full page is read ahead; after a short one (the end, or a gap, which only tampering makes), the next seq is looked up.
    const isFull = rows.length >= pageSize;
    if (isFull) {
      next = page(end);
      next.catch(() => {}); // a failure is seen when the page is awaited
    }
    if (rows.length > 0) yield rows.map(eventOfRow);
    after = end;
    if (isFull) continue;
    const found = (await q.query<{ seq: string | number | null }>(NEXT_SEQ, [tenantId, end])).rows[0]?.seq ?? null;
    if (found === null) return;
    after = Number(found) - 1;
    next = page(after);
  }
}

function eventOfRow(row: SealedRow): SealedEvent {
  try {
    return sealedFromRow(row);
  } catch {
    // Not mappable: the verifier finds it cannot canonicalise it and reports LEAF_MISMATCH here.
    return { tenantId: row.tenant_id, seq: Number(row.seq), leafHash: Buffer.alloc(0), chainHash: Buffer.alloc(0) } as unknown as SealedEvent;
  }
}

/** `sealedPages`, an event at a time. */
export async function* sealedEvents(q: Queryable, tenantId: string, opts: { pageSize?: number; fromSeq?: number } = {}): AsyncGenerator<SealedEvent> {
  for await (const page of sealedPages(q, tenantId, opts)) yield* page;
}

interface HeadRow {
  tenant_id: string;
  tree_size: string | number;
  root_hash: string;
  signed_at: string;
  key_id: string;
  signature: string;
}

export async function readHeads(q: Queryable, tenantId: string): Promise<SignedTreeHead[]> {
  const { rows } = await q.query<HeadRow>(HEADS, [tenantId]);
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    treeSize: Number(r.tree_size),
    rootHash: r.root_hash,
    timestamp: r.signed_at,
    keyId: r.key_id,
    signature: r.signature,
  }));
}

export async function insertHead(q: Queryable, head: SignedTreeHead): Promise<void> {
  await q.query(INSERT_HEAD, [head.tenantId, head.treeSize, head.rootHash, head.timestamp, head.keyId, head.signature]);
}

/**
 * The lowest level of `audit_tree_nodes` written (docs/audit.md "Tree and level store"): level 0 is
 * `audit_seals.leaf_hash`, and a node of levels 1–3 is hashed on read from its 2–8 leaves, so the
 * sealer writes one node row per 16 events instead of one per event. Rows of levels 1–3 written by
 * earlier versions were deleted by 0108, whose check refuses them since.
 */
export const STORED_NODE_LEVEL = 4;

/** The stored inner nodes (level ≥ STORED_NODE_LEVEL) in one statement. */
export async function insertNodes(q: Queryable, tenantId: string, nodes: readonly StoredNode[]): Promise<void> {
  const inner = nodes.filter((n) => n.level >= STORED_NODE_LEVEL);
  if (inner.length === 0) return;
  await q.query(INSERT_NODES, [
    tenantId,
    inner.map((n) => n.level),
    inner.map((n) => n.index),
    inner.map((n) => Buffer.from(n.hash).toString('hex')),
  ]);
}

/** The root of a perfect subtree from its leaves, in order (a power of two of them). */
function perfectSubtreeHash(leaves: readonly Uint8Array[]): Uint8Array {
  let level = leaves;
  while (level.length > 1) {
    const up: Uint8Array[] = new Array(level.length / 2);
    for (let i = 0; i < up.length; i += 1) up[i] = hashChildren(level[2 * i]!, level[2 * i + 1]!);
    level = up;
  }
  return level[0]!;
}

/**
 * The tenant's tree nodes as a LevelStore: reads in at most two statements (leaves, stored nodes);
 * nodes below STORED_NODE_LEVEL are hashed from their leaves (at most 2 + 4 + 8 leaves a proof).
 * Writes go through `insertNodes` in the sealer's own transaction, never through `putNodes`.
 */
export function createDbLevelStore(q: Queryable, tenantId: string): LevelStore {
  return {
    putNodes() {
      throw new Error('the database level store is written by the sealer (insertNodes)');
    },
    async getNodes(refs: readonly NodeRef[]) {
      const key = (level: number, index: number) => `${level}/${index}`;
      const found = new Map<string, Uint8Array>();
      const seqs = new Set<number>();
      for (const r of refs) {
        if (r.level >= STORED_NODE_LEVEL) continue;
        const width = 2 ** r.level;
        for (let leaf = r.index * width; leaf < (r.index + 1) * width; leaf += 1) seqs.add(leaf + 1);
      }
      const inner = refs.filter((r) => r.level >= STORED_NODE_LEVEL);
      if (seqs.size > 0) {
        const { rows } = await q.query<{ seq: string | number; leaf_hash: Uint8Array }>(LEAVES, [tenantId, [...seqs]]);
        for (const row of rows) found.set(key(0, Number(row.seq) - 1), row.leaf_hash);
      }
      if (inner.length > 0) {
        const { rows } = await q.query<{ level: number; node_index: string | number; hash: Uint8Array }>(NODES, [
          tenantId,
          inner.map((r) => r.level),
          inner.map((r) => r.index),
        ]);
        for (const row of rows) found.set(key(row.level, Number(row.node_index)), row.hash);
      }
      const missing = (r: NodeRef) => new RangeError(`tree node ${r.level}/${r.index} is not stored`);
      return refs.map((r) => {
        if (r.level === 0 || r.level >= STORED_NODE_LEVEL) {
          const hash = found.get(key(r.level, r.index));
          if (hash === undefined) throw missing(r);
          return hash;
        }
        const width = 2 ** r.level;
        const leaves = Array.from({ length: width }, (_, i) => found.get(key(0, r.index * width + i)));
        if (leaves.some((leaf) => leaf === undefined)) throw missing(r);
        return perfectSubtreeHash(leaves as Uint8Array[]);
      });
    },
  };
}

export interface TenantRef {
  id: string;
  slug: string;
}

export async function tenantBySlug(q: Queryable, slug: string): Promise<TenantRef | null> {
  return (await q.query<TenantRef>(TENANT_BY_SLUG, [slug])).rows[0] ?? null;
}

export async function allTenants(q: Queryable): Promise<TenantRef[]> {
  return (await q.query<TenantRef>(TENANTS)).rows;
}
