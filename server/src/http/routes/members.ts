import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { MembersReply, RoleSchema, WardError } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { approveInvitationInTx, inviteMemberInTx, listMembers } from '../../modules/identity/index.ts';
import { ID_PROOFING_METHODS, recordIdProofing, sealIdProofingNote } from '../../modules/provisioning/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { IdParams, memberResource, tenantOf } from './common.ts';

/**
 * The admin API for enrollment (R-AUTHN-3, R-AUTHZ-5). An invitation is decided as `grant.role` on
 * the new member (so "only an Owner makes Owners and Admins" holds here too); the member and the
 * one-time link are created in the decision's transaction, and the link goes to the invited address
 * through the notifier, never back to the inviter. Owner and Admin invitations take effect when a
 * second Owner or Admin approves through their own session (`member.manage` on the invitee, with a
 * recent verification), which grants the role.
 */
const Invitation = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@\\u0000]+@[^\\s@\\u0000]+$' }),
    role: RoleSchema,
    ttlHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168 })),
  },
  { additionalProperties: false },
);
const Invited = Type.Object(
  { memberId: Type.String(), expiresAt: Type.String(), requiresApproval: Type.Boolean() },
  { additionalProperties: false },
);
const Approved = Type.Object({ memberId: Type.String(), role: RoleSchema }, { additionalProperties: false });
// R-AUTHN-3: how a provisioned member's identity was proofed; the note is stored encrypted, never logged.
const IdProofing = Type.Object(
  { method: Type.Union(ID_PROOFING_METHODS.map((m) => Type.Literal(m))), note: Type.String({ minLength: 3, maxLength: 2000 }) },
  { additionalProperties: false },
);

/** Identity-proofing notes sealed before their request's transaction, by request. */
const sealedNotes = new WeakMap<object, { proofingId: string; noteEnc: Buffer }>();

export function memberRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  // R-UX-1, R-AUTHZ-5: the admin console's member list (`member.list` on the tenant: Owner, Admin).
  // Workforce data only; each pending invitation says who may approve it next.
  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/members',
    action: 'member.list',
    credentials: ['session'],
    schema: { summary: "The tenant's members: roles, PHI scopes, passkeys, devices and where each invitation stands (who approves next)", response: { 200: MembersReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => ({ members: await listMembers(tx, deps.clock.now()) }),
    auditMetadata: (r) => ({ count: r.members.length }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/members/invitations',
    action: 'grant.role',
    status: 201,
    schema: { body: Invitation, response: { 201: Invited } },
    // The new member's id is chosen first, so that the decision is on the member the grant creates.
    load: async (_tx, req, who) => ({
      type: 'Member', id: randomUUID(), tenant: who.principal.tenantId, attributes: { grantRole: req.body.role },
    }),
    async handle(tx, { who, resource }, req) {
      const input = req.body;
      const now = deps.clock.now();
      const invitation = await inviteMemberInTx(
        tx,
        { audit: deps.audit, origin: deps.config.origin },
        {
          tenantId: who.principal.tenantId,
          memberId: resource.id,
          email: input.email,
          role: input.role,
          actor: { kind: 'human', id: who.principal.id },
          invitedBy: who.principal.id,
          ttlSeconds: input.ttlHours ? input.ttlHours * 3600 : undefined,
        },
        now,
      );
      // Sent before the commit: if it cannot go out, nothing is created.
      await deps.notifier.sendEnrollmentLink({ to: invitation.email, link: invitation.link, expiresAt: invitation.expiresAt }, now);
      return { memberId: invitation.memberId, expiresAt: invitation.expiresAt.toISOString(), requiresApproval: invitation.requiresApproval };
    },
    auditMetadata: (r) => ({ requiresApproval: r.requiresApproval }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/members/invitations/:id/approve',
    action: 'member.manage',
    schema: { params: IdParams, response: { 200: Approved } },
    target: (req) => ({ type: 'Member', id: req.params.id }),
    load: (tx, req, who) => memberResource(tx, req.params.id, who),
    async handle(tx, { who }, req) {
      const r = await approveInvitationInTx(
        tx,
        { audit: deps.audit },
        { tenantId: who.principal.tenantId, memberId: req.params.id, approverMemberId: who.principal.id, actor: { kind: 'human', id: who.principal.id } },
        deps.clock.now(),
      );
      if (r instanceof Error) throw r;
      return r;
    },
  });

  // R-AUTHN-3: a provisioned member's first enrollment link follows identity proofing, recorded by an
  // Owner or Admin with a recent user verification (member.manage carries the step-up obligation).
  // The link goes to the member's address through the notifier, never into this response.
  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/members/:id/id-proofing',
    action: 'member.manage',
    status: 201,
    schema: { params: IdParams, body: IdProofing, response: { 201: Invited } },
    target: (req) => ({ type: 'Member', id: req.params.id }),
    load: (tx, req, who) => memberResource(tx, req.params.id, who),
    // The note is encrypted before the transaction opens (a tenant's first data key may need the KMS).
    before: async (req, who) => {
      sealedNotes.set(req, await sealIdProofingNote(deps.cipher, who.principal.tenantId, req.body.note));
    },
    async handle(tx, { who }, req) {
      const note = sealedNotes.get(req);
      if (!note) throw new WardError('INTERNAL');
      const now = deps.clock.now();
      const r = await recordIdProofing(
        tx,
        { audit: deps.audit, origin: deps.config.origin },
        { tenantId: who.principal.tenantId, memberId: req.params.id, method: req.body.method, note, recordedBy: who.principal.id },
        now,
      );
      // Sent before the commit: if it cannot go out, nothing is recorded.
      await deps.notifier.sendEnrollmentLink({ to: r.email, link: r.link, expiresAt: r.expiresAt }, now);
      return { memberId: r.memberId, expiresAt: r.expiresAt.toISOString(), requiresApproval: r.requiresApproval };
    },
    auditMetadata: (r) => ({ requiresApproval: r.requiresApproval, idProofing: true }),
  });
}
