import { WardError } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { Severity } from './rules.ts';

/**
 * Detection records (R-MON-1): read and triaged in the caller's scoped transaction, so row-level
 * security keeps them in the caller's tenant. A detection is `open`, then `acknowledged` (someone is
 * on it), then `closed` with a note; closing needs a note, and a closed detection stays closed.
 */
export const DETECTION_STATES = ['open', 'acknowledged', 'closed'] as const;
export type DetectionState = (typeof DETECTION_STATES)[number];

export interface Detection {
  id: string;
  ruleId: string;
  severity: Severity;
  principalKind: string | null;
  principalId: string | null;
  sessionId: string | null;
  deviceId: string | null;
  eventSeqs: number[];
  eventCount: number;
  triggerSeq: number;
  firstOccurredAt: string;
  lastOccurredAt: string;
  summary: string;
  state: DetectionState;
  note: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  closedBy: string | null;
  closedAt: string | null;
  createdAt: string;
}

const ISO = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${c}`;
const COLUMNS = `id, rule_id, severity, principal_kind, principal_id, session_id, device_id, event_seqs, event_count, trigger_seq,
  ${ISO('first_occurred_at')}, ${ISO('last_occurred_at')}, summary, state, note, acknowledged_by, ${ISO('acknowledged_at')}, closed_by, ${ISO('closed_at')}, ${ISO('created_at')}`;

interface Row {
  id: string;
  rule_id: string;
  severity: Severity;
  principal_kind: string | null;
  principal_id: string | null;
  session_id: string | null;
  device_id: string | null;
  event_seqs: (string | number)[];
  event_count: number;
  trigger_seq: string | number;
  first_occurred_at: string;
  last_occurred_at: string;
  summary: string;
  state: DetectionState;
  note: string | null;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  closed_by: string | null;
  closed_at: string | null;
  created_at: string;
}

const view = (r: Row): Detection => ({
  id: r.id, ruleId: r.rule_id, severity: r.severity, principalKind: r.principal_kind, principalId: r.principal_id, sessionId: r.session_id, deviceId: r.device_id,
  eventSeqs: r.event_seqs.map(Number), eventCount: r.event_count, triggerSeq: Number(r.trigger_seq), firstOccurredAt: r.first_occurred_at, lastOccurredAt: r.last_occurred_at,
  summary: r.summary, state: r.state, note: r.note, acknowledgedBy: r.acknowledged_by, acknowledgedAt: r.acknowledged_at, closedBy: r.closed_by, closedAt: r.closed_at, createdAt: r.created_at,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DetectionFilter {
  state?: DetectionState;
  severity?: Severity;
  principalId?: string;
  limit?: number;
}

/** Newest first. */
export async function listDetections(tx: Tx, f: DetectionFilter = {}): Promise<Detection[]> {
  const limit = f.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new WardError('BAD_REQUEST', 'limit must be between 1 and 1000.');
  const { rows } = await tx.query<Row>(
    `SELECT ${COLUMNS} FROM detections WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR severity = $2) AND ($3::text IS NULL OR principal_id = $3)
      ORDER BY created_at DESC, id LIMIT $4`,
    [f.state ?? null, f.severity ?? null, f.principalId ?? null, limit],
  );
  return rows.map(view);
}

export async function getDetection(tx: Tx, id: string): Promise<Detection | null> {
  if (!UUID.test(id)) return null;
  const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM detections WHERE id = $1`, [id]);
  return rows[0] === undefined ? null : view(rows[0]);
}

/**
 * The principal's detections not closed yet (open or acknowledged), most severe first: what the
 * risk signals read (R-SESS-2). Runs in the caller's transaction (scoped or system).
 */
export async function openDetectionsFor(tx: Pick<Tx, 'query'>, tenantId: string, principalId: string): Promise<Detection[]> {
  const { rows } = await tx.query<Row>(
    `SELECT ${COLUMNS} FROM detections WHERE tenant_id = $1 AND principal_id = $2 AND state <> 'closed'
      ORDER BY array_position(ARRAY['critical','high','medium','low','info'], severity), created_at DESC LIMIT 100`,
    [tenantId, principalId],
  );
  return rows.map(view);
}

const NOTE_MAX = 2000;

function checkedNote(note: string | undefined, isRequired: boolean): string | null {
  const text = note?.trim() ?? '';
  if (text.length === 0) {
    if (isRequired) throw new WardError('BAD_REQUEST', 'Closing a detection needs a note.');
    return null;
  }
  if (text.length > NOTE_MAX) throw new WardError('BAD_REQUEST', `A note is at most ${NOTE_MAX} characters.`);
  return text;
}

/**
 * open → acknowledged; open or acknowledged → closed (with a note). Acknowledging twice is a no-op;
 * anything done to a closed detection is DETECTION_CLOSED (409). Another tenant's id reads as absent.
 */
export async function triageDetection(tx: Tx, id: string, to: 'acknowledged' | 'closed', by: string, now: Date, note?: string): Promise<Detection> {
  const text = checkedNote(note, to === 'closed');
  const current = await getDetection(tx, id);
  if (current === null) throw new WardError('NOT_FOUND');
  if (current.state === 'closed') throw new WardError('DETECTION_CLOSED');
  if (to === 'acknowledged') {
    if (current.state === 'acknowledged' && text === null) return current;
    await tx.query(
      `UPDATE detections SET state = 'acknowledged', acknowledged_by = COALESCE(acknowledged_by, $2), acknowledged_at = COALESCE(acknowledged_at, $3), note = COALESCE($4, note)
        WHERE id = $1 AND state <> 'closed'`,
      [id, by, now, text],
    );
  } else {
    await tx.query(
      `UPDATE detections SET state = 'closed', closed_by = $2, closed_at = $3, note = $4,
          acknowledged_by = COALESCE(acknowledged_by, $2), acknowledged_at = COALESCE(acknowledged_at, $3)
        WHERE id = $1 AND state <> 'closed'`,
      [id, by, now, text],
    );
  }
  return (await getDetection(tx, id))!;
}
