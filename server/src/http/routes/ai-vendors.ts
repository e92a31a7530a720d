import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { approveVendorBaa, type VendorRecord } from '../../modules/ai/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';

/**
 * AI vendors' BAAs (R-AI-3, R-AUTHZ-5; docs/ai.md "Vendors and BAAs"): the second person approves a
 * vendor's BAA through their own session: a `policy.manage` decision on the tenant (Owner or Admin,
 * with its step-up); the database refuses the attester (VENDOR_SELF_APPROVAL) and the operator.
 * Vendors are added and made active with `ward ai vendor add|use`.
 */
const Vendor = Type.Object(
  {
    name: Type.String(), baseUrl: Type.String(), model: Type.String(),
    baaState: Type.Union(['none', 'pending', 'active', 'expired', 'not-yet-effective'].map((s) => Type.Literal(s))),
    baaExpires: Type.Union([Type.String(), Type.Null()]), activeFor: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
const view = (v: VendorRecord) => ({ name: v.name, baseUrl: v.baseUrl, model: v.model, baaState: v.baaState, baaExpires: v.baa?.expires ?? null, activeFor: v.activeFor });

export function aiVendorRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/ai/vendors/:name/baa/approve',
    action: 'policy.manage',
    schema: {
      summary: "Approve an AI vendor's BAA as the second person (not its attester)",
      params: Type.Object({ name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }) }, { additionalProperties: false }),
      response: { 200: Vendor },
    },
    load: async (_tx, _req, who) => ({ type: 'Tenant', id: who.principal.tenantId, tenant: who.principal.tenantId }),
    handle: async (tx, { who }, req) => view(await approveVendorBaa(tx, who.principal.tenantId, req.params.name, deps.clock.now())),
    auditMetadata: (v) => ({ vendor: v.name, change: 'baa-approved', baaState: v.baaState }),
  });
}
