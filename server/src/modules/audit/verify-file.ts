/**
 * The offline verifier over an export bundle file, on worker threads (R-AUDIT-3; `ward audit verify
 * --file`). The bundle format is unchanged (export.ts, version 1) and every leaf is still recomputed
 * from the event's fields: the file is cut into blocks at line ends, and workers parse each block,
 * recompute its leaves, check its chain links and fold its leaves into perfect subtrees, cut at the
 * signed heads' sizes (verify-block.ts). This thread reads the file, checks the header and the heads,
 * links each block's chain to the previous block's, checks the seqs follow on, appends the subtrees
 * to the tree and checks every signed head against it.
 *
 * It decides "ok" alone. On anything else (a block that is not all good, a link, a head, a short
 * tail) it runs the sequential `verifyExport` over the whole file, so that a failure is reported
 * exactly as before: the first failing seq and its code. A small file is verified sequentially
 * (starting workers costs more than they save: ~40 ms of CPU a worker, about what the sequential
 * verifier spends on 2 MiB).
 *
 * The workers run verify-worker.mjs, plain JavaScript built from verify-worker.ts and verify-block.ts
 * (`npm run build:audit-worker`, checked by verify-worker.test.ts), so they load no TypeScript loader.
 * Blocks are read into buffers of their own and transferred to the workers, not copied.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { CHAIN_GENESIS, chainNext, EMPTY_TREE_ROOT, hashFromBase64Url, HASH_BYTES, toBase64Url } from './hashes.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, verifyExport, type ExportReport } from './export.ts';
import type { PublicKeyRing } from './keys.ts';
import { MerkleFrontier } from './tree.ts';
import { checkTreeHeadSignature, type SignedTreeHead } from './tree-head.ts';
import type { BlockResult } from './verify-block.ts';

export interface VerifyFileOptions {
  /** Worker threads; default: the machine's parallelism, at least 1, at most 8. 0 verifies in this thread. */
  workers?: number;
  /** Bytes per block sent to a worker (cut at a line end). */
  blockBytes?: number;
  /** Files smaller than this are verified sequentially. */
  minParallelBytes?: number;
}

export type VerifyFileReport = ExportReport & { mode: 'parallel' | 'sequential' };

function sequential(path: string, publicKeys: PublicKeyRing): Promise<ExportReport> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  return verifyExport(lines, publicKeys).finally(() => lines.close());
}

const NEWLINE = 0x0a;

interface Prelude {
  tenantId: string;
  heads: SignedTreeHead[];
}

/**
 * Reads the header, key and head lines in this thread (as verifyExport does); returns them with the
 * offset of the first event line, or null when anything is not plainly well formed.
 */
function readPrelude(bytes: Buffer): { prelude: Prelude; eventsAt: number } | 'more' | null {
  let tenantId: string | undefined;
  const heads: SignedTreeHead[] = [];
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) return 'more'; // the prelude goes on past what was read
    const raw = bytes.toString('utf8', start, end);
    if (raw.includes('\r')) return null;
    if (raw.trim() === '') {
      start = end + 1;
      continue;
    }
    let record: { type?: unknown; version?: unknown; tenantId?: unknown; [key: string]: unknown };
    try {
      record = JSON.parse(raw) as typeof record;
    } catch {
      return null;
    }
    if (record === null || typeof record !== 'object') return null;
    if (tenantId === undefined) {
      if (record.type !== EXPORT_FORMAT || record.version !== EXPORT_VERSION || typeof record.tenantId !== 'string') return null;
      tenantId = record.tenantId;
    } else if (record.type === 'head') {
      const { type: _type, ...head } = record;
      heads.push(head as unknown as SignedTreeHead);
    } else if (record.type === 'event') {
      return { prelude: { tenantId, heads }, eventsAt: start };
    } else if (record.type !== 'key') {
      return null;
    }
    start = end + 1;
  }
}

/** A pool of workers answering blocks in any order; results are taken back in block order. */
function workerPool(size: number, tenantId: string, cuts: readonly number[]) {
  // verify-worker.mjs is plain JavaScript (built from verify-worker.ts): no loader, and no inherited
  // `--import tsx` either (execArgv: []), which cost ~0.2–0.3 s of CPU a worker.
  const url = new URL('./verify-worker.mjs', import.meta.url);
  const workers = Array.from({ length: size }, () => new Worker(url, { workerData: { tenantId, cuts }, execArgv: [] }));
  const waiting = new Map<number, (r: BlockResult) => void>();
  const done = new Map<number, BlockResult>();
  let failure: Error | undefined;
  for (const w of workers) {
    w.on('message', ({ id, result }: { id: number; result: BlockResult }) => {
      const resolve = waiting.get(id);
      if (resolve) {
        waiting.delete(id);
        resolve(result);
      } else done.set(id, result);
    });
    w.on('error', (e) => {
      failure = e;
      for (const resolve of waiting.values()) resolve({ ok: false });
      waiting.clear();
    });
  }
  let next = 0;
  return {
    /** Sends a block whose ArrayBuffer is its own: transferred, not copied (unusable here afterwards). */
    send(id: number, block: Uint8Array): void {
      workers[next % workers.length]!.postMessage({ id, block }, [block.buffer as ArrayBuffer]);
      next += 1;
    },
    take(id: number): Promise<BlockResult> {
      if (failure) return Promise.resolve({ ok: false });
      const hit = done.get(id);
      if (hit) {
        done.delete(id);
        return Promise.resolve(hit);
      }
      return new Promise((resolve) => waiting.set(id, resolve));
    },
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** The parallel check; `null` means "not plainly ok": the caller runs the sequential verifier. */
async function parallel(path: string, publicKeys: PublicKeyRing, workers: number, blockBytes: number): Promise<ExportReport | null> {
  const file = await open(path, 'r');
  let pool: ReturnType<typeof workerPool> | undefined;
  try {
    // Each block is read into an ArrayBuffer of its own, after the carried start of its first line,
    // so that it can be handed to a worker without a copy.
    const readBlock = async (carry: Buffer): Promise<{ bytes: Buffer; isLast: boolean }> => {
      const buffer = Buffer.allocUnsafeSlow(carry.length + blockBytes);
      carry.copy(buffer, 0);
      const { bytesRead } = await file.read(buffer, carry.length, blockBytes, null);
      return { bytes: buffer.subarray(0, carry.length + bytesRead), isLast: bytesRead === 0 };
    };
    let { bytes, isLast } = await readBlock(Buffer.alloc(0));
    let head = readPrelude(bytes);
    while (head === 'more' && !isLast) {
      ({ bytes, isLast } = await readBlock(bytes));
      head = readPrelude(bytes);
    }
    if (head === null || head === 'more') return null;
    const { tenantId } = head.prelude;
    const heads = [...head.prelude.heads].sort((a, b) => a.treeSize - b.treeSize);
    if (heads.some((h) => !Number.isSafeInteger(h.treeSize) || h.treeSize < 0)) return null;
    const signedSize = heads.length === 0 ? 0 : heads[heads.length - 1]!.treeSize;
    const frontier = new MerkleFrontier();
    let nextHead = 0;
    const headsHold = (size: number): boolean => {
      while (nextHead < heads.length && heads[nextHead]!.treeSize <= size) {
        const h = heads[nextHead]!;
        nextHead += 1;
        if (checkTreeHeadSignature(h, publicKeys) !== 'ok' || h.tenantId !== tenantId) return false;
        const stated = hashFromBase64Url(h.rootHash);
        const root = h.treeSize === 0 ? EMPTY_TREE_ROOT : frontier.root();
        if (stated === null || !root.equals(stated)) return false;
      }
      return true;
    };
    if (!headsHold(0)) return null;

    pool = workerPool(workers, tenantId, heads.map((h) => h.treeSize));
    const inFlightMax = workers * 3;
    let sent = 0;
    let taken = 0;
    let expected = 1;
    let chain: Buffer = CHAIN_GENESIS;
    let carry = bytes.subarray(head.eventsAt);
    let isEnd = false;

    const takeOne = async (): Promise<boolean> => {
      const r = await pool!.take(taken);
      taken += 1;
      if (!r.ok) return false;
      if (r.count === 0) return true;
      if (r.firstSeq !== expected) return false;
      if (!chainNext(chain, r.firstLeaf).equals(r.firstChain)) return false;
      const subtrees = Buffer.from(r.subtrees.buffer, r.subtrees.byteOffset, r.subtrees.byteLength);
      for (let i = 0; i < r.levels.length; i += 1) {
        frontier.appendSubtree(r.levels[i]!, subtrees.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES));
        if (!headsHold(frontier.size)) return false;
      }
      expected += r.count;
      chain = Buffer.from(r.lastChain);
      return true;
    };

    while (!isEnd) {
      const read = await readBlock(carry);
      isEnd = read.isLast;
      const data = read.bytes;
      const cut = isEnd ? data.length : data.lastIndexOf(NEWLINE) + 1;
      if (cut === 0 && !isEnd) {
        carry = data; // one line longer than a block: keep reading
        continue;
      }
      carry = Buffer.from(data.subarray(cut)); // a copy: the block's buffer leaves with it
      if (cut > 0) {
        pool.send(sent, data.subarray(0, cut));
        sent += 1;
      }
      while (sent - taken >= inFlightMax) if (!(await takeOne())) return null;
    }
    while (taken < sent) if (!(await takeOne())) return null;
    if (nextHead < heads.length) return null; // the log ends before a signed head: TAIL_TRUNCATED
    const last = expected - 1;
    return { ok: true, tenantId, treeSize: last, headsChecked: heads.length, signedSize, chainHash: toBase64Url(chain) };
  } finally {
    await pool?.close();
    await file.close();
  }
}

/** Verifies an export bundle file offline against trusted public keys; the first failure is reported. */
export async function verifyExportFile(path: string, publicKeys: PublicKeyRing, opts: VerifyFileOptions = {}): Promise<VerifyFileReport> {
  const workers = opts.workers ?? Math.min(8, Math.max(1, availableParallelism()));
  const minParallelBytes = opts.minParallelBytes ?? 2 * 2 ** 20;
  const blockBytes = opts.blockBytes ?? 2 ** 20;
  if (workers > 0) {
    const handle = await open(path, 'r');
    const { size } = await handle.stat().finally(() => handle.close());
    if (size >= minParallelBytes) {
      const report = await parallel(path, publicKeys, workers, blockBytes);
      if (report !== null) return { ...report, mode: 'parallel' };
    }
  }
  return { ...(await sequential(path, publicKeys)), mode: 'sequential' };
}
