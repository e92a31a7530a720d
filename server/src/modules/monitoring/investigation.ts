import { WardError } from '@ward/contracts';
import { inclusionProofs, traceDevice, traceMember, traceSession, type AuditEventView, type InclusionPath, type SignedTreeHead } from '../audit/index.ts';
import type { Tx } from '../../db/types.ts';

/**
 * Investigation (R-MON-2, blast radius): for a session, a member, a workload or a device, everything
 * it touched in order (unsealed events included), with decisions; the patients reached (ids, and a
 * masked label when the caller's scope lets it see the patient) and other artifacts; the principal's
 * other sessions and devices; on request an RFC 9162 inclusion proof per sealed event. Runs in the
 * caller's transaction: the API's scoped one (row-level security keeps it in the caller's tenant and
 * PHI scopes), or the operator's.
 */
export const SUBJECT_KINDS = ['session', 'member', 'workload', 'device'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export interface Investigation {
  subject: { kind: SubjectKind; id: string; principalId: string | null };
  summary: { events: number; allowed: number; denied: number; failed: number; firstAt: string | null; lastAt: string | null; actions: { action: string; count: number }[] };
  events: AuditEventView[];
  /** More events than `limit`: the first `limit` are listed, the summary counts them all. */
  isTruncated: boolean;
  patients: { id: string; label: string | null; events: number; denied: number }[];
  artifacts: { type: string; id: string; events: number }[];
  sessions: { id: string; deviceId: string | null; createdAt: string | null; revokedAt: string | null; isSubject: boolean }[];
  devices: { id: string; posture: string | null; lastSeenAt: string | null }[];
  proofs?: { head: SignedTreeHead | null; proofs: InclusionPath[] };
}

export interface InvestigateOptions {
  /** Events listed (1..10,000, default 1,000). */
  limit?: number;
  withProofs?: boolean;
  /** A masked label for a patient id (null when not visible); absent: no labels. */
  patientLabel?: (patientId: string) => Promise<string | null>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PATIENT_TYPES = new Set(['Patient', 'patient']);
const MAX_LABELS = 1000;
const MAX_PROOFS = 1000;
const ISO = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${c}`;

type SessionRow = { id: string; device_id: string | null; created_at: string | null; revoked_at: string | null };
type DeviceRow = { id: string; posture: string | null; last_seen_at: string | null };
const SESSIONS_OF_MEMBER = `SELECT id, device_id, ${ISO('created_at')}, ${ISO('revoked_at')} FROM sessions WHERE tenant_id = $1 AND member_id = $2::uuid ORDER BY created_at DESC LIMIT 200`;
const SESSIONS_ON_DEVICE = `SELECT id, device_id, ${ISO('created_at')}, ${ISO('revoked_at')} FROM sessions WHERE tenant_id = $1 AND device_id = $2::uuid ORDER BY created_at DESC LIMIT 200`;
const SESSIONS_BY_ID = `SELECT id, device_id, ${ISO('created_at')}, ${ISO('revoked_at')} FROM sessions WHERE tenant_id = $1 AND id = ANY ($2::uuid[]) ORDER BY created_at DESC LIMIT 200`;
const DEVICES_OF_MEMBER = `SELECT id, posture, ${ISO('last_seen_at')} FROM devices WHERE tenant_id = $1 AND member_id = $2::uuid ORDER BY last_seen_at DESC NULLS LAST LIMIT 200`;
const DEVICES_BY_ID = `SELECT id, posture, ${ISO('last_seen_at')} FROM devices WHERE tenant_id = $1 AND id = ANY ($2::uuid[]) LIMIT 200`;

async function rows<R>(q: Pick<Tx, 'query'>, sql: string, params: unknown[]): Promise<R[]> {
  return (await q.query<R>(sql, params)).rows;
}

/** The subject's events and principal; NOT_FOUND when the subject is unknown in the tenant and did nothing. */
async function subjectEvents(q: Pick<Tx, 'query'>, tenantId: string, kind: SubjectKind, id: string): Promise<{ events: AuditEventView[]; principalId: string | null; actorId: string | null }> {
  switch (kind) {
    case 'session': {
      const member = UUID.test(id) ? (await rows<{ member_id: string }>(q, 'SELECT member_id FROM sessions WHERE tenant_id = $1 AND id = $2::uuid', [tenantId, id]))[0] : undefined;
      const events = await traceSession(q, tenantId, id);
      return { events, principalId: member?.member_id ?? events.find((e) => e.actorKind === 'human')?.actorId ?? null, actorId: null };
    }
    case 'member':
      return { events: await traceMember(q, tenantId, id), principalId: id, actorId: id };
    case 'workload': {
      const w = (await rows<{ id: string }>(q, 'SELECT id FROM workloads WHERE tenant_id = $1 AND client_id = $2', [tenantId, id]))[0];
      if (w === undefined) throw new WardError('NOT_FOUND', 'No workload has that client id in this tenant.');
      return { events: await traceMember(q, tenantId, w.id), principalId: w.id, actorId: w.id };
    }
    case 'device': {
      const d = UUID.test(id) ? (await rows<{ member_id: string }>(q, 'SELECT member_id FROM devices WHERE tenant_id = $1 AND id = $2::uuid', [tenantId, id]))[0] : undefined;
      return { events: await traceDevice(q, tenantId, id), principalId: d?.member_id ?? null, actorId: null };
    }
  }
}

export async function investigate(q: Pick<Tx, 'query'>, tenantId: string, kind: SubjectKind, id: string, opts: InvestigateOptions = {}): Promise<Investigation> {
  if (!(SUBJECT_KINDS as readonly string[]).includes(kind)) throw new WardError('BAD_REQUEST', 'Investigate a session, member, workload or device.');
  const limit = opts.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new WardError('BAD_REQUEST', 'limit must be between 1 and 10000.');
  const { events, principalId } = await subjectEvents(q, tenantId, kind, id);

  const summary: Investigation['summary'] = { events: events.length, allowed: 0, denied: 0, failed: 0, firstAt: events[0]?.occurredAt ?? null, lastAt: events.at(-1)?.occurredAt ?? null, actions: [] };
  const actions = new Map<string, number>();
  const patients = new Map<string, { events: number; denied: number }>();
  const artifacts = new Map<string, { type: string; id: string; events: number }>();
  const sessionIds = new Set<string>();
  const deviceIds = new Set<string>();
  for (const e of events) {
    const isDenied = e.decision === 'deny' || e.outcome === 'denied';
    if (isDenied) summary.denied += 1;
    else if (e.outcome === 'failure') summary.failed += 1;
    else if (e.decision === 'allow') summary.allowed += 1;
    actions.set(e.action, (actions.get(e.action) ?? 0) + 1);
    if (e.sessionId !== null) sessionIds.add(e.sessionId);
    if (e.deviceId !== null) deviceIds.add(e.deviceId);
    if (e.targetType === null || e.targetId === null) continue;
    if (PATIENT_TYPES.has(e.targetType)) {
      const p = patients.get(e.targetId) ?? { events: 0, denied: 0 };
      p.events += 1;
      if (isDenied) p.denied += 1;
      patients.set(e.targetId, p);
    } else {
      const key = `${e.targetType}:${e.targetId}`;
      const a = artifacts.get(key) ?? { type: e.targetType, id: e.targetId, events: 0 };
      a.events += 1;
      artifacts.set(key, a);
    }
  }
  summary.actions = [...actions].map(([action, count]) => ({ action, count })).sort((a, b) => b.count - a.count || a.action.localeCompare(b.action));

  let n = 0;
  const patientList: Investigation['patients'] = [];
  for (const [pid, p] of patients) {
    const label = opts.patientLabel && UUID.test(pid) && n++ < MAX_LABELS ? await opts.patientLabel(pid) : null;
    patientList.push({ id: pid, label, ...p });
  }

  // The principal's sessions and devices (a member's; a device's sessions; a workload's, from its events).
  let sessions: SessionRow[];
  let devices: DeviceRow[];
  if (principalId !== null && UUID.test(principalId) && kind !== 'workload') {
    sessions = await rows<SessionRow>(q, kind === 'device' ? SESSIONS_ON_DEVICE : SESSIONS_OF_MEMBER, [tenantId, kind === 'device' ? id : principalId]);
    devices = await rows<DeviceRow>(q, DEVICES_OF_MEMBER, [tenantId, principalId]);
  } else {
    sessions = await rows<SessionRow>(q, SESSIONS_BY_ID, [tenantId, [...sessionIds].filter((s) => UUID.test(s)).slice(0, 1000)]);
    devices = await rows<DeviceRow>(q, DEVICES_BY_ID, [tenantId, [...deviceIds].filter((s) => UUID.test(s)).slice(0, 1000)]);
  }

  const listed = events.slice(0, limit);
  const result: Investigation = {
    subject: { kind, id, principalId },
    summary,
    events: listed,
    isTruncated: events.length > limit,
    patients: patientList,
    artifacts: [...artifacts.values()],
    sessions: sessions.map((s) => ({ id: s.id, deviceId: s.device_id, createdAt: s.created_at, revokedAt: s.revoked_at, isSubject: kind === 'session' && s.id === id.toLowerCase() })),
    devices: devices.map((d) => ({ id: d.id, posture: d.posture, lastSeenAt: d.last_seen_at })),
  };
  if (opts.withProofs) {
    const seqs = listed.flatMap((e) => (e.seq === null ? [] : [e.seq])).slice(0, MAX_PROOFS);
    result.proofs = await inclusionProofs(q, tenantId, seqs);
  }
  return result;
}
