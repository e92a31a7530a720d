/**
 * Evidence for and against PHI in nursing notes that the other clinical detectors miss (R-DATA-2, issue 30),
 * chosen on clinical-notes-f's dev split:
 * - for: the family name of a newborn ("Baby Girl NOWAK DOL 4", "twin a okafor"), a nurse's sign-off line of
 *   initials ("JP/RN", "/EDM", "-- k.b. rn") or after "Signed", the note's date at the end of its head line
 *   ("NPN 19:00-07:00 1/18", "NURSING PROGRESS NOTE 3-29"), homes and rehabs by their kind ("Taunton Nursing and
 *   Rehab", "Bourne N&R", "Chatham Rest Home"), and a name or town before "Memorial" or "VA" ("Russo Memorial",
 *   "Westford VA");
 * - against (`nursingEvidence`, run in the scoring step): blood gases and GCS scores read as dates and
 *   identifiers ("CBG 7.31/48", "GCS E4V3M2"), fractions before "bottles" or a murmur ("2/4 bottles", "2/6 SEM"),
 *   vent settings with spaces ("AC 400 x 17"), times after "before", "after", "since", "until" ("before 2200"),
 *   streets whose number is a time or in brackets ("AT 0230 SHOWED NEW ST", "(p#2914). REPEAT CT"), a relation
 *   word taken for a town ("Dad"), a lone side letter or an initial before a common word taken for a name
 *   ("Cordis R IJ", "R to L. Refusing").
 * Called from findClinical (clinical.ts) and score (evidence.ts); only in clinical notes.
 */
import { CH } from './chars.ts';
import type { ClinicalContext } from './clinical.ts';
import { firstTokenAt } from './evidence.ts';
import { HONORIFICS } from './name-cues.ts';
import { WORD } from './gazetteer.ts';
import type { GenreInfo } from './genre.ts';
import { candidate, type Candidate } from './resolution.ts';
import type { Token } from './tokens.ts';
import { TAG, tagWords } from './word-tags.ts';

/** Words no name or facility is made of here: vocabulary of care, units, numbers and dates, cues. */
const NOT_NAME = WORD.CLINICAL | WORD.CARE_UNIT | WORD.DATE | WORD.NUMBER | WORD.RELATION | WORD.CLINICIAN;

function isNameLike(t: Token | undefined): t is Token {
  return t !== undefined && !t.hasDigit && t.lower.length >= 2 && (t.flags & NOT_NAME) === 0;
}

/** "Baby Boy NOWAK", "baby girl wood", "Twin A okafor": the word after them is the newborn's family name. */
function newbornNames(text: string, tokens: readonly Token[], out: Candidate[]): void {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const a = tokens[i]!.lower;
    const b = tokens[i + 1]!.lower;
    if (!((a === 'baby' && (b === 'boy' || b === 'girl')) || (a === 'twin' && (b === 'a' || b === 'b')))) continue;
    const n = tokens[i + 2]!;
    if (n.start !== tokens[i + 1]!.end + 1 || !isNameLike(n)) continue;
    // A common word is the name only where a name stands: before "DOL", a bracket, punctuation or the line's end.
    const after = tokens[i + 3];
    const ends = after === undefined || after.lower === 'dol' || /^[ \t]*(?:[\n,.;(]|$)/.test(text.slice(n.end, n.end + 2));
    if ((n.flags & WORD.COMMON) !== 0 && (n.flags & (WORD.FIRST | WORD.LAST)) === 0 && !ends) continue;
    out.push(candidate('cuedName', n.start, n.end, 'NAME', 0.8));
  }
}

/** A line of a nurse's initials: "JP/RN", "pw/rn", "/EDM", "-- k.b. rn", "/K.E.", "-- be RN". */
const INITIALS_LINE = /^[ \t]*(?:(?:--?|\/)[ \t]*([a-z](?:\.?[a-z]){1,2}\.?)(?:[ \t]*\/?[ \t]*rn)?|([a-z](?:\.?[a-z]){1,2}\.?)[ \t]*(?:\/[ \t]*rn|[ \t]rn))[ \t]*$/i;
/** "Signed Bob crane RN", "SIGNED CLARENCE STRONG RN": the words between "signed" and the degree. */
const SIGNED_LINE = /^[ \t]*signed:?[ \t]+([a-z][\w'.-]*(?:[ \t]+[a-z][\w'.-]*){0,2}),?[ \t]+(?:rn|rrt|lpn|msw|licsw|lcsw|md|np)\.?[ \t]*$/i;

/** "K. GOLDBERG RN", "-- d. vo rn": an initial and a family name before the degree. */
const INITIAL_NAME_LINE = /^[ \t]*(?:--?[ \t]*)?([a-z]\.[ \t]?[a-z][\w'-]+),?[ \t]+rn\.?[ \t]*$/i;

/** Whether a line ends in "rn", maybe with a period and spaces or tabs after it (`/rn\.?[ \t]*$/i`). */
function endsInRn(line: string): boolean {
  let e = line.length;
  while (e > 0 && (line.charCodeAt(e - 1) === CH.SPACE || line.charCodeAt(e - 1) === CH.TAB)) e--;
  if (e > 0 && line.charCodeAt(e - 1) === CH.PERIOD) e--;
  return e >= 2 && (line.charCodeAt(e - 2) | CH.CASE_BIT) === CH.LOWER_R && (line.charCodeAt(e - 1) | CH.CASE_BIT) === CH.LOWER_N;
}

/**
 * The last line of a note, where it is signed (a note read line by line: the line itself). A line ending in
 * "RN" is a nurse's signature in any text (short addenda are too short to read as clinical notes); initials
 * alone after "/" or "--" only in a clinical note.
 */
function signOffs(text: string, tokens: readonly Token[], isClinical: boolean, out: Candidate[]): void {
  // Outside clinical notes only a line that ends in "RN" (or "RN."): its last letter is read before anything is cut out.
  if (!isClinical) {
    let e = text.length - 1;
    while (e >= 0 && text.charCodeAt(e) <= CH.SPACE) e--;
    if (e >= 0 && text.charCodeAt(e) === CH.PERIOD) e--;
    const last = e >= 0 ? text.charCodeAt(e) | 0x20 : 0;
    if (last !== CH.LOWER_N) return;
  }
  const trimmed = text.trimEnd();
  const from = trimmed.lastIndexOf('\n') + 1;
  const line = trimmed.slice(from);
  if (line.length > 60) return;
  const endsRn = endsInRn(line);
  if (!endsRn && !isClinical) return;
  // Without "rn" at the end only INITIALS_LINE's dash or slash form and SIGNED_LINE can match: each is read
  // only when the line starts as it does.
  let lead = 0;
  while (line.charCodeAt(lead) === CH.SPACE || line.charCodeAt(lead) === CH.TAB) lead++;
  const first = line.charCodeAt(lead);
  const m = endsRn || first === CH.HYPHEN || first === CH.SLASH ? INITIALS_LINE.exec(line) : null;
  if (m) {
    const got = m[1] ?? m[2]!;
    const start = from + m[0].indexOf(got);
    // Initials, not a unit or an abbreviation of care ("/ICU", "-- MD"); before "/RN" they are initials.
    const t = tokens[tokenAt(tokens, start)];
    if (endsRn || got.includes('.') || t === undefined || (t.flags & NOT_NAME) === 0) out.push(candidate('cuedName', start, start + got.length, 'NAME', 0.75));
    return;
  }
  const signed = (first | CH.CASE_BIT) === CH.LOWER_S && line.slice(lead, lead + 6).toLowerCase() === 'signed';
  const n = (endsRn ? INITIAL_NAME_LINE.exec(line) : null) ?? (signed ? SIGNED_LINE.exec(line) : null);
  if (!n) return;
  const start = from + n[0].indexOf(n[1]!);
  const end = start + n[1]!.length;
  const words = tokens.filter((t) => t.start >= start && t.end <= end && t.lower.length > 1);
  // The first word a name ("Clarence Strong"), or no word of care at all.
  const named = words.length > 0 && ((words[0]!.flags & (WORD.FIRST | WORD.LAST)) !== 0 || !words.some((t) => (t.flags & NOT_NAME) !== 0));
  if (named) out.push(candidate('cuedName', start, end, 'NAME', 0.75));
}

/** A note's head line ending in a month/day: "NPN 19:00-07:00 1/18", "Nursing Progress Note 1/3", "NOTE 3-29". */
/** Shifts written like a month-day ("11-7", "7-3"): no date in a head. */
const SHIFTS = new Set(['7-3', '3-11', '11-7', '7-7', '7-19', '19-7', '11-11']);
const HEAD_DATE = /\b(?:notes?|npn|nsg|nursing|\d{1,2}[ap]?-\d{1,2}[ap]?|\d{4}-\d{4}|\d\d:\d\d-\d\d:\d\d)[ \t]+((?:0?[1-9]|1[0-2])[/-](?:0?[1-9]|[12]\d|3[01]))[ \t]*$/i;

/** "\r" before a line's "\n" in a note written on Windows. */
const CARRIAGE_RETURN = 13;

/** The first line of a note (a note read line by line: the line itself). */
function headDates(text: string, out: Candidate[]): void {
  const nl = text.indexOf('\n');
  // The head ends in a digit (of its date), maybe before spaces: read only then.
  let e = (nl < 0 ? text.length : nl) - 1;
  while (e >= 0 && (text.charCodeAt(e) === CH.SPACE || text.charCodeAt(e) === CH.TAB || text.charCodeAt(e) === CARRIAGE_RETURN)) e--;
  if (e < 0 || text.charCodeAt(e) < CH.DIGIT_0 || text.charCodeAt(e) > CH.DIGIT_9) return;
  const line = nl < 0 ? text : text.slice(0, nl);
  if (line.length > 80) return;
  const m = HEAD_DATE.exec(line);
  if (!m || SHIFTS.has(m[1]!)) return;
  const end = m.index + m[0].trimEnd().length;
  out.push(candidate('shortDate', end - m[1]!.length, end, 'DATE', 0.75));
}

/** Kinds of home and rehab written after a town or a name: "Nursing and Rehab", "N&R", "Rest Home". */
const HOME_KIND = /^[ \t]+(?:nursing (?:and|&) rehab(?:ilitation)?|n&r|rest home)\b/i;
/** Heads written after a family name, a town or a word no dictionary holds: "Russo Memorial", "Westford VA". */
const NAMED_HEAD = /^[ \t]+(?:memorial|va|vamc)\b/i;
/** Heads written after a town or a family name only: "Pawtucket General", "Sharon Nursing" (not "Neonatology Nursing"). */
const TOWN_HEAD = /^[ \t]+(?:general|nursing)\b/i;

/** The first words of those kinds and heads: only before them is the text read. */
const KIND_FIRST = new Set(['nursing', 'n', 'rest', 'memorial', 'va', 'vamc', 'general']);
/** Words that lead to a place and are no part of its name. */
const PLACE_LEADS = new Set(['to', 'at', 'from', 'in', 'of', 'on', 'by', 'for', 'the', 'and', 'via', 'near']);

/** Homes, rehabs and hospitals by their kind after one or two words of a name or town. */
function namedHomeAt(text: string, tokens: readonly Token[], i: number, out: Candidate[]): void {
  const t = tokens[i]!;
  const rest = text.slice(t.end, t.end + 40);
  const kind = HOME_KIND.exec(rest);
  const head = kind ? null : NAMED_HEAD.exec(rest);
  const townHead = kind || head ? null : TOWN_HEAD.exec(rest);
  if (!kind && !head && !townHead) return;
  if (!isNameLike(t) || (t.flags & WORD.FACILITY) !== 0) return;
  if (townHead && (t.flags & (WORD.CITY | WORD.LAST)) === 0) return;
  // Before "Memorial" or "VA" a town, a family name or a word no dictionary holds, not "the" or "outside".
  if (head && (t.flags & (WORD.CITY | WORD.PLACE | WORD.LAST | WORD.FIRST)) === 0 && (t.flags & (WORD.DICTIONARY | WORD.COMMON)) !== 0) return;
  let start = t.start;
  const prev = tokens[i - 1];
  // A town of two words ("Fall River", "New Bedford"): a place word or a capital before it on the same line.
  if (prev !== undefined && prev.end + 1 === t.start && isNameLike(prev) && !PLACE_LEADS.has(prev.lower) && (prev.flags & (WORD.CITY | WORD.PLACE | WORD.PLACE_HEAD | WORD.PLACE_PART)) !== 0) start = prev.start;
  const match = (kind ?? head ?? townHead)!;
  out.push(candidate('facility', start, t.end + match[0].length, 'LOCATION', 0.75));
}

/** Titles always followed by a person's family name: after "Dr." or "MR" a word of care is still that name ("DR FOLEY", "Dr. Day"). */
const NAMING_TITLES = new Set(['dr', ...HONORIFICS]);
/** Words a note writes after "dr" that are no name ("dr aware", "dr notified of", "md at bedside"). */
const AFTER_TITLE_NOT_NAME = new Set(['aware', 'notified', 'informed', 'paged', 'called', 'updated', 'here', 'in', 'at', 'to', 'of', 'on', 'and', 'or', 'the', 'a', 'is', 'was', 'will', 'with', 'by', 'for', 're', 'made', 'ordered', 'order', 'orders', 'saw', 'seen', 'visit', 'note', 'team', 'office', 'rounds', 'wants', 'said', 'states', 'stated', 'following', 'per']);

/**
 * "Dr. Day", "DR FOLEY", "dr. temple", "MR SWAN": after a naming title, written with its period or in capitals
 * as a note's title, the next word is a family name even when it is a common word, a device or a drug.
 */
function titledNameAt(text: string, tokens: readonly Token[], i: number, caps: boolean, out: Candidate[]): void {
  const t = tokens[i]!;
  const n = tokens[i + 1]!;
  const gap = text.slice(t.end, n.start);
  // "Dr. Day", "DR. STORY", or "DR FOLEY" / "Mr Swan" with the title written as a title (a capital).
  // A note in capitals is read folded: there "DR FOLEY" is lower case.
  if (gap !== '. ' && !(gap === ' ' && (caps || t.text !== t.lower))) return;
  if (n.hasDigit || n.lower.length < 2 || AFTER_TITLE_NOT_NAME.has(n.lower) || (n.flags & (WORD.RELATION | WORD.CLINICIAN | WORD.NUMBER | WORD.CARE_UNIT)) !== 0) return;
  // A word that is also vocabulary ("Foley", "Day") is a name here only: below 0.6 it is not carried to later mentions.
  out.push(candidate('cuedName', n.start, n.end, 'NAME', (n.flags & (WORD.CLINICAL | WORD.COMMON)) !== 0 ? 0.55 : 0.7));
}

/** "LILY (POA)", "Skip Silva (granddaughter)", "lumgukel levine (sister)": one or two words before a relation in brackets. */
function namesBeforeRelation(text: string, tokens: readonly Token[], caseMarksNames: boolean, out: Candidate[]): void {
  for (let i = 1; i + 1 < tokens.length; i++) {
    const r = tokens[i + 1]!;
    if ((r.flags & WORD.RELATION) === 0 || text.slice(tokens[i]!.end, r.start) !== ' (' || text.charCodeAt(r.end) !== CH.CLOSE_PAREN) continue;
    const last = tokens[i]!;
    if (!isNameLike(last) || (last.flags & WORD.STATE) !== 0) continue;
    let first = last;
    const prev = tokens[i - 1]!;
    // A given name before the family name ("Skip Silva"), when nothing but a space is between.
    if (prev.end + 1 === last.start && isNameLike(prev) && (prev.flags & (WORD.COMMON | WORD.DICTIONARY)) === 0) first = prev;
    else if (prev.end + 1 === last.start && isNameLike(prev) && ((prev.flags & WORD.FIRST) !== 0 || (caseMarksNames && prev.isCap && !prev.isUpper && last.isCap))) first = prev;
    // What comes before the name ends a sentence or a label: ". ", ": ", ", " or the line's start.
    const before = text.slice(Math.max(0, first.start - 2), first.start);
    if (first.start > 0 && !/(?:[.:;,(]\s|\n)$|^\s*$/.test(before) && !/[.:;,(\n]$/.test(before.trimEnd())) continue;
    out.push(candidate('cuedName', first.start, last.end, 'NAME', 0.75));
  }
}

/** "St Brendan", "ST TERESA": a saint's given name after "St" without its period is a hospital where it is no rhythm. */
function saintAt(text: string, tokens: readonly Token[], i: number, out: Candidate[]): void {
  const t = tokens[i]!;
  if (text.charCodeAt(t.end) !== CH.SPACE) return;
  const n = tokens[i + 1]!;
  if (n.start !== t.end + 1 || n.lower.length < 4 || (n.flags & WORD.FIRST) === 0 || (n.flags & (WORD.CLINICAL | WORD.DATE | WORD.COMMON)) !== 0) return;
  // A valve's size and maker ("MVR (#21 St Jude)"): a number right before is no hospital's.
  if (i > 0 && tokens[i - 1]!.isDigits) return;
  out.push(candidate('facility', t.start, n.end, 'LOCATION', 0.75));
}

/** The words that start a detector of the one pass: a naming title, "St", the first word of a kind of home. */
const TRIGGER_TITLE = 1;
const TRIGGER_SAINT = 2;
const TRIGGER_HOME = 3;
const TRIGGERS = new Map<string, number>([...[...NAMING_TITLES].map((w) => [w, TRIGGER_TITLE] as const), ['st', TRIGGER_SAINT] as const, ...[...KIND_FIRST].map((w) => [w, TRIGGER_HOME] as const)]);
tagWords(['baby', 'twin'], TAG.NEWBORN);
tagWords(TRIGGERS.keys(), TAG.NURSING_TRIGGER);

/** The token's trigger: only a tagged word is looked up (a tag is read with the token; no string of it is read). */
function triggerOf(t: Token): number | undefined {
  return (t.tags & TAG.NURSING_TRIGGER) !== 0 ? TRIGGERS.get(t.lower) : undefined;
}

export function findNursingNotes(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  const isClinical = ctx.genre === 'clinical';
  signOffs(text, tokens, isClinical, out);
  if (!isClinical) return;
  // The words' tags together first: most notes hold neither word, and no token is read for them.
  if (((ctx.wordTags ?? -1) & TAG.NEWBORN) !== 0 && tokens.some((t) => t.lower === 'baby' || t.lower === 'twin')) newbornNames(text, tokens, out);
  headDates(text, out);
  if (ctx.spaceBracket ?? text.includes(' (')) namesBeforeRelation(text, tokens, ctx.caseMarksNames, out);
  // One pass for the detectors that start at a word of their own: a title, "St", a kind of home after a name.
  // Each word's trigger read once: as the word after one word and as the word of the next.
  let next = tokens.length > 1 ? triggerOf(tokens[0]!) : undefined;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const trigger = next;
    next = triggerOf(tokens[i + 1]!);
    if (trigger === TRIGGER_TITLE) titledNameAt(text, tokens, i, ctx.caps, out);
    else if (trigger === TRIGGER_SAINT) saintAt(text, tokens, i, out);
    if (next === TRIGGER_HOME) namedHomeAt(text, tokens, i, out);
  }
}

// --- evidence against ---------------------------------------------------------------------------------

/** A blood gas's pH and CO2 ("7.31/48"): a date never mixes a point and a slash. */
const MIXED_DATE = /^\d{1,2}\.\d{1,2}\/\d{2,4}$/;
/** A Glasgow coma score by its parts ("E4V3M2", "e3v2m5"). */
const GCS_PARTS = /^e[1-4]v[1-5t]m[1-6]$/i;
/** A vent's volume and rate with spaces ("400 x 17"). */
const SPACED_SETTING = /^\d{3,4} [xX] \d{1,2}$/;
/** What follows a count of bottles or a murmur's grade ("2/4 bottles", "2/6 SEM"). */
const FRACTION_AFTER = /^[ \t]*(?:bottles?|btls?|sem|hsm|murmur|holosystolic|systolic|diastolic)\b/i;
/** Words after which four digits are a time of day ("before 2200", "since 1900"). */
const TIME_WORD_BEFORE = /\b(?:before|after|since|until|till|around|by|from|@)[ \t]*$/i;
const ASIDE = new Set<number>([CH.OPEN_PAREN, CH.CLOSE_PAREN]);
/** A letter and a value: a temperature or a result ("T 103", "K 3.4"), no phone or identifier. */
/** A phone's extension after "ext." ("617-555-0101 ext. 221"): its period ends no sentence. */
const EXTENSION_PERIOD = /\bext\. \d/i;
const MEASURE_LETTER = /^[a-z] \d{1,3}(?:\.\d)?$/i;
/** A house number that is a time ("7p showed new st"), one word and a comma after it ("2 radial, +1 DP"), a time inside ("11r at 1015 via"). */
const TIME_SUFFIX = /^[ap]\b/i;
const WORD_THEN_COMMA = /^ [a-z]+,/i;
const TIME_INSIDE = /\b(?:at|@) ?(?:[01]\d|2[0-3])[0-5]\d\b/i;

/** A year after a word of care ("CVA 1998", "TKR 2001"): a year, whatever cue came lines before. */
function yearAfterCare(tokens: readonly Token[], c: Candidate, v: string): boolean {
  if (!/^(?:19|20)\d\d$/.test(v)) return false;
  const k = tokenAt(tokens, c.start);
  const prev = k > 0 ? tokens[k - 1] : undefined;
  return prev !== undefined && (prev.flags & WORD.CLINICAL) !== 0;
}

function clockTime(s: string): boolean {
  return /^\d{4}$/.test(s) && Number(s.slice(0, 2)) < 24 && Number(s.slice(2)) < 60;
}

/** The kinds judged here: the others are passed over before their text is cut out. */
const JUDGED = new Set<Candidate['kind']>(['numericDate', 'shortDate', 'alnumId', 'spokenNumber', 'number', 'street', 'lexicalPlace', 'lexicalName']);

/** The weight each holds is `weight` (evidence.ts, `nursingShape`). */
export function nursingEvidence(candidates: Candidate[], tokens: readonly Token[], genre: GenreInfo, text: string | undefined, weight: number): void {
  if (!genre.clinical || text === undefined) return;
  for (const c of candidates) {
    if (!JUDGED.has(c.kind)) continue;
    const v = text.slice(c.start, c.end);
    let against = false;
    if (c.kind === 'numericDate') against = MIXED_DATE.test(v);
    else if (c.kind === 'shortDate') against = FRACTION_AFTER.test(text.slice(c.end, c.end + 14));
    else if (c.kind === 'alnumId' && GCS_PARTS.test(v)) against = true;
    else if (c.kind === 'spokenNumber' || c.kind === 'number' || (c.kind === 'alnumId' && c.label !== 'NAME')) against = SPACED_SETTING.test(v) || (v.includes('. ') && !EXTENSION_PERIOD.test(v)) || MEASURE_LETTER.test(v) || (clockTime(v) && TIME_WORD_BEFORE.test(text.slice(Math.max(0, c.start - 8), c.start))) || yearAfterCare(tokens, c, v);
    else if (c.kind === 'street') {
      const num = /^\d+/.exec(v)?.[0] ?? '';
      const after = text.slice(c.start + num.length, c.start + num.length + 20);
      against = num.startsWith('0') || ASIDE.has(text.charCodeAt(c.start + num.length)) || TIME_SUFFIX.test(after) || WORD_THEN_COMMA.test(after) || TIME_INSIDE.test(v) || (clockTime(num) && TIME_WORD_BEFORE.test(text.slice(Math.max(0, c.start - 6), c.start)));
    } else if (c.kind === 'lexicalPlace' && c.label === 'LOCATION') against = c.end - c.start === 1 || (!v.includes(' ') && relationWord(tokens, c));
    else if (c.kind === 'lexicalName' && c.label === 'NAME') against = c.end - c.start === 1 || (text.charCodeAt(c.start + 1) === CH.PERIOD && initialAndWord(tokens, c));
    if (against) c.confidence += weight;
  }
}

/** The index of the token that starts at `offset`, or -1. */
function tokenAt(tokens: readonly Token[], offset: number): number {
  const k = firstTokenAt(tokens, offset);
  return k < tokens.length && tokens[k]!.start === offset ? k : -1;
}

/** A one-word place that is a relation word ("Dad"). */
function relationWord(tokens: readonly Token[], c: Candidate): boolean {
  const k = tokenAt(tokens, c.start);
  return k >= 0 && tokens[k]!.end === c.end && (tokens[k]!.flags & WORD.RELATION) !== 0;
}

/** "L. Refusing", "B. Keep": a letter, a period and a common word that is no known name, and nothing else. */
function initialAndWord(tokens: readonly Token[], c: Candidate): boolean {
  const k = tokenAt(tokens, c.start);
  const w = k >= 0 ? tokens[k + 1] : undefined;
  if (w === undefined || tokens[k]!.end - tokens[k]!.start !== 1 || w.end !== c.end) return false;
  return (w.flags & WORD.COMMON) !== 0 && (w.flags & (WORD.FIRST | WORD.LAST)) === 0;
}
