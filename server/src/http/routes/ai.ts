import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { AiDraft as DraftBody, AiTaskCreated as TaskCreated, WardError, type Decision, type TenantId } from '@ward/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { Tx } from '../../db/types.ts';
import {
  activeTemplates, DATE_SHIFT_KEY, loadPatientInputs, recentPatientCalls, subjectDateOffset, createVendorResolver, executeTask, getDraft, inputActions, insertDraft, loadCallInputs, loadTemplates, manualGuidance, prepareTask, reidentify,
  RedactionFailed, warmUp, isFlagged, NO_FINDINGS, part2InputConsent, recordPart2Disclosure, withPart2Consent, type OutputFindings, type AiTemplate, type PseudonymOptions, type Vendor,
} from '../../modules/ai/index.ts';
import type { ResourceRef } from '../../modules/access/index.ts';
import { redactOrMaskAll, renderForObligations } from '../../modules/redaction/index.ts';
import { getCall, loadResourceAttributes } from '../../modules/phi/index.ts';
import { authenticationOf } from '../plugins/authenticate.ts';
import { enforcedRoute, type EnforcementDeps, type SchemaRequest } from '../enforce.ts';

/**
 * The AI gateway's API (R-AI-1, R-AI-2, R-AI-3, R-AI-7; docs/ai.md). `POST /v1/ai/tasks` runs an
 * approved template on a call: first the guard decides (and audits) each action the template's
 * inputs need (full transcript → transcript.read), then `ai.run` in two phases: the intent is
 * decided and audited with the inputs decrypted in its transaction; pseudonymisation and the model
 * run outside any transaction; the outcome (template and version, vendor, input classes, pseudonym
 * counts, tokens, latency) is recorded with the draft, linked to the intent.
 * `GET /v1/ai/drafts/:id` is the draft as stored (pseudonymised), under transcript.readRedacted on its
 * call; `GET /v1/ai/drafts/:id/reidentified` replaces the surrogates, under `ai.reidentify`.
 */
const Id = Type.String({ format: 'uuid' });
const TaskInput = Type.Object(
  {
    template: Type.String({ minLength: 1, maxLength: 64 }),
    target: Type.Object({ type: Type.Union([Type.Literal('call'), Type.Literal('patient')]), id: Id }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export interface AiRouteDeps {
  /**
   * The tenant's active vendor for a purpose, read in the decision's transaction; the built-in local
   * provider until another is made active (R-AI-3). Default: the vendor records (modules/ai/vendors.ts).
   */
  vendorFor?: (tx: Tx, tenantId: TenantId, template: AiTemplate) => Promise<Vendor>;
  templates?: Map<string, AiTemplate>;
  /** Fault injection for the fail-closed tests (R-AI-7); never set in production. */
  redaction?: PseudonymOptions;
}

/** The output scan's findings as PHI-free facts of the draft (R-AI-4). */
function outputFacts(f: OutputFindings) {
  return { outputFlagged: isFlagged(f), outputUnsent: { ...f.unsent }, outputLeaked: f.leaked, outputInvented: f.invented, outputRestricted: [...f.restricted] };
}

/** A re-identified draft as the decision allows it: its masks on the engine's spans; a redaction failure masks all. */
function renderDraft(body: string, decision: Decision): string {
  if (!decision.obligations.maskFields?.length) return body;
  const r = redactOrMaskAll(body);
  return r.failedClosed ? r.text : renderForObligations(body, r.spans, decision);
}

function header(req: FastifyRequest, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}

export function aiRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps & { ai?: AiRouteDeps }): void {
  const { cipher, guard } = deps;
  const templates = deps.ai?.templates ?? loadTemplates();
  const vendorFor = deps.ai?.vendorFor ?? createVendorResolver({ kms: deps.kms, egress: deps.egress, clock: deps.clock }).vendorFor;
  let warm = false;

  const callResource = async (tx: Parameters<typeof loadResourceAttributes>[0], tenant: string, id: string): Promise<ResourceRef | null> => {
    const r = await loadResourceAttributes(tx, tenant as TenantId, 'Call', id);
    return r ? { type: 'Call', id: r.id, tenant: r.tenant, phiScope: r.phiScope } : null;
  };

  app.route({
    method: 'POST',
    url: '/v1/ai/tasks',
    schema: { summary: 'Run an approved AI template on a call: a task and its pseudonymised draft (docs/ai.md)', body: TaskInput, response: { 201: TaskCreated } },
    config: { access: { kind: 'enforced', action: 'ai.run' } },
    handler: async (request, reply) => {
      // Fastify has validated the body against TaskInput before this runs (as enforce.ts reads its routes).
      const { body } = request as SchemaRequest<{ body: typeof TaskInput }>;
      const { authenticated: who, settle } = authenticationOf(request);
      const tenantId = who.principal.tenantId;
      // R-AI-2: the defaults and the tenant's approved templates only; a proposed version never runs.
      const running = await deps.db.scoped({ tenantId, phiScopes: [], actorId: who.principal.id, actorKind: who.principal.kind }, (tx) => activeTemplates(tx, tenantId, templates));
      const found = running.get(body.template);
      const onPatient = body.target.type === 'patient';
      const targetId = body.target.id;
      const common = {
        authenticated: who, purpose: header(request, 'ward-purpose'), justification: header(request, 'ward-justification'), sourceIp: request.ip,
      };
      let settled = false;
      const settleOnce = async (tx: Parameters<typeof settle>[0]) => {
        if (!settled) await settle(tx);
        settled = true;
      };
      const patientResource = async (tx: Parameters<typeof loadResourceAttributes>[0], id: string): Promise<ResourceRef | null> => {
        const p = await loadResourceAttributes(tx, tenantId, 'Patient', id);
        return p ? { type: 'Patient', id: p.id, tenant: p.tenant, phiScope: p.phiScope } : null;
      };
      // The decision first: a template id that does not run here is answered only to a caller who may
      // run templates on this target, so an unknown id and a known one answer alike to anyone else.
      const template = found?.target === body.target.type ? found : await guard.run<never>({
        ...common, settle: settleOnce, action: 'ai.run', target: { type: onPatient ? 'Patient' : 'Call', id: targetId },
        load: (tx) => (onPatient ? patientResource(tx, targetId) : callResource(tx, tenantId, targetId)),
        handle: async () => {
          throw found ? new WardError('BAD_REQUEST', `This template runs on a ${found.target}.`) : new WardError('AI_TEMPLATE_UNKNOWN');
        },
      });
      // The engine's word lists load once, outside any task's redaction budget.
      if (!warm) warmUp();
      warm = true;
      // R-AI-1: the actions the inputs need, each decided and audited like a direct read.
      // A patient target: its recent calls in the patient's PHI scope are listed under patient.view
      // (decided on the patient), then each call's transcript under transcript.readRedacted.
      let callIds: string[] = onPatient ? [] : [targetId];
      const actions = inputActions(template);
      if (onPatient) {
        callIds = await guard.run({
          ...common, settle: settleOnce, action: 'patient.view', target: { type: 'Patient', id: targetId },
          load: (tx) => patientResource(tx, targetId),
          handle: async (tx, { resource }) => (await recentPatientCalls(tx, cipher, tenantId, targetId)).filter((c) => c.phiScope === resource.phiScope).map((c) => c.id),
          auditMetadata: (ids) => ({ aiTemplate: template.id, phase: 'ai-input', calls: ids.length }),
        });
        if (!callIds.length) throw new WardError('NOT_FOUND', 'The patient has no call with a transcript to run this template on.');
      }
      for (const action of actions) {
        if (onPatient && action === 'patient.view') continue;
        for (const callId of action === 'patient.view' ? [targetId] : callIds) {
          await guard.run({
            ...common, settle: settleOnce, action, target: action === 'patient.view' ? undefined : { type: 'Call', id: callId },
            load: async (tx) => {
              if (action !== 'patient.view') return callResource(tx, tenantId, callId);
              const call = await getCall(tx, cipher, tenantId, callId);
              if (!call?.patientId) return call ? { type: 'Call', id: call.id, tenant: tenantId, phiScope: call.phiScope } : null;
              return patientResource(tx, call.patientId);
            },
            handle: async () => null,
            auditMetadata: () => ({ aiTemplate: template.id, phase: 'ai-input' }),
          });
        }
      }
      // The draft is filed on the call (a patient target's newest call read).
      const callId = callIds[0]!;
      const taskId = randomUUID();
      const result = await guard.runTwoPhase({
        ...common, settle: settleOnce, action: 'ai.run', target: { type: onPatient ? 'Patient' : 'Call', id: targetId },
        load: (tx) => (onPatient ? patientResource(tx, targetId) : callResource(tx, tenantId, callId)),
        // Phase 1, in the decision's transaction: only the declared inputs are read and decrypted.
        prepare: async (tx, { resource }) => {
          const { inputs, patient, patientId, phiScope } = onPatient
            ? await loadPatientInputs(tx, cipher, tenantId, targetId, callIds, template)
            : await loadCallInputs(tx, cipher, tenantId, callId, template);
          const vendor = await vendorFor(tx, tenantId, template);
          // A template that needs intervals gets dates moved by the patient's offset (date-shift.ts).
          const dateShiftDays = template.dates === 'shift' ? await subjectDateOffset(cipher, tenantId, patientId ?? callId) : undefined;
          // 42 CFR Part 2: the patient's consent to this vendor for this purpose unlocks substance-use input (part2.ts).
          const part2 = await part2InputConsent(tx, cipher, tenantId, { patientId, phiScope: resource.phiScope ?? phiScope, vendor: vendor.name, purpose: common.purpose, now: deps.clock.now() });
          // Sent under that consent to a vendor outside Ward: a disclosure in the patient's accounting, committed before anything leaves.
          const part2DisclosureId = await recordPart2Disclosure(tx, cipher, tenantId, {
            consent: part2, template, vendor, taskId, patientId, phiScope: resource.phiScope ?? phiScope, purpose: common.purpose, by: who.principal.id, now: deps.clock.now(),
          });
          return { inputs, patient, phiScope: resource.phiScope ?? phiScope, vendor, dateShiftDays, part2: { ...part2, disclosureId: part2DisclosureId } };
        },
        // Phase 2, outside any transaction: pseudonymise (failing closed), then the model.
        work: async ({ inputs, patient, phiScope, vendor, dateShiftDays, part2 }) => {
          const started = performance.now();
          try {
            const task = prepareTask(withPart2Consent(template, part2), inputs, patient, { ...deps.ai?.redaction, ...(dateShiftDays ? { dateShiftDays } : {}) });
            const gatewayMs = performance.now() - started;
            // R-OPS-1: the model call's span names the template and vendor, never the input or answer.
            const r = await deps.tracing.span('model', { 'ward.ai.template': template.id, 'ward.ai.vendor': vendor.name }, async (span) => {
              const answer = await executeTask(task, vendor);
              span.set({ 'ward.ai.state': answer.state, ...(answer.state === 'fallback' ? { 'ward.ai.reason': answer.reason } : {}) });
              return answer;
            });
            // R-GOV-5: AI tasks by outcome; outputs that passed the redaction scan, or could not (unscannable).
            deps.metrics.aiTask(r.state === 'ready' ? 'ready' : r.reason);
            if (r.state === 'ready') deps.metrics.aiOutput('passed');
            else if (r.reason === 'unscannable') deps.metrics.aiOutput('failed');
            return { r, task, phiScope, gatewayMs, vendor, dateShiftDays, part2 };
          } catch (e) {
            if (!(e instanceof RedactionFailed)) throw e;
            deps.metrics.aiTask('redaction_failed');
            // R-AI-7: the model is never called; the caller gets the manual workflow.
            return { r: { state: 'fallback' as const, text: manualGuidance(template), reason: 'redaction_failed' as const, latencyMs: 0 }, task: null, phiScope, gatewayMs: performance.now() - started, vendor, dateShiftDays, part2 };
          }
        },
        // Phase 3: the draft and the outcome's facts, linked to the intent.
        record: async (tx, { r, task, phiScope, gatewayMs, vendor, dateShiftDays, part2 }, { intentId }) => {
          const facts = {
            ...(part2.why === 'not-part2' ? {} : {
              part2Consent: part2.why, ...(part2.consentId ? { part2ConsentId: part2.consentId } : {}), ...(part2.disclosureId ? { part2DisclosureId: part2.disclosureId } : {}),
            }),
            inputClasses: [...template.inputs].sort(), target: body.target.type, calls: callIds.length,
            pseudonyms: task?.counts ?? {}, withheld: task?.withheld ?? {}, datesShifted: Boolean(dateShiftDays), latencyMs: r.latencyMs, gatewayMs: Math.round(gatewayMs),
            ...(r.state === 'fallback' ? { reason: r.reason } : { deidentified: r.deidentified }),
            ...(r.state === 'ready' && r.tokens ? { promptTokens: r.tokens.prompt, completionTokens: r.tokens.completion } : {}),
            restrictedCategories: template.restrictedCategories,
            // R-AI-4: what the output scan found (counts and category names, never text).
            ...outputFacts(r.state === 'ready' ? r.findings : NO_FINDINGS),
          };
          const restricted = r.state === 'ready' ? r.findings.restricted : [];
          const { createdAt } = await insertDraft(tx, cipher, {
            id: taskId, tenantId, callId, phiScope, template, vendor: vendor.name, model: vendor.provider.model, createdBy: who.principal.id, intentId,
            state: r.state, body: r.text,
            map: r.state === 'ready' && !r.deidentified && task ? new Map([...task.map, ...(dateShiftDays ? [[DATE_SHIFT_KEY, String(dateShiftDays)] as const] : [])]) : new Map(), facts, restrictedCategories: restricted,
          });
          return {
            id: taskId, state: r.state, template: template.id, templateVersion: template.version, vendor: vendor.name,
            target: { type: body.target.type, id: targetId, calls: callIds.length },
            draft: {
              id: taskId, taskId, callId, template: template.id, templateVersion: template.version, vendor: vendor.name, model: vendor.provider.model,
              state: r.state, view: 'pseudonymised' as const, status: 'pending' as const, restrictedCategories: restricted, body: r.text, createdAt: createdAt.toISOString(),
            },
            facts,
          };
        },
        auditMetadata: (v) => ({
          aiTemplate: `${v.template}@${v.templateVersion}`, vendor: v.vendor, state: v.state, inputClasses: v.facts.inputClasses.join(','),
          pseudonyms: Object.values(v.facts.pseudonyms).reduce((a, b) => a + b, 0), latencyMs: v.facts.latencyMs,
          ...('reason' in v.facts ? { reason: String(v.facts.reason) } : {}),
          restricted: v.draft.restrictedCategories.join(','), flagged: v.facts.outputFlagged,
        }),
      });
      reply.header('cache-control', 'no-store').status(201);
      const { facts: _facts, ...out } = result;
      return out;
    },
  });

  const draftRoute = (url: string, action: 'transcript.readRedacted' | 'ai.reidentify', view: 'pseudonymised' | 'reidentified') =>
    enforcedRoute(app, deps, {
      method: 'GET',
      url,
      action,
      schema: { summary: view === 'pseudonymised' ? 'An AI draft as stored, identifiers as pseudonyms' : 'An AI draft with its pseudonyms re-identified (ai.reidentify)', params: Type.Object({ id: Id }, { additionalProperties: false }), response: { 200: DraftBody } },
      target: (req) => ({ type: 'AiDraft', id: req.params.id }),
      load: async (tx, req, who) => {
        const id = req.params.id;
        const r = await loadResourceAttributes(tx, who.principal.tenantId, 'AiDraft', id);
        if (!r) return null;
        if (action === 'ai.reidentify') return { type: 'AiDraft', id: r.id, tenant: r.tenant, phiScope: r.phiScope };
        // The pseudonymised draft reads like the redacted transcript of its call.
        const d = await getDraft(tx, cipher, who.principal.tenantId, id);
        return d ? { type: 'Call', id: d.callId, tenant: r.tenant, phiScope: r.phiScope } : null;
      },
      async handle(tx, { who, decision }, req) {
        const d = await getDraft(tx, cipher, who.principal.tenantId, req.params.id, { withMap: view === 'reidentified' });
        if (!d) throw new WardError('NOT_FOUND');
        return {
          id: d.id, taskId: d.id, callId: d.callId, template: d.templateId, templateVersion: d.templateVersion, vendor: d.vendor, model: d.model,
          state: d.state, view, status: d.status, restrictedCategories: d.restrictedCategories,
          // R-DATA-3, R-AI-4: a re-identified draft is masked per the reader's decision, as a transcript is.
          body: d.map ? renderDraft(reidentify(d.body, d.map), decision) : d.body, createdAt: d.createdAt.toISOString(),
        };
      },
      auditMetadata: (r) => ({ view: r.view, state: r.state, status: r.status }),
    });
  draftRoute('/v1/ai/drafts/:id', 'transcript.readRedacted', 'pseudonymised');
  draftRoute('/v1/ai/drafts/:id/reidentified', 'ai.reidentify', 'reidentified');
}
