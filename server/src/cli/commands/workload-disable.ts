import { disableWorkload } from '../../modules/workload/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/** `ward workload disable`: no more tokens, and its live tokens fail on their next request (R-WORK-1). */
export default defineCommand({
  path: ['workload', 'disable'],
  summary: 'disable a workload: no new tokens, and its live tokens are refused from the next request on',
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    'client-id': { value: '<id>', description: "the workload's client_id (ward workload list shows them)", required: true },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const changed = await disableWorkload(deps.db.systemDb, deps, tenantId, o['client-id'], deps.clock.now());
      await writeLine(io, changed ? `disabled ${o['client-id']}` : `${o['client-id']} was already disabled`);
      return 0;
    });
  },
});
