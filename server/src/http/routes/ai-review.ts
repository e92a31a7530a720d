import { Type } from '@sinclair/typebox';
import { AiReviewResult as ReviewResult, WardError, type Authenticated } from '@ward/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { Tx } from '../../db/types.ts';
import { applyReview, loadReviewTarget, planReview, restrictedAsWritten, REVIEW_DECISIONS, type ReviewOutcome, type ReviewTarget } from '../../modules/ai/index.ts';
import type { ResourceRef } from '../../modules/access/index.ts';
import { loadResourceAttributes } from '../../modules/phi/index.ts';
import { authenticationOf } from '../plugins/authenticate.ts';
import type { EnforcementDeps, SchemaRequest } from '../enforce.ts';

/**
 * The human review gate's API (R-AI-5, R-AI-4; docs/ai.md). `POST /v1/ai/drafts/:id/review` with
 * `{decision: confirm | edit | reject, body?}`, each step through the guard:
 *   1. `ai.review` on the draft (a person: Agent, Manager, Owner). A reject, or the review of a draft
 *      that writes nothing (summary, message, category), is applied here.
 *   2. A confirmed or edited case-note draft: `caseNote.write` on the call's patient, and, when the
 *      text to be written holds a restricted category, `caseNote.writeRestricted` (Manager, Owner;
 *      a step-up) too. The last decision's transaction applies the review: the status (conditional on
 *      `pending`), the case note, and the audit row with the decision and the edit's size (never text).
 * A refused step leaves the draft pending.
 */
const Id = Type.String({ format: 'uuid' });
const ReviewBody = Type.Object(
  {
    decision: Type.Union(REVIEW_DECISIONS.map((d) => Type.Literal(d))),
    body: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
  },
  { additionalProperties: false },
);
const Params = Type.Object({ id: Id }, { additionalProperties: false });

function header(req: FastifyRequest, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}

/** PHI-free facts of a review for its audit row (R-AUDIT-1): the decision and the edit's size. */
function reviewAudit(o: ReviewOutcome): Record<string, string | number | boolean | null> {
  return { aiDraft: o.draftId, aiTemplate: o.templateId, review: o.status, editChars: o.editChars, editRatio: o.editRatio, restricted: o.restricted.join(','), caseNote: o.caseNoteId };
}

export function aiReviewRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const { cipher, guard } = deps;

  app.route({
    method: 'POST',
    url: '/v1/ai/drafts/:id/review',
    schema: { summary: 'Confirm, edit or reject an AI draft (the human review gate); a case-note draft becomes a case note', params: Params, body: ReviewBody, response: { 200: ReviewResult } },
    config: { access: { kind: 'enforced', action: 'ai.review' } },
    handler: async (request, reply) => {
      // Fastify has validated params and body against their schemas before this runs.
      const { params, body } = request as SchemaRequest<{ params: typeof Params; body: typeof ReviewBody }>;
      const { authenticated: who, settle } = authenticationOf(request);
      const tenantId = who.principal.tenantId;
      let settled = false;
      const settleOnce = async (tx: Tx) => {
        if (!settled) await settle(tx);
        settled = true;
      };
      const common = {
        authenticated: who, settle: settleOnce, purpose: header(request, 'ward-purpose'), justification: header(request, 'ward-justification'), sourceIp: request.ip,
      };
      const draftResource = (t: ReviewTarget): ResourceRef => ({ type: 'AiDraft', id: t.id, tenant: t.tenant, phiScope: t.phiScope });
      const reviewer = (who: Authenticated, allowRestricted: boolean) => ({ id: who.principal.id, allowRestricted });

      // 1. ai.review on the draft; what writes nothing is applied here.
      const first = await guard.run({
        ...common,
        action: 'ai.review',
        target: { type: 'AiDraft', id: params.id },
        load: async (tx) => {
          const t = await loadReviewTarget(tx, tenantId, params.id);
          return t ? draftResource(t) : null;
        },
        handle: async (tx) => {
          const target = await loadReviewTarget(tx, tenantId, params.id);
          if (!target) throw new WardError('NOT_FOUND');
          const plan = planReview(target, body);
          if (!plan.writesCaseNote) return { kind: 'done' as const, outcome: await applyReview(tx, cipher, target, body, reviewer(who, false)) };
          // R-AI-4: the categories of the note as it will read (re-identified), not of its surrogates.
          return { kind: 'write' as const, target, plan: { ...plan, restricted: await restrictedAsWritten(tx, cipher, target, body, plan) } };
        },
        auditMetadata: (r) => (r.kind === 'done' ? reviewAudit(r.outcome) : { aiDraft: params.id, requested: body.decision, phase: 'review-decided' }),
      });
      let outcome: ReviewOutcome;
      if (first.kind === 'done') outcome = first.outcome;
      else {
        const { target, plan } = first;
        const patientResource = async (tx: Tx): Promise<ResourceRef | null> => {
          const p = await loadResourceAttributes(tx, tenantId, 'Patient', target.patientId!);
          return p ? { type: 'Patient', id: p.id, tenant: p.tenant, phiScope: p.phiScope } : null;
        };
        const apply = (allowRestricted: boolean) => async (tx: Tx) => {
          const fresh = await loadReviewTarget(tx, tenantId, target.id);
          if (!fresh) throw new WardError('NOT_FOUND');
          return applyReview(tx, cipher, fresh, body, reviewer(who, allowRestricted));
        };
        const restricted = plan.restricted.length > 0;
        // 2. caseNote.write on the patient: the write itself, or a decision before the restricted one.
        const written = await guard.run({
          ...common,
          action: 'caseNote.write',
          target: { type: 'Patient', id: target.patientId! },
          load: patientResource,
          handle: async (tx) => (restricted ? null : apply(false)(tx)),
          auditMetadata: (r) => (r ? reviewAudit(r) : { aiDraft: target.id, phase: 'review-write' }),
        });
        // 3. caseNote.writeRestricted (a step-up) for a note holding a restricted category (R-AI-4).
        outcome = written ?? await guard.run({
          ...common,
          action: 'caseNote.writeRestricted',
          target: { type: 'Patient', id: target.patientId! },
          load: patientResource,
          handle: (tx) => apply(true)(tx),
          auditMetadata: reviewAudit,
        });
      }
      // R-GOV-5: agent edits of AI drafts, counted once the review has committed.
      deps.metrics.aiDraftReview(outcome.status);
      reply.header('cache-control', 'no-store');
      return {
        draftId: outcome.draftId, status: outcome.status, caseNoteId: outcome.caseNoteId, restrictedCategories: outcome.restricted,
        editChars: outcome.editChars, editRatio: outcome.editRatio,
      };
    },
  });
}
