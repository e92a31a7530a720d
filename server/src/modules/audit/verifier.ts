/**
 * The offline verifier of a tenant's audit trail (R-AUDIT-3; NIST AU-9, AU-10), the heart of
 * `ward audit verify`. Events stream in by ascending seq; every one is re-canonicalised and re-hashed
 * once, and the leaf hash feeds both the chain and the tree. It stops at the FIRST failure, which
 * names the seq (the position in the log where it diverges) and a reason from a fixed list.
 *
 * Memory: the tree's frontier (one hash per level), the heads, and at most one event held back to
 * tell a reordered row from a deleted one.
 */
import { CHAIN_GENESIS, EMPTY_TREE_ROOT, HASH_BYTES, hashFromBase64Url, toBase64Url, writeChain, writeLeafHash } from './hashes.ts';
import { FIRST_SEQ, leafText, type SealedEvent } from './event.ts';
import type { PublicKeyRing } from './keys.ts';
import { MerkleFrontier } from './tree.ts';
import { checkTreeHeadSignature, type SignedTreeHead } from './tree-head.ts';

export const VERIFY_FAILURE_CODES = [
  /** The event's fields do not hash to its stored leaf hash (a field was altered, or the row moved). */
  'LEAF_MISMATCH',
  /** The stored chain hash is not SHA-256(previous chain hash || leaf hash). */
  'CHAIN_BROKEN',
  /** A seq is missing (a deleted row); `seq` is the first missing one. */
  'SEQ_GAP',
  /** A seq arrives out of order or twice (reordered, swapped or duplicated rows). */
  'SEQ_ORDER',
  /** The tree recomputed from the events does not have the root a signed head states. */
  'HEAD_ROOT_MISMATCH',
  /** A head's signature does not verify with the key it names. */
  'HEAD_SIGNATURE_INVALID',
  /** A head names a key that is not among the trusted public keys. */
  'HEAD_UNKNOWN_KEY',
  /** A head signed for another tenant was offered for this one. */
  'HEAD_TENANT_MISMATCH',
  /** The log ends before a signed head's tree size (rows cut from the tail). */
  'TAIL_TRUNCATED',
] as const;
export type VerifyFailureCode = (typeof VERIFY_FAILURE_CODES)[number];

export type VerifyReport =
  | {
      ok: true;
      tenantId: string;
      /** Events verified (the last seq). */
      treeSize: number;
      headsChecked: number;
      /** The largest tree size a signed head covers: events after it are protected by the chain alone. */
      signedSize: number;
      chainHash: string;
    }
  | { ok: false; tenantId: string; code: VerifyFailureCode; seq: number; detail: string };

export interface AuditVerifier {
  /** Feeds the next event; false once verification has failed (further events are ignored). */
  push(event: SealedEvent): boolean;
  /** Ends the stream and gives the result. */
  finish(): VerifyReport;
}

function sameBytes(computed: Buffer, stored: unknown): boolean {
  return stored instanceof Uint8Array && computed.equals(stored);
}

export function createVerifier(options: {
  tenantId: string;
  heads: readonly SignedTreeHead[];
  publicKeys: PublicKeyRing;
}): AuditVerifier {
  const { tenantId, publicKeys } = options;
  const heads = [...options.heads].sort((a, b) => a.treeSize - b.treeSize);
  const signedSize = heads.length === 0 ? 0 : heads[heads.length - 1]!.treeSize;
  const frontier = new MerkleFrontier();
  // The chain so far and the next link, swapped after each event; digests are written into them
  // (writeLeafHash, writeChain: no `Buffer` allocated per hash).
  let chain = Buffer.from(CHAIN_GENESIS);
  let link = Buffer.alloc(HASH_BYTES);
  const leafHash = Buffer.alloc(HASH_BYTES);
  let expected = FIRST_SEQ;
  let nextHead = 0;
  let heldBack: SealedEvent | undefined;
  let failure: VerifyReport | undefined;

  const fail = (code: VerifyFailureCode, seq: number, detail: string): false => {
    failure = { ok: false, tenantId, code, seq, detail };
    return false;
  };

  /** Checks every head whose tree size the stream has now reached. */
  function checkHeads(size: number): boolean {
    while (nextHead < heads.length && heads[nextHead]!.treeSize <= size) {
      const head = heads[nextHead]!;
      nextHead += 1;
      const at = head.treeSize;
      const signature = checkTreeHeadSignature(head, publicKeys);
      if (signature !== 'ok') return fail(signature, at, `head of size ${head.treeSize} signed with key ${String(head.keyId)}`);
      if (head.tenantId !== tenantId) return fail('HEAD_TENANT_MISMATCH', at, `head of size ${head.treeSize} is for another tenant`);
      const root = head.treeSize === 0 ? EMPTY_TREE_ROOT : frontier.root();
      if (!root.equals(hashFromBase64Url(head.rootHash)!)) {
        return fail('HEAD_ROOT_MISMATCH', at, `the recomputed root of size ${head.treeSize} is not the signed one`);
      }
    }
    return true;
  }

  function accept(event: SealedEvent): boolean {
    const seq = expected;
    if (event.tenantId !== tenantId) return fail('LEAF_MISMATCH', seq, 'the event belongs to another tenant');
    try {
      writeLeafHash(leafText(event), leafHash, 0);
    } catch {
      return fail('LEAF_MISMATCH', seq, 'the event fields cannot be canonicalised');
    }
    if (!sameBytes(leafHash, event.leafHash)) return fail('LEAF_MISMATCH', seq, 'the event fields do not hash to the stored leaf hash');
    // The stored leaf hash equals the recomputed one here, so one chain hash checks both the link
    // and the stored chain value; the same leaf hash feeds the tree (no second leaf hash).
    writeChain(chain, leafHash, link, 1);
    if (!sameBytes(link, event.chainHash)) return fail('CHAIN_BROKEN', seq, 'the stored chain hash does not follow from the previous one');
    [chain, link] = [link, chain];
    // Past the last signed head the tree has nothing to be compared with: the chain alone is checked.
    // The frontier keeps the stored leaf hash (equal to the recomputed one; copied unless a Buffer).
    if (seq <= signedSize) frontier.append(event.leafHash);
    expected = seq + 1;
    return checkHeads(seq);
  }

  const malformed = heads.find((head) => !Number.isSafeInteger(head.treeSize) || head.treeSize < 0);
  if (malformed !== undefined) fail('HEAD_SIGNATURE_INVALID', 0, 'a head has no valid tree size');
  else checkHeads(0);

  return {
    push(event) {
      if (failure !== undefined) return false;
      const seq = event.seq;
      if (heldBack !== undefined) {
        // One event was ahead of the expected seq: the expected one arriving now means reordering.
        return seq === expected
          ? fail('SEQ_ORDER', expected, `seq ${heldBack.seq} came before seq ${expected}`)
          : fail('SEQ_GAP', expected, `seq ${expected} is missing (next was ${heldBack.seq})`);
      }
      if (seq === expected) return accept(event);
      if (Number.isSafeInteger(seq) && seq > expected) {
        heldBack = event;
        return true;
      }
      return fail('SEQ_ORDER', expected, `seq ${String(seq)} came where seq ${expected} was expected`);
    },
    finish() {
      if (failure !== undefined) return failure;
      if (heldBack !== undefined) {
        fail('SEQ_GAP', expected, `seq ${expected} is missing (next was ${heldBack.seq})`);
        return failure!;
      }
      const last = expected - 1;
      if (nextHead < heads.length) {
        fail('TAIL_TRUNCATED', expected, `the log ends at seq ${last}, a head is signed for size ${heads[heads.length - 1]!.treeSize}`);
        return failure!;
      }
      return { ok: true, tenantId, treeSize: last, headsChecked: heads.length, signedSize, chainHash: toBase64Url(chain) };
    },
  };
}

/** Verifies a whole stream (sync or async iterable). */
export async function verifyEvents(
  events: Iterable<SealedEvent> | AsyncIterable<SealedEvent>,
  options: Parameters<typeof createVerifier>[0],
): Promise<VerifyReport> {
  const verifier = createVerifier(options);
  if (Symbol.iterator in events) {
    for (const event of events) if (!verifier.push(event)) break;
  } else {
    for await (const event of events) if (!verifier.push(event)) break;
  }
  return verifier.finish();
}
