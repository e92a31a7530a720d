import type { TenantId } from '@ward/contracts';
import { listDisclosures } from '../../modules/disclosures/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * `ward disclosures --tenant <slug> --patient <id>` (45 CFR 164.528; R-AUDIT-1): the accounting of
 * disclosures a patient may request, six years back: date, recipient, what and purpose. The privacy
 * office answers the patient's request with it; the reading is itself audited (`disclosures.account`).
 */
export default defineCommand({
  path: ['disclosures'],
  summary: "a patient's accounting of disclosures, six years back",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    patient: { value: '<patient id>', description: "the patient's id (never a name or MRN: ids hold no PHI)", required: true },
    json: { type: 'boolean', description: 'one JSON object per disclosure' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = (await tenantIdBySlug(deps.db.systemDb, o.tenant)) as TenantId;
      const now = deps.clock.now();
      const { since, disclosures } = await deps.db.systemDb.transaction(async (tx) => {
        const r = await listDisclosures(tx, deps.cipher, tenantId, o.patient, now);
        await deps.audit.append(tx, {
          tenantId, actorKind: 'system', actorId: 'system:cli', action: 'disclosures.account', targetType: 'Patient', targetId: o.patient,
          outcome: 'success', metadata: { count: r.disclosures.length },
        });
        return r;
      });
      if (o.json) {
        for (const d of disclosures) await writeLine(io, JSON.stringify({ ...d, disclosedAt: d.disclosedAt.toISOString(), downloadedAt: d.downloadedAt?.toISOString() ?? null }));
        return 0;
      }
      await writeLine(io, `Accounting of disclosures for patient ${o.patient}, ${since.toISOString().slice(0, 10)} to ${now.toISOString().slice(0, 10)} (45 CFR 164.528)`);
      await writeLine(io, 'DATE (UTC)        PURPOSE  RECIPIENT / WHAT');
      for (const d of disclosures) {
        await writeLine(io, `${d.disclosedAt.toISOString().slice(0, 16).replace('T', ' ')}  ${d.purpose.padEnd(7)}  ${d.recipient}${d.part2ConsentId ? ' (42 CFR Part 2, under consent ' + d.part2ConsentId + ')' : ''}`);
        await writeLine(io, `${''.padEnd(27)}${d.description}${d.exportId && !d.downloadedAt ? ' (never downloaded: nothing left Ward)' : ''}${d.aiTaskId ? ` (AI task ${d.aiTaskId})` : ''}`);
      }
      await writeLine(io, `${disclosures.length} disclosures`);
      return 0;
    });
  },
});
