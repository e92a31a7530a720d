/**
 * Evidence for and against PHI in nursing notes written by body system ("Neuro: ... CV: ..."), CCU,
 * neuro-ICU and trauma notes, timed events, transfer, family-update and plan-of-care notes (R-DATA-2,
 * issue 30), chosen on clinical-notes-h's dev split:
 * - for: an age over 89 run into the sex letter at the head of a sentence ("90F s/p fall", "101m w/ CHF"),
 *   the name before ", pt's <relation>" ("Dawn, pt's mother, brought in"), the name after "per" before a
 *   comma ("per Tesfaye, start TF"), a name before a clinician's role or service in brackets ("seen by Mehta
 *   (attending)", "KNIGHT (GI)"), an initial and a family name after a clinician's role ("covering resident
 *   L. LITTLE", "hospitalist V. Hall"), the outside hospital in brackets after "OSH" ("OSH (Kittredge)"), and
 *   the nurse a report is called to ("report called to Will RN");
 * - against (`systemEvidence`, run in the scoring step): a name or town before the head of a device, score
 *   or sign, maybe across a letter or two words of care ("Levin tube", "Salem sump", "Ramsay score", "Miami J
 *   collar", "Richmond agitation sedation scale", "Fisher grade 3"), or ending in one ("salem sump"); a relation
 *   word alone read as a name ("PT'S FIANCEE"); a "street" whose "Dr" is a clinician's title after a role
 *   ("2L OFF ATTENDING DR. LYLE", "2345 TRAUMA RES DR BOATENG").
 * Called from findClinical (clinical.ts) and score (evidence.ts); only in clinical notes.
 */
import { CH } from './chars.ts';
import type { ClinicalContext } from './clinical.ts';
import { firstTokenAt } from './evidence.ts';
import { DOCTOR_TITLES, HONORIFICS } from './name-cues.ts';
import { WORD } from './gazetteer.ts';
import type { GenreInfo } from './genre.ts';
import { candidate, type Candidate } from './resolution.ts';
import type { Token } from './tokens.ts';

/** Words no name is made of here: vocabulary of care, units, numbers and dates, cues, measures. */
const NOT_NAME = WORD.CLINICAL | WORD.CARE_UNIT | WORD.DATE | WORD.NUMBER | WORD.RELATION | WORD.CLINICIAN | WORD.MEASURE;
const KNOWN_NAME = WORD.FIRST | WORD.LAST | WORD.GIVEN_CUED;

/** A word that may be a name where a cue says one stands: no word of care, and a known name or no English word. */
function cuedWord(t: Token | undefined, ctx: ClinicalContext, familyWordOk: boolean): t is Token {
  if (t === undefined || t.hasDigit || t.lower.length < 2) return false;
  // A given name that is also a word of care ("frank, pt's uncle") is a name where the cue says one stands.
  if ((t.flags & WORD.FIRST) !== 0 && (t.flags & (NOT_NAME & ~WORD.CLINICAL)) === 0) return true;
  if ((t.flags & NOT_NAME) !== 0) return false;
  if ((t.flags & KNOWN_NAME) !== 0 || (t.flags & WORD.DICTIONARY) === 0) return true;
  // A family name that is a word ("Knight", "Day") where the cue is strong, or written with a capital where capitals mark names.
  return (t.flags & WORD.FAMILY_WORD) !== 0 && (familyWordOk || (ctx.caseMarksNames && t.isCap && !t.isUpper));
}

/** The token that starts at `offset`, if any. */
function tokenFrom(tokens: readonly Token[], offset: number): Token | undefined {
  const k = firstTokenAt(tokens, offset);
  const t = tokens[k];
  return t !== undefined && t.start === offset ? t : undefined;
}

/** "90F s/p", "101 m w/": an age over 89 and the sex letter before what the note says of the patient. */
const AGE_SEX_AT = /(?<![\w./-])(9\d|1[01]\d) ?[mf](?= (?:s\/p|w\/|h\/o|p\/w|(?:with|hx|adm|admitted|pmh|who|presents|presented|transferred|here)\b))/iy;
/** What stands before it: a line's or sentence's start, or "pt", "a", "is" (no temperature: "Tmax 101F w/ chills"). */
const AGE_LEAD = /(?:^|[\n:;.,][ \t]*|\b(?:pt|a|is|patient)[ \t]+)$/i;

/**
 * AGE_SEX (sticky) tried where a match can start, instead of at every position of the text: at a "9" or "1" that
 * starts a token holding a digit (every digit is in a token), or that follows a non-ASCII letter inside one (no
 * `\w` for the lookbehind; an ASCII character inside a token is `\w` or a joining "-"). No match holds another's
 * start, so the matches are a global search's, in its order.
 */
function agesBeforeSex(text: string, tokens: readonly Token[], out: Candidate[]): void {
  for (const t of tokens) {
    if (!t.hasDigit) continue;
    for (let p = t.start; p < t.end - 1; p++) {
      const c = text.charCodeAt(p);
      if ((c !== CH.DIGIT_9 && c !== CH.DIGIT_1) || (p > t.start && text.charCodeAt(p - 1) < CH.ASCII_END)) continue;
      AGE_SEX_AT.lastIndex = p;
      const m = AGE_SEX_AT.exec(text);
      if (!m || !AGE_LEAD.test(text.slice(Math.max(0, m.index - 12), m.index))) continue;
      out.push(candidate('age', m.index, m.index + m[1]!.length, 'AGE', 0.85));
    }
  }
}

/** "Dawn, pt's mother", "BILL, PT'S BROTHER": the word before a comma and the patient's relative (sticky: tried at the word before a comma). */
const BEFORE_PATIENTS_AT = /(?<![\w'-])([A-Za-z][\w'-]+), (?:pt|patient)['’]s ([a-z-]+)/iy;
/** "Mehta (attending)", "KNIGHT (GI)", "Battle (cards fellow)": a word before a clinician's role or service in brackets (sticky: tried at a word before " ("). */
const BEFORE_ROLE_AT = /(?<![\w'-])([A-Za-z][\w'-]+) \(([a-z]+)(?: ([a-z]+))?\)/iy;
const ROLES = new Set(['attending', 'fellow', 'resident', 'intern', 'hospitalist', 'np', 'pa', 'md', 'rn', 'cards', 'cardiology', 'pulm', 'pulmonary', 'gi', 'renal', 'nephrology', 'id', 'surgery', 'surg', 'neuro', 'neurology', 'nsgy', 'neurosurgery', 'ortho', 'onc', 'oncology', 'heme', 'ep', 'anesthesia', 'trauma', 'icu', 'micu', 'sicu', 'ccu', 'palliative', 'psych', 'psychiatry', 'geri', 'urology', 'vascular', 'thoracic']);
/** "OSH (Kittredge)", "osh (sbh)": the outside hospital named in brackets. */
const OSH_NAMED = /\bosh \(([A-Za-z][\w'.-]*(?: [A-Za-z][\w'.-]*){0,3})\)/gi;
/** "last seen at Sharon Medical", "from waterville medical": a town and "Medical", a hospital's short name. */
const TOWN_MEDICAL = /\b(?:at|from|to)[ \t]+([A-Za-z][\w'-]+)[ \t]+medical\b(?![ \t]+(?:cent(?:er|re)|ctr|group|records?|team|history|hx|icu|floor|service|services|clinic|associates|office|director|student|staff))/gi;
/** "report called to Will RN", "REPORT GIVEN TO INES OKAFOR, RN": the nurse who takes the report. */
const REPORT_TO = /\breport (?:called|given|phoned) to ([A-Za-z][\w'-]+(?: [A-Za-z][\w'-]+)?),? (?:rn|lpn)\b/gi;

function cuedByPhrase(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  // At the word before each comma followed by " p": a match starts at such a word's first character and nowhere
  // else (the lookbehind); one that would start inside the match before is none, as in a global regex's search.
  let after = 0;
  for (let comma = text.indexOf(','); comma >= 0; comma = text.indexOf(',', comma + 1)) {
    const s = wordRunStart(text, comma);
    if (s < after || comma + 2 >= text.length || text.charCodeAt(comma + 1) !== CH.SPACE || (text.charCodeAt(comma + 2) | CH.CASE_BIT) !== CH.LOWER_P) continue;
    BEFORE_PATIENTS_AT.lastIndex = s;
    const m = BEFORE_PATIENTS_AT.exec(text);
    if (m) {
      after = m.index + m[0].length;
      const rel = tokenFrom(tokens, m.index + m[0].length - m[2]!.length);
      const t = tokenFrom(tokens, m.index);
      if (rel === undefined || (rel.flags & WORD.RELATION) === 0 || !cuedWord(t, ctx, false)) continue;
      out.push(candidate('cuedName', t.start, t.end, 'NAME', 0.8));
    }
  }
  // The rest name clinicians, or the place the patient came from.
  cliniciansByPhrase(text, tokens, ctx, out);
  if (ctx.spaceBracket ?? text.includes(' (')) {
    OSH_NAMED.lastIndex = 0;
    for (let m = OSH_NAMED.exec(text); m; m = OSH_NAMED.exec(text)) {
      const start = m.index + m[0].indexOf('(') + 1;
      const end = start + m[1]!.length;
      const words = tokens.filter((t) => t.start >= start && t.end <= end);
      // "OSH (CT head)": the bracket holds what was done there, not where.
      if (words.some((t) => t.hasDigit || ((t.flags & (WORD.CLINICAL | WORD.CARE_UNIT | WORD.DATE | WORD.NUMBER)) !== 0 && (t.flags & WORD.FACILITY) === 0))) continue;
      out.push(candidate('facility', start, end, 'LOCATION', 0.8));
    }
  }
  if (/medical/i.test(text)) {
    TOWN_MEDICAL.lastIndex = 0;
    for (let m = TOWN_MEDICAL.exec(text); m; m = TOWN_MEDICAL.exec(text)) {
      const t = tokenFrom(tokens, m.index + m[0].length - 8 - m[1]!.length);
      if (t === undefined || (t.flags & (WORD.CITY | WORD.PLACE)) === 0 || (t.flags & (WORD.CLINICAL | WORD.CARE_UNIT)) !== 0) continue;
      out.push(candidate('facility', t.start, m.index + m[0].length, 'LOCATION', 0.8));
    }
  }
}

/** `\w` of a regex without the "u" flag: an ASCII letter or digit, or "_". */
function asciiWordCode(c: number): boolean {
  return (c >= CH.LOWER_A && c <= CH.LOWER_Z) || (c >= CH.UPPER_A && c <= CH.UPPER_Z) || (c >= CH.DIGIT_0 && c <= CH.DIGIT_9) || c === CH.UNDERSCORE;
}

/** `[\w'-]`, the characters of a word in the regexes here. */
function regexWordCode(c: number): boolean {
  return asciiWordCode(c) || c === CH.APOSTROPHE || c === CH.HYPHEN;
}

/** Where the run of `[\w'-]` characters that ends at `end` starts (`end` when there is none). */
function wordRunStart(text: string, end: number): number {
  let s = end;
  while (s > 0 && regexWordCode(text.charCodeAt(s - 1))) s--;
  return s;
}

const PER_BEFORE = /per /iy;

/**
 * "per Tesfaye, start TF": the word between "per" and a comma, as `/\bper ([A-Za-z][\w'-]+),/gi` finds it, read
 * back from each comma (a comma is found at memchr's speed; the regex tried every position of the text): the
 * word is the run of `[\w'-]` before the comma, since the space before it is none.
 */

function perNames(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  for (let comma = text.indexOf(','); comma >= 0; comma = text.indexOf(',', comma + 1)) {
    const s = wordRunStart(text, comma);
    const first = text.charCodeAt(s) | CH.CASE_BIT;
    if (comma - s < 2 || s < 4 || first < CH.LOWER_A || first > CH.LOWER_Z || text.charCodeAt(s - 1) !== CH.SPACE) continue;
    // "per " before it, with a word boundary before "per" (`\b`: no `\w` there).
    PER_BEFORE.lastIndex = s - 4;
    if (!PER_BEFORE.test(text) || (s > 4 && asciiWordCode(text.charCodeAt(s - 5)))) continue;
    const t = tokenFrom(tokens, s);
    if (cuedWord(t, ctx, false)) out.push(candidate('cuedName', t.start, t.end, 'NAME', 0.75));
  }
}

function cliniciansByPhrase(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  if (!ctx.includeClinicians) return;
  perNames(text, tokens, ctx, out);
  if (ctx.spaceBracket ?? text.includes(' (')) {
    // At the word before each " (": a match starts at such a word's first character and nowhere else (the
    // lookbehind), and no match holds a "(" but its own.
    for (let open = text.indexOf('('); open >= 0; open = text.indexOf('(', open + 1)) {
      if (open === 0 || text.charCodeAt(open - 1) !== CH.SPACE) continue;
      BEFORE_ROLE_AT.lastIndex = wordRunStart(text, open - 1);
      const m = BEFORE_ROLE_AT.exec(text);
      if (!m) continue;
      if (!ROLES.has(m[2]!.toLowerCase()) || (m[3] !== undefined && !ROLES.has(m[3].toLowerCase()))) continue;
      const t = tokenFrom(tokens, m.index);
      if (!cuedWord(t, ctx, true)) continue;
      // A known given name before it is the same person's ("Chase McAllister (RT)").
      const k = firstTokenAt(tokens, t.start);
      const given = tokens[k - 1];
      const start = given !== undefined && given.end === t.start - 1 && (given.flags & WORD.FIRST) !== 0 && (given.flags & (NOT_NAME | WORD.COMMON)) === 0 ? given.start : t.start;
      out.push(candidate('cuedName', start, t.end, 'NAME', 0.8));
    }
  }
  REPORT_TO.lastIndex = 0;
  for (let m = REPORT_TO.exec(text); m; m = REPORT_TO.exec(text)) {
    const start = m.index + m[0].toLowerCase().lastIndexOf(' to ') + 4;
    const end = start + m[1]!.length;
    const words = tokens.filter((t) => t.start >= start && t.end <= end);
    if (words.length === 0 || words.some((t) => t.hasDigit || (t.flags & (WORD.CLINICAL | WORD.CARE_UNIT | WORD.RELATION | WORD.CLINICIAN)) !== 0)) continue;
    out.push(candidate('cuedName', start, end, 'NAME', 0.8));
  }
}

/** "resident L. LITTLE", "hospitalist V. Hall", "MD T. Rosenberg": a role, an initial with its period, a family name. */
function initialsAfterRoles(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  if (!ctx.includeClinicians) return;
  for (let i = 0; i + 2 < tokens.length; i++) {
    const role = tokens[i]!;
    if ((role.flags & WORD.CLINICIAN) === 0) continue;
    const initial = tokens[i + 1]!;
    const name = tokens[i + 2]!;
    if (initial.start !== role.end + 1 || initial.end - initial.start !== 1 || initial.isDigits || text.slice(initial.end, name.start) !== '. ') continue;
    if (!cuedWord(name, ctx, true)) continue;
    out.push(candidate('cuedName', initial.start, name.end, 'NAME', 0.8));
    i += 2;
  }
}

export function findSystemNotes(text: string, tokens: readonly Token[], ctx: ClinicalContext, out: Candidate[]): void {
  if (ctx.genre !== 'clinical') return;
  if (ctx.digits !== false) agesBeforeSex(text, tokens, out);
  cuedByPhrase(text, tokens, ctx, out);
  if (((ctx.wordFlags ?? -1) & WORD.CLINICIAN) !== 0) initialsAfterRoles(text, tokens, ctx, out);
}

// --- evidence against ---------------------------------------------------------------------------------

/** Heads of devices, scores, signs and procedures named after a person or a town ("Levin tube", "Miami J collar"). */
const DEVICE_HEADS = new Set(['tube', 'tubes', 'sump', 'drain', 'drains', 'score', 'scale', 'pouch', 'grade', 'criteria', 'collar', 'class', 'triad', 'valve', 'lift', 'belt', 'vest', 'formula', 'catheter', 'cath', 'traction', 'splint', 'frame', 'procedure', 'position']);
/** Roles and services before a "Dr" that is a title, no street ("ATTENDING DR. LYLE", "TRAUMA RES DR BOATENG"). */
const ROLE_BEFORE_TITLE = new Set(['res', 'covering', 'trauma', 'surg', 'nsgy', 'neurosurg', 'renal', 'cards', 'pulm', 'gi', 'id', 'ep', 'ortho', 'team', 'micu', 'sicu', 'ccu', 'icu', 'oncall', 'on-call']);
/** Titles after which a relation word is a family name ("Dr. Friend"). */
const TITLES = new Set([...DOCTOR_TITLES, ...HONORIFICS]);
const JUDGED = new Set<Candidate['kind']>(['lexicalName', 'lexicalPlace', 'nameMention', 'street']);

/** After the candidate's last word, past a letter or up to two words of care: a device's or score's head. */
function deviceHeadAfter(tokens: readonly Token[], last: number): boolean {
  for (let k = last + 1; k <= last + 3 && k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.start - tokens[k - 1]!.end > 1) return false;
    if (DEVICE_HEADS.has(t.lower)) return true;
    // Between them a letter ("Miami J collar") or an uncommon word of care or of English that is no name
    // ("agitation sedation", "coma"); not "Dr. Lake to place tube".
    if (t.end - t.start === 1 && !t.isDigits) continue;
    if ((t.flags & (WORD.CLINICAL | WORD.DICTIONARY)) === 0 || (t.flags & WORD.COMMON) !== 0) return false;
    if ((t.flags & KNOWN_NAME) !== 0 && (t.flags & WORD.CLINICAL) === 0) return false;
  }
  return false;
}

/** A street whose "dr" follows a clinician's role: the title of the name after it. */
function titleAsStreet(tokens: readonly Token[], a: number, b: number): boolean {
  for (let k = Math.max(a, 1); k <= b; k++) {
    if (tokens[k]!.lower !== 'dr') continue;
    const prev = tokens[k - 1]!;
    if ((prev.flags & WORD.CLINICIAN) !== 0 || ROLE_BEFORE_TITLE.has(prev.lower)) return true;
  }
  return false;
}

/** Words of a pager before its number: no part of the name before them ("Dunleavy page 49472"). */
const PAGER_WORDS = new Set(['page', 'pager', 'pgr', 'beeper', 'bpr']);
/** "interpreter Erzsebet (Somali)", "Interpreter (Haitian Creole)": the bracket names a language. */
const INTERPRETER_BEFORE = /\binterpreter\b[^()\n]{0,30}\($/i;

/** A name ending in a pager's word before a number is cut before it; true when nothing is left. */
function pagerWordCut(c: Candidate, tokens: readonly Token[], a: number, b: number): boolean {
  const next = tokens[b + 1];
  if (!PAGER_WORDS.has(tokens[b]!.lower) || next === undefined || !next.hasDigit) return false;
  // "Dr. Page 4-5512": after a title the word is the family name.
  if (b === a) return !TITLES.has(tokens[a - 1]?.lower ?? '');
  c.end = tokens[b - 1]!.end;
  return false;
}

/** The weight each holds is `weight` (evidence.ts, `systemShape`). */
export function systemEvidence(candidates: Candidate[], tokens: readonly Token[], genre: GenreInfo, text: string | undefined, weight: number): void {
  if (!genre.clinical) return;
  for (const c of candidates) {
    if (c.label !== 'NAME' && !JUDGED.has(c.kind)) continue;
    const a = firstTokenAt(tokens, c.start);
    let b = a;
    while (b + 1 < tokens.length && tokens[b + 1]!.start < c.end) b++;
    if (a >= tokens.length) continue;
    if (c.label === 'NAME' && pagerWordCut(c, tokens, a, b)) {
      c.confidence += weight;
      continue;
    }
    if (!JUDGED.has(c.kind)) continue;
    let against = text !== undefined && c.label !== 'ADDRESS' && INTERPRETER_BEFORE.test(text.slice(Math.max(0, c.start - 40), c.start));
    if (against) {
      // A language in brackets after "interpreter".
    } else if (c.kind === 'street') against = titleAsStreet(tokens, a, b);
    else if (c.label === 'NAME' || c.label === 'LOCATION') {
      // A head after the name, or inside a run read as one ("LEVIN TUBE TO LIS", "salem sump").
      against = deviceHeadAfter(tokens, b);
      for (let k = a + 1; k <= b && !against; k++) against = DEVICE_HEADS.has(tokens[k]!.lower) && (tokens[k]!.flags & KNOWN_NAME) === 0;
      if (!against && c.label === 'NAME' && c.kind === 'lexicalName') {
        // A relation word alone ("PT'S FIANCEE"), or letters and digits ("P7" of "Impella P7"), is no name.
        // A relation word that is also a family name ("Friend") keeps the name's reading.
        const relation = a === b && (tokens[a]!.flags & WORD.RELATION) !== 0 && (tokens[a]!.flags & (WORD.FAMILY_WORD | WORD.LAST)) === 0;
        against = (relation && !TITLES.has(tokens[a - 1]?.lower ?? '')) || tokens.slice(a, b + 1).every((t) => t.hasDigit);
        // A title inside a run of capitals starts the name: "TRAUMA RES DR BOATENG" is "BOATENG".
        for (let k = b - 1; k > a && !against; k--) {
          if (tokens[k]!.lower === 'dr') {
            c.start = tokens[k + 1]!.start;
            break;
          }
        }
      }
    }
    if (against) c.confidence += weight;
  }
}
