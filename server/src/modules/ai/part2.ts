import { randomUUID } from 'node:crypto';
import type { PhiScope, TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { FieldCipher } from '../crypto/index.ts';
import { findPart2Consent, insertDisclosure, PART2_REDISCLOSURE_NOTICE, recipientRef } from '../disclosures/index.ts';
import type { Vendor } from './gateway.ts';
import { holdsPhi, type AiTemplate, type InputRestricted } from './templates.ts';

/**
 * 42 CFR Part 2 consent on the AI path (R-AUTHZ-4, R-AI-1; 42 CFR 2.31; docs/ai.md): substance-use
 * content is withheld from a model's input (gateway.ts) unless the template allows it, or unless the
 * patient's written consent covers this very disclosure: a consent recorded for the patient (in the
 * SUD-Part2 scope) whose recipient is the vendor the task goes to (its name; `local` for the built-in
 * provider) and whose purpose is the request's purpose of use (`Ward-Purpose`), neither expired nor
 * revoked. Read in the decision's transaction (the consents' row-level security needs the SUD-Part2
 * scope the decision granted). Anything else, a missing, expired, revoked consent or one for another
 * purpose or recipient, unlocks nothing: the input stays withheld (or the template refuses).
 */
export const PART2_INPUT: InputRestricted = 'substance-use';

export interface Part2InputConsent {
  /** The consent relied on, or null; `why` says why none covers the task (for the facts: no PHI). */
  consentId: string | null;
  why: 'part2-consent-covered' | 'part2-consent-missing' | 'part2-consent-expired' | 'part2-consent-revoked' | 'not-part2' | 'no-purpose';
}

export async function part2InputConsent(
  tx: Tx, cipher: FieldCipher, tenantId: TenantId, d: { patientId: string | null; phiScope: string | null; vendor: string; purpose: string | null; now: Date },
): Promise<Part2InputConsent> {
  if (d.phiScope !== 'SUD-Part2' || !d.patientId) return { consentId: null, why: 'not-part2' };
  if (!d.purpose) return { consentId: null, why: 'no-purpose' };
  const { consent, why } = await findPart2Consent(tx, cipher, tenantId, d.patientId, d.vendor, d.purpose, d.now);
  return consent ? { consentId: consent.id, why: 'part2-consent-covered' } : { consentId: null, why };
}

/**
 * The template as this task runs it: with a covering consent, substance-use input is allowed too, and
 * the instructions end with the 42 CFR 2.32(a)(1) notice, which accompanies every disclosure made
 * under the patient's consent (the vendor receives it with the data; it holds no PHI).
 */
export function withPart2Consent(template: AiTemplate, consent: Part2InputConsent): AiTemplate {
  if (!consent.consentId) return template;
  const allow = template.restrictedInputs?.allow ?? [];
  const instructions = `${template.instructions}\n${PART2_REDISCLOSURE_NOTICE}`;
  if (allow.includes(PART2_INPUT)) return { ...template, instructions };
  return { ...template, instructions, restrictedInputs: { allow: [...allow, PART2_INPUT], otherwise: template.restrictedInputs?.otherwise ?? 'strip' } };
}

/**
 * Whether a task's input leaves Ward for `vendor` (R-AI-3): never for the built-in provider (it runs in
 * the process); for another vendor when the BAA rule lets it through (an active BAA, input without
 * PHI, or a template that falls back to de-identified input), as `vendorInput` decides.
 */
export function leavesWard(template: AiTemplate, vendor: Vendor): boolean {
  if (vendor.provider.kind === 'local') return false;
  return vendor.baaActive || !holdsPhi(template) || template.deidentifiedFallback;
}

/**
 * A Part 2 disclosure to an AI vendor in the patient's accounting (45 CFR 164.528, 42 CFR 2.31;
 * docs/disclosures.md): when the patient's consent unlocked the task's substance-use input and the
 * input leaves Ward, one `disclosures` row, inserted in the decision's transaction (its row-level
 * security needs the SUD-Part2 scope the decision granted), so that it commits before anything is
 * sent: recipient the vendor (as the consent names it; encrypted), the request's purpose, the consent
 * and the task. A task that then stops before the model call (redaction failing closed) keeps its row:
 * the accounting errs towards listing. Null when no disclosure is made (nothing recorded).
 */
export async function recordPart2Disclosure(
  tx: Tx, cipher: Pick<FieldCipher, 'encryptField'>, tenantId: TenantId,
  d: { consent: Part2InputConsent; template: AiTemplate; vendor: Vendor; taskId: string; patientId: string | null; phiScope: string; purpose: string | null; by: string; now: Date },
): Promise<string | null> {
  if (!d.consent.consentId || !d.patientId || !d.purpose || !leavesWard(d.template, d.vendor)) return null;
  const id = randomUUID();
  await insertDisclosure(tx, {
    id, tenantId, phiScope: d.phiScope as PhiScope, patientId: d.patientId, exportId: null, aiTaskId: d.taskId, disclosedAt: d.now, disclosedBy: d.by,
    recipientEnc: await cipher.encryptField(tenantId, recipientRef('disclosures', id), d.vendor.name), purpose: d.purpose,
    // PHI-free: what kind of input went, never any of it.
    description: `AI task ${d.template.id}@${d.template.version}: pseudonymised ${d.template.inputs.join(', ')}, substance-use content included, sent to model ${d.vendor.provider.model}`.slice(0, 200),
    part2ConsentId: d.consent.consentId,
  });
  return id;
}
