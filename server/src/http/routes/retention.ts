import { Type } from '@sinclair/typebox';
import {
  ChangeProposalTtl, LegalHoldPlace, LegalHoldsReply, LegalHoldView, RETENTION_ARTIFACT_NAMES, RetentionArtifactSchema, RetentionChangeRequestItem,
  RetentionChangeRequestsReply, RetentionPolicyProposal, RetentionPolicySet, RetentionPolicyView, RetentionReply, WardError,
} from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import {
  approveRetentionChange, findRetentionRequest, listLegalHolds, listRetentionPolicies, listRetentionRequests, placeLegalHold, proposeHoldRelease,
  proposeRetentionPolicy, refuseRetentionChange, setRetentionPolicy, type LegalHold,
} from '../../modules/retention/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { actorOf, IdParams, tenantOf } from './common.ts';

/**
 * Retention policies and legal holds from the admin console (R-DATA-5, R-UX-1): an Owner or Admin
 * reads the policy per artifact and places legal holds on a patient or a call by its id, each a
 * `policy.manage` decision on the tenant (with its step-up, R-SESS-3). Lengthening a period (or
 * de-identifying instead of deleting) is one step; a change that destroys PHI sooner, and the release
 * of a hold, take two people (R-AUTHZ-5): one Owner or Admin proposes it, a second one approves it
 * (Cedar refuses the proposer, `sod-change-second-person`, and the database again, 0118). The
 * retention job skips everything a live hold names. A hold is released, never deleted. The replies
 * carry ids, matters (docket references) and member ids: no patient's field.
 */
const holdView = (h: LegalHold): LegalHoldView => ({
  id: h.id, targetType: h.targetType, targetId: h.targetId, matter: h.matter, placedBy: h.placedBy, placedAt: h.placedAt.toISOString(),
  releasedBy: h.releasedBy, releasedAt: h.releasedAt ? h.releasedAt.toISOString() : null,
});
const ArtifactParams = Type.Object({ artifact: RetentionArtifactSchema }, { additionalProperties: false });
const HoldParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export function retentionRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const policies = async (tx: Parameters<typeof listRetentionPolicies>[0]): Promise<RetentionPolicyView[]> => {
    const set = new Map((await listRetentionPolicies(tx)).map((p) => [p.artifact, p]));
    return RETENTION_ARTIFACT_NAMES.map((artifact) => {
      const p = set.get(artifact);
      return { artifact, action: p?.action ?? null, afterDays: p?.afterDays ?? null, updatedBy: p?.updatedBy ?? null, updatedAt: p ? p.updatedAt.toISOString() : null };
    });
  };

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/retention/policies',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: "The tenant's retention policy per artifact (null: kept until a policy says otherwise)", response: { 200: RetentionReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => ({ policies: await policies(tx) }),
    auditMetadata: (r) => ({ policies: r.policies.filter((p) => p.action !== null).length }),
  });

  enforcedRoute(app, deps, {
    method: 'PUT',
    url: '/v1/retention/policies/:artifact',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'Set what happens to an artifact after how many days (recordings: delete only); one that deletes sooner is RETENTION_NEEDS_APPROVAL: propose it', params: ArtifactParams, body: RetentionPolicySet, response: { 200: RetentionPolicyView } },
    target: (req) => ({ type: 'retention_policy', id: req.params.artifact }),
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, _ctx, req) => {
      await setRetentionPolicy(tx, { artifact: req.params.artifact, action: req.body.action, afterDays: req.body.afterDays }, deps.clock.now());
      return (await policies(tx)).find((p) => p.artifact === req.params.artifact)!;
    },
    auditMetadata: (r) => ({ change: 'retention-set', artifact: r.artifact, retentionAction: r.action, afterDays: r.afterDays }),
  });

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/retention/holds',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: "The tenant's legal holds, live ones first", response: { 200: LegalHoldsReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => ({ holds: (await listLegalHolds(tx)).map(holdView) }),
    auditMetadata: (r) => ({ holds: r.holds.length }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/retention/holds',
    action: 'policy.manage',
    credentials: ['session'],
    status: 201,
    schema: { summary: 'Place a legal hold on a patient or a call by its id: retention skips everything about it until released', body: LegalHoldPlace, response: { 201: LegalHoldView } },
    target: (req) => ({ type: req.body.targetType, id: req.body.targetId }),
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, { who }, req) => {
      const tenantId = who.principal.tenantId;
      const by = who.principal.id;
      const target = req.body.targetType === 'patient' ? { patientId: req.body.targetId } : { callId: req.body.targetId };
      const { id } = await placeLegalHold(tx, tenantId, { ...target, matter: req.body.matter, by });
      return holdView((await listLegalHolds(tx, { id }))[0]!);
    },
    auditMetadata: (h) => ({ change: 'legal-hold-placed', hold: h.id, targetType: h.targetType, targetId: h.targetId }),
  });

  // R-AUTHZ-5: the one-step release is gone; a release is proposed and approved by a second person.
  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/retention/holds/:id/release',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'Gone: a legal hold is released by two people (POST /v1/retention/holds/{id}/release-requests)', params: HoldParams },
    target: (req) => ({ type: 'legal_hold', id: req.params.id }),
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async () => {
      throw new WardError('RETENTION_NEEDS_APPROVAL');
    },
  });

  const requestMeta = (r: RetentionChangeRequestItem) => ({
    requestId: r.id, kind: r.kind, state: r.state, ...(r.kind === 'policy' ? { artifact: r.artifact!, retentionAction: r.action!, afterDays: r.afterDays! } : { hold: r.holdId! }),
  });
  const ttlOf = (body: { ttlHours?: number } | undefined) => (body?.ttlHours ? body.ttlHours * 3600 : undefined);

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/retention/requests',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'Retention proposals (a shorter period, a hold release), newest first, with who must approve each next', response: { 200: RetentionChangeRequestsReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => ({ requests: await listRetentionRequests(tx, deps.clock.now()) }),
    auditMetadata: (r) => ({ count: r.requests.length }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/retention/policies/:artifact/requests',
    action: 'policy.manage',
    credentials: ['session'],
    status: 201,
    schema: { summary: 'Propose a retention policy (one that deletes sooner); a second Owner or Admin approves it', params: ArtifactParams, body: RetentionPolicyProposal, response: { 201: RetentionChangeRequestItem } },
    target: (req) => ({ type: 'retention_policy', id: req.params.artifact }),
    load: async (_tx, _req, who) => tenantOf(who),
    handle: (tx, { who }, req) => proposeRetentionPolicy(tx, deps, {
      actor: actorOf(who), policy: { artifact: req.params.artifact, action: req.body.action, afterDays: req.body.afterDays }, ttlSeconds: ttlOf(req.body),
    }, deps.clock.now()),
    auditMetadata: (r) => ({ change: 'retention-proposed', ...requestMeta(r) }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/retention/holds/:id/release-requests',
    action: 'policy.manage',
    credentials: ['session'],
    status: 201,
    schema: { summary: 'Propose to release a live legal hold; a second Owner or Admin approves it', params: HoldParams, body: Type.Optional(ChangeProposalTtl), response: { 201: RetentionChangeRequestItem } },
    target: (req) => ({ type: 'legal_hold', id: req.params.id }),
    load: async (tx, req, who) => ((await listLegalHolds(tx, { id: req.params.id })).length > 0 ? tenantOf(who) : null),
    handle: (tx, { who }, req) => proposeHoldRelease(tx, deps, { actor: actorOf(who), holdId: req.params.id, ttlSeconds: ttlOf(req.body) }, deps.clock.now()),
    auditMetadata: (r) => ({ change: 'retention-proposed', ...requestMeta(r) }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/retention/requests/:id/approve',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'Approve a retention proposal (a second Owner or Admin): the policy is written or the hold released', params: IdParams, response: { 200: RetentionChangeRequestItem } },
    async load(tx, req, who) {
      const r = await findRetentionRequest(tx, req.params.id, deps.clock.now());
      return r ? tenantOf(who, { changeProposedByPrincipal: r.proposedBy === who.principal.id }) : null;
    },
    handle: (tx, { who }, req) => approveRetentionChange(tx, deps, { actor: actorOf(who), requestId: req.params.id }, deps.clock.now()),
    auditMetadata: (r) => ({ change: r.kind === 'policy' ? 'retention-set' : 'legal-hold-released', ...requestMeta(r), proposer: r.proposedBy }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/retention/requests/:id/refuse',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'Refuse an open retention proposal (its proposer withdraws it: cancelled)', params: IdParams, response: { 200: RetentionChangeRequestItem } },
    load: async (tx, req, who) => ((await findRetentionRequest(tx, req.params.id, deps.clock.now())) ? tenantOf(who) : null),
    handle: (tx, { who }, req) => refuseRetentionChange(tx, deps, { actor: actorOf(who), requestId: req.params.id }, deps.clock.now()),
    auditMetadata: (r) => ({ change: 'retention-refused', ...requestMeta(r) }),
  });
}
