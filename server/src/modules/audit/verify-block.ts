/**
 * One block of an export bundle's event lines, checked on its own (R-AUDIT-3): what a worker of the
 * parallel offline verifier (verify-file.ts) does. Every event's leaf is recomputed from its fields
 * and compared with the stored leaf hash, and every stored chain hash is checked against the stored
 * one before it in the block (the first one of the block is checked by the caller, which knows the
 * previous block's last chain hash). The leaf hashes go back folded into perfect subtrees, for the tree.
 *
 * A line as the exporter writes it (its event as the leaf text itself, export.ts `eventLine`) is
 * checked by hashing the event's bytes where they stand; any other line (an older bundle, an edited
 * one) is parsed and its leaf re-canonicalised from the fields, as before. The hashes of the hot path
 * return base64url or latin1 strings, compared with the line's text and decoded into scratch buffers:
 * a `Buffer` result costs a native allocation (~0.4 µs here) per hash, more than a small hash itself.
 *
 * This only ever says "all good" or "not all good": anything unusual (a line that is not an event,
 * a gap, a carriage return) is "not all good", and the caller then runs the sequential verifier over
 * the whole bundle, which names the first failure exactly as `verifyExport` always has.
 *
 * The worker runs this without a TypeScript loader: verify-worker.mjs is built from verify-worker.ts
 * and this file (`npm run build:audit-worker`); a test fails when it is stale.
 */
import { hash } from 'node:crypto';
import { foldPerfect, hashFromBase64Url, hashLeafText, HASH_BYTES } from './hashes.ts';
import { leafText, type SealableEvent } from './event.ts';
import { subtreeRefs } from './merkle.ts';
import { CHAIN_HASH_KEY, EVENT_LINE_START, LEAF_HASH_KEY } from './export.ts';

export type BlockResult =
  | {
      ok: true;
      /** Event lines in the block (key lines, which the format allows anywhere, are skipped). */
      count: number;
      firstSeq: number;
      /** The first event's leaf hash and stored chain hash, for the link to the previous block. */
      firstLeaf: Uint8Array;
      firstChain: Uint8Array;
      lastChain: Uint8Array;
      /**
       * The block's leaves folded into perfect subtrees (levels[i], 32 bytes each in `subtrees`), in
       * order, cut at every signed head's size and ending at the largest (leaves past it are not in
       * any signed tree): the caller appends them to its tree frontier and checks each head when the
       * frontier reaches its size, at one append per subtree instead of one per leaf.
       */
      levels: number[];
      subtrees: Uint8Array;
    }
  | { ok: false };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

const START = Buffer.from(EVENT_LINE_START);
const LEAF_KEY = Buffer.from(LEAF_HASH_KEY);
const CHAIN_KEY = Buffer.from(CHAIN_HASH_KEY);
const END = Buffer.from('"}');
/** A 32-byte hash in unpadded base64url. */
const HASH_TEXT = 43;
/** What follows the event's text on a line that eventLine wrote. */
const TAIL = LEAF_KEY.length + HASH_TEXT + CHAIN_KEY.length + HASH_TEXT + END.length;
const SEQ_KEY = Buffer.from(',"seq":');
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COMMA = 0x2c;

/** Whether `part` is at `at` (a loop: Buffer#compare's argument checks cost more for parts this short). */
function isAt(bytes: Buffer, at: number, part: Buffer): boolean {
  if (at < 0 || at + part.length > bytes.length) return false;
  for (let i = 0; i < part.length; i += 1) if (bytes[at + i] !== part[i]) return false;
  return true;
}

/** Whether the ASCII `text` is at `at`, byte for byte, without making a string of the bytes. */
function isTextAt(bytes: Buffer, at: number, text: string): boolean {
  if (at < 0 || at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i += 1) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

// Scratch buffers: crypto.hash is synchronous and copies its input, so one of each is enough.
/** [previous chain hash | leaf hash]: the input of the next link. */
const chainInput = Buffer.alloc(2 * HASH_BYTES);

/**
 * RFC 9162 §2.1.1 leaf hash of `bytes[start, end)`, in base64url, hashed where it stands: the byte
 * before it (the `:` of `"event":`) is set to the leaf prefix 0x00 for the hash and then put back.
 */
function leafHashText(bytes: Buffer, start: number, end: number): string {
  const before = bytes[start - 1]!;
  bytes[start - 1] = 0x00;
  const leaf = hash('sha256', bytes.subarray(start - 1, end), 'base64url');
  bytes[start - 1] = before;
  return leaf;
}

interface Line {
  seq: number;
  /** The leaf hash as bytes (a parsed line) or base64url (a line hashed in place). */
  leaf: Buffer | string;
  /** The stored chain hash as bytes, or where its base64url text starts on the line. */
  chain: Buffer | number;
}

/**
 * A line as eventLine writes it, whose event text hashes to the stored leaf hash: then that text is
 * the sealed leaf itself (the leaf hash is collision resistant), so it is canonical and its seq and
 * tenantId can be read at their canonical places: `tenantId` is the last key, and `seq` the last
 * `,"seq":` (only strings and null follow it, and a string cannot hold an unescaped quote). Hashing
 * the bytes as they stand recomputes the leaf from the event's fields without parsing them. Returns
 * null when the line is not in that layout or does not hash to its stored leaf (the caller then
 * parses and canonicalises, as for any other line).
 *
 * Only up to `signedSize`: there a matching leaf is bound by a signed head, which the caller checks, so
 * a made-up text with a made-up leaf hash fails at the head. Past the last head the stored leaf hash
 * is anyone's (the chain alone protects that tail), so a line there is parsed, as the sequential
 * verifier does, and must be an event whose fields canonicalise to it.
 */
function canonicalLine(bytes: Buffer, start: number, end: number, tenantTail: Buffer, signedSize: number): Line | null {
  const textStart = start + START.length;
  const textEnd = end - TAIL;
  if (textEnd - textStart < tenantTail.length + SEQ_KEY.length || !isAt(bytes, start, START)) return null;
  const leafAt = textEnd + LEAF_KEY.length;
  const chainAt = leafAt + HASH_TEXT + CHAIN_KEY.length;
  if (!isAt(bytes, textEnd, LEAF_KEY) || !isAt(bytes, leafAt + HASH_TEXT, CHAIN_KEY) || !isAt(bytes, end - END.length, END)) return null;
  const leaf = leafHashText(bytes, textStart, textEnd);
  if (!isTextAt(bytes, leafAt, leaf)) return null;
  if (!isAt(bytes, textEnd - tenantTail.length, tenantTail)) return null;
  const seqAt = bytes.lastIndexOf(SEQ_KEY, textEnd - tenantTail.length);
  if (seqAt < textStart) return null;
  let seq = 0;
  let at = seqAt + SEQ_KEY.length;
  for (; at < textEnd && bytes[at]! >= DIGIT_0 && bytes[at]! <= DIGIT_9; at += 1) seq = seq * 10 + (bytes[at]! - DIGIT_0);
  if (bytes[at] !== COMMA || !Number.isSafeInteger(seq) || seq > signedSize) return null;
  return { seq, leaf, chain: chainAt };
}

/** Any other event line: parsed, its leaf re-canonicalised from the fields and compared; null if not all good. */
function parsedLine(raw: string, tenantId: string): Line | 'key' | 'blank' | null {
  if (raw.trim() === '') return 'blank';
  let record: { type?: unknown; event?: unknown; leafHash?: unknown; chainHash?: unknown };
  try {
    record = JSON.parse(raw) as typeof record;
  } catch {
    return null;
  }
  if (record === null || typeof record !== 'object') return null;
  if (record.type === 'key') return 'key';
  if (record.type !== 'event') return null;
  const leafStored = hashFromBase64Url(record.leafHash);
  const chainStored = hashFromBase64Url(record.chainHash);
  const event = record.event as SealableEvent | null | undefined;
  if (leafStored === null || chainStored === null || event === null || typeof event !== 'object') return null;
  if (typeof event.seq !== 'number' || !Number.isSafeInteger(event.seq)) return null;
  if (event.tenantId !== tenantId) return null;
  let leaf: Buffer;
  try {
    leaf = hashLeafText(leafText({ ...event, leafHash: leafStored, chainHash: chainStored } as SealableEvent));
  } catch {
    return null;
  }
  if (!leaf.equals(leafStored)) return null;
  return { seq: event.seq, leaf, chain: chainStored };
}

/**
 * The perfect subtrees over leaf indexes [first, first + count) that a frontier at size `first`
 * appends, cut at each of `cuts` (ascending tree sizes) and ending at the last of them. Overwrites
 * `leaves` (32 bytes a leaf).
 */
function foldSubtrees(leaves: Buffer, first: number, count: number, cuts: readonly number[]): { levels: number[]; subtrees: Uint8Array } {
  const end = Math.min(first + count, cuts.length === 0 ? 0 : cuts[cuts.length - 1]!);
  const levels: number[] = [];
  const refs: { level: number; index: number }[] = [];
  let at = first;
  for (const cut of [...cuts.filter((c) => c > first && c < end), end]) {
    for (const ref of subtreeRefs(at, cut)) {
      levels.push(ref.level);
      refs.push(ref);
    }
    at = Math.max(at, cut);
  }
  const subtrees = new Uint8Array(refs.length * HASH_BYTES);
  refs.forEach((ref, i) => {
    const width = 2 ** ref.level;
    subtrees.set(foldPerfect(leaves, ref.index * width - first, width), i * HASH_BYTES);
  });
  return { levels, subtrees };
}

export function checkBlock(tenantId: string, block: Uint8Array, cuts: readonly number[] = []): BlockResult {
  // readline also ends a line at a lone \r; the sequential path decides such a bundle.
  const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  if (bytes.indexOf(CARRIAGE_RETURN) !== -1) return { ok: false }; // memchr; Uint8Array#includes walks in JS
  const tenantTail = Buffer.from(`,"tenantId":${JSON.stringify(tenantId)}}`);
  const signedSize = cuts.length === 0 ? 0 : cuts[cuts.length - 1]!;
  const leaves = Buffer.allocUnsafe(Math.max(HASH_BYTES, Math.ceil(block.byteLength / 64) * HASH_BYTES));
  let count = 0;
  let firstSeq = 0;
  let firstChain: Uint8Array | undefined;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    const line = canonicalLine(bytes, start, end, tenantTail, signedSize) ?? parsedLine(bytes.toString('utf8', start, end), tenantId);
    start = end + 1;
    if (line === 'blank' || line === 'key') continue;
    if (line === null) return { ok: false };
    if (count === 0) firstSeq = line.seq;
    else if (line.seq !== firstSeq + count) return { ok: false };
    if ((count + 1) * HASH_BYTES > leaves.length) return { ok: false }; // not a bundle line shape (lines are far longer)
    // The leaf goes into the tree's leaves and, as bytes, after the previous chain hash.
    if (typeof line.leaf === 'string') chainInput.write(line.leaf, HASH_BYTES, HASH_BYTES, 'base64url');
    else chainInput.set(line.leaf, HASH_BYTES);
    for (let i = 0; i < HASH_BYTES; i += 1) leaves[count * HASH_BYTES + i] = chainInput[HASH_BYTES + i]!; // Buffer#copy's checks cost more
    if (firstChain === undefined) {
      // The first link is checked by the caller, which knows the previous block's last chain hash.
      const stored = typeof line.chain === 'number' ? hashFromBase64Url(bytes.toString('latin1', line.chain, line.chain + HASH_TEXT)) : line.chain;
      if (stored === null) return { ok: false };
      firstChain = new Uint8Array(stored);
      chainInput.set(stored, 0);
    } else {
      const next = hash('sha256', chainInput, 'base64url');
      const isLinked = typeof line.chain === 'number' ? isTextAt(bytes, line.chain, next) : line.chain.toString('base64url') === next;
      if (!isLinked) return { ok: false };
      chainInput.write(next, 0, HASH_BYTES, 'base64url');
    }
    count += 1;
  }
  if (count === 0 || firstChain === undefined) {
    return { ok: true, count: 0, firstSeq: 0, firstLeaf: new Uint8Array(0), firstChain: new Uint8Array(0), lastChain: new Uint8Array(0), levels: [], subtrees: new Uint8Array(0) };
  }
  // Own copies: a view posted to another thread takes its whole underlying buffer with it.
  const firstLeaf = new Uint8Array(leaves.subarray(0, HASH_BYTES));
  const lastChain = new Uint8Array(chainInput.subarray(0, HASH_BYTES));
  const { levels, subtrees } = foldSubtrees(leaves, firstSeq - 1, count, cuts);
  return { ok: true, count, firstSeq, firstLeaf, firstChain, lastChain, levels, subtrees };
}
