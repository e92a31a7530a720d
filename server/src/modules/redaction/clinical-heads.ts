/**
 * Evidence for PHI where physicians' notes put it (R-DATA-2), split from clinical.ts:
 * - a sign-out's list item: "1. KOWALSKI, Evelyn 93F urosepsis", "- Bed 14 noble 87 yo f", "Rm 1243: 94F":
 *   the words between the item's mark and an age with a sex are the patient's names, the age over 89 is PHI;
 * - an age over 89 after a future "be" or a birthday word: "will be 94 next week", "turning 91";
 * - a pager in brackets or after a comma: "(p 8812)", "(#4843)", ", #66000", "(BP 61798)", and the name
 *   of a signature line before it ("-- Faith (p 8812)", "-- STORM, BEEPER 831-3207");
 * - "signed by KO, JERZY, MD": a family name, a comma and a given name before a degree;
 * - a line that holds only a title and a name ("DR. PIETRO DOCTOR", "Attending: JOY STREET"): every word is
 *   the name, even a common one;
 * - dates with a month's short name and a hyphen ("Jun-19", "19-Jul", "SEP-28"), as lab systems print them.
 * What a word is comes from the lexicons' flags; which words stand around a name is decided here.
 */
import type { ClinicalContext } from './clinical.ts';
import { firstTokenAt } from './evidence.ts';
import { WORD } from './gazetteer.ts';
import { NOT_AFTER_CUE } from './names.ts';
import { CH } from './chars.ts';
import { AGE_UNIT_AFTER } from './patterns.ts';
import { candidate, type Candidate } from './resolution.ts';
import type { Token } from './tokens.ts';
import { TAG, tagWords } from './word-tags.ts';

/** The oldest age a number after a cue is taken for; ages of 89 or under are no Safe Harbor identifier. */
const MAX_AGE = 125;
const OLDEST_FREE_AGE = 89;

/**
 * A sign-out item: a list mark ("1.", "-") or a bed ("Bed 14", "Rm 1243:"), then a family name, a comma and
 * a given name, or one name, then an age with a sex ("93F", "87 yo f"). Without a mark or a bed the comma
 * form alone ("KRISHNAN, EVELYN 93M").
 */
const SIGN_OUT = /^[ \t]*((?:\d{1,2}[.)]|[-*•])[ \t]+)?((?:bed|rm|room)[ \t]*#?\d{1,4}[ \t]*[:-]?[ \t]+)?(?:([a-z][a-z'-]*)(,[ \t]*[a-z][a-z'-]*)?[ \t]+)?(\d{2,3})[ \t]?(?:[mf]|(?:yo|y\/o|y\.o\.)[ \t]?[mf]?)(?![a-z0-9])/dgim;
/** "will be 94", "to be 92", "turning 91": an age after a future or a birthday. */
const FUTURE_AGE = /\b(?:will be|to be|turning)[ ](\d{2,3})\b/dgi;
/** A pager after an opening bracket or a comma: "(p 8812)", "(#4843)", ", #66000", "(beeper 77825)", "(BP 61798)". */
const PAGER = /([(,])[ \t]?(?:#|p#?|pgr|pager|beeper|bpr|bp)[ \t]?#?[ \t]?(\d{4,5}|\d-\d{4}|\d{3}-\d{4})(?![\d/.-])/diy;
/** A signature line: dashes, a name of one or two words, then a pager in brackets or after a comma. */
const SIGNED_PAGER = /^[ \t]*-{1,2}[ \t]*([a-z][a-z'-]*(?: [a-z][a-z'-]*)?)[ \t]*[(,][ \t]?(?:#|p#?|pgr|pager|beeper|bpr|bp)\b/dgim;
/** "signed by KO, JERZY, MD": a family name, a comma, a given name, a degree. */
const SIGNED_BY = /\bsigned by[ \t]+([a-z][a-z'-]*),[ \t]*([a-z][a-z'-]*),?[ \t]*(?:md|m\.d\.|do|np|rn|pa-c)\b/dgi;
/** A line of a title and a name only: "DR. PIETRO DOCTOR", "Attending: JOY STREET". */
const TITLE_LINE = /^[ \t]*(?:dr\.?|attending:|radiologist:|resident:|fellow:)[ \t]+([a-z][a-z'-]*(?: [a-z][a-z'-]*){0,2})[ \t]*$/dgim;
/**
 * The cheap tests before the regexes above: a number with a sex or "yo" after it; "be" or "turning" (a title or
 * "signed by" is `signerAt`). Each runs only when the text's words allow a match: a digit for the ages, a word
 * of SIGNER_WORDS for signers.
 */
const AGE_SEX_GATE = /\d ?(?:[mf]|yo|y\/o|y\.o\.)(?![a-z0-9])/i;
const FUTURE_GATE = /\b(?:be|turning) \d/i;
/** The words of which SIGNED_BY ("by") and TITLE_LINE hold one as a whole token. */
tagWords(['by', 'dr', 'attending', 'radiologist', 'resident', 'fellow'], TAG.SIGNER_CUE);
/** "Jun-19", "SEP-28", "19-Jul", "5-Aug": a month's short name and a day joined by a hyphen. */
const MONTH_HYPHEN = /(?<![\w/-])(?:(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)-(\d{1,2})|(\d{1,2})-(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec))(?![\w/-])/gi;

/** A word that may be a name where the note's layout says one stands: no clinical, relation, title, unit or date word. */
function layoutNameWord(t: Token): boolean {
  if (t.isDigits || t.lower.length < 2 || NOT_AFTER_CUE.has(t.lower)) return false;
  const f = t.flags;
  if ((f & (WORD.NUMBER | WORD.DATE | WORD.CARE_UNIT | WORD.RELATION | WORD.CLINICIAN | WORD.TITLE | WORD.FACILITY)) !== 0) return false;
  return (f & WORD.CLINICAL) === 0 || ((f & (WORD.FIRST | WORD.LAST)) !== 0 && (f & WORD.CLINICAL_TERM) === 0);
}

/** The words of `text[start, end)` as name candidates when every one is a layout name word. */
function namesIn(text: string, tokens: readonly Token[], start: number, end: number, out: Candidate[], anyWord = false): boolean {
  const words: Token[] = [];
  for (let k = firstTokenAt(tokens, start); k < tokens.length && tokens[k]!.start < end; k++) words.push(tokens[k]!);
  if (words.length === 0 || !words.every((t) => layoutNameWord(t) || (anyWord && !t.isDigits && (t.flags & WORD.CLINICAL_TERM) === 0))) return false;
  // Each word its own span: "KOWALSKI, Evelyn" is two names with a comma between.
  let from = words[0]!;
  for (let k = 1; k <= words.length; k++) {
    const w = words[k];
    if (w !== undefined && text.slice(words[k - 1]!.end, w.start) === ' ') continue;
    out.push(candidate('cuedName', from.start, words[k - 1]!.end, 'NAME', 0.8));
    if (w) from = w;
  }
  return true;
}

/** The span of a match's group (the regexes here carry the `d` flag). */
function at(m: RegExpExecArray, group: number): [start: number, end: number] {
  return m.indices![group]!;
}

function ageOf(m: RegExpExecArray, group: number, out: Candidate[]): void {
  const n = Number(m[group]);
  if (n <= OLDEST_FREE_AGE || n > MAX_AGE) return;
  const [start, end] = at(m, group);
  out.push(candidate('age', start, end, 'AGE', 0.8));
}

function signOutItems(text: string, tokens: readonly Token[], out: Candidate[]): void {
  SIGN_OUT.lastIndex = 0;
  for (let m = SIGN_OUT.exec(text); m; m = SIGN_OUT.exec(text)) {
    const [, mark, bed, family, given] = m;
    if (family === undefined ? bed === undefined : mark === undefined && bed === undefined && given === undefined) continue;
    // "WARD, BLUE 92F", "friend, mordecai 97m": in the comma form the family name may be any word but a clinical term.
    if (family !== undefined && !namesIn(text, tokens, at(m, 3)[0], (given === undefined ? at(m, 3) : at(m, 4))[1], out, given !== undefined)) continue;
    ageOf(m, 5, out);
  }
}

function futureAges(text: string, out: Candidate[]): void {
  FUTURE_AGE.lastIndex = 0;
  for (let m = FUTURE_AGE.exec(text); m; m = FUTURE_AGE.exec(text)) {
    const end = m.index + m[0].length;
    if (AGE_UNIT_AFTER.test(text.slice(end, end + 16)) || /^ ?%|^[.,]?\d|^\/|^-\d/.test(text.slice(end, end + 2))) continue;
    ageOf(m, 1, out);
  }
}

function pagers(text: string, tokens: readonly Token[], digits: boolean, out: Candidate[]): void {
  // A pager holds digits; a signature line starts with a dash. A match starts at its bracket or comma and holds
  // no other: the sticky regex is tried at each, in the order they stand, where a cue's first character follows.
  let a = digits ? text.indexOf('(') : -1;
  let b = digits ? text.indexOf(',') : -1;
  while (a >= 0 || b >= 0) {
    const p = b < 0 || (a >= 0 && a < b) ? a : b;
    if (p === a) a = text.indexOf('(', a + 1);
    else b = text.indexOf(',', b + 1);
    let c = p + 1 < text.length ? text.charCodeAt(p + 1) : 0;
    if (c === CH.SPACE || c === CH.TAB) c = p + 2 < text.length ? text.charCodeAt(p + 2) : 0;
    c |= CH.CASE_BIT;
    // "#", "p…" or "b…" ("#" folded is "#").
    if (c !== HASH && c !== LOWER_P && c !== LOWER_B) continue;
    PAGER.lastIndex = p;
    const m = PAGER.exec(text);
    if (!m) continue;
    const [start, end] = at(m, 2);
    out.push(candidate('number', start, end, 'PHONE', 0.8));
  }
  if (!dashLine(text)) return;
  SIGNED_PAGER.lastIndex = 0;
  for (let m = SIGNED_PAGER.exec(text); m; m = SIGNED_PAGER.exec(text)) {
    namesIn(text, tokens, ...at(m, 1), out, true);
  }
}

function signedBy(text: string, tokens: readonly Token[], out: Candidate[]): void {
  SIGNED_BY.lastIndex = 0;
  for (let m = SIGNED_BY.exec(text); m; m = SIGNED_BY.exec(text)) {
    namesIn(text, tokens, ...at(m, 1), out, true);
    namesIn(text, tokens, ...at(m, 2), out, true);
  }
  TITLE_LINE.lastIndex = 0;
  for (let m = TITLE_LINE.exec(text); m; m = TITLE_LINE.exec(text)) namesIn(text, tokens, ...at(m, 1), out, true);
}

function monthHyphenDates(text: string, out: Candidate[]): void {
  MONTH_HYPHEN.lastIndex = 0;
  for (let m = MONTH_HYPHEN.exec(text); m; m = MONTH_HYPHEN.exec(text)) {
    const day = Number(m[2] ?? m[3]);
    if (day >= 1 && day <= 31) out.push(candidate('shortDate', m.index, m.index + m[0].length, 'DATE', 0.75));
  }
}

/** The months' short names of MONTH_HYPHEN. */
const MONTH_SHORT = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);

const isAsciiLetter = (c: number) => (c | CH.CASE_BIT) >= CH.LOWER_A && (c | CH.CASE_BIT) <= CH.LOWER_Z;
const isDigit = (c: number) => c >= CH.DIGIT_0 && c <= CH.DIGIT_9;

/**
 * Whether a token holds a hyphen between a digit and a run of ASCII letters that is a month's short name:
 * every match of MONTH_HYPHEN does ("jun-19", "19-Jul"; the tokenizer joins words at a hyphen, and the
 * regex wants no ASCII letter next to the month), and ranges and counts ("120-130", "24-hour") do not.
 */
function monthBesideHyphen(text: string, tokens: readonly Token[]): boolean {
  for (const t of tokens) {
    if (!t.hasDigit || t.isDigits) continue;
    for (let h = t.start + 1; h < t.end - 1; h++) {
      if (text.charCodeAt(h) !== CH.HYPHEN) continue;
      let from = h;
      let to = h;
      if (isDigit(text.charCodeAt(h - 1))) {
        from = h + 1;
        to = from;
        while (to < t.end && isAsciiLetter(text.charCodeAt(to))) to++;
      } else if (isDigit(text.charCodeAt(h + 1))) {
        while (from > t.start && isAsciiLetter(text.charCodeAt(from - 1))) from--;
      }
      if (to - from >= 3 && to - from <= 4 && MONTH_SHORT.has(text.slice(from, to).toLowerCase())) return true;
    }
  }
  return false;
}

const HASH = 35;
const LOWER_B = 98;
const LOWER_P = 112;

/**
 * Whether an ASCII digit is followed, right away or after a space, by "m", "f" or "y" in either case: every
 * match of AGE_SEX_GATE holds one ("93F", "87 yo"), and every digit is inside a token that `hasDigit`.
 */
function digitBeforeSex(text: string, tokens: readonly Token[]): boolean {
  for (const t of tokens) {
    if (!t.hasDigit) continue;
    for (let i = t.start; i < t.end; i++) {
      if (!isDigit(text.charCodeAt(i))) continue;
      let c = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c === CH.SPACE) c = i + 2 < text.length ? text.charCodeAt(i + 2) : 0;
      c |= CH.CASE_BIT;
      if (c === CH.LOWER_M || c === CH.LOWER_F || c === CH.LOWER_Y) return true;
    }
  }
  return false;
}

/**
 * Whether a word ending in "be" or "turning" is followed by a space and a digit: every match of FUTURE_GATE is. A
 * digit after a space starts the next token, which holds a digit: only the tokens before such a token are read.
 */
function futureBeforeNumber(text: string, tokens: readonly Token[]): boolean {
  for (let k = 1; k < tokens.length; k++) {
    const u = tokens[k]!;
    if (!u.hasDigit) continue;
    const t = tokens[k - 1]!;
    if (u.start !== t.end + 1 || text.charCodeAt(t.end) !== CH.SPACE || !isDigit(text.charCodeAt(u.start))) continue;
    // `lower` ends as the text folded does, but for a possessive, which FUTURE_GATE's space after the word excludes.
    if (t.lower.endsWith('be') || t.lower.endsWith('turning')) return true;
  }
  return false;
}

/**
 * Whether SIGNED_BY or TITLE_LINE can match: "signed", one space and "by", or a title's word
 * (SIGNER_CUE but "by") that starts a line after spaces or tabs (TITLE_LINE's `^` is also after "\r", U+2028, U+2029).
 */
function signerAt(text: string, tokens: readonly Token[]): boolean {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if ((t.tags & TAG.SIGNER_CUE) === 0) continue;
    if (t.lower === 'by') {
      // "signed" may end a longer token ("e-signed by"): the six letters before the space are read.
      if (t.start >= 7 && text.charCodeAt(t.start - 1) === CH.SPACE && text.slice(t.start - 7, t.start - 1).toLowerCase() === 'signed') return true;
      continue;
    }
    let i = t.start;
    while (i > 0 && (text.charCodeAt(i - 1) === CH.SPACE || text.charCodeAt(i - 1) === CH.TAB)) i--;
    const c = i > 0 ? text.charCodeAt(i - 1) : CH.LF;
    if (c === CH.LF || c === CARRIAGE_RETURN || c === LINE_SEPARATOR || c === PARAGRAPH_SEPARATOR) return true;
  }
  return false;
}

const CARRIAGE_RETURN = 13;
const LINE_SEPARATOR = 0x2028;
const PARAGRAPH_SEPARATOR = 0x2029;

/** Whether a line of `text` starts with a dash after spaces or tabs (every match of SIGNED_PAGER does), or `text` holds a line break other than "\n". */
function dashLine(text: string): boolean {
  for (let s = 0; s >= 0; ) {
    let i = s;
    while (text.charCodeAt(i) === CH.SPACE || text.charCodeAt(i) === CH.TAB) i++;
    if (text.charCodeAt(i) === CH.HYPHEN) return true;
    const next = text.indexOf('\n', i);
    s = next < 0 ? -1 : next + 1;
  }
  return text.includes('\r') || text.includes('\u2028') || text.includes('\u2029');
}

/** The candidates of this file, in a clinical note (`ctx.genre`) or in any text (the hyphenated dates). */
export function findClinicalHeads(text: string, tokens: readonly Token[], ctx: ClinicalContext): Candidate[] {
  const out: Candidate[] = [];
  const digits = ctx.digits ?? true;
  if (digits && monthBesideHyphen(text, tokens)) monthHyphenDates(text, out);
  if (ctx.genre !== 'clinical') return out;
  // Each detector only where its cue can be: an age with a sex, a future "be", a bracket or comma, a title.
  if (digits && digitBeforeSex(text, tokens) && AGE_SEX_GATE.test(text)) signOutItems(text, tokens, out);
  if (digits && futureBeforeNumber(text, tokens) && FUTURE_GATE.test(text)) futureAges(text, out);
  if (text.includes('(') || text.includes(',')) pagers(text, tokens, digits, out);
  if (ctx.includeClinicians && ((ctx.wordTags ?? -1) & TAG.SIGNER_CUE) !== 0 && signerAt(text, tokens)) signedBy(text, tokens, out);
  return out;
}
