import { Type } from '@sinclair/typebox';
import { LegalHoldPlace, LegalHoldsReply, LegalHoldView, RETENTION_ARTIFACT_NAMES, RetentionArtifactSchema, RetentionPolicySet, RetentionPolicyView, RetentionReply, WardError } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { listLegalHolds, listRetentionPolicies, placeLegalHold, releaseLegalHold, setRetentionPolicy, type LegalHold } from '../../modules/retention/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { tenantOf } from './common.ts';

/**
 * Retention policies and legal holds from the admin console (R-DATA-5, R-UX-1): an Owner or Admin
 * reads and sets the policy per artifact, and places and releases legal holds on a patient or a
 * call by its id, each a `policy.manage` decision on the tenant (with its step-up, R-SESS-3). The
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
    schema: { summary: 'Set what happens to an artifact after how many days (recordings: delete only)', params: ArtifactParams, body: RetentionPolicySet, response: { 200: RetentionPolicyView } },
    target: (req) => ({ type: 'retention_policy', id: req.params.artifact }),
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, { who }, req) => {
      await setRetentionPolicy(tx, who.principal.tenantId, { artifact: req.params.artifact, action: req.body.action, afterDays: req.body.afterDays }, who.principal.id);
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

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/retention/holds/:id/release',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'Release a live legal hold (kept on record; retention applies again)', params: HoldParams, response: { 200: LegalHoldView } },
    target: (req) => ({ type: 'legal_hold', id: req.params.id }),
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, { who }, req) => {
      const [hold] = await listLegalHolds(tx, { id: req.params.id });
      if (!hold) throw new WardError('NOT_FOUND');
      if (!(await releaseLegalHold(tx, who.principal.tenantId, req.params.id, who.principal.id))) throw new WardError('CONFLICT', 'The hold is already released.');
      return holdView((await listLegalHolds(tx, { id: req.params.id }))[0]!);
    },
    auditMetadata: (h) => ({ change: 'legal-hold-released', hold: h.id, targetType: h.targetType, targetId: h.targetId }),
  });
}
