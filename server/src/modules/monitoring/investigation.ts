import { WardError } from '@ward/contracts';
import { inclusionProofs, MAX_TRACE_PAGE, tracePage, traceSummary, type AuditEventView, type InclusionPath, type SignedTreeHead, type TraceSubject } from '../audit/index.ts';
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
  /** Counted over every event of the subject (in SQL), whichever page this is. */
  summary: { events: number; allowed: number; denied: number; failed: number; firstAt: string | null; lastAt: string | null; actions: { action: string; count: number }[] };
  /** One page of the subject's events, in order (at most 1,000). */
  events: AuditEventView[];
  /** More events follow this page: ask again with `cursor: nextCursor`. */
  isTruncated: boolean;
  nextCursor: string | null;
  /** The patients (and other artifacts) reached by the most events, at most 1,000 of each. */
  patients: { id: string; label: string | null; events: number; denied: number }[];
  artifacts: { type: string; id: string; events: number }[];
  sessions: { id: string; deviceId: string | null; createdAt: string | null; revokedAt: string | null; isSubject: boolean }[];
  devices: { id: string; posture: string | null; lastSeenAt: string | null }[];
  proofs?: { head: SignedTreeHead | null; proofs: InclusionPath[] };
}

export interface InvestigateOptions {
  /** Events listed on this page (1..1,000, default 1,000). */
  limit?: number;
  /** Where the page starts: the `nextCursor` of the page before. */
  cursor?: string;
  withProofs?: boolean;
  /** A masked label for a patient id (null when not visible); absent: no labels. */
  patientLabel?: (patientId: string) => Promise<string | null>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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

/** The subject's trail and principal; NOT_FOUND for a workload unknown in the tenant. */
async function subjectOf(q: Pick<Tx, 'query'>, tenantId: string, kind: SubjectKind, id: string): Promise<{ trail: TraceSubject; principalId: string | null }> {
  switch (kind) {
    case 'session': {
      const trail = { kind: 'session', id } as const;
      if (!UUID.test(id)) return { trail, principalId: null };
      const member = (await rows<{ member_id: string }>(q, 'SELECT member_id FROM sessions WHERE tenant_id = $1 AND id = $2::uuid', [tenantId, id]))[0]
        ?? (await rows<{ member_id: string }>(q, "SELECT actor_id AS member_id FROM audit_events WHERE tenant_id = $1 AND session_id = $2::uuid AND actor_kind = 'human' ORDER BY occurred_at LIMIT 1", [tenantId, id]))[0];
      return { trail, principalId: member?.member_id ?? null };
    }
    case 'member':
      return { trail: { kind: 'actor', id }, principalId: id };
    case 'workload': {
      const w = (await rows<{ id: string }>(q, 'SELECT id FROM workloads WHERE tenant_id = $1 AND client_id = $2', [tenantId, id]))[0];
      if (w === undefined) throw new WardError('NOT_FOUND', 'No workload has that client id in this tenant.');
      return { trail: { kind: 'actor', id: w.id }, principalId: w.id };
    }
    case 'device': {
      const d = UUID.test(id) ? (await rows<{ member_id: string }>(q, 'SELECT member_id FROM devices WHERE tenant_id = $1 AND id = $2::uuid', [tenantId, id]))[0] : undefined;
      return { trail: { kind: 'device', id }, principalId: d?.member_id ?? null };
    }
  }
}

export async function investigate(q: Pick<Tx, 'query'>, tenantId: string, kind: SubjectKind, id: string, opts: InvestigateOptions = {}): Promise<Investigation> {
  if (!(SUBJECT_KINDS as readonly string[]).includes(kind)) throw new WardError('BAD_REQUEST', 'Investigate a session, member, workload or device.');
  const limit = opts.limit ?? MAX_TRACE_PAGE;
  const { trail, principalId } = await subjectOf(q, tenantId, kind, id);
  const page = await tracePage(q, tenantId, trail, { limit, ...(opts.cursor !== undefined ? { cursor: opts.cursor } : {}) });
  const { actions, patients, artifacts, sessionIds, deviceIds, patientCount: _, ...counts } = await traceSummary(q, tenantId, trail);

  const patientList: Investigation['patients'] = [];
  for (const p of patients) {
    const label = opts.patientLabel && UUID.test(p.id) ? await opts.patientLabel(p.id) : null;
    patientList.push({ id: p.id, label, events: p.events, denied: p.denied });
  }

  // The principal's sessions and devices (a member's; a device's sessions; a workload's, from its events).
  let sessions: SessionRow[];
  let devices: DeviceRow[];
  if (principalId !== null && UUID.test(principalId) && kind !== 'workload') {
    sessions = await rows<SessionRow>(q, kind === 'device' ? SESSIONS_ON_DEVICE : SESSIONS_OF_MEMBER, [tenantId, kind === 'device' ? id : principalId]);
    devices = await rows<DeviceRow>(q, DEVICES_OF_MEMBER, [tenantId, principalId]);
  } else {
    sessions = await rows<SessionRow>(q, SESSIONS_BY_ID, [tenantId, sessionIds]);
    devices = await rows<DeviceRow>(q, DEVICES_BY_ID, [tenantId, deviceIds]);
  }

  const result: Investigation = {
    subject: { kind, id, principalId },
    summary: { ...counts, actions },
    events: page.events,
    isTruncated: page.nextCursor !== null,
    nextCursor: page.nextCursor,
    patients: patientList,
    artifacts,
    sessions: sessions.map((s) => ({ id: s.id, deviceId: s.device_id, createdAt: s.created_at, revokedAt: s.revoked_at, isSubject: kind === 'session' && s.id === id.toLowerCase() })),
    devices: devices.map((d) => ({ id: d.id, posture: d.posture, lastSeenAt: d.last_seen_at })),
  };
  if (opts.withProofs) {
    const seqs = page.events.flatMap((e) => (e.seq === null ? [] : [e.seq])).slice(0, MAX_PROOFS);
    result.proofs = await inclusionProofs(q, tenantId, seqs);
  }
  return result;
}
