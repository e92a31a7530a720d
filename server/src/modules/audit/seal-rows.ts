/**
 * The hashes of a batch of events to seal (R-AUDIT-3; docs/audit.md "Sealing in the database"): each
 * event's leaf hash, computed from the row as read back from the database (jsonb has normalised
 * `metadata`), and the chain hash after it. Written into two buffers of 32 bytes an event, which go
 * to the database as they are (INSERT_SEALS, seal-order.ts) and to the tree (`appendLeaves`): no
 * copy of the row, no `Buffer` per digest, no hex.
 */
import { sealableFromRow, leafText, type AuditEventRow } from './event.ts';
import { HASH_BYTES, writeChain, writeLeafHash } from './hashes.ts';

/** A row as the sealer reads it: the event's columns, no seq yet. */
export type RowToSeal = Omit<AuditEventRow, 'seq'>;

export interface RowSeals {
  /** The events' ids, in order, joined by commas (INSERT_SEALS's $3). */
  ids: string;
  /** Leaf hash i at i · 32. */
  leaves: Buffer;
  /** Chain hash i at i · 32. */
  chains: Buffer;
  /** The last chain hash (the previous one when there are no rows). */
  chain: Buffer;
}

/** Seals rows[from, to) as seqs firstSeq, firstSeq + 1, … after the chain hash `chain`. */
export function sealRows(rows: readonly RowToSeal[], from: number, to: number, firstSeq: number, chain: Uint8Array): RowSeals {
  const count = to - from;
  const leaves = Buffer.allocUnsafe(count * HASH_BYTES);
  const chains = Buffer.allocUnsafe(count * HASH_BYTES);
  const ids: string[] = new Array(count);
  for (let i = 0; i < count; i += 1) {
    const row = rows[from + i]!;
    writeLeafHash(leafText(sealableFromRow(row, firstSeq + i)), leaves, i * HASH_BYTES);
    ids[i] = row.id;
  }
  writeChain(chain, leaves, chains, count);
  const last = count === 0 ? Buffer.from(chain) : Buffer.from(chains.subarray((count - 1) * HASH_BYTES));
  return { ids: ids.join(','), leaves, chains, chain: last };
}
