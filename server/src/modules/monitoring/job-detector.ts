import { enqueueAlert } from '../alerts/index.ts';
import { sealedEvents } from '../audit/index.ts';
import type { SystemDb, Tx } from '../../db/types.ts';
import type { Logger } from '../../logging.ts';
import { createEngine, type Engine, type Finding, type Lookups } from './engine.ts';
import type { Rule } from './rules.ts';

/**
 * The detector (R-MON-1): runs the rules over each tenant's sealed events in seq order, from the
 * tenant's cursor (`detection_cursors`), right after the sealer's pass (inside the sealer's lease, so
 * one server evaluates at a time). A batch's detections, their alerts (the outbox, one per new
 * detection) and the cursor commit together; the cursor moves only from the value read, so two
 * evaluators never both commit a batch. `replay` runs the same rules over history from a time.
 */
export interface Detector {
  /** Evaluates every tenant's events sealed since its cursor (up to `maxEvents` per tenant per call). */
  detectOnce(): Promise<{ events: number; detections: number }>;
  /** The rules over events since `since`; stores new detections (no alerts) unless `isDryRun`. */
  replay(since: Date, opts?: { tenantId?: string; isDryRun?: boolean }): Promise<ReplayResult>;
}

export interface ReplayResult {
  events: number;
  findings: { tenantId: string; ruleId: string; severity: string; triggerSeq: number; seqs: number[]; summary: string; isNew: boolean }[];
}

const TENANTS_BEHIND = `SELECT t.id AS tenant_id, COALESCE(c.last_seq, 0) AS last_seq FROM tenants t
  LEFT JOIN detection_cursors c ON c.tenant_id = t.id
  WHERE EXISTS (SELECT 1 FROM audit_seals s WHERE s.tenant_id = t.id AND s.seq > COALESCE(c.last_seq, 0))`;
const OCCURRED_AT = `SELECT to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
  FROM audit_seals s JOIN audit_events e ON e.id = s.event_id WHERE s.tenant_id = $1 AND s.seq = $2`;
const FIRST_SEQ_SINCE = `SELECT min(s.seq) AS seq FROM audit_events e JOIN audit_seals s ON s.event_id = e.id
  WHERE e.tenant_id = $1 AND e.occurred_at >= $2::timestamptz`;
const MOVE_CURSOR = `INSERT INTO detection_cursors (tenant_id, last_seq) VALUES ($1, $3)
  ON CONFLICT (tenant_id) DO UPDATE SET last_seq = $3 WHERE detection_cursors.last_seq = $2`;
const INSERT_DETECTION = `INSERT INTO detections (tenant_id, rule_id, severity, principal_kind, principal_id, session_id, device_id,
    event_seqs, event_count, trigger_seq, first_occurred_at, last_occurred_at, summary, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::bigint[], cardinality($8::bigint[]), $9, $10, $11, $12, $13)
  ON CONFLICT (tenant_id, rule_id, trigger_seq) DO NOTHING RETURNING id`;
const JOIN_DETECTION = `UPDATE detections SET
    event_seqs = CASE WHEN cardinality(event_seqs) < 1000 THEN array_append(event_seqs, $4::bigint) ELSE event_seqs END,
    event_count = event_count + 1, last_occurred_at = GREATEST(last_occurred_at, $5::timestamptz)
  WHERE tenant_id = $1 AND rule_id = $2 AND trigger_seq = $3 AND NOT ($4::bigint = ANY (event_seqs))`;

const BASELINE = `SELECT count(*)::int AS n FROM audit_events
  WHERE tenant_id = $1 AND actor_id = $2 AND action = ANY ($3::text[])
    AND occurred_at >= $4::timestamptz - make_interval(days => $5) AND occurred_at < $4::timestamptz`;
const SIGN_IN_HOURS = `SELECT count(*)::int AS total,
    count(*) FILTER (WHERE least(mod(h - $6 + 24, 24), mod($6 - h + 24, 24)) <= $7)::int AS near
  FROM (SELECT extract(hour FROM occurred_at AT TIME ZONE 'UTC')::int AS h FROM audit_events
    WHERE tenant_id = $1 AND actor_id = $2 AND action = ANY ($3::text[]) AND outcome = 'success'
      AND occurred_at >= $4::timestamptz - make_interval(days => $5) AND occurred_at < $4::timestamptz) AS s`;
const DEVICE = `SELECT EXISTS (SELECT 1 FROM audit_events WHERE tenant_id = $1 AND device_id = $3 AND actor_id = $2
      AND occurred_at >= $4::timestamptz - make_interval(days => $5) AND occurred_at < $4::timestamptz) AS is_known,
    (SELECT posture FROM devices WHERE tenant_id = $1 AND id = $3) AS posture`;

export interface DetectorOptions {
  systemDb: SystemDb;
  rules: readonly Rule[];
  clock: { now(): Date };
  logger?: Pick<Logger, 'warn' | 'info'>;
  maxEvents?: number;
}

export function createLookups(db: Pick<SystemDb, 'query'>): Lookups {
  return {
    async baselinePerWindow(e, actions, windowSeconds, lookbackDays, before) {
      const { rows } = await db.query<{ n: number }>(BASELINE, [e.tenantId, e.actorId, actions, before, lookbackDays]);
      return rows[0]!.n / ((lookbackDays * 86_400) / windowSeconds);
    },
    async signInHours(e, actions, lookbackDays, toleranceHours) {
      const hour = new Date(Date.parse(e.occurredAt)).getUTCHours();
      const { rows } = await db.query<{ total: number; near: number }>(SIGN_IN_HOURS, [e.tenantId, e.actorId, actions, e.occurredAt, lookbackDays, hour, toleranceHours]);
      return rows[0]!;
    },
    async device(e, lookbackDays) {
      const { rows } = await db.query<{ is_known: boolean; posture: string | null }>(DEVICE, [e.tenantId, e.actorId, e.deviceId, e.occurredAt, lookbackDays]);
      return { isKnown: rows[0]!.is_known, posture: rows[0]!.posture };
    },
  };
}

interface TenantEngine {
  engine: Engine;
  lastSeq: number;
}

export function createDetector(o: DetectorOptions): Detector {
  const maxEvents = o.maxEvents ?? 5000;
  const lookups = createLookups(o.systemDb);
  const engines = new Map<string, TenantEngine>();

  /** The first seq to read so that the windows are primed for events after `from` (an ISO time). */
  async function primeStart(tenantId: string, from: string, primeSeconds: number): Promise<number | null> {
    const start = new Date(Date.parse(from) - primeSeconds * 1000).toISOString();
    const { rows } = await o.systemDb.query<{ seq: string | number | null }>(FIRST_SEQ_SINCE, [tenantId, start]);
    return rows[0]!.seq === null ? null : Number(rows[0]!.seq);
  }

  /** Writes findings; returns the new detections' ids (alerts enqueued for them when `withAlerts`). */
  async function store(tx: Tx, tenantId: string, findings: readonly Finding[], withAlerts: boolean): Promise<boolean[]> {
    const isNew: boolean[] = [];
    for (const f of findings) {
      if (f.type === 'join') {
        await tx.query(JOIN_DETECTION, [tenantId, f.ruleId, f.triggerSeq, f.seq, f.occurredAt]);
        isNew.push(false);
        continue;
      }
      const { rows } = await tx.query<{ id: string }>(INSERT_DETECTION, [
        tenantId, f.ruleId, f.severity, f.principalKind, f.principalId, f.sessionId, f.deviceId, f.seqs, f.triggerSeq, f.firstOccurredAt, f.lastOccurredAt, f.summary, o.clock.now(),
      ]);
      isNew.push(rows.length === 1);
      if (rows.length === 1 && withAlerts && f.severity !== 'info') {
        // R-MON-1: PHI-free facts only (ids, the rule, counts).
        await enqueueAlert(tx, {
          tenantId, kind: `detection.${f.ruleId}`.slice(0, 64), severity: f.severity,
          facts: { detectionId: rows[0]!.id, ruleId: f.ruleId, principalKind: f.principalKind, principalId: f.principalId.slice(0, 256), triggerSeq: f.triggerSeq, events: f.seqs.length },
        }, o.clock.now());
      }
    }
    return isNew;
  }

  async function detectTenant(tenantId: string, cursor: number): Promise<{ events: number; detections: number }> {
    let state = engines.get(tenantId);
    let from = cursor + 1;
    if (state === undefined || state.lastSeq !== cursor) {
      // A new term (restart, or another server evaluated meanwhile): windows primed from the trail.
      const engine = createEngine(o.rules, lookups);
      state = { engine, lastSeq: cursor };
      const next = (await o.systemDb.query<{ at: string }>(OCCURRED_AT, [tenantId, cursor + 1])).rows[0];
      if (next !== undefined && cursor > 0) from = Math.min(from, (await primeStart(tenantId, next.at, engine.primeSeconds)) ?? from);
    }
    const findings: Finding[] = [];
    let last = cursor;
    let events = 0;
    try {
      for await (const e of sealedEvents(o.systemDb, tenantId, { fromSeq: from, pageSize: 1000 })) {
        if (e.seq <= cursor) {
          await state.engine.prime(e);
          continue;
        }
        if (e.seq !== last + 1 || events >= maxEvents) break; // in order, bounded
        findings.push(...(await state.engine.evaluate(e)));
        last = e.seq;
        events += 1;
      }
    } catch (e) {
      engines.delete(tenantId);
      throw e;
    }
    if (events === 0) return { events: 0, detections: 0 };
    let detections = 0;
    try {
      const isCommitted = await o.systemDb.transaction(async (tx) => {
        const moved = await tx.query(MOVE_CURSOR, [tenantId, cursor, last]);
        if (moved.rowCount !== 1) return false; // another evaluator moved it: nothing of this batch is kept
        detections = (await store(tx, tenantId, findings, true)).filter(Boolean).length;
        return true;
      });
      if (!isCommitted) {
        engines.delete(tenantId);
        return { events: 0, detections: 0 };
      }
    } catch (e) {
      engines.delete(tenantId); // the windows saw events whose batch did not commit
      throw e;
    }
    state.lastSeq = last;
    engines.set(tenantId, state);
    return { events, detections };
  }

  return {
    async detectOnce() {
      const total = { events: 0, detections: 0 };
      const { rows } = await o.systemDb.query<{ tenant_id: string; last_seq: string | number }>(TENANTS_BEHIND);
      for (const r of rows) {
        const done = await detectTenant(r.tenant_id, Number(r.last_seq));
        total.events += done.events;
        total.detections += done.detections;
        if (done.detections > 0) o.logger?.info({ tenantId: r.tenant_id, detections: done.detections }, 'detections raised');
      }
      return total;
    },

    async replay(since, opts = {}) {
      const result: ReplayResult = { events: 0, findings: [] };
      const tenants = opts.tenantId !== undefined ? [opts.tenantId] : (await o.systemDb.query<{ id: string }>('SELECT id FROM tenants ORDER BY slug')).rows.map((r) => r.id);
      const sinceIso = since.toISOString();
      for (const tenantId of tenants) {
        const engine = createEngine(o.rules, lookups);
        const start = await primeStart(tenantId, sinceIso, engine.primeSeconds);
        if (start === null) continue;
        const findings: Finding[] = [];
        for await (const e of sealedEvents(o.systemDb, tenantId, { fromSeq: start })) {
          if (Date.parse(e.occurredAt) < since.getTime()) {
            await engine.prime(e);
            continue;
          }
          result.events += 1;
          findings.push(...(await engine.evaluate(e)));
        }
        const isNew = opts.isDryRun ? findings.map(() => true) : await o.systemDb.transaction((tx) => store(tx, tenantId, findings, false));
        findings.forEach((f, i) => {
          if (f.type === 'new') result.findings.push({ tenantId, ruleId: f.ruleId, severity: f.severity, triggerSeq: f.triggerSeq, seqs: f.seqs, summary: f.summary, isNew: isNew[i]! });
        });
      }
      return result;
    },
  };
}

