/**
 * Misspelt common words in clinical notes (R-DATA-2): a word no list holds that is a common English word
 * with two neighbouring letters swapped ("recieved", "beleive", "wieght") is that word, no name. Swaps are
 * the commonest slip of typing; an invented name is rarely one swap from a common word, and a known name
 * is never judged here (the caller asks only of words without flags).
 */
import { gazetteer, WORD } from './gazetteer.ts';

/** Whether `lower` (letters only, six or more) is a common word with two neighbouring letters swapped. */
export function transposedCommon(lower: string): boolean {
  if (lower.length < 6 || /[^a-z]/.test(lower)) return false;
  const table = gazetteer().wordFlags;
  if (table.get(lower) !== 0) return false;
  for (let i = 0; i + 1 < lower.length; i++) {
    if (lower[i] === lower[i + 1]) continue;
    const swapped = lower.slice(0, i) + lower[i + 1] + lower[i] + lower.slice(i + 2);
    const f = table.get(swapped);
    if ((f & WORD.COMMON) !== 0 && (f & (WORD.FIRST | WORD.LAST)) === 0) return true;
  }
  return false;
}
