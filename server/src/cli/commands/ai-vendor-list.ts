import { listVendors } from '../../modules/ai/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * `ward ai vendor list --tenant <slug>` (R-AI-3): the tenant's AI vendors, one JSON line each: name,
 * URL, model, time budget, the BAA's state today (none, pending, active, expired, not-yet-effective)
 * and dates, and the purposes it is the active vendor for. Never the API key. Purposes with no vendor
 * run on the built-in `local` provider.
 */
export default defineCommand({
  path: ['ai', 'vendor', 'list'],
  summary: "list a tenant's AI vendors and their BAA state (JSON lines)",
  options: { tenant: { ...TENANT_OPTION, required: true } },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const now = deps.clock.now();
      const vendors = await deps.db.scoped({ tenantId, phiScopes: [], actorKind: 'system', actorId: 'system:cli' }, (tx) => listVendors(tx, tenantId, now));
      for (const v of vendors) {
        io.stdout.write(`${JSON.stringify({
          name: v.name, baseUrl: v.baseUrl, model: v.model, timeoutMs: v.timeoutMs, baa: v.baaState,
          ...(v.baa ? { baaSha256: v.baa.documentSha256, baaEffective: v.baa.effective, baaExpires: v.baa.expires, attestedBy: v.baa.attestedBy, approvedBy: v.baa.approvedBy } : {}),
          activeFor: v.activeFor,
        })}\n`);
      }
      return 0;
    });
  },
});
