import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { tenantOf } from './common.ts';

/**
 * Per-tenant policies over HTTP (R-AUTHZ-1, R-AUTHZ-5): list, propose, approve, reject — each a
 * `policy.manage` decision on the tenant; the approver is never the proposer: Cedar refuses them
 * (`changeProposedByPrincipal`: `sod-change-second-person`), and the database again (0017).
 */
const Version = Type.Object(
  {
    version: Type.Integer(),
    state: Type.String(),
    proposedBy: Type.String(),
    proposedAt: Type.String(),
    decidedBy: Type.Union([Type.String(), Type.Null()]),
    decidedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
// A version is a PostgreSQL integer: anything larger is refused here, not by the database (22003).
const VersionParams = Type.Object({ version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }, { additionalProperties: false });
const Proposal = Type.Object({ text: Type.String({ minLength: 1, maxLength: 65536 }) }, { additionalProperties: false });

const view = (v: { version: number; state: string; proposedBy: string; proposedAt: Date; decidedBy: string | null; decidedAt: Date | null }) => ({
  ...v,
  proposedAt: v.proposedAt.toISOString(),
  decidedAt: v.decidedAt ? v.decidedAt.toISOString() : null,
});

export function tenantPolicyRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const store = deps.tenantPolicies;

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/policies',
    action: 'policy.manage',
    schema: { response: { 200: Type.Object({ versions: Type.Array(Version) }, { additionalProperties: false }) } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, { who }) => ({ versions: (await store.list(tx, who.principal.tenantId)).map(view) }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/policies',
    action: 'policy.manage',
    status: 201,
    schema: { body: Proposal, response: { 201: Type.Object({ version: Type.Integer() }, { additionalProperties: false }) } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: (tx, { who }, req) => store.propose(tx, who.principal.tenantId, req.body.text),
    auditMetadata: (r) => ({ version: r.version, change: 'proposed' }),
  });

  for (const [suffix, approve] of [['approve', true], ['reject', false]] as const) {
    enforcedRoute(app, deps, {
      method: 'POST',
      url: `/v1/policies/:version/${suffix}`,
      action: 'policy.manage',
      schema: { params: VersionParams, response: { 200: Version } },
      // A decision tells Cedar whether the caller proposed the version (the database refuses the proposer's approval and rejection alike).
      async load(tx, req, who) {
        const v = await store.find(tx, who.principal.tenantId, req.params.version);
        return v ? tenantOf(who, { changeProposedByPrincipal: v.proposedBy === who.principal.id }) : null;
      },
      handle: async (tx, { who }, req) =>
        view(await store.decide(tx, who.principal.tenantId, req.params.version, approve)),
      auditMetadata: (r) => ({ version: r.version, change: r.state }),
    });
  }
}
