/**
 * One block of an export bundle's event lines, checked on its own (R-AUDIT-3): what a worker of the
 * parallel offline verifier (verify-file.ts) does. Every line is parsed, its leaf recomputed from its
 * fields and compared with the stored leaf hash, and every stored chain hash is checked against the
 * stored one before it in the block (the first one of the block is checked by the caller, which
 * knows the previous block's last chain hash). The leaf hashes go back, packed, for the tree.
 *
 * This only ever says "all good" or "not all good": anything unusual (a line that is not an event,
 * a gap, a carriage return) is "not all good", and the caller then runs the sequential verifier over
 * the whole bundle, which names the first failure exactly as `verifyExport` always has.
 */
import { chainNext, hashFromBase64Url, hashLeafText, HASH_BYTES } from './hashes.ts';
import { leafText, type SealableEvent } from './event.ts';

export type BlockResult =
  | {
      ok: true;
      /** Event lines in the block (key lines, which the format allows anywhere, are skipped). */
      count: number;
      firstSeq: number;
      /** The first event's leaf hash and stored chain hash, for the link to the previous block. */
      firstChain: Uint8Array;
      lastChain: Uint8Array;
      /** count × 32 bytes: the leaf hashes in order. */
      leaves: Uint8Array;
    }
  | { ok: false };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export function checkBlock(tenantId: string, block: Uint8Array): BlockResult {
  // readline also ends a line at a lone \r; the sequential path decides such a bundle.
  if (block.includes(CARRIAGE_RETURN)) return { ok: false };
  const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  const leaves = Buffer.allocUnsafe(Math.max(HASH_BYTES, Math.ceil(block.byteLength / 64) * HASH_BYTES));
  let count = 0;
  let firstSeq = 0;
  let firstChain: Buffer | undefined;
  let chain: Buffer | undefined;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    const raw = bytes.toString('utf8', start, end);
    start = end + 1;
    if (raw.trim() === '') continue;
    let record: { type?: unknown; event?: unknown; leafHash?: unknown; chainHash?: unknown };
    try {
      record = JSON.parse(raw) as typeof record;
    } catch {
      return { ok: false };
    }
    if (record === null || typeof record !== 'object') return { ok: false };
    if (record.type === 'key') continue;
    if (record.type !== 'event') return { ok: false };
    const leafStored = hashFromBase64Url(record.leafHash);
    const chainStored = hashFromBase64Url(record.chainHash);
    const event = record.event as SealableEvent | null | undefined;
    if (leafStored === null || chainStored === null || event === null || typeof event !== 'object') return { ok: false };
    if (count === 0) {
      if (typeof event.seq !== 'number' || !Number.isSafeInteger(event.seq)) return { ok: false };
      firstSeq = event.seq;
    } else if (event.seq !== firstSeq + count) return { ok: false };
    if (event.tenantId !== tenantId) return { ok: false };
    let leafHash: Buffer;
    try {
      leafHash = hashLeafText(leafText({ ...event, leafHash: leafStored, chainHash: chainStored } as SealableEvent));
    } catch {
      return { ok: false };
    }
    if (!leafHash.equals(leafStored)) return { ok: false };
    if (chain === undefined) firstChain = chainStored;
    else if (!chainNext(chain, leafHash).equals(chainStored)) return { ok: false };
    chain = chainStored;
    if ((count + 1) * HASH_BYTES > leaves.length) return { ok: false }; // not a bundle line shape (lines are far longer)
    leaves.set(leafHash, count * HASH_BYTES);
    count += 1;
  }
  if (count === 0 || firstChain === undefined || chain === undefined) return { ok: true, count: 0, firstSeq: 0, firstChain: new Uint8Array(0), lastChain: new Uint8Array(0), leaves: new Uint8Array(0) };
  return { ok: true, count, firstSeq, firstChain, lastChain: chain, leaves: new Uint8Array(leaves.subarray(0, count * HASH_BYTES)) };
}
