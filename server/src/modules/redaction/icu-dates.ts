/**
 * Dates of case-management and event notes that the short-date rules leave out (R-DATA-2, issue 30), chosen on
 * clinical-notes-g's dev split: ranges of two month/days ("d/c to rehab 4/6-5/14"), a month's name and two days
 * ("Jul 26-29"), a month/day that a range or a weekday makes a date ("(DCH) 5-26 to 7/19", "from 12/1 to 2/3",
 * "Thursday 4-21", "readdress 5-17"). Called from findIcuNotes (icu-notes.ts); only in clinical notes.
 */
import { firstTokenAt } from './evidence.ts';
import { WORD } from './gazetteer.ts';
import { candidate, type Candidate } from './resolution.ts';
import type { Token } from './tokens.ts';

const MD = '(0?[1-9]|1[0-2])/(0?[1-9]|[12]\\d|3[01])';
/** Two month/days joined by a hyphen: "4/6-5/14". */
const MD_RANGE = new RegExp(`(?<![\\w/.-])${MD}-${MD}(?![\\w/%-]|[.,]\\d)`, 'g');
/** A month's name, a day, a hyphen and a later day: "Jul 26-29", "Sep. 5-7". */
const MONTH_DAYS = /\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?[ \t](\d{1,2})-(\d{1,2})\b(?![/-]\d)/gi;
/** A month-day with a hyphen or a slash before "to" and a date: "5-26 to 7/19", "12/1 to 2/3", "8-28 to 8/29". */
const MD_TO_DATE = /(?<![\w/.-])(0?[1-9]|1[0-2])([-/])(0?[1-9]|[12]\d|3[01])[ \t]+to[ \t]+(?:(0?[1-9]|1[0-2])\/(0?[1-9]|[12]\d|3[01])|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ \t]\d)(?![\w/%-]|[.,]\d)/gi;
/** Words before which a hyphenated month-day is a date here ("Thursday 4-21", "readdress 5-17", "available 8-2"). */
const HYPHEN_LEADS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'mon', 'tues', 'wed', 'thurs', 'fri', 'sat', 'sun', 'readdress', 'available', 'avail']);
const MD_HYPHEN = /(?<![\w/.-])(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])(?![\w/%-]|[.,:]\d)/g;

/** A pair that reads as a fraction or a count ("1/2", "2/4"): no date on its own. */
const small = (m: number, d: number) => d <= 4 && m <= d;

function measureBefore(tokens: readonly Token[], at: number): boolean {
  const prev = tokens[firstTokenAt(tokens, at) - 1];
  return prev !== undefined && ((prev.flags & WORD.MEASURE) !== 0 || prev.isDigits);
}

/** The regexes above, sticky, tried only where a match can start. */
const sticky = (re: RegExp) => new RegExp(re.source, re.flags.replace('g', '') + 'y');
const MD_RANGE_AT = sticky(MD_RANGE);
const MD_TO_DATE_AT = sticky(MD_TO_DATE);
const MONTH_DAYS_AT = sticky(MONTH_DAYS);
const MD_HYPHEN_AT = sticky(MD_HYPHEN);
const MONTHS = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']);
const isDigit = (c: number) => c >= 48 && c <= 57;

export function icuDates(text: string, tokens: readonly Token[], out: Candidate[]): void {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const c0 = text.charCodeAt(t.start);
    if (isDigit(c0)) {
      // A month/day or month-day starts here: one or two digits, then "/" or "-" ("4/6-5/14", "5-26 to 7/19").
      const sep = isDigit(text.charCodeAt(t.start + 1)) ? t.start + 2 : t.start + 1;
      const c = text.charCodeAt(sep);
      if ((c === 47 || c === 45) && isDigit(text.charCodeAt(sep + 1))) {
        if (c === 47) {
          MD_RANGE_AT.lastIndex = t.start;
          const m = MD_RANGE_AT.exec(text);
          if (m) range(m, tokens, out);
        }
        MD_TO_DATE_AT.lastIndex = t.start;
        const m = MD_TO_DATE_AT.exec(text);
        if (m && !measureBefore(tokens, m.index)) toDate(m, out);
      }
      continue;
    }
    const n = tokens[k + 1];
    if (n === undefined || !isDigit(text.charCodeAt(n.start))) continue;
    if (t.lower.length >= 3 && MONTHS.has(t.lower.slice(0, 3))) {
      MONTH_DAYS_AT.lastIndex = t.start;
      const m = MONTH_DAYS_AT.exec(text);
      if (m) monthDays(m, out);
    }
    if (HYPHEN_LEADS.has(t.lower)) {
      MD_HYPHEN_AT.lastIndex = n.start;
      const m = MD_HYPHEN_AT.exec(text);
      if (m && !small(Number(m[1]), Number(m[2]))) out.push(candidate('shortDate', m.index, m.index + m[0].length, 'DATE', 0.7));
    }
  }
}

function range(m: RegExpExecArray, tokens: readonly Token[], out: Candidate[]): void {
  const [m1, d1, m2, d2] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  // Later than the first, or across the new year; no fractions, no measure before ("PSV 10/5-12/5").
  if (small(m1, d1) || small(m2, d2) || measureBefore(tokens, m.index) || !(m2 > m1 || (m2 === m1 && d2 > d1) || (m1 >= 11 && m2 <= 2))) return;
  const mid = m.index + m[0].indexOf('-');
  out.push(candidate('shortDate', m.index, mid, 'DATE', 0.75));
  out.push(candidate('shortDate', mid + 1, m.index + m[0].length, 'DATE', 0.75));
}

function toDate(m: RegExpExecArray, out: Candidate[]): void {
  const first = m[0].search(/[ \t]/);
  out.push(candidate('shortDate', m.index, m.index + first, 'DATE', 0.75));
  if (m[4] !== undefined) out.push(candidate('shortDate', m.index + m[0].length - m[4].length - 1 - m[5]!.length, m.index + m[0].length, 'DATE', 0.75));
}

function monthDays(m: RegExpExecArray, out: Candidate[]): void {
  const [d1, d2] = [Number(m[2]), Number(m[3])];
  if (d1 < 1 || d2 > 31 || d2 <= d1) return;
  const hyphen = m.index + m[0].lastIndexOf('-');
  out.push(candidate('shortDate', m.index, hyphen, 'DATE', 0.75));
  out.push(candidate('shortDate', hyphen + 1, m.index + m[0].length, 'DATE', 0.75));
}
