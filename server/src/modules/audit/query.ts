/**
 * Investigation queries over the audit trail (R-MON-2): `GET /v1/audit/events` (filters, paginated by
 * seq; the route runs it in the caller's scoped transaction, so RLS keeps it in the caller's tenant)
 * and the whole-trail read of tests (`traceMember`; `trace.ts` pages investigations). Each query is a fixed
 * statement chosen by its most selective filter, so that it uses its index:
 * (tenant_id, session_id), (tenant_id, actor_id, occurred_at), (tenant_id, on_behalf_of, occurred_at)
 * or the seals' primary key (tenant_id, seq). The justification's ciphertext never leaves: only whether one exists.
 */
import { WardError } from '@ward/contracts';
import type { AuditEventRow, JsonValue } from './event.ts';
import type { Queryable } from './repo.ts';

export interface AuditEventView {
  /** null while the event waits for the sealer (trace only; the API lists sealed events). */
  seq: number | null;
  occurredAt: string;
  actorKind: string;
  actorId: string;
  onBehalfOf: string | null;
  sessionId: string | null;
  deviceId: string | null;
  sourceIp: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  phiScope: string | null;
  decision: string | null;
  policyIds: string[];
  reasons: string[];
  purpose: string | null;
  outcome: string;
  hasJustification: boolean;
  metadata: { [key: string]: JsonValue } | null;
}

export interface AuditEventFilter {
  actorId?: string;
  sessionId?: string;
  targetType?: string;
  targetId?: string;
  action?: string;
  /** Inclusive lower and exclusive upper bound on occurred_at (ISO 8601). */
  from?: string;
  to?: string;
  /** Keyset pagination: events with a seq above this one. */
  afterSeq?: number;
  /** 1..1000, default 100. */
  limit?: number;
}

export interface AuditEventPage {
  events: AuditEventView[];
  /** Pass as `afterSeq` for the next page; null on the last page. */
  nextAfterSeq: number | null;
}

// An event and its seal (0085): `s` is joined for the API (sealed events only) and left-joined for traces.
export const VIEW_COLUMNS = `s.seq, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
  e.actor_kind, e.actor_id, e.on_behalf_of, e.session_id, e.device_id, e.source_ip, e.action, e.target_type, e.target_id, e.phi_scope,
  e.decision, e.policy_ids, e.reasons, e.purpose, e.outcome, e.justification_enc IS NOT NULL AS has_justification, e.metadata`;
const SEALED = 'audit_events e JOIN audit_seals s ON s.event_id = e.id';
export const ALL = 'audit_events e LEFT JOIN audit_seals s ON s.event_id = e.id';

// $1 the primary filter's value (unused by BY_SEQ), then the other filters: NULL means "any".
const FILTERS = `s.seq > $2
  AND ($3::text IS NULL OR e.actor_id = $3) AND ($4::uuid IS NULL OR e.session_id = $4)
  AND ($5::text IS NULL OR e.target_type = $5) AND ($6::text IS NULL OR e.target_id = $6) AND ($7::text IS NULL OR e.action = $7)
  AND ($8::timestamptz IS NULL OR e.occurred_at >= $8) AND ($9::timestamptz IS NULL OR e.occurred_at < $9)`;
const BY_SESSION = `SELECT ${VIEW_COLUMNS} FROM ${SEALED} WHERE e.session_id = $1::uuid AND ${FILTERS} ORDER BY s.seq LIMIT $10`;
const BY_ACTOR = `SELECT ${VIEW_COLUMNS} FROM ${SEALED} WHERE e.actor_id = $1::text AND ${FILTERS} ORDER BY s.seq LIMIT $10`;
const BY_SEQ = `SELECT ${VIEW_COLUMNS} FROM ${SEALED} WHERE $1::text IS NULL AND ${FILTERS} ORDER BY s.seq LIMIT $10`;

const TRACE_MEMBER = `SELECT * FROM (
    SELECT ${VIEW_COLUMNS} FROM ${ALL} WHERE e.tenant_id = $1 AND e.actor_id = $2
    UNION ALL
    SELECT ${VIEW_COLUMNS} FROM ${ALL} WHERE e.tenant_id = $1 AND e.on_behalf_of = $2 AND e.actor_id <> $2) AS e
  ORDER BY occurred_at, seq NULLS LAST`;

/** The row as VIEW_COLUMNS select it: the stored row, less its ids, with the ciphertext reduced to a flag. */
export type ViewRow = Omit<AuditEventRow, 'id' | 'tenant_id' | 'seq' | 'justification_enc'> & { seq: string | number | null; has_justification: boolean };

export function view(r: ViewRow): AuditEventView {
  return {
    seq: r.seq === null ? null : Number(r.seq),
    occurredAt: r.occurred_at,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    onBehalfOf: r.on_behalf_of,
    sessionId: r.session_id,
    deviceId: r.device_id,
    sourceIp: r.source_ip === null ? null : String(r.source_ip),
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    phiScope: r.phi_scope,
    decision: r.decision,
    policyIds: r.policy_ids ?? [],
    reasons: r.reasons ?? [],
    purpose: r.purpose,
    outcome: r.outcome,
    hasJustification: r.has_justification,
    metadata: r.metadata,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function time(name: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  if (Number.isNaN(Date.parse(value))) throw new WardError('BAD_REQUEST', `${name} is not a time.`);
  return new Date(value).toISOString();
}

/** GET /v1/audit/events: sealed events matching every filter given, ascending by seq. */
export async function queryAuditEvents(tx: Queryable, filter: AuditEventFilter): Promise<AuditEventPage> {
  const limit = filter.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new WardError('BAD_REQUEST', 'limit must be between 1 and 1000.');
  const afterSeq = filter.afterSeq ?? 0;
  if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) throw new WardError('BAD_REQUEST', 'afterSeq must be a non-negative integer.');
  if (filter.sessionId !== undefined && !UUID.test(filter.sessionId)) return { events: [], nextAfterSeq: null };
  const [sql, primary] =
    filter.sessionId !== undefined ? [BY_SESSION, filter.sessionId] : filter.actorId !== undefined ? [BY_ACTOR, filter.actorId] : [BY_SEQ, null];
  const { rows } = await tx.query<ViewRow>(sql, [
    primary,
    afterSeq,
    filter.actorId ?? null,
    filter.sessionId ?? null,
    filter.targetType ?? null,
    filter.targetId ?? null,
    filter.action ?? null,
    time('from', filter.from),
    time('to', filter.to),
    limit,
  ]);
  const events = rows.map(view);
  return { events, nextAfterSeq: events.length === limit ? events[events.length - 1]!.seq : null };
}

/**
 * Everything a member did in a tenant, themselves or through an AI agent acting for them (R-WORK-3),
 * at once: for tests and small trails. Investigations and `ward audit trace` page through `trace.ts`.
 */
export async function traceMember(q: Queryable, tenantId: string, memberId: string): Promise<AuditEventView[]> {
  return (await q.query<ViewRow>(TRACE_MEMBER, [tenantId, memberId])).rows.map(view);
}
