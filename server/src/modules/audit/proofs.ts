import { toBase64Url } from './hashes.ts';
import { createDbLevelStore, type Queryable } from './repo.ts';
import type { SignedTreeHead } from './tree-head.ts';
import { MerkleTree } from './tree.ts';

/**
 * RFC 9162 inclusion proofs of many sealed events in the tenant's latest signed tree head (R-AUDIT-3,
 * R-MON-2): an investigator shows that each event of an investigation is in the signed log. Unlike
 * `inclusionProofOf` (proof.ts, one event), the head and the leaves are read once for the batch. The
 * head is returned with the proofs, so that the client checks the head's signature with the keys
 * of /.well-known/ward-audit-keys and each proof against its root (`verifyInclusion`).
 */
export interface InclusionPath {
  seq: number;
  /** Leaf index in the tree: seq − 1. */
  leafIndex: number;
  leafHash: string;
  /** The audit path, base64url, in RFC 9162 §2.1.3.1 order. */
  path: string[];
}

const LATEST_HEAD = `SELECT tenant_id, tree_size, root_hash, signed_at, key_id, signature FROM audit_tree_heads
  WHERE tenant_id = $1 ORDER BY tree_size DESC LIMIT 1`;
const LEAVES = 'SELECT seq, leaf_hash FROM audit_seals WHERE tenant_id = $1 AND seq = ANY ($2::bigint[])';

/** Proofs for the seqs the latest head covers (others are left out: sealed after it, or unknown). */
export async function inclusionProofs(q: Queryable, tenantId: string, seqs: readonly number[]): Promise<{ head: SignedTreeHead | null; proofs: InclusionPath[] }> {
  const row = (await q.query<{ tenant_id: string; tree_size: string | number; root_hash: string; signed_at: string; key_id: string; signature: string }>(LATEST_HEAD, [tenantId])).rows[0];
  if (row === undefined) return { head: null, proofs: [] };
  const head: SignedTreeHead = { tenantId: row.tenant_id, treeSize: Number(row.tree_size), rootHash: row.root_hash, timestamp: row.signed_at, keyId: row.key_id, signature: row.signature };
  const wanted = [...new Set(seqs)].filter((s) => Number.isSafeInteger(s) && s >= 1 && s <= head.treeSize).sort((a, b) => a - b);
  if (wanted.length === 0) return { head, proofs: [] };
  const leaves = new Map((await q.query<{ seq: string | number; leaf_hash: Uint8Array }>(LEAVES, [tenantId, wanted])).rows.map((r) => [Number(r.seq), Buffer.from(r.leaf_hash)]));
  const tree = await MerkleTree.open(createDbLevelStore(q, tenantId), head.treeSize);
  const proofs: InclusionPath[] = [];
  for (const seq of wanted) {
    const leaf = leaves.get(seq);
    if (leaf === undefined) continue;
    const path = await tree.inclusionProof(seq - 1, head.treeSize);
    proofs.push({ seq, leafIndex: seq - 1, leafHash: toBase64Url(leaf), path: path.map((p) => toBase64Url(p)) });
  }
  return { head, proofs };
}
