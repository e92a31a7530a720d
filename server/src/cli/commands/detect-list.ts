import { WardError } from '@ward/contracts';
import { DETECTION_STATES, listDetections, SEVERITIES, type DetectionState, type Severity } from '../../modules/monitoring/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/** `ward detect list --tenant <slug>`: a tenant's detections, newest first (R-MON-1). */
export default defineCommand({
  path: ['detect', 'list'],
  summary: "list a tenant's detections (severity, rule, triggering events, state)",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    state: { value: 'open|acknowledged|closed', description: 'only detections in this state' },
    severity: { value: 'info|low|medium|high|critical', description: 'only detections of this severity' },
    json: { type: 'boolean', description: 'one JSON object per detection' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    if (o.state !== undefined && !(DETECTION_STATES as readonly string[]).includes(o.state)) throw new WardError('USAGE', '--state is open, acknowledged or closed.');
    if (o.severity !== undefined && !(SEVERITIES as readonly string[]).includes(o.severity)) throw new WardError('USAGE', '--severity is info, low, medium, high or critical.');
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const filter = { ...(o.state ? { state: o.state as DetectionState } : {}), ...(o.severity ? { severity: o.severity as Severity } : {}) };
      const rows = await deps.db.scoped({ tenantId, phiScopes: [], actorId: 'system:cli', actorKind: 'system' }, (tx) => listDetections(tx, filter));
      for (const d of rows) {
        const seqs = d.eventSeqs.length > 5 ? `${d.eventSeqs.slice(0, 5).join(',')},…` : d.eventSeqs.join(',');
        await writeLine(io, o.json ? JSON.stringify(d) : `${d.createdAt}  ${d.severity.padEnd(8)}  ${d.state.padEnd(12)}  ${d.ruleId}  ${d.principalKind ?? '-'}:${d.principalId ?? '-'}  seqs=${seqs} (${d.eventCount})  ${d.id}`);
      }
      if (!o.json) await writeLine(io, `${rows.length} detections`);
      return 0;
    });
  },
});
