import { WardError } from '@ward/contracts';
import { exportLines, toOcsfSealed, readHeads, sealedEvents } from '../../modules/audit/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { selectTenants, writeLine } from './audit-options.ts';

/**
 * `ward audit export` (R-AUDIT-4): sealed events as JSON Lines on stdout.
 * - `jsonl`: the verifiable bundle (docs/audit.md): header, keys, signed heads, every event from seq 1
 *   with its leaf and chain hashes; `ward audit verify --file … --key …` checks it offline. One tenant.
 * - `ocsf`: one OCSF 1.3 record per event for SIEMs (no justification text, R-DATA-4), with the
 *   event's seq, leaf and chain hashes under unmapped.ward so that a record can be matched to the bundle.
 */
export default defineCommand({
  path: ['audit', 'export'],
  summary: 'write sealed audit events as a verifiable JSONL bundle or OCSF records (stdout)',
  options: {
    format: { value: 'ocsf|jsonl', description: 'jsonl: the bundle ward audit verify --file checks; ocsf: OCSF 1.3 records for a SIEM', required: true },
    tenant: { ...TENANT_OPTION, description: "the tenant's slug (all tenants when absent; jsonl needs one)" },
    since: { value: '<ISO 8601 time>', description: 'ocsf only: events from this time, e.g. 2026-01-31T12:00:00Z' },
  },
  usesDatabase: true,
  async run(options, io, ctx) {
    const format = options.format;
    if (format !== 'ocsf' && format !== 'jsonl') throw new WardError('USAGE', '--format takes ocsf or jsonl.');
    let since: number | undefined;
    if (options.since !== undefined) {
      since = Date.parse(options.since);
      if (Number.isNaN(since)) throw new WardError('USAGE', '--since must be a time such as 2026-01-31 or 2026-01-31T12:00:00Z.');
      // A bundle is verified from seq 1 (the chain's start): a partial one could not be checked offline.
      if (format === 'jsonl') throw new WardError('USAGE', '--since applies to --format ocsf; a verifiable jsonl bundle always starts at seq 1.');
    }
    return ctx.withDeps(async (deps) => {
      const tenants = await selectTenants(deps, options.tenant);
      if (format === 'jsonl') {
        if (tenants.length !== 1) throw new WardError('USAGE', 'A jsonl bundle holds one tenant: name it with --tenant <slug>.');
        const tenant = tenants[0]!;
        const { publicKeys } = await deps.auditKeys.load();
        const lines = exportLines({
          tenantId: tenant.id,
          exportedAt: deps.clock.now().toISOString(),
          publicKeys,
          heads: await readHeads(deps.db.systemDb, tenant.id),
          events: sealedEvents(deps.db.systemDb, tenant.id),
        });
        for await (const line of lines) await writeLine(io, line);
        return 0;
      }
      for (const tenant of tenants) {
        for await (const event of sealedEvents(deps.db.systemDb, tenant.id)) {
          if (since !== undefined && Date.parse(event.occurredAt) < since) continue;
          await writeLine(io, JSON.stringify(toOcsfSealed(event)));
        }
      }
      return 0;
    });
  },
});
