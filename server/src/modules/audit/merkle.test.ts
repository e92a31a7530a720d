// R-AUDIT-3: RFC 9162 Merkle tree hashing and proofs, against the RFC's recursive definitions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { EMPTY_TREE_ROOT, hashChildren, hashLeaf } from './hashes.ts';
import { consistencyPlan, inclusionPlan, largestPowerOfTwoBelow, subtreeRefs, verifyConsistency, verifyInclusion } from './merkle.ts';
import { MemoryLevelStore, MerkleFrontier, MerkleTree } from './tree.ts';

const leaves = Array.from({ length: 64 }, (_, i) => Buffer.from(`leaf ${i}`));
const leafHashes = leaves.map((leaf) => hashLeaf(leaf));

// The RFC 9162 §2.1.1 definitions, written independently of merkle.ts and memoised on the range.
const memo = new Map<string, Buffer>();
function mth(start: number, end: number): Buffer {
  const key = `${start}:${end}`;
  let hit = memo.get(key);
  if (hit !== undefined) return hit;
  const n = end - start;
  if (n === 0) hit = createHash('sha256').digest();
  else if (n === 1) hit = createHash('sha256').update(Buffer.from([0])).update(leaves[start]!).digest();
  else {
    const k = largestPowerOfTwoBelow(n);
    hit = createHash('sha256').update(Buffer.from([1])).update(mth(start, start + k)).update(mth(start + k, end)).digest();
  }
  memo.set(key, hit);
  return hit;
}
function path(m: number, start: number, end: number): Buffer[] {
  const n = end - start;
  if (n === 1) return [];
  const k = largestPowerOfTwoBelow(n);
  return m < k ? [...path(m, start, start + k), mth(start + k, end)] : [...path(m - k, start + k, end), mth(start, start + k)];
}
function subproof(m: number, start: number, end: number, isOriginal: boolean): Buffer[] {
  const n = end - start;
  if (m === n) return isOriginal ? [] : [mth(start, end)];
  const k = largestPowerOfTwoBelow(n);
  return m <= k
    ? [...subproof(m, start, start + k, isOriginal), mth(start + k, end)]
    : [...subproof(m - k, start + k, end, false), mth(start, start + k)];
}

function buildTree(size: number): MerkleTree {
  const tree = MerkleTree.create(new MemoryLevelStore());
  for (let i = 0; i < size; i += 1) tree.append(leafHashes[i]!);
  return tree;
}

describe('RFC 9162 Merkle tree', () => {
  test('hashes a hand-computed three-leaf tree with the leaf and node prefixes', () => {
    const h = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
    const l = leaves.slice(0, 3).map((d) => h(Buffer.from([0]), d));
    const expected = h(Buffer.from([1]), h(Buffer.from([1]), l[0]!, l[1]!), l[2]!);
    assert.deepEqual(buildTree(3).root(), expected);
    assert.deepEqual(hashChildren(l[0]!, l[1]!), h(Buffer.from([1]), l[0]!, l[1]!));
  });

  test('gives the empty tree the hash of the empty string', () => {
    assert.deepEqual(buildTree(0).root(), createHash('sha256').digest());
    assert.deepEqual(EMPTY_TREE_ROOT, createHash('sha256').digest());
  });

  test('produces the audit paths and consistency proofs of the RFC example tree of seven leaves', async () => {
    const tree = buildTree(7);
    const [a, b, c, d, e, f, j] = leafHashes;
    const g = hashChildren(a!, b!);
    const h = hashChildren(c!, d!);
    const i = hashChildren(e!, f!);
    const k = hashChildren(g, h);
    const l = hashChildren(i, j!);
    assert.deepEqual(tree.root(), hashChildren(k, l));
    assert.deepEqual(await tree.inclusionProof(0, 7), [b, h, l]);
    assert.deepEqual(await tree.inclusionProof(3, 7), [c, g, l]);
    assert.deepEqual(await tree.inclusionProof(4, 7), [f, j, k]);
    assert.deepEqual(await tree.inclusionProof(6, 7), [i, k]);
    assert.deepEqual(await tree.consistencyProof(3, 7), [c, d, g, l]);
    assert.deepEqual(await tree.consistencyProof(4, 7), [l]);
    assert.deepEqual(await tree.consistencyProof(6, 7), [i, j, k]);
  });

  test('matches the recursive MTH for every size from 1 to 64, from the frontier and from the store', async () => {
    const tree = MerkleTree.create(new MemoryLevelStore());
    for (let n = 1; n <= 64; n += 1) {
      tree.append(leafHashes[n - 1]!);
      assert.deepEqual(tree.root(), mth(0, n), `size ${n}`);
    }
    for (let n = 0; n <= 64; n += 1) assert.deepEqual(await tree.rootAt(n), mth(0, n), `rootAt ${n}`);
  });

  test('generates and verifies the inclusion proof of every index in every size from 1 to 64', async () => {
    const tree = buildTree(64);
    for (let n = 1; n <= 64; n += 1) {
      const root = mth(0, n);
      for (let m = 0; m < n; m += 1) {
        const proof = await tree.inclusionProof(m, n);
        assert.deepEqual(proof, path(m, 0, n), `PATH(${m}, D[${n}])`);
        assert.equal(verifyInclusion(leafHashes[m]!, m, n, proof, root), true, `verify ${m} in ${n}`);
        // The same proof must not prove another leaf, another index or another root.
        assert.equal(verifyInclusion(leafHashes[(m + 1) % 64]!, m, n, proof, root), false);
        if (n > 1) assert.equal(verifyInclusion(leafHashes[m]!, (m + 1) % n, n, proof, root), false);
        assert.equal(verifyInclusion(leafHashes[m]!, m, n, proof, mth(0, n === 64 ? 63 : n + 1)), false);
      }
    }
  });

  test('generates and verifies the consistency proof of every pair of sizes up to 64', async () => {
    const tree = buildTree(64);
    for (let second = 1; second <= 64; second += 1) {
      for (let first = 1; first <= second; first += 1) {
        const proof = await tree.consistencyProof(first, second);
        assert.deepEqual(proof, subproof(first, 0, second, true), `PROOF(${first}, D[${second}])`);
        assert.equal(verifyConsistency(first, second, mth(0, first), mth(0, second), proof), true, `${first}→${second}`);
        if (first < second) {
          assert.equal(verifyConsistency(first, second, mth(0, first - 1), mth(0, second), proof), false);
          assert.equal(verifyConsistency(first, second, mth(0, first), mth(0, second - 1), proof), false);
          assert.equal(verifyConsistency(first, second, mth(0, first), mth(0, second), proof.slice(1)), false);
        }
      }
    }
  });

  test('rejects malformed proofs and sizes instead of throwing', () => {
    const root = mth(0, 5);
    assert.equal(verifyInclusion(leafHashes[0]!, 5, 5, [], root), false);
    assert.equal(verifyInclusion(leafHashes[0]!, -1, 5, [], root), false);
    assert.equal(verifyInclusion(leafHashes[0]!, 0, 5, [...path(0, 0, 5), root], root), false);
    assert.equal(verifyConsistency(5, 4, mth(0, 5), mth(0, 4), []), false);
    assert.equal(verifyConsistency(3, 5, mth(0, 3), mth(0, 5), []), false);
    assert.equal(verifyConsistency(0, 5, EMPTY_TREE_ROOT, root, []), true);
    assert.throws(() => inclusionPlan(5, 5), RangeError);
    assert.throws(() => consistencyPlan(0, 5), RangeError);
    assert.throws(() => consistencyPlan(6, 5), RangeError);
  });

  test('reopens a tree from its store and keeps appending to the same roots', async () => {
    const store = new MemoryLevelStore();
    const tree = MerkleTree.create(store);
    for (let i = 0; i < 37; i += 1) tree.append(leafHashes[i]!);
    await tree.flush();
    const reopened = await MerkleTree.open(store, 37);
    assert.deepEqual(reopened.root(), mth(0, 37));
    for (let i = 37; i < 64; i += 1) reopened.append(leafHashes[i]!);
    assert.deepEqual(reopened.root(), mth(0, 64));
    assert.deepEqual(await reopened.inclusionProof(36, 64), path(36, 0, 64));
  });

  test('restores a frontier from its hashes', () => {
    const frontier = new MerkleFrontier();
    for (let i = 0; i < 45; i += 1) frontier.append(leafHashes[i]!);
    const restored = MerkleFrontier.restore(45, frontier.hashes());
    restored.append(leafHashes[45]!);
    assert.deepEqual(restored.root(), mth(0, 46));
  });

  test('appends perfect subtrees (as the workers of the offline verifier fold them) to the same roots, and refuses one that is not aligned', () => {
    for (let cut = 0; cut <= 64; cut += 1) {
      for (const end of [cut, Math.min(64, cut + 1), Math.min(64, cut + 13), 64]) {
        const frontier = new MerkleFrontier();
        for (const [from, to] of [[0, cut], [cut, end]] as const) {
          for (const ref of subtreeRefs(from, to)) frontier.appendSubtree(ref.level, mth(ref.index * 2 ** ref.level, (ref.index + 1) * 2 ** ref.level));
          assert.deepEqual(frontier.root(), to === 0 ? EMPTY_TREE_ROOT : mth(0, to), `sizes ${cut}, ${end}`);
        }
      }
    }
    const frontier = new MerkleFrontier();
    frontier.append(leafHashes[0]!);
    assert.throws(() => frontier.appendSubtree(1, mth(1, 3)), RangeError);
    assert.equal(frontier.size, 1);
  });

  test('appends runs of leaves (folded in place, as the sealer does) to the same roots and nodes as one by one, queueing only the levels asked for', () => {
    const key = (n: { level: number; index: number; hash: Uint8Array }) => `${n.level}/${n.index}/${Buffer.from(n.hash).toString('hex')}`;
    for (let first = 0; first <= 40; first += 1) {
      for (const count of [0, 1, 2, 3, 7, 8, 16, 24]) {
        for (const fromLevel of [0, 1, 4]) {
          const one = MerkleTree.create(new MemoryLevelStore());
          const run = MerkleTree.create(new MemoryLevelStore());
          for (let i = 0; i < first; i += 1) one.append(leafHashes[i]!);
          for (let i = 0; i < first; i += 1) run.append(leafHashes[i]!);
          one.takePending();
          run.takePending();
          for (let i = first; i < first + count; i += 1) one.append(leafHashes[i]!);
          run.appendLeaves(Buffer.concat(leafHashes.slice(first, first + count)), fromLevel);
          const label = `first ${first}, count ${count}, from level ${fromLevel}`;
          assert.equal(run.size, first + count, label);
          assert.deepEqual(run.root(), one.root(), label);
          const expected = one.takePending().filter((n) => n.level >= fromLevel).map(key).sort();
          assert.deepEqual(run.takePending().map(key).sort(), expected, label);
        }
      }
    }
  });

  test('refuses a proof for a size the tree has not reached', async () => {
    const tree = buildTree(10);
    await assert.rejects(tree.inclusionProof(0, 11), RangeError);
    await assert.rejects(tree.consistencyProof(3, 11), RangeError);
  });
});
