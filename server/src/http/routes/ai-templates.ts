import { Type } from '@sinclair/typebox';
import { AiTemplateListReply, AiTemplateVersionView } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import {
  activeTemplates, decideRetirement, decideTemplate, listTenantTemplates, loadTemplates, proposeTemplate, requestRetirement, retirementJson, type AiTemplate,
  type TenantTemplateVersion,
} from '../../modules/ai/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { tenantOf } from './common.ts';

/**
 * Tenant AI templates over HTTP (R-AI-2, R-AUTHZ-5; docs/ai.md "Tenant templates"): list, propose,
 * approve, reject, and retire (asked by one, approved or rejected by another), each a `policy.manage`
 * decision on the tenant (Owner or Admin, with its step-up). The approver is never the proposer, nor
 * the one who asked for the retirement (database: AI_TEMPLATE_SELF_APPROVAL); only approved versions
 * run, and a retired one never again.
 */
const Params = Type.Object(
  { id: Type.String({ pattern: '^[a-z][a-z0-9-]{1,62}$' }), version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) },
  { additionalProperties: false },
);
const Proposal = Type.Object({ template: Type.Object({}, { additionalProperties: true }) }, { additionalProperties: false });

const view = (v: TenantTemplateVersion, runs: boolean): AiTemplateVersionView => ({
  id: v.id, version: v.version, purpose: v.purpose, state: v.state, proposedBy: v.proposedBy, proposedAt: v.proposedAt.toISOString(),
  decidedBy: v.decidedBy, decidedAt: v.decidedAt ? v.decidedAt.toISOString() : null, runs, retirement: retirementJson(v.retirement),
});
const defaultView = (t: AiTemplate, runs: boolean): AiTemplateVersionView => ({
  id: t.id, version: t.version, purpose: t.purpose, state: 'default', proposedBy: null, proposedAt: null, decidedBy: null, decidedAt: null, runs, retirement: null,
});

export function aiTemplateRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps & { ai?: { templates?: Map<string, AiTemplate> } }): void {
  const defaults = deps.ai?.templates ?? loadTemplates();

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/ai/templates',
    action: 'policy.manage',
    schema: { summary: 'The default AI templates and every tenant template version, with the ones the gateway runs', response: { 200: AiTemplateListReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, { who }) => {
      const tenantId = who.principal.tenantId;
      const running = await activeTemplates(tx, tenantId, defaults);
      const runs = (id: string, version: number) => running.get(id)?.version === version;
      return {
        templates: [
          ...[...defaults.values()].map((t) => defaultView(t, runs(t.id, t.version))),
          ...(await listTenantTemplates(tx, tenantId)).map((v) => view(v, v.state === 'active' && runs(v.id, v.version))),
        ],
      };
    },
    auditMetadata: (r) => ({ templates: r.templates.length }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/ai/templates',
    action: 'policy.manage',
    status: 201,
    schema: {
      summary: 'Propose a tenant AI template version (a second Owner or Admin approves it)',
      body: Proposal,
      response: { 201: Type.Object({ id: Type.String(), version: Type.Integer(), state: Type.Literal('proposed') }, { additionalProperties: false }) },
    },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, { who }, req) => ({ ...(await proposeTemplate(tx, who.principal.tenantId, req.body.template, defaults, deps.clock.now())), state: 'proposed' as const }),
    auditMetadata: (r) => ({ aiTemplate: `${r.id}@${r.version}`, change: 'proposed' }),
  });

  for (const [suffix, approve] of [['approve', true], ['reject', false]] as const) {
    enforcedRoute(app, deps, {
      method: 'POST',
      url: `/v1/ai/templates/:id/:version/${suffix}`,
      action: 'policy.manage',
      schema: { summary: `${approve ? 'Approve' : 'Reject'} a proposed tenant AI template version (never its proposer)`, params: Params, response: { 200: AiTemplateVersionView } },
      load: async (_tx, _req, who) => tenantOf(who),
      handle: async (tx, { who }, req) => {
        const v = await decideTemplate(tx, who.principal.tenantId, req.params.id, req.params.version, approve, deps.clock.now());
        return view(v, v.state === 'active');
      },
      auditMetadata: (r) => ({ aiTemplate: `${r.id}@${r.version}`, change: r.state }),
    });
  }

  // Retiring the active version: one Owner or Admin asks, a second approves or rejects (two people, like adding one).
  const retireRoutes = [
    ['retire', 'Ask to retire the active version of a tenant AI template (a second Owner or Admin approves it)', (tx: Parameters<typeof requestRetirement>[0], t: string, id: string, v: number) => requestRetirement(tx, t, id, v, deps.clock.now())],
    ['retire/approve', 'Approve the retirement of a tenant AI template version (never the one who asked): it never runs again', (tx: Parameters<typeof requestRetirement>[0], t: string, id: string, v: number) => decideRetirement(tx, t, id, v, true, deps.clock.now())],
    ['retire/reject', 'Reject the retirement of a tenant AI template version: it keeps running', (tx: Parameters<typeof requestRetirement>[0], t: string, id: string, v: number) => decideRetirement(tx, t, id, v, false, deps.clock.now())],
  ] as const;
  for (const [suffix, summary, act] of retireRoutes) {
    enforcedRoute(app, deps, {
      method: 'POST',
      url: `/v1/ai/templates/:id/:version/${suffix}`,
      action: 'policy.manage',
      schema: { summary, params: Params, response: { 200: AiTemplateVersionView } },
      load: async (_tx, _req, who) => tenantOf(who),
      handle: async (tx, { who }, req) => {
        const v = await act(tx, who.principal.tenantId, req.params.id, req.params.version);
        return view(v, v.state === 'active');
      },
      auditMetadata: (r) => ({ aiTemplate: `${r.id}@${r.version}`, change: suffix === 'retire' ? 'retirement-asked' : r.state === 'retired' ? 'retired' : 'retirement-rejected' }),
    });
  }
}
