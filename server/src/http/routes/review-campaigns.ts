import { ReviewCampaignsReply, ReviewCampaignStart, ReviewCampaignView } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { listCampaigns, startCampaignIn, type CampaignProgress } from '../../modules/reviews/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { tenantOf } from './common.ts';

/**
 * Access-review campaigns from the admin console (R-GOV-1, R-UX-1): an Owner or Admin lists the
 * tenant's campaigns with their progress and starts one, each a `policy.manage` decision on the
 * tenant (with its step-up, R-SESS-3); the database function checks again that the actor is an
 * active Owner or Admin (0044). The items themselves are decided at `/v1/reviews/items` by their
 * reviewers. Counts only: no subject leaves through these routes.
 */
const view = (c: CampaignProgress | (Omit<CampaignProgress, 'kept' | 'revoked' | 'expired' | 'undecided'> & { undecided?: number }), now: Date): ReviewCampaignView => {
  const undecided = 'undecided' in c && c.undecided !== undefined ? c.undecided : c.items;
  const open = c.closedAt === null && c.deadlineAt > now;
  return {
    // The database records the scope's actor (`human:<member id>`, `system:cli`): the console names a member by id.
    id: c.id, name: c.name, startedBy: c.startedBy.replace(/^human:/, ''), startedAt: c.startedAt.toISOString(), deadlineAt: c.deadlineAt.toISOString(),
    closedAt: c.closedAt ? c.closedAt.toISOString() : null, autoRevoke: c.autoRevoke, items: c.items,
    kept: 'kept' in c ? c.kept : 0, revoked: 'revoked' in c ? c.revoked : 0, expired: 'expired' in c ? c.expired : 0, undecided, unassigned: c.unassigned,
    // R-GOV-1: who acts next. An item is reviewed by the member's manager, else an Owner or Admin who is not its subject.
    next: !open || undecided === 0 ? null
      : `Reviewers (each member's manager, else an Owner or Admin other than the member) decide ${undecided} item${undecided === 1 ? '' : 's'} by ${c.deadlineAt.toISOString().slice(0, 10)}`
        + (c.autoRevoke ? '; undecided access is revoked at the deadline' : ''),
  };
};

export function reviewCampaignRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/reviews/campaigns',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: "The tenant's access-review campaigns, newest first, with their progress (counts only)", response: { 200: ReviewCampaignsReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => {
      const now = deps.clock.now();
      return { campaigns: (await listCampaigns(tx)).map((c) => view(c, now)) };
    },
    auditMetadata: (r) => ({ campaigns: r.campaigns.length }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/reviews/campaigns',
    action: 'policy.manage',
    credentials: ['session'],
    status: 201,
    schema: { summary: 'Start an access-review campaign: one item per role, PHI scope and break-glass place, each assigned to its reviewer', body: ReviewCampaignStart, response: { 201: ReviewCampaignView } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, { who }, req) => {
      const now = deps.clock.now();
      const started = await startCampaignIn(tx, { tenantId: who.principal.tenantId, name: req.body.name, days: req.body.days, now });
      return view({ ...started, startedBy: who.principal.id, startedAt: now, closedAt: null }, now);
    },
    auditMetadata: (r) => ({ change: 'review-started', campaign: r.id, items: r.items, unassigned: r.unassigned, autoRevoke: r.autoRevoke, deadlineAt: r.deadlineAt }),
  });
}
