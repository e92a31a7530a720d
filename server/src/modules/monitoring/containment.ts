import { WardError } from '@ward/contracts';
import type { AuditLog } from '../audit/index.ts';
import { endSession } from '../sessions/index.ts';
import type { Tx } from '../../db/types.ts';

/**
 * Containment (R-MON-2, R-GOV-5: time to contain an incident). `ward session revoke --detection <id>`
 * revokes one session and records the containment against the detection that prompted it; a lock with
 * a detection (`ward lock`, POST /v1/locks) records its own (`<target>_lock`, in ward_lock: 0039).
 * `timesToContain` joins them to the detections: from the first triggering event, and from the
 * detection being raised, to containment.
 */
export interface ContainmentAction {
  detectionId: string;
  kind: string;
  subjectId: string;
  containedAt: Date;
}

export interface TimeToContain {
  detectionId: string;
  ruleId: string;
  severity: string;
  kind: string;
  subjectId: string;
  containedAt: string;
  /** From the first triggering event to containment. */
  fromFirstEventSeconds: number;
  /** From the detection being raised to containment. */
  fromDetectionSeconds: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Revokes one session of the tenant; with a detection, records the containment. Audited as
 * `session.revoke`. In the caller's transaction: the operator's (`ward session revoke`), which may
 * write containments; ward_app may not.
 */
export async function revokeSession(
  tx: Tx,
  audit: AuditLog,
  input: { tenantId: string; sessionId: string; detectionId?: string; actorId: string; now: Date },
): Promise<{ wasLive: boolean; memberId: string; containmentId: string | null }> {
  if (!UUID.test(input.sessionId)) throw new WardError('USAGE', '--session takes a session id (a UUID).');
  if (input.detectionId !== undefined && !UUID.test(input.detectionId)) throw new WardError('USAGE', '--detection takes a detection id (a UUID).');
  const session = (await tx.query<{ member_id: string; device_id: string | null; is_live: boolean }>(
    'SELECT member_id, device_id, revoked_at IS NULL AND expires_at > $3 AS is_live FROM sessions WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
    [input.tenantId, input.sessionId, input.now],
  )).rows[0];
  if (session === undefined) throw new WardError('NOT_FOUND', 'No such session in this tenant.');
  if (input.detectionId !== undefined) {
    const found = await tx.query('SELECT 1 FROM detections WHERE tenant_id = $1 AND id = $2', [input.tenantId, input.detectionId]);
    if (found.rowCount !== 1) throw new WardError('NOT_FOUND', 'No such detection in this tenant.');
  }
  await endSession(tx, input.sessionId, input.now);
  const containmentId = input.detectionId === undefined ? null : (await tx.query<{ id: string }>(
    `INSERT INTO containments (tenant_id, detection_id, kind, subject_id, actor_id, contained_at) VALUES ($1, $2, 'session_revoke', $3, $4, $5) RETURNING id`,
    [input.tenantId, input.detectionId, input.sessionId, input.actorId, input.now],
  )).rows[0]!.id;
  await audit.append(tx, {
    tenantId: input.tenantId, actorKind: 'system', actorId: input.actorId, action: 'session.revoke', targetType: 'session', targetId: input.sessionId,
    outcome: 'success', metadata: { memberId: session.member_id, wasLive: session.is_live, ...(input.detectionId ? { detectionId: input.detectionId } : {}) },
  });
  return { wasLive: session.is_live, memberId: session.member_id, containmentId };
}

/**
 * Detection → containment times of a tenant: the containments recorded (session revocations and
 * locks), plus any other containment actions the caller passes. One row per containment action; the
 * earliest per detection is its time to contain.
 */
export async function timesToContain(q: Pick<Tx, 'query'>, tenantId: string, others: readonly ContainmentAction[] = []): Promise<TimeToContain[]> {
  const own = (await q.query<{ detection_id: string; kind: string; subject_id: string; contained_at: Date }>(
    'SELECT detection_id, kind, subject_id, contained_at FROM containments WHERE tenant_id = $1 AND detection_id IS NOT NULL', [tenantId],
  )).rows.map((r) => ({ detectionId: r.detection_id, kind: r.kind, subjectId: r.subject_id, containedAt: new Date(r.contained_at) }));
  const actions = [...own, ...others.filter((a) => UUID.test(a.detectionId))];
  if (actions.length === 0) return [];
  const { rows } = await q.query<{ id: string; rule_id: string; severity: string; first_occurred_at: Date; created_at: Date }>(
    'SELECT id, rule_id, severity, first_occurred_at, created_at FROM detections WHERE tenant_id = $1 AND id = ANY ($2::uuid[])',
    [tenantId, [...new Set(actions.map((a) => a.detectionId))]],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: TimeToContain[] = [];
  for (const a of actions) {
    const d = byId.get(a.detectionId);
    if (d === undefined) continue;
    out.push({
      detectionId: d.id, ruleId: d.rule_id, severity: d.severity, kind: a.kind, subjectId: a.subjectId, containedAt: a.containedAt.toISOString(),
      fromFirstEventSeconds: (a.containedAt.getTime() - new Date(d.first_occurred_at).getTime()) / 1000,
      fromDetectionSeconds: (a.containedAt.getTime() - new Date(d.created_at).getTime()) / 1000,
    });
  }
  return out.sort((x, y) => x.containedAt.localeCompare(y.containedAt));
}
