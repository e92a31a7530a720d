import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TenantId } from '@ward/contracts';
import type { Deps } from '../../deps.ts';
import type { ResourceRef } from '../../modules/access/index.ts';
import { MAX_TRACE_PAGE } from '../../modules/audit/index.ts';
import { getDetection, investigate, listDetections, triageDetection, DETECTION_STATES, SEVERITIES, type SubjectKind } from '../../modules/monitoring/index.ts';
import { getPatient } from '../../modules/phi/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { IdParams, Uuid } from './common.ts';
import { DetectionItem as Detection, InvestigationReply as Investigation } from '@ward/contracts';

/**
 * Detections and investigations over HTTP (R-MON-1, R-MON-2). Reading them is an `audit.read`
 * decision on the tenant's audit log; acknowledging or closing a detection is `detection.triage`.
 * Row-level security keeps every query in the caller's tenant, and the patients an investigation
 * labels in the caller's PHI scopes; a patient's label is its initials only (masked), never a name.
 */
const Str = Type.String({ maxLength: 200 });

const DetectionQuery = Type.Object(
  {
    state: Type.Optional(Type.Union(DETECTION_STATES.map((s) => Type.Literal(s)))),
    severity: Type.Optional(Type.Union(SEVERITIES.map((s) => Type.Literal(s)))),
    principalId: Type.Optional(Str),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
const Note = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

// R-MON-2: at most 1,000 events an answer; `cursor` (the answer's `nextCursor`) asks for the next page.
const InvestigationQuery = Type.Object(
  {
    proofs: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TRACE_PAGE })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);

const auditLog = (tenant: string): ResourceRef => ({ type: 'AuditLog', id: tenant, tenant });
const initials = (given: string | null, family: string | null) => [given, family].map((n) => (n?.trim() ? `${n.trim()[0]!.toUpperCase()}.` : '?')).join(' ');

export function investigationRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/detections',
    action: 'audit.read',
    schema: { summary: "The tenant's detections, newest first (R-MON-1)", querystring: DetectionQuery, response: { 200: Type.Object({ detections: Type.Array(Detection) }, { additionalProperties: false }) } },
    load: async (_tx, _req, who) => auditLog(who.principal.tenantId),
    handle: async (tx, _ctx, req) => ({ detections: await listDetections(tx, req.query) }),
    auditMetadata: (r) => ({ count: r.detections.length, view: 'detections' }),
  });

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/detections/:id',
    action: 'audit.read',
    schema: { summary: 'One detection: rule, severity, triggering events by seq, state (R-MON-1)', params: IdParams, response: { 200: Detection } },
    target: (req) => ({ type: 'detection', id: req.params.id }),
    load: async (tx, req, who) => ((await getDetection(tx, req.params.id)) ? auditLog(who.principal.tenantId) : null),
    handle: async (tx, _ctx, req) => (await getDetection(tx, req.params.id))!,
  });

  for (const [suffix, to] of [['acknowledge', 'acknowledged'], ['close', 'closed']] as const) {
    enforcedRoute(app, deps, {
      method: 'POST',
      url: `/v1/detections/:id/${suffix}`,
      action: 'detection.triage',
      schema: { summary: suffix === 'close' ? 'Close a detection with a note (R-MON-1)' : 'Acknowledge a detection (R-MON-1)', params: IdParams, body: Note, response: { 200: Detection } },
      target: (req) => ({ type: 'detection', id: req.params.id }),
      load: async (tx, req, who) => ((await getDetection(tx, req.params.id)) ? auditLog(who.principal.tenantId) : null),
      handle: (tx, { who }, req) => triageDetection(tx, req.params.id, to, who.principal.id, deps.clock.now(), req.body.note),
      auditMetadata: (d) => ({ detection: d.id, state: d.state }),
    });
  }

  const subjects: [string, SubjectKind, ReturnType<typeof Type.String>][] = [
    ['sessions', 'session', Uuid], ['members', 'member', Uuid], ['workloads', 'workload', Type.String({ pattern: '^wl_[A-Za-z0-9_-]{22}$' })], ['devices', 'device', Uuid],
  ];
  for (const [path, kind, idSchema] of subjects) {
    enforcedRoute(app, deps, {
      method: 'GET',
      url: `/v1/investigations/${path}/:id`,
      action: 'audit.read',
      schema: {
        summary: `Everything a ${kind} touched, in order, with decisions, patients reached, sessions, devices and optional inclusion proofs (R-MON-2)`,
        params: Type.Object({ id: idSchema }, { additionalProperties: false }), querystring: InvestigationQuery, response: { 200: Investigation } },
      target: (req) => ({ type: kind, id: req.params.id }),
      load: async (_tx, _req, who) => auditLog(who.principal.tenantId),
      handle: (tx, { who }, req) =>
        investigate(tx, who.principal.tenantId, kind, req.params.id, {
          ...(req.query.limit ? { limit: req.query.limit } : {}),
          ...(req.query.cursor ? { cursor: req.query.cursor } : {}),
          withProofs: req.query.proofs === true,
          // R-MON-2: the patient as the caller's scope sees it (absent: null), reduced to initials.
          patientLabel: async (id) => {
            const p = await getPatient(tx, deps.cipher, who.principal.tenantId as TenantId, id, { fields: ['givenName', 'familyName'] });
            return p ? initials(p.givenName ?? null, p.familyName ?? null) : null;
          },
        }),
      auditMetadata: (r) => ({ subject: kind, events: r.summary.events, listed: r.events.length, patients: r.patients.length, proofs: r.proofs?.proofs.length ?? 0 }),
    });
  }
}
