import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AuditEventPageReply as Page, AuditProofReply, WardError } from '@ward/contracts';
import { inclusionProofOf, queryAuditEvents } from '../../modules/audit/index.ts';
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

  // R-AUDIT-3: one event's inclusion proof in the newest signed head, for the auditor's browser to verify.
  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/audit/events/:seq/proof',
    action: 'audit.verify',
    schema: {
      summary: "An audit event's RFC 9162 inclusion proof in the tenant's newest signed tree head",
      params: Type.Object({ seq: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      response: { 200: AuditProofReply },
    },
    load: async (_tx, _req, who) => ({ type: 'AuditLog', id: who.principal.tenantId, tenant: who.principal.tenantId }),
    async handle(tx, { who }, req) {
      const proof = await inclusionProofOf(tx, who.principal.tenantId, req.params.seq);
      if (!proof) throw new WardError('NOT_FOUND', 'This event is not sealed in a signed tree head yet.');
      return proof;
    },
    auditMetadata: (r) => ({ seq: r.seq, treeSize: r.head.treeSize }),
  });
}
