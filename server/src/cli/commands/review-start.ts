import { startCampaign } from '../../modules/reviews/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * `ward review start --tenant <slug>` (R-GOV-1): an access review campaign now (named after the
 * quarter unless --name says otherwise): every member's and workload's roles and PHI scopes become
 * items for the member's manager, else an Admin, never the subject. Last line: the campaign and its
 * number of items.
 */
export default defineCommand({
  path: ['review', 'start'],
  summary: "start an access review campaign over every member's and workload's roles and PHI scopes",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    name: { value: '<name>', description: 'the campaign name (default: the quarter, e.g. 2026-Q4)' },
    days: { value: '<days>', description: 'days until the deadline (default 14; 1 to 90)' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const c = await startCampaign(deps, { tenantId, name: o.name, days: o.days === undefined ? undefined : Number(o.days) });
      if (c.unassigned > 0) await writeLine(io, `${c.unassigned} item(s) have no reviewer (no manager and no other active Admin or Owner)`);
      await writeLine(io, `deadline ${c.deadlineAt.toISOString()}; items left undecided are ${c.autoRevoke ? 'revoked' : 'reported, not revoked'}`);
      await writeLine(io, `campaign ${c.name} (${c.id}) started: ${c.items} items`);
      return 0;
    });
  },
});
