import { setWorkloadVendor } from '../../modules/workload/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * `ward workload set-vendor` (R-AI-3, R-AI-6; docs/mcp.md): records the AI-gateway vendor behind an
 * AI agent workload (the model that reads what its tools return). Its MCP tools return PHI only while
 * that vendor's BAA is approved and in force; with no vendor recorded, none.
 */
export default defineCommand({
  path: ['workload', 'set-vendor'],
  summary: 'record the AI vendor behind an AI agent workload (PHI reaches it only under an active BAA)',
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    'client-id': { value: '<id>', description: "the agent's client_id (ward workload list shows them)", required: true },
    vendor: { value: '<name>', description: 'a vendor of ward ai vendor list', required: true },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      await setWorkloadVendor(deps.db.systemDb, deps, { tenantId, clientId: o['client-id'], vendor: o.vendor });
      await writeLine(io, `${o['client-id']} works with vendor ${o.vendor}`);
      return 0;
    });
  },
});
