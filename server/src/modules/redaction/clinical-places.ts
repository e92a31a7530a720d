/**
 * Places of care in clinical notes (R-DATA-2), split from clinical.ts: facilities named by a town or
 * family name before "Hospital", "Clinic", "Rehab", "Medical Center"…, "St. Mary's", a town after a
 * facility, the name before "ED", places after a transfer or a residence word, and two- to four-letter
 * hospital abbreviations after "to", "at", "from". Called from findClinical.
 */
import { CH } from './chars.ts';
import type { ClinicalContext } from './clinical.ts';
import { WORD } from './gazetteer.ts';
import { NOT_AFTER_CUE } from './names.ts';
import { candidate, type Candidate } from './resolution.ts';
import type { Token } from './tokens.ts';
import { TAG, tagWords } from './word-tags.ts';

const FACILITY_HEADS = new Set(['hospital', 'hosp', 'clinic', 'rehab', 'rehabilitation', 'infirmary', 'hospice', 'sanatorium', 'center', 'centre', 'home', 'institute', 'manor', 'nursing', 'practice', 'regional', 'house', 'nh', 'ctr']);
/** Heads that make a facility only after another facility word ("Medical Center", "Nursing Home", "Skilled Nursing", "Family Practice"). */
const WEAK_HEADS = new Set(['center', 'centre', 'ctr', 'home', 'nursing', 'practice']);
/** A head that makes a facility only after a town or a family name ("Haverhill Regional"), never after a word. */
const NAMED_HEADS = new Set(['regional']);
/** Heads that make a facility only after a word of a name that is no English word, a known name or a town ("Whitcomb House", "Bush NH"); "house officer" is none. */
const OWNED_HEADS = new Set(['house', 'nh']);
/**
 * Heads after which, in text where capitals mark names, capitalised words are the name even when they are
 * words ("Sacred Heart Medical Center", "Good Shepherd Hospital", "Our Lady of Grace Hospital").
 */
const STRONG_HEADS = new Set(['hospital', 'hosp', 'center', 'centre', 'institute', 'manor', 'infirmary']);

/** A facility word inside a facility's name: no head, or a weak one ("Medical", "General", "Nursing" of "Nursing Home"). */
function innerFacilityWord(t: Token): boolean {
  // "Regional" inside "Pawtucket Regional Medical Center" too.
  return (t.flags & WORD.FACILITY) !== 0 && (!FACILITY_HEADS.has(t.lower) || WEAK_HEADS.has(t.lower) || NAMED_HEADS.has(t.lower));
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
export function facilities(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[], mayHoldHead: boolean): void {
  for (let h = 1; mayHoldHead && h < tokens.length; h++) {
    const head = tokens[h]!;
    if ((head.flags & WORD.FACILITY) === 0 || !FACILITY_HEADS.has(head.lower)) continue;
    let k = h - 1;
    // A weak head after a facility word or another head ("Medical Center", "Rehabilitation Center"); "Family Practice".
    if (WEAK_HEADS.has(head.lower) && (tokens[k]!.flags & WORD.FACILITY) === 0 && !(head.lower === 'practice' && tokens[k]!.lower === 'family')) continue;
    if (NAMED_HEADS.has(head.lower) && (tokens[k]!.flags & (WORD.CITY | WORD.PLACE | WORD.LAST)) === 0) continue;
    if (OWNED_HEADS.has(head.lower) && (ctx.genre !== 'clinical' || text.slice(tokens[k]!.end, head.start) !== ' ' || !facilityNameWord(tokens[k]!, ctx))) continue;
    while (k >= 0 && (innerFacilityWord(tokens[k]!) || (k === h - 1 && WEAK_HEADS.has(head.lower) && ((tokens[k]!.flags & WORD.FACILITY) !== 0 || tokens[k]!.lower === 'family'))) && h - k <= 3) k--;
    const nameEnd = k;
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
    // In a note whose case marks nothing, the words between a place preposition and a strong head are its
    // name even when they are words: "transferred from holy family hospital", "TO SACRED HEART MEDICAL CENTER".
    if (!ctx.caseMarksNames && STRONG_HEADS.has(head.lower)) {
      const from = nameEnd >= 0 ? wordsAfterPreposition(text, tokens, nameEnd) : -1;
      if (from >= 0 && (start < 0 || tokens[from]!.start < start)) {
        start = tokens[from]!.start;
        parts = -1;
      }
    }
    // Where capitals mark names, one capitalised word before a facility word and a head is the name even when it
    // is a word: "Sweet Nursing Home", "Bone Memorial Hospital" (not "Community General Hospital").
    if (start < 0 && ctx.caseMarksNames && nameEnd >= 0 && nameEnd < h - 1 && text.slice(tokens[nameEnd]!.end, tokens[nameEnd + 1]!.start) === ' ') {
      const t = tokens[nameEnd]!;
      if (capitalisedNameWord(t, text, ctx) && !GENERIC_BEFORE_HEAD.has(t.lower) && (t.flags & WORD.FACILITY) === 0) {
        start = t.start;
        words = 1;
      }
    }
    // "st. margaret's hospital": the saint's title belongs to the name.
    if (start >= 0) start = saintBefore(text, start);
    // A town's part alone is no name ("the Park Clinic" needs a name before "Park").
    if (start >= 0 && parts < words) {
      out.push(candidate('facility', start, head.end, 'LOCATION', 0.8));
      townAfter(text, tokens, h, ctx, out);
    }
  }
  // A saint's name follows "saint" or "st", an emergency department is "ED" or "ER": the words' tags first,
  // as a search for a few characters that start with a space reads the text slowly.
  const tags = ctx.wordTags ?? -1;
  if ((tags & TAG.SAINT) !== 0 && (text.includes('t. ') || text.includes('T. ') || text.includes('aint'))) saints(text, tokens, out);
  if ((tags & TAG.EMERGENCY) !== 0 && ctx.caseMarksNames && (text.includes(' ED') || text.includes(' ER'))) emergencyDepartments(text, tokens, ctx, out);
  if (!text.includes("'s") && !text.includes('’s')) return;
  SAINT.lastIndex = 0;
  for (let m = SAINT.exec(text); m; m = SAINT.exec(text)) out.push(candidate('facility', m.index, m.index + m[0].length, 'LOCATION', 0.75));
}

/** Words that say which hospital without naming it ("from outside hospital", "to another hospital"). */
const GENERIC_BEFORE_HEAD = new Set(['outside', 'another', 'other', 'local', 'same', 'previous', 'prior', 'different', 'nearby', 'the', 'a', 'an', 'this', 'that', 'his', 'her', 'their', 'our', 'your', 'my', 'any', 'community', 'general', 'va', 'teaching', 'receiving', 'referring', 'sending', 'accepting', 'nearest', 'closest', 'osh', 'rehab']);

/**
 * The first of one to three words ending at token `k`, before a facility's head, that follow "to", "at",
 * "from" or "@" and are no clinical, generic or function word; -1 if there are none.
 */
function wordsAfterPreposition(text: string, tokens: readonly Token[], k: number): number {
  for (let m = k; m >= 1 && m > k - 3; m--) {
    const t = tokens[m]!;
    if (text.slice(t.end, tokens[m + 1]!.start) !== ' ') return -1;
    if (t.isDigits || t.lower.length < 2 || GENERIC_BEFORE_HEAD.has(t.lower) || (t.tags & TAG.NOT_AFTER_CUE) !== 0 || (t.flags & (WORD.CLINICAL | WORD.CARE_UNIT | WORD.DATE | WORD.NUMBER | WORD.RELATION | WORD.CLINICIAN)) !== 0) return -1;
    const prev = tokens[m - 1]!;
    const gap = text.slice(prev.end, t.start);
    if ((gap === ' ' && PLACE_PREPOSITIONS.has(prev.lower)) || gap.trim() === '@') return m;
  }
  return -1;
}

/** The start of "St. " or "Saint " right before `start`, or `start`. */
function saintBefore(text: string, start: number): number {
  const before = text.slice(Math.max(0, start - 6), start).toLowerCase();
  if (before.endsWith('st. ')) return start - 4;
  if (before.endsWith('saint ')) return start - 6;
  return start;
}

tagWords(['saint', 'st'], TAG.SAINT);
tagWords(['ed', 'er'], TAG.EMERGENCY);

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
tagWords(TRANSFER_WORDS, TAG.TRANSFER_WORDS);
/** Words that end a place's name after a transfer ("to KESSLER IN AM", "to gsh on May 10"). */
const AFTER_PLACE = new Set(['in', 'on', 'by', 'when', 'pending', 'for', 'via', 'with', 'w', 'today', 'tomorrow', 'tonight', 'tmrw', 'am', 'pm', 'once', 'if', 'and', 'or', 'after', 'before', 'at', 'to', 'from', 'as', 'per', 'early', 'late', 'next', 'this', 'vs']);

/**
 * A place of care named after a transfer ("transfer to KESSLER", "awaiting bed @ MAPLE CREST", "aware of
 * transfer to gsh on May 10", "TRANSFERRED FROM BRIARWOOD ON 9-20"): in a clinical note, one or two words
 * after "to", "at", "from" or "@" when a word of transfer comes at most two words before it, and none of the
 * words is clinical vocabulary, a unit of care, a date, a number, a relation or a function word.
 */
export function transferPlaces(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  // Every place found is cued by a word of transfer or by "d/c".
  if (ctx.genre !== 'clinical' || (((ctx.wordTags ?? -1) & TAG.TRANSFER_WORDS) === 0 && !text.includes('/'))) return;
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
      if ((w.tags & TAG.TRANSFER_WORDS) !== 0 || (w.lower === 'c' && text.charCodeAt(w.start - 1) === CH.SLASH)) cued = true;
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
const RESIDENCE_WORDS = new Set(['lives', 'living', 'resides', 'residing', 'moved', 'called', 'calling', 'visiting', 'home', 'driving', 'drove', 'coming', 'flew', 'flying', 'traveling', 'travelling']);
tagWords([...RESIDENCE_WORDS, 'from'], TAG.RESIDENCE);

/**
 * "lives in ORANGE", "called from orange", "lives w/ dtr in revere": in a clinical note a town after "in" or
 * "from" that follows a word of residence (at most four words before) is a place in any case, even when it
 * is a word; one town word, or a town's part and a town ("south hadley").
 */
export function residencePlaces(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  // Every town found is cued by a word of residence or by "in from".
  if (ctx.genre !== 'clinical' || ((ctx.wordTags ?? -1) & TAG.RESIDENCE) === 0) return;
  for (let i = 1; i + 1 < tokens.length; i++) {
    const p = tokens[i]!;
    if (p.lower !== 'in' && p.lower !== 'from') continue;
    // "in from" ("son in from dracut") is a cue of its own.
    let cued = p.lower === 'from' && tokens[i - 1]!.lower === 'in';
    for (let b = i - 1; b >= 0 && b >= i - 4 && !cued; b--) if (RESIDENCE_WORDS.has(tokens[b]!.lower)) cued = true;
    if (!cued) continue;
    const t = tokens[i + 1]!;
    const n = tokens[i + 2];
    // Where capitals mark names a town is capitalised, unless its line (after a label) is written in lower case.
    if (!placeWord(t) || (ctx.caseMarksNames && !t.isCap && !lowerLine(text, t.start))) continue;
    // A town no list holds: no English word and no name ("lives in galtivyenville").
    const unknown = (t.flags & (WORD.DICTIONARY | WORD.COMMON | WORD.FIRST | WORD.LAST)) === 0 && t.end - t.start >= 4;
    const town = (t.flags & WORD.CITY) !== 0 || unknown;
    const next = n !== undefined && n.start === t.end + 1 && placeWord(n);
    if (next && (t.flags & WORD.PLACE_PART) !== 0 && (n.flags & WORD.CITY) !== 0) out.push(candidate('facility', t.start, n.end, 'LOCATION', 0.75));
    // A town and a town's part after it ("Ixwerula Falls", "dalmir falls").
    else if (next && town && (n.flags & WORD.PLACE_PART) !== 0) out.push(candidate('facility', t.start, n.end, 'LOCATION', 0.75));
    else if (town) out.push(candidate('facility', t.start, t.end, 'LOCATION', 0.75));
  }
}

/** Whether the line holding `offset` (after its label's colon, if any) has no capital letter up to it. */
function lowerLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === CH.LF || c === CH.COLON) return true;
    if (c >= CH.UPPER_A && c <= CH.UPPER_Z) return false;
  }
  return true;
}

function placeWord(t: Token): boolean {
  if (t.isDigits || t.lower.length < 2 || t.hasDigit || AFTER_PLACE.has(t.lower) || (t.tags & TAG.NOT_AFTER_CUE) !== 0) return false;
  return (t.flags & (WORD.CLINICAL | WORD.CARE_UNIT | WORD.DATE | WORD.NUMBER | WORD.RELATION | WORD.CLINICIAN | WORD.STATE)) === 0;
}

/** Words of a choice of places ("family prefers KCH"), and words after which "for" leads to one ("screened for LJH"). */
const PREFER_WORDS = new Set(['prefer', 'prefers', 'preferred', 'prefered', 'requests', 'requested']);
const FOR_PLACE = new Set(['screened', 'screen', 'screening', 'referred', 'referral', 'accepted', 'bed', 'application', 'applied']);
tagWords([...PLACE_PREPOSITIONS, ...PREFER_WORDS, 'for'], TAG.PLACE_LEAD);

/** Whether token `k` leads to a place: "to", "at", "from", a word of choice, or "for" after a word of placement. */
function placeLead(tokens: readonly Token[], k: number): boolean {
  const t = tokens[k]!;
  if ((t.tags & TAG.PLACE_LEAD) === 0) return false;
  return t.lower !== 'for' || (k > 0 && FOR_PLACE.has(tokens[k - 1]!.lower));
}

/** "transfer to BMC", "from MGH", "family prefers KCH", "screened for LJH": a short abbreviation after a word that leads to a place, no lexicon holds. */
export function facilityAbbreviations(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  // Only in clinical notes: elsewhere an acronym after "at" is an organisation ("at ATM", "from USNS").
  if (ctx.genre !== 'clinical' || ((ctx.wordTags ?? -1) & TAG.PLACE_LEAD) === 0) return;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    const len = t.end - t.start;
    if (len < 2 || len > 4 || t.isDigits || !placeLead(tokens, i - 1)) continue;
    if (!(t.isUpper || ctx.caps || lowerAbbreviation(t, ctx))) continue;
    if ((t.flags & (WORD.CLINICAL | WORD.DICTIONARY | WORD.COMMON | WORD.STATE | WORD.NUMBER | WORD.RELATION | WORD.CLINICIAN | WORD.CARE_UNIT)) !== 0 || t.hasDigit) continue;
    if (text.slice(tokens[i - 1]!.end, t.start) !== ' ') continue;
    out.push(candidate('facilityAbbrev', t.start, t.end, 'LOCATION', 0.7));
  }
}

/**
 * In a note where case marks nothing, a short form in lower case ("presented at ormc", "from cgh"): three or
 * four letters with at most one vowel, which no English word of that length has.
 */
function lowerAbbreviation(t: Token, ctx: ClinicalContext): boolean {
  if (ctx.caseMarksNames || t.lower.length < 3 || t.lower.length > 4 || t.text !== t.lower || !/^[a-z]+$/.test(t.lower)) return false;
  let vowels = 0;
  for (const ch of t.lower) if ('aeiou'.includes(ch)) vowels++;
  return vowels <= 1;
}
