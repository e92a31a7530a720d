/**
 * Dates and phones that clinical notes write short (R-DATA-2), split from clinical.ts: month/day without a year
 * ("3/14", "11/2"), month-day with a hyphen after a word that dates follow ("on 3-15"), two-digit years after an
 * apostrophe ("CABG '97"), and an area code, a slash and seven digits ("617/557 1282"). Each regex is tried,
 * sticky, only where a match can start (a separator's digits, an apostrophe, a slash), not at every character.
 */
import { CH } from './chars.ts';
import type { ClinicalContext } from './clinical.ts';
import { firstTokenAt } from './evidence.ts';
import { WORD } from './gazetteer.ts';
import { candidate, type Candidate } from './resolution.ts';
import type { Token } from './tokens.ts';

/** Month/day without a year: "3/14", "11/2". */
const MONTH_DAY = /(?<![\w/.-])(0?[1-9]|1[0-2])\/(0?[1-9]|[12]\d|3[01])(?![\w/%]|[.,]\d|-\d)/g;
/** Month-day with a hyphen ("3-15", "10-21"): a date only after a word that dates follow, or before a time of day. */
const MONTH_DAY_HYPHEN = /(?<![\w/.-])(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])(?![\w/%-]|[.,:]\d)/g;
const DATE_LEAD = new Set(['on', 'from', 'since', 'until', 'till', 'by', 'faxed', 'recheck', 'rechecked', 'admitted', 'admit', 'dated', 'for', 'before', 'after', 'seen', 'due', 'scheduled', 'sent', 'drawn', 'cx', 'bcx', 'ucx', 'encounter', 'note', 'call', 'back', 'started', 'placed', 'done', 'last', 'changed', 'inserted', 'removed', 'replaced', 'pulled', 'intubated', 'extubated', 'reintubated', 'trached']);
/** A unit or a count after a range ("2-3 L", "1-2 tabs", "3-4 days"): no date. */
const UNIT_AFTER_RANGE = /^\s*(?:l|liters?|lpm|days?|d|weeks?|wks?|hours?|hrs?|h|minutes?|mins?|times|x|units?|pts?|points?|beats|breaths|cm|mm|kg|g|lbs?|%)\b/i;
const TIME_OF_DAY_AFTER = /^ (?:[01]?\d|2[0-3]):?[0-5]\d\b/;
/** A two-digit year after an apostrophe: "CABG '97", "in '03". */
const APOSTROPHE_YEAR = /(?<=[\s(])['’](\d\d)(?![\w'’])/g;
/** Words after which "n/n" is a measure, a score or a fraction, not a date. */
const MEASURE_AFTER = /^\s*(?:tabs?|tablets?|caps?|mg|ml|cc|units?|strength|dose|of|times|cm|mm|scale)\b/i;

/** A month/day, with a year or not, and a dash or "to" before a date: "zosyn 6/1 - 9/4", "vanc 11/16/03 - 3/14". */
const DATE_RANGE_BEFORE = /(?<![\w/.])(0?[1-9]|1[0-2])\/(0?[1-9]|[12]\d|3[01])(?:\/(?:\d{4}|\d\d))?[ \t]*(?:-|to|thru|through)[ \t]*$/i;

/** Whether the month/day at `at` ends a range that starts at a date, not after a measure ("PSV 10/5 - 12/5"). */
function rangeFromDate(text: string, tokens: readonly Token[], at: number): boolean {
  const from = Math.max(0, at - 24);
  const m = DATE_RANGE_BEFORE.exec(text.slice(from, at));
  if (!m) return false;
  const before = previousToken(tokens, from + m.index);
  return before === undefined || ((before.flags & WORD.MEASURE) === 0 && !before.isDigits);
}

/** The regexes above, sticky, tried where a match can start (`atSeparators`, the apostrophes in shortDates). */
const MONTH_DAY_AT = sticky(MONTH_DAY);
const MONTH_DAY_HYPHEN_AT = sticky(MONTH_DAY_HYPHEN);
const APOSTROPHE_YEAR_AT = sticky(APOSTROPHE_YEAR);

function sticky(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.replace('g', '') + 'y');
}

const isDigit = (c: number) => c >= CH.DIGIT_0 && c <= CH.DIGIT_9;

/**
 * What the global `re` finds, for MONTH_DAY and MONTH_DAY_HYPHEN (`re` their sticky forms): a match starts at
 * the first of one or two digits right before the separator `sep` (the lookbehind refuses a digit before the
 * month), so the sticky regex is tried there, at each separator in turn; a match holds one separator and ends
 * before a character that is no digit, so no match covers the next one's start.
 */
function atSeparators(text: string, sep: string, re: RegExp, fn: (m: RegExpExecArray) => void): void {
  for (let p = text.indexOf(sep); p >= 0; p = text.indexOf(sep, p + 1)) {
    let r = p;
    while (r > 0 && r > p - 3 && isDigit(text.charCodeAt(r - 1))) r--;
    if (r === p || r === p - 3) continue;
    re.lastIndex = r;
    const m = re.exec(text);
    if (m) fn(m);
  }
}

export function shortDates(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  if (text.includes('/')) {
    atSeparators(text, '/', MONTH_DAY_AT, (m) => {
      const month = Number(m[1]);
      const day = Number(m[2]);
      // Fractions and "secondary to": 1/2, 2/3, 3/4, 2/2.
      if (day <= 4 && month <= day) return;
      const end = m.index + m[0].length;
      if (MEASURE_AFTER.test(text.slice(end, end + 12))) return;
      // A measure or score before it ("PSV 10/5", "pain 5/10", "GCS 3/15").
      const prev = previousToken(tokens, m.index);
      if (prev && ((prev.flags & WORD.MEASURE) !== 0 || (prev.isDigits && !rangeFromDate(text, tokens, m.index)))) return;
      out.push(candidate('shortDate', m.index, end, 'DATE', 0.75));
    });
  }
  if (ctx.genre === 'clinical' && text.includes('-')) {
    atSeparators(text, '-', MONTH_DAY_HYPHEN_AT, (m) => {
      const month = Number(m[1]);
      const day = Number(m[2]);
      // Small rising pairs are counts and ranges ("from 2-3", "1-4").
      if (day <= 4 && month <= day) return;
      const end = m.index + m[0].length;
      const after = text.slice(end, end + 12);
      if (MEASURE_AFTER.test(after) || UNIT_AFTER_RANGE.test(after)) return;
      const prev = previousToken(tokens, m.index);
      // After a word that dates follow, or after "last" and one word ("last bm 11-11"), or before a time.
      const lead = prev !== undefined && (DATE_LEAD.has(prev.lower) || previousToken(tokens, prev.start)?.lower === 'last');
      if (!lead && !TIME_OF_DAY_AFTER.test(after)) return;
      out.push(candidate('shortDate', m.index, end, 'DATE', 0.7));
    });
  }
  // A match starts at its apostrophe: tried at each one, "'" and "’" in the order they stand.
  let a = text.indexOf("'");
  let b = text.indexOf('’');
  while (a >= 0 || b >= 0) {
    const p = b < 0 || (a >= 0 && a < b) ? a : b;
    if (p === a) a = text.indexOf("'", a + 1);
    else b = text.indexOf('’', b + 1);
    APOSTROPHE_YEAR_AT.lastIndex = p;
    const m = APOSTROPHE_YEAR_AT.exec(text);
    if (m) out.push(candidate('shortDate', m.index + 1, m.index + m[0].length, 'DATE', 0.7));
  }
}

/**
 * An area code, a slash and seven digits, run together or three and four apart ("860/7851968", "617/557 1282"):
 * a phone in a note; no ratio, volume or result has this shape.
 */
const SLASH_PHONE_7 = /(?<![\d/.-])\(?[2-9]\d\d\)?\/(?:[2-9]\d{6}|[2-9]\d\d \d{4})(?![\d/-]|\.\d)/g;

const SLASH_PHONE_7_AT = sticky(SLASH_PHONE_7);

/**
 * SLASH_PHONE_7's matches, read at each slash after a digit or ")": a match holds one slash, and starts three
 * to five characters before it ("617/", "(617/", "617)/", "(617)/"); those starts are tried in order, from the
 * end of the last match on, as the global regex goes.
 */
export function slashPhones(text: string, out: Candidate[]): void {
  let from = 0;
  for (let p = text.indexOf('/'); p >= 0; p = text.indexOf('/', p + 1)) {
    const c = text.charCodeAt(p - 1);
    if (!isDigit(c) && c !== CH.CLOSE_PAREN) continue;
    for (let s = Math.max(from, p - 5); s <= p - 3; s++) {
      SLASH_PHONE_7_AT.lastIndex = s;
      const m = SLASH_PHONE_7_AT.exec(text);
      if (!m) continue;
      out.push(candidate('number', s, s + m[0].length, 'PHONE', 0.8));
      from = s + m[0].length;
      break;
    }
  }
}

/** The last token that ends at or before `offset`. */
function previousToken(tokens: readonly Token[], offset: number): Token | undefined {
  return tokens[firstTokenAt(tokens, offset) - 1];
}
