/**
 * The digits of a text, read once (R-DATA-2), for the digit-led patterns of patterns.ts: every maximal run
 * of ASCII digits (what `\d+` matches) and its shape, which says which patterns can match there. Every
 * match of SSN_RE, NUMERIC_DATE, YEAR, AGE_AFTER, AGE_BEFORE and NUMBER starts at a run's first digit (or,
 * for NUMBER, at a "+" or "(" right before it), because each refuses a word character before its start;
 * so each is tried only where a run of its shape starts (`eachAt`), not at every character of the text.
 * The other patterns still read the whole text, but only when a run of their shape is there. Each shape
 * below is what every match of its pattern holds, so a text without it holds no match.
 */
import { CH } from './chars.ts';

export const RUN = {
  /** Three digits, then "-" or " " (SSN_RE: "123-45-6789"). */
  SSN: 1,
  /**
   * NUMERIC_DATE ("12/03/2020", "2020-03-12", "3/2019"): one or two digits or four, then "/", "." or "-" and a
   * run of one or two digits, then "/", "." or "-" and a digit; or one or two digits, "/" and four digits.
   */
  DATE: 2,
  /** Four digits from "19" or "20" (YEAR). */
  YEAR: 4,
  /** At most three digits, then a space, a hyphen or nothing, then a y (AGE_AFTER: "85 yo", "85-YEAR-OLD"). */
  AGE_AFTER: 8,
  /** At most three digits, a cue's last word and a space before them (AGE_LEAD_AT: "turned 60", "she is 85"). */
  AGE_LEAD: 16,
  /** An e, a d or a colon, then a space or nothing, before it (AGE_BEFORE: "age 85", "aged 85", "AGE:85"). */
  AGE_BEFORE: 32,
  /** An x, c or t and a space before it (PO_BOX: "Box 12", "PSC 3", "Unit 4"). */
  BOX: 64,
  /** Five digits after "A ", "E " or "P " (MILITARY: "APO AE 09012"). */
  MILITARY: 128,
  /** Five digits after a capital and a space (CITY_STATE_ZIP: "Austin, TX 78701"). */
  CITY_ZIP: 256,
  /** Three digits, then "/" or ")" (SLASH_PHONE: "617/555-1212", "(617)/555-1212"). */
  SLASH_PHONE: 512,
  /**
   * A run where NUMBER may find four digits or more, or three after "zip" (what findPatterns keeps): four
   * digits or more; a run that goes on (" ", "." or "-" and a digit: "555-1212", "555 1212", "1.5"; an "x" or
   * "e" of an extension, maybe after a space: "12x4", "5 ext 2"); a "+" or "(" before it; three digits with a
   * "z" in the sixteen characters before. A run of three digits or fewer with none of
   * these is all of NUMBER's match there, and findPatterns drops it.
   */
  NUMBER: 1024,
} as const;

/** Last letters of AGE_LEAD_CUE's cues, lower case: turn, turned, turns, turning, age of, 's, 'm, is, am, was. */
const AGE_LEAD_ENDS = new Set<number>([CH.LOWER_N, CH.LOWER_D, CH.LOWER_S, CH.LOWER_G, CH.LOWER_F, CH.LOWER_M]);
/** The last words of AGE_LEAD_CUE's cues, lower case; "'s" and "'m" ("she's", "i'm") are read apart. */
const AGE_LEAD_WORDS = new Set(['turn', 'turned', 'turns', 'turning', 'of', 'is', 'am', 'was']);
/** A cue's last word is all of the run of ASCII letters before it (a `\b` or a space is before each): at most seven. */
const LONGEST_AGE_LEAD_WORD = 7;

const isAsciiLetter = (c: number) => (c >= CH.UPPER_A && c <= CH.UPPER_Z) || (c >= CH.LOWER_A && c <= CH.LOWER_Z);

/** Whether the run of ASCII letters before the space before `s` is the last word of an age's cue ("turned 60", "she is 85", "i'm 40"). */
function ageLeadBefore(text: string, s: number): boolean {
  const end = s - 1;
  let w = end;
  while (w > 0 && isAsciiLetter(text.charCodeAt(w - 1))) {
    if (end - w === LONGEST_AGE_LEAD_WORD) return false;
    w--;
  }
  const word = text.slice(w, end).toLowerCase();
  if (AGE_LEAD_WORDS.has(word)) return true;
  return (word === 's' || word === 'm') && text.charCodeAt(w - 1) === CH.APOSTROPHE;
}

/** Last letters of PO_BOX's words before the number, lower case: box, psc, unit. */
const BOX_ENDS = new Set<number>([CH.LOWER_X, CH.LOWER_C, CH.LOWER_T]);
/** Last letters of MILITARY's codes before the postal code: AA, AE, AP. */
const MILITARY_ENDS = new Set<number>([CH.UPPER_A, CH.UPPER_E, CH.UPPER_P]);

export interface DigitRuns {
  /** Run k is `text.slice(starts[k], ends[k])`, its shape `shapes[k]` (`RUN` bits); in order. */
  starts: number[];
  ends: number[];
  shapes: number[];
  /** Every run's shape together. */
  any: number;
  /** How many runs follow another run and a ".": an IPv4 address has three. */
  dottedRuns: number;
}

export function isAsciiAlnum(c: number): boolean {
  return (c >= CH.DIGIT_0 && c <= CH.DIGIT_9) || (c >= CH.UPPER_A && c <= CH.UPPER_Z) || (c >= CH.LOWER_A && c <= CH.LOWER_Z);
}

export function isDigitCode(c: number): boolean {
  return c >= CH.DIGIT_0 && c <= CH.DIGIT_9;
}

/** "/", "." or "-": the separators of a numeric date. */
function isDateSeparator(c: number): boolean {
  return c === CH.SLASH || c === CH.PERIOD || c === CH.HYPHEN;
}

/** Jumps to the next digit (`test` builds no match; irregexp's scan is faster than a loop over `charCodeAt`). */
const DIGIT = /\d/g;

/** The runs, or undefined when the text holds no ASCII digit. */
export function digitRuns(text: string): DigitRuns | undefined {
  DIGIT.lastIndex = 0;
  if (!DIGIT.test(text)) return undefined;
  const n = text.length;
  const runs: DigitRuns = { starts: [], ends: [], shapes: [], any: 0, dottedRuns: 0 };
  let lastEnd = -2;
  do {
    const s = DIGIT.lastIndex - 1;
    let e = s + 1;
    while (e < n && isDigitCode(text.charCodeAt(e))) e++;
    if (lastEnd === s - 1 && text.charCodeAt(lastEnd) === CH.PERIOD) runs.dottedRuns++;
    runs.starts.push(s);
    runs.ends.push(e);
    const shape = runShape(text, s, e);
    runs.shapes.push(shape);
    runs.any |= shape;
    lastEnd = e;
    DIGIT.lastIndex = e;
  } while (DIGIT.test(text));
  // A date's shape needs the run after it: runShape marks a run before a separator, read again once every run is known.
  if ((runs.any & RUN.DATE) !== 0) {
    runs.any = 0;
    for (let k = 0; k < runs.starts.length; k++) {
      if ((runs.shapes[k]! & RUN.DATE) !== 0 && !dateAt(text, runs, k)) runs.shapes[k]! &= ~RUN.DATE;
      runs.any |= runs.shapes[k]!;
    }
  }
  return runs;
}

/** Whether NUMERIC_DATE may match at run k, which a separator follows: see `RUN.DATE`. */
function dateAt(text: string, runs: DigitRuns, k: number): boolean {
  const len = runs.ends[k]! - runs.starts[k]!;
  const sep = text.charCodeAt(runs.ends[k]!);
  if ((len > 2 && len !== 4) || k + 1 >= runs.starts.length || runs.starts[k + 1] !== runs.ends[k]! + 1) return false;
  const next = runs.ends[k + 1]! - runs.starts[k + 1]!;
  if (len <= 2 && sep === CH.SLASH && next === 4) return true;
  const after = runs.ends[k + 1]!;
  return next <= 2 && after + 1 < text.length && isDateSeparator(text.charCodeAt(after)) && isDigitCode(text.charCodeAt(after + 1));
}

/**
 * The `RUN` shape of the digit run from s to e (ASCII letters folded: the age and box regexes are case-insensitive over ASCII only).
 * No character past the text's end is read (here and in `numberAt`, `dateAt`): after one such read V8 calls the
 * builtin at that site ever after instead of reading the character inline.
 */
function runShape(text: string, s: number, e: number): number {
  const len = e - s;
  let shape = 0;
  const before = s > 0 ? text.charCodeAt(s - 1) : 0;
  const before2 = s > 1 ? text.charCodeAt(s - 2) : 0;
  if (before === CH.SPACE) {
    const c = before2 | CH.CASE_BIT;
    if (len <= 3 && AGE_LEAD_ENDS.has(c) && ageLeadBefore(text, s)) shape |= RUN.AGE_LEAD;
    if (c === CH.LOWER_E || c === CH.LOWER_D || c === CH.COLON) shape |= RUN.AGE_BEFORE;
    if (BOX_ENDS.has(c)) shape |= RUN.BOX;
    if (len === 5 && MILITARY_ENDS.has(before2)) shape |= RUN.MILITARY;
    if (len === 5 && before2 >= CH.UPPER_A && before2 <= CH.UPPER_Z) shape |= RUN.CITY_ZIP;
  } else {
    const c = before | CH.CASE_BIT;
    if (c === CH.LOWER_E || c === CH.LOWER_D || c === CH.COLON) shape |= RUN.AGE_BEFORE;
  }
  const after = e < text.length ? text.charCodeAt(e) : 0;
  if (len === 3 && (after === CH.HYPHEN || after === CH.SPACE)) shape |= RUN.SSN;
  if (isDateSeparator(after)) shape |= RUN.DATE;
  if (len === 4 && (text.startsWith('19', s) || text.startsWith('20', s))) shape |= RUN.YEAR;
  if (len === 3 && (after === CH.SLASH || after === CH.CLOSE_PAREN)) shape |= RUN.SLASH_PHONE;
  if (len <= 3) {
    const y = after === CH.SPACE || after === CH.HYPHEN ? (e + 1 < text.length ? text.charCodeAt(e + 1) : 0) : after;
    if ((y | CH.CASE_BIT) === CH.LOWER_Y) shape |= RUN.AGE_AFTER;
  }
  if (numberAt(text, s, e, before, after)) shape |= RUN.NUMBER;
  return shape;
}

/**
 * Whether NUMBER's match at the run from s to e may hold four digits or more (or three after "zip"). NUMBER
 * goes past its first run only over "[ .-]" and a digit or an extension ("x", "ext", "extension" after an
 * optional space), and starts before it only at "+" or "(": without these its match is the run, all of it
 * (fewer digits would leave a digit after the match, which its last lookahead refuses).
 */
function numberAt(text: string, s: number, e: number, before: number, after: number): boolean {
  if (e - s >= 4 || before === CH.PLUS || before === CH.OPEN_PAREN) return true;
  const a = after | CH.CASE_BIT;
  if (a === CH.LOWER_X || a === CH.LOWER_E) return true;
  if (after === CH.SPACE || after === CH.PERIOD || after === CH.HYPHEN) {
    const next = e + 1 < text.length ? text.charCodeAt(e + 1) : 0;
    if (isDigitCode(next)) return true;
    const b = next | CH.CASE_BIT;
    if (after === CH.SPACE && (b === CH.LOWER_X || b === CH.LOWER_E)) return true;
  }
  if (e - s < 3) return false;
  // "zip 880", "zip code is 880": findPatterns keeps three digits after "zip", read in the 16 characters before.
  for (let i = Math.max(0, s - 16); i < s; i++) if ((text.charCodeAt(i) | CH.CASE_BIT) === CH.LOWER_Z) return true;
  return false;
}

/** The same regex, sticky: it matches only where `lastIndex` puts it (`eachAt`). */
export function sticky(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.replace('g', '') + 'y');
}

/**
 * What `each(re, text, fn)` finds when every match starts at the first digit of a run of `shape` or,
 * if `signed`, at a "+" or "(" right before it: the sticky `re` tried there, at each start that no
 * earlier match covers, as a global regex goes on after its last match.
 */
export function eachAt(re: RegExp, text: string, runs: DigitRuns, shape: number, fn: (m: RegExpExecArray) => void, signed = false): void {
  let from = 0;
  for (let k = 0; k < runs.starts.length; k++) {
    if ((runs.shapes[k]! & shape) === 0) continue;
    const s = runs.starts[k]!;
    const sign = signed && s > 0 ? text.charCodeAt(s - 1) : 0;
    for (let p = sign === CH.PLUS || sign === CH.OPEN_PAREN ? s - 1 : s; p <= s; p++) {
      if (p < from) continue;
      re.lastIndex = p;
      const m = re.exec(text);
      if (!m) continue;
      fn(m);
      from = p + Math.max(m[0].length, 1);
    }
  }
}

/**
 * Identifiers of letters and digits ("A12-99B7", "ZX9931"): a run of ASCII letters and digits, inner
 * hyphens allowed, 6 to 25 characters, at least three digits and one letter, not touching another word
 * character. A hand-written scan (one pass, no backtracking) instead of a regex with lookaheads; it
 * jumps from digit run to digit run and reads only the runs of letters and digits that hold one, from
 * that run's first character.
 */
export function alnumIds(text: string, runs: DigitRuns, fn: (start: number, end: number, letters: number) => void): void {
  const n = text.length;
  // Where the last run read ended: the character there is no letter or digit, so the next digit after
  // it is a digit run's first.
  let from = 0;
  for (const first of runs.starts) {
    if (first < from) continue;
    // Back to the run's first character: a hyphen belongs to a run only between two of its characters.
    let start = first;
    for (;;) {
      if (start > 0 && isAsciiAlnum(text.charCodeAt(start - 1))) start--;
      else if (start > 1 && text.charCodeAt(start - 1) === CH.HYPHEN && isAsciiAlnum(text.charCodeAt(start - 2))) start -= 2;
      else break;
    }
    let i = start;
    let digits = 0;
    let letters = 0;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d >= CH.DIGIT_0 && d <= CH.DIGIT_9) digits++;
      else if (isAsciiAlnum(d)) letters++;
      else if (!(d === CH.HYPHEN && i + 1 < n && isAsciiAlnum(text.charCodeAt(i + 1)))) break;
      i++;
    }
    from = i;
    const before = start > 0 ? text.charCodeAt(start - 1) : 32;
    const after = i < n ? text.charCodeAt(i) : 32;
    const len = i - start;
    if (before !== CH.UNDERSCORE && after !== CH.UNDERSCORE && len >= 6 && len <= 25 && digits >= 3 && letters >= 1) fn(start, i, letters);
  }
}
