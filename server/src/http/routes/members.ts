import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { inviteMemberInTx } from '../../modules/identity/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';

/**
 * The admin API for enrollment (R-AUTHN-3): an invitation is a `member.manage` decision on the
 * tenant; the member and the one-time link are created in the decision's transaction. Owner and
 * Admin invitations take effect only after a second Owner or Admin approves (`ward member approve`).
 */
const Invitation = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    role: Type.Union(['Owner', 'Admin', 'Manager', 'Agent', 'Viewer', 'Auditor'].map((r) => Type.Literal(r))),
    ttlHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168 })),
  },
  { additionalProperties: false },
);
const Invited = Type.Object(
  { memberId: Type.String(), link: Type.String(), expiresAt: Type.String(), requiresApproval: Type.Boolean() },
  { additionalProperties: false },
);

export function memberRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/members/invitations',
    action: 'member.manage',
    status: 201,
    schema: { body: Invitation, response: { 201: Invited } },
    load: async (_tx, _req, who) => ({ type: 'Tenant', id: who.principal.tenantId, tenant: who.principal.tenantId }),
    async handle(tx, { who }, req) {
      const input = req.body as Static<typeof Invitation>;
      const invitation = await inviteMemberInTx(
        tx,
        { audit: deps.audit, origin: deps.config.origin },
        {
          tenantId: who.principal.tenantId,
          email: input.email,
          role: input.role,
          actor: { kind: 'human', id: who.principal.id },
          invitedBy: who.principal.id,
          ttlSeconds: input.ttlHours ? input.ttlHours * 3600 : undefined,
        },
        deps.clock.now(),
      );
      return { ...invitation, expiresAt: invitation.expiresAt.toISOString() };
    },
    auditMetadata: (r) => ({ requiresApproval: r.requiresApproval }),
  });
}
