import { CH } from './chars.ts';
import { gazetteer } from './gazetteer.ts';

/**
 * Word tokens with offsets, shared by the spoken-form, date and name detectors. One pass over the
 * character codes (no regex, no substring per character): tokenising is on every detector's path.
 */
export interface Token {
  start: number;
  end: number;
  /** Its length is always `end - start`: read that (a string's length is read by a slow path where strings of many kinds meet). */
  text: string;
  /** Lower case, possessive "'s" removed. */
  lower: string;
  isCap: boolean;
  isUpper: boolean;
  isDigits: boolean;
  /** `WORD` bits of `lower` (gazetteer.ts): given name, common word, place, number word… 0 if unknown. */
  flags: number;
  /** `TAG` bits of `lower` (word-tags.ts): the detectors' word lists that hold it; 0 for none. */
  tags: number;
  /** Whether the token holds an ASCII digit (`/\d/.test(text)`), seen while scanning it. */
  hasDigit: boolean;
}

const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const LETTER = /\p{L}/u;

/** Word character: a letter, a combining mark or an ASCII digit (the old `[\p{L}\p{M}\d]`). */
function isWordCode(text: string, i: number, c: number): boolean {
  if (c < CH.ASCII_END) return (c >= CH.LOWER_A && c <= CH.LOWER_Z) || (c >= CH.UPPER_A && c <= CH.UPPER_Z) || (c >= CH.DIGIT_0 && c <= CH.DIGIT_9);
  return isWideWord(text, i, c);
}

function isWideWord(text: string, i: number, c: number): boolean {
  // Non-ASCII: one regex test on the code point (surrogate pairs read whole).
  if (c >= 0xd800 && c <= 0xdbff) return LETTER_OR_MARK.test(text.slice(i, i + 2));
  if (c >= 0xdc00 && c <= 0xdfff) return LETTER_OR_MARK.test(text.slice(i - 1, i + 1));
  return LETTER_OR_MARK.test(String.fromCharCode(c));
}

function isLetterCode(text: string, i: number, c: number): boolean {
  if (c < CH.ASCII_END) return (c >= CH.LOWER_A && c <= CH.LOWER_Z) || (c >= CH.UPPER_A && c <= CH.UPPER_Z);
  if (c >= 0xd800 && c <= 0xdbff) return LETTER.test(text.slice(i, i + 2));
  return LETTER.test(String.fromCharCode(c));
}

/** Case of a non-ASCII character: 2 lower, 4 upper, 0 neither. */
function wideCase(text: string, k: number): number {
  const ch = text[k]!;
  if (ch.toLowerCase() !== ch) return 4;
  return ch.toUpperCase() !== ch ? 2 : 0;
}

/**
 * Tokens: `[\p{L}\p{M}\d]+(?:['’]\p{L}+|-[\p{L}\p{M}\d]+)*`, in one pass that also notes digits and
 * case, then one word-flags lookup per token. What the scan saw is kept in a local (`seen`: the OR of
 * the characters' classes, 1 digit, 2 lower-case letter, 4 upper-case letter, 8 any other character), not
 * in a variable of the module, which every character would write. The character codes the loop compares
 * with are locals read once per call: a module's binding (`CH`) is read again at every use, with a check
 * that it is initialised and of its shape, which cost the loop as much as its own work (so did a table of
 * the classes, a typed array whose buffer was checked at every read).
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  // Tokens are stored by index: V8 calls the builtin for `push` here (its inline form deoptimized once).
  let count = 0;
  const flags = gazetteer().wordFlags;
  const { ASCII_END, APOSTROPHE, RIGHT_QUOTE, HYPHEN, LOWER_S, UPPER_A, UPPER_Z, LOWER_A, LOWER_Z, DIGIT_0, DIGIT_9 } = CH;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < ASCII_END ? !((c >= LOWER_A && c <= LOWER_Z) || (c >= UPPER_A && c <= UPPER_Z) || (c >= DIGIT_0 && c <= DIGIT_9)) : !isWideWord(text, i, c)) {
      i++;
      continue;
    }
    const start = i;
    let seen = 0;
    // Word characters from `i` (a letter, a mark or a digit), then after "'" letters, after "-" word characters.
    let lettersOnly = false;
    for (;;) {
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d < ASCII_END) {
          if (d >= LOWER_A && d <= LOWER_Z) seen |= 2;
          else if (d >= UPPER_A && d <= UPPER_Z) seen |= 4;
          else if (d >= DIGIT_0 && d <= DIGIT_9 && !lettersOnly) seen |= 1;
          else break;
        } else {
          if (lettersOnly ? !isLetterCode(text, i, d) : !isWideWord(text, i, d)) break;
          seen |= 8 | wideCase(text, i);
        }
        i++;
      }
      // Past the text's end no character is read: one read there makes V8 call the builtin at this site ever after.
      const d = i < n ? text.charCodeAt(i) : -1;
      if ((d === APOSTROPHE || d === RIGHT_QUOTE) && i + 1 < n && isLetterCode(text, i + 1, text.charCodeAt(i + 1))) {
        seen |= 8;
        i++;
        lettersOnly = true;
      } else if (d === HYPHEN && i + 1 < n && isWordCode(text, i + 1, text.charCodeAt(i + 1))) {
        seen |= 8;
        i++;
        lettersOnly = false;
      } else break;
    }
    const t = text.slice(start, i);
    const allDigits = seen === 1;
    let lower = (seen & 4) !== 0 ? t.toLowerCase() : t;
    const len = lower.length;
    if (len > 2 && lower.charCodeAt(len - 1) === LOWER_S && (lower.charCodeAt(len - 2) === APOSTROPHE || lower.charCodeAt(len - 2) === RIGHT_QUOTE)) lower = lower.slice(0, -2);
    const isCap = !allDigits && (c < ASCII_END ? c >= UPPER_A && c <= UPPER_Z : t[0] !== t[0]!.toLowerCase());
    let wordFlags = 0;
    let tags = 0;
    if (!allDigits) {
      wordFlags = flags.get(lower);
      // A known word's `lower` is the table's interned string (gazetteer.ts `WordTable.found`): the same characters.
      if (flags.found !== undefined) {
        lower = flags.found;
        tags = flags.foundTags;
      }
    }
    out[count++] = { start, end: i, text: t, lower, isCap, isUpper: isCap && i - start > 1 && (seen & 2) === 0, isDigits: allDigits, flags: wordFlags, tags, hasDigit: (seen & 1) !== 0 };
  }
  return out;
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The tokens of `folded`, the lower-case fold of `text`, whose tokens are `tokens` (a text in capitals
 * is read folded, detect.ts). In ASCII text folding moves no boundary and changes no `lower` or
 * `flags`: only `text` is the folded one and nothing is capitalised, so the words are not looked up a
 * second time, and the tokens are changed in place (the caller's tokens of `text` are not read again);
 * a word's folded text is its `lower` unless a possessive was cut from that. Other text is tokenised
 * again.
 */
export function foldTokens(text: string, folded: string, tokens: Token[]): Token[] {
  if (NON_ASCII.test(text)) return tokenize(folded);
  for (const t of tokens) {
    t.text = t.lower.length === t.end - t.start ? t.lower : folded.slice(t.start, t.end);
    t.isCap = false;
    t.isUpper = false;
  }
  return tokens;
}

/** Only whitespace (no line break unless allowed) between two offsets. */
export function gapIsSpace(text: string, from: number, to: number, allowNewline = false): boolean {
  if (to - from > 3) return false;
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t') continue;
    if (allowNewline && ch === '\n') continue;
    return false;
  }
  return true;
}
