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
  mediaRequest: { weight: -0.4, reason: 'a name in a spoken request to play or look up music, books or shows ("play some david bowie", "a song by bruno mars") is an artist\'s, no PHI' },
} as const satisfies Record<string, EvidenceRule>;

export type EvidenceName = keyof typeof EVIDENCE;

/** Words of money (data/lexicons/brands.txt @money). */
const MONEY = lexiconWords('money');

/** Kinds whose candidates are judged word by word against the clinical vocabulary. */
const LEXICAL_KINDS = new Set<CandidateKind>(['lexicalName', 'lexicalPlace', 'nameMention', 'speakerName', 'answer', 'facilityAbbrev']);

/** Whether a token is clinical vocabulary in this genre. */
function clinicalToken(t: Token, genre: GenreInfo): boolean {
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
  if (text.mediaRequest && c.label === 'NAME' && (c.kind === 'lexicalName' || c.kind === 'nameMention')) found.push('mediaRequest');
  if ((c.label === 'NAME' || c.label === 'LOCATION') && LEXICAL_KINDS.has(c.kind)) {
    let a = firstTokenAt(tokens, c.start);
    let b = a;
    while (b + 1 < tokens.length && tokens[b + 1]!.start < c.end) b++;
    if (a >= tokens.length || tokens[a]!.start >= c.end) return found;
    if (c.label === 'LOCATION' && a === b && (tokens[a]!.flags & WORD.CARE_UNIT) !== 0) found.push('careUnit');
    while (a <= b && clinicalToken(tokens[a]!, genre)) a++;
    while (b >= a && clinicalToken(tokens[b]!, genre)) b--;
    if (a > b) found.push('clinicalWord');
    else {
      c.start = Math.max(c.start, tokens[a]!.start);
      c.end = Math.min(c.end, tokens[b]!.end);
    }
  }
  return found;
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

/** The scoring step: confidence plus the weights of the evidence, in place. */
export function score(candidates: Candidate[], tokens: readonly Token[], genre: GenreInfo): void {
  if (candidates.length === 0) return;
  const text = textFeatures(tokens, genre);
  for (const c of candidates) {
    for (const e of evidenceFor(c, tokens, genre, text)) c.confidence += EVIDENCE[e].weight;
  }
}
