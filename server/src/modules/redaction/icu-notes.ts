/**
 * Evidence for and against PHI in ICU nursing, social-work, case-management, event and family-meeting notes
 * that the other clinical detectors miss (R-DATA-2, issue 30), chosen on clinical-notes-g's dev split:
 * - for: a facility's initials in brackets after its name ("Rowley Regional Medical Center (RRMC)") and the
 *   same initials wherever else the note writes them ("per RRMC records"); homes and rehabs by their kind
 *   after a name or town ("Dedham Nursing and Rehab Center", "Athol Assisted Living", "Palmer Dialysis
 *   Center") and by a chain's name ("Life Care Center of Wales", "Wingate at Rowley", "Kindred Monson");
 *   pagers after "pg", "page at", "p#" ("pg 7-2175"); a phone's extension with it ("(248) 707 3616 ext. 0578")
 *   and alone at a signature ("LCSW, x890"); phones with two slashes ("899/486/4121", "522/563-1921");
 *   a signature line's name before a degree or a role ("Lan Capobianco RN", "CM Jill Foley x2810",
 *   "chase jenkins md p#6-1787", "Chidi (CM) page at 4139"), and the name after "left msg for";
 * - against: a score written in a list after another ("strength 4/5 LUE, 3/5 LLE, 5/5 on R", "pain 6/10 at
 *   rest, 3/10 w/ turning", "pain now 1/10", "cramping 2/10") read as a month/day.
 * Called from findClinical (clinical.ts), after the other clinical detectors; only in clinical notes.
 */
import type { ClinicalContext } from './clinical.ts';
import { WORD } from './gazetteer.ts';
import { icuDates } from './icu-dates.ts';
import { lexiconWords } from './lexicons.ts';
import { US_STATE_CODES } from './patterns.ts';
import { candidate, type Candidate } from './resolution.ts';
import type { Token } from './tokens.ts';
import { TAG, tagWords } from './word-tags.ts';

/** Chains of nursing homes, rehabs and long-term acute care hospitals, named before a town (data/lexicons/icu-notes.txt @facilitychain). */
const CHAINS = lexiconWords('facilitychain');
/** Degrees and roles written after a signer's name (data/lexicons/icu-notes.txt @degree). */
const DEGREES = lexiconWords('degree');

/** Words no name is made of here: vocabulary of care, units, numbers and dates, cues. */
const NOT_NAME = WORD.CLINICAL | WORD.CARE_UNIT | WORD.NUMBER | WORD.RELATION | WORD.CLINICIAN;
/** Small words that lead to a name or a place and are no part of it. */
const FUNCTION_WORDS = new Set(['to', 'at', 'from', 'in', 'of', 'on', 'by', 'for', 'the', 'and', 'via', 'with', 'w', 'per', 'a', 'an', 'or', 'is', 'was', 'pt', 'his', 'her', 'their', 'see', 'called', 'call', 'page', 'paged', 'spoke', 'signed', 'insurance', 'by']);

function nameWord(t: Token | undefined): t is Token {
  return t !== undefined && !t.hasDigit && t.lower.length >= 2 && (t.flags & NOT_NAME) === 0 && !FUNCTION_WORDS.has(t.lower) && !DEGREES.has(t.lower);
}
/** A word that may be a person's name without a cue: a known name, or a word no dictionary holds. */
function knownOrUnknown(t: Token): boolean {
  return (t.flags & (WORD.FIRST | WORD.LAST | WORD.GIVEN_CUED | WORD.FAMILY_WORD)) !== 0 || (t.flags & WORD.DICTIONARY) === 0;
}

// --- facilities ----------------------------------------------------------------------------------------------

/** "(RRMC)", "(dch)": two to six letters in brackets. */
const BRACKETED = /\(([A-Za-z]{2,6})\)/g;
const SKIPPED_IN_INITIALS = new Set(['of', 'the', 'and', '&', 'at']);

/** The initials of the words before `at` that spell `abbr`, and where those words start; -1 when they do not. */
function initialsStart(text: string, tokens: readonly Token[], at: number, abbr: string): number {
  let k = tokens.length - 1;
  while (k >= 0 && tokens[k]!.end > at) k--;
  let i = abbr.length - 1;
  let start = -1;
  for (let n = 0; k >= 0 && i >= 0 && n < 10; k--, n++) {
    const t = tokens[k]!;
    if (text.slice(t.end, n === 0 ? at : tokens[k + 1]!.start).includes('\n')) return -1;
    if (SKIPPED_IN_INITIALS.has(t.lower)) continue;
    if (t.hasDigit) return -1;
    // "St. Raphael's" is "S"; a hyphenated word ("Melrose-Wakefield") is read as its parts by the tokenizer.
    if (t.lower[0] !== abbr[i]) return -1;
    i--;
    start = t.start;
  }
  return i < 0 ? start : -1;
}

function bracketedInitials(text: string, tokens: readonly Token[], out: Candidate[]): void {
  const found = new Set<string>();
  // `exec` from the start, not `matchAll`: that copies the regex for each text.
  BRACKETED.lastIndex = 0;
  for (let m = BRACKETED.exec(text); m; m = BRACKETED.exec(text)) {
    const abbr = m[1]!.toLowerCase();
    const start = initialsStart(text, tokens, m.index, abbr);
    if (start < 0) continue;
    const name = text.slice(start, m.index).trimEnd();
    // The words spelt out end in a facility's word of the lexicon ("Hospital", "Medical Center", "Mass
    // General"; WORD.FACILITY): no "(CM)" after a name.
    let k = tokens.length - 1;
    while (k >= 0 && tokens[k]!.end > m.index) k--;
    if ((tokens[k]!.flags & WORD.FACILITY) === 0 && !/^st\.? |^saint /i.test(name)) continue;
    out.push(candidate('facility', start, start + name.length, 'LOCATION', 0.8));
    out.push(candidate('facility', m.index + 1, m.index + 1 + abbr.length, 'LOCATION', 0.8));
    found.add(abbr);
  }
  // The same initials again in the note ("per RRMC records", "transfer to rrmc").
  for (const abbr of found) {
    for (const t of tokens) if (t.lower === abbr && text.charCodeAt(t.start - 1) !== 40) out.push(candidate('facility', t.start, t.end, 'LOCATION', 0.75));
  }
}
/** A hospital's initials before "records" ("Per NRMC records pt had ..."), when they are no word of care or English ("per OSH records"). */
function recordsOf(text: string, tokens: readonly Token[], out: Candidate[]): void {
  for (let k = 0; k + 2 < tokens.length; k++) {
    if (tokens[k]!.lower !== 'per' || !RECORDS.has(tokens[k + 2]!.lower)) continue;
    const t = tokens[k + 1]!;
    if (t.lower.length >= 2 && t.lower.length <= 5 && !t.hasDigit && (t.flags & (WORD.CLINICAL | WORD.CARE_UNIT | WORD.DICTIONARY)) === 0) out.push(candidate('facility', t.start, t.end, 'LOCATION', 0.75));
  }
}
const RECORDS = new Set(['records', 'notes', 'chart']);

/** Kinds of homes, rehabs and units of care written after a town or a name. */
const HOME_KINDS = /^[ \t]+(nursing (?:and|&) rehab(?:ilitation)? cent(?:er|re)|nursing (?:and|&) rehab(?:ilitation)?|assisted living|skilled nursing(?: facility)?|dialysis(?: cent(?:er|re)| unit)?|kidney cent(?:er|re)|nursing cent(?:er|re)|nursing home|rehab(?:ilitation)? cent(?:er|re)|healthcare)\b/i;
/** A chain's name and the town after it: "Life Care Center of Wales", "Wingate at Rowley", "Kindred Monson". */
const CHAIN_TOWN = /^(?:[ \t]+(?:care cent(?:er|re)s?|healthcare|rehab))?(?:[ \t]+(?:of|at))?[ \t]+([a-z][\w'-]*(?:[ \t][a-z][\w'-]*)?)/i;

function homes(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if ((t.tags & TAG.ICU_WORD) !== 0 && CHAINS.has(t.lower)) {
      const m = CHAIN_TOWN.exec(text.slice(t.end, t.end + 60));
      // "Life" names a chain only as "Life Care Center(s)".
      if (!m || (t.lower === 'life' && !/^[ \t]+care cent/i.test(m[0]))) continue;
      // The town: one or two words of a place or a name, two only when the second is one too or a state ("Salem NH").
      let end = t.end + m[0].length;
      const townStart = end - m[1]!.length;
      const words = tokens.filter((w) => w.start >= townStart && w.end <= end);
      if (words.length === 0 || !townWord(words[0]!, ctx)) continue;
      if (words.length > 1 && !townWord(words[1]!, ctx) && !stateAfterTown(words[0]!, words[1]!)) end = words[0]!.end;
      out.push(candidate('facility', t.start, end, 'LOCATION', 0.8));
      continue;
    }
    // Only before the first word of a kind of home ("Nursing", "Assisted", "House"...): most words are before none.
    const following = tokens[i + 1];
    if (following === undefined || (following.tags & TAG.ICU_WORD) === 0 || !KIND_FIRST.has(following.lower)) continue;
    const next = following.lower;
    const prev = tokens[i - 1];
    // "Doppler Manor", "the Chambers House": one word before "Manor", or after "the" before "House", even a word of care.
    const home = next === 'house' || next === 'manor' ? HOUSE_OR_MANOR.exec(text.slice(t.end, t.end + 8)) : null;
    if (home && !t.hasDigit && t.lower.length >= 2 && !FUNCTION_WORDS.has(t.lower) && (t.flags & (WORD.CARE_UNIT | WORD.NUMBER | WORD.FACILITY)) === 0 && (!ctx.caseMarksNames || t.isCap) && (home[1]!.toLowerCase() === 'manor' || prev?.lower === 'the')) {
      out.push(candidate('facility', t.start, t.end + home[0].length, 'LOCATION', 0.75));
      continue;
    }
    const state = prev !== undefined && stateAfterTown(prev, t);
    if (!state && (!nameWord(t) || !townWord(t, ctx))) continue;
    const m = HOME_KINDS.exec(text.slice(t.end, t.end + 40));
    if (!m) continue;
    let start = state ? prev.start : t.start;
    const before = state ? tokens[i - 2] : prev;
    // A town of two words ("Fall River", "Blueberry Hill"): a place word or a capital before it on the same line,
    // or, where case marks nothing, any word of a name after a word that leads to a place ("from oak hill skilled nursing").
    if (before !== undefined && before.end + 1 === start && nameWord(before) && (ctx.caseMarksNames ? before.isCap && townWord(before, ctx) : (before.flags & (WORD.CITY | WORD.PLACE | WORD.PLACE_PART)) !== 0 || PLACE_LEADS.has(tokens[i - (state ? 3 : 2)]?.lower ?? ''))) start = before.start;
    out.push(candidate('facility', start, t.end + m[0].length, 'LOCATION', 0.8));
  }
}

const HOUSE_OR_MANOR = /^[ \t]+(house|manor)\b/i;
/** The first words of HOME_KINDS and HOUSE_OR_MANOR. */
const KIND_FIRST = new Set(['nursing', 'assisted', 'skilled', 'dialysis', 'kidney', 'rehab', 'rehabilitation', 'healthcare', 'house', 'manor']);
/** Words that lead to a place and are no part of its name. */
const PLACE_LEADS = new Set(['to', 'at', 'from', 'and', 'vs', 'or']);
/** A state's code in capitals right after a town: "Salem NH". */
function stateAfterTown(town: Token, t: Token): boolean {
  return US_STATE_CODES.has(t.lower) && t.text === t.text.toUpperCase() && town.end + 1 === t.start && (town.flags & (WORD.CITY | WORD.PLACE)) !== 0;
}

/** A word of a town's or a home's name: a known place or name, no dictionary word, or a capital where capitals mark names. */
function townWord(t: Token, ctx: ClinicalContext): boolean {
  if (t.hasDigit || (t.flags & (WORD.CLINICAL | WORD.CARE_UNIT | WORD.NUMBER | WORD.DATE)) !== 0 || FUNCTION_WORDS.has(t.lower)) return false;
  if ((t.flags & (WORD.CITY | WORD.PLACE | WORD.FIRST | WORD.LAST)) !== 0 || (t.flags & WORD.DICTIONARY) === 0) return true;
  return ctx.caseMarksNames && t.isCap && !t.isUpper;
}

// --- phones and pagers ---------------------------------------------------------------------------------------

/** A pager after its word: "pg 7-2175", "page at 1549", "p# 5-6612", "p 4-8861", "beeper 2051". */
const PAGER = /\b(?:pg|pgr|pager|page at|beeper|bpr|p(?=[ \t]*#|[ \t]+\d-\d{4}\b|[ \t]+\d{3}-\d{4}\b))[ \t]*#?[ \t]*(\d-\d{4}|\d{3}-\d{4}|\d{4,5})(?![\d/-]|[.,]\d)/gi;
/** A phone and its extension: "(248) 707 3616 ext. 0578", "489/990-0346 ext 748", "555-1234 x221": the extension, then the phone before it. */
const EXTENSION = /\b(?:ext\.?|x)[ \t]?\d{2,5}\b/gi;
const PHONE_BEFORE_EXT = /(?<![\d/.-])(?:\(\d{3}\)[ \t]?|\d{3}[ \t/.-]?)?\d{3}[ \t/.-]\d{4}[ \t]*,?[ \t]*$/;
/** An area code, a slash, three digits and a slash or a hyphen and four: "899/486/4121", "522/563-1921". */
const SLASHED_PHONE = /(?<![\d/.-])(?:\(\d{3}\)|\d{3})\/\d{3}[/-]\d{4}(?![\d/-]|\.\d)/g;

/** The regexes above, sticky, tried only at a word that can start a match. */
const sticky = (re: RegExp) => new RegExp(re.source, re.flags.replace('g', '') + 'y');
const PAGER_AT = sticky(PAGER);
const EXTENSION_AT = sticky(EXTENSION);
const SLASHED_PHONE_AT = sticky(SLASHED_PHONE);
/** Words a pager's number follows. */
const PAGER_WORDS = new Set(['pg', 'pgr', 'pager', 'page', 'beeper', 'bpr', 'p']);

function phones(text: string, tokens: readonly Token[], out: Candidate[]): void {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if ((t.tags & TAG.ICU_WORD) !== 0 && PAGER_WORDS.has(t.lower)) {
      PAGER_AT.lastIndex = t.start;
      const m = PAGER_AT.exec(text);
      if (m) {
        const s = m.index + m[0].length - m[1]!.length;
        out.push(candidate('number', s, s + m[1]!.length, 'PHONE', 0.8));
      }
      continue;
    }
    const c0 = t.lower.charCodeAt(0);
    // "ext. 0578", "x221", "x 4111" after a phone: the extension, then the phone before it.
    if ((c0 === 120 && (t.lower.length === 1 || t.hasDigit)) || t.lower === 'ext') {
      EXTENSION_AT.lastIndex = t.start;
      const m = EXTENSION_AT.exec(text);
      const phone = m ? PHONE_BEFORE_EXT.exec(text.slice(Math.max(0, m.index - 24), m.index)) : null;
      // A cue and digits, as a spoken number after its cue: over the reading of "x 4111" alone.
      if (m && phone) out.push(candidate('cuedNumber', m.index - phone[0].length, m.index + m[0].length, 'PHONE', 0.85));
      continue;
    }
    // "899/486/4121", "(522)/563-1921": an area code and a slash.
    if (t.isDigits && t.end - t.start === 3 && text.charCodeAt(t.end) === 47) {
      const s = text.charCodeAt(t.start - 1) === 40 && text.charCodeAt(t.end) === 41 ? t.start - 1 : t.start;
      SLASHED_PHONE_AT.lastIndex = s;
      const m = SLASHED_PHONE_AT.exec(text);
      if (m) out.push(candidate('number', m.index, m.index + m[0].length, 'PHONE', 0.85));
    }
  }
}

// --- signatures ----------------------------------------------------------------------------------------------

/**
 * A signature: a line, or the last sentence of one, of one to three words of a name and a degree or a role
 * ("Lan Capobianco RN", "June Best MD P#86872", "Ginger Foley, LICSW beeper 00536", "Chidi (CM) page at 4139"),
 * or a role before the name ("CM Jill Foley x2810", "SW Cynthia, pg 6531", "Dr BEVERLY FOLEY, PGY-2, p 8-6483").
 */
const SIGN_ROLE_FIRST = /^(?:dr\.?|cm|sw|micu resident|resident)[ \t]+/i;
/** The first words of SIGN_ROLE_FIRST. */
const SIGN_ROLES = new Set(['dr', 'resident']);

function signatures(text: string, tokens: readonly Token[], out: Candidate[]): void {
  for (let k = 0; k < tokens.length; ) {
    const nl = text.indexOf('\n', tokens[k]!.start);
    const stop = nl < 0 ? text.length : nl;
    let e = k;
    // Only a line that holds a degree or a signer's role: most lines hold none, and are not read further.
    let signed = false;
    while (e < tokens.length && tokens[e]!.end <= stop) {
      if (!signed && (tokens[e]!.tags & TAG.ICU_WORD) !== 0 && (DEGREES.has(tokens[e]!.lower) || SIGN_ROLES.has(tokens[e]!.lower))) signed = true;
      e++;
    }
    if (signed && e > k + 1) signatureLine(text, tokens, k, e, out);
    k = Math.max(e, k + 1);
  }
}

/** A word of a signer's name: any word but small words, degrees, units of care and numbers ("Dottie Doppler RN"). */
function signerWord(t: Token | undefined): t is Token {
  return t !== undefined && !t.hasDigit && t.lower.length >= 2 && (t.flags & (WORD.CARE_UNIT | WORD.NUMBER)) === 0 && !FUNCTION_WORDS.has(t.lower) && !DEGREES.has(t.lower);
}

/** After the name: a degree or a role, maybe in brackets or between slashes ("RN", ", LICSW", " (CM)", " / CM /", ", PGY-2"). */
const DEGREE_AFTER = /^[ \t]*[,/]?[ \t]*\(?([a-z]{2,6})\)?(?=[ \t/,-]|$)/i;
/** Words of a signature after the degree: roles and ways to reach the signer. */
const SIGN_TAIL = new Set(['case', 'manager', 'attending', 'night', 'float', 'palliative', 'care', 'micu', 'resident', 'x', 'ext', 'pg', 'pgr', 'pager', 'page', 'at', 'beeper', 'bpr', 'p']);
/** After the name, only a way to reach the signer: ", x890", " / beeper #7-8229", ", pg 6531". */
const CONTACT = /^[ \t]*[,/]?[ \t]*(?:x|ext\.?|pg|pgr|pager|page at|beeper|bpr|p#?)[ \t]*#?[ \t]*[\d-]{3,9}[ \t]*$/i;

function signatureLine(text: string, tokens: readonly Token[], from: number, to: number, out: Candidate[]): void {
  // The line's last sentence ("see flowsheet for details. Lan Capobianco RN"); "Dr." and initials end none.
  let a = from;
  for (let k = to - 1; k > from; k--) {
    const prev = tokens[k - 1]!;
    const gap = text.slice(prev.end, tokens[k]!.start);
    if (/^[.;!?][ \t]/.test(gap) && !(gap[0] === '.' && (prev.lower === 'dr' || prev.lower === 'st' || prev.lower === 'ext' || prev.lower.length === 1))) {
      a = k;
      break;
    }
  }
  if (to - a < 2 || to - a > 9) return;
  let i = a;
  const head = SIGN_ROLE_FIRST.exec(text.slice(tokens[i]!.start, tokens[Math.min(to - 1, i + 2)]!.end));
  if (head) {
    const stopAt = tokens[i]!.start + head[0].length;
    while (i < to && tokens[i]!.end <= stopAt) i++;
  }
  // One to three words of a name, a space apart (a comma may end the last).
  const nameFrom = i;
  while (i < to && i - nameFrom < 3 && signerWord(tokens[i]) && (i === nameFrom || text.slice(tokens[i - 1]!.end, tokens[i]!.start) === ' ')) i++;
  const first = tokens[nameFrom]!;
  if (i === nameFrom || !tokens.slice(nameFrom, i).some(knownOrUnknown) || ((first.flags & (WORD.CLINICAL | WORD.RELATION)) !== 0 && (first.flags & (WORD.FIRST | WORD.LAST)) === 0)) return;
  const rest = text.slice(tokens[i - 1]!.end, tokens[to - 1]!.end);
  const degree = DEGREE_AFTER.exec(rest);
  // After a degree only degrees, roles and a way to reach the signer ("RN BSN Case Manager, beeper 3-2908"; not "SW aware").
  const tail = tokens.slice(i + 1, to).every((t) => t.hasDigit || DEGREES.has(t.lower) || SIGN_TAIL.has(t.lower));
  const ok = degree !== null && DEGREES.has(degree[1]!.toLowerCase()) ? tail : head !== null && CONTACT.test(rest);
  if (!ok) return;
  out.push(candidate('cuedName', tokens[nameFrom]!.start, tokens[i - 1]!.end, 'NAME', 0.75));
}

/** "left msg for YITZHAK", "left message for Bill": the word after is a person. */
const LEFT_MESSAGE = /\bleft (?:a )?(?:msg|message|vm|voicemail) (?:for|with) ([a-z][\w'-]*)/gi;

function messages(text: string, tokens: readonly Token[], out: Candidate[]): void {
  LEFT_MESSAGE.lastIndex = 0;
  for (let m = LEFT_MESSAGE.exec(text); m; m = LEFT_MESSAGE.exec(text)) {
    const s = m.index + m[0].length - m[1]!.length;
    const t = tokens.find((w) => w.start === s);
    if (!nameWord(t)) continue;
    out.push(candidate('cuedName', t.start, t.end, 'NAME', 0.75));
  }
}

// --- names that are words after a relation word -------------------------------------------------------------

/** Plural relation words of family meetings ("dtrs Fred and pete", "granddaughters pete and thuy"). */
const PLURAL_RELATIONS = new Set(['dtrs', 'daughters', 'sons', 'sisters', 'brothers', 'nieces', 'nephews', 'grandsons', 'granddaughters', 'grandchildren', 'cousins']);
/** Relation words for the patient, after whom a word is what the patient does ("pt tolerating"). */
const ABOUT_PATIENT = new Set(['pt', 'patient', 'pts', 'member', 'caller']);
/** What follows a name that stands alone after a relation word: punctuation, "and", a bracket, the line's end. */
const NAME_ENDS = /^(?:[ \t]*(?:[,;)]|\.(?:[ \t\n]|$)|\n|$)|[ \t]+(?:and|&)[ \t]|[ \t]+\()/i;
/** Words that follow a relation word and are no name ("wife here", "son aware"). */
const NOT_NAME_AFTER = new Set(['here', 'there', 'home', 'aware', 'updated', 'present', 'too', 'also', 'ok', 'at', 'in', 'is', 'was', 'and', 'or', 'of', 'the', 'a', 'an', 'to', 'by', 'for', 'with', 'who', 'that', 'has', 'had', 'will', 'would', 'may', 'can', 'called', 'visited', 'states', 'said', 'both', 'all', 'not', 'none']);

/**
 * A word that is also a word of English, a month or a verb after a relation word is the relative's name when it
 * stands alone: "son MAY,", "daughter Sugar and", "niece BLOSSOM.", "chaplain JUNE,"; after a plural relation
 * ("dtrs Fred and pete") both names. "wife will call" and "son may visit" stay words: a name ends there.
 */
function relativesNamedByWords(text: string, tokens: readonly Token[], out: Candidate[]): void {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const r = tokens[i]!;
    const plural = (r.tags & TAG.ICU_WORD) !== 0 && PLURAL_RELATIONS.has(r.lower);
    if (!plural && ((r.flags & (WORD.RELATION | WORD.CLINICIAN)) === 0 || ABOUT_PATIENT.has(r.lower))) continue;
    const n = tokens[i + 1]!;
    if (text.slice(r.end, n.start) !== ' ' || n.hasDigit || n.lower.length < 2 || (n.flags & (WORD.RELATION | WORD.CLINICIAN | WORD.CARE_UNIT | WORD.NUMBER | WORD.CLINICAL)) !== 0) continue;
    // A known name, also one that is a word ("May", "Sugar"), or a word of no dictionary.
    if ((n.flags & (WORD.FIRST | WORD.GIVEN_CUED | WORD.LAST | WORD.FAMILY_WORD)) === 0 && (n.flags & WORD.DICTIONARY) !== 0) continue;
    const after = text.slice(n.end, n.end + 6);
    const named = NAME_ENDS.test(after) && !(NOT_NAME_AFTER.has(n.lower) && n.text === n.lower);
    if (!named) continue;
    out.push(candidate('cuedName', n.start, n.end, 'NAME', 0.75));
    // "dtrs Fred and pete": the word after "and".
    const m = plural ? /^[ \t]+(?:and|&)[ \t]+/i.exec(after + text.slice(n.end + 6, n.end + 12)) : null;
    const second = m ? tokens[i + 3] : undefined;
    if (second !== undefined && second.start === n.end + m![0].length && nameWord(second)) out.push(candidate('cuedName', second.start, second.end, 'NAME', 0.75));
  }
}

/**
 * The words that start the token loops above, a word tag (word-tags.ts): most tokens of a note are none, and a
 * tag's bit is read with the token where each set would be looked up for every token.
 */
tagWords([...CHAINS, ...KIND_FIRST, ...PAGER_WORDS, ...DEGREES, ...SIGN_ROLES, ...PLURAL_RELATIONS], TAG.ICU_WORD);

// --- against: scores in a list -------------------------------------------------------------------------------

/** A score before: "4/5 LUE, " or "6/10 at rest, " ... the same denominator follows in a list. */
const SCORE_BEFORE = /(?:^|[^\d/])\d{1,2}\/(\d{1,2})\b[^\n]{0,24}$/;
/** Words after which "n/10" is a pain score. */
const PAIN_BEFORE = /\b(?:pain|ha|cramping|discomfort|ache|aching|now|rest|incisional)[ \t]+$/i;

function scoresInLists(text: string, out: Candidate[]): void {
  for (let k = out.length - 1; k >= 0; k--) {
    const c = out[k]!;
    if (c.kind !== 'shortDate' || c.label !== 'DATE') continue;
    const v = text.slice(c.start, c.end);
    const slash = v.indexOf('/');
    if (slash < 0) continue;
    const den = v.slice(slash + 1);
    const before = text.slice(Math.max(0, c.start - 30), c.start);
    const m = SCORE_BEFORE.exec(before);
    const inList = m !== null && m[1] === den && (den === '5' || den === '10' || den === '4' || den === '6');
    const pain = den === '10' && Number(v.slice(0, slash)) <= 10 && PAIN_BEFORE.test(before);
    if (inList || pain) out.splice(k, 1);
  }
}

export function findIcuNotes(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  if (ctx.genre !== 'clinical') return;
  if (text.includes('(')) bracketedInitials(text, tokens, out);
  recordsOf(text, tokens, out);
  // Homes start at a chain or before a kind of home, signatures need a degree or a role, and relatives named by
  // words follow a plural relation or a word of relation (both read from the words' tags and flags together).
  const icuWords = ((ctx.wordTags ?? -1) & TAG.ICU_WORD) !== 0;
  if (icuWords) homes(text, tokens, ctx, out);
  if (ctx.digits !== false) phones(text, tokens, out);
  if (icuWords) signatures(text, tokens, out);
  if (text.includes('left ') || text.includes('LEFT ')) messages(text, tokens, out);
  if (icuWords || ((ctx.wordFlags ?? -1) & (WORD.RELATION | WORD.CLINICIAN)) !== 0) relativesNamedByWords(text, tokens, out);
  if (text.includes('/')) scoresInLists(text, out);
  if (ctx.digits !== false) icuDates(text, tokens, out);
}
