import { WardError, type TenantId } from '@ward/contracts';
import { revokePart2Consent } from '../../modules/disclosures/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { tenantIdBySlug } from './lookups.ts';
import { attester } from './part2-consent-record.ts';

/**
 * 42 CFR 2.31(a)(6): a patient revokes a Part 2 consent; the privacy office records it through the
 * operator's command, attested like the consent (part2-consent-record.ts). Audited.
 */
export default defineCommand({
  path: ['part2-consent', 'revoke'],
  summary: 'revoke a 42 CFR Part 2 consent: it covers no disclosure from now on',
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    consent: { value: '<consent id>', description: 'the consent (as `part2-consent record` printed it)', required: true },
    by: { value: '<email>', description: 'who attests the revocation: an Owner, or a Manager with SUD-Part2', required: true },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = (await tenantIdBySlug(deps.db.systemDb, o.tenant)) as TenantId;
      const by = await attester(deps.db.systemDb, tenantId, o.by);
      await deps.db.systemDb.transaction(async (tx) => {
        await revokePart2Consent(tx, tenantId, o.consent, by, deps.clock.now());
        await deps.audit.append(tx, {
          tenantId, actorKind: 'system', actorId: 'system:cli', action: 'part2Consent.revoke', targetType: 'Part2Consent', targetId: o.consent, phiScope: 'SUD-Part2',
          outcome: 'success', metadata: { attestedBy: by },
        });
      });
      io.stdout.write(`consent ${o.consent} revoked\n`);
      return 0;
    });
  },
});
