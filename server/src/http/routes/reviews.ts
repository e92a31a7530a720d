import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { WardError } from '@ward/contracts';
import type { Deps } from '../../deps.ts';
import { campaignEvidence, decideItem, evidenceCsv, itemsForReviewer, setManager, type EvidenceRow } from '../../modules/reviews/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { memberResource, tenantOf } from './common.ts';

/**
 * Access reviews (R-GOV-1; docs/access-reviews.md) through the enforcement point: a reviewer lists
 * the items assigned to them and keeps or revokes each with a note from their own session
 * (`review.attest`; the database checks the reviewer and applies a revocation in the same commit);
 * an Auditor or Owner exports a campaign's evidence (`audit.read`); an Admin sets a member's manager
 * (`member.manage` on the member: an Owner's only by an Owner).
 */
const Item = Type.Object({
  id: Type.String(), campaignId: Type.String(), campaign: Type.String(), deadlineAt: Type.String(),
  subjectKind: Type.Union([Type.Literal('member'), Type.Literal('workload')]), subjectId: Type.String(), subjectName: Type.String(),
  entitlementKind: Type.Union([Type.Literal('role'), Type.Literal('phi_scope'), Type.Literal('list')]), entitlement: Type.String(),
  // R-ELEV-2: a place on the break-glass list shows how it was used (90 days before the campaign).
  breakGlass: Type.Optional(Type.Object({ uses: Type.Integer(), lastUseAt: Type.Union([Type.String(), Type.Null()]), inappropriate: Type.Integer() }, { additionalProperties: false })),
}, { additionalProperties: false });
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const Decision = Type.Object({ decision: Type.Union([Type.Literal('keep'), Type.Literal('revoke')]), note: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });
const Decided = Type.Object({ id: Type.String(), decision: Type.String(), subjectKind: Type.String(), subjectId: Type.String(), entitlementKind: Type.String(), entitlement: Type.String() }, { additionalProperties: false });
const EvidenceQuery = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])) }, { additionalProperties: false });
const EvidenceJson = Type.Object({
  campaignId: Type.String(),
  items: Type.Array(Type.Object({
    campaign: Type.String(), campaignId: Type.String(), itemId: Type.String(), subjectKind: Type.String(), subjectId: Type.String(), subjectName: Type.String(),
    entitlementKind: Type.String(), entitlement: Type.String(), reviewerId: Type.String(), decision: Type.String(), decidedBy: Type.String(), decidedAt: Type.String(),
    revoked: Type.Boolean(), note: Type.String(),
    breakGlassUses: Type.Union([Type.Integer(), Type.Null()]), breakGlassLastUseAt: Type.String(), breakGlassInappropriate: Type.Union([Type.Integer(), Type.Null()]),
  }, { additionalProperties: false })),
}, { additionalProperties: false });
const Manager = Type.Object({ managerId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]) }, { additionalProperties: false });

export async function reviewRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): Promise<void> {

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/reviews/items',
    action: 'review.attest',
    credentials: ['session'],
    schema: { summary: 'The access review items assigned to me, undecided, in open campaigns', response: { 200: Type.Object({ items: Type.Array(Item) }, { additionalProperties: false }) } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, { who }) => ({ items: await itemsForReviewer(tx, who.principal.id) }),
    auditMetadata: (r) => ({ items: r.items.length }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/reviews/items/:id/decision',
    action: 'review.attest',
    credentials: ['session'],
    schema: { summary: 'Keep or revoke an access review item, with a note; a revocation applies at once', params: Id, body: Decision, response: { 200: Decided } },
    target: (req) => ({ type: 'review_item', id: req.params.id }),
    load: async (_tx, _req, who) => tenantOf(who),
    async handle(tx, _ctx, req) {
      const d = await decideItem(tx, { itemId: req.params.id, keep: req.body.decision === 'keep', note: req.body.note, now: deps.clock.now() });
      return { id: req.params.id, ...d };
    },
    // R-GOV-1: the attestation's record: who (the actor), what, the decision; the note stays in the review's own row.
    auditMetadata: (r) => ({ reviewItem: r.id, decision: r.decision, subjectKind: r.subjectKind, subjectId: r.subjectId, entitlementKind: r.entitlementKind, entitlement: r.entitlement }),
  });

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/reviews/campaigns/:id/evidence',
    action: 'audit.read',
    schema: { summary: "A campaign's evidence: who attested what, when, and what changed (JSON, or CSV with ?format=csv)", params: Id, querystring: EvidenceQuery, response: { 200: EvidenceJson } },
    target: (req) => ({ type: 'review_campaign', id: req.params.id }),
    load: async (_tx, _req, who) => tenantOf(who),
    async handle(tx, _ctx, req): Promise<{ campaignId: string; items: EvidenceRow[]; csv: boolean }> {
      const items = await campaignEvidence(tx, req.params.id);
      if (!items) throw new WardError('NOT_FOUND');
      return { campaignId: req.params.id, items, csv: req.query.format === 'csv' };
    },
    auditMetadata: (r) => ({ campaign: r.campaignId, items: r.items.length, format: r.csv ? 'csv' : 'json' }),
    reply: (reply, r) => (r.csv
      ? reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="access-review-${r.campaignId}.csv"`).send(evidenceCsv(r.items))
      : { campaignId: r.campaignId, items: r.items }),
  });

  enforcedRoute(app, deps, {
    method: 'PUT',
    url: '/v1/members/:id/manager',
    action: 'member.manage',
    credentials: ['session'],
    schema: { summary: "Set a member's manager (their access reviewer), or clear it with null", params: Id, body: Manager, response: { 200: Type.Object({ memberId: Type.String(), managerId: Type.Union([Type.String(), Type.Null()]) }, { additionalProperties: false }) } },
    target: (req) => ({ type: 'member', id: req.params.id }),
    // On the member, not the tenant: their manager reviews their access, so an Owner's is named by an Owner.
    load: (tx, req, who) => memberResource(tx, req.params.id, who),
    async handle(tx, _ctx, req) {
      await setManager(tx, req.params.id, req.body.managerId);
      return { memberId: req.params.id, managerId: req.body.managerId };
    },
    auditMetadata: (r) => ({ member: r.memberId, manager: r.managerId }),
  });
}
