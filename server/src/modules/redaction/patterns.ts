/**
 * Written-form patterns (R-DATA-2): e-mail, URL, IP, SSN, cards and IBANs, MBI, NPI/DEA, phone and
 * other numbers, numeric dates and years, ages. Every regex here is linear (no nested quantifiers
 * over the same characters), so a hostile input cannot make redaction slow.
 */
import { CH } from './chars.ts';
import { extendTail } from './addresses.ts';
import { cueBefore } from './context.ts';
import { deaValid, ibanValid, luhnValid, mbiValid, npiValid, ssnValid } from './checksums.ts';
import type { Candidate, CandidateKind } from './resolution.ts';
import type { PhiLabel } from './types.ts';

const EMAIL = /[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.[a-z]{2,}/giu;
const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"'()\]]+[^\s<>"'()\].,;:!?]/gi;
const DOMAIN = /\b[a-z\d][a-z\d-]*(?:\.[a-z\d-]+)*\.(?:com|org|net|edu|gov|io|health|info|biz|us|co\.uk|ca|de|fr)(?:\/[^\s<>"']*[^\s<>"'.,;:!?])?(?![\w@.-])/gi;
/** A top-level domain after a dot: the cheap test before the DOMAIN regex. */
const DOMAIN_GATE = /\.(?:com|org|net|edu|gov|io|health|info|biz|us|co|ca|de|fr)\b/i;
const PHONE_EXTENSION = /^[\d-]+(?:x\d{1,6}|-[a-z]+)$/i;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.])/g;
const IPV6 = /(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}(?::[0-9a-f]{1,4}){1,6}(?![\w:])/gi;
/** What every IPv4 address holds (a digit, a dot, a digit): the cheap test before the IPV4 regex. */
const IPV4_GATE = /\d\.\d/;
/**
 * What every IPv6 address holds, a hex digit, a colon and a hex digit or a second colon ("fe80::1"):
 * the cheap test before the IPV6 regex, which tries every hex letter of the text ("NEURO: A&O" fails here).
 */
const IPV6_GATE = /[0-9a-f]:[0-9a-f:]/i;
const MAC = /\b(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}\b/gi;
const SSN_RE = /(?<![\d-])(\d{3})[- ](\d{2})[- ](\d{4})(?![\d-])/g;
const NUMBER = /(?<![\w@./-])(?:\+\d{1,3}[ .-]?)?(?:\(0\)[ ]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,19}(?:[ .-]\d{1,8}){0,6}(?:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,6})?(?![\w/]|-\d|\.\d)/gi;
const NUMERIC_DATE = /(?<![\w/.-])(?:(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|[12]\d|3[01])[/.-](?:1[89]\d\d|2[01]\d\d|\d\d)|(?:1[89]\d\d|2[01]\d\d)[/.-](?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|1[0-2])\/(?:1[89]\d\d|20\d\d))(?![\w/-]|\.\d)/g;
const TIME_AFTER = /^(?:[ T]|, | at )(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?: ?[ap]\.?m\.?)?(?![\w:])/i;
const YEAR = /(?<![\w$#.,/-])(?:19\d\d|20[0-4]\d)(?![\w%/-]|[.,]\d)/g;
const AGE_AFTER = /\b(\d{1,3})(?:[ -]?(?:years?|yrs?)[ -]?(?:old|of age)|[ -]?(?:yo|y\/o|y\.o\.)(?![\w]))/gi;
/** "she is 85", "turned 60", "at the age of 61": the number alone, unless a unit follows. */
export const AGE_LEAD = /(?:\b(?:turn(?:ed|s|ing)?|age of|(?:he|she|i|patient|who)(?:'s|'m| is| am| was))[ ]?)$/i;
export const AGE_UNIT_AFTER = /^[ -]*(?:%|percent|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years? ago|mg|mcg|ml|lbs?|pounds?|kg|dollars?|bucks|o'clock|am|pm|a\.m|p\.m|times|degrees?|feet|foot|inches|cm|of|in the|out of|dollars|cents|percent|thirty|fifteen|forty five)\b/i;
const AGE_LEAD_DIGITS = /\b(?:turn(?:ed|s|ing)?|age of|(?:he|she|i|patient|who)(?:'s|'m| is| am| was)) (\d{1,3})\b/gi;
const AGE_BEFORE = /\b(?:aged?|age:)[ ]?(\d{1,3})\b/gi;
const PO_BOX = /\b(?:\d{1,6} )?(?:P\.? ?O\.? ?Box|PSC|Unit|Box) \d{1,6}(?:,? ?Box \d{1,6})?(?:\s+(?:APO|FPO|DPO) (?:AA|AE|AP) \d{5})?/gi;
const MILITARY = /\b(?:APO|FPO|DPO) (?:AA|AE|AP) \d{5}\b/g;
const US_STATES = 'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY';
const CITY_STATE_ZIP = new RegExp(`\\b[A-Z][\\p{L}.'-]+(?: [A-Z][\\p{L}.'-]+){0,2},? (?:${US_STATES}) \\d{5}(?:-\\d{4})?\\b`, 'gu');

/**
 * Amounts and ranges with a unit or a decade ("1500cc", "30-40cc", "70-80s", "5mg"): no identifier. One
 * linear regex: digits, an optional range, then one unit.
 */
const MEASURE_SHAPE = /^\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?(?:s|cc|ml|l|mg|mcg|meq|g|kg|lbs?|u|units?|iu|cm|mm|mmhg|am|pm|hrs?|h|min|mins|px|k|gb|mb|x|bpm|mcg\/kg|%)$/i;
/**
 * A range of values or a shift ("120-130", "1900-0700", "98.6-101"): two numbers of one to four digits
 * joined by a hyphen, which a phone number ("555-1234") is not.
 */
const RANGE_SHAPE = /^\d{1,4}(?:\.\d+)?-\d{1,4}(?:\.\d+)?$/;
const SHORT_PHONE_SHAPE = /^\d{3}-\d{4}$/;
const DECIMAL = /^\d{1,5}\.\d{1,2}$/;

/** A range from low to high ("120-130", "30-40"), or a shift between two times of day ("1900-0700"). */
function isRange(raw: string): boolean {
  if (!RANGE_SHAPE.test(raw) || SHORT_PHONE_SHAPE.test(raw)) return false;
  const [a, b] = raw.split('-') as [string, string];
  // Two values of up to three digits ("108-106") are too short for a phone number either way.
  if (Number(b) >= Number(a) || (a.length <= 3 && b.length <= 3)) return true;
  const time = (t: string) => t.length === 4 && Number(t.slice(0, 2)) < 24 && Number(t.slice(2)) < 60;
  return time(a) && time(b);
}
/** A phone number with a slash after its area code ("617/555-1212"). */
const SLASH_PHONE = /(?<![\w/.-])\(?\d{3}\)?\/\d{3}-\d{4}(?![\w/-]|\.\d)/g;

function add(out: Candidate[], kind: CandidateKind, start: number, end: number, label: PhiLabel, confidence: number): void {
  if (end > start) out.push({ start, end, label, confidence, kind });
}

function each(re: RegExp, text: string, fn: (m: RegExpExecArray) => void): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    fn(m);
    if (m[0].length === 0) re.lastIndex++;
  }
}

/** Labels a bare number by its cue (`cueBefore` at its start), then by its shape. */
function numberLabel(cue: PhiLabel | undefined, raw: string, digits: string): { label: PhiLabel; confidence: number } | undefined {
  const n = digits.length;
  // A range or a shift with no cue before it is a measure, not an identifier.
  if (!cue && isRange(raw)) return undefined;
  // A decimal ("101.8", "3.25") is a measure or an amount.
  if (DECIMAL.test(raw)) return undefined;
  const phoneShaped = /^\+|\(|x|ext/i.test(raw) || /^\d{3}[ .-]\d{3}[ .-]\d{4}$/.test(raw) || /^\d{3}[ .-]\d{4}$/.test(raw);
  if (cue === 'SSN' && n === 9) return { label: 'SSN', confidence: 0.95 };
  if (cue && cue !== 'DATE' && cue !== 'AGE' && cue !== 'NAME' && cue !== 'EMAIL' && n >= 4) {
    return { label: cue === 'ADDRESS' && n !== 5 && n !== 9 ? 'ID' : cue, confidence: 0.85 };
  }
  if (cue === 'DATE' && n >= 6 && n <= 8 && !phoneShaped) return { label: 'DATE', confidence: 0.7 };
  if (n >= 13 && n <= 19 && !phoneShaped && luhnValid(digits)) return { label: 'ACCOUNT', confidence: 0.95 };
  if (n === 10 && npiValid(digits) && !/[ .()-]/.test(raw) && cue === 'ID') return { label: 'ID', confidence: 0.9 };
  if (phoneShaped && n >= 7 && n <= 15) return { label: 'PHONE', confidence: 0.9 };
  if (n >= 7 && n <= 13 && /[ .-]/.test(raw)) return { label: 'PHONE', confidence: 0.7 };
  if (n === 10 || n === 11) return { label: 'PHONE', confidence: 0.7 };
  if (n >= 6) return { label: 'ID', confidence: 0.7 };
  return undefined;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= CH.DIGIT_0 && c <= CH.DIGIT_9) || (c >= CH.UPPER_A && c <= CH.UPPER_Z) || (c >= CH.LOWER_A && c <= CH.LOWER_Z);
}

function isDigitCode(c: number): boolean {
  return c >= CH.DIGIT_0 && c <= CH.DIGIT_9;
}

/** How many ASCII digits `raw` holds (what `\d` matches). */
function digitCount(raw: string): number {
  let count = 0;
  for (let i = 0; i < raw.length; i++) if (isDigitCode(raw.charCodeAt(i))) count++;
  return count;
}

/** Last letters of AGE_LEAD_DIGITS' cues, lower case: turn, turned, turns, turning, age of, 's, 'm, is, am, was. */
const AGE_LEAD_ENDS = new Set<number>([CH.LOWER_N, CH.LOWER_D, CH.LOWER_S, CH.LOWER_G, CH.LOWER_F, CH.LOWER_M]);
const AFTER_DIGIT_AGE = 1;
const LEAD_DIGIT_AGE = 2;

/**
 * One pass over the digits for what the age regexes need, so that most texts skip them (the regexes are
 * case-insensitive over ASCII only, so folding an ASCII capital is all a test needs):
 * - `AFTER_DIGIT_AGE`: a digit, then a space, a hyphen or nothing, then a y ("85 yo", "85-year-old",
 *   "85 YEARS"), which every match of AGE_AFTER holds;
 * - `LEAD_DIGIT_AGE`: a cue's last letter, a space and a digit ("turned 60", "she is 85"), which every
 *   match of AGE_LEAD_DIGITS holds.
 */
function ageShapes(text: string): number {
  let found = 0;
  const n = text.length;
  for (let p = 0; p < n; p++) {
    if (!isDigitCode(text.charCodeAt(p))) continue;
    if (p >= 2 && text.charCodeAt(p - 1) === CH.SPACE && AGE_LEAD_ENDS.has(text.charCodeAt(p - 2) | CH.CASE_BIT)) found |= LEAD_DIGIT_AGE;
    let q = p + 1;
    const c = text.charCodeAt(q);
    if (c === CH.SPACE || c === CH.HYPHEN) q++;
    if ((text.charCodeAt(q) | CH.CASE_BIT) === CH.LOWER_Y) found |= AFTER_DIGIT_AGE;
  }
  return found;
}

/** Every ASCII digit: where `alnumIds` starts looking for a run (a run without three digits is no identifier). */
const DIGIT_AT = /\d/g;

/**
 * Identifiers of letters and digits ("A12-99B7", "ZX9931"): a run of ASCII letters and digits, inner
 * hyphens allowed, 6 to 25 characters, at least three digits and one letter, not touching another word
 * character. A hand-written scan (one pass, no backtracking) instead of a regex with lookaheads; it
 * jumps from digit to digit and reads only the runs that hold one, from the run's first character.
 */
function alnumIds(text: string, fn: (start: number, end: number, letters: number) => void): void {
  const n = text.length;
  DIGIT_AT.lastIndex = 0;
  for (let m = DIGIT_AT.exec(text); m; m = DIGIT_AT.exec(text)) {
    // Back to the run's first character: a hyphen belongs to a run only between two of its characters.
    let start = m.index;
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
    DIGIT_AT.lastIndex = i;
    const before = start > 0 ? text.charCodeAt(start - 1) : 32;
    const after = i < n ? text.charCodeAt(i) : 32;
    const len = i - start;
    if (before !== CH.UNDERSCORE && after !== CH.UNDERSCORE && len >= 6 && len <= 25 && digits >= 3 && letters >= 1) fn(start, i, letters);
  }
}

export function findPatterns(text: string): Candidate[] {
  const out: Candidate[] = [];
  // Cheap gates first: most utterances hold no '@', no ':' and no digit at all.
  const hasAt = text.includes('@');
  const hasDigit = /\d/.test(text);
  const hasDot = text.includes('.');
  const hasColon = text.includes(':');
  const hasDash = text.includes('-');
  if (hasAt) each(EMAIL, text, (m) => add(out, 'email', m.index, m.index + m[0].length, 'EMAIL', 0.99));
  if (hasDot && (text.includes('://') || /www\./i.test(text))) each(URL_RE, text, (m) => add(out, 'url', m.index, m.index + m[0].length, 'URL', 0.97));
  if (hasDot && DOMAIN_GATE.test(text)) each(DOMAIN, text, (m) => {
    if (text[m.index - 1] !== '@') add(out, 'domain', m.index, m.index + m[0].length, 'URL', 0.8);
  });
  if (!hasDigit) return out;
  if (hasDot && IPV4_GATE.test(text)) each(IPV4, text, (m) => add(out, 'ip', m.index, m.index + m[0].length, 'IP', 0.95));
  if (hasColon && text.indexOf(':') !== text.lastIndexOf(':') && IPV6_GATE.test(text)) each(IPV6, text, (m) => {
    if (/[a-f]/i.test(m[0]) || m[0].split(':').length >= 5) add(out, 'ip', m.index, m.index + m[0].length, 'IP', 0.9);
  });
  if (hasColon || hasDash) each(MAC, text, (m) => add(out, 'mac', m.index, m.index + m[0].length, 'DEVICE', 0.9));
  each(SSN_RE, text, (m) => {
    const digits = m[1]! + m[2]! + m[3]!;
    if (ssnValid(digits)) add(out, 'ssn', m.index, m.index + m[0].length, m[0].includes(' ') ? (cueBefore(text, m.index) ?? 'SSN') : (cueBefore(text, m.index) === 'LICENSE' ? 'LICENSE' : 'SSN'), 0.9);
  });
  if (hasDot || hasDash || text.includes('/')) each(NUMERIC_DATE, text, (m) => {
    // A time of day written with the date is part of the timestamp ("2000-04-16 11:34:35").
    const end = m.index + m[0].length;
    const time = TIME_AFTER.exec(text.slice(end, end + 16));
    add(out, 'numericDate', m.index, end + (time ? time[0].length : 0), 'DATE', 0.9);
  });
  if (text.includes('19') || text.includes('20')) each(YEAR, text, (m) => add(out, 'bareYear', m.index, m.index + m[0].length, 'DATE', 0.6));
  const ages = ageShapes(text);
  if ((ages & AFTER_DIGIT_AGE) !== 0) each(AGE_AFTER, text, (m) => add(out, 'age', m.index, m.index + m[1]!.length, 'AGE', 0.9));
  if ((ages & LEAD_DIGIT_AGE) !== 0) each(AGE_LEAD_DIGITS, text, (m) => {
    const end = m.index + m[0].length;
    if (!AGE_UNIT_AFTER.test(text.slice(end, end + 16)) && Number(m[1]) <= 125) add(out, 'age', end - m[1]!.length, end, 'AGE', 0.75);
  });
  each(AGE_BEFORE, text, (m) => add(out, 'age', m.index + m[0].length - m[1]!.length, m.index + m[0].length, 'AGE', 0.85));
  if (/box|psc|unit/i.test(text)) each(PO_BOX, text, (m) => {
    // The unit, town and postal code lines after it belong to it.
    if (/^(?:\d+ )?(?:P|PSC)/i.test(m[0]) || /APO|FPO|DPO/i.test(m[0])) add(out, 'poBox', m.index, extendTail(text, m.index + m[0].length), 'ADDRESS', 0.9);
  });
  if (/[ADF]PO /.test(text)) each(MILITARY, text, (m) => add(out, 'poBox', m.index, m.index + m[0].length, 'ADDRESS', 0.9));
  if (/[A-Z] \d{5}/.test(text)) each(CITY_STATE_ZIP, text, (m) => add(out, 'cityStateZip', m.index, m.index + m[0].length, 'ADDRESS', 0.85));
  alnumIds(text, (start, end, letters) => {
    const v = text.slice(start, end);
    // A phone number with its extension or its kind ("903-140-4508x769", "1693-Office") is the phone pattern's.
    if (PHONE_EXTENSION.test(v)) return;
    if (mbiValid(v)) return add(out, 'mbi', start, end, 'HEALTH_PLAN', 0.95);
    if (ibanValid(v)) return add(out, 'iban', start, end, 'ACCOUNT', 0.97);
    if (deaValid(v)) return add(out, 'dea', start, end, 'ID', 0.85);
    if (/^\d{1,2}(?:st|nd|rd|th)$/i.test(v) || MEASURE_SHAPE.test(v)) return;
    const cue = cueBefore(text, start);
    const label: PhiLabel = cue && cue !== 'DATE' && cue !== 'AGE' && cue !== 'NAME' && cue !== 'EMAIL' && cue !== 'ADDRESS' ? cue : 'ID';
    if (letters > v.length - 3 && !cue) return; // mostly letters: a word with a few digits
    add(out, 'alnumId', start, end, label, cue ? 0.85 : 0.7);
  });
  if (text.includes('/')) each(SLASH_PHONE, text, (m) => add(out, 'number', m.index, m.index + m[0].length, cueBefore(text, m.index) === 'FAX' ? 'FAX' : 'PHONE', 0.85));
  each(NUMBER, text, (m) => {
    const raw = m[0];
    // The digits counted first: most numbers of a note are short ("40MG", "500CC") and end here.
    const count = digitCount(raw);
    // A ZIP code said after its cue may be short ("my zip code is 880").
    if (count < 4 && !(count === 3 && /\bzip(?: code)?(?: is)?:? ?$/i.test(text.slice(Math.max(0, m.index - 16), m.index)))) return;
    const digits = count === raw.length ? raw : raw.replace(/\D/g, '');
    // The cue read once, for the label and for a postal code.
    const cue = cueBefore(text, m.index);
    const l = numberLabel(cue, raw, digits);
    if (l) add(out, 'number', m.index, m.index + raw.length, l.label, l.confidence);
    else if ((count === 5 || count === 3) && cue === 'ADDRESS') add(out, 'number', m.index, m.index + raw.length, 'ADDRESS', 0.8);
  });
  return out;
}
