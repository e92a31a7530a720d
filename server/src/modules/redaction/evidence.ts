/**
 * Features and the one scoring step of the pipeline (R-DATA-2; resolution.ts shows the whole):
 * each candidate's confidence is its detector's, plus the weight of every piece of evidence below that
 * holds for it. A candidate whose words are all clinical vocabulary is cut to its other words first.
 * Candidates that end below the minimum confidence take no part in resolution.
 */
import { WORD } from './gazetteer.ts';
import { lexiconWords } from './lexicons.ts';
import type { GenreInfo } from './genre.ts';
import type { Candidate, CandidateKind } from './resolution.ts';
import type { Token } from './tokens.ts';

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
  timeAfterDate: { weight: -1, reason: 'four digits that are a time of day right after a date ("9/28 1435"), or after "@" or "at" in a clinical note ("LASIX @ 2200 W/ GOOD RESPONSE"), are a time, no phone number or identifier, whatever cue came before' },
  mediaRequest: { weight: -0.4, reason: 'a name in a spoken request to play or look up music, books or shows ("play some david bowie", "a song by bruno mars") is an artist\'s, no PHI' },
} as const satisfies Record<string, EvidenceRule>;

export type EvidenceName = keyof typeof EVIDENCE;

/** Words of money (data/lexicons/brands.txt @money). */
const MONEY = lexiconWords('money');

/** Kinds whose candidates are judged word by word against the clinical vocabulary. */
const LEXICAL_KINDS = new Set<CandidateKind>(['lexicalName', 'lexicalPlace', 'nameMention', 'speakerName', 'answer', 'facilityAbbrev']);

/** Honorifics and titles before a name: the word after them is the name even when it is also a state or a colour. */
const HONORIFIC_BEFORE = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr']);

/** Whether a token is clinical vocabulary in this genre. */
function clinicalToken(t: Token, genre: GenreInfo, inName = false): boolean {
  // A known name that is also a state or a colour ("Frank Marsh", "Amber Lee") stays in a name of several words.
  if (genre.clinical && inName && (t.flags & (WORD.FIRST | WORD.LAST)) !== 0 && (t.flags & WORD.CLINICAL_TERM) === 0) return false;
  if (genre.clinical) return (t.flags & WORD.CLINICAL) !== 0;
  // Elsewhere only drug and device names ("Heparin", "Foley"): a short abbreviation may be a name's part ("K", "MD").
  return (t.flags & WORD.CLINICAL_TERM) !== 0 && (t.flags & (WORD.FIRST | WORD.LAST)) === 0 && t.end - t.start >= 4;
}

function firstTokenAt(tokens: readonly Token[], offset: number): number {
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
  if (text.mediaRequest && c.label === 'NAME' && (c.kind === 'lexicalName' || c.kind === 'nameMention')) found.push('mediaRequest');
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
    while (a <= b && clinicalToken(tokens[a]!, genre, inName)) a++;
    while (b >= a && clinicalToken(tokens[b]!, genre, inName)) b--;
    if (a > b) found.push('clinicalWord');
    else {
      c.start = Math.max(c.start, tokens[a]!.start);
      c.end = Math.min(c.end, tokens[b]!.end);
    }
  }
  return found;
}

/** Whether a street candidate holds a word of two letters or more that is no clinical word, no number and no street word. */
function streetNamed(c: Candidate, tokens: readonly Token[]): boolean {
  for (let k = firstTokenAt(tokens, c.start); k < tokens.length && tokens[k]!.start < c.end; k++) {
    const t = tokens[k]!;
    if (t.isDigits || t.lower.length < 2 || /\d/.test(t.text)) continue;
    if ((t.flags & (WORD.CLINICAL | WORD.STREET)) === 0) return true;
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

/** Features of the whole utterance, worked out once for all its candidates. */
export interface TextFeatures {
  /** A spoken request to play or look up music, books or shows (a `media` lexicon word in it). */
  mediaRequest: boolean;
}

export function textFeatures(tokens: readonly Token[], genre: GenreInfo): TextFeatures {
  let mediaRequest = false;
  if (genre.genre === 'spoken') {
    for (const t of tokens) {
      if ((t.flags & WORD.MEDIA) !== 0) {
        mediaRequest = true;
        break;
      }
    }
  }
  return { mediaRequest };
}

/** The scoring step: confidence plus the weights of the evidence, in place (`text`: the utterance the tokens are of). */
export function score(candidates: Candidate[], tokens: readonly Token[], genre: GenreInfo, text?: string): void {
  if (candidates.length === 0) return;
  const features = textFeatures(tokens, genre);
  for (const c of candidates) {
    for (const e of evidenceFor(c, tokens, genre, features)) c.confidence += EVIDENCE[e].weight;
  }
  timesAfterDates(candidates, tokens, genre, text);
}
