import { leasedJob } from '../../db/leased-job.ts';
import type { SystemDb } from '../../db/types.ts';
import type { Logger } from '../../logging.ts';
import type { EgressFetch } from '../egress/index.ts';
import { signRequest } from '../workload/index.ts';
import type { AlertSigningKey } from './signing-key.ts';

/**
 * The leased delivery job of the `alerts` outbox (R-MON-1, R-WORK-4), one sender across every Ward
 * server (db/leased-job.ts: a row in `leases`, taken when free or expired, renewed by its holder,
 * released on stop). Each pass takes the due alerts, oldest first, and POSTs each to
 * WARD_ALERT_WEBHOOK_URL through the egress policy, signed with RFC 9421 by Ward's alert key
 * (`keyid` = its `kid` in /.well-known/jwks.json). A 2xx answer marks the alert `delivered`; anything
 * else is retried with exponential back-off (30 s, 60 s, … at most 1 h); after `maxAttempts` the
 * alert is a `dead_letter`, with a row in `alert_dead_letters` that keeps its last error. No database
 * transaction is open while the receiver is called; each outcome is written only while this server
 * still holds the lease (fencing), so a server that lost it writes nothing.
 */
export const ALERT_LEASE = 'alerts-delivery';

export interface AlertDeliveryOptions {
  systemDb: SystemDb;
  egress: EgressFetch;
  key: () => Promise<AlertSigningKey>;
  url: URL;
  clock: { now(): Date };
  logger?: Pick<Logger, 'warn' | 'error' | 'info'>;
  intervalMs?: number;
  leaseSeconds?: number;
  batchSize?: number;
  maxAttempts?: number;
  /** The first retry waits this long; each further one twice as long, at most an hour. */
  backoffBaseSeconds?: number;
  holder?: string;
}

export interface AlertDelivery {
  /** One pass; false when another server holds the lease (this one sent nothing). */
  deliverOnce(): Promise<{ isLeader: boolean; delivered: number; retried: number; deadLettered: number }>;
  start(): void;
  stop(): Promise<void>;
  readonly holder: string;
}

const HOLDS = 'EXISTS (SELECT 1 FROM leases l WHERE l.name = $2 AND l.holder = $3 AND l.expires_at > clock_timestamp())';
const DUE = `SELECT id, tenant_id, kind, severity, facts, attempts, created_at FROM alerts
  WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, created_at LIMIT $2`;
const DELIVERED = `UPDATE alerts SET status = 'delivered', attempts = attempts + 1, last_status = $4, last_error = NULL, delivered_at = $5
  WHERE id = $1 AND status = 'pending' AND ${HOLDS}`;
const RETRY = `UPDATE alerts SET attempts = attempts + 1, last_status = $4, last_error = $5, next_attempt_at = $6
  WHERE id = $1 AND status = 'pending' AND ${HOLDS}`;
const DEAD = `WITH dead AS (
    UPDATE alerts SET status = 'dead_letter', attempts = attempts + 1, last_status = $4, last_error = $5, dead_at = $6
     WHERE id = $1 AND status = 'pending' AND ${HOLDS} RETURNING id, tenant_id, attempts)
  INSERT INTO alert_dead_letters (alert_id, tenant_id, attempts, last_status, last_error, dead_at)
  SELECT id, tenant_id, attempts, $4, $5, $6 FROM dead`;

interface DueAlert {
  id: string;
  tenant_id: string;
  kind: string;
  severity: string;
  facts: Record<string, unknown>;
  attempts: number;
  created_at: Date;
}

export function createAlertDelivery(o: AlertDeliveryOptions): AlertDelivery {
  const batchSize = o.batchSize ?? 50;
  const maxAttempts = o.maxAttempts ?? 8;
  const base = o.backoffBaseSeconds ?? 30;
  const job = leasedJob({
    systemDb: o.systemDb, name: ALERT_LEASE, holder: o.holder, leaseSeconds: o.leaseSeconds ?? 30, intervalMs: o.intervalMs ?? 1000,
    pass: ({ holder }) => deliverDue(holder),
    onError: (e) => o.logger?.error({ err: errorOf(e) }, 'alert delivery pass failed'),
  });

  /** What happened, without echoing the receiver's text (it may say anything). */
  function errorOf(e: unknown): string {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? code.slice(0, 64) : e instanceof Error ? e.name.slice(0, 64) : 'error';
  }

  async function send(a: DueAlert): Promise<{ status: number | null; error: string | null }> {
    const body = Buffer.from(JSON.stringify({
      type: 'ward-alert', id: a.id, tenantId: a.tenant_id, kind: a.kind, severity: a.severity, facts: a.facts, createdAt: a.created_at.toISOString(), attempt: a.attempts + 1,
    }));
    try {
      const key = await o.key();
      const headers = await signRequest({ method: 'POST', url: o.url.href, headers: { 'content-type': 'application/json' }, body },
        { keyid: key.kid, alg: 'ecdsa-p256-sha256', privateKey: key.privateKey }, { now: o.clock.now(), label: 'ward' });
      const res = await o.egress(o.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer().catch(() => undefined);
      return res.status >= 200 && res.status < 300 ? { status: res.status, error: null } : { status: res.status, error: `http_${res.status}` };
    } catch (e) {
      return { status: null, error: errorOf(e) };
    }
  }

  /** The due alerts, while `holder` holds the lease (each outcome is written only while it still does). */
  async function deliverDue(holder: string) {
    const result = { isLeader: true, delivered: 0, retried: 0, deadLettered: 0 };
    const now = o.clock.now();
    const { rows } = await o.systemDb.query<DueAlert>(DUE, [now, batchSize]);
    for (const a of rows) {
      const r = await send(a);
      const at = o.clock.now();
      if (r.error === null) {
        await o.systemDb.query(DELIVERED, [a.id, ALERT_LEASE, holder, r.status, at]);
        result.delivered++;
      } else if (a.attempts + 1 >= maxAttempts) {
        await o.systemDb.query(DEAD, [a.id, ALERT_LEASE, holder, r.status, r.error, at]);
        o.logger?.warn({ securityEvent: 'alert.dead_letter', alertId: a.id, attempts: a.attempts + 1, reason: r.error }, 'an alert could not be delivered and is a dead letter');
        result.deadLettered++;
      } else {
        const waitSeconds = Math.min(base * 2 ** a.attempts, 3600);
        await o.systemDb.query(RETRY, [a.id, ALERT_LEASE, holder, r.status, r.error, new Date(at.getTime() + waitSeconds * 1000)]);
        result.retried++;
      }
    }
    return result;
  }

  return {
    holder: job.holder,
    deliverOnce: async () => (await job.runOnce()) ?? { isLeader: false, delivered: 0, retried: 0, deadLettered: 0 },
    start: job.start,
    stop: job.stop,
  };
}
