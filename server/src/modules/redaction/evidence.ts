/**
 * Features and the one scoring step of the pipeline (R-DATA-2; resolution.ts shows the whole):
 * each candidate's confidence is its detector's, plus the weight of every piece of evidence below that
 * holds for it. A candidate whose words are all clinical vocabulary is cut to its other words first.
 * Candidates that end below the minimum confidence take no part in resolution.
 */
import { CH } from './chars.ts';
import { WORD } from './gazetteer.ts';
import { lexiconWords } from './lexicons.ts';
import { transposedCommon } from './misspelt-words.ts';
import type { GenreInfo } from './genre.ts';
import type { Candidate, CandidateKind } from './resolution.ts';
import type { Token } from './tokens.ts';
import { askedAboutAt, personInMediaRequest } from './request-cues.ts';
import { HONORIFICS, requestBefore } from './name-cues.ts';
import { nursingEvidence } from './nursing-notes.ts';
import { systemEvidence } from './system-notes.ts';

export interface EvidenceRule {
  weight: number;
  reason: string;
}

export const EVIDENCE = {
  clinicalWord: { weight: -1, reason: 'a name or place made only of clinical vocabulary ("cont", "neo", "swan", "heparin", "sedated") is none; in a clinical note any clinical word counts, elsewhere only terms that are no known name' },
  yearInClinicalNote: { weight: -1, reason: 'a year alone in a clinical note ("CABG 2094", "since 2089") is no date of the patient; the date forms with a day are found by their own patterns' },
  careUnit: { weight: -1, reason: 'a unit of care ("ICU", "OR", "floor") is no place that identifies anyone' },
  amount: { weight: -1, reason: 'a year followed by a word of money ("a maximum of two thousand dollars", "1990 euros") is an amount, no date' },
  clinicalStreet: { weight: -1, reason: 'in a clinical note a number and a "street" whose words are only lab names, clinical words, single letters or numbers ("Na 145 K 4.7 Cr 3", "PCWP 18. ALINE L RADIAL") is a row of results, no address' },
  streetAcrossSentence: { weight: -1, reason: 'a street runs from its number to its street word in one sentence; in a clinical note a "street" with a sentence end before its first street word ("NSR 80S. COVERING DR.", "HCT 26.4. HEPARIN HELD … SQ") is a result and the next sentence' },
  timeAfterDate: { weight: -1, reason: 'four digits that are a time of day right after a date ("9/28 1435"), or after "@" or "at" in a clinical note ("LASIX @ 2200 W/ GOOD RESPONSE"), are a time, no phone number or identifier, whatever cue came before' },
  clinicalNameWord: { weight: -1, reason: 'in a clinical note a run taken for a name only because one of its words is a given name that is also clinical vocabulary ("ABD OBESE", "mag sulfate", "covered per riss") is none: once that word is set aside no word of a name is left and no title stands before it' },
  misspeltClinical: { weight: -1, reason: 'in a clinical note a word of no known name one letter away from clinical vocabulary ("distented", "weened", "ween", "sedatted") is that word misspelt, no name or facility; a title before it keeps it a name, and an abbreviation ("PRMC", four letters with fewer than two vowels) is no misspelt word; so is a word of no list that is a common English word with two neighbouring letters swapped ("recieved")' },
  vitalShape: { weight: -1, reason: 'in a clinical note a range of like numbers ("HR 65-95", "sats 92-95%", "120s-140s"), a vent setting ("A/C 500x14") or a shift ("note 11-7") is a measure or a time of care, no phone, account, identifier or date, whatever cue ("a/c") came before' },
  placeRequest: { weight: -1, reason: 'a town said after a place word in a spoken request about weather, travel, directions or a town\'s facts ("the forecast for raleigh", "flights from troy to victoria", "the population of austin") is the place asked about, no one\'s address or name, unless the utterance ties it to a person ("i live in", "born in")' },
  eponymCondition: { weight: -1, reason: 'a name right before a word of a condition or a sign, in the possessive or not ("addison\'s disease", "barrett\'s esophagus", "bell\'s palsy", "graves disease"), names the condition after a person long dead, no one\'s PHI' },
  nursingShape: { weight: -1, reason: 'in a clinical note a blood gas ("CBG 7.31/48"), a GCS by its parts ("E4V3M2"), a fraction before "bottles" or a murmur ("2/6 SEM"), a vent setting with spaces ("AC 400 x 17"), a time after "before", "since" or "until" ("before 2200"), a "street" whose number is a time or sits in brackets ("AT 0230 SHOWED NEW ST"), a relation word read as a town ("Dad") and a side letter or an initial before a common word read as a name ("Cordis R IJ", "R to L. Refusing") are no PHI (nursing-notes.ts)' },
  systemShape: { weight: -1, reason: 'in a clinical note a name or town before the head of a device, score or sign, maybe across a letter or two words of care ("Levin tube", "Salem sump", "Miami J collar", "Richmond agitation sedation scale"), a relation word alone read as a name ("PT\'S FIANCEE"), a language in brackets after "interpreter" ("(Somali)"), a pager\'s word at the end of a name ("Dunleavy page 49472") and a "street" whose "Dr" is a title after a role ("ATTENDING DR. LYLE") are no PHI (system-notes.ts)' },
  mediaRequest: { weight: -0.4, reason: 'a name in a spoken request to play or look up music, books or shows ("play some david bowie", "a song by bruno mars") is an artist\'s, no PHI; not whom the song or playlist is shared with or sent to ("share this playlist with sam"); a town said there with no place word before it is a title ("play me barcelona by queen"), and one after a place word stays ("play radio from chicago")' },
} as const satisfies Record<string, EvidenceRule>;

export type EvidenceName = keyof typeof EVIDENCE;

/** Words of money (data/lexicons/brands.txt @money). */
const MONEY = lexiconWords('money');
/** Words of requests about weather, travel and towns, words that tie a town to a person, messages played (data/lexicons/spoken-requests.txt). */
const PLACE_REQUEST = lexiconWords('placerequest');
const RESIDENCE = lexiconWords('residence');
const PLAYED_MESSAGE = lexiconWords('played');
/** Place words after which a town in a place request is the one asked about. */
const PLACE_WORDS = new Set(['in', 'to', 'from', 'for', 'of', 'near', 'around', 'at', 'between', 'via', 'toward', 'towards']);

/** Words that make a name before them a condition (data/lexicons/clinical-states.txt @eponymhead). */
const EPONYM_HEADS = lexiconWords('eponymhead');

/** A name's last word followed by a word of a condition: "addison's disease", "graves disease". */
function eponymAfter(c: Candidate, tokens: readonly Token[]): boolean {
  const last = firstTokenAt(tokens, c.end - 1);
  const next = tokens[last + 1];
  return next !== undefined && EPONYM_HEADS.has(next.lower) && next.start - tokens[last]!.end <= 2;
}

/** Kinds whose candidates are judged word by word against the clinical vocabulary. */
const LEXICAL_KINDS = new Set<CandidateKind>(['lexicalName', 'lexicalPlace', 'nameMention', 'speakerName', 'answer', 'facilityAbbrev']);

/** Honorifics and titles before a name: the word after them is the name even when it is also a state or a colour. */
const HONORIFIC_BEFORE = new Set([...HONORIFICS, 'dr']);

/** Whether a token is clinical vocabulary in this genre. */
function clinicalToken(t: Token, genre: GenreInfo, inName = false): boolean {
  // A known name that is also a state or a colour ("Frank Marsh", "Amber Lee") stays in a name of several words.
  if (genre.clinical && inName && (t.flags & (WORD.FIRST | WORD.LAST)) !== 0 && (t.flags & WORD.CLINICAL_TERM) === 0) return false;
  if (genre.clinical) return (t.flags & WORD.CLINICAL) !== 0;
  // Elsewhere only drug and device names ("Heparin", "Foley"): a short abbreviation may be a name's part ("K", "MD").
  return (t.flags & WORD.CLINICAL_TERM) !== 0 && (t.flags & (WORD.FIRST | WORD.LAST)) === 0 && t.end - t.start >= 4;
}

/** The index of the first token that ends after `offset`. */
export function firstTokenAt(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The evidence that holds for one candidate (the features), after it is cut to its non-clinical words. */
export function evidenceFor(c: Candidate, tokens: readonly Token[], genre: GenreInfo, text: TextFeatures = textFeatures(tokens, genre)): EvidenceName[] {
  const found: EvidenceName[] = [];
  if (c.kind === 'bareYear' && genre.clinical) found.push('yearInClinicalNote');
  if (c.kind === 'bareYear') {
    const next = tokens[firstTokenAt(tokens, c.end)];
    if (next !== undefined && MONEY.has(next.lower)) found.push('amount');
  }
  if (c.kind === 'street' && genre.clinical && !streetNamed(c, tokens)) found.push('clinicalStreet');
  else if (c.kind === 'street' && genre.clinical && text.utterance !== undefined && sentenceBeforeStreetWord(c, tokens, text.utterance)) found.push('streetAcrossSentence');
  if (text.mediaRequest && c.label === 'NAME' && (c.kind === 'lexicalName' || c.kind === 'nameMention') && !personInMediaRequest(tokens, firstTokenAt(tokens, c.start), firstTokenAt(tokens, c.end - 1))) found.push('mediaRequest');
  else if (text.mediaRequest && c.kind === 'lexicalPlace' && !placeWordBefore(c, tokens)) found.push('mediaRequest');
  if (c.label === 'NAME' && LEXICAL_KINDS.has(c.kind) && eponymAfter(c, tokens)) found.push('eponymCondition');
  // Whom a request is for stays a person in a request about the weather too ("send email to robert, what time is dinner").
  if ((c.kind === 'lexicalName' || c.kind === 'lexicalPlace') && townAskedAbout(c, tokens) && text.placeRequest() && !(c.label === 'NAME' && text.utterance !== undefined && (requestBefore(text.utterance, c.start) || askedAboutAt(tokens, firstTokenAt(tokens, c.start))))) found.push('placeRequest');
  if ((c.label === 'NAME' || c.label === 'LOCATION') && LEXICAL_KINDS.has(c.kind)) {
    let a = firstTokenAt(tokens, c.start);
    let b = a;
    while (b + 1 < tokens.length && tokens[b + 1]!.start < c.end) b++;
    if (a >= tokens.length || tokens[a]!.start >= c.end) return found;
    if (c.label === 'LOCATION' && a === b && (tokens[a]!.flags & WORD.CARE_UNIT) !== 0) found.push('careUnit');
    // Several words with a name among them that is no clinical word: names that are also states stay.
    let inName = false;
    for (let k = a; k <= b && !inName; k++) inName = (tokens[k]!.flags & (WORD.FIRST | WORD.LAST)) !== 0 && (tokens[k]!.flags & WORD.CLINICAL) === 0;
    // ... or one word after an honorific ("Ms. Brown", "Dr. Frank").
    inName = (inName && b > a) || (a > 0 && HONORIFIC_BEFORE.has(tokens[a - 1]!.lower));
    const [a0, b0] = [a, b];
    while (a <= b && clinicalToken(tokens[a]!, genre, inName)) a++;
    while (b >= a && clinicalToken(tokens[b]!, genre, inName)) b--;
    if (a > b) found.push('clinicalWord');
    else {
      c.start = Math.max(c.start, tokens[a]!.start);
      c.end = Math.min(c.end, tokens[b]!.end);
      if (genre.clinical && !(a0 > 0 && HONORIFIC_BEFORE.has(tokens[a0 - 1]!.lower)) && !someNameWord(tokens, a, b)) {
        if (c.kind === 'lexicalName' && (givenCut(tokens, a0, a - 1) || givenCut(tokens, b + 1, b0))) found.push('clinicalNameWord');
        else if (a === b && (misspeltClinical(tokens[a]!.lower) || transposedCommon(tokens[a]!.lower))) found.push('misspeltClinical');
      }
    }
  }
  return found;
}

/** Whether a token from a to b, cut as clinical, was a known name and no unit of care ("PER riss", but not "Bayridge ED"). */
function givenCut(tokens: readonly Token[], a: number, b: number): boolean {
  for (let k = a; k <= b; k++) if ((tokens[k]!.flags & (WORD.FIRST | WORD.LAST)) !== 0 && (tokens[k]!.flags & WORD.CARE_UNIT) === 0) return true;
  return false;
}

/** Whether a token from a to b is a known given or family name. */
function someNameWord(tokens: readonly Token[], a: number, b: number): boolean {
  for (let k = a; k <= b; k++) if ((tokens[k]!.flags & (WORD.FIRST | WORD.LAST | WORD.GIVEN_CUED)) !== 0) return true;
  return false;
}

/**
 * Clinical words of four letters or more, each of them with one letter left out, and the hashes of both
 * (`hashWithout`; built on first use).
 */
let nearClinical: { words: Set<string>; deletes: Set<string>; hashes: Set<number> } | undefined;
function deletions(w: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
  return out;
}
/** FNV-1a of `w` with its character at `skip` left out (-1: none), in 30 bits (a small integer, no heap number). */
function hashWithout(w: string, skip: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < w.length; i++) if (i !== skip) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  return h & 0x3fffffff;
}
/** One letter added, left out, changed or two swapped away from a clinical word (symmetric deletion). */
export function misspeltClinical(lower: string): boolean {
  // A word, not an abbreviation: five letters or more, or four with two vowels ("ween", but not "PRMC", "GRDH").
  if (lower.length < 4 || /[^a-z]/.test(lower) || (lower.length === 4 && (lower.match(/[aeiouy]/g)?.length ?? 0) < 2)) return false;
  if (!nearClinical) {
    const words = new Set<string>();
    const deletes = new Set<string>();
    for (const tag of ['clinical-abbreviations', 'drugs', 'devices', 'clinical-states']) {
      for (const w of lexiconWords(tag)) {
        if (w.length < 4 || /[^a-z]/.test(w)) continue;
        words.add(w);
        for (const d of deletions(w)) deletes.add(d);
      }
    }
    const hashes = new Set<number>();
    for (const w of [...words, ...deletes]) hashes.add(hashWithout(w, -1));
    nearClinical = { words, deletes, hashes };
  }
  if (nearClinical.deletes.has(lower)) return true;
  // Each deletion looked up as it is made: the first found ends the search. Its hash first, read from the word
  // itself: most words are near no clinical word, and for them no deletion is cut out and looked up.
  for (let i = 0; i < lower.length; i++) {
    if (!nearClinical.hashes.has(hashWithout(lower, i))) continue;
    const d = lower.slice(0, i) + lower.slice(i + 1);
    if (nearClinical.words.has(d) || nearClinical.deletes.has(d)) return true;
  }
  return false;
}

/** Whether a street candidate holds a word of two letters or more that is no clinical word, no number and no street word. */
function streetNamed(c: Candidate, tokens: readonly Token[]): boolean {
  for (let k = firstTokenAt(tokens, c.start); k < tokens.length && tokens[k]!.start < c.end; k++) {
    const t = tokens[k]!;
    if (t.isDigits || t.lower.length < 2 || t.hasDigit) continue;
    if ((t.flags & (WORD.CLINICAL | WORD.STREET)) === 0) return true;
  }
  return false;
}

/** Whether a period ends a token of the candidate before any street word ("80S. COVERING DR."). */
function sentenceBeforeStreetWord(c: Candidate, tokens: readonly Token[], text: string): boolean {
  for (let k = firstTokenAt(tokens, c.start); k + 1 < tokens.length && tokens[k + 1]!.start < c.end; k++) {
    const t = tokens[k]!;
    if (!t.isDigits && (t.flags & WORD.STREET) !== 0) return false;
    // A period and a space after it: it ended a sentence (a decimal's period has no space; an initial is one letter).
    if (text.charCodeAt(t.end) === CH.PERIOD && text.charCodeAt(t.end + 1) === CH.SPACE && (t.end - t.start > 1 || t.isDigits)) return true;
  }
  return false;
}

/** HHMM: four digits that are a time of day. */
function isClockTime(t: Token): boolean {
  if (!t.isDigits || t.text.length !== 4) return false;
  return Number(t.text.slice(0, 2)) < 24 && Number(t.text.slice(2)) < 60;
}

/** " @ " or " at " right before an offset: what a time of day is written after ("LASIX @ 2200", "started at 0200"). */
const AT_BEFORE = /(?: @ ?| at )$/i;

/**
 * Features that compare candidates: a number or a phone of four digits that are a time of day (with at most a
 * letter after it) right after a date candidate, or after "@" or "at" in a clinical note, is a time.
 */
function timesAfterDates(candidates: Candidate[], tokens: readonly Token[], genre: GenreInfo, text: string | undefined): void {
  let dates: Candidate[] | undefined;
  for (const c of candidates) {
    if (c.label !== 'PHONE' && c.label !== 'ID') continue;
    const k = firstTokenAt(tokens, c.start);
    const t = tokens[k];
    if (!t || t.start !== c.start || !isClockTime(t) || c.end > t.end + 3) continue;
    dates ??= candidates.filter((d) => d.label === 'DATE');
    const afterDate = dates.some((d) => d.end <= c.start && c.start - d.end <= 4);
    const afterAt = genre.clinical && text !== undefined && AT_BEFORE.test(text.slice(Math.max(0, c.start - 4), c.start));
    if (afterDate || afterAt) c.confidence += EVIDENCE.timeAfterDate.weight;
  }
}

/** "120-130", "70-80s", "92-95" before "%", "120s-140s": two numbers of like size, the second the larger. */
const RANGE = /^(\d{2,3})[sS]?-(\d{2,3})[sS]?$/;
/** A vent's volume and rate ("500x14"). */
const SETTING = /^\d{3,4}[xX]\d{1,2}$/;
/** A shift of nursing care written with a hyphen ("11-7", "7-3", "3-11"), and the words it follows. */
const SHIFT = new Set(['7-3', '3-11', '11-7', '7-7', '7-19', '19-7', '11-11']);
const SHIFT_LEAD = new Set(['note', 'notes', 'npn', 'nsg', 'shift', 'nursing', 'progress']);
const NUMBER_KINDS = new Set<CandidateKind>(['number', 'alnumId', 'spokenNumber', 'cuedNumber', 'shortDate']);

/** Measures and shifts in clinical notes (the vitalShape feature). */
function vitalShapes(candidates: Candidate[], tokens: readonly Token[], genre: GenreInfo, text: string | undefined): void {
  if (!genre.clinical || text === undefined) return;
  for (const c of candidates) {
    if (!NUMBER_KINDS.has(c.kind)) continue;
    const v = text.slice(c.start, c.end);
    let measure = false;
    if (c.kind === 'shortDate') {
      const before = tokens[firstTokenAt(tokens, c.start) - 1];
      measure = SHIFT.has(v) && before !== undefined && SHIFT_LEAD.has(before.lower);
    } else {
      const r = RANGE.exec(v);
      measure = SETTING.test(v) || (r !== null && Number(r[1]) < Number(r[2]) && Number(r[2]) <= 3 * Number(r[1]));
    }
    if (measure) c.confidence += EVIDENCE.vitalShape.weight;
  }
}

/** Features of the whole utterance, worked out once for all its candidates. */
export interface TextFeatures {
  /** A spoken request to play or look up music, books or shows (a `media` lexicon word in it, and no voicemail or message to play). */
  mediaRequest: boolean;
  /**
   * A spoken request about weather, travel or towns (a `placerequest` word in it) that ties no town to a
   * person (no `residence` word); worked out only when a candidate is a town after a place word.
   */
  placeRequest: () => boolean;
  /** The utterance the tokens are of, when the caller has it. */
  utterance?: string;
}

export function textFeatures(tokens: readonly Token[], genre: GenreInfo, utterance?: string): TextFeatures {
  const spoken = genre.genre === 'spoken';
  let mediaRequest = false;
  if (spoken) {
    for (const t of tokens) {
      if ((t.flags & WORD.MEDIA) !== 0) {
        mediaRequest = !tokens.some((m) => PLAYED_MESSAGE.has(m.lower));
        break;
      }
    }
  }
  let place: boolean | undefined;
  // A method, not an arrow function in a property: run through tsx (keep-names), an arrow function made
  // per utterance would also get its name defined (`Object.defineProperty`) each time.
  return {
    mediaRequest,
    placeRequest() {
      return (place ??= spoken && isPlaceRequest(tokens));
    },
    utterance,
  };
}

function isPlaceRequest(tokens: readonly Token[]): boolean {
  let asked = false;
  for (const t of tokens) {
    if (RESIDENCE.has(t.lower)) return false;
    if (PLACE_REQUEST.has(t.lower)) asked = true;
  }
  return asked;
}

/** A place word right before the candidate ("from chicago"). */
function placeWordBefore(c: Candidate, tokens: readonly Token[]): boolean {
  const prev = tokens[firstTokenAt(tokens, c.start) - 1];
  return prev !== undefined && PLACE_WORDS.has(prev.lower);
}

/** The candidate starts with a town, city, country or state right after a place word ("to victoria", "of austin"). */
function townAskedAbout(c: Candidate, tokens: readonly Token[]): boolean {
  const k = firstTokenAt(tokens, c.start);
  const t = tokens[k];
  const prev = tokens[k - 1];
  return t !== undefined && prev !== undefined && t.start === c.start && (t.flags & (WORD.CITY | WORD.PLACE | WORD.STATE | WORD.PLACE_HEAD)) !== 0 && PLACE_WORDS.has(prev.lower);
}

/** The scoring step: confidence plus the weights of the evidence, in place (`text`: the utterance the tokens are of). */
export function score(candidates: Candidate[], tokens: readonly Token[], genre: GenreInfo, text?: string): void {
  if (candidates.length === 0) return;
  const features = textFeatures(tokens, genre, text);
  for (const c of candidates) {
    for (const e of evidenceFor(c, tokens, genre, features)) c.confidence += EVIDENCE[e].weight;
  }
  timesAfterDates(candidates, tokens, genre, text);
  vitalShapes(candidates, tokens, genre, text);
  nursingEvidence(candidates, tokens, genre, text, EVIDENCE.nursingShape.weight);
  systemEvidence(candidates, tokens, genre, text, EVIDENCE.systemShape.weight);
}
