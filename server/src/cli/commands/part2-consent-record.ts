import { randomUUID } from 'node:crypto';
import { isPurpose, WardError, type TenantId } from '@ward/contracts';
import type { SystemDb } from '../../db/types.ts';
import { insertPart2Consent, isRecipientText, recipientRef, revokePart2Consent } from '../../modules/disclosures/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { memberIdByEmail, tenantIdBySlug } from './lookups.ts';
import { readAll } from '../stdin.ts';

/**
 * 42 CFR 2.31: the patient's written consent to disclose Part 2 records, recorded (and revoked) by the
 * privacy office through the operator's command, attested by `--by`: an Owner, or a Manager holding
 * the SUD-Part2 scope (the roles that may make the disclosure; docs/disclosures.md). Audited.
 */
export async function attester(systemDb: SystemDb, tenantId: string, email: string): Promise<string> {
  const id = await memberIdByEmail(systemDb, tenantId, email);
  const { rows } = await systemDb.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM member_roles WHERE tenant_id = $1 AND member_id = $2 AND role = 'Owner')
         OR (EXISTS (SELECT 1 FROM member_roles WHERE tenant_id = $1 AND member_id = $2 AND role = 'Manager')
             AND EXISTS (SELECT 1 FROM member_phi_scopes WHERE tenant_id = $1 AND member_id = $2 AND phi_scope = 'SUD-Part2')) AS ok`,
    [tenantId, id],
  );
  if (!rows[0]?.ok) throw new WardError('FORBIDDEN', 'the attester is neither an Owner nor a Manager with the SUD-Part2 scope');
  return id;
}

export default defineCommand({
  path: ['part2-consent', 'record'],
  summary: "record a patient's 42 CFR Part 2 consent (the recipient on stdin) for a purpose",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    patient: { value: '<patient id>', description: 'the SUD-Part2 patient', required: true },
    purpose: { value: '<code>', description: 'the purpose of use the consent names (HL7, e.g. TREAT)', required: true },
    expires: { value: '<YYYY-MM-DD>', description: 'the day the consent expires (UTC midnight)', required: true },
    by: { value: '<email>', description: 'who attests the signed consent: an Owner, or a Manager with SUD-Part2', required: true },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    if (!isPurpose(o.purpose)) throw new WardError('USAGE', '--purpose is an HL7 PurposeOfUse code, e.g. TREAT');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(o.expires) || Number.isNaN(Date.parse(`${o.expires}T00:00:00Z`))) throw new WardError('USAGE', '--expires is a date, YYYY-MM-DD');
    const expiresAt = new Date(`${o.expires}T00:00:00Z`);
    return ctx.withDeps(async (deps) => {
      const tenantId = (await tenantIdBySlug(deps.db.systemDb, o.tenant)) as TenantId;
      const by = await attester(deps.db.systemDb, tenantId, o.by);
      const now = deps.clock.now();
      if (expiresAt.getTime() <= now.getTime()) throw new WardError('USAGE', '--expires is in the past');
      const id = randomUUID();
      // The recipient a Part 2 consent names is itself Part 2 information: read on stdin, never an argument.
      const recipient = (await readAll(io.stdin)).trim();
      if (recipient.length < 2 || recipient.length > 200 || !isRecipientText(recipient)) throw new WardError('USAGE', 'give the recipient, one line, on standard input');
      const recipientEnc = await deps.cipher.encryptField(tenantId, recipientRef('part2_consents', id), recipient);
      await deps.db.systemDb.transaction(async (tx) => {
        await insertPart2Consent(tx, { id, tenantId, patientId: o.patient, recipientEnc, purpose: o.purpose, expiresAt, recordedAt: now, recordedBy: by });
        await deps.audit.append(tx, {
          tenantId, actorKind: 'system', actorId: 'system:cli', action: 'part2Consent.record', targetType: 'Patient', targetId: o.patient, phiScope: 'SUD-Part2',
          outcome: 'success', metadata: { consentId: id, attestedBy: by, purpose: o.purpose, expiresAt: expiresAt.toISOString() },
        });
      });
      io.stdout.write(`consent ${id} recorded: purpose ${o.purpose}, expires ${expiresAt.toISOString().slice(0, 10)}\n`);
      return 0;
    });
  },
});

