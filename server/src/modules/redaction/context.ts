/**
 * Context cues: the words before an identifier (or the previous utterance, in a call) tell what a
 * bare number is. "my member id is 4 4 7…" is a health plan number; the same digits after "call me
 * at" are a phone number. The nearest cue wins.
 */
import { CH } from './chars.ts';
import type { PhiLabel } from './types.ts';

const CUES: Array<[RegExp, PhiLabel]> = [
  [/\bfax/g, 'FAX'],
  [/\b(?:phone|cell|mobile|telephone|tel|call(?:ed)?(?: me)?(?: back)?(?: at| on)|callback|number to reach|reach (?:me|you|him|her) at|contact number|text me at|pager|paged?|beeper|pgr|bpr|beep(?:ed)?|area code)\b/g, 'PHONE'],
  // A pager written "p#" in notes ("Dr. Wells (p# 4828)").
  [/\bp ?#/g, 'PHONE'],
  [/\b(?:ssn|social security|social|ss#)/g, 'SSN'],
  [/\b(?:mrn|medical record|chart|record number|patient (?:id|number)|m r n)\b/g, 'MRN'],
  // "member" alone is a speaker's role in a health plan's calls ("member: yes that's me"): with what it names only.
  [/\b(?:member(?:'s|s)? ?(?:id|i d|number|no|card|identification)|insurance|insured|policy|medicare|medicaid|mbi|subscriber|health plan|beneficiary|group (?:number|no)|plan (?:id|number)|payer)\b/g, 'HEALTH_PLAN'],
  [/\bmember ?#/g, 'HEALTH_PLAN'],
  // "the name on the account", "the name on the card" ask for a name.
  [/\b(?:(?<!name on (?:the|your|this|my) )(?:account|card)|acct|a\/c|iban|routing|visa|mastercard|amex|billing number)\b/g, 'ACCOUNT'],
  [/\b(?:licen[cs]e|certificat\w*|dl|driver'?s|permit|passport)\b/g, 'LICENSE'],
  [/\b(?:plate|vin|vehicle|tag number)\b/g, 'VEHICLE'],
  [/\b(?:serial|device|imei|udi|implant|pacemaker|pump|lot number|mac address)\b/g, 'DEVICE'],
  [/\bjob ?(?:#|no\b|number\b)/g, 'ID'],
  // A number read back by its last digits ("the one ending in four four one two"): whose it is, the words before say.
  [/\bending in\b/g, 'ID'],
  [/\b(?:npi|dea|claim|reference|ref|confirmation|case (?:number|no|id)|ticket|order number|identifier|tracking|authorization|auth number|prior auth|fingerprint|voiceprint|biometric|retina|iris)\b/g, 'ID'],
  [/\b(?:zip|postal|postcode)\b/g, 'ADDRESS'],
  [/\b(?:address|live at|lives at|living at|reside at|street|apartment|apt|p ?o box)\b/g, 'ADDRESS'],
  [/\b(?:date of birth|dob|d o b|birth ?day|born|birth date|birthdate|admitted|discharged|admission|discharge|appointment on|date of service|seen on|visit on)\b/g, 'DATE'],
  [/\b(?:how old|age|aged|years old|year old)\b/g, 'AGE'],
  [/\b(?:e-?mail)\b/g, 'EMAIL'],
  [/\b(?:name|spell|spelled|spelling|who am i speaking|who is calling|who's calling)\b/g, 'NAME'],
];

/**
 * All cues in one alternation, one group per label: one scan of the window instead of sixteen. Every
 * cue starts with `\b`, checked once before the alternation (`(\bA)|(\bB)` is `\b(?:(A)|(B))`), which
 * runs twice as fast: most positions are no word start and fail there.
 */
const COMBINED = new RegExp(`\\b(?:${CUES.map(([re]) => `(${re.source.replace(/^\\b/, '')})`).join('|')})`, 'g');
if (!CUES.every(([re]) => re.source.startsWith('\\b'))) throw new Error('every cue starts at a word boundary');
const GROUP_LABELS = CUES.map(([, label]) => label);
/** A cheap gate: every cue contains one of these letters' words; a window with no letters has none. */
const HAS_LETTER = /[a-z]/;

/** The label of the nearest cue in `window` (lower case) that starts at `from` or later, or undefined. */
export function nearestCue(window: string, from = 0): { label: PhiLabel; at: number } | undefined {
  if (!HAS_LETTER.test(window)) return undefined;
  let best: { label: PhiLabel; at: number } | undefined;
  COMBINED.lastIndex = from;
  for (let m = COMBINED.exec(window); m; m = COMBINED.exec(window)) {
    const at = m.index + m[0].length;
    let g = 1;
    while (m[g] === undefined) g++;
    if (!best || at >= best.at) best = { label: GROUP_LABELS[g - 1]!, at };
    // Overlapping cues ("date of birth" inside "date of birth"): step one character, not the match.
    COMBINED.lastIndex = m.index + 1;
  }
  return best;
}

/** The cue label in the `lookback` characters before `offset`. */
export function cueBefore(text: string, offset: number, lookback = 48): PhiLabel | undefined {
  const from = Math.max(0, offset - lookback);
  return nearestCue(text.slice(from, offset).toLowerCase())?.label;
}

/**
 * What the previous utterance asked for (R-DATA-2, spoken forms): "can I get your date of birth" makes
 * the caller's next words a date. Only a question or a request carries over.
 */
export function expectationOf(utterance: string): PhiLabel | undefined {
  // A cue counts only with at most six words after it, and cues are at most four words long: the last
  // eleven words are all that need reading.
  let from = utterance.length;
  for (let words = 0; from > 0; from--) {
    const c = utterance.charCodeAt(from - 1);
    if ((c === CH.SPACE || c === CH.TAB || c === CH.LF) && from < utterance.length && utterance.charCodeAt(from) !== CH.SPACE && ++words === 11) break;
  }
  const lower = utterance.slice(from).toLowerCase();
  // A digit after the cue means an answer. The only cue that can hold a digit is "certificat\w*", all
  // word characters; so a cue that ends after the last digit starts at or after the first word
  // character of that digit's word, and no cue before that can be the one asked: reading starts there.
  const digit = lastDigit(lower);
  const cue = nearestCue(lower, digit < 0 ? 0 : wordStart(lower, digit));
  if (!cue || cue.at <= digit) return undefined;
  // An utterance that already answers (holds digits or many words after the cue) asks for nothing.
  const tail = lower.slice(cue.at);
  if (/\d/.test(tail) || tail.split(/\s+/).filter(Boolean).length > 6) return undefined;
  return cue.label;
}

/** Where the last ASCII digit of `text` is, or -1. */
function lastDigit(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c >= CH.DIGIT_0 && c <= CH.DIGIT_9) return i;
  }
  return -1;
}

/** The first of the word characters (`\w`: ASCII letters, digits, "_") that run up to `at`. */
function wordStart(text: string, at: number): number {
  let i = at;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (!((c >= CH.DIGIT_0 && c <= CH.DIGIT_9) || (c >= CH.LOWER_A && c <= CH.LOWER_Z) || (c >= CH.UPPER_A && c <= CH.UPPER_Z) || c === CH.UNDERSCORE)) break;
    i--;
  }
  return i;
}
