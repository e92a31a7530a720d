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
/** Honorifics between a cue and the name, no part of it ("wife, Mrs. Ann Lee"). */
const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'mx']);

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
    // A comma after a title ends its sentence ("UPDATED BY RN, HOPE TO …"); after a relation it leads to the name ("wife, Mrs. Lee").
    if (isClinician && k === i + 1 && gap === ', ') continue;
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

const FACILITY_HEADS = new Set(['hospital', 'clinic', 'rehab', 'rehabilitation', 'infirmary', 'hospice', 'sanatorium', 'center', 'centre', 'home', 'institute', 'manor', 'nursing', 'practice', 'regional']);
/** Heads that make a facility only after another facility word ("Medical Center", "Nursing Home", "Skilled Nursing", "Family Practice"). */
const WEAK_HEADS = new Set(['center', 'centre', 'home', 'nursing', 'practice']);
/** A head that makes a facility only after a town or a family name ("Haverhill Regional"), never after a word. */
const NAMED_HEADS = new Set(['regional']);
/**
 * Heads after which, in text where capitals mark names, capitalised words are the name even when they are
 * words ("Sacred Heart Medical Center", "Good Shepherd Hospital", "Our Lady of Grace Hospital").
 */
const STRONG_HEADS = new Set(['hospital', 'center', 'centre', 'institute', 'manor', 'infirmary']);

/** A facility word inside a facility's name: no head, or a weak one ("Medical", "General", "Nursing" of "Nursing Home"). */
function innerFacilityWord(t: Token): boolean {
  return (t.flags & WORD.FACILITY) !== 0 && (!FACILITY_HEADS.has(t.lower) || WEAK_HEADS.has(t.lower));
}

/** A word of a facility's name: a known name or town (even a word, "ROSE REHAB"), a town's part ("Falls"), or no English word. */
function facilityNameWord(t: Token, ctx: ClinicalContext): boolean {
  if (t.isDigits || t.lower.length < 2) return false;
  const f = t.flags;
  // A family name that is also a colour or a state ("Brown Memorial Hospital") is a name here.
  const nameAndState = (f & (WORD.FIRST | WORD.LAST)) !== 0 && (f & WORD.CLINICAL_TERM) === 0;
  if ((f & (WORD.CARE_UNIT | WORD.DATE | WORD.NUMBER)) !== 0 || ((f & WORD.CLINICAL) !== 0 && !nameAndState)) return false;
  if (ctx.caseMarksNames && !t.isCap) return false;
  if ((f & (WORD.FIRST | WORD.LAST | WORD.PLACE | WORD.CITY | WORD.STATE | WORD.PLACE_PART)) !== 0) return true;
  return (f & WORD.COMMON) === 0 && (f & WORD.DICTIONARY) === 0;
}

/**
 * A capitalised word of a facility's name before a strong head, in text where capitals mark names: a word
 * that is no clinical word and does not start its line ("Sacred", "Heart", "Good", "Shepherd").
 */
function capitalisedNameWord(t: Token, text: string, ctx: ClinicalContext): boolean {
  if (!ctx.caseMarksNames || !t.isCap || t.isUpper || t.isDigits || t.lower.length < 2) return false;
  if ((t.flags & (WORD.CLINICAL | WORD.CARE_UNIT | WORD.DATE | WORD.NUMBER | WORD.RELATION | WORD.CLINICIAN)) !== 0) return false;
  return t.start > 0 && text.charCodeAt(t.start - 1) !== CH.LF;
}

/** "Fairhaven General Hospital", "Lee Memorial Hospital", "TRAN REHAB", "Kessler Institute", "Sacred Heart Medical Center", "St. Joseph's". */
function facilities(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[], mayHoldHead: boolean): void {
  for (let h = 1; mayHoldHead && h < tokens.length; h++) {
    const head = tokens[h]!;
    if ((head.flags & WORD.FACILITY) === 0 || !FACILITY_HEADS.has(head.lower)) continue;
    let k = h - 1;
    // A weak head after a facility word or another head ("Medical Center", "Rehabilitation Center"); "Family Practice".
    if (WEAK_HEADS.has(head.lower) && (tokens[k]!.flags & WORD.FACILITY) === 0 && !(head.lower === 'practice' && tokens[k]!.lower === 'family')) continue;
    if (NAMED_HEADS.has(head.lower) && (tokens[k]!.flags & (WORD.CITY | WORD.PLACE | WORD.LAST)) === 0) continue;
    while (k >= 0 && (innerFacilityWord(tokens[k]!) || (k === h - 1 && WEAK_HEADS.has(head.lower) && ((tokens[k]!.flags & WORD.FACILITY) !== 0 || tokens[k]!.lower === 'family'))) && h - k <= 3) k--;
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
    // Where capitals mark names, two capitalised words or more (joined by "of") before a strong head are its
    // name even when they are words: "Sacred Heart Medical Center", "Good Shepherd Hospital", "Our Lady of
    // Grace Hospital".
    if (ctx.caseMarksNames && STRONG_HEADS.has(head.lower)) {
      let m = k;
      let caps = words;
      let from = start;
      for (let n = 0; n < 5 && m >= 0; n++, m--) {
        const t = tokens[m]!;
        if (text.slice(t.end, tokens[m + 1]!.start) !== ' ') break;
        if (t.lower === 'of' && caps > 0 && m > 0 && capitalisedNameWord(tokens[m - 1]!, text, ctx)) continue;
        if (!capitalisedNameWord(t, text, ctx)) break;
        caps++;
        from = t.start;
      }
      if (caps >= 2 && from >= 0) {
        start = from;
        parts = -1;
      }
    }
    // A town's part alone is no name ("the Park Clinic" needs a name before "Park").
    if (start >= 0 && parts < words) {
      out.push(candidate('facility', start, head.end, 'LOCATION', 0.8));
      townAfter(text, tokens, h, ctx, out);
    }
  }
  if (text.includes('t. ') || text.includes('T. ') || text.includes('aint')) saints(text, tokens, out);
  if (text.includes(' ED') || text.includes(' ER')) emergencyDepartments(text, tokens, ctx, out);
  if (!text.includes("'s") && !text.includes('’s')) return;
  SAINT.lastIndex = 0;
  for (let m = SAINT.exec(text); m; m = SAINT.exec(text)) out.push(candidate('facility', m.index, m.index + m[0].length, 'LOCATION', 0.75));
}

/** "St. Mary's", "Saint Vincent's", "ST. LUKE'S": a saint's name with a possessive is a hospital. */
const SAINT = /\b(?:st\.?|saint) [a-z]{3,}['’]s\b/gi;

/**
 * "the Holy Cross ED", "the Good Shepherd ER": where capitals mark names, the name before a hospital's
 * emergency department written "ED" or "ER" (two capitalised words, or one name or town).
 */
function emergencyDepartments(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  if (!ctx.caseMarksNames) return;
  for (let h = 1; h < tokens.length; h++) {
    const head = tokens[h]!;
    if (!head.isUpper || (head.text !== 'ED' && head.text !== 'ER')) continue;
    let start = -1;
    let words = 0;
    let named = false;
    for (let k = h - 1; k >= 0 && k >= h - 3; k--) {
      const t = tokens[k]!;
      if (text.slice(t.end, tokens[k + 1]!.start) !== ' ' || !capitalisedNameWord(t, text, ctx)) break;
      if ((t.flags & (WORD.FIRST | WORD.LAST | WORD.CITY | WORD.PLACE)) !== 0) named = true;
      start = t.start;
      words++;
    }
    if (start >= 0 && (words >= 2 || named)) out.push(candidate('facility', start, tokens[h - 1]!.end, 'LOCATION', 0.75));
  }
}

/** "Whittier Rehab, Saugus": a town after a facility and a comma is where it is. */
function townAfter(text: string, tokens: readonly Token[], h: number, ctx: ClinicalContext, out: Candidate[]): void {
  const t = tokens[h + 1];
  if (!t || text.slice(tokens[h]!.end, t.start) !== ', ' || (t.flags & (WORD.CLINICAL | WORD.CARE_UNIT | WORD.DATE)) !== 0) return;
  if ((t.flags & WORD.CITY) === 0 || (ctx.caseMarksNames && !t.isCap)) return;
  let end = t.end;
  const next = tokens[h + 2];
  if (next && text.slice(t.end, next.start) === ' ' && (t.flags & WORD.PLACE_PART) !== 0 && (next.flags & WORD.CITY) !== 0) end = next.end;
  out.push(candidate('facility', t.start, end, 'LOCATION', 0.75));
}

/**
 * "St. Agnes", "st. francis", "Saint Anne": a saint's given name after "St." is a hospital even without
 * the possessive; "St" needs its period ("ST" alone is a heart rhythm).
 */
function saints(text: string, tokens: readonly Token[], out: Candidate[]): void {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.lower !== 'saint' && !(t.lower === 'st' && text.charCodeAt(t.end) === CH.PERIOD)) continue;
    const n = tokens[i + 1]!;
    const gap = n.start - t.end;
    if (gap !== (t.lower === 'st' ? 2 : 1) || n.lower.length < 4 || (n.flags & WORD.FIRST) === 0 || (n.flags & (WORD.CLINICAL | WORD.DATE)) !== 0) continue;
    // The possessive form is SAINT's.
    if (/^['’]s\b/.test(text.slice(n.end, n.end + 3))) continue;
    out.push(candidate('facility', t.start, n.end, 'LOCATION', 0.75));
  }
}

const PLACE_PREPOSITIONS = new Set(['to', 'at', 'from']);
/** Words after which "to", "at", "from" lead to a place of care: a transfer, a bed, a discharge, a home. */
const TRANSFER_WORDS = new Set(['transfer', 'transferred', 'transfered', 'transferring', 'tx', 'txd', 'xfer', 'xferred', 'dc', "dc'd", "d/c'd", 'discharge', 'discharged', 'admitted', 'admit', 'readmitted', 'bed', 'screened', 'screening', 'screen', 'accepted', 'referral', 'referred', 'placement', 'placed', 'sent', 'lives', 'living', 'resides', 'came', 'arrived', 'returned', 'returning', 'going', 'awaiting', 'rehab', 'snf', 'likely']);
/** Words that end a place's name after a transfer ("to KESSLER IN AM", "to gsh on May 10"). */
const AFTER_PLACE = new Set(['in', 'on', 'by', 'when', 'pending', 'for', 'via', 'with', 'w', 'today', 'tomorrow', 'tonight', 'tmrw', 'am', 'pm', 'once', 'if', 'and', 'or', 'after', 'before', 'at', 'to', 'from', 'as', 'per', 'early', 'late', 'next', 'this', 'vs']);

/**
 * A place of care named after a transfer ("transfer to KESSLER", "awaiting bed @ MAPLE CREST", "aware of
 * transfer to gsh on May 10", "TRANSFERRED FROM BRIARWOOD ON 9-20"): in a clinical note, one or two words
 * after "to", "at", "from" or "@" when a word of transfer comes at most two words before it, and none of the
 * words is clinical vocabulary, a unit of care, a date, a number, a relation or a function word.
 */
function transferPlaces(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  if (ctx.genre !== 'clinical') return;
  for (let i = 1; i < tokens.length; i++) {
    // The first word of the place: after "to", "at", "from", or after "@" (no token of its own).
    const before = tokens[i - 1]!;
    const start = tokens[i]!.start;
    let prep = -1;
    const w = before.lower;
    if (start - before.end === 1 && (w === 'to' || w === 'at' || w === 'from')) prep = i - 1;
    else if (start - before.end === 3 && text.charCodeAt(start - 2) === CH.AT) prep = i;
    if (prep < 1) continue;
    let cued = false;
    for (let b = prep - 1; b >= 0 && b >= prep - 3; b--) {
      const w = tokens[b]!;
      // "D/C TO": the tokenizer splits "d/c" at its slash.
      if (TRANSFER_WORDS.has(w.lower) || (w.lower === 'c' && text.charCodeAt(w.start - 1) === CH.SLASH)) cued = true;
    }
    if (!cued) continue;
    let end = -1;
    for (let j = i; j < tokens.length && j <= i + 1; j++) {
      const t = tokens[j]!;
      if ((j > i && text.slice(tokens[j - 1]!.end, t.start) !== ' ') || !placeWord(t)) break;
      // A capital where capitals mark names; elsewhere a name, a town or no common word ("to pharmacy" is none).
      if (ctx.caseMarksNames ? !t.isCap : (t.flags & WORD.COMMON) !== 0 && (t.flags & (WORD.FIRST | WORD.LAST | WORD.CITY)) === 0) break;
      end = t.end;
    }
    if (end >= 0) out.push(candidate('facilityAbbrev', tokens[i]!.start, end, 'LOCATION', 0.7));
  }
}

/** Words after which "in" or "from" leads to a town: where a patient or a relative lives or calls from. */
const RESIDENCE_WORDS = new Set(['lives', 'living', 'resides', 'residing', 'moved', 'called', 'calling', 'visiting', 'home']);

/**
 * "lives in ORANGE", "called from orange", "lives w/ dtr in revere": in a clinical note a town after "in" or
 * "from" that follows a word of residence (at most four words before) is a place in any case, even when it
 * is a word; one town word, or a town's part and a town ("south hadley").
 */
function residencePlaces(tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  if (ctx.genre !== 'clinical') return;
  for (let i = 1; i + 1 < tokens.length; i++) {
    const p = tokens[i]!;
    if (p.lower !== 'in' && p.lower !== 'from') continue;
    let cued = false;
    for (let b = i - 1; b >= 0 && b >= i - 4; b--) if (RESIDENCE_WORDS.has(tokens[b]!.lower)) cued = true;
    if (!cued) continue;
    const t = tokens[i + 1]!;
    const n = tokens[i + 2];
    if (!placeWord(t) || (ctx.caseMarksNames && !t.isCap)) continue;
    if ((t.flags & WORD.PLACE_PART) !== 0 && n && n.start === t.end + 1 && (n.flags & WORD.CITY) !== 0 && placeWord(n)) out.push(candidate('facility', t.start, n.end, 'LOCATION', 0.75));
    else if ((t.flags & WORD.CITY) !== 0) out.push(candidate('facility', t.start, t.end, 'LOCATION', 0.75));
  }
}

function placeWord(t: Token): boolean {
  if (t.isDigits || t.lower.length < 2 || /\d/.test(t.text) || AFTER_PLACE.has(t.lower) || NOT_AFTER_CUE.has(t.lower)) return false;
  return (t.flags & (WORD.CLINICAL | WORD.CARE_UNIT | WORD.DATE | WORD.NUMBER | WORD.RELATION | WORD.CLINICIAN | WORD.STATE)) === 0;
}

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
/** Month-day with a hyphen ("3-15", "10-21"): a date only after a word that dates follow, or before a time of day. */
const MONTH_DAY_HYPHEN = /(?<![\w/.-])(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])(?![\w/%-]|[.,:]\d)/g;
const DATE_LEAD = new Set(['on', 'from', 'since', 'until', 'till', 'by', 'faxed', 'recheck', 'rechecked', 'admitted', 'admit', 'dated', 'for', 'before', 'after', 'seen', 'due', 'scheduled', 'sent', 'drawn', 'cx', 'bcx', 'ucx', 'encounter', 'note', 'call', 'back', 'started', 'placed', 'done', 'last']);
/** A unit or a count after a range ("2-3 L", "1-2 tabs", "3-4 days"): no date. */
const UNIT_AFTER_RANGE = /^\s*(?:l|liters?|lpm|days?|d|weeks?|wks?|hours?|hrs?|h|minutes?|mins?|times|x|units?|pts?|points?|beats|breaths|cm|mm|kg|g|lbs?|%)\b/i;
const TIME_OF_DAY_AFTER = /^ (?:[01]?\d|2[0-3]):?[0-5]\d\b/;
/** A two-digit year after an apostrophe: "CABG '97", "in '03". */
const APOSTROPHE_YEAR = /(?<=[\s(])['’](\d\d)(?![\w'’])/g;
/** Words after which "n/n" is a measure, a score or a fraction, not a date. */
const MEASURE_AFTER = /^\s*(?:tabs?|tablets?|caps?|mg|ml|cc|units?|strength|dose|of|times|cm|mm|scale)\b/i;

function shortDates(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
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
  if (ctx.genre === 'clinical' && text.includes('-')) {
    MONTH_DAY_HYPHEN.lastIndex = 0;
    for (let m = MONTH_DAY_HYPHEN.exec(text); m; m = MONTH_DAY_HYPHEN.exec(text)) {
      const month = Number(m[1]);
      const day = Number(m[2]);
      // Small rising pairs are counts and ranges ("from 2-3", "1-4").
      if (day <= 4 && month <= day) continue;
      const end = m.index + m[0].length;
      const after = text.slice(end, end + 12);
      if (MEASURE_AFTER.test(after) || UNIT_AFTER_RANGE.test(after)) continue;
      const prev = previousToken(tokens, m.index);
      // After a word that dates follow, or after "last" and one word ("last bm 11-11"), or before a time.
      const lead = prev !== undefined && (DATE_LEAD.has(prev.lower) || previousToken(tokens, prev.start)?.lower === 'last');
      if (!lead && !TIME_OF_DAY_AFTER.test(after)) continue;
      out.push(candidate('shortDate', m.index, end, 'DATE', 0.7));
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
const DEGREE_AFTER = /, ?(?:m\.? ?d|r\.? ?n|n\.? ?p|ph\.? ?d|rrt|lpn|cna|msw|lcsw|licsw|pa-c)\b\.?/gi;

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
/** The cheap test before SIGNATURE: a degree at the end of a line. */
const SIGNATURE_GATE = /(?:rn|rrt|lpn|cna|sw|md|np|-c|cm)\.?[ \t]*(?:\n|$)/i;

function signatures(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  // Every degree of SIGNATURE is a clinician's title in the lexicon (`WORD.CLINICIAN`).
  if (ctx.genre !== 'clinical' || !ctx.includeClinicians || ((ctx.wordFlags ?? -1) & WORD.CLINICIAN) === 0 || !SIGNATURE_GATE.test(text)) return;
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
      if ((f & (WORD.CARE_UNIT | WORD.RELATION | WORD.CLINICIAN | WORD.DATE | WORD.NUMBER)) !== 0 || NOT_AFTER_CUE.has(t.lower)) ok = false;
      else if (!isName && (f & WORD.CLINICAL) !== 0) ok = false;
      else if (!isName && (f & WORD.DICTIONARY) !== 0 && !given) ok = false;
      if ((f & WORD.FIRST) !== 0) given = true;
      names++;
    }
    if (ok && names > 0) out.push(candidate('cuedName', start, end, 'NAME', 0.75));
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
  residencePlaces(tokens, ctx, out);
  shortDates(text, tokens, ctx, out);
  return out;
}
