import { Type } from '@sinclair/typebox';
import { RoleGrantItem, RoleGrantProposal, RoleGrantsReply, RoleRevoked, RoleSchema } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import {
  approveRoleGrantInTx, cancelRoleGrantInTx, findRoleGrant, listRoleGrants, proposeRoleGrantInTx, revokeRoleInTx,
} from '../../modules/identity/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { actorOf, IdParams, memberResource, tenantOf } from './common.ts';

/**
 * Role changes of an existing member over the API (R-AUTHZ-5, R-AUTHN-5, R-SESS-3). Proposing,
 * approving and removing are decided as `grant.role` on the member whose roles change, naming the
 * role (`grantRole`), so each needs an Owner or Admin (an Owner for Owner and Admin), MFA, a managed
 * device and a verification within 300 s, and never acts on the caller's own account; the approval
 * also tells Cedar whether the caller proposed it (`grantProposedByPrincipal`:
 * `sod-role-grant-second-person`). Cancelling is `member.manage`. The database checks all of it
 * again (0070). People only, through their own session.
 */
const RoleParams = Type.Object({ id: Type.String({ format: 'uuid' }), role: RoleSchema }, { additionalProperties: false });

export function roleGrantRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const common = { credentials: ['session'] as const };
  const meta = (g: RoleGrantItem) => ({ grantId: g.id, role: g.role, state: g.state });

  enforcedRoute(app, deps, {
    ...common,
    method: 'GET',
    url: '/v1/role-grants',
    action: 'member.list',
    schema: { summary: 'Role proposals for existing members, newest first, with who must approve each next', response: { 200: RoleGrantsReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => ({ grants: await listRoleGrants(tx, deps.clock.now()) }),
    auditMetadata: (r) => ({ count: r.grants.length }),
  });

  enforcedRoute(app, deps, {
    ...common,
    method: 'POST',
    url: '/v1/members/:id/role-grants',
    action: 'grant.role',
    status: 201,
    schema: { summary: 'Propose a role for an existing member; a second Owner or Admin approves it', params: IdParams, body: RoleGrantProposal, response: { 201: RoleGrantItem } },
    target: (req) => ({ type: 'Member', id: req.params.id }),
    load: (tx, req, who) => memberResource(tx, req.params.id, who, { grantRole: req.body.role }),
    handle: (tx, { who }, req) => proposeRoleGrantInTx(tx, deps, {
      actor: actorOf(who), memberId: req.params.id, role: req.body.role, ttlSeconds: req.body.ttlHours ? req.body.ttlHours * 3600 : undefined,
    }, deps.clock.now()),
    auditMetadata: meta,
  });

  enforcedRoute(app, deps, {
    ...common,
    method: 'POST',
    url: '/v1/role-grants/:id/approve',
    action: 'grant.role',
    schema: { summary: "Approve a role proposal (a second Owner or Admin): the role is granted and the member's sessions end", params: IdParams, response: { 200: RoleGrantItem } },
    target: (req) => ({ type: 'RoleGrant', id: req.params.id }),
    async load(tx, req, who) {
      const g = await findRoleGrant(tx, req.params.id, deps.clock.now());
      if (!g) return null;
      return memberResource(tx, g.memberId, who, { grantRole: g.role, grantProposedByPrincipal: g.proposedBy === who.principal.id });
    },
    handle: (tx, { who }, req) => approveRoleGrantInTx(tx, deps, { actor: actorOf(who), grantId: req.params.id }, deps.clock.now()),
    auditMetadata: meta,
  });

  enforcedRoute(app, deps, {
    ...common,
    method: 'POST',
    url: '/v1/role-grants/:id/cancel',
    action: 'member.manage',
    schema: { summary: 'Cancel an open role proposal', params: IdParams, response: { 200: RoleGrantItem } },
    target: (req) => ({ type: 'RoleGrant', id: req.params.id }),
    async load(tx, req, who) {
      const g = await findRoleGrant(tx, req.params.id, deps.clock.now());
      return g ? memberResource(tx, g.memberId, who, {}) : null;
    },
    handle: (tx, { who }, req) => cancelRoleGrantInTx(tx, deps, { actor: actorOf(who), grantId: req.params.id }, deps.clock.now()),
    auditMetadata: meta,
  });

  // Least privilege (R-AUTHN-5): a removal needs no second person and takes effect at once.
  enforcedRoute(app, deps, {
    ...common,
    method: 'DELETE',
    url: '/v1/members/:id/roles/:role',
    action: 'grant.role',
    schema: { summary: "Remove a role from a member at once (the member's sessions end)", params: RoleParams, response: { 200: RoleRevoked } },
    target: (req) => ({ type: 'Member', id: req.params.id }),
    load: (tx, req, who) => memberResource(tx, req.params.id, who, { grantRole: req.params.role }),
    handle: (tx, { who }, req) => revokeRoleInTx(tx, deps, { actor: actorOf(who), memberId: req.params.id, role: req.params.role }, deps.clock.now()),
    auditMetadata: (r) => ({ role: r.role, revokedSessions: r.revokedSessions }),
  });
}
