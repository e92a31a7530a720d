import { AI_PURPOSES, useVendor } from '../../modules/ai/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { memberIdByEmail, tenantIdBySlug } from './lookups.ts';

/**
 * `ward ai vendor use` (R-AI-3): makes a vendor the tenant's active one for a template purpose, or
 * `local` (the built-in provider, the default) again. The operator names the active Owner or Admin
 * who decided it (recorded; the database checks them). A PHI template whose active vendor has no BAA
 * in force is refused (VENDOR_NOT_BAA) until one is approved.
 */
export default defineCommand({
  path: ['ai', 'vendor', 'use'],
  summary: "make a vendor (or local) the tenant's active AI vendor for a purpose",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    purpose: { value: '<purpose>', description: `one of ${AI_PURPOSES.join(', ')}, or all`, required: true },
    vendor: { value: '<name>', description: 'a vendor of ward ai vendor list, or local', required: true },
    by: { value: '<email>', description: 'the active Owner or Admin who decided it', required: true },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const byMemberId = await memberIdByEmail(deps.db.systemDb, tenantId, o.by);
      const purposes = o.purpose === 'all' ? [...AI_PURPOSES] : [o.purpose];
      for (const purpose of purposes) {
        await useVendor(deps, { tenantId, purpose, vendor: o.vendor, byMemberId }, deps.clock.now());
        io.stdout.write(`${o.tenant}: ${purpose} runs on ${o.vendor}\n`);
      }
      return 0;
    });
  },
});
