/**
 * Text genres (R-DATA-2): what kind of text a document is decides how much case and abbreviations say.
 * In a written letter a capital marks a name; in an ALL-CAPS nursing note it marks nothing, and "neo",
 * "mae" or "swan" are a drug, an abbreviation and a catheter, not people.
 *
 * - `spoken`: speech recognition output, lower case throughout;
 * - `chat`: lines of "speaker: words";
 * - `form`: lines of "Field: value";
 * - `clinical`: a note dense in clinical abbreviations, drugs and devices (data/lexicons);
 * - `written`: any other written text.
 * `caps` is orthogonal: most words are written in capitals, so capitals carry no evidence.
 */
import { CH } from './chars.ts';
import { WORD } from './gazetteer.ts';
import type { Token } from './tokens.ts';

export type Genre = 'spoken' | 'chat' | 'form' | 'clinical' | 'written';

export interface GenreInfo {
  genre: Genre;
  caps: boolean;
  clinical: boolean;
}

/** Share of words written in capitals above which case says nothing. */
const CAPS_SHARE = 0.6;
/** Clinical terms (abbreviations, drugs, devices that are no common word) a clinical note holds at least. */
const CLINICAL_MIN_TERMS = 3;
const CLINICAL_SHARE = 0.04;

/** The genre of a text from its tokens, given line by line (one list for a text read whole). */
export function genreOf(tokenLines: ReadonlyArray<readonly Token[]>, opts: { isWritten: boolean; speakerLines: number; fieldLines: number; lines: number }): GenreInfo {
  let words = 0;
  let upper = 0;
  let terms = 0;
  for (const tokens of tokenLines) {
    for (const t of tokens) {
      if (t.isDigits) continue;
      words++;
      if (t.isUpper && t.end - t.start > 1) upper++;
      if ((t.flags & WORD.CLINICAL_TERM) !== 0) terms++;
    }
  }
  const caps = words >= 5 && upper / words >= CAPS_SHARE;
  const clinical = terms >= CLINICAL_MIN_TERMS && terms / Math.max(1, words) >= CLINICAL_SHARE;
  let genre: Genre;
  if (clinical) genre = 'clinical';
  else if (opts.lines > 1 && opts.speakerLines >= opts.lines / 2) genre = 'chat';
  else if (opts.lines > 1 && opts.fieldLines >= opts.lines / 2) genre = 'form';
  else genre = opts.isWritten || caps ? 'written' : 'spoken';
  return { genre, caps, clinical };
}

/**
 * Counts words other than a line's or sentence's first, and how many of them are capitalised; and
 * capitalised words that start a sentence (speech recognition writes none).
 */
export function countCaps(text: string, tokens: readonly Token[], acc: { caps: number; words: number; initials: number }): void {
  // The codes are locals, and the second character is read from the text (`t.text` is a string of many kinds):
  // a module's binding and such a string's methods are slow reads at every token.
  const { APOSTROPHE, RIGHT_QUOTE, SPACE, PERIOD, BANG, QUESTION, COLON, LF, UPPER_I } = CH;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (k === 0) {
      if (t.isCap && t.end - t.start > 1 && !t.isUpper && text.charCodeAt(t.start + 1) !== APOSTROPHE && text.charCodeAt(t.start + 1) !== RIGHT_QUOTE) acc.initials++;
      continue;
    }
    if (t.isDigits || t.end - t.start < 2) continue;
    // After ".", "!", "?", ":" or a line break (and at most one space) a capital says nothing.
    let p = t.start - 1;
    if (p >= 0 && text.charCodeAt(p) === SPACE) p--;
    const c = p >= 0 ? text.charCodeAt(p) : 0;
    if (c === PERIOD || c === BANG || c === QUESTION || c === COLON || c === LF) {
      if (t.isCap && !t.isUpper && text.charCodeAt(t.start + 1) !== APOSTROPHE && text.charCodeAt(t.start + 1) !== RIGHT_QUOTE) acc.initials++;
      continue;
    }
    acc.words++;
    if (t.isCap && !(text.charCodeAt(t.start) === UPPER_I && (text.charCodeAt(t.start + 1) === APOSTROPHE || text.charCodeAt(t.start + 1) === RIGHT_QUOTE))) acc.caps++;
  }
}

/**
 * Written when some word other than a line's or sentence's first is capitalised, or when sentences start
 * with a capital ("Shovda is very reliable."): speech recognition output is lower case throughout.
 */
export function looksWritten(acc: { caps: number; words: number; initials: number }): boolean {
  return acc.words === 0 || acc.initials > 0 || acc.caps / acc.words > 0.02;
}
