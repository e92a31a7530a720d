import { WardError } from '@ward/contracts';
import { listAlerts, type AlertStatus } from '../../modules/alerts/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

const STATUSES: readonly AlertStatus[] = ['pending', 'delivered', 'dead_letter'];

/** `ward alert list --tenant <slug>`: the delivery status of each outbound alert, newest first (R-MON-1). */
export default defineCommand({
  path: ['alert', 'list'],
  summary: "list a tenant's outbound alerts with their delivery status (pending, delivered, dead_letter)",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    status: { value: 'pending|delivered|dead_letter', description: 'only alerts in this state' },
    json: { type: 'boolean', description: 'one JSON object per alert' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    const status = o.status as AlertStatus | undefined;
    if (status !== undefined && !STATUSES.includes(status)) throw new WardError('USAGE', '--status is pending, delivered or dead_letter.');
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const rows = await deps.db.scoped({ tenantId, phiScopes: [], actorId: 'system:cli', actorKind: 'system' }, (tx) => listAlerts(tx, status ? { status } : {}));
      if (o.json) {
        for (const r of rows) await writeLine(io, JSON.stringify(r));
        return 0;
      }
      await writeLine(io, 'CREATED                   STATUS       ATTEMPTS  LAST  KIND');
      for (const r of rows) await writeLine(io, `${r.createdAt.toISOString()}  ${r.status.padEnd(11)}  ${String(r.attempts).padStart(8)}  ${String(r.lastStatus ?? '-').padStart(4)}  ${r.kind} ${r.id}`);
      await writeLine(io, `${rows.length} alerts`);
      return 0;
    });
  },
});
