import { DEFAULT_INACTIVITY_DAYS, disableInactive } from '../../modules/provisioning/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { progressLine } from '../progress.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * `ward member disable-inactive --tenant <slug>` (R-GOV-2): one run of the inactivity job now, for one
 * tenant: members with no sign-in and workloads with no token use for the tenant's
 * `inactivityDisableDays` (default 60) are disabled, their sessions and tokens refused, each audited.
 */
export default defineCommand({
  path: ['member', 'disable-inactive'],
  summary: `disable members and workloads of a tenant inactive for its inactivityDisableDays (default ${DEFAULT_INACTIVITY_DAYS})`,
  options: { tenant: { ...TENANT_OPTION, required: true } },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const progress = progressLine(io);
      const r = await disableInactive({ systemDb: deps.db.systemDb, audit: deps.audit, clock: deps.clock }, {
        tenantId, holder: `cli:${process.pid}`, onProgress: (done, total) => progress.update(`disable-inactive: ${done}/${total} accounts disabled`),
      });
      progress.done();
      if (!r.ran) {
        await writeLine(io, 'another process holds the inactivity lease; nothing done');
        return 0;
      }
      await writeLine(io, `disabled ${r.members} member(s) and ${r.workloads} workload(s) of ${o.tenant}`);
      return 0;
    });
  },
});
