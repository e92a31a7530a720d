/**
 * R-AUDIT-3: the inclusion proof of one sealed event in the tenant's newest signed tree head, so an
 * auditor's browser checks it without trusting Ward's server: the RFC 9162 §2.1.3 audit path from
 * the event's leaf hash to the head's root, and the head's Ed25519 signature against the published
 * keys (/.well-known/ward-audit-keys).
 */
import { toBase64Url } from './hashes.ts';
import { assemble, inclusionPlan } from './merkle.ts';
import { createDbLevelStore, readHeads, type Queryable } from './repo.ts';
import type { SignedTreeHead } from './tree-head.ts';

export interface InclusionProof {
  seq: number;
  leafHash: string;
  leafIndex: number;
  proof: string[];
  head: SignedTreeHead;
}

/** null when the event is not (yet) covered by a signed head, or is not the caller's to see. */
export async function inclusionProofOf(q: Queryable, tenantId: string, seq: number): Promise<InclusionProof | null> {
  const heads = await readHeads(q, tenantId);
  const head = heads.at(-1);
  if (!head || head.treeSize < seq) return null;
  const leafIndex = seq - 1;
  const store = createDbLevelStore(q, tenantId);
  let leaf: Uint8Array;
  try {
    [leaf] = (await store.getNodes([{ level: 0, index: leafIndex }])) as [Uint8Array];
  } catch {
    return null; // not stored: hidden by row-level security, or not sealed
  }
  const plan = inclusionPlan(leafIndex, head.treeSize);
  const proof = assemble(plan, plan.refs.length === 0 ? [] : await store.getNodes(plan.refs));
  return { seq, leafHash: toBase64Url(leaf), leafIndex, proof: proof.map((h) => toBase64Url(h)), head };
}
