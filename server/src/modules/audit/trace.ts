/**
 * An investigation's reads of the audit trail, bounded (R-MON-2): a subject's events a page at a time
 * in trail order (occurred_at, then seq with unsealed events last, then the event id), resumed after
 * an opaque cursor, and its counts aggregated in PostgreSQL, so that neither holds the subject's whole
 * trail in the server's memory however busy the subject was. Each statement reaches the subject's rows
 * by the indexes `query.ts` names. Runs in the caller's transaction (row-level security applies).
 */
import { WardError } from '@ward/contracts';
import { ALL, view, VIEW_COLUMNS, type AuditEventView, type ViewRow } from './query.ts';
import type { Queryable } from './repo.ts';

/** A session's or a device's events, or an actor's (a member or workload: alone, and for someone through an AI agent). */
export type TraceSubject = { kind: 'session' | 'device' | 'actor'; id: string };

/** Rows per page at most: an answer never lists more. */
export const MAX_TRACE_PAGE = 1000;
/** Patients and other artifacts listed by an investigation at most: those reached by the most events. */
export const MAX_REACHED = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PATIENT = "e.target_type IN ('Patient', 'patient')";
const DENIED = "(e.decision = 'deny' OR e.outcome = 'denied')";

/** The subject's rows of `audit_events e` (and its seal), with `columns`, each branch bounded below by $3 when given. */
function subjectRows(subject: TraceSubject, columns: string, from: string): string {
  const since = '($3::timestamptz IS NULL OR e.occurred_at >= $3::timestamptz)';
  switch (subject.kind) {
    case 'session': return `SELECT ${columns} FROM ${from} WHERE e.tenant_id = $1 AND e.session_id = $2::uuid AND ${since}`;
    case 'device': return `SELECT ${columns} FROM ${from} WHERE e.tenant_id = $1 AND e.device_id = $2::uuid AND ${since}`;
    case 'actor': return `SELECT ${columns} FROM ${from} WHERE e.tenant_id = $1 AND e.actor_id = $2 AND ${since}
      UNION ALL SELECT ${columns} FROM ${from} WHERE e.tenant_id = $1 AND e.on_behalf_of = $2 AND e.actor_id <> $2 AND ${since}`;
  }
}

// After the cursor ($3 the time, $4 the seq or null, $5 the event id), in the order seq NULLS LAST.
const AFTER = `($3::timestamptz IS NULL OR e.at > $3::timestamptz OR (e.at = $3::timestamptz AND
  CASE WHEN $4::bigint IS NULL THEN e.seq IS NULL AND e.event_id > $5::uuid ELSE e.seq > $4::bigint OR e.seq IS NULL END))`;
const pageSql = (subject: TraceSubject) => `SELECT * FROM (${subjectRows(subject, `${VIEW_COLUMNS}, e.id AS event_id, e.occurred_at AS at`, ALL)}) AS e
  WHERE ${AFTER} ORDER BY e.at, e.seq NULLS LAST, e.event_id LIMIT $6`;

interface Cursor { at: string; seq: number | null; id: string }

function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.at}|${c.seq ?? ''}|${c.id}`, 'utf8').toString('base64url');
}

function decodeCursor(text: string): Cursor {
  const [at, seq, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || at === undefined || seq === undefined || id === undefined || Number.isNaN(Date.parse(at)) || !/^\d{0,18}$/.test(seq) || !UUID.test(id)) {
    throw new WardError('BAD_REQUEST', 'cursor is not one this server gave.');
  }
  return { at, seq: seq === '' ? null : Number(seq), id };
}

export interface TracePage {
  events: AuditEventView[];
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
}

/** One page of the subject's events (1..1000), after `cursor` when given. */
export async function tracePage(q: Queryable, tenantId: string, subject: TraceSubject, opts: { limit: number; cursor?: string }): Promise<TracePage> {
  if (!Number.isInteger(opts.limit) || opts.limit < 1 || opts.limit > MAX_TRACE_PAGE) throw new WardError('BAD_REQUEST', `limit must be between 1 and ${MAX_TRACE_PAGE}.`);
  const after = opts.cursor === undefined ? null : decodeCursor(opts.cursor);
  if (subject.kind !== 'actor' && !UUID.test(subject.id)) return { events: [], nextCursor: null };
  const { rows } = await q.query<ViewRow & { event_id: string }>(pageSql(subject), [tenantId, subject.id, after?.at ?? null, after?.seq ?? null, after?.id ?? null, opts.limit + 1]);
  const listed = rows.slice(0, opts.limit);
  const last = listed.at(-1);
  const events = listed.map(view);
  return { events, nextCursor: rows.length > opts.limit && last ? encodeCursor({ at: events.at(-1)!.occurredAt, seq: events.at(-1)!.seq, id: last.event_id }) : null };
}

/** Every event of the subject, a page at a time (`ward audit trace`, an export): never more than one page in memory. */
export async function* traceAll(q: Queryable, tenantId: string, subject: TraceSubject): AsyncGenerator<AuditEventView[]> {
  let cursor: string | undefined;
  do {
    const page = await tracePage(q, tenantId, subject, { limit: MAX_TRACE_PAGE, ...(cursor ? { cursor } : {}) });
    if (page.events.length > 0) yield page.events;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

export interface TraceSummary {
  events: number; allowed: number; denied: number; failed: number; firstAt: string | null; lastAt: string | null;
  actions: { action: string; count: number }[];
  /** The patients reached by the most events (at most 1,000), and the number reached in all. */
  patients: { id: string; events: number; denied: number }[];
  patientCount: number;
  artifacts: { type: string; id: string; events: number }[];
  sessionIds: string[];
  deviceIds: string[];
}

const AT = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const summarySql = (subject: TraceSubject) => `WITH e AS (${subjectRows(subject, 'e.occurred_at, e.action, e.target_type, e.target_id, e.session_id, e.device_id, e.decision, e.outcome', 'audit_events e')})
SELECT (SELECT json_build_object('events', count(*), 'denied', count(*) FILTER (WHERE ${DENIED}),
          'failed', count(*) FILTER (WHERE NOT ${DENIED} AND e.outcome = 'failure'),
          'allowed', count(*) FILTER (WHERE NOT ${DENIED} AND e.outcome IS DISTINCT FROM 'failure' AND e.decision = 'allow'),
          'firstAt', ${AT('min(e.occurred_at)')}, 'lastAt', ${AT('max(e.occurred_at)')},
          'patientCount', count(DISTINCT e.target_id) FILTER (WHERE ${PATIENT})) FROM e) AS summary,
  (SELECT coalesce(json_agg(a), '[]') FROM (SELECT e.action, count(*) AS count FROM e GROUP BY e.action ORDER BY count(*) DESC, e.action LIMIT 500) a) AS actions,
  (SELECT coalesce(json_agg(p), '[]') FROM (SELECT e.target_id AS id, count(*) AS events, count(*) FILTER (WHERE ${DENIED}) AS denied FROM e
     WHERE ${PATIENT} AND e.target_id IS NOT NULL GROUP BY e.target_id ORDER BY count(*) DESC, e.target_id LIMIT ${MAX_REACHED}) p) AS patients,
  (SELECT coalesce(json_agg(x), '[]') FROM (SELECT e.target_type AS type, e.target_id AS id, count(*) AS events FROM e
     WHERE NOT ${PATIENT} AND e.target_type IS NOT NULL AND e.target_id IS NOT NULL GROUP BY e.target_type, e.target_id ORDER BY count(*) DESC, e.target_type, e.target_id LIMIT ${MAX_REACHED}) x) AS artifacts,
  ARRAY(SELECT DISTINCT e.session_id::text FROM e WHERE e.session_id IS NOT NULL LIMIT 1000) AS session_ids,
  ARRAY(SELECT DISTINCT e.device_id::text FROM e WHERE e.device_id IS NOT NULL LIMIT 1000) AS device_ids`;

type Json<T> = T | string;
const parsed = <T>(v: Json<T>): T => (typeof v === 'string' ? JSON.parse(v) as T : v);

/** The subject's counts over all its events, in one statement: what each page of an investigation repeats. */
export async function traceSummary(q: Queryable, tenantId: string, subject: TraceSubject): Promise<TraceSummary> {
  if (subject.kind !== 'actor' && !UUID.test(subject.id)) {
    return { events: 0, allowed: 0, denied: 0, failed: 0, firstAt: null, lastAt: null, actions: [], patients: [], patientCount: 0, artifacts: [], sessionIds: [], deviceIds: [] };
  }
  type Row = {
    summary: Json<{ events: number; allowed: number; denied: number; failed: number; firstAt: string | null; lastAt: string | null; patientCount: number }>;
    actions: Json<{ action: string; count: number }[]>; patients: Json<{ id: string; events: number; denied: number }[]>;
    artifacts: Json<{ type: string; id: string; events: number }[]>; session_ids: string[]; device_ids: string[];
  };
  const { rows: [r] } = await q.query<Row>(summarySql(subject), [tenantId, subject.id, null]);
  const { patientCount, ...counts } = parsed(r!.summary);
  return { ...counts, patientCount, actions: parsed(r!.actions), patients: parsed(r!.patients), artifacts: parsed(r!.artifacts), sessionIds: r!.session_ids, deviceIds: r!.device_ids };
}
