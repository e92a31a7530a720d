/**
 * Evidence for PHI that clinical notes hold in forms the other detectors miss (R-DATA-2):
 * - names after a relation word or a clinician's title, in any case ("wife MARTHA", "son joe",
 *   "dr brown", "resident ann lee"), names that are also words included ("daughter Hope");
 * - facilities: a town or family name before "Hospital", "Clinic", "Rehab", "Medical Center"…,
 *   "St. Mary's", and two- to four-letter hospital abbreviations after "to", "at", "from";
 * - dates without a year ("3/14", "11/2") and two-digit years after an apostrophe ("CABG '97").
 * The words come from data/lexicons (gazetteer flags); what a word means in context is decided here.
 */
import { CH } from './chars.ts';
import type { Genre } from './genre.ts';
import { WORD } from './gazetteer.ts';
import { ENDS_NAME, isContraction, NOT_NAME, ORG_WORDS } from './names.ts';
import { candidate, type Candidate } from './resolution.ts';
import type { Token } from './tokens.ts';

export interface ClinicalContext {
  genre: Genre;
  /** Most words in capitals: case says nothing. */
  caps: boolean;
  /** Capitals mark names (written text that is not in capitals). */
  caseMarksNames: boolean;
  includeClinicians: boolean;
  /** The `WORD` flags of the text's words together (utterance.ts): cues and facilities are looked for only when some word may be one. */
  wordFlags?: number;
}

/** Words after a relation word that end the name or are no name. */
const NOT_AFTER_CUE = new Set([...ENDS_NAME, ...NOT_NAME, 're', 'of', 'an', 'who', 'whom', 'which', 'as', 'by', 'if', 'when', 'while', 'because', 'than', 'into', 'over', 'via', 'per', 'pt', 'patient', 'states', 'stated', 'reports', 'reported', 'called', 'calls', 'visited', 'visiting', 'present', 'bedside', 'updated', 'aware', 'notified', 'informed', 'phone', 'number', 'cell', 'home', 'work', 'here', 'came', 'left', 'wants', 'asked', 'requested', 'feels', 'thinks', 'agrees', 'agreed', 'signed', 'also', 'both', 'all', 'none', 'not', 'us', 'them', 'him', 'her', 'his', 'their', 'our', 'your', 'its', 'x1', 'x2']);
const DOCTOR_TITLES = new Set(['dr', 'doctor']);

/**
 * Whether a token may be a word of a person's name after a cue. A known given or family name counts even
 * when it is also clinical vocabulary ("wife ED HOPE", "Dr. Strong"); a modal verb counts when a capital
 * and the end of the sentence say it is a name ("niece Will.").
 */
function nameWord(t: Token, text: string, ctx: ClinicalContext, familyWordOk = false): boolean {
  if (t.isDigits || t.lower.length < 2 || ORG_WORDS.has(t.lower) || isContraction(t.lower)) return false;
  if (NOT_AFTER_CUE.has(t.lower)) return ctx.caseMarksNames && t.isCap && !t.isUpper && (t.flags & WORD.FIRST) !== 0 && /^[.,;]/.test(text.slice(t.end, t.end + 1));
  const f = t.flags;
  if ((f & (WORD.NUMBER | WORD.DATE | WORD.CARE_UNIT | WORD.RELATION | WORD.CLINICIAN)) !== 0) return false;
  // A given name that is also a word after a relation word ("NEPHEW DOT SHAPIRO"); a family name that is
  // also a word after a doctor's title or before a degree (`familyWordOk`: "Dr. Strong", "Art Banks, RN").
  const known = (f & (WORD.FIRST | WORD.LAST | WORD.GIVEN_CUED)) !== 0 || ((f & WORD.FAMILY_WORD) !== 0 && familyWordOk);
  if (known) return (f & WORD.CLINICAL_TERM) === 0 || (f & WORD.FIRST) !== 0;
  if ((f & WORD.CLINICAL) !== 0) return false;
  if ((f & WORD.DICTIONARY) === 0 && (f & WORD.PLACE) === 0) return !/\d/.test(t.text);
  // A capitalised word in text where case marks names ("wife Hope", "son Frank").
  return ctx.caseMarksNames && t.isCap && !t.isUpper && (f & WORD.COMMON) === 0 && text.charCodeAt(t.start - 1) !== CH.LF;
}

/**
 * A given name right after a relation word that other rules refuse: one that is also a unit of care ("son ed
 * visited", "SISTER ED UPDATED") or a modal verb before a family name ("NEPHEW WILL SHARP CALLED").
 */
function relationGiven(t: Token, next: Token | undefined, isRelation: boolean): boolean {
  if (!isRelation || (t.flags & WORD.FIRST) === 0 || t.isDigits) return false;
  if ((t.flags & WORD.CARE_UNIT) !== 0 && (t.flags & WORD.CLINICAL_TERM) !== 0 && !NOT_AFTER_CUE.has(t.lower)) return true;
  if (!ENDS_NAME.has(t.lower) || next === undefined || next.start !== t.end + 1) return false;
  return (next.flags & WORD.FAMILY_WORD) !== 0 || ((next.flags & WORD.LAST) !== 0 && (next.flags & WORD.COMMON) === 0);
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
    // A speaker's role as a line label ("caller: i'm …") says who speaks, not what follows.
    if (isRelation && text.charCodeAt(cue.end) === CH.COLON && (cue.start === 0 || text.charCodeAt(cue.start - 1) === CH.LF)) continue;
    // Skip further titles ("MD Dr. Schultz", "PCP Dr Lee").
    let k = i + 1;
    while (k < tokens.length && (tokens[k]!.flags & WORD.CLINICIAN) !== 0 && DOCTOR_TITLES.has(tokens[k]!.lower) && k < i + 3) k++;
    const first = tokens[k];
    if (!first) continue;
    const gap = text.slice(tokens[k - 1]!.end, first.start);
    if (!/^(?:\.? |: | \(|, )$/.test(gap) && gap !== ' ') continue;
    if (!nameWord(first, text, ctx, isClinician) && !relationGiven(first, tokens[k + 1], isRelation)) continue;
    let end = first.end;
    let j = k;
    // A second and third name word, or a middle initial.
    while (j + 1 < tokens.length && j < k + 2) {
      const n = tokens[j + 1]!;
      const between = text.slice(tokens[j]!.end, n.start);
      if (between !== ' ' && !(between === '. ' && tokens[j]!.lower.length === 1)) break;
      const initial = n.end - n.start === 1 && /[a-z]/i.test(n.text) && tokens[j + 2] !== undefined && nameWord(tokens[j + 2]!, text, ctx);
      // After a given name a capitalised word is the family name even when it is a word ("Joy Fields").
      const family = ctx.caseMarksNames && n.isCap && !n.isUpper && (tokens[j]!.flags & WORD.FIRST) !== 0 && !ORG_WORDS.has(n.lower) && (n.flags & (WORD.DATE | WORD.NUMBER | WORD.CARE_UNIT | WORD.CLINICAL_TERM)) === 0;
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

const FACILITY_HEADS = new Set(['hospital', 'clinic', 'rehab', 'rehabilitation', 'infirmary', 'hospice', 'sanatorium', 'center', 'centre', 'home']);
/** Heads that make a facility only after another facility word ("Medical Center", "Nursing Home"). */
const WEAK_HEADS = new Set(['center', 'centre', 'home']);

/** A word of a facility's name: a known name or town (even a word, "ROSE REHAB"), a town's part ("Falls"), or no English word. */
function facilityNameWord(t: Token, ctx: ClinicalContext): boolean {
  if (t.isDigits || t.lower.length < 2) return false;
  const f = t.flags;
  if ((f & (WORD.CLINICAL | WORD.CARE_UNIT | WORD.DATE | WORD.NUMBER)) !== 0) return false;
  if (ctx.caseMarksNames && !t.isCap) return false;
  if ((f & (WORD.FIRST | WORD.LAST | WORD.PLACE | WORD.CITY | WORD.STATE | WORD.PLACE_PART)) !== 0) return true;
  return (f & WORD.COMMON) === 0 && (f & WORD.DICTIONARY) === 0;
}

/** "Fairhaven General Hospital", "Lee Memorial Hospital", "TRAN REHAB", "St. Joseph's". */
function facilities(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[], mayHoldHead: boolean): void {
  for (let h = 1; mayHoldHead && h < tokens.length; h++) {
    const head = tokens[h]!;
    if ((head.flags & WORD.FACILITY) === 0 || !FACILITY_HEADS.has(head.lower)) continue;
    let k = h - 1;
    if (WEAK_HEADS.has(head.lower) && !((tokens[k]!.flags & WORD.FACILITY) !== 0 && !FACILITY_HEADS.has(tokens[k]!.lower))) continue;
    while (k >= 0 && (tokens[k]!.flags & WORD.FACILITY) !== 0 && !FACILITY_HEADS.has(tokens[k]!.lower) && h - k <= 3) k--;
    let start = -1;
    let parts = 0;
    let words = 0;
    for (let n = 0; n < 3 && k >= 0; n++, k--) {
      const t = tokens[k]!;
      if (text.slice(t.end, tokens[k + 1]!.start) !== ' ' || !facilityNameWord(t, ctx)) break;
      start = t.start;
      words++;
      if ((t.flags & WORD.PLACE_PART) !== 0 && (t.flags & (WORD.FIRST | WORD.LAST | WORD.CITY)) === 0) parts++;
    }
    // A town's part alone is no name ("the Park Clinic" needs a name before "Park").
    if (start >= 0 && parts < words) out.push(candidate('facility', start, head.end, 'LOCATION', 0.8));
  }
  if (!text.includes("'s") && !text.includes('’s')) return;
  SAINT.lastIndex = 0;
  for (let m = SAINT.exec(text); m; m = SAINT.exec(text)) out.push(candidate('facility', m.index, m.index + m[0].length, 'LOCATION', 0.75));
}

/** "St. Mary's", "Saint Vincent's", "ST. LUKE'S": a saint's name with a possessive is a hospital. */
const SAINT = /\b(?:st\.?|saint) [a-z]{3,}['’]s\b/gi;

const PLACE_PREPOSITIONS = new Set(['to', 'at', 'from']);

/** "transfer to BMC", "from MGH": a short abbreviation after a place preposition that no lexicon holds. */
function facilityAbbreviations(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  // Only in clinical notes: elsewhere an acronym after "at" is an organisation ("at ATM", "from USNS").
  if (ctx.genre !== 'clinical') return;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    const len = t.end - t.start;
    if (len < 2 || len > 4 || t.isDigits || !PLACE_PREPOSITIONS.has(tokens[i - 1]!.lower)) continue;
    if (!(t.isUpper || ctx.caps)) continue;
    if ((t.flags & (WORD.CLINICAL | WORD.DICTIONARY | WORD.COMMON | WORD.STATE | WORD.NUMBER)) !== 0 || /\d/.test(t.text)) continue;
    if (text.slice(tokens[i - 1]!.end, t.start) !== ' ') continue;
    out.push(candidate('facilityAbbrev', t.start, t.end, 'LOCATION', 0.7));
  }
}

/** Month/day without a year: "3/14", "11/2". */
const MONTH_DAY = /(?<![\w/.-])(0?[1-9]|1[0-2])\/(0?[1-9]|[12]\d|3[01])(?![\w/%]|[.,]\d|-\d)/g;
/** A two-digit year after an apostrophe: "CABG '97", "in '03". */
const APOSTROPHE_YEAR = /(?<=[\s(])['’](\d\d)(?![\w'’])/g;
/** Words after which "n/n" is a measure, a score or a fraction, not a date. */
const MEASURE_AFTER = /^\s*(?:tabs?|tablets?|caps?|mg|ml|cc|units?|strength|dose|of|times|cm|mm|scale)\b/i;

function shortDates(text: string, tokens: readonly Token[], out: Candidate[]): void {
  if (text.includes('/')) {
    MONTH_DAY.lastIndex = 0;
    for (let m = MONTH_DAY.exec(text); m; m = MONTH_DAY.exec(text)) {
      const month = Number(m[1]);
      const day = Number(m[2]);
      // Fractions and "secondary to": 1/2, 2/3, 3/4, 2/2.
      if (day <= 4 && month <= day) continue;
      const end = m.index + m[0].length;
      if (MEASURE_AFTER.test(text.slice(end, end + 12))) continue;
      // A measure or score before it ("PSV 10/5", "pain 5/10", "GCS 3/15").
      const prev = previousToken(tokens, m.index);
      if (prev && ((prev.flags & WORD.MEASURE) !== 0 || prev.isDigits)) continue;
      out.push(candidate('shortDate', m.index, end, 'DATE', 0.75));
    }
  }
  if (text.includes("'") || text.includes('’')) {
    APOSTROPHE_YEAR.lastIndex = 0;
    for (let m = APOSTROPHE_YEAR.exec(text); m; m = APOSTROPHE_YEAR.exec(text)) out.push(candidate('shortDate', m.index + 1, m.index + m[0].length, 'DATE', 0.7));
  }
}

function previousToken(tokens: readonly Token[], offset: number): Token | undefined {
  let prev: Token | undefined;
  for (const t of tokens) {
    if (t.end > offset) break;
    prev = t;
  }
  return prev;
}

/** A clinician's degree after a name and a comma: "ART MENDEZ, M.D.", "Ann Lee, RN", "Young, RRT". */
/** The cheap test before DEGREE_AFTER: a comma and a degree's first letter after it. */
const DEGREE_GATE = /, ?[mrnplcMRNPLC]/;
const DEGREE_AFTER = /, ?(?:m\.? ?d|r\.? ?n|n\.? ?p|ph\.? ?d|rrt|lpn|cna|msw|licsw|pa-c)\b\.?/gi;

function namesBeforeDegrees(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  if (!ctx.includeClinicians || !DEGREE_GATE.test(text)) return;
  DEGREE_AFTER.lastIndex = 0;
  for (let m = DEGREE_AFTER.exec(text); m; m = DEGREE_AFTER.exec(text)) {
    let k = tokens.findIndex((t) => t.end === m!.index);
    if (k < 0) continue;
    const end = tokens[k]!.end;
    let start = -1;
    for (let n = 0; n < 3 && k >= 0; n++, k--) {
      const t = tokens[k]!;
      if (n > 0 && text.slice(t.end, tokens[k + 1]!.start) !== ' ') break;
      if (!nameWord(t, text, { ...ctx, caseMarksNames: ctx.caseMarksNames || t.isUpper }, true)) break;
      start = t.start;
    }
    if (start >= 0) out.push(candidate('cuedName', start, end, 'NAME', 0.75));
  }
}

export function findClinical(text: string, tokens: readonly Token[], ctx: ClinicalContext): Candidate[] {
  const out: Candidate[] = [];
  const words = ctx.wordFlags ?? -1;
  if ((words & (WORD.RELATION | WORD.CLINICIAN)) !== 0) cuedNames(text, tokens, ctx, out);
  namesBeforeDegrees(text, tokens, ctx, out);
  facilities(text, tokens, ctx, out, (words & WORD.FACILITY) !== 0);
  facilityAbbreviations(text, tokens, ctx, out);
  shortDates(text, tokens, out);
  return out;
}
