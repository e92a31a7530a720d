import { listWorkloads } from '../../modules/workload/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/** `ward workload list --tenant <slug>`: a tenant's workloads with their role, scopes and status. */
export default defineCommand({
  path: ['workload', 'list'],
  summary: "list a tenant's workloads with their kind, role, PHI scopes and status",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    json: { type: 'boolean', description: 'one JSON object per workload' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const rows = await listWorkloads(deps.db.systemDb, await tenantIdBySlug(deps.db.systemDb, o.tenant));
      if (o.json) {
        for (const r of rows) await writeLine(io, JSON.stringify(r));
        return 0;
      }
      const width = Math.max(...rows.map((r) => r.name.length), 4);
      await writeLine(io, `${'NAME'.padEnd(width)}  CLIENT_ID                  KIND      ROLE           STATUS    PHI SCOPES`);
      for (const r of rows) await writeLine(io, `${r.name.padEnd(width)}  ${r.clientId}  ${r.kind.padEnd(8)}  ${r.role.padEnd(13)}  ${r.status.padEnd(8)}  ${r.scopes.join(',') || '-'}`);
      await writeLine(io, `${rows.length} workloads`);
      return 0;
    });
  },
});
