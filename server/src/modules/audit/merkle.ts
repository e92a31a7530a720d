/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree algorithms, pure and storage-free (R-AUDIT-3).
 *
 * Proofs are produced in two steps so that a store can answer in one round trip: a *plan* lists the
 * subtree ranges a proof is made of, in the RFC's order, and the perfect subtrees (NodeRef) whose
 * stored hashes compose them; `assemble` folds the fetched hashes into the proof. Every range the
 * RFC's recursions produce starts at a multiple of a power of two at least as large as the range,
 * so its MTH is the right fold of its perfect-subtree decomposition (RFC 9162 §2.1.1: the left
 * child is always the largest power of two strictly smaller than the size).
 */
import { EMPTY_TREE_ROOT, hashChildren } from './hashes.ts';

/** The perfect subtree of 2^level leaves starting at leaf `index * 2^level`. */
export interface NodeRef {
  readonly level: number;
  readonly index: number;
}

export interface ProofPlan {
  /** The ranges [start, end) whose MTH are the proof's elements, in the RFC's order. */
  readonly ranges: ReadonlyArray<readonly [number, number]>;
  /** The perfect subtrees to fetch, range after range, left to right within a range. */
  readonly refs: readonly NodeRef[];
  /** How many refs each range uses. */
  readonly counts: readonly number[];
}

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative safe integer`);
}

/** RFC 9162 §2.1.1: "k is the largest power of two smaller than n (i.e., k < n <= 2k)", for n > 1. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The aligned perfect subtrees that make up leaves [start, end), largest first (left to right). */
export function subtreeRefs(start: number, end: number): NodeRef[] {
  const refs: NodeRef[] = [];
  let at = start;
  while (at < end) {
    let level = 0;
    let width = 1;
    while (at % (width * 2) === 0 && at + width * 2 <= end) {
      width *= 2;
      level += 1;
    }
    refs.push({ level, index: at / width });
    at += width;
  }
  return refs;
}

function planOf(ranges: Array<readonly [number, number]>): ProofPlan {
  const refs: NodeRef[] = [];
  const counts: number[] = [];
  for (const [start, end] of ranges) {
    const own = subtreeRefs(start, end);
    refs.push(...own);
    counts.push(own.length);
  }
  return { ranges, refs, counts };
}

/** MTH of one range from the hashes of its perfect subtrees (left to right): a right fold. */
export function foldSubtrees(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) return EMPTY_TREE_ROOT;
  let acc: Buffer = Buffer.from(hashes[hashes.length - 1]!);
  for (let i = hashes.length - 2; i >= 0; i -= 1) acc = hashChildren(hashes[i]!, acc);
  return acc;
}

/** Turns the hashes fetched for `plan.refs` (same order) into the proof's hashes. */
export function assemble(plan: ProofPlan, hashes: readonly Uint8Array[]): Buffer[] {
  if (hashes.length !== plan.refs.length) throw new RangeError('one hash per planned node is needed');
  const out: Buffer[] = [];
  let at = 0;
  for (const count of plan.counts) {
    out.push(foldSubtrees(hashes.slice(at, at + count)));
    at += count;
  }
  return out;
}

/** The plan for MTH(D[0:size]). */
export function rootPlan(size: number): ProofPlan {
  assertSize('size', size);
  return planOf(size === 0 ? [] : [[0, size]]);
}

/**
 * RFC 9162 §2.1.3.1: PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) for m < k, and
 * PATH(m - k, D[k:n]) : MTH(D[0:k]) for m >= k. Walked top-down, so the siblings are reversed.
 */
export function inclusionPlan(leafIndex: number, treeSize: number): ProofPlan {
  assertSize('leafIndex', leafIndex);
  assertSize('treeSize', treeSize);
  if (leafIndex >= treeSize) throw new RangeError('leafIndex must be smaller than treeSize');
  const siblings: Array<readonly [number, number]> = [];
  let lo = 0;
  let hi = treeSize;
  while (hi - lo > 1) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (leafIndex < lo + k) {
      siblings.push([lo + k, hi]);
      hi = lo + k;
    } else {
      siblings.push([lo, lo + k]);
      lo += k;
    }
  }
  return planOf(siblings.reverse());
}

/**
 * RFC 9162 §2.1.4.1: PROOF(m, D[n]) = SUBPROOF(m, D[n], true), with
 * SUBPROOF(m, D[m], true) = {}, SUBPROOF(m, D[m], false) = {MTH(D[m])}, and for m < n
 * SUBPROOF(m, D[0:k], b) : MTH(D[k:n]) when m <= k, else SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]).
 * Defined for 0 < first <= second; first = second gives the empty proof.
 */
export function consistencyPlan(first: number, second: number): ProofPlan {
  assertSize('first', first);
  assertSize('second', second);
  if (first === 0 || first > second) throw new RangeError('consistency proofs need 0 < first <= second');
  const parts: Array<readonly [number, number]> = [];
  let lo = 0;
  let hi = second;
  let m = first;
  let isOriginal = true;
  while (m !== hi - lo) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (m <= k) {
      parts.push([lo + k, hi]);
      hi = lo + k;
    } else {
      parts.push([lo, lo + k]);
      lo += k;
      m -= k;
      isOriginal = false;
    }
  }
  if (!isOriginal) parts.push([lo, hi]);
  return planOf(parts.reverse());
}

function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

/** RFC 9162 §2.1.3.2, step by step. */
export function verifyInclusion(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  rootHash: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0) return false;
  // 1. If leaf_index >= tree_size, then fail the proof verification.
  if (leafIndex >= treeSize) return false;
  // 2. Set fn to leaf_index and sn to tree_size - 1.
  let fn = leafIndex;
  let sn = treeSize - 1;
  // 3. Set r to hash.
  let r: Buffer = Buffer.from(leafHash);
  // 4. For each value p in the inclusion_path array:
  for (const p of proof) {
    // a. If sn is 0, then stop the iteration and fail the proof verification.
    if (sn === 0) return false;
    // b. If LSB(fn) is set, or if fn is equal to sn, then:
    if (isOdd(fn) || fn === sn) {
      // i. Set r to HASH(0x01 || p || r).
      r = hashChildren(p, r);
      // ii. If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn) is set or fn is 0.
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      // Otherwise: i. Set r to HASH(0x01 || r || p).
      r = hashChildren(r, p);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn = half(fn);
    sn = half(sn);
  }
  // 5. If sn is equal to 0 and r and the root_hash are equal, the log has proven the inclusion.
  return sn === 0 && r.equals(rootHash);
}

/**
 * RFC 9162 §2.1.4.2, step by step, for 0 < first < second. Outside the RFC's case: first = second is
 * consistent exactly when the proof is empty and the hashes are equal; first = 0 (the empty tree) is
 * consistent with anything when the proof is empty.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstHash: Uint8Array,
  secondHash: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (first === 0) return proof.length === 0 && Buffer.from(firstHash).equals(EMPTY_TREE_ROOT);
  if (first === second) return proof.length === 0 && Buffer.from(firstHash).equals(secondHash);
  // 1. If consistency_path is an empty array, stop and fail the proof verification.
  if (proof.length === 0) return false;
  // 2. If first is an exact power of 2, then prepend first_hash to the consistency_path array.
  const path = isPowerOfTwo(first) ? [firstHash, ...proof] : [...proof];
  // 3. Set fn to first - 1 and sn to second - 1.
  let fn = first - 1;
  let sn = second - 1;
  // 4. If LSB(fn) is set, then right-shift both fn and sn equally until LSB(fn) is not set.
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5. Set both fr and sr to the first value in the consistency_path array.
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  // 6. For each subsequent value c in the consistency_path array:
  for (let i = 1; i < path.length; i += 1) {
    const c = path[i]!;
    // a. If sn is 0, then stop the iteration and fail the proof verification.
    if (sn === 0) return false;
    // b. If LSB(fn) is set, or if fn is equal to sn, then:
    if (isOdd(fn) || fn === sn) {
      // i. Set fr to HASH(0x01 || c || fr).  ii. Set sr to HASH(0x01 || c || sr).
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      // iii. If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn) is set or fn is 0.
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      // Otherwise: i. Set sr to HASH(0x01 || sr || c).
      sr = hashChildren(sr, c);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn = half(fn);
    sn = half(sn);
  }
  // 7. Verify that fr equals first_hash, sr equals second_hash, and sn is 0.
  return sn === 0 && fr.equals(firstHash) && sr.equals(secondHash);
}

function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}
