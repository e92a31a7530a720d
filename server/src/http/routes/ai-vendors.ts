import { Type } from '@sinclair/typebox';
import { AiVendorListReply, AiVendorView } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AI_PURPOSES, approveVendorBaa, listVendors, type VendorRecord } from '../../modules/ai/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { tenantOf } from './common.ts';

/**
 * AI vendors' BAAs (R-AI-3, R-AUTHZ-5; docs/ai.md "Vendors and BAAs"): the second person approves a
 * vendor's BAA through their own session: a `policy.manage` decision on the tenant (Owner or Admin,
 * with its step-up); the database refuses the attester (VENDOR_SELF_APPROVAL) and the operator.
 * `GET /v1/ai/vendors` lists the tenant's vendors (no API key) under the same decision.
 * Vendors are added and made active with `ward ai vendor add|use`.
 */
const view = (v: VendorRecord): AiVendorView => ({
  name: v.name, baseUrl: v.baseUrl, model: v.model, timeoutMs: v.timeoutMs, baaState: v.baaState,
  baaEffective: v.baa?.effective ?? null, baaExpires: v.baa?.expires ?? null, baaAttestedBy: v.baa?.attestedBy ?? null, baaApprovedBy: v.baa?.approvedBy ?? null,
  activeFor: v.activeFor,
});

export function aiVendorRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/ai/vendors',
    action: 'policy.manage',
    schema: { summary: "The tenant's AI vendors, their BAA state and the purposes each is active for (R-AI-3)", response: { 200: AiVendorListReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, { who }) => {
      const vendors = (await listVendors(tx, who.principal.tenantId, deps.clock.now())).map(view);
      const taken = new Set(vendors.flatMap((v) => v.activeFor));
      return { vendors, localFor: AI_PURPOSES.filter((p) => !taken.has(p)) };
    },
    auditMetadata: (r) => ({ vendors: r.vendors.length }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/ai/vendors/:name/baa/approve',
    action: 'policy.manage',
    schema: {
      summary: "Approve an AI vendor's BAA as the second person (not its attester)",
      params: Type.Object({ name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }) }, { additionalProperties: false }),
      response: { 200: AiVendorView },
    },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, { who }, req) => view(await approveVendorBaa(tx, who.principal.tenantId, req.params.name, deps.clock.now())),
    auditMetadata: (v) => ({ vendor: v.name, change: 'baa-approved', baaState: v.baaState }),
  });
}
