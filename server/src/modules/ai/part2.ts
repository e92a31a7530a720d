import type { TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { FieldCipher } from '../crypto/index.ts';
import { findPart2Consent } from '../disclosures/index.ts';
import type { AiTemplate, InputRestricted } from './templates.ts';

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

/** The template as this task runs it: with a covering consent, substance-use input is allowed too. */
export function withPart2Consent(template: AiTemplate, consent: Part2InputConsent): AiTemplate {
  if (!consent.consentId) return template;
  const allow = template.restrictedInputs?.allow ?? [];
  if (allow.includes(PART2_INPUT)) return template;
  return { ...template, restrictedInputs: { allow: [...allow, PART2_INPUT], otherwise: template.restrictedInputs?.otherwise ?? 'strip' } };
}
