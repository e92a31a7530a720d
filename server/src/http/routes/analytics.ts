import { Type } from '@sinclair/typebox';
import { AnalyticsDrillReply, AnalyticsReply, RoleSchema } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { roleDecisions, tenantAnalytics } from '../../modules/analytics/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { tenantOf } from './common.ts';

/**
 * R-UX-1, R-DATA-3: supervisor analytics without PHI, an `analytics.read` decision on the tenant
 * (Manager, Owner). Aggregate counts only, small cells (fewer than 11) suppressed before the reply
 * leaves; the drill-down names members by a masked id.
 */

export function analyticsRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/analytics',
    action: 'analytics.read',
    schema: { summary: 'Supervisor analytics: call volumes, handle times, AI draft review, refusals by role (counts only, cells under 11 suppressed)', response: { 200: AnalyticsReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: (tx) => tenantAnalytics(tx),
    auditMetadata: (r) => ({ cells: r.calls.length + r.callsByHandler.length + r.aiDrafts.length + r.decisions.length }),
  });

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/analytics/decisions/:role',
    action: 'analytics.read',
    schema: {
      summary: "One role's refusals by member (masked ids, cells under 11 suppressed)",
      params: Type.Object({ role: RoleSchema }, { additionalProperties: false }),
      response: { 200: AnalyticsDrillReply },
    },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: (tx, _ctx, req) => roleDecisions(tx, req.params.role),
    auditMetadata: (r) => ({ members: r.members.length }),
  });
}
