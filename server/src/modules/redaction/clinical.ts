/**
 * Evidence for PHI that clinical notes hold in forms the other detectors miss (R-DATA-2):
 * - names after a relation word or a clinician's title, in any case ("wife MARTHA", "son joe",
 *   "dr brown", "resident ann lee"), names that are also words included ("daughter Hope");
 * - facilities and places of care (clinical-places.ts): a town or family name before "Hospital", "Medical Center"…,
 *   "St. Mary's", and two- to four-letter hospital abbreviations after "to", "at", "from";
 * - dates without a year ("3/14", "11/2") and two-digit years after an apostrophe ("CABG '97").
 * The words come from data/lexicons (gazetteer flags); what a word means in context is decided here.
 */
import { CH } from './chars.ts';
import type { Genre } from './genre.ts';
import { WORD } from './gazetteer.ts';
import { firstTokenAt } from './evidence.ts';
import { DOCTOR_TITLES, HONORIFICS } from './name-cues.ts';
import { ENDS_NAME, isContraction, NOT_AFTER_CUE, ORG_WORDS } from './names.ts';
import { findClinicalHeads } from './clinical-heads.ts';
import { findClinicalNames } from './clinical-names.ts';
import { findNursingNotes } from './nursing-notes.ts';
import { findIcuNotes } from './icu-notes.ts';
import { findSystemNotes } from './system-notes.ts';
import { shortDates, slashPhones } from './clinical-dates.ts';
import { facilities, facilityAbbreviations, residencePlaces, transferPlaces } from './clinical-places.ts';
import { candidate, type Candidate } from './resolution.ts';
import type { Token } from './tokens.ts';
import { TAG } from './word-tags.ts';

export interface ClinicalContext {
  genre: Genre;
  /** Most words in capitals: case says nothing. */
  caps: boolean;
  /** Capitals mark names (written text that is not in capitals). */
  caseMarksNames: boolean;
  includeClinicians: boolean;
  /** The `WORD` flags of the text's words together (utterance.ts): cues and facilities are looked for only when some word may be one. */
  wordFlags?: number;
  /** The `TAG` bits of the text's words together (word-tags.ts): a detector whose every match holds a tagged word runs only when one is there. */
  wordTags?: number;
  /** Whether the text holds an ASCII digit (every one is in a token: `Token.hasDigit`). */
  digits?: boolean;
  /**
   * Whether the text holds " (" (a word, a space and a bracket: "Mehta (attending)"), read once for the detectors
   * that start there: a search for a string that starts with a space stops at every space of the text.
   */
  spaceBracket?: boolean;
}

/** Titles always followed by a family name: after them an uncommon word is that name ("Dr. Gamble"). */
const NAMING_TITLES = new Set(['dr', 'doctor', 'fr', 'rev', 'reverend']);
/** Titles written as abbreviations with a period ("Dr. Lee", "Fr. Ames"): after any other cue a period ends the sentence ("Vern RN. lg soft stool"). */
const ABBREVIATED_TITLES = new Set(['dr', 'fr', 'rev', 'mr', 'mrs', 'ms', 'st', 'prof', 'sr']);
// Honorifics between a cue and the name are no part of it ("wife, Mrs. Ann Lee"): HONORIFICS, name-cues.ts.

/**
 * Whether a token may be a word of a person's name after a cue. A known given or family name counts even
 * when it is also clinical vocabulary ("wife ED HOPE", "Dr. Strong"); a modal verb counts when a capital
 * and the end of the sentence say it is a name ("niece Will.").
 */
function nameWord(t: Token, text: string, ctx: ClinicalContext, familyWordOk = false): boolean {
  if (t.isDigits || t.lower.length < 2 || (t.tags & TAG.ORG_WORDS) !== 0 || isContraction(t.lower)) return false;
  if ((t.tags & TAG.NOT_AFTER_CUE) !== 0) return ctx.caseMarksNames && t.isCap && !t.isUpper && (t.flags & WORD.FIRST) !== 0 && /^[.,;]/.test(text.slice(t.end, t.end + 1));
  const f = t.flags;
  if ((f & (WORD.NUMBER | WORD.DATE | WORD.CARE_UNIT | WORD.RELATION | WORD.CLINICIAN)) !== 0) return false;
  // A given name that is also a word after a relation word ("NEPHEW DOT SHAPIRO"); a family name that is
  // also a word after a doctor's title or before a degree (`familyWordOk`: "Dr. Strong", "Art Banks, RN").
  const known = (f & (WORD.FIRST | WORD.LAST | WORD.GIVEN_CUED)) !== 0 || ((f & WORD.FAMILY_WORD) !== 0 && familyWordOk);
  if (known) return (f & WORD.CLINICAL_TERM) === 0 || (f & WORD.FIRST) !== 0;
  if ((f & WORD.CLINICAL) !== 0) return false;
  if ((f & WORD.DICTIONARY) === 0 && (f & WORD.PLACE) === 0) return !t.hasDigit;
  // A capitalised word in text where case marks names ("wife Hope", "son Frank").
  return ctx.caseMarksNames && t.isCap && !t.isUpper && (f & WORD.COMMON) === 0 && text.charCodeAt(t.start - 1) !== CH.LF;
}

/**
 * A given name right after a relation word that other rules refuse: one that is also a unit of care ("son ed
 * visited", "SISTER ED UPDATED") or a modal verb before a family name ("NEPHEW WILL SHARP CALLED").
 */
function relationGiven(t: Token, next: Token | undefined, isRelation: boolean): boolean {
  if (!isRelation || (t.flags & WORD.FIRST) === 0 || t.isDigits) return false;
  if ((t.flags & WORD.CARE_UNIT) !== 0 && (t.flags & WORD.CLINICAL_TERM) !== 0 && (t.tags & TAG.NOT_AFTER_CUE) === 0) return true;
  if (!ENDS_NAME.has(t.lower) || next === undefined || next.start !== t.end + 1) return false;
  return (next.flags & WORD.FAMILY_WORD) !== 0 || ((next.flags & WORD.LAST) !== 0 && (next.flags & WORD.COMMON) === 0);
}

/** Words that follow a name in a note: "sister Liberty at 508 …", "landlord Justice by phone". */
const AFTER_NAME = new Set(['at', 'by', 'in', 'on', 'from', 'who']);
/** Punctuation that may end a name: a list's comma, a sentence's period, a bracket. */
const NAME_END = new Set<number>([CH.COMMA, CH.PERIOD, CH.SEMICOLON, CH.OPEN_PAREN, CH.CLOSE_PAREN]);

/**
 * Right after a relation word or a title (a space between, no label's colon), where capitals mark names, a
 * capitalised common word is the name when punctuation, a bracket or a word that follows a name comes next ("sister Liberty.", "SW Dawn, RN Fran",
 * "companion Lurel (781 …)", "landlord Justice at 508 …"); "son Will call" keeps its verb.
 */
function capitalAfterCue(t: Token, next: Token | undefined, text: string, ctx: ClinicalContext): boolean {
  if (!ctx.caseMarksNames || !t.isCap || t.isUpper || t.lower.length < 3 || text.charCodeAt(t.start - 1) === CH.LF) return false;
  if ((t.flags & (WORD.CLINICAL | WORD.CARE_UNIT | WORD.DATE | WORD.NUMBER | WORD.RELATION | WORD.CLINICIAN | WORD.STATE)) !== 0 || NOT_AFTER_CUE.has(t.lower)) return false;
  const after = text.charCodeAt(t.end);
  if (NAME_END.has(after)) return true;
  if (after !== CH.SPACE) return false;
  return text.charCodeAt(t.end + 1) === CH.OPEN_PAREN || (next !== undefined && next.start === t.end + 1 && AFTER_NAME.has(next.lower));
}

/** Names after relation words and clinicians' titles, in any case. */
function cuedNames(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  for (let i = 0; i < tokens.length - 1; i++) {
    const cue = tokens[i]!;
    const isRelation = (cue.flags & WORD.RELATION) !== 0;
    const isClinician = (cue.flags & WORD.CLINICIAN) !== 0;
    if (!isRelation && !isClinician) continue;
    if (isClinician && !ctx.includeClinicians) continue;
    // Short roles ("pa", "md", "np", "rn") are cues only in clinical notes or written as capitals: "new brighton pa".
    if (isClinician && cue.lower.length <= 2 && cue.lower !== 'dr' && ctx.genre !== 'clinical' && !cue.isUpper) continue;
    // "pt's wife", "wife's": a possessive cue is followed by what it owns, not a name.
    if (cue.text.length !== cue.lower.length) continue;
    // A speaker's role as a line label ("caller: i'm …") says who speaks, not what follows; in a clinical
    // note the label is a field ("Patient: Frank Marsh", "HCP: …").
    if (isRelation && ctx.genre !== 'clinical' && text.charCodeAt(cue.end) === CH.COLON && (cue.start === 0 || text.charCodeAt(cue.start - 1) === CH.LF)) continue;
    // Skip further titles and honorifics ("MD Dr. Schultz", "PCP Dr Lee", "wife, Mrs. Ann Lee").
    let k = i + 1;
    while (k < tokens.length && (((tokens[k]!.flags & WORD.CLINICIAN) !== 0 && DOCTOR_TITLES.has(tokens[k]!.lower)) || HONORIFICS.has(tokens[k]!.lower)) && k < i + 3) k++;
    const first = tokens[k];
    if (!first) continue;
    const gap = text.slice(tokens[k - 1]!.end, first.start);
    if (!/^(?:\.? |: | \(|, )$/.test(gap) && gap !== ' ') continue;
    if (gap.charCodeAt(0) === CH.PERIOD && !ABBREVIATED_TITLES.has(tokens[k - 1]!.lower)) continue;
    // A comma after a title ends its sentence ("UPDATED BY RN, HOPE TO …"); after a relation it leads to the name ("wife, Mrs. Lee").
    if (isClinician && k === i + 1 && gap === ', ') continue;
    // "pt post op", "PT WILL NEED": after the patient cue of a clinical note (no label's colon) a common word
    // starts a sentence about the patient.
    if (isRelation && gap === ' ' && (first.flags & WORD.COMMON) !== 0 && ctx.genre === 'clinical' && (cue.lower === 'pt' || cue.lower === 'patient')) continue;
    // After the patient cue a name is a known one or a capital where capitals mark names: "PT RECIEVED FROM ED"
    // is a misspelt verb, no name.
    if (isRelation && gap === ' ' && ctx.genre === 'clinical' && (cue.lower === 'pt' || cue.lower === 'patient') && (first.flags & (WORD.FIRST | WORD.LAST)) === 0 && !(ctx.caseMarksNames && first.isCap && !first.isUpper)) continue;
    // After "Dr." or "Fr." a family name that is an uncommon word ("DR. GAMBLE", "dr. pike").
    const uncommonAfterTitle = isClinician && ctx.genre === 'clinical' && NAMING_TITLES.has(tokens[k - 1]!.lower) && (first.flags & (WORD.COMMON | WORD.CLINICAL | WORD.NUMBER | WORD.DATE | WORD.CARE_UNIT)) === 0 && !NOT_AFTER_CUE.has(first.lower) && first.lower.length > 2;
    if (!uncommonAfterTitle && !nameWord(first, text, ctx, isClinician) && !relationGiven(first, tokens[k + 1], isRelation) && !(gap === ' ' && capitalAfterCue(first, tokens[k + 1], text, ctx))) continue;
    let end = first.end;
    let j = k;
    // A second and third name word, or a middle initial.
    while (j + 1 < tokens.length && j < k + 2) {
      const n = tokens[j + 1]!;
      const between = text.slice(tokens[j]!.end, n.start);
      if (between !== ' ' && !(between === '. ' && tokens[j]!.lower.length === 1)) break;
      const initial = n.end - n.start === 1 && /[a-z]/i.test(n.text) && tokens[j + 2] !== undefined && nameWord(tokens[j + 2]!, text, ctx);
      // After a given name a capitalised word is the family name even when it is a word ("Joy Fields").
      const family = ctx.caseMarksNames && n.isCap && !n.isUpper && (tokens[j]!.flags & WORD.FIRST) !== 0 && (n.tags & TAG.ORG_WORDS) === 0 && (n.flags & (WORD.DATE | WORD.NUMBER | WORD.CARE_UNIT | WORD.CLINICAL_TERM)) === 0;
      // A family name that is also a word after a given name ("daughter sue rich", "Dr. Walt Strong").
      const familyWord = j === k && (n.flags & WORD.FAMILY_WORD) !== 0 && ((tokens[j]!.flags & (WORD.FIRST | WORD.GIVEN_CUED)) !== 0 || (tokens[j]!.flags & (WORD.DICTIONARY | WORD.PLACE)) === 0);
      if (!initial && !family && !familyWord && !nameWord(n, text, ctx)) break;
      j++;
      end = n.end;
    }
    out.push(candidate('cuedName', first.start, end, 'NAME', 0.8));
    i = j;
  }
}

/** A clinician's degree after a name and a comma: "ART MENDEZ, M.D.", "Ann Lee, RN", "Young, RRT". */
const DEGREE_AFTER = /, ?(?:m\.? ?d|r\.? ?n|n\.? ?p|ph\.? ?d|rrt|lpn|cna|msw|lcsw|licsw|pa-c)\b\.?/iy;
/** The first letters of DEGREE_AFTER's degrees, lower case. */
const DEGREE_FIRST = new Set<number>([...'mrnplc'].map((c) => c.charCodeAt(0)));

/** Whether the comma at `p` is followed, maybe after a space, by a degree's first letter. */
function degreeLetterAfter(text: string, p: number): boolean {
  let c = text.charCodeAt(p + 1);
  if (c === CH.SPACE) c = text.charCodeAt(p + 2);
  return ((c >= CH.UPPER_A && c <= CH.UPPER_Z) || (c >= CH.LOWER_A && c <= CH.LOWER_Z)) && DEGREE_FIRST.has(c | CH.CASE_BIT);
}

function namesBeforeDegrees(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  if (!ctx.includeClinicians) return;
  // A match starts at its comma, and holds one: the sticky regex is tried at each comma before a degree's letter.
  for (let p = text.indexOf(','); p >= 0; p = text.indexOf(',', p + 1)) {
    if (!degreeLetterAfter(text, p)) continue;
    DEGREE_AFTER.lastIndex = p;
    if (DEGREE_AFTER.exec(text) === null) continue;
    const at = firstTokenAt(tokens, p - 1);
    let k = at < tokens.length && tokens[at]!.end === p ? at : -1;
    if (k < 0) continue;
    const end = tokens[k]!.end;
    let start = -1;
    for (let n = 0; n < 3 && k >= 0; n++, k--) {
      const t = tokens[k]!;
      if (n > 0 && text.slice(t.end, tokens[k + 1]!.start) !== ' ') {
        // An initial before the family name ("P. FERREIRA, RN").
        if (n > 0 && t.lower.length === 1 && /^[a-z]$/i.test(t.text) && text.slice(t.end, tokens[k + 1]!.start) === '. ') start = t.start;
        break;
      }
      if (!nameWord(t, text, { ...ctx, caseMarksNames: ctx.caseMarksNames || t.isUpper }, true)) break;
      start = t.start;
    }
    if (start >= 0) out.push(candidate('cuedName', start, end, 'NAME', 0.75));
  }
}

/**
 * A signature: a line that holds only a name, written with an initial or not, and a degree, with or without
 * a comma ("-- I. Szabo RN", "Crystal Church, MSW", "- bao rn", "HALINA OYELARAN, RRT").
 */
const SIGNATURE = /^[ \t]*-{0,2}[ \t]*((?:[A-Za-z]\. ?)?[A-Za-z][A-Za-z'-]*(?: [A-Za-z][A-Za-z'-]*){0,2}),? (?:rn|rrt|lpn|cna|msw|lcsw|licsw|md|np|pa-c)(?: cm)?\.?[ \t]*$/gim;

/** An ASCII capital folded to lower case; any other code as it is. */
const lowerCode = (c: number) => (c >= CH.UPPER_A && c <= CH.UPPER_Z ? c | CH.CASE_BIT : c);
/** The degrees' last two letters, and the three of those whose two are no degree alone ("rrt", "lpn", "cna"). */
const DEGREE_ENDS = new Set(['rn', 'sw', 'md', 'np', '-c', 'cm']);
const DEGREE_ENDS_3 = new Set(['rrt', 'lpn', 'cna']);

/**
 * The cheap test before SIGNATURE: a degree at the end of a line, maybe with a period and spaces or tabs after
 * it (what `/(?:rn|rrt|lpn|cna|sw|md|np|-c|cm)\.?[ \t]*(?:\n|$)/i` finds), read back from each line's end.
 */
function degreeAtLineEnd(text: string): boolean {
  for (let nl = text.indexOf('\n'); ; nl = text.indexOf('\n', nl + 1)) {
    let i = nl < 0 ? text.length : nl;
    while (i > 0 && (text.charCodeAt(i - 1) === CH.SPACE || text.charCodeAt(i - 1) === CH.TAB)) i--;
    if (i > 0 && text.charCodeAt(i - 1) === CH.PERIOD) i--;
    if (i >= 2) {
      const two = String.fromCharCode(lowerCode(text.charCodeAt(i - 2)), lowerCode(text.charCodeAt(i - 1)));
      if (DEGREE_ENDS.has(two) || (i >= 3 && DEGREE_ENDS_3.has(String.fromCharCode(lowerCode(text.charCodeAt(i - 3))) + two))) return true;
    }
    if (nl < 0) return false;
  }
}

function signatures(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  // Every degree of SIGNATURE is a clinician's title in the lexicon (`WORD.CLINICIAN`).
  if (ctx.genre !== 'clinical' || !ctx.includeClinicians || ((ctx.wordFlags ?? -1) & WORD.CLINICIAN) === 0 || !degreeAtLineEnd(text)) return;
  SIGNATURE.lastIndex = 0;
  for (let m = SIGNATURE.exec(text); m; m = SIGNATURE.exec(text)) {
    const start = m.index + m[0].indexOf(m[1]!);
    const end = start + m[1]!.length;
    // Every word a known name or no English word; after a given name, a family name that is a word ("Church").
    let names = 0;
    let given = false;
    let ok = true;
    for (const t of tokens) {
      if (t.start < start || t.end > end) continue;
      // An initial stands for a given name ("H. Carpenter RN").
      if (t.lower.length === 1) {
        given = true;
        continue;
      }
      const f = t.flags;
      const isName = (f & (WORD.FIRST | WORD.LAST | WORD.GIVEN_CUED)) !== 0;
      if ((f & (WORD.CARE_UNIT | WORD.RELATION | WORD.CLINICIAN | WORD.DATE | WORD.NUMBER)) !== 0 || (t.tags & TAG.NOT_AFTER_CUE) !== 0) ok = false;
      else if (!isName && (f & WORD.CLINICAL) !== 0) ok = false;
      else if (!isName && (f & WORD.DICTIONARY) !== 0 && !given) ok = false;
      if ((f & WORD.FIRST) !== 0) given = true;
      names++;
    }
    if (ok && names > 0) out.push(candidate('cuedName', start, end, 'NAME', 0.75));
  }
}

/** After a facility, "and" or "&" and one to three words up to punctuation: a second facility. */
const AND_FACILITY = /^(?: and| &)[ \t]+([a-z][\w'-]*(?:[ \t][a-z][\w'-]*){0,2})(?=[ \t]*(?:[.,;\n]|$))/di;

/** A word of a place's or facility's name: a known place or name, no English word, or a capital where capitals mark names. */
function placeWord(t: Token, ctx: ClinicalContext): boolean {
  const f = t.flags;
  if (t.isDigits || ((f & (WORD.CLINICAL | WORD.CARE_UNIT | WORD.DATE | WORD.NUMBER | WORD.RELATION | WORD.CLINICIAN)) !== 0 && (f & WORD.FACILITY) === 0)) return false;
  if ((f & (WORD.PLACE | WORD.CITY | WORD.FACILITY | WORD.FIRST | WORD.LAST)) !== 0 || (f & WORD.DICTIONARY) === 0) return true;
  return ctx.caseMarksNames && t.isCap && !t.isUpper;
}

const isFacility = (c: Candidate) => c.kind === 'facility' || c.kind === 'facilityAbbrev';

/** "screened by Everett Medical Center and Sturdy", "Dover Hospital and PVH", "& CHELSEA SNF": a list of facilities. */
function coordinatedFacilities(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  const found = out.filter(isFacility);
  for (const c of found) {
    const m = AND_FACILITY.exec(text.slice(c.end));
    if (!m) continue;
    const [start, end] = m.indices![1]!;
    const words = tokens.filter((t) => t.start >= c.end + start && t.end <= c.end + end);
    if (words.length === 0 || !words.every((t) => placeWord(t, ctx)) || words.every((t) => (t.flags & WORD.FACILITY) !== 0)) continue;
    out.push(candidate('facility', c.end + start, c.end + end, 'LOCATION', 0.75));
  }
}

export function findClinical(text: string, tokens: readonly Token[], ctx: ClinicalContext): Candidate[] {
  const out: Candidate[] = [];
  const words = ctx.wordFlags ?? -1;
  if ((words & (WORD.RELATION | WORD.CLINICIAN)) !== 0) cuedNames(text, tokens, ctx, out);
  namesBeforeDegrees(text, tokens, ctx, out);
  signatures(text, tokens, ctx, out);
  facilities(text, tokens, ctx, out, (words & WORD.FACILITY) !== 0);
  facilityAbbreviations(text, tokens, ctx, out);
  transferPlaces(text, tokens, ctx, out);
  residencePlaces(text, tokens, ctx, out);
  // A list of facilities starts at a facility found above (most texts hold none).
  if (ctx.genre === 'clinical' && out.some(isFacility) && (text.includes(' and ') || text.includes(' AND ') || text.includes(' &'))) coordinatedFacilities(text, tokens, ctx, out);
  shortDates(text, tokens, ctx, out);
  if (ctx.genre === 'clinical' && text.includes('/')) slashPhones(text, out);
  out.push(...findClinicalNames(text, tokens, ctx));
  out.push(...findClinicalHeads(text, tokens, ctx));
  findNursingNotes(text, tokens, ctx, out);
  findIcuNotes(text, tokens, ctx, out);
  findSystemNotes(text, tokens, ctx, out);
  return out;
}
