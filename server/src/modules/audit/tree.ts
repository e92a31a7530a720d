/**
 * An append-only RFC 9162 Merkle tree for one tenant's audit log (R-AUDIT-3).
 *
 * In memory it keeps only the frontier: the hashes of the perfect subtrees that make up the current
 * size (one per set bit), so an append costs one leaf plus amortised one node hash and the current
 * root costs O(log n) hashes. Every perfect subtree that becomes complete is queued for a LevelStore;
 * proofs and past roots are assembled from the stored hashes (merkle.ts plans, one store read each).
 */
import { EMPTY_TREE_ROOT, foldPerfect, HASH_BYTES, hashChildren } from './hashes.ts';
import {
  assemble,
  consistencyPlan,
  foldSubtrees,
  inclusionPlan,
  rootPlan,
  subtreeRefs,
  type NodeRef,
  type ProofPlan,
} from './merkle.ts';

export interface StoredNode extends NodeRef {
  readonly hash: Uint8Array;
}

/**
 * Where the hashes of complete perfect subtrees live. A node, once written, never changes, so a store
 * may ignore a duplicate write of the same hash. Level 0 holds the leaf hashes: a database store may
 * serve it from the seals' `leaf_hash` column (audit_seals) instead of a second copy.
 */
export interface LevelStore {
  putNodes(nodes: readonly StoredNode[]): void | Promise<void>;
  /** The hashes for `refs`, same order; fails if one is missing. */
  getNodes(refs: readonly NodeRef[]): readonly Uint8Array[] | Promise<readonly Uint8Array[]>;
}

/** A LevelStore in memory: one contiguous buffer per level (32 bytes a node), grown by doubling. */
export class MemoryLevelStore implements LevelStore {
  readonly #levels: Buffer[] = [];
  readonly #counts: number[] = [];

  putNodes(nodes: readonly StoredNode[]): void {
    for (const node of nodes) this.put(node.level, node.index, node.hash);
  }

  /** One node; nodes of a level must arrive in index order (as a tree appends them). */
  put(level: number, index: number, hash: Uint8Array): void {
    const count = this.#counts[level] ?? 0;
    if (index < count) return;
    if (index !== count) throw new RangeError(`node ${level}/${index} written out of order`);
    let buffer = this.#levels[level];
    if (buffer === undefined || buffer.length < (count + 1) * HASH_BYTES) {
      const grown = Buffer.alloc(Math.max(1024, (count + 1) * 2) * HASH_BYTES);
      if (buffer !== undefined) buffer.copy(grown, 0, 0, count * HASH_BYTES);
      buffer = grown;
      this.#levels[level] = buffer;
    }
    buffer.set(hash, count * HASH_BYTES);
    this.#counts[level] = count + 1;
  }

  getNodes(refs: readonly NodeRef[]): Buffer[] {
    return refs.map(({ level, index }) => {
      const buffer = this.#levels[level];
      if (buffer === undefined || index >= (this.#counts[level] ?? 0)) {
        throw new RangeError(`node ${level}/${index} is not stored`);
      }
      return buffer.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
    });
  }
}

/**
 * The frontier alone: what the verifier needs (no store, no proofs). `append` optionally reports
 * every node that becomes complete, leaf included.
 */
export class MerkleFrontier {
  #size = 0;
  /** frontier[level] is set exactly when bit `level` of size is set. */
  readonly #frontier: Array<Buffer | undefined> = [];

  get size(): number {
    return this.#size;
  }

  /** Restores a frontier from the perfect-subtree hashes of [0, size), as `subtreeRefs(0, size)` lists them. */
  static restore(size: number, hashes: readonly Uint8Array[]): MerkleFrontier {
    const refs = subtreeRefs(0, size);
    if (refs.length !== hashes.length) throw new RangeError('one hash per frontier subtree is needed');
    const frontier = new MerkleFrontier();
    refs.forEach((ref, i) => {
      frontier.#frontier[ref.level] = Buffer.from(hashes[i]!);
    });
    frontier.#size = size;
    return frontier;
  }

  append(leafHash: Uint8Array, onNode?: (level: number, index: number, hash: Buffer) => void): void {
    this.appendSubtree(0, leafHash, onNode);
  }

  /**
   * Appends the perfect subtree of 2^level leaves whose hash is given; the size must be a multiple of
   * its width (it starts where the tree ends). The verifier appends subtrees folded on worker threads.
   */
  appendSubtree(level: number, subtreeHash: Uint8Array, onNode?: (level: number, index: number, hash: Buffer) => void): void {
    const width = 2 ** level;
    if (!Number.isInteger(level) || level < 0 || this.#size % width !== 0) throw new RangeError(`a subtree of level ${level} cannot start at size ${this.#size}`);
    let hash: Buffer = Buffer.isBuffer(subtreeHash) ? subtreeHash : Buffer.from(subtreeHash);
    let index = this.#size / width;
    onNode?.(level, index, hash);
    while (index % 2 === 1) {
      hash = hashChildren(this.#frontier[level]!, hash);
      this.#frontier[level] = undefined;
      index = (index - 1) / 2;
      level += 1;
      onNode?.(level, index, hash);
    }
    this.#frontier[level] = hash;
    this.#size += width;
  }

  /** MTH of the current size: the right fold of the frontier, smallest subtree first. */
  root(): Buffer {
    let root: Buffer | undefined;
    for (const subtree of this.#frontier) {
      if (subtree === undefined) continue;
      root = root === undefined ? subtree : hashChildren(subtree, root);
    }
    return root ?? EMPTY_TREE_ROOT;
  }

  /** The frontier's hashes, largest subtree first (the order of `subtreeRefs(0, size)`). */
  hashes(): Buffer[] {
    const out: Buffer[] = [];
    for (let level = this.#frontier.length - 1; level >= 0; level -= 1) {
      const subtree = this.#frontier[level];
      if (subtree !== undefined) out.push(subtree);
    }
    return out;
  }
}

/** A frontier backed by a LevelStore: appends, roots at any past size, and proofs. */
export class MerkleTree {
  readonly #store: LevelStore;
  readonly #frontier: MerkleFrontier;
  #pending: StoredNode[] = [];

  private constructor(store: LevelStore, frontier: MerkleFrontier) {
    this.#store = store;
    this.#frontier = frontier;
  }

  static create(store: LevelStore): MerkleTree {
    return new MerkleTree(store, new MerkleFrontier());
  }

  /** Reopens a tree of `size` leaves whose nodes are all in the store (one read for the frontier). */
  static async open(store: LevelStore, size: number): Promise<MerkleTree> {
    const hashes = await store.getNodes(subtreeRefs(0, size));
    return new MerkleTree(store, MerkleFrontier.restore(size, hashes));
  }

  get size(): number {
    return this.#frontier.size;
  }

  /** Appends a leaf hash; the completed nodes wait for `flush`. */
  append(leafHash: Uint8Array): void {
    this.#frontier.append(leafHash, (level, index, hash) => {
      this.#pending.push({ level, index, hash });
    });
  }

  /**
   * Appends the leaf hashes in `leaves` (32 bytes each) as `append` would one by one, but folds each
   * aligned perfect run in a scratch copy (one node hash a leaf, no `Buffer` per digest), and queues
   * only the nodes of `fromLevel` up (for a store that hashes the levels below from the leaves).
   */
  appendLeaves(leaves: Uint8Array, fromLevel = 0): void {
    const first = this.size;
    const scratch = Buffer.from(leaves);
    const queue = (level: number, index: number, hash: Uint8Array) => {
      if (level >= fromLevel) this.#pending.push({ level, index, hash: Buffer.from(hash) });
    };
    for (const ref of subtreeRefs(first, first + scratch.length / HASH_BYTES)) {
      const width = 2 ** ref.level;
      const at = ref.index * width - first;
      // A run of one leaf is its own subtree: appendSubtree queues it.
      if (fromLevel === 0 && width > 1) for (let i = 0; i < width; i += 1) queue(0, ref.index * width + i, scratch.subarray((at + i) * HASH_BYTES, (at + i + 1) * HASH_BYTES));
      const root = foldPerfect(scratch, at, width, (level, offset, bytes) => queue(level, ref.index * 2 ** (ref.level - level) + offset, bytes));
      this.#frontier.appendSubtree(ref.level, Buffer.from(root), queue);
    }
  }

  /** The completed nodes not yet written, e.g. for a sealer to insert in its own transaction. */
  takePending(): StoredNode[] {
    const pending = this.#pending;
    this.#pending = [];
    return pending;
  }

  async flush(): Promise<void> {
    const pending = this.takePending();
    if (pending.length > 0) await this.#store.putNodes(pending);
  }

  /** MTH of the current size from the frontier, no store read. */
  root(): Buffer {
    return this.#frontier.root();
  }

  async rootAt(size: number): Promise<Buffer> {
    this.#assertWithin(size);
    if (size === this.size) return this.root();
    return foldSubtrees(await this.#read(rootPlan(size)));
  }

  /** RFC 9162 §2.1.3 inclusion proof of leaf `leafIndex` (seq - 1) in the tree of `treeSize`. */
  async inclusionProof(leafIndex: number, treeSize: number): Promise<Buffer[]> {
    this.#assertWithin(treeSize);
    const plan = inclusionPlan(leafIndex, treeSize);
    return assemble(plan, await this.#read(plan));
  }

  /** RFC 9162 §2.1.4 consistency proof between the trees of `first` and `second` leaves. */
  async consistencyProof(first: number, second: number): Promise<Buffer[]> {
    this.#assertWithin(second);
    const plan = consistencyPlan(first, second);
    return assemble(plan, await this.#read(plan));
  }

  async #read(plan: ProofPlan): Promise<readonly Uint8Array[]> {
    await this.flush();
    return plan.refs.length === 0 ? [] : await this.#store.getNodes(plan.refs);
  }

  #assertWithin(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw new RangeError(`size ${size} is outside the tree (size ${this.size})`);
    }
  }
}
