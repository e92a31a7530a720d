/**
 * Dates (R-DATA-2; Safe Harbor: every element of a date except the year) in written and spoken form:
 * "March 3, 1951", "3 Mar 1951", "march third nineteen fifty one", "the fifteenth of june".
 */
import { WORD } from './gazetteer.ts';
import type { NumberRun } from './spoken-numbers.ts';
import type { Token } from './tokens.ts';

const MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6, july: 7, jul: 7,
  august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
};
/** Month names that are also everyday words or names: they need a day or a year beside them. */
const AMBIGUOUS_MONTHS = new Set(['may', 'march', 'mar', 'june', 'jun', 'july', 'august', 'aug', 'jan', 'dec', 'oct', 'sep', 'nov', 'apr', 'jul', 'feb', 'sept', 'april']);
const WEEKDAYS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);

const ORDINAL_UNITS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9,
};
const ORDINALS: Record<string, number> = {
  ...ORDINAL_UNITS, tenth: 10, eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16,
  seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
};

export const DATE_WORDS: ReadonlySet<string> = new Set([...Object.keys(MONTHS), ...WEEKDAYS]);

export interface DateMatch {
  start: number;
  end: number;
}

/** A day at token i: "3", "3rd", "third", "twenty third", "twenty-third". Returns the last token index. */
function dayAt(tokens: readonly Token[], i: number): number | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  if (/^(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?$/.test(t.lower)) return i;
  if (t.lower in ORDINALS) return i;
  const parts = t.lower.split('-');
  if (parts.length === 2 && /^(?:twenty|thirty)$/.test(parts[0]!) && parts[1]! in ORDINAL_UNITS) return i;
  if (/^(?:twenty|thirty)$/.test(t.lower) && tokens[i + 1] && tokens[i + 1]!.lower in ORDINAL_UNITS) return i + 1;
  return undefined;
}

/** A year at token i (digits, or a spoken run worth 1900–2099 or a two-digit "fifty one"). */
function yearAt(tokens: readonly Token[], i: number, runsByToken: ReadonlyMap<number, NumberRun>): number | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  if (t.isDigits && /^(?:1[89]\d\d|20\d\d|'?\d\d)$/.test(t.text)) return i;
  const run = runsByToken.get(i);
  if (run && run.letterCount === 0 && /^(?:1[89]\d\d|20\d\d)$/.test(run.value)) return run.lastToken;
  return undefined;
}

function skipComma(text: string, tokens: readonly Token[], i: number): boolean {
  const prev = tokens[i - 1];
  const cur = tokens[i];
  if (!prev || !cur) return false;
  const gap = text.slice(prev.end, cur.start);
  return /^[ ,.]{1,3}$/.test(gap) || gap === ' of ';
}

export function findDates(text: string, tokens: readonly Token[], runsByToken: ReadonlyMap<number, NumberRun>): DateMatch[] {
  const out: DateMatch[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if ((t.flags & WORD.DATE) === 0) continue;
    const month = MONTHS[t.lower];
    if (month === undefined) {
      if (WEEKDAYS.has(t.lower)) out.push({ start: t.start, end: t.end });
      continue;
    }
    if (t.lower.length <= 4 && t.lower !== 'may' && t.lower !== 'june' && t.lower !== 'july' && !t.isCap && text[t.end] !== '.') {
      // "mar", "jan" lower case are rarely months in speech; keep them for written text.
      if (!/\d/.test(text.slice(t.end, t.end + 4))) continue;
    }
    let start = t.start;
    let last = i;
    let hasDay = false;
    let hasYear = false;
    // [the] DAY [of] MONTH
    let b = i - 1;
    if (tokens[b]?.lower === 'of') b--;
    const dayBefore = b >= 0 ? dayBackward(tokens, b) : undefined;
    if (dayBefore !== undefined && skipComma(text, tokens, b + 1)) {
      hasDay = true;
      start = tokens[dayBefore]!.start;
      if (tokens[dayBefore - 1]?.lower === 'the') start = tokens[dayBefore - 1]!.start;
    }
    // MONTH [the] DAY
    let n = i + 1;
    if (!hasDay) {
      if (tokens[n]?.lower === 'the') n++;
      const d = dayAt(tokens, n);
      if (d !== undefined && skipComma(text, tokens, n) && !(tokens[n]!.isDigits && yearAt(tokens, n, runsByToken) !== undefined && tokens[n]!.text.length === 4)) {
        hasDay = true;
        last = d;
        n = d + 1;
      }
    }
    // [,] YEAR
    const y = yearAt(tokens, n, runsByToken);
    if (y !== undefined && skipComma(text, tokens, n)) {
      hasYear = true;
      last = y;
    }
    const ambiguous = AMBIGUOUS_MONTHS.has(t.lower);
    if (!hasDay && !hasYear && (ambiguous || !t.isCap && t.lower !== 'january' && t.lower !== 'february')) {
      if (!(t.isCap && !ambiguous)) continue;
    }
    out.push({ start, end: tokens[last]!.end });
    i = last;
  }
  return out;
}

/** The first token of a day that ends at token i ("twenty third" ends at "third"). */
function dayBackward(tokens: readonly Token[], i: number): number | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  if (t.lower in ORDINAL_UNITS && /^(?:twenty|thirty)$/.test(tokens[i - 1]?.lower ?? '')) return i - 1;
  if (t.lower in ORDINALS || /^(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?$/.test(t.lower)) return i;
  if (dayAt(tokens, i) === i) return i;
  return undefined;
}
