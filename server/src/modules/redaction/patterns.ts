/**
 * Written-form patterns (R-DATA-2): e-mail, URL, IP, SSN, cards and IBANs, MBI, NPI/DEA, phone and
 * other numbers, numeric dates and years, ages. Every regex here is linear (no nested quantifiers
 * over the same characters), so a hostile input cannot make redaction slow.
 */
import { CH } from './chars.ts';
import { extendTail } from './addresses.ts';
import { cueBefore } from './context.ts';
import { deaValid, ibanValid, luhnValid, mbiValid, npiValid, ssnValid } from './checksums.ts';
import { alnumIds, digitRuns, eachAt, isDigitCode, RUN, sticky } from './digit-runs.ts';
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
/**
 * What every IPv6 address holds, a hex digit, a colon and a hex digit or a second colon ("fe80::1"):
 * the cheap test before the IPV6 regex, which tries every hex letter of the text ("NEURO: A&O" fails here).
 */
const IPV6_GATE = /[0-9a-f]:[0-9a-f:]/i;
const MAC = /\b(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}\b/gi;
const SSN_RE = /(?<![\d-])(\d{3})[- ](\d{2})[- ](\d{4})(?![\d-])/g;
const NUMBER = /(?<![\w@./-])(?:\+\d{1,3}[ .-]?)?(?:\(0\)[ ]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,19}(?:[ .-]\d{1,8}){0,6}(?:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,6})?(?![\w/]|[-.:]\d)/gi;
const NUMERIC_DATE = /(?<![\w/.-])(?:(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|[12]\d|3[01])[/.-](?:1[89]\d\d|2[01]\d\d|\d\d)|(?:1[89]\d\d|2[01]\d\d)[/.-](?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|1[0-2])\/(?:1[89]\d\d|20\d\d))(?![\w/-]|\.\d)/g;
const TIME_AFTER = /^(?:[ T]|, | at )(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?: ?[ap]\.?m\.?)?(?![\w:])/i;
const YEAR = /(?<![\w$#.,/-])(?:19\d\d|20[0-4]\d)(?![\w%/-]|[.,]\d)/g;
const AGE_AFTER = /\b(\d{1,3})(?:[ -]?(?:years?|yrs?)[ -]?(?:old|of age)|[ -]?(?:yo|y\/o|y\.o\.)(?![\w]))/gi;
/** The words before an age ("turned", "she is", "my mother is", "at the age of"), each a whole word. */
const AGE_LEAD_CUE = String.raw`\b(?:turn(?:ed|s|ing)?|age of|(?:he|she|i|patient|pt|who|mother|mom|father|dad|husband|wife|grandmother|grandma|grandfather|grandpa)(?:'s|'m| is| am| was))`;
/** "she is 85", "turned 60", "at the age of 61": the number alone, unless a unit follows. */
export const AGE_LEAD = new RegExp(`(?:${AGE_LEAD_CUE}[ ]?)$`, 'i');
export const AGE_UNIT_AFTER = /^[ -]*(?:%|percent|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years? ago|mg|mcg|ml|lbs?|pounds?|kg|dollars?|bucks|o'clock|am|pm|a\.m|p\.m|times|degrees?|feet|foot|inches|cm|of|in the|out of|dollars|cents|percent|thirty|fifteen|forty five)\b/i;
/**
 * "turned 60", "she is 85": a cue, a space and the number (group 1). Read sticky at a digit run, with
 * the cue behind it (`AGE_LEAD_AT`): a match's number is a whole run of at most three digits, and two
 * matches never share a cue (a cue holds no digit), so this finds the numbers the same regex run over
 * the whole text (`/${AGE_LEAD_CUE} (\d{1,3})\b/gi`) finds.
 */
const AGE_LEAD_AT = new RegExp(`(?<=${AGE_LEAD_CUE} )(\\d{1,3})\\b`, 'iy');
/** "age 85", "aged 85", "AGE:85": the number, read sticky at a digit run with its cue behind it (as AGE_LEAD_AT). */
const AGE_BEFORE_AT = /(?<=\b(?:aged?|age:)[ ]?)\d{1,3}\b/iy;
const PO_BOX = /\b(?:\d{1,6} )?(?:P\.? ?O\.? ?Box|PSC|Unit|Box) \d{1,6}(?:,? ?Box \d{1,6})?(?:\s+(?:APO|FPO|DPO) (?:AA|AE|AP) \d{5})?/gi;
const MILITARY = /\b(?:APO|FPO|DPO) (?:AA|AE|AP) \d{5}\b/g;
const US_STATES = 'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY';
/** The two-letter codes of the states (and DC), lower case. */
export const US_STATE_CODES: ReadonlySet<string> = new Set(US_STATES.toLowerCase().split('|'));
const CITY_STATE_ZIP = new RegExp(`\\b[A-Z][\\p{L}.'-]+(?: [A-Z][\\p{L}.'-]+){0,2},? (?:${US_STATES}) \\d{5}(?:-\\d{4})?\\b`, 'gu');

/**
 * Amounts and ranges with a unit or a decade ("1500cc", "30-40cc", "70-80s", "120s-140s", "5mg") and shifts
 * ("3p-11p", "7a-7p"): no identifier. One linear regex: digits, an optional range, then one unit.
 */
const MEASURE_SHAPE = /^(?:\d{1,2}[ap]-\d{1,2}[ap]|\d+(?:\.\d+)?(?:s?-\d+(?:\.\d+)?)?(?:s|cc|ml|l|mg|mcg|meq|g|kg|lbs?|u|units?|iu|cm|mm|mmhg|am|pm|hrs?|h|min|mins|px|k|gb|mb|x|bpm|mcg\/kg|%))$/i;
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
  const hyphen = raw.indexOf('-');
  const a = raw.slice(0, hyphen);
  const b = raw.slice(hyphen + 1);
  // Two values of up to three digits ("108-106") are too short for a phone number either way.
  if (Number(b) >= Number(a) || (a.length <= 3 && b.length <= 3)) return true;
  return isClockTime(a) && isClockTime(b);
}

/** Four digits that are a time of day ("1900", "0700"). */
function isClockTime(t: string): boolean {
  return t.length === 4 && Number(t.slice(0, 2)) < 24 && Number(t.slice(2)) < 60;
}

/** A phone number with a slash after its area code ("617/555-1212"). */
const SLASH_PHONE = /(?<![\w/.-])(?:\(\d{3}\)|\d{3})\/\d{3}-\d{4}(?![\w/-]|\.\d)/g;

/** The digit-led patterns, sticky, tried where a digit run of their shape starts (`digitRuns`). */
const SSN_AT = sticky(SSN_RE);
const NUMERIC_DATE_AT = sticky(NUMERIC_DATE);
const YEAR_AT = sticky(YEAR);
const AGE_AFTER_AT = sticky(AGE_AFTER);
const NUMBER_AT = sticky(NUMBER);

/**
 * The digit-led patterns with the `RUN` shape each is tried at: digit-runs.test.ts reads each over many
 * texts and checks that every match's first digit starts a run of that shape, so that a pattern changed
 * here without its shape in digit-runs.ts fails a test instead of silently finding less.
 */
export const DIGIT_LED: ReadonlyArray<readonly [name: string, pattern: RegExp, shape: number]> = [
  ['SSN', SSN_RE, RUN.SSN], ['NUMERIC_DATE', NUMERIC_DATE, RUN.DATE], ['YEAR', YEAR, RUN.YEAR], ['AGE_AFTER', AGE_AFTER, RUN.AGE_AFTER],
  ['AGE_LEAD', AGE_LEAD_AT, RUN.AGE_LEAD], ['AGE_BEFORE', AGE_BEFORE_AT, RUN.AGE_BEFORE], ['NUMBER', NUMBER, RUN.NUMBER],
];

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

/** How many ASCII digits `raw` holds (what `\d` matches). */
function digitCount(raw: string): number {
  let count = 0;
  for (let i = 0; i < raw.length; i++) if (isDigitCode(raw.charCodeAt(i))) count++;
  return count;
}

/** At least `atLeast` of the characters `a` and `b` (none if empty) in `text`. */
function countsAtLeast(text: string, a: string, b: string, atLeast: number): boolean {
  let count = 0;
  for (let i = text.indexOf(a); i >= 0; i = text.indexOf(a, i + 1)) if (++count >= atLeast) return true;
  if (b === '') return false;
  for (let i = text.indexOf(b); i >= 0; i = text.indexOf(b, i + 1)) if (++count >= atLeast) return true;
  return false;
}

/** What the periods of a text are next to: "www" before one (URL_RE's "www."), a top-level domain's first letter after one (DOMAIN_GATE). */
const DOT = { WWW: 1, TLD: 2 } as const;
/** First letters of DOMAIN_GATE's domains, lower case: com, co, ca, org, net, edu, gov, io, info, health, biz, us, de, fr. */
const TLD_FIRST = new Set<number>([...'conegihbudf'].map((c) => c.charCodeAt(0)));
const LOWER_W = 119;
const PERCENT = 37;
const isW = (c: number) => (c | CH.CASE_BIT) === LOWER_W;

/** The `DOT` facts of a text, read at its periods only (a regex over the whole text costs more than `indexOf`). */
function dotsOf(text: string): number {
  let facts = 0;
  for (let p = text.indexOf('.'); p >= 0 && facts !== (DOT.WWW | DOT.TLD); p = text.indexOf('.', p + 1)) {
    if (p >= 3 && isW(text.charCodeAt(p - 1)) && isW(text.charCodeAt(p - 2)) && isW(text.charCodeAt(p - 3))) facts |= DOT.WWW;
    const c = p + 1 < text.length ? text.charCodeAt(p + 1) : 0;
    if (((c >= CH.UPPER_A && c <= CH.UPPER_Z) || (c >= CH.LOWER_A && c <= CH.LOWER_Z)) && TLD_FIRST.has(c | CH.CASE_BIT)) facts |= DOT.TLD;
  }
  return facts;
}

/** An ASCII character of an e-mail's local part (EMAIL's `[\p{L}\d._%+-]`). */
function isLocalPart(c: number): boolean {
  return (c >= CH.DIGIT_0 && c <= CH.DIGIT_9) || ((c | CH.CASE_BIT) >= CH.LOWER_A && (c | CH.CASE_BIT) <= CH.LOWER_Z) || c === CH.PERIOD || c === CH.UNDERSCORE || c === PERCENT || c === CH.PLUS || c === CH.HYPHEN;
}

const EMAIL_AT = sticky(EMAIL);

/**
 * EMAIL's matches, read at each "@": a match holds one, its local part is the run of local-part characters
 * right before it, and from any start inside that run the regex reads the same local part up to the "@" and
 * the same domain, so the run's first character (or the end of the last match) is where the global regex
 * finds it. A non-ASCII character before an "@" (a letter of `\p{L}` or not) sends the text to the global regex.
 */
function emails(text: string, out: Candidate[]): void {
  const found: Candidate[] = [];
  let from = 0;
  for (let p = text.indexOf('@'); p >= 0; p = text.indexOf('@', p + 1)) {
    if (p < from) continue;
    let q = p;
    for (; q > from; q--) {
      const c = text.charCodeAt(q - 1);
      if (c >= CH.ASCII_END) return each(EMAIL, text, (m) => add(out, 'email', m.index, m.index + m[0].length, 'EMAIL', 0.99));
      if (!isLocalPart(c)) break;
    }
    if (q === p) continue;
    EMAIL_AT.lastIndex = q;
    const m = EMAIL_AT.exec(text);
    if (!m) continue;
    add(found, 'email', q, q + m[0].length, 'EMAIL', 0.99);
    from = q + m[0].length;
  }
  for (const c of found) out.push(c);
}

export function findPatterns(text: string): Candidate[] {
  const out: Candidate[] = [];
  // Cheap gates first: most utterances hold no '@', no ':' and no digit at all.
  const hasAt = text.includes('@');
  const hasDot = text.includes('.');
  const hasColon = text.includes(':');
  if (hasAt) emails(text, out);
  const dots = hasDot ? dotsOf(text) : 0;
  if (hasDot && (text.includes('://') || (dots & DOT.WWW) !== 0)) each(URL_RE, text, (m) => add(out, 'url', m.index, m.index + m[0].length, 'URL', 0.97));
  if ((dots & DOT.TLD) !== 0 && DOMAIN_GATE.test(text)) each(DOMAIN, text, (m) => {
    if (text[m.index - 1] !== '@') add(out, 'domain', m.index, m.index + m[0].length, 'URL', 0.8);
  });
  const runs = digitRuns(text);
  if (!runs) return out;
  if (runs.dottedRuns >= 3) each(IPV4, text, (m) => add(out, 'ip', m.index, m.index + m[0].length, 'IP', 0.95));
  // An IPv6 address has seven colons, or two side by side ("fe80::1"): a time ("11:34:35") has neither.
  if (hasColon && (text.includes('::') || countsAtLeast(text, ':', '', 7)) && IPV6_GATE.test(text)) each(IPV6, text, (m) => {
    if (/[a-f]/i.test(m[0]) || m[0].split(':').length >= 5) add(out, 'ip', m.index, m.index + m[0].length, 'IP', 0.9);
  });
  // A MAC address holds five separators.
  if (countsAtLeast(text, ':', '-', 5)) each(MAC, text, (m) => add(out, 'mac', m.index, m.index + m[0].length, 'DEVICE', 0.9));
  if ((runs.any & RUN.SSN) !== 0) eachAt(SSN_AT, text, runs, RUN.SSN, (m) => {
    const digits = m[1]! + m[2]! + m[3]!;
    if (ssnValid(digits)) add(out, 'ssn', m.index, m.index + m[0].length, m[0].includes(' ') ? (cueBefore(text, m.index) ?? 'SSN') : (cueBefore(text, m.index) === 'LICENSE' ? 'LICENSE' : 'SSN'), 0.9);
  });
  if ((runs.any & RUN.DATE) !== 0) eachAt(NUMERIC_DATE_AT, text, runs, RUN.DATE, (m) => {
    // A time of day written with the date is part of the timestamp ("2000-04-16 11:34:35").
    const end = m.index + m[0].length;
    const time = TIME_AFTER.exec(text.slice(end, end + 16));
    add(out, 'numericDate', m.index, end + (time ? time[0].length : 0), 'DATE', 0.9);
  });
  if ((runs.any & RUN.YEAR) !== 0) eachAt(YEAR_AT, text, runs, RUN.YEAR, (m) => add(out, 'bareYear', m.index, m.index + m[0].length, 'DATE', 0.6));
  if ((runs.any & RUN.AGE_AFTER) !== 0) eachAt(AGE_AFTER_AT, text, runs, RUN.AGE_AFTER, (m) => add(out, 'age', m.index, m.index + m[1]!.length, 'AGE', 0.9));
  if ((runs.any & RUN.AGE_LEAD) !== 0) eachAt(AGE_LEAD_AT, text, runs, RUN.AGE_LEAD, (m) => {
    const end = m.index + m[0].length;
    if (!AGE_UNIT_AFTER.test(text.slice(end, end + 16)) && Number(m[1]) <= 125) add(out, 'age', end - m[1]!.length, end, 'AGE', 0.75);
  });
  if ((runs.any & RUN.AGE_BEFORE) !== 0) eachAt(AGE_BEFORE_AT, text, runs, RUN.AGE_BEFORE, (m) => add(out, 'age', m.index, m.index + m[0].length, 'AGE', 0.85));
  if ((runs.any & RUN.BOX) !== 0 && /box|psc|unit/i.test(text)) each(PO_BOX, text, (m) => {
    // The unit, town and postal code lines after it belong to it.
    if (/^(?:\d+ )?(?:P|PSC)/i.test(m[0]) || /APO|FPO|DPO/i.test(m[0])) add(out, 'poBox', m.index, extendTail(text, m.index + m[0].length), 'ADDRESS', 0.9);
  });
  if ((runs.any & RUN.MILITARY) !== 0 && /[ADF]PO /.test(text)) each(MILITARY, text, (m) => add(out, 'poBox', m.index, m.index + m[0].length, 'ADDRESS', 0.9));
  if ((runs.any & RUN.CITY_ZIP) !== 0) each(CITY_STATE_ZIP, text, (m) => add(out, 'cityStateZip', m.index, m.index + m[0].length, 'ADDRESS', 0.85));
  alnumIds(text, runs, (start, end, letters) => {
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
  if ((runs.any & RUN.SLASH_PHONE) !== 0) each(SLASH_PHONE, text, (m) => add(out, 'number', m.index, m.index + m[0].length, cueBefore(text, m.index) === 'FAX' ? 'FAX' : 'PHONE', 0.85));
  if ((runs.any & RUN.NUMBER) !== 0) eachAt(NUMBER_AT, text, runs, RUN.NUMBER, (m) => {
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
  }, true);
  return out;
}
