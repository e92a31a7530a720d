import { WardError } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';

/**
 * The `alerts` outbox (R-MON-1): other modules (detections, break-glass) write an alert in their own
 * transaction, so an alert exists exactly when what it reports committed; the leased delivery job
 * (job-delivery.ts) sends it. An alert carries PHI-free facts only: a kind, a severity and a flat
 * object of short strings, numbers and booleans (ids, counts, reasons), never PHI (R-DATA-4).
 */
export const ALERT_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export type AlertStatus = 'pending' | 'delivered' | 'dead_letter';

export interface AlertInput {
  tenantId: string;
  kind: string;
  severity: AlertSeverity;
  facts?: Record<string, string | number | boolean | null>;
}

const KIND = /^[a-z][A-Za-z0-9._-]{0,63}$/;
const MAX_FACTS_BYTES = 4096;

export async function enqueueAlert(tx: Tx, alert: AlertInput, now: Date): Promise<{ id: string }> {
  if (!KIND.test(alert.kind)) throw new WardError('BAD_REQUEST', 'An alert kind is 1 to 64 letters, digits, dots, dashes or underscores.');
  if (!(ALERT_SEVERITIES as readonly string[]).includes(alert.severity)) throw new WardError('BAD_REQUEST', 'Unknown alert severity.');
  const facts = alert.facts ?? {};
  for (const v of Object.values(facts)) {
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) throw new WardError('BAD_REQUEST', 'Alert facts are flat: strings, numbers, booleans.');
    if (typeof v === 'string' && v.length > 256) throw new WardError('BAD_REQUEST', 'An alert fact is at most 256 characters.');
  }
  const json = JSON.stringify(facts);
  if (Buffer.byteLength(json) > MAX_FACTS_BYTES) throw new WardError('BAD_REQUEST', 'Alert facts are at most 4 KiB.');
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO alerts (tenant_id, kind, severity, facts, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id', [alert.tenantId, alert.kind, alert.severity, json, now]);
  return { id: rows[0]!.id };
}

export interface AlertState {
  id: string;
  kind: string;
  severity: AlertSeverity;
  status: AlertStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** Delivery status per alert, newest first, in the scope's tenant (RLS). */
export async function listAlerts(tx: Tx, opts: { status?: AlertStatus; limit?: number } = {}): Promise<AlertState[]> {
  const { rows } = await tx.query<{ id: string; kind: string; severity: AlertSeverity; status: AlertStatus; attempts: number; last_status: number | null; last_error: string | null; next_attempt_at: Date; delivered_at: Date | null; created_at: Date }>(
    `SELECT id, kind, severity, status, attempts, last_status, last_error, next_attempt_at, delivered_at, created_at FROM alerts
      WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC, id LIMIT $2`, [opts.status ?? null, Math.min(opts.limit ?? 100, 1000)]);
  return rows.map((r) => ({
    id: r.id, kind: r.kind, severity: r.severity, status: r.status, attempts: r.attempts, lastStatus: r.last_status, lastError: r.last_error,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null, deliveredAt: r.delivered_at, createdAt: r.created_at,
  }));
}
