import { PhiGrantItem, PhiGrantProposal, PhiGrantsReply } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { approvePhiGrantInTx, cancelPhiGrantInTx, findPhiGrant, listPhiGrants, proposePhiGrantInTx } from '../../modules/identity/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { actorOf, IdParams, memberResource, tenantOf } from './common.ts';

/**
 * PHI-scope grants by two people over the API (R-AUTHZ-2, R-AUTHZ-5, R-SESS-3). Proposing and
 * approving are both decided as `grant.scope` on the member who would hold the scope, so each needs
 * an Owner or Admin, MFA, a managed device and a verification within 300 s, and never acts on the
 * caller's own account; the approval also tells Cedar whether the caller proposed it
 * (`grantProposedByPrincipal`: `sod-scope-grant-second-person`). Cancelling is `member.manage`. The
 * database checks all of it again (0053). People only, through their own session.
 */

export function phiGrantRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const common = { credentials: ['session'] as const };
  const meta = (g: PhiGrantItem) => ({ grantId: g.id, phiScope: g.phiScope, state: g.state });

  enforcedRoute(app, deps, {
    ...common,
    method: 'GET',
    url: '/v1/phi-grants',
    action: 'member.list',
    schema: { summary: 'PHI-scope grant proposals, newest first, with who must approve each next', response: { 200: PhiGrantsReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => ({ grants: await listPhiGrants(tx, deps.clock.now()) }),
    auditMetadata: (r) => ({ count: r.grants.length }),
  });

  enforcedRoute(app, deps, {
    ...common,
    method: 'POST',
    url: '/v1/members/:id/phi-grants',
    action: 'grant.scope',
    status: 201,
    schema: { summary: 'Propose a PHI scope for a member; a second Owner or Admin approves it', params: IdParams, body: PhiGrantProposal, response: { 201: PhiGrantItem } },
    target: (req) => ({ type: 'Member', id: req.params.id }),
    load: (tx, req, who) => memberResource(tx, req.params.id, who, { grantScope: req.body.phiScope }),
    handle: (tx, { who }, req) => proposePhiGrantInTx(tx, deps, {
      actor: actorOf(who), memberId: req.params.id, phiScope: req.body.phiScope, ttlSeconds: req.body.ttlHours ? req.body.ttlHours * 3600 : undefined,
    }, deps.clock.now()),
    auditMetadata: meta,
  });

  enforcedRoute(app, deps, {
    ...common,
    method: 'POST',
    url: '/v1/phi-grants/:id/approve',
    action: 'grant.scope',
    schema: { summary: 'Approve a PHI-scope grant proposal (a second Owner or Admin): the scope is granted', params: IdParams, response: { 200: PhiGrantItem } },
    target: (req) => ({ type: 'PhiGrant', id: req.params.id }),
    async load(tx, req, who) {
      const g = await findPhiGrant(tx, req.params.id, deps.clock.now());
      if (!g) return null;
      return memberResource(tx, g.memberId, who, { grantScope: g.phiScope, grantProposedByPrincipal: g.proposedBy === who.principal.id });
    },
    handle: (tx, { who }, req) => approvePhiGrantInTx(tx, deps, { actor: actorOf(who), grantId: req.params.id }, deps.clock.now()),
    auditMetadata: meta,
  });

  enforcedRoute(app, deps, {
    ...common,
    method: 'POST',
    url: '/v1/phi-grants/:id/cancel',
    action: 'member.manage',
    schema: { summary: 'Cancel an open PHI-scope grant proposal', params: IdParams, response: { 200: PhiGrantItem } },
    target: (req) => ({ type: 'PhiGrant', id: req.params.id }),
    async load(tx, req, who) {
      const g = await findPhiGrant(tx, req.params.id, deps.clock.now());
      return g ? memberResource(tx, g.memberId, who, {}) : null;
    },
    handle: (tx, { who }, req) => cancelPhiGrantInTx(tx, deps, { actor: actorOf(who), grantId: req.params.id }, deps.clock.now()),
    auditMetadata: meta,
  });
}
