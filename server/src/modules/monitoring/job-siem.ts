import { sealedEvents, toOcsfSealed, type OcsfRecord } from '../audit/index.ts';
import { leasedJob } from '../../db/leased-job.ts';
import type { SystemDb } from '../../db/types.ts';
import type { Logger } from '../../logging.ts';
import type { SiemSink } from './siem-sinks.ts';

/**
 * The SIEM stream (R-AUDIT-4): sealed events delivered continuously as OCSF records to one sink, per
 * tenant in seq order, from the last seq delivered (`siem_cursors`, per sink and tenant). One sender
 * across servers holds the lease `siem-stream`; a batch is delivered first and its cursor moved after,
 * only while the lease is still held and only from the value read (fencing). After a restart the
 * stream resumes at the cursor; a file sink's own last record moves the cursor past a batch that was
 * written but not yet recorded, so a file gets no gap and no duplicate.
 */
export const SIEM_LEASE = 'siem-stream';

export interface SiemStream {
  /** One pass: every tenant's events sealed since its cursor (up to `batchSize` per delivery, `maxPassMs` per pass). */
  streamOnce(): Promise<{ isLeader: boolean; delivered: number }>;
  start(): void;
  stop(): Promise<void>;
}

export interface SiemStreamOptions {
  systemDb: SystemDb;
  sink: SiemSink;
  logger?: Pick<Logger, 'warn' | 'error'>;
  intervalMs?: number;
  batchSize?: number;
  leaseSeconds?: number;
  maxPassMs?: number;
  holder?: string;
}

const BEHIND = `SELECT t.id AS tenant_id, COALESCE(c.last_seq, 0) AS last_seq FROM tenants t
  LEFT JOIN siem_cursors c ON c.tenant_id = t.id AND c.sink = $1
  WHERE EXISTS (SELECT 1 FROM audit_seals s WHERE s.tenant_id = t.id AND s.seq > COALESCE(c.last_seq, 0))
  ORDER BY t.id`;
const CURSOR = 'SELECT last_seq FROM siem_cursors WHERE sink = $1 AND tenant_id = $2';
// Moves the cursor from what was read, and only while this sender holds the lease.
const MOVE = `INSERT INTO siem_cursors (sink, tenant_id, last_seq)
  SELECT $1, $2, $4 WHERE EXISTS (SELECT 1 FROM leases l WHERE l.name = $5 AND l.holder = $6 AND l.expires_at > clock_timestamp())
  ON CONFLICT (sink, tenant_id) DO UPDATE SET last_seq = $4 WHERE siem_cursors.last_seq = $3`;

export function createSiemStream(o: SiemStreamOptions): SiemStream {
  const batchSize = o.batchSize ?? 1000;
  const maxPassMs = o.maxPassMs ?? 5000;
  let isRecovered = false;
  const job = leasedJob({
    systemDb: o.systemDb, name: SIEM_LEASE, holder: o.holder, leaseSeconds: o.leaseSeconds ?? 30, intervalMs: o.intervalMs ?? 1000,
    pass: stream,
    onError: (e) => o.logger?.warn({ err: { code: (e as { code?: unknown }).code ?? (e as Error).name } }, 'SIEM stream pass failed; will retry'),
  });

  async function move(tenantId: string, from: number, to: number): Promise<boolean> {
    const r = await o.systemDb.query(MOVE, [o.sink.name, tenantId, from, to, SIEM_LEASE, job.holder]);
    return r.rowCount === 1;
  }

  /** A file's last record beyond its tenant's cursor: that batch reached the sink; the cursor catches up. */
  async function recover(): Promise<void> {
    const last = await o.sink.lastDelivered();
    if (last === null) return;
    const cursor = Number((await o.systemDb.query<{ last_seq: string | number }>(CURSOR, [o.sink.name, last.tenantId])).rows[0]?.last_seq ?? 0);
    if (last.seq > cursor) await move(last.tenantId, cursor, last.seq);
  }

  async function stream({ isNewTerm }: { isNewTerm: boolean }) {
    if (isNewTerm) isRecovered = false; // the sink may hold what another sender wrote
    if (!isRecovered) {
      await recover();
      isRecovered = true;
    }
    let delivered = 0;
    const deadline = performance.now() + maxPassMs;
    const { rows } = await o.systemDb.query<{ tenant_id: string; last_seq: string | number }>(BEHIND, [o.sink.name]);
    for (const r of rows) {
      let cursor = Number(r.last_seq);
      while (performance.now() < deadline) {
        const batch: OcsfRecord[] = [];
        for await (const e of sealedEvents(o.systemDb, r.tenant_id, { fromSeq: cursor + 1, pageSize: batchSize })) {
          if (e.seq !== cursor + 1 + batch.length) break; // in order, no gap: stop at anything else
          batch.push(toOcsfSealed(e));
          if (batch.length === batchSize) break;
        }
        if (batch.length === 0) break;
        await o.sink.deliver(r.tenant_id, batch);
        const to = cursor + batch.length;
        if (!(await move(r.tenant_id, cursor, to))) {
          // The lease was lost or another sender moved the cursor: stop; the next term recovers.
          job.lost();
          return { isLeader: false, delivered };
        }
        delivered += batch.length;
        cursor = to;
        if (batch.length < batchSize) break;
      }
    }
    return { isLeader: true, delivered };
  }

  return {
    streamOnce: async () => (await job.runOnce()) ?? { isLeader: false, delivered: 0 },
    start: job.start,
    stop: job.stop,
  };
}
