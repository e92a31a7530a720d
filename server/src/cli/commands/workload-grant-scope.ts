import { PHI_SCOPES } from '@ward/contracts';
import { grantWorkloadScope } from '../../modules/workload/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { memberIdByEmail, tenantIdBySlug } from './lookups.ts';

/**
 * `ward workload grant-scope`: a PHI scope for a workload, granted like a member's (R-AUTHZ-5,
 * R-WORK-1): the operator names the active Owner or Admin who approved it, and the database function
 * (0024_workload_scope_grants.sql) checks that person before it writes the grant.
 */
export default defineCommand({
  path: ['workload', 'grant-scope'],
  summary: "grant a workload a PHI scope approved by an active Owner or Admin of the tenant",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    'client-id': { value: '<id>', description: "the workload's client_id (ward workload list shows them)", required: true },
    scope: { value: '<scope>', description: `one PHI scope: ${PHI_SCOPES.join(', ')}`, required: true },
    approver: { value: '<email>', description: 'the active Owner or Admin who approved the grant (recorded as the grantor)', required: true },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const approverMemberId = await memberIdByEmail(deps.db.systemDb, tenantId, o.approver);
      const granted = await grantWorkloadScope(deps.db, deps, { tenantId, clientId: o['client-id'], scope: o.scope, approverMemberId }, deps.clock.now());
      await writeLine(io, granted ? `granted ${o.scope} to ${o['client-id']}` : `${o['client-id']} already held ${o.scope}`);
      return 0;
    });
  },
});
