import { WardError } from '@ward/contracts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * `ward detect replay --since <date>` (R-MON-1): runs the detection rules over the sealed events since
 * that time, as the live detector would have, and stores the detections it had not raised yet (no
 * alerts: they are history). `--dry-run` stores nothing; a rule file under test is given with
 * WARD_DETECTION_RULES.
 */
export default defineCommand({
  path: ['detect', 'replay'],
  summary: 'run the detection rules over the sealed audit trail since a time',
  options: {
    since: { value: '<date>', description: 'an ISO 8601 date or time (UTC when no offset)', required: true },
    tenant: { ...TENANT_OPTION, description: "the tenant's slug (all tenants when absent)" },
    'dry-run': { type: 'boolean', description: 'print the detections, store nothing' },
    json: { type: 'boolean', description: 'one JSON object per detection' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    const since = new Date(/^\d{4}-\d{2}-\d{2}$/.test(o.since) ? `${o.since}T00:00:00Z` : o.since);
    if (Number.isNaN(since.getTime())) throw new WardError('USAGE', '--since takes an ISO 8601 date or time, for example 2026-12-01 or 2026-12-01T08:00:00Z.');
    return ctx.withDeps(async (deps) => {
      const tenantId = o.tenant === undefined ? undefined : await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const result = await deps.detector.replay(since, { ...(tenantId ? { tenantId } : {}), isDryRun: o['dry-run'] });
      for (const f of result.findings) {
        await writeLine(io, o.json ? JSON.stringify(f) : `${f.severity.padEnd(8)}  ${f.ruleId.padEnd(28)}  #${f.triggerSeq}  ${f.isNew ? 'new' : 'known'}  ${f.summary}`);
      }
      const stored = o['dry-run'] ? 'stored nothing (dry run)' : `${result.findings.filter((f) => f.isNew).length} new stored`;
      if (!o.json) await writeLine(io, `${result.events} events replayed; ${result.findings.length} detections; ${stored}`);
      return 0;
    });
  },
});
