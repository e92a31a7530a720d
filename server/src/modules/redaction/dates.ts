/**
 * Dates (R-DATA-2; Safe Harbor: every element of a date except the year) in written and spoken form:
 * "March 3, 1951", "3 Mar 1951", "march third nineteen fifty one", "the fifteenth of june".
 */
import { WORD } from './gazetteer.ts';
import { words } from './lookup.ts';
import type { NumberRun } from './spoken-numbers.ts';
import type { Token } from './tokens.ts';

const MONTHS = words({
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6, july: 7, jul: 7,
  august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
});
/** Month names that are also everyday words or names: they need a day or a year beside them. */
const AMBIGUOUS_MONTHS = new Set(['may', 'march', 'mar', 'june', 'jun', 'july', 'august', 'aug', 'jan', 'dec', 'oct', 'sep', 'nov', 'apr', 'jul', 'feb', 'sept', 'april']);
const WEEKDAYS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);

const ORDINAL_UNITS = words({
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9,
});
const ORDINALS = words({
  ...ORDINAL_UNITS, tenth: 10, eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16,
  seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
});

export const DATE_WORDS: ReadonlySet<string> = new Set([...Object.keys(MONTHS), ...WEEKDAYS]);

const CARDINAL_UNITS = words({ one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 });
const CARDINAL_TEENS = words({
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
});
const TENS = words({ twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 });
/** Words before "the twenty ninth" that make it a day: "on", "for", "from", "is", "booked for"… */
const BARE_DAY_BEFORE = new Set(['on', 'for', 'from', 'is', 'since', 'until', 'till', 'by', 'before', 'after', 'have', 'has', 'see', 'booked', 'there', 'theres', 'available', 'opening', 'about', 'in', 'to', 'move', 'moved', 'rescheduled', 'reschedule', 'of', 'was', 'would', 'does', 'do', 'how', 'try']);
/** Words after it: a time ("at", "in the morning"), an alternative ("or"), or the end of the sentence. */
const BARE_DAY_AFTER = new Set(['at', 'in', 'or', 'and', 'would', 'works', 'work', 'then', 'is', 'was', 'could', 'but', 'please', 'with', 'instead', 'okay', 'ok', 'right', 'so', 'if', 'does', 'do', 'when', 'morning', 'afternoon', 'evening', 'it', 'you', "you'll", "you're", 'we', "we'll", 'i', "i'll", 'he', 'she', 'they']);
/** "on Tuesday morning" is one day; "a Wednesday afternoon", "every Monday", "Monday through Friday" are not. */
const PART_OF_DAY = new Set(['morning', 'afternoon', 'evening', 'night']);

export interface DateMatch {
  start: number;
  end: number;
}

/** A day at token i: "3", "3rd", "third", "twenty third", "twenty-third". Returns the last token index. */
function dayAt(tokens: readonly Token[], i: number): number | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  const c = t.lower.charCodeAt(0);
  if (c >= 48 && c <= 57) return /^(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?$/.test(t.lower) ? i : undefined;
  if (t.lower in ORDINALS) return i;
  if (!t.lower.includes('-')) return (t.lower === 'twenty' || t.lower === 'thirty') && tokens[i + 1] && tokens[i + 1]!.lower in ORDINAL_UNITS ? i + 1 : undefined;
  const parts = t.lower.split('-');
  if (parts.length === 2 && /^(?:twenty|thirty)$/.test(parts[0]!) && parts[1]! in ORDINAL_UNITS) return i;
  if (/^(?:twenty|thirty)$/.test(t.lower) && tokens[i + 1] && tokens[i + 1]!.lower in ORDINAL_UNITS) return i + 1;
  return undefined;
}

/** A day said as a cardinal after a month ("march two", "february twenty eight"). Returns the last token index. */
function cardinalDayAt(tokens: readonly Token[], i: number): number | undefined {
  const w = tokens[i]?.lower;
  if (w === undefined) return undefined;
  if (w in CARDINAL_UNITS || w in CARDINAL_TEENS) return i;
  if (w === 'twenty' || w === 'thirty') {
    const next = tokens[i + 1]?.lower;
    if (next !== undefined && next in CARDINAL_UNITS && (w === 'twenty' || next === 'one')) return i + 1;
    return i;
  }
  return undefined;
}

/** Tens and units said as words ("forty eight", "sixty", "oh five"): the last token index, or undefined. */
function twoDigitWordsAt(tokens: readonly Token[], i: number): number | undefined {
  const w = tokens[i]?.lower;
  if (w === undefined) return undefined;
  if (w in CARDINAL_TEENS) return i;
  if (w === 'oh' && (tokens[i + 1]?.lower ?? '') in CARDINAL_UNITS) return i + 1;
  if (w in TENS) return (tokens[i + 1]?.lower ?? '') in CARDINAL_UNITS ? i + 1 : i;
  return undefined;
}

/**
 * A year at token i: digits, a spoken run worth 1900–2099 ("nineteen fifty one", "two thousand and
 * four"), or, right after a day, a spoken two-digit year ("april seventeenth forty eight").
 */
function yearAt(tokens: readonly Token[], i: number, runsByToken: ReadonlyMap<number, NumberRun>, afterDay = false): number | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  if (t.isDigits && /^(?:1[89]\d\d|2[01]\d\d|'?\d\d)$/.test(t.text)) return i;
  const run = runsByToken.get(i);
  if (run && run.letterCount === 0 && /^(?:1[89]\d\d|20\d\d)$/.test(run.value)) return run.lastToken;
  if (t.lower === 'nineteen' || t.lower === 'twenty') {
    const rest = twoDigitWordsAt(tokens, i + 1);
    if (rest !== undefined) return rest;
  }
  if (t.lower === 'two' && tokens[i + 1]?.lower === 'thousand') {
    // "two thousand", "two thousand eleven", "two thousand and five".
    const k = tokens[i + 2]?.lower === 'and' ? i + 3 : i + 2;
    const w = tokens[k]?.lower ?? '';
    if (w in CARDINAL_UNITS) return k;
    return twoDigitWordsAt(tokens, k) ?? i + 1;
  }
  if (afterDay) return twoDigitWordsAt(tokens, i);
  return undefined;
}

function skipComma(text: string, tokens: readonly Token[], i: number): boolean {
  const prev = tokens[i - 1];
  const cur = tokens[i];
  if (!prev || !cur) return false;
  const gap = text.slice(prev.end, cur.start);
  return /^[ ,.]{1,3}$/.test(gap) || gap === ' of ';
}

/**
 * The gap between a day and the month after it: a space, " of ", or a day's period before a capitalised
 * month ("3. Mai"); a comma or a sentence's end before a lower-case word ("mag > 2. may need", "k > 4, mag > 2,
 * may") is no date.
 */
function dayBeforeMonth(text: string, tokens: readonly Token[], i: number, month: Token): boolean {
  const prev = tokens[i - 1];
  const cur = tokens[i];
  if (!prev || !cur) return false;
  const gap = text.slice(prev.end, cur.start);
  return gap === ' ' || gap === ' of ' || gap === '-' || ((gap === '. ' || gap === '.') && month.isCap);
}

export function findDates(text: string, tokens: readonly Token[], runsByToken: ReadonlyMap<number, NumberRun>): DateMatch[] {
  const out: DateMatch[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if ((t.flags & WORD.DATE) === 0) continue;
    const month = MONTHS[t.lower];
    // A weekday alone is no element of a date ("open monday through friday"); one day is ("on Tuesday morning").
    if (month === undefined) {
      const before = tokens[i - 1]?.lower;
      if (PART_OF_DAY.has(tokens[i + 1]?.lower ?? '') && before !== 'a' && before !== 'every' && before !== 'each') out.push({ start: t.start, end: t.end });
      continue;
    }
    if (t.lower.length <= 4 && t.lower !== 'may' && t.lower !== 'june' && t.lower !== 'july' && !t.isCap && text[t.end] !== '.') {
      // "mar", "jan" lower case are rarely months in speech; keep them for written text, or after a day ("23 feb").
      if (!/\d/.test(text.slice(t.end, t.end + 4)) && !(tokens[i - 1]?.isDigits && tokens[i - 1]!.end === t.start - 1)) continue;
    }
    let start = t.start;
    let last = i;
    let hasDay = false;
    let hasYear = false;
    // [the] DAY [of] MONTH
    let b = i - 1;
    if (tokens[b]?.lower === 'of') b--;
    const dayBefore = b >= 0 ? dayBackward(tokens, b) : undefined;
    if (dayBefore !== undefined && dayBeforeMonth(text, tokens, b + 1, t)) {
      hasDay = true;
      start = tokens[dayBefore]!.start;
      if (tokens[dayBefore - 1]?.lower === 'the') start = tokens[dayBefore - 1]!.start;
    }
    // MONTH [the] DAY
    let n = i + 1;
    if (!hasDay) {
      if (tokens[n]?.lower === 'the') n++;
      // A cardinal day ("march two") unless the words are a year ("october nineteen sixty one").
      const spokenYear = tokens[n]?.isDigits ? undefined : yearAt(tokens, n, runsByToken);
      const d = dayAt(tokens, n) ?? (spokenYear === undefined || spokenYear === n ? cardinalDayAt(tokens, n) : undefined);
      if (d !== undefined && skipComma(text, tokens, n) && !(tokens[n]!.isDigits && yearAt(tokens, n, runsByToken) !== undefined && tokens[n]!.text.length === 4)) {
        hasDay = true;
        last = d;
        n = d + 1;
      }
    }
    // [,] YEAR
    const y = yearAt(tokens, n, runsByToken, hasDay);
    // Two digits before a colon are the hour of a time ("August 26th 16:20"), no year.
    if (y !== undefined && skipComma(text, tokens, n) && !(tokens[y]!.text.length === 2 && text.charCodeAt(tokens[y]!.end) === 58)) {
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
  bareDays(text, tokens, out);
  return out;
}

/**
 * "the twenty ninth at one o'clock", "labs from the third": an ordinal day after "the", when the word
 * before is one that dates follow ("on", "for", "from", "is") and the word after ends it or gives a time.
 */
function bareDays(text: string, tokens: readonly Token[], out: DateMatch[]): void {
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i]!.lower !== 'the') continue;
    const d = dayAt(tokens, i + 1);
    if (d === undefined || tokens[i + 1]!.isDigits) continue;
    const next = tokens[d + 1];
    // "the eleventh at nine fifteen": a time after it makes it a day whatever came before.
    const at = tokens[d + 2];
    const timed = next?.lower === 'at' && at !== undefined && (at.isDigits || (at.flags & WORD.NUMBER) !== 0);
    if (!timed && (i === 0 || !BARE_DAY_BEFORE.has(tokens[i - 1]!.lower))) continue;
    const endsHere = !next || /[.,;!?\n]/.test(text.slice(tokens[d]!.end, next.start));
    if (!endsHere && !BARE_DAY_AFTER.has(next.lower)) continue;
    if (out.some((m) => m.start <= tokens[d]!.start && tokens[i]!.start < m.end)) continue;
    out.push({ start: tokens[i]!.start, end: tokens[d]!.end });
    i = d;
  }
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

/** A plausible day of a month and year of birth or of care, as digits: "14", "1986", "86". */
const validDay = (d: number) => d >= 1 && d <= 31;
const validYear = (y: string) => y.length === 2 || /^(?:19|20)\d\d$/.test(y);

/**
 * Dates said as digits in a call (issue 30): "four slash nineteen slash seventy eight", "eleven slash six
 * slash two thousand and three" (month, day and year between "slash"es), and a month before its day and
 * year said digit by digit ("november one four one nine eight six", "july zero two one nine three four").
 */
export function spokenDigitDates(tokens: readonly Token[], runs: readonly NumberRun[]): DateMatch[] {
  const out: DateMatch[] = [];
  for (let k = 0; k < runs.length; k++) {
    const r = runs[k]!;
    if (r.letterCount > 0) continue;
    const a = runs[k + 1];
    const b = runs[k + 2];
    // month slash day slash year
    if (a && b && a.letterCount === 0 && b.letterCount === 0 && tokens[r.lastToken + 1]?.lower === 'slash' && a.firstToken === r.lastToken + 2 && tokens[a.lastToken + 1]?.lower === 'slash' && b.firstToken === a.lastToken + 2) {
      const m = Number(r.value);
      if (r.value.length <= 2 && m >= 1 && m <= 12 && a.value.length <= 2 && validDay(Number(a.value)) && validYear(b.value)) {
        out.push({ start: r.start, end: b.end });
        k += 2;
        continue;
      }
    }
    // month, then day and year digit by digit
    const month = tokens[r.firstToken - 1];
    if (month === undefined || !(month.lower in MONTHS) || month.end + 1 !== r.start || (r.value.length !== 5 && r.value.length !== 6)) continue;
    const dayLength = r.value.length - 4;
    if (validDay(Number(r.value.slice(0, dayLength))) && validYear(r.value.slice(dayLength))) out.push({ start: month.start, end: r.end });
  }
  return out;
}
