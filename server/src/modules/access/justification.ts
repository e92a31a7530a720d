/**
 * R-AUTHZ-4: what counts as a justification. A purpose of use (a code, `Ward-Purpose`) and a reason a
 * person wrote (`Ward-Justification`): at least three words of two or more letters, two of them
 * different, once invisible characters (controls, format characters such as the zero-width space,
 * fillers) are removed. "." or a zero-width space is no reason, and a reason without a purpose is
 * not a justification. The reason may hold PHI: it is encrypted into the audit trail, never logged.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u2800]/gu;
const WORD = /\p{L}{2,}/gu;
export const MIN_REASON_WORDS = 3;
/** Longer reasons are cut: the trail keeps a reason, not a document. */
export const MAX_REASON_CHARACTERS = 1000;

/** The reason as it would be recorded: invisible characters removed, whitespace collapsed; null if nothing is left. */
export function cleanReason(text: string | null | undefined): string | null {
  if (typeof text !== 'string') return null;
  const cleaned = text.normalize('NFC').replace(/\s+/gu, ' ').replace(INVISIBLE, '').replace(/ {2,}/g, ' ').trim().slice(0, MAX_REASON_CHARACTERS);
  return cleaned || null;
}

/** The justification to record and to count in the decision, or null when it does not count. */
export function acceptedJustification(purpose: string | null, text: string | null | undefined): string | null {
  const reason = cleanReason(text);
  if (!purpose || !reason) return null;
  const words = (reason.match(WORD) ?? []).map((w) => w.toLowerCase());
  return words.length >= MIN_REASON_WORDS && new Set(words).size >= 2 ? reason : null;
}
