import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { queryAuditEvents } from '../../modules/audit/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';

/**
 * R-MON-2: investigation over the sealed audit trail, an `audit.read` decision on the tenant's
 * audit log. Row-level security keeps the query in the caller's tenant; justification ciphertexts
 * never leave (only whether one was given).
 */
const Str = Type.String({ maxLength: 200 });
const Filter = Type.Object(
  {
    actorId: Type.Optional(Str),
    sessionId: Type.Optional(Type.String({ format: 'uuid' })),
    targetType: Type.Optional(Str),
    targetId: Type.Optional(Str),
    action: Type.Optional(Str),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    afterSeq: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
const N = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Event = Type.Object(
  {
    seq: Type.Union([Type.Integer(), Type.Null()]),
    occurredAt: Type.String(),
    actorKind: Type.String(),
    actorId: Type.String(),
    onBehalfOf: N(Type.String()),
    sessionId: N(Type.String()),
    deviceId: N(Type.String()),
    sourceIp: N(Type.String()),
    action: Type.String(),
    targetType: N(Type.String()),
    targetId: N(Type.String()),
    phiScope: N(Type.String()),
    decision: N(Type.String()),
    policyIds: Type.Array(Type.String()),
    reasons: Type.Array(Type.String()),
    purpose: N(Type.String()),
    outcome: Type.String(),
    hasJustification: Type.Boolean(),
    metadata: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  },
  { additionalProperties: false },
);
const Page = Type.Object({ events: Type.Array(Event), nextAfterSeq: Type.Union([Type.Integer(), Type.Null()]) }, { additionalProperties: false });

export function auditEventRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/audit/events',
    action: 'audit.read',
    schema: { querystring: Filter, response: { 200: Page } },
    load: async (_tx, _req, who) => ({ type: 'AuditLog', id: who.principal.tenantId, tenant: who.principal.tenantId }),
    handle: (tx, _ctx, req) => queryAuditEvents(tx, req.query),
    auditMetadata: (r) => ({ count: r.events.length }),
  });
}
