/**
 * Spoken numbers (R-DATA-2): speech recognition writes "five five five one two one two", "double
 * four", "oh" for zero, "nineteen fifty one", and spelled letters ("m r n four four seven"). This turns
 * runs of such words into the digits they stand for, with the character range they cover.
 */
import { CH } from './chars.ts';
import { WORD } from './gazetteer.ts';
import { words } from './lookup.ts';
import type { Token } from './tokens.ts';

const UNITS = words({
  zero: 0, oh: 0, o: 0, nought: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
});
const TEENS = words({
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
});
const TENS = words({ twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 });
const REPEAT = words({ double: 2, triple: 3 });

export interface NumberRun {
  start: number;
  end: number;
  firstToken: number;
  lastToken: number;
  /** The digits (and spelled letters, upper case) the run stands for. */
  value: string;
  digitCount: number;
  letterCount: number;
  /** Made only of number words (no digits written as digits). */
  isSpoken: boolean;
}

/** Words worth a number ("oh", "twelve", "hundred"). */
export const NUMBER_WORDS: ReadonlySet<string> = new Set([...Object.keys(UNITS), ...Object.keys(TEENS), ...Object.keys(TENS), 'hundred', 'thousand']);
/** Number words and the repeaters ("double four"). */
export const RUN_WORDS: ReadonlySet<string> = new Set([...NUMBER_WORDS, ...Object.keys(REPEAT)]);

export function isNumberWord(lower: string): boolean {
  return NUMBER_WORDS.has(lower);
}

function isLetter(t: Token): boolean {
  if (t.end - t.start !== 1) return false;
  const c = t.text.charCodeAt(0) | CH.CASE_BIT;
  return c >= CH.LOWER_A && c <= CH.LOWER_Z;
}

/** A letter before a slash is a written abbreviation ("w/", "s/p", "c/o"), no spelled letter. */
function slashedLetter(text: string, t: Token): boolean {
  return t.end - t.start === 1 && text.charCodeAt(t.end) === CH.SLASH;
}

/** "a" and "i" said alone are words, not spelled letters. */
function isWordLetter(t: Token): boolean {
  const c = t.text.charCodeAt(0) | CH.CASE_BIT;
  return t.end - t.start === 1 && (c === CH.LOWER_A || c === CH.LOWER_I);
}

function joinable(text: string, from: number, to: number): boolean {
  if (to - from > 3) return false;
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (ch !== ' ' && ch !== ',' && ch !== '-' && ch !== '.') return false;
  }
  return true;
}

/** Runs of number words, digit tokens and spelled letters, in token order. */
export function numberRuns(text: string, tokens: readonly Token[]): NumberRun[] {
  const runs: NumberRun[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if ((t.text.length > 1 && !t.isDigits && (t.flags & WORD.RUN) === 0 && !isHomophone(tokens, i, text)) || !startsRun(tokens, i)) {
      i++;
      continue;
    }
    let j = i;
    for (;;) {
      const aid = aidAfter(tokens, j);
      if (aid === 0 && j + 1 < tokens.length && joinable(text, tokens[j]!.end, tokens[j + 1]!.start) && continuesRun(tokens, j + 1, text) && !slashedLetter(text, tokens[j + 1]!)) j++;
      else if (aid > 0) j += aid;
      else {
        const pause = hesitationAfter(text, tokens, j);
        if (pause === 0) break;
        j += pause;
      }
    }
    // Trailing spelled letters that are ordinary words ("a", "i") are not part of the number, unless the
    // utterance ends there ("the serial number is r six seven one eight a").
    while (j > i && isWordLetter(tokens[j]!) && !(j === tokens.length - 1 && tokens[j]!.lower === 'a' && j - i >= 4)) j--;
    // "six thirty a m", "two fifteen p m": the time's a.m./p.m. is no spelled letter of an identifier.
    if (j - 1 > i && tokens[j]!.lower === 'm' && (tokens[j - 1]!.lower === 'a' || tokens[j - 1]!.lower === 'p')) j -= 2;
    // A number written alone ("40", "2133"), the most common run of a note, is its own digits.
    if (i === j && t.isDigits) runs.push({ start: t.start, end: t.end, firstToken: i, lastToken: j, value: t.text, digitCount: t.text.length, letterCount: 0, isSpoken: false });
    else {
      const run = convert(tokens, i, j);
      if (run) runs.push({ start: t.start, end: tokens[j]!.end, firstToken: i, lastToken: j, value: run.value, digitCount: run.digitCount, letterCount: run.letterCount, isSpoken: run.isSpoken });
    }
    i = j + 1;
  }
  return runs;
}

/**
 * The words after a spelled letter that say which letter it is, as a count of tokens (0 when none):
 * "k as in king" (3), "b like boy", "d for david" (2; the word starts with the letter, so "for" is no
 * "four" misheard: "d for dog" but "d for eight").
 */
export function aidAfter(tokens: readonly Token[], j: number): number {
  const t = tokens[j]!;
  if (!isLetter(t)) return 0;
  const a = tokens[j + 1];
  if (a === undefined) return 0;
  if (a.lower === 'as') {
    const w = tokens[j + 3];
    return tokens[j + 2]?.lower === 'in' && w !== undefined && !w.isDigits && (w.flags & WORD.RUN) === 0 && w.start - tokens[j + 2]!.end === 1 ? 3 : 0;
  }
  if (a.lower !== 'like' && a.lower !== 'for') return 0;
  const w = tokens[j + 2];
  return w !== undefined && w.end - w.start > 1 && !w.isDigits && (w.flags & WORD.RUN) === 0 && (w.text.charCodeAt(0) | CH.CASE_BIT) === (t.text.charCodeAt(0) | CH.CASE_BIT) ? 2 : 0;
}

/** Hesitations said inside a number ("two eight five uh three six", "four one five let me see two two"): no digit, no break of the run. */
const HESITATIONS = new Set(['uh', 'um', 'umm', 'uhh', 'hmm', 'er', 'erm', 'ah', 'okay', 'ok',
  // The dash of an identifier read out ("d nine six seven dash eighteen dash four"): no digit, no break either.
  'dash', 'hyphen']);
const HESITATION_PHRASES: ReadonlyArray<readonly string[]> = [['you', 'know'], ['let', 'me', 'see'], ['let', 'see'], ['hold', 'on'], ['one', 'sec'], ['one', 'second']];

const PHRASE_STARTS = new Set(HESITATION_PHRASES.map((p) => p[0]!));

/** The hesitation's tokens at k (0 when none). */
function hesitationAt(tokens: readonly Token[], k: number): number {
  const w = tokens[k]!.lower;
  if (HESITATIONS.has(w)) return 1;
  if (!PHRASE_STARTS.has(w)) return 0;
  for (const phrase of HESITATION_PHRASES) {
    let n = 0;
    while (n < phrase.length && tokens[k + n]?.lower === phrase[n]) n++;
    if (n === phrase.length) return n;
  }
  return 0;
}

/** Hesitation tokens after token j that a number goes on after (the count, 0 when none). */
function hesitationAfter(text: string, tokens: readonly Token[], j: number): number {
  if (j + 2 >= tokens.length || !isNumeric(tokens[j]!)) return 0;
  let k = j + 1;
  for (let h = 0; h < 2 && k < tokens.length; h++) {
    const n = hesitationAt(tokens, k);
    if (n === 0) break;
    k += n;
  }
  const n = tokens[k];
  return k > j + 1 && n !== undefined && isNumeric(tokens[j]!) && (n.isDigits || (n.flags & WORD.RUN) !== 0) && joinable(text, tokens[k - 1]!.end, n.start) ? k - j - 1 : 0;
}

function isNumeric(t: Token): boolean {
  return t.isDigits || (t.flags & WORD.RUN) !== 0;
}

function startsRun(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  // "oh" starts a run only before another number word ("oh three one five"), not as an exclamation.
  if (t.lower === 'o' || t.lower === 'oh') {
    const n = tokens[i + 1];
    return !!n && (n.lower in UNITS || n.lower in TEENS || n.lower in TENS) && n.lower !== 'oh' && n.lower !== 'o';
  }
  if (isNumeric(t)) return true;
  if (isHomophone(tokens, i) && (tokens[i + 2]?.lower ?? '') in UNITS) return true;
  // Spelled letters start a run only when another letter or a number follows ("m r n four"), or a
  // number after its "as in" word ("w as in william four four").
  const aid = aidAfter(tokens, i);
  if (aid > 0 && tokens[i + aid + 1] !== undefined && (isNumeric(tokens[i + aid + 1]!) || isLetter(tokens[i + aid + 1]!))) return true;
  if (isLetter(t) && !isWordLetter(t)) {
    const n = tokens[i + 1];
    return !!n && (isLetter(n) || isNumeric(n));
  }
  return false;
}

/**
 * "to" and "for" between digits are "two" and "four" misheard ("two eight for two", "oh one to five"), and
 * so at the start of a run of digits ("for eight three eight").
 */
function isHomophone(tokens: readonly Token[], i: number, text?: string): boolean {
  const w = tokens[i]!.lower;
  // Most words are longer than these four: one length test, not four string compares.
  if (w.length > 3 || (w !== 'to' && w !== 'for' && w !== 'too' && w !== 'ate')) return false;
  const next = tokens[i + 1];
  const after = tokens[i + 2];
  // Two number words on one side at least: "five to six" is a time, "eight three for two" digits.
  const before = i > 1 && isNumeric(tokens[i - 1]!) && isNumeric(tokens[i - 2]!);
  // Last in its utterance or line, after three number words: "… two eight oh zero to", "… nine four ate"
  // (text is given where runs are read: a line break ends the number).
  if (next === undefined || (text !== undefined && text.slice(tokens[i]!.end, next.start).includes('\n'))) return text !== undefined && before && i > 2 && isNumeric(tokens[i - 3]!);
  if (!(next.lower in UNITS) || next.lower === 'o') return false;
  if (w === 'ate') return before;
  const afterIsDigit = after !== undefined && after.lower in UNITS;
  // "to" is a range as often as a digit ("seven thirty to six monday"): it needs digits after it too.
  if (w === 'to' || w === 'too') return afterIsDigit || (before && after === undefined);
  return before || afterIsDigit;
}

function continuesRun(tokens: readonly Token[], i: number, text: string): boolean {
  const t = tokens[i]!;
  if (isNumeric(t)) return true;
  if (isHomophone(tokens, i, text) && i > 0 && isNumeric(tokens[i - 1]!)) return true;
  if (t.lower === 'and' && tokens[i - 1] && /^(?:hundred|thousand)$/.test(tokens[i - 1]!.lower)) return true;
  if (isLetter(t)) return true;
  return false;
}

/** Appends the digits `s` to `out`: after a pending "five hundred", or repeated ("double four"). */
function append(out: string, s: string, pendingScale: string, scaleWidth: number, repeat: number): string {
  if (pendingScale) return out + pendingScale + s.padStart(scaleWidth, '0');
  return out + (repeat === 1 ? s : s.repeat(repeat));
}

function convert(tokens: readonly Token[], from: number, to: number): Omit<NumberRun, 'start' | 'end' | 'firstToken' | 'lastToken'> | undefined {
  let out = '';
  let digits = 0;
  let letters = 0;
  let spoken = true;
  let repeat = 1;
  let pendingScale = ''; // "5" of "five hundred" waiting for its tens and units
  let scaleWidth = 0;
  for (let k = from; k <= to; k++) {
    const t = tokens[k]!;
    const w = t.lower;
    // "as in king", "like king" after a spelled letter says which letter; it adds none.
    const aid = k > from ? aidAfter(tokens, k - 1) : 0;
    if (aid > 0 && k - 1 + aid <= to) {
      k += aid - 1;
      continue;
    }
    if (t.isDigits) {
      spoken = false;
      out = append(out, t.text, pendingScale, scaleWidth, repeat);
      pendingScale = '';
      repeat = 1;
    } else if (w in REPEAT) {
      repeat = REPEAT[w]!;
    } else if (w in UNITS) {
      out = append(out, String(UNITS[w]), pendingScale, scaleWidth, repeat);
      pendingScale = '';
      repeat = 1;
    } else if (w in TEENS) {
      out = append(out, String(TEENS[w]), pendingScale, scaleWidth, repeat);
      pendingScale = '';
      repeat = 1;
    } else if (w in TENS) {
      const next = tokens[k + 1];
      let value = TENS[w]!;
      if (next && k + 1 <= to && next.lower in UNITS && next.lower !== 'oh' && next.lower !== 'o' && next.lower !== 'zero') {
        value += UNITS[next.lower]!;
        k++;
      }
      out = append(out, String(value), pendingScale, scaleWidth, repeat);
      pendingScale = '';
      repeat = 1;
    } else if (w === 'hundred' || w === 'thousand') {
      const width = w === 'hundred' ? 2 : 3;
      const lastDigit = out.length > 0 ? out[out.length - 1]! : '1';
      if (out.length > 0) out = out.slice(0, -1);
      // "five hundred" alone is 500; "five hundred twelve" is 512.
      const next = tokens[k + 1];
      const nextNext = next?.lower === 'and' ? tokens[k + 2] : next;
      if (nextNext && k + 1 <= to && (nextNext.lower in UNITS || nextNext.lower in TEENS || nextNext.lower in TENS) && nextNext.lower !== 'oh') {
        pendingScale = lastDigit;
        scaleWidth = width;
      } else out += lastDigit + '0'.repeat(width);
    } else if (w === 'and') {
      continue;
    } else if (w === 'to' || w === 'too' || w === 'for' || w === 'ate') {
      out = append(out, w === 'for' ? '4' : w === 'ate' ? '8' : '2', pendingScale, scaleWidth, repeat);
      pendingScale = '';
      repeat = 1;
    } else if (t.text.length === 1) {
      out += t.text.toUpperCase();
      letters++;
      continue;
    }
  }
  if (pendingScale) out += pendingScale + '0'.repeat(scaleWidth);
  for (const ch of out) if (ch >= '0' && ch <= '9') digits++;
  if (digits === 0) return undefined;
  return { value: out, digitCount: digits, letterCount: letters, isSpoken: spoken };
}
