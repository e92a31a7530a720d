/**
 * What a call says in words (R-DATA-2): spoken digits, letters and years outside the written patterns,
 * e-mail addresses said aloud, names spelled letter by letter, and the answer to the previous
 * utterance's question ("what's your name?" "uh it's maria gonzalez"). Called by utterance.ts.
 */
import { CH } from './chars.ts';
import { cueBefore } from './context.ts';
import { WORD, type Gazetteer } from './gazetteer.ts';
import { ENDS_NAME, isContraction } from './names.ts';
import { AGE_LEAD, AGE_UNIT_AFTER } from './patterns.ts';
import { candidate, type Candidate } from './resolution.ts';
import { aidAfter, isNumberWord, type NumberRun } from './spoken-numbers.ts';
import type { Token } from './tokens.ts';
import type { PhiLabel } from './types.ts';

const NUMERIC_LABELS = new Set<PhiLabel>(['PHONE', 'FAX', 'SSN', 'MRN', 'HEALTH_PLAN', 'ACCOUNT', 'LICENSE', 'VEHICLE', 'DEVICE', 'ID', 'ADDRESS']);
const NUM_WORD = '(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|double|triple)';
const LETTER = '(?:double )?[a-z](?: (?:as in|like) [a-z][a-z-]+)?';
/**
 * Letters spelled one by one (with the words that say which, "d like delta r a k o h"), or a word after at
 * most one initial ("t mcgrath at yahoo dot com", "min-ji dot walsh") and before letters spelled one by
 * one ("zudra b e n s o n", "temjize n"), or letters before a word ("j a m shepherd").
 */
const LOCAL_WORD = `(?:${LETTER}(?: ${LETTER}){1,24}(?: [a-z][a-z\\d]{2,})?|(?:[a-z] )?[a-z\\d]+(?:-[a-z\\d]+)?(?: ${LETTER}){0,24})`;
const TLD = '(?:com|org|net|edu|gov|us|io|co|info|biz|me|uk|ca|health)';
/**
 * "john dot smith at gmail dot com", "cora three eight at example dot org", "jack@gmail dot com", and a
 * domain heard as two words ("at proton mail dot com", "at hot mail dot com"); "at the rate" is "@" as many
 * speakers of Indian English say it.
 */
const SPOKEN_EMAIL = new RegExp(`\\b((?:${LOCAL_WORD}(?:(?: (?:dot|underscore|dash|hyphen|period) ${LOCAL_WORD})| ${NUM_WORD})*) (?:at|at sign|at symbol|at the rate(?: of)?) |[a-z\\d._-]+@)((?!(?:the|a|an|my|your|our|his|her|their) )[a-z\\d]+(?: [a-z\\d]+)?(?:(?: dot |\\.)[a-z\\d]+)*(?: dot |\\.)${TLD})\\b(?! slash )`, 'g');
const TIME_UNIT_AFTER = /^ ?(?:a\.? ?m\b|p\.? ?m\b|o'clock|in the (?:morning|afternoon|evening)|(?:to|until|till) (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|\d))/;
const DECIMAL_INSIDE = /\d\.\d/;
/** Words before a time of day: "at eight forty five", "open seven thirty to six". */
const TIME_BEFORE = new Set(['at', 'open', 'opens', 'until', 'till', 'around', 'about']);
const FILLER = new Set(['yes', 'yeah', 'yep', 'sure', 'ok', 'okay', 'it', 'its', "it's", 'is', 'my', 'name', 'names', 'the', 'uh', 'um', 'so', 'that', 'thats', "that's", 'this', 'i', 'am', "i'm", 'im', 'of', 'course', 'first', 'last', 'full', 'and', 'please', 'well', 'oh', 'hi', 'hello', 'right', 'correct', 'spelled', 'spell', 'like', 'no', 'sorry', 'wait', 'mean', 'actually',
  // Hesitations before the answer: "hold on its darnell shah", "let me see", "you know", "hang on".
  'hold', 'on', 'hang', 'let', 'me', 'see', 'you', 'know']);

/** Spoken digits, letters and years outside the patterns (which handle digits written as digits). */
export function spokenRuns(text: string, tokens: readonly Token[], given: readonly NumberRun[], expectation: PhiLabel | undefined, out: Candidate[]): void {
  const runs = given.length > 1 ? joinGroups(text, given) : given;
  for (let n = 0; n < runs.length; n++) {
    const r = runs[n]!;
    // Written digits are the patterns' (patterns.ts), except groups of them said as the date asked for
    // ("what's your birthday" "it's 9 10 32"), and a number alone that answers for a number asked for
    // ("the last four of your social" "1615").
    const dateGroups = r.lastToken > r.firstToken && r.digitCount >= 4 && r.digitCount <= 8;
    if (!r.isSpoken && r.letterCount === 0 && !(dateGroups && (expectation === 'DATE' || cueBefore(text, r.start) === 'DATE')) && !(expectation !== undefined && NUMERIC_LABELS.has(expectation) && r.digitCount >= 4 && runs.length === 1 && r.firstToken <= 3)) continue;
    // "march nineteenth of nineteen fifty two", "eleven twenty four slash nineteen eighty nine": a year
    // after "of" or "slash" goes with the date before it.
    if (r.letterCount === 0 && yearAfterDate(text, r, out)) continue;
    const slashed = r.letterCount === 0 ? slashedDate(text, r, runs[n + 1]) : undefined;
    if (slashed !== undefined) {
      out.push(candidate('spokenDate', r.start, slashed.end, 'DATE', 0.8));
      n++;
      continue;
    }
    // Written decimals among letters are lab values ("k 3.25", "mg 1.8"), not a spelled identifier.
    if (!r.isSpoken && DECIMAL_INSIDE.test(text.slice(r.start, r.end))) continue;
    const after = text.slice(r.end, r.end + 16).toLowerCase();
    if (/^[ -]*years?[ -]*(?:old|of age)/.test(after) || /^[ -]*(?:yo|y\/o)\b/.test(after)) {
      out.push(candidate('age', r.start, r.end, 'AGE', 0.85));
      continue;
    }
    // "she's a hundred and two": the "a" of "a hundred" belongs to the age.
    const from = tokens[r.firstToken]!.lower === 'hundred' && text.slice(r.start - 2, r.start) === 'a ' ? r.start - 2 : r.start;
    if (AGE_LEAD.test(text.slice(Math.max(0, from - 16), from)) && !AGE_UNIT_AFTER.test(after) && r.letterCount === 0 && r.digitCount <= 3) {
      out.push(candidate('age', from, r.end, 'AGE', 0.75));
      continue;
    }
    // A time of day ("at eight forty five", "ten thirty a m") is no identifier.
    if (r.letterCount === 0 && r.digitCount <= 4 && (TIME_BEFORE.has(tokens[r.firstToken - 1]?.lower ?? '') || TIME_UNIT_AFTER.test(after))) continue;
    const cue = cueBefore(text, r.start) ?? (expectation && NUMERIC_LABELS.has(expectation) ? expectation : undefined);
    const total = r.digitCount + r.letterCount;
    if (cue && NUMERIC_LABELS.has(cue) && r.digitCount >= 3) {
      out.push(candidate('cuedNumber', r.start, r.end, cue === 'ADDRESS' && !(r.digitCount === 5 && r.letterCount === 0) ? 'ID' : cue, 0.85));
    } else if ((cue === 'DATE' || expectation === 'DATE') && r.digitCount >= 3) {
      out.push(candidate('cuedNumber', r.start, r.end, 'DATE', 0.75));
    } else if (cue === 'AGE' || expectation === 'AGE') {
      out.push(candidate('cuedNumber', r.start, r.end, 'AGE', 0.75));
    } else if (r.letterCount === 0 && r.digitCount >= 7 && !isQuantity(tokens, r)) {
      out.push(candidate('spokenNumber', r.start, r.end, r.digitCount <= 11 ? 'PHONE' : 'ID', 0.75));
    } else if (r.letterCount > 0 && r.digitCount >= 3 && total >= 5) {
      out.push(candidate('spokenNumber', r.start, r.end, 'ID', 0.7));
    }
    // "… two one two extension four one": a phone number's extension is part of it.
    const last = out[out.length - 1];
    const ext = runs[n + 1];
    if (ext !== undefined && last !== undefined && last.end === r.end && (last.label === 'PHONE' || last.label === 'FAX') && ext.letterCount === 0 && ext.digitCount <= 5 && EXTENSION.test(text.slice(r.end, ext.start))) {
      last.end = ext.end;
      n++;
    }
  }
}

/** A year of two or four digits ("fifty two", "nineteen fifty two", "two thousand four"). */
function yearLike(value: string): boolean {
  return value.length === 2 || (value.length === 4 && (value.startsWith('19') || value.startsWith('20')));
}

/** A date candidate that ends right before " of " or " slash " and this run, a year: extended over it. */
function yearAfterDate(text: string, r: NumberRun, out: Candidate[]): boolean {
  if (!yearLike(r.value)) return false;
  const gap = text.charCodeAt(r.start - 2) === CH.LOWER_F ? 4 : 7;
  const between = text.slice(r.start - gap, r.start);
  if (between !== ' of ' && between !== ' slash ') return false;
  for (let k = out.length - 1; k >= 0; k--) {
    const c = out[k]!;
    if (c.label === 'DATE' && c.end === r.start - gap) {
      c.end = r.end;
      return true;
    }
  }
  return false;
}

/**
 * Month and day, "slash", year ("eleven twenty four slash nineteen eighty nine"), or month, "slash", day
 * and year ("three slash twenty seven nineteen fifty one"): the two runs as one date.
 */
function slashedDate(text: string, a: NumberRun, b: NumberRun | undefined): NumberRun | undefined {
  if (b === undefined || b.letterCount !== 0 || text.slice(a.end, b.start) !== ' slash ') return undefined;
  const monthDay = (v: string) => (v.length === 3 || v.length === 4) && month(v.slice(0, v.length - 2)) && day(v.slice(-2));
  if (monthDay(a.value) && yearLike(b.value)) return b;
  if (a.value.length <= 2 && month(a.value) && (b.value.length === 4 || b.value.length === 6) && day(b.value.slice(0, 2)) && yearLike(b.value.slice(2))) return b;
  return undefined;
}
const month = (v: string) => Number(v) >= 1 && Number(v) <= 12;
const day = (v: string) => Number(v) >= 1 && Number(v) <= 31;

/** Between a phone number and its extension: " extension ", " ext ", " x ". */
const EXTENSION = /^ (?:extension|ext|x) $/;

/**
 * Groups of a phone number said with "and" between them ("nine five two and six nine oh double seven four
 * seven", "three one six two two six and seventy five eighty four"): three digits and seven, or six and
 * four, no letter, one "and" between, are one run of ten digits. Other runs are returned as they are.
 */
function joinGroups(text: string, runs: readonly NumberRun[]): readonly NumberRun[] {
  let joined: NumberRun[] | undefined;
  for (let k = 0; k + 1 < runs.length; k++) {
    const a = runs[k]!;
    const b = runs[k + 1]!;
    if (a.letterCount !== 0 || b.letterCount !== 0 || !a.isSpoken || !b.isSpoken || a.digitCount + b.digitCount !== 10 || (a.digitCount !== 3 && a.digitCount !== 6)) continue;
    if (text.slice(a.end, b.start) !== ' and ') continue;
    joined ??= runs.slice();
    const at = joined.indexOf(a);
    joined.splice(at, 2, { ...a, end: b.end, lastToken: b.lastToken, value: a.value + b.value, digitCount: 10 });
    k++;
  }
  return joined ?? runs;
}

/**
 * A run said as an amount, "hundred" before "thousand" ("one hundred thousand two hundred and
 * seventeenth"): phone numbers and identifiers are said digit by digit or in groups ("five five five one
 * thousand"), never so.
 */
function isQuantity(tokens: readonly Token[], r: NumberRun): boolean {
  let hundred = false;
  for (let k = r.firstToken; k <= r.lastToken; k++) {
    const w = tokens[k]!.lower;
    if (w === 'hundred') hundred = true;
    else if (w === 'thousand' && hundred) return true;
  }
  return false;
}

/** How many words before spelled letters a spelling cue may stand. */
const SPELL_CUE_WINDOW = 6;
const SPELL_CUES = new Set(['spelled', 'spell', 'spelling', 'name', 'names', "that's", 'thats']);

/**
 * A name spelled out letter by letter ("sokolov s o k o l o v", "last name i v a n o v", "spelled w a l s h"):
 * three or more single letters after a spelling cue or right after a name. Letters followed by a number
 * ("m r n four four seven") are an identifier and left to the spoken-number runs.
 */
export function spelledNames(text: string, tokens: readonly Token[], expectation: PhiLabel | undefined, out: Candidate[]): void {
  for (let i = 0; i < tokens.length; i++) {
    if (!isSpelledLetter(tokens[i]!)) continue;
    let j = i;
    let count = 1;
    for (;;) {
      // The word that says which letter it is ("b as in boy", "d like david") belongs to the spelling.
      const aid = aidAfter(tokens, j);
      const k = j + aid;
      // "double l", "triple e": a letter said twice or three times.
      const repeated = tokens[k + 1] !== undefined && (tokens[k + 1]!.lower === 'double' || tokens[k + 1]!.lower === 'triple') && tokens[k + 2] !== undefined && isSpelledLetter(tokens[k + 2]!) ? 1 : 0;
      const n = tokens[k + 1 + repeated];
      // A line break ends the spelling ("p r u i t t" / "i had surgery").
      if (n !== undefined && isSpelledLetter(n) && n.start - tokens[k + repeated]!.end <= 2 && text.charCodeAt(tokens[k]!.end) !== CH.SLASH && !text.slice(tokens[k + repeated]!.end, n.start).includes('\n')) {
        j = k + 1 + repeated;
        count += 1 + repeated;
      } else {
        j = k;
        break;
      }
    }
    // "zhang that's z h a n g", "le l e", "petrov p e t r o like oscar v like victory": the word the letters
    // spell, said just before them, is the name, and so are the letters, however few and whatever follows.
    if (ABBREVIATIONS.has(spelledText(tokens, i, j))) {
      i = j;
      continue;
    }
    const spelt = count >= 2 ? spelledWordBefore(text, tokens, i, j) : undefined;
    if (spelt !== undefined) {
      const w = tokens[spelt.word]!;
      // Found inside a longer name already ("madelyn underwood u n d …"): that one stands whole.
      if (!out.some((c) => c.label === 'NAME' && c.start <= w.start && c.end >= w.end)) out.push(candidate('spelledName', w.start, w.end, 'NAME', 0.85));
      out.push(candidate('spelledName', tokens[i]!.start, tokens[spelt.last]!.end, 'NAME', 0.85));
      i = j;
      continue;
    }
    const next = tokens[j + 1];
    if (count >= 3 && !(next && (isNumberWord(next.lower) || next.isDigits) && tokens[j + 1]!.start - tokens[j]!.end <= 2)) {
      const start = tokens[i]!.start;
      let cued = false;
      // A cue a few words before: "can you spell the last name for me yeah b o o …".
      for (let k = Math.max(0, i - SPELL_CUE_WINDOW); k < i; k++) if (SPELL_CUES.has(tokens[k]!.text.toLowerCase())) cued = true;
      const afterName = out.some((c) => c.label === 'NAME' && c.end <= start && start - c.end <= 24);
      if (cued || afterName || (expectation === 'NAME' && i < 3)) out.push(candidate('spelledName', start, tokens[j]!.end, 'NAME', 0.8));

    }
    i = j;
  }
}

/** Abbreviations said letter by letter in a call that are no one's name. */
const ABBREVIATIONS = new Set(['dob', 'ssn', 'mrn', 'npi', 'dmv', 'eob', 'hmo', 'ppo', 'icu', 'dme', 'cvs', 'tv', 'id', 'er', 'pa', 'np', 'md', 'rn', 'usa', 'atm', 'pin', 'abc', 'asap']);

/** The letters spelled from token i to j, lower case (the words of "as in" left out, "double" not read). */
function spelledText(tokens: readonly Token[], i: number, j: number): string {
  let s = '';
  for (let m = i; m <= j && s.length < 6; m++) if (isSpelledLetter(tokens[m]!)) s += tokens[m]!.lower;
  return s;
}

/** Words between a name and its spelling: "zhang that's z h …", "liu its l i u", "lamb spelled l a m b". */
const BEFORE_SPELLING = new Set(['that', 'thats', 'it', 'its', 'spelled', 'is', 'uh', 'um', 'like', 'and']);

/**
 * The token just before the spelled letters from i to j (a few words between allowed) whose letters are
 * the ones spelled ("double l" counts twice, "as in larry" none), and the spelling's last token.
 */
function spelledWordBefore(text: string, tokens: readonly Token[], i: number, j: number): { word: number; last: number } | undefined {
  let k = i - 1;
  while (k >= 0 && i - k <= 3 && BEFORE_SPELLING.has(tokens[k]!.lower)) k--;
  const w = tokens[k];
  if (w === undefined || w.lower.length < 2 || w.lower.length > 24 || i - k > 4) return undefined;
  let letters = '';
  let repeat = 1;
  for (let m = i; m <= j; m++) {
    const t = tokens[m]!;
    if (t.lower === 'double' || t.lower === 'triple') repeat = t.lower === 'double' ? 2 : 3;
    else if (isSpelledLetter(t)) {
      // The word of an aid ("as in x-ray") is longer than a letter: only the letters are read.
      letters += t.lower.repeat(repeat);
      repeat = 1;
    }
  }
  let word = '';
  for (let c = 0; c < w.lower.length; c++) {
    const ch = w.lower.charCodeAt(c);
    if (ch >= CH.LOWER_A && ch <= CH.LOWER_Z) word += w.lower[c];
  }
  // A pronoun or article after the spelling ("… v i s t i waited"): the letters without it.
  if (word.length < 2 || text.charCodeAt(w.end) === CH.SLASH) return undefined;
  if (word === letters) return { word: k, last: j };
  const lastIsWord = j > i && (tokens[j]!.lower === 'i' || tokens[j]!.lower === 'a');
  return lastIsWord && word === letters.slice(0, -1) ? { word: k, last: j - 1 } : undefined;
}

function isSpelledLetter(t: Token): boolean {
  const c = t.text.charCodeAt(0);
  return t.end - t.start === 1 && ((c >= CH.LOWER_A && c <= CH.LOWER_Z) || (c >= CH.UPPER_A && c <= CH.UPPER_Z));
}

/** The answer to the previous utterance's question: "what's your name?" "uh it's maria gonzalez". */
export function answerTo(expectation: PhiLabel, text: string, tokens: readonly Token[], runs: readonly NumberRun[], g: Gazetteer, out: Candidate[]): void {
  if (expectation === 'LOCATION') {
    // "Where: Erwetegem Country Club": the capitalised words that start the line, up to a common word.
    let end = -1;
    for (let k = 0; k < tokens.length && k < 5; k++) {
      const t = tokens[k]!;
      if (!t.isCap || ((t.flags & WORD.COMMON) !== 0 && (t.flags & (WORD.PLACE | WORD.CITY)) === 0)) break;
      end = t.end;
    }
    if (end > 0) out.push(candidate('answer', tokens[0]!.start, end, 'LOCATION', 0.7));
  } else if (expectation === 'NAME') {
    // Each run of name-like words is a name; fillers ("uh", "last name") between them are not.
    let start = -1;
    let end = -1;
    for (let k = 0; k < tokens.length && k < 12; k++) {
      const t = tokens[k]!;
      // A line break ends the answer ("otis quifenober" / "perfect").
      if (k > 0 && text.slice(tokens[k - 1]!.end, t.start).includes('\n')) break;
      // A middle initial between name words belongs to the name ("Martim A Pereira").
      if (start >= 0 && t.end - t.start === 1 && t.isCap && tokens[k + 1]?.isCap) {
        end = t.end;
        continue;
      }
      // A family name that is also a word ("priya sweet", "deborah brooks") right after the name's first word.
      const familyWord = start >= 0 && end === tokens[k - 1]!.end && (t.flags & WORD.FAMILY_WORD) !== 0;
      const nameLike = t.text.length > 1 && !t.isDigits && !isNumberWord(t.lower) && !FILLER.has(t.lower) && !ENDS_NAME.has(t.lower) && !isContraction(t.lower) && ((t.flags & WORD.DICTIONARY) === 0 || (t.flags & WORD.FIRST) !== 0 || (t.flags & WORD.LAST) !== 0 || familyWord);
      if (nameLike) {
        if (start < 0) start = t.start;
        end = t.end;
        continue;
      }
      if (start >= 0) out.push(candidate('answer', start, end, 'NAME', 0.75));
      start = -1;
      if (!FILLER.has(t.lower) && t.text.length > 1) break;
    }
    if (start >= 0) out.push(candidate('answer', start, end, 'NAME', 0.75));
  } else if (expectation === 'ADDRESS') {
    const first = runs[0] ?? tokens.find((t) => t.isDigits);
    if (first) {
      const stop = /[.?!]\s|$/.exec(text.slice(first.start))!;
      out.push(candidate('answer', first.start, first.start + stop.index, 'ADDRESS', 0.7));
    }
  }
}

/** E-mail addresses said aloud ("john dot smith at gmail dot com"), the cue words before them left out. */
export function spokenEmails(text: string, out: Candidate[]): void {
  SPOKEN_EMAIL.lastIndex = 0;
  const mayHoldEmail = (text.includes(' at ') || text.includes('@')) && /\bdot |\.[a-z]/.test(text);
  for (let m = mayHoldEmail ? SPOKEN_EMAIL.exec(text) : null; m; m = SPOKEN_EMAIL.exec(text)) {
    // The local part starts after a cue word ("my email is", "it's").
    let start = m.index;
    const local = m[1]!;
    const drop = /^(?:(?:my|is|it's|its|email|e-mail|address|at|to|send|the|sure|yes|yeah|yep|ok|okay|uh|um|that's|thats|so|oh|well)\s)+/.exec(local);
    if (drop) start += drop[0].length;
    // The "s" of "it's" is no initial ("it's beatriz dot asante at …").
    else if (local.charCodeAt(1) === CH.SPACE && m.index > 0 && (text.charCodeAt(m.index - 1) === CH.APOSTROPHE || text.charCodeAt(m.index - 1) === CH.RIGHT_QUOTE)) start += 2;
    if (start < m.index + local.length) out.push(candidate('spokenEmail', start, m.index + m[0].length, 'EMAIL', 0.9));
  }
}
