import { randomUUID } from 'node:crypto';
import { WardError, type AuditEventInput } from '@ward/contracts';
import { AUTH_LOOKUPS, type Db, type Tx } from '../../db/types.ts';
import { checkAppendable } from './append.ts';
import type { PublicationGuard } from './publication-guard.ts';
import { checkedRecordLiteral, literalBytesBound, MAX_BATCH_BODY_BYTES } from './record-literal.ts';

/**
 * The audit writer for guarded reads: group commit (R-AUDIT-2; issue 31; docs/audit.md "The audited
 * read"). One per process. A read's record is not inserted in the read's transaction:
 *   issue   inside the read's scoped transaction, the server vouches for the event with the scope key
 *           over its record literal and the scope's expiry (Tx.vouch, 0105, 0112; no statement), only for the scope's
 *           tenant and actor;
 *   commit  after the read's transaction committed (without a WAL flush of its own), the event and
 *           its voucher join a queue; one statement inserts everything queued (ward_audit_append_vouched_v4,
 *           which verifies every voucher), one commit, one WAL flush for the whole group. The promise
 *           resolves only after the commit that holds the record; a failed batch rejects every record
 *           in it (AUDIT_WRITE_FAILED), so no response of that batch is released (fail closed).
 * The batch commit also flushes the WAL of the reads' own commits before it (the session slide and
 * the proof's replay id), so a released read waits on exactly one durable commit.
 * Writes never come here: their record commits in their own transaction (audit.append).
 */
export interface AuditWriter {
  /**
   * In the read's scoped transaction: the record of `event`, vouched for by the server (Tx.vouch). No
   * statement is sent. Refuses by throwing at once (closed, queue full, an event that may not be
   * appended), or by a rejected promise (a transaction that cannot vouch, or not for this event).
   */
  issue(tx: Tx, event: AuditEventInput, opts?: { id?: string; justificationCiphertext?: Buffer | null }): Promise<IssuedRecord>;
  /** After the read's transaction committed: resolves once the record is durable. */
  commit(record: IssuedRecord): Promise<void>;
  /** Stops taking records and waits for every queued one to be committed (or failed). */
  close(): Promise<void>;
  /** Batches committed or failed, and the records in them, since the writer was made. */
  stats(): { batches: number; records: number };
}

/** A vouched event (0105, 0112): its id and time, its record literal, and the server's voucher for it ('mac expires'). */
export interface IssuedRecord {
  readonly id: string;
  readonly occurredUs: number;
  readonly voucher: string;
  readonly text: string;
}

/**
 * The batch function's two arguments (0112): one head a record, 'mac expires start length' (where its
 * literal's UTF-8 bytes start, from 1, and how many), a line each; and the literals' bytes one after
 * the other. A literal may hold any character, so it never shares a line with anything.
 */
export function batchArguments(records: readonly Pick<IssuedRecord, 'voucher' | 'text'>[]): [string, Buffer] {
  let start = 1;
  const heads = records.map((r) => {
    const length = Buffer.byteLength(r.text, 'utf8');
    const head = `${r.voucher} ${start} ${length}`;
    start += length;
    return head;
  });
  return [heads.join('\n'), Buffer.from(records.map((r) => r.text).join(''), 'utf8')];
}

export interface AuditWriterOptions {
  db: Pick<Db, 'authLookup'>;
  publication?: PublicationGuard;
  /** Records per statement (the function takes at most 1,000). Default 256. */
  maxBatch?: number;
  /**
   * Batches in flight at once (each on a connection of its own; PostgreSQL shares their WAL flushes).
   * Default 1: one batch commits while the next fills, so a batch carries every record that arrived
   * during the last one's commit, and its fixed cost (the statement, the commit) is shared by more
   * records (docs/audit.md "Third pass").
   */
  maxInFlight?: number;
  /**
   * Records waiting for a batch; past it a read is refused before its record is issued (503
   * SERVICE_UNAVAILABLE with Retry-After: nothing was released). Default 4,096.
   */
  maxQueue?: number;
}

/**
 * A record's id (R-OPS-1): a version 7 UUID (RFC 9562: the millisecond clock in its first 48 bits, then
 * 74 random bits), so that records arrive at the right edge of the primary key's b-tree instead of on a
 * random leaf: an insert then touches the pages the previous one did (after a checkpoint, one full-page
 * image for many rows instead of one a row). The id stays unguessable; it discloses the time, which
 * the row's occurred_at holds anyway.
 */
export function recordId(nowMs: number = Date.now()): string {
  const ms = nowMs.toString(16).padStart(12, '0');
  const random = randomUUID(); // version 4: its variant and random bits are kept, its version replaced
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15)}`;
}

interface Waiting {
  record: IssuedRecord;
  done(error?: unknown): void;
}

export function createAuditWriter(options: AuditWriterOptions): AuditWriter {
  const maxBatch = Math.min(options.maxBatch ?? 256, 1000);
  const maxQueue = options.maxQueue ?? 4096;
  let queue: Waiting[] = [];
  const maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  const inFlight = new Set<Promise<void>>();
  let isScheduled = false;
  let isClosed = false;
  let batches = 0;
  let records = 0;
  let lastUs = 0;

  function refuseIfFull(): void {
    if (isClosed) throw new WardError('SERVICE_UNAVAILABLE', undefined, { detail: 'audit writer: closed', reasons: ['audit_writer_closed'], headers: { 'retry-after': '1' } });
    if (queue.length >= maxQueue) throw new WardError('SERVICE_UNAVAILABLE', undefined, { detail: 'audit writer: queue_full', reasons: ['audit_queue_full'], headers: { 'retry-after': '1' } });
  }

  async function insert(batch: Waiting[]): Promise<void> {
    batches += 1;
    records += batch.length;
    try {
      await options.db.authLookup(AUTH_LOOKUPS.auditVouchedBatch, batchArguments(batch.map((w) => w.record)));
    } catch (e) {
      // Fail closed: every read of the batch fails. A database that is down stays a 503 (retryable);
      // anything else is AUDIT_WRITE_FAILED. The cause names no event (SQLSTATE and counts only).
      const error = e instanceof WardError && e.code === 'SERVICE_UNAVAILABLE' ? e : new WardError('AUDIT_WRITE_FAILED', undefined, { cause: e });
      for (const w of batch) w.done(error);
      return;
    }
    for (const w of batch) w.done();
  }

  /** Starts batches while fewer than maxInFlight are in flight; each finished batch starts the next. */
  function flush(): void {
    isScheduled = false;
    while (queue.length > 0 && inFlight.size < maxInFlight) {
      // At most maxBatch records, and literals the batch function can address (0112: MAX_BATCH_BODY_BYTES).
      let n = 0;
      for (let bytes = 0; n < queue.length && n < maxBatch; n += 1) {
        bytes += literalBytesBound(queue[n]!.record.text);
        if (n > 0 && bytes > MAX_BATCH_BODY_BYTES) break;
      }
      const batch = queue.slice(0, n);
      queue = queue.slice(batch.length);
      const running: Promise<void> = insert(batch).then(() => {
        inFlight.delete(running);
        flush();
      });
      inFlight.add(running);
    }
  }

  return {
    issue(tx, event, opts = {}) {
      refuseIfFull();
      checkAppendable(event, options.publication);
      if (!tx.vouch) return Promise.reject(new WardError('AUDIT_WRITE_FAILED', undefined, { detail: 'audit writer: the transaction cannot vouch' }));
      // 0105, 0112: stamped with this server's clock (microseconds, increasing within the process), the
      // record literal vouched for as it will be sent; the batch function checks the voucher and the time.
      lastUs = Math.max(lastUs + 1, Date.now() * 1000);
      const id = opts.id ?? recordId();
      try {
        // A record PostgreSQL would refuse (a NUL, a lone surrogate, a value its column's type does not
        // take) would fail its whole batch, and every read in it: refused here, it fails only its own
        // read (fail closed; record-literal.ts).
        const text = checkedRecordLiteral(event, id, lastUs, opts.justificationCiphertext ?? null);
        return Promise.resolve({ id, occurredUs: lastUs, voucher: tx.vouch(event, text), text });
      } catch (e) {
        return Promise.reject(e instanceof WardError && e.code === 'AUDIT_WRITE_FAILED' ? e : new WardError('AUDIT_WRITE_FAILED', undefined, { cause: e }));
      }
    },
    commit(record) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ record, done: (e) => (e === undefined ? resolve() : reject(e)) });
        // Started after the current task, so that records committed in the same turn share a batch.
        if (!isScheduled && inFlight.size < maxInFlight) {
          isScheduled = true;
          queueMicrotask(flush);
        }
      });
    },
    async close() {
      isClosed = true;
      while (inFlight.size > 0 || queue.length > 0) {
        if (inFlight.size === 0) flush();
        await Promise.all(inFlight);
      }
    },
    stats: () => ({ batches, records }),
  };
}
