/**
 * Names in clinical notes that no relation word or clinician's title cues (R-DATA-2), split from clinical.ts:
 * - after an honorific, in any case: "Mr. Kiplagat", "MRS. BONE", "mr temple" (the patient, in nursing notes);
 * - before a relation in brackets: "Nimzo (wife) at bedside", "CHIP (SON)", "lady (hcp)";
 * - between a word that leads to a person and a role or a department: "report given to Ingrid RN",
 *   "REPORT GIVEN TO ORUTASTAS RN", "per Zosha in pharmacy", "PER MEKVOS FROM IV TEAM".
 * What a word is comes from the lexicons' flags; which words stand around a name is decided here.
 */
import { CH } from './chars.ts';
import type { ClinicalContext } from './clinical.ts';
import { WORD } from './gazetteer.ts';
import { HONORIFICS } from './name-cues.ts';
import { NOT_AFTER_CUE, ORG_WORDS } from './names.ts';
import { candidate, type Candidate } from './resolution.ts';
import type { Token } from './tokens.ts';
import { TAG, tagWords } from './word-tags.ts';

/** Honorifics that stand before a family name. "mr" and "ms" are also mitral regurgitation and mental status. */
tagWords(HONORIFICS, TAG.HONORIFIC);
/** Words before "MR" or "MS" that make it a finding ("mild MR", "2+ MR", "baseline MS"). */
const FINDING_BEFORE = new Set(['mild', 'moderate', 'mod', 'severe', 'sev', 'trace', 'trivial', 'significant', 'sig', 'worsening', 'improved', 'improving', 'baseline', 'altered', 'his', 'her', 'pt', "pt's", 'and', 'or', 'w', 'with', 'no', 'new', 'of']);
/** Degrees and roles written right after a name without a comma ("Ingrid RN", "destiny rt"). */
const ROLE_AFTER = new Set(['rn', 'rt', 'rrt', 'np', 'lpn', 'cna', 'msw', 'lcsw', 'pa']);
/** Words that lead to a person whose role or department follows ("given to", "per", "from", "by", "with"). */
const PERSON_LEAD = new Set(['to', 'per', 'from', 'by', 'with']);
tagWords(PERSON_LEAD, TAG.PERSON_LEAD);
/** Words that lead from a name after "per" to where the person works ("per Zosha in pharmacy", "from IV team"). */
const DEPARTMENT_LEAD = new Set(['in', 'from', 'of', 'at']);

/**
 * A word that may be a person's name where the words around it say a name stands: no clinical vocabulary
 * (unless a known name), no unit of care, relation, title, date or number, no function word.
 */
function standaloneNameWord(t: Token | undefined): t is Token {
  if (t === undefined || t.isDigits || t.lower.length < 2 || t.hasDigit || (t.tags & TAG.NOT_AFTER_CUE) !== 0 || (t.tags & TAG.ORG_WORDS) !== 0) return false;
  const f = t.flags;
  if ((f & (WORD.NUMBER | WORD.DATE | WORD.CARE_UNIT | WORD.RELATION | WORD.CLINICIAN | WORD.TITLE | WORD.STATE)) !== 0) return false;
  return (f & WORD.CLINICAL) === 0 || ((f & (WORD.FIRST | WORD.LAST)) !== 0 && (f & WORD.CLINICAL_TERM) === 0);
}

/** A word that is a name by itself: a known name, no English word, or a capital where capitals mark names. */
function nameByItself(t: Token, text: string, ctx: ClinicalContext): boolean {
  const f = t.flags;
  if ((f & (WORD.FIRST | WORD.LAST)) !== 0 && (f & WORD.COMMON) === 0) return true;
  if ((f & (WORD.DICTIONARY | WORD.COMMON)) === 0 && t.lower.length >= 3) return true;
  return ctx.caseMarksNames && t.isCap && !t.isUpper && text.charCodeAt(t.start - 1) !== CH.LF;
}

/** Whether the token starts a sentence: the text's start, a line break, or a sentence's period before it. */
function startsSentence(text: string, t: Token): boolean {
  let p = t.start - 1;
  while (p >= 0 && text.charCodeAt(p) === CH.SPACE) p--;
  if (p < 0) return true;
  const c = text.charCodeAt(p);
  return c === CH.LF || c === CH.PERIOD || c === CH.COLON || c === CH.SEMICOLON || c === CH.COMMA;
}

/**
 * "Mr. Kiplagat", "MRS. BONE SLEPT", "mr temple pulled at ett": after an honorific the word is the patient's
 * family name, even a common word. "Mrs" and "Miss" always; "Mr." and "Ms." with their period; "MR" and "MS"
 * without it only at a sentence's start and not after a word that makes them a finding ("mild MR").
 */
function honorificNames(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const h = tokens[i]!;
    if ((h.tags & TAG.HONORIFIC) === 0) continue;
    const n = tokens[i + 1]!;
    const period = text.charCodeAt(h.end) === CH.PERIOD;
    const gap = n.start - h.end - (period ? 1 : 0);
    if (gap !== 1 || text.charCodeAt(n.start - 1) !== CH.SPACE) continue;
    const bare = (h.lower === 'mr' || h.lower === 'ms') && !period;
    const sentenceStart = startsSentence(text, h);
    if (bare && !sentenceStart) continue;
    const prev = tokens[i - 1];
    if (!sentenceStart && prev !== undefined && (prev.isDigits || FINDING_BEFORE.has(prev.lower) || text.charCodeAt(h.start - 1) === CH.PLUS)) continue;
    if (!standaloneNameWord(n) || (bare && h.lower === 'ms' && !nameByItself(n, text, ctx))) continue;
    // More words of the name ("Mrs. Ann Lee", "Mr. Mirulamir Lissaenau"), each a name by itself.
    let j = i + 1;
    while (j < i + 3 && tokens[j + 1] !== undefined && tokens[j + 1]!.start === tokens[j]!.end + 1 && standaloneNameWord(tokens[j + 1]) && nameByItself(tokens[j + 1]!, text, ctx)) j++;
    out.push(candidate('cuedName', n.start, tokens[j]!.end, 'NAME', 0.8));
    i = j;
  }
}

/** "Nimzo (wife) at bedside", "JIAN (NIECE)", "Ann Lee (dtr)": the words before a relation in brackets are a name. */
function namesBeforeRelation(text: string, tokens: readonly Token[], out: Candidate[]): void {
  for (let i = 1; i + 1 < tokens.length; i++) {
    const r = tokens[i]!;
    if ((r.flags & WORD.RELATION) === 0 || text.charCodeAt(r.start - 1) !== CH.OPEN_PAREN || text.charCodeAt(r.end) !== CH.CLOSE_PAREN) continue;
    const n = tokens[i - 1]!;
    if (n.end !== r.start - 2 || text.charCodeAt(n.end) !== CH.SPACE || !standaloneNameWord(n)) continue;
    const p = tokens[i - 2];
    const two = p !== undefined && p.end === n.start - 1 && (p.flags & WORD.FIRST) !== 0 && standaloneNameWord(p) && !startsSentence(text, n);
    out.push(candidate('cuedName', two ? p.start : n.start, n.end, 'NAME', 0.75));
  }
}

/**
 * "report given to Ingrid RN", "per destiny rt", "per Zosha in pharmacy", "from MEKVOS FROM IV TEAM": one or
 * two words between a word that leads to a person and a role written after a name, or, after "per", a word
 * that leads to a department; the words are names by themselves (a known name, no English word, a capital).
 */
function namesBetweenLeadAndRole(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const lead = tokens[i]!;
    if ((lead.tags & TAG.PERSON_LEAD) === 0) continue;
    const a = tokens[i + 1]!;
    if (a.start !== lead.end + 1 || !standaloneNameWord(a) || !nameByItself(a, text, ctx)) continue;
    let last = i + 1;
    const b = tokens[i + 2]!;
    if (b.start === a.end + 1 && (a.flags & WORD.FIRST) !== 0 && standaloneNameWord(b) && nameByItself(b, text, ctx) && !ROLE_AFTER.has(b.lower)) last = i + 2;
    const tail = tokens[last + 1];
    if (tail === undefined || tail.start !== tokens[last]!.end + 1) continue;
    const role = ROLE_AFTER.has(tail.lower) && (tail.isUpper || ctx.genre === 'clinical');
    // "per Zosha in pharmacy"; after any lead, a unit of care after "in" or "at" ("given to Dresha in PACU").
    const unit = tokens[last + 2];
    const department = DEPARTMENT_LEAD.has(tail.lower) && (lead.lower === 'per' || (unit !== undefined && (unit.flags & WORD.CARE_UNIT) !== 0 && (tail.lower === 'in' || tail.lower === 'at')));
    if (!role && !department) continue;
    out.push(candidate('cuedName', a.start, tokens[last]!.end, 'NAME', 0.75));
    i = last;
  }
}

export function findClinicalNames(text: string, tokens: readonly Token[], ctx: ClinicalContext): Candidate[] {
  const out: Candidate[] = [];
  const words = ctx.wordFlags ?? -1;
  if (ctx.genre !== 'clinical') return out;
  if ((words & WORD.TITLE) !== 0) honorificNames(text, tokens, ctx, out);
  if ((words & WORD.RELATION) !== 0 && text.includes('(')) namesBeforeRelation(text, tokens, out);
  if (ctx.includeClinicians) namesBetweenLeadAndRole(text, tokens, ctx, out);
  return out;
}
