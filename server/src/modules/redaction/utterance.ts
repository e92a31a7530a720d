/**
 * One utterance (a line of a call or a note, or a whole written document) through the pipeline of
 * resolution.ts (R-DATA-2): every detector's candidates, then the scoring step (evidence.ts), then the
 * names found carried to later mentions and what the utterance asks of the next one. detect.ts splits
 * a document into utterances; stream.ts feeds them one by one.
 */
import { CH } from './chars.ts';
import { findAddresses } from './addresses.ts';
import { expectationOf } from './context.ts';
import { findDates, spokenDigitDates } from './dates.ts';
import { callNames } from './call-names.ts';
import { carePlaces } from './call-places.ts';
import { findClinical } from './clinical.ts';
import { score } from './evidence.ts';
import { WORD, type Gazetteer } from './gazetteer.ts';
import { countCaps, genreOf, looksWritten, type GenreInfo } from './genre.ts';
import { findLexical } from './names.ts';
import { findPatterns } from './patterns.ts';
import { candidate, type Candidate } from './resolution.ts';
import { answerTo, spelledNames, spokenEmails, spokenRuns } from './spoken-answers.ts';
import { numberRuns, type NumberRun } from './spoken-numbers.ts';
import { spokenIps, spokenUrls } from './spoken-web.ts';
import { tokenize, type Token } from './tokens.ts';
import type { DetectOptions, PhiLabel } from './types.ts';
import { TAG } from './word-tags.ts';

/** What carries from one utterance to the next. */
export interface DetectState {
  expectation?: PhiLabel | undefined;
  /** Name words seen so far in this document or call, lower case: later mentions are names too. */
  names: Set<string>;
  /** Whether the text is written (capitalised) or spoken (lower-case ASR output); fixed on first sight. */
  isWritten?: boolean | undefined;
  /** The text's genre (genre.ts); fixed on first sight. */
  genre?: GenreInfo | undefined;
}

export function newState(): DetectState {
  return { names: new Set() };
}

/**
 * What an utterance holds, read once from its tokens, so that a detector that cannot find anything in
 * it is not run (each gate states what every match of its detector needs): the `WORD` flags of all its
 * words together, how many tokens start with a digit, how many are a single letter or character.
 */
interface Holds {
  flags: number;
  digitLed: number;
  letters: number;
  /** A word of a place of care's kind (call-places.ts), and a word of the name cues of call-names.ts: read only in speech. */
  careWord: boolean;
  callNameWord: boolean;
  /** The `TAG` bits of all its words together (word-tags.ts), and whether it holds an ASCII digit. */
  tags: number;
  digits: boolean;
}

function holdsOf(tokens: readonly Token[], isSpeech: boolean): Holds {
  let flags = 0;
  let digitLed = 0;
  let letters = 0;
  let tags = 0;
  let digits = false;
  for (const t of tokens) {
    flags |= t.flags;
    tags |= t.tags;
    if (t.hasDigit) digits = true;
    const c = t.text.charCodeAt(0);
    if (c >= CH.DIGIT_0 && c <= CH.DIGIT_9) digitLed++;
    else if (t.end - t.start === 1) letters++;
  }
  return { flags, digitLed, letters, careWord: isSpeech && (tags & TAG.CARE_TRIGGER) !== 0, callNameWord: isSpeech && (tags & TAG.CALL_NAME_TRIGGER) !== 0, tags, digits };
}

const NO_RUNS: readonly NumberRun[] = [];
const NO_RUNS_BY_TOKEN: ReadonlyMap<number, NumberRun> = new Map();

const POSTAL_AFTER = /^ (?:\d{4,5}|\d{3} \d{2})(?![\d,.]\d|\d)/;

/**
 * One utterance being read: its text and tokens, what it holds, what the utterance before asked for,
 * and the candidates found so far. The detectors run as stages over a list of readings (`readAll`), each
 * stage over every utterance of a document before the next stage starts: a detector's code then runs
 * for many lines in a row instead of being fetched again for each (the engine's compiled code is
 * larger than the processor's caches).
 */
export interface Reading {
  text: string;
  tokens: Token[];
  isWritten: boolean;
  genre: GenreInfo;
  holds: Holds;
  /** What the utterance before asked for: the answer's label. */
  expectation: PhiLabel | undefined;
  runs: readonly NumberRun[];
  runsByToken: ReadonlyMap<number, NumberRun>;
  out: Candidate[];
}

/** A reading of `text` with the genre fixed (state.genre) and whether it is written decided by the caller. */
export function reading(text: string, tokens: Token[], isWritten: boolean, genre: GenreInfo, expectation: PhiLabel | undefined): Reading {
  // Speech whose case marks nothing and no note's rules apply: the call detectors' words are looked for.
  const isSpeech = !isWritten && genre.genre !== 'clinical';
  return { text, tokens, isWritten, genre, holds: holdsOf(tokens, isSpeech), expectation, runs: NO_RUNS, runsByToken: NO_RUNS_BY_TOKEN, out: [] };
}

/**
 * Candidates for one utterance (or one whole written document), updating the carried state; `carries`
 * false skips working out what the utterance asks of the next one (there is no next one).
 */
export function detectUtterance(text: string, state: DetectState, g: Gazetteer, opts: DetectOptions, tokens = tokenize(text), carries = true): Candidate[] {
  if (state.isWritten === undefined) {
    const acc = { caps: 0, words: 0, initials: 0 };
    countCaps(text, tokens, acc);
    state.isWritten = looksWritten(acc);
  }
  const genre = (state.genre ??= genreOf([tokens], { isWritten: state.isWritten, speakerLines: 0, fieldLines: 0, lines: 1 }));
  const r = reading(text, tokens, state.isWritten, genre, state.expectation);
  readAll([r], g, opts);
  remember(r, state);
  state.expectation = carries ? expectationOf(text) : undefined;
  return r.out;
}

/** Every detector over every reading, detector by detector (the order of each reading's candidates is the detectors' order). */
export function readAll(rs: readonly Reading[], g: Gazetteer, opts: DetectOptions): void {
  const includeClinicians = opts.includeClinicians ?? true;
  for (const r of rs) r.out = findPatterns(r.text);
  for (const r of rs) numbers(r);
  for (const r of rs) for (const d of findDates(r.text, r.tokens, r.runsByToken)) r.out.push(candidate('spokenDate', d.start, d.end, 'DATE', 0.85));
  for (const r of rs) if (r.runs.length > 0 && !r.isWritten) for (const d of spokenDigitDates(r.tokens, r.runs)) r.out.push(candidate('spokenDate', d.start, d.end, 'DATE', 0.85));
  // Every street form has a house number, the street's number or a spoken number, or is a corner ("corner of").
  for (const r of rs) {
    if (r.holds.digitLed > 0 || r.runs.length > 0 || r.text.includes('orner of')) {
      for (const a of findAddresses(r.text, r.tokens, r.runsByToken, g, r.isWritten)) r.out.push(candidate('street', a.start, a.end, 'ADDRESS', 0.8));
    }
  }
  for (const r of rs) spoken(r);
  for (const r of rs) lexical(r, g, includeClinicians);
  for (const r of rs) {
    if (r.expectation) answerTo(r.expectation, r.text, r.tokens, r.runs, g, r.out);
    // A spelled name is three single letters or more.
    if (r.holds.letters >= 3) spelledNames(r.text, r.tokens, r.expectation, r.out);
  }
  for (const r of rs) {
    const { genre, holds } = r;
    const found = findClinical(r.text, r.tokens, { genre: genre.genre, caps: genre.caps, caseMarksNames: r.isWritten && !genre.caps, includeClinicians, wordFlags: holds.flags, wordTags: holds.tags, digits: holds.digits, spaceBracket: r.text.includes('(') && r.text.includes(' (') });
    for (const c of found) r.out.push(c);
  }
  for (const r of rs) {
    // Places of care named in speech (call-places.ts): only where case marks nothing and no note's rules apply.
    if (r.holds.careWord) carePlaces(r.text, r.tokens, r.out);
    // Names a call says which they are (call-names.ts): "last name best", "the p a dvorak", "at noon with owusu".
    if (r.holds.callNameWord) callNames(r.text, r.tokens, includeClinicians, r.out);
  }
  for (const r of rs) score(r.out, r.tokens, r.genre, r.text);
}

/** Runs of spoken digits: they start at a digit, a number word or a spelled letter. */
function numbers(r: Reading): void {
  const { holds } = r;
  if (!(holds.digitLed > 0 || holds.letters > 0 || (holds.flags & WORD.RUN) !== 0)) return;
  const runs = numberRuns(r.text, r.tokens);
  if (runs.length === 0) return;
  // Most utterances hold no run: they share one empty map.
  const byToken = new Map<number, NumberRun>();
  for (const run of runs) byToken.set(run.firstToken, run);
  r.runs = runs;
  r.runsByToken = byToken;
}

/** Spoken forms: numbers after a cue, e-mails and addresses on the internet said aloud. */
function spoken(r: Reading): void {
  spokenRuns(r.text, r.tokens, r.runs, r.expectation, r.out);
  spokenEmails(r.text, r.out);
  // Addresses on the internet said aloud (spoken-web.ts): "… dot fifty four dot …", "… dot org slash …".
  if (!r.isWritten && r.text.includes(' dot ')) {
    if (r.runs.length >= 4) spokenIps(r.text, r.tokens, r.runs, r.out);
    spokenUrls(r.text, r.out);
  }
}

function lexical(r: Reading, g: Gazetteer, includeClinicians: boolean): void {
  const { text, out } = r;
  for (const l of findLexical(text, r.tokens, g, { isWritten: r.isWritten, includeClinicians })) {
    out.push(candidate(l.label === 'NAME' ? 'lexicalName' : 'lexicalPlace', l.start, l.end, l.label, l.confidence));
    // A postal code right after a town ("in ARENDAL 4844", "Costamezzana 43015", "ÖVERTURINGEN 840 24").
    if (l.label === 'LOCATION') {
      const code = POSTAL_AFTER.exec(text.slice(l.end, l.end + 12));
      if (code) out.push(candidate('postalAfterTown', l.end + 1, l.end + code[0].length, 'ADDRESS', 0.75));
    }
  }
}

/**
 * The last step, in the order of the utterances: a possessive cut from a name, names said once carried to
 * later mentions (`state.names`), and those mentions found.
 */
export function remember(r: Reading, state: DetectState): void {
  const { text, tokens, out, isWritten } = r;
  // A possessive is not part of the name: "steven's chart" masks "steven".
  for (const c of out) {
    if (c.label === 'NAME' && c.end - c.start > 3 && text.charCodeAt(c.end - 1) === CH.LOWER_S && (text.charCodeAt(c.end - 2) === CH.APOSTROPHE || text.charCodeAt(c.end - 2) === CH.RIGHT_QUOTE)) c.end -= 2;
  }
  // Names said once are names everywhere after ("early Yefremova"): their words, read from the tokens.
  for (const c of out) {
    if (c.label !== 'NAME' || c.confidence < 0.6) continue;
    for (let k = firstTokenFrom(tokens, c.start); k < tokens.length && tokens[k]!.end <= c.end; k++) {
      const t = tokens[k]!;
      // A relation word or a title inside a name's span ("HCP Dmitri") is no name of its own.
      if (t.lower.length > 2 && !t.isDigits && (t.flags & (WORD.COMMON | WORD.RELATION | WORD.CLINICIAN)) === 0) state.names.add(t.lower);
    }
  }
  if (state.names.size > 0) {
    for (const t of tokens) {
      // Only a word of three letters or more that is no common word was added above (a token's flags
      // follow from its `lower`): the others need no lookup. The flags are read first: `lower` is a string of
      // many kinds (sliced, folded, the word table's), whose length V8 reads here by its slow generic path.
      if ((t.flags & WORD.COMMON) === 0 && (!isWritten || t.isCap) && t.lower.length > 2 && state.names.has(t.lower)) out.push(candidate('nameMention', t.start, t.end, 'NAME', 0.6));
    }
  }
}

/** Index of the first token starting at or after `offset` (tokens are sorted). */
function firstTokenFrom(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
