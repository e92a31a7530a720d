/**
 * detect(): every detector over one text, then the overlaps resolved by the table of resolution.ts (R-DATA-2). A text of
 * "speaker: words" lines is read utterance by utterance, each line's question carried to the next
 * (the agent asks for the date of birth; the caller's next words are one).
 */
import { CH } from './chars.ts';
import { extendTail, findAddresses } from './addresses.ts';
import { cueBefore, expectationOf, nearestCue } from './context.ts';
import { findDates } from './dates.ts';
import { findClinical } from './clinical.ts';
import { score } from './evidence.ts';
import { gazetteer, WORD, type Gazetteer } from './gazetteer.ts';
import { genreOf, type GenreInfo } from './genre.ts';
import { ENDS_NAME, findLexical, isContraction } from './names.ts';
import { AGE_LEAD, AGE_UNIT_AFTER, findPatterns } from './patterns.ts';
import { candidate, resolveCandidates, type Candidate, type Resolved } from './resolution.ts';
import { isNumberWord, numberRuns, type NumberRun } from './spoken-numbers.ts';
import { foldTokens, tokenize, type Token } from './tokens.ts';
import type { DetectOptions, PhiLabel, Span } from './types.ts';

/** What carries from one utterance to the next. */
export interface DetectState {
  expectation?: PhiLabel | undefined;
  /** Name words seen so far in this document or call, lower case: later mentions are names too. */
  names: Set<string>;
  /** Whether the text is written (capitalised) or spoken (lower-case ASR output); fixed on first sight. */
  isWritten?: boolean | undefined;
  /** The text's genre (genre.ts); fixed on first sight. */
  genre?: GenreInfo | undefined;
}

export function newState(): DetectState {
  return { names: new Set() };
}

const NUMERIC_LABELS = new Set<PhiLabel>(['PHONE', 'FAX', 'SSN', 'MRN', 'HEALTH_PLAN', 'ACCOUNT', 'LICENSE', 'VEHICLE', 'DEVICE', 'ID', 'ADDRESS']);
const NUM_WORD = '(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|double|triple)';
const LOCAL_WORD = '(?:[a-z](?: [a-z]){1,24}|[a-z\\d]+)';
const TLD = '(?:com|org|net|edu|gov|us|io|co|info|biz|me|uk|ca|health)';
/** "john dot smith at gmail dot com", "cora three eight at example dot org", "jack@gmail dot com". */
const SPOKEN_EMAIL = new RegExp(`\\b((?:${LOCAL_WORD}(?:(?: (?:dot|underscore|dash|hyphen|period) ${LOCAL_WORD})| ${NUM_WORD})*) (?:at|at sign|at symbol) |[a-z\\d._-]+@)([a-z\\d]+(?:(?: dot |\\.)[a-z\\d]+)*(?: dot |\\.)${TLD})\\b`, 'g');
/** Headings of clinical notes and forms that are no English words, so never a speaker's name. */
const SECTION_HEADINGS = new Set(['cc', 'hpi', 'pmh', 'psh', 'pmhx', 'fhx', 'shx', 'meds', 'rx', 'dx', 'hx', 'sx', 'tx', 'fx', 'ddx', 'ros', 'neuro', 'resp', 'cardio', 'cardiac', 'cv', 'abd', 'ext', 'extremities', 'psych', 'heent', 'gu', 'gi', 'msk', 'pulm', 'derm', 'endo', 'heme', 'onc', 'renal', 'vitals', 'vs', 'labs', 'imaging', 'ekg', 'ecg', 'cxr', 'ct', 'mri', 'impression', 'assessment', 'plan', 'dispo', 'disposition', 'followup', 'f/u', 'subjective', 'objective', 'addendum', 'allergies', 'nkda', 'pe', 'exam', 'hospitalist', 'attending', 'resident', 'pcp', 'ref', 're', 'cc\'d', 'bcc', 'subj', 'obj', 'ap', 'a/p', 'soap', 'note', 'notes', 'dob', 'mrn', 'ssn', 'tel', 'fax', 'cell', 'ph', 'addr', 'loc', 'bp', 'hr', 'rr', 'temp', 'spo2', 'wt', 'ht', 'bmi', 'covid', 'tdap', 'ppd', 'inr', 'hba1c', 'a1c', 'ldl', 'hdl', 'tsh', 'cbc', 'bmp', 'cmp', 'ua', 'pt', 'ot', 'slp', 'sw', 'cm', 'rn', 'np', 'pa', 'md', 'do']);
/** Labels of a line that holds a place: "Where:", "City:", "Place of birth:". */
const PLACE_LABEL = /^\s*(?:where|location|city|town|hometown|place of birth|birthplace|born in)\s*:/i;
const POSTAL_AFTER = /^ (?:\d{4,5}|\d{3} \d{2})(?![\d,.]\d|\d)/;
const TIME_UNIT_AFTER = /^ ?(?:a\.? ?m\b|p\.? ?m\b|o'clock|in the (?:morning|afternoon|evening)|(?:to|until|till) (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|\d))/;
const DECIMAL_INSIDE = /\d\.\d/;
/** Words before a time of day: "at eight forty five", "open seven thirty to six". */
const TIME_BEFORE = new Set(['at', 'open', 'opens', 'until', 'till', 'around', 'about']);
/** A form's line: "Field: value". */
const FIELD_LINE = /^[ \t]*[A-Z][A-Za-z /#().-]{0,30}:[ \t]*\S/;
const SPEAKER = /^([ \t]*[\p{L}\d _.-]{1,40}:[ \t]*)/u;
const FILLER = new Set(['yes', 'yeah', 'yep', 'sure', 'ok', 'okay', 'it', 'its', "it's", 'is', 'my', 'name', 'names', 'the', 'uh', 'um', 'so', 'that', 'thats', "that's", 'this', 'i', 'am', "i'm", 'im', 'of', 'course', 'first', 'last', 'full', 'and', 'please', 'well', 'oh', 'hi', 'hello', 'right', 'correct', 'spelled', 'spell', 'like']);

/**
 * Counts words other than a line's or sentence's first, and how many of them are capitalised; and
 * capitalised words that start a sentence (speech recognition writes none).
 */
function countCaps(text: string, tokens: readonly Token[], acc: { caps: number; words: number; initials: number }): void {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (k === 0) {
      if (t.isCap && t.end - t.start > 1 && !t.isUpper && t.text.charCodeAt(1) !== CH.APOSTROPHE && t.text.charCodeAt(1) !== CH.RIGHT_QUOTE) acc.initials++;
      continue;
    }
    if (t.isDigits || t.end - t.start < 2) continue;
    // After ".", "!", "?", ":" or a line break (and at most one space) a capital says nothing.
    let p = t.start - 1;
    if (p >= 0 && text.charCodeAt(p) === CH.SPACE) p--;
    const c = p >= 0 ? text.charCodeAt(p) : 0;
    if (c === CH.PERIOD || c === CH.BANG || c === CH.QUESTION || c === CH.COLON || c === CH.LF) {
      if (t.isCap && t.end - t.start > 1 && !t.isUpper && t.text.charCodeAt(1) !== CH.APOSTROPHE && t.text.charCodeAt(1) !== CH.RIGHT_QUOTE) acc.initials++;
      continue;
    }
    acc.words++;
    if (t.isCap && !(t.text.charCodeAt(0) === CH.UPPER_I && (t.text.charCodeAt(1) === CH.APOSTROPHE || t.text.charCodeAt(1) === CH.RIGHT_QUOTE))) acc.caps++;
  }
}

/**
 * Written when some word other than a line's or sentence's first is capitalised, or when sentences start
 * with a capital ("Shovda is very reliable."): speech recognition output is lower case throughout.
 */
function looksWritten(acc: { caps: number; words: number; initials: number }): boolean {
  return acc.words === 0 || acc.initials > 0 || acc.caps / acc.words > 0.02;
}

export function detectDocument(text: string, opts: DetectOptions = {}, given?: DetectState): Span[] {
  return resolve(documentCandidates(text, opts, given), opts.minConfidence ?? 0.5);
}

/** The resolved spans with the resolution rule that kept each (resolution.ts): why a span is what it is. */
export function explainDocument(text: string, opts: DetectOptions = {}): Resolved[] {
  return resolveCandidates(documentCandidates(text, opts), opts.minConfidence ?? 0.5);
}

/** Every detector's candidates over one document. */
function documentCandidates(text: string, opts: DetectOptions, given?: DetectState): Candidate[] {
  // Without a caller's state nothing reads what the last line asks for: it is not worked out.
  const state = given ?? newState();
  const lines = text.split('\n');
  // One pass over the whole text for the detectors that cross lines (addresses), one per line for the rest.
  const g = gazetteer();
  const all: Candidate[] = [];
  let speakerLines = 0;
  const heads: number[] = [];
  if (lines.length > 1) {
    for (const line of lines) {
      const m = SPEAKER.exec(line);
      heads.push(m?.[1]?.length ?? 0);
      if (m) speakerLines++;
    }
  }
  if (lines.length > 1 && speakerLines >= lines.length / 2) {
    const bodies = lines.map((line, k) => line.slice(heads[k]));
    const tokensOf = bodies.map(tokenize);
    if (state.isWritten === undefined) {
      const acc = { caps: 0, words: 0, initials: 0 };
      bodies.forEach((b, k) => countCaps(b, tokensOf[k]!, acc));
      state.isWritten = looksWritten(acc);
    }
    state.genre ??= genreOf(tokensOf, { isWritten: state.isWritten, speakerLines, fieldLines: 0, lines: lines.length });
    // A text in capitals is read case-folded, as speech is: its capitals mark nothing (offsets unchanged).
    if (state.genre.caps) {
      for (let k = 0; k < bodies.length; k++) {
        const folded = bodies[k]!.toLowerCase();
        if (folded.length !== bodies[k]!.length) continue;
        tokensOf[k] = foldTokens(bodies[k]!, folded, tokensOf[k]!);
        bodies[k] = folded;
      }
      state.isWritten = false;
    }
    let offset = 0;
    // What each distinct label is, worked out once per document ("agent:", "caller:" repeat on every line).
    const labels = new Map<string, LabelKind>();
    for (let k = 0; k < lines.length; k++) {
      const head = heads[k]!;
      if (head > 0) speakerLabel(lines[k]!.slice(0, head), offset, state, all, labels);
      // A label alone on its line ("Address:") asks its question of the next line.
      if (tokensOf[k]!.length === 0) {
        offset += lines[k]!.length + 1;
        continue;
      }
      for (const c of detectUtterance(bodies[k]!, state, g, opts, tokensOf[k], given !== undefined || k < lines.length - 1)) {
        c.start += offset + head;
        c.end += offset + head;
        // An address that runs to the end of its line goes on over the town and postal code lines below.
        if (c.label === 'ADDRESS' && state.isWritten && c.end >= offset + lines[k]!.trimEnd().length - 1) c.end = extendTail(text, c.end);
        all.push(c);
      }
      offset += lines[k]!.length + 1;
    }
  } else {
    let tokens = tokenize(text);
    if (state.isWritten === undefined) {
      const acc = { caps: 0, words: 0, initials: 0 };
      countCaps(text, tokens, acc);
      state.isWritten = looksWritten(acc);
    }
    if (!state.genre) {
      let fieldLines = 0;
      for (const line of lines) if (FIELD_LINE.test(line)) fieldLines++;
      state.genre = genreOf([tokens], { isWritten: state.isWritten, speakerLines: 0, fieldLines, lines: lines.length });
    }
    // A text in capitals is read case-folded, as speech is: its capitals mark nothing (offsets unchanged).
    let read = text;
    if (state.genre.caps) {
      const folded = text.toLowerCase();
      if (folded.length === text.length) {
        read = folded;
        tokens = foldTokens(text, folded, tokens);
        state.isWritten = false;
      }
    }
    all.push(...detectUtterance(read, state, g, opts, tokens, given !== undefined));
  }
  return all;
}

/**
 * A line's label: a speaker's name ("Nicole:", "mika:") is a name; a field's name ("Name:", "DOB:",
 * "Address:") says what its line holds, as a question would. Roles ("agent", "caller") are neither.
 */
type LabelKind = { field: PhiLabel } | { name: [number, number] } | null;

function speakerLabel(head: string, offset: number, state: DetectState, out: Candidate[], labels: Map<string, LabelKind>): void {
  let kind = labels.get(head);
  if (kind === undefined) {
    kind = labelKind(head);
    labels.set(head, kind);
  }
  if (kind === null) return;
  if ('field' in kind) state.expectation = kind.field;
  else out.push(candidate('speakerName', offset + kind.name[0], offset + kind.name[1], 'NAME', 0.75));
}

function labelKind(head: string): LabelKind {
  const tokens = tokenize(head);
  if (tokens.length === 0 || tokens.length > 3) return null;
  const field = nearestCue(head.toLowerCase());
  if (field) return { field: field.label };
  if (PLACE_LABEL.test(head)) return { field: 'LOCATION' };
  const isName = tokens.every((t) => {
    if (t.isDigits || t.end - t.start < 2) return false;
    if ((t.flags & WORD.FIRST) !== 0 && (t.flags & WORD.COMMON) === 0) return true;
    // A known given name ("John:", "Will:"), or a capitalised label of three letters or more that is no
    // English word and no heading of a clinical note ("Ubul:", but not "Meds:", "Dx:", "Neuro:").
    if (!t.isCap || t.isUpper || SECTION_HEADINGS.has(t.lower)) return false;
    return (t.flags & WORD.FIRST) !== 0 || ((t.flags & WORD.DICTIONARY) === 0 && t.end - t.start > 2);
  });
  return isName ? { name: [tokens[0]!.start, tokens.at(-1)!.end] } : null;
}

/**
 * Candidates for one utterance (or one whole written document), updating the carried state; `carries`
 * false skips working out what the utterance asks of the next one (there is no next one).
 */
export function detectUtterance(text: string, state: DetectState, g: Gazetteer, opts: DetectOptions, tokens = tokenize(text), carries = true): Candidate[] {
  if (state.isWritten === undefined) {
    const acc = { caps: 0, words: 0, initials: 0 };
    countCaps(text, tokens, acc);
    state.isWritten = looksWritten(acc);
  }
  const isWritten = state.isWritten;
  const genre = (state.genre ??= genreOf([tokens], { isWritten, speakerLines: 0, fieldLines: 0, lines: 1 }));
  const out: Candidate[] = findPatterns(text);
  const runs = numberRuns(text, tokens);
  const runsByToken = new Map<number, NumberRun>();
  for (const r of runs) runsByToken.set(r.firstToken, r);
  for (const d of findDates(text, tokens, runsByToken)) out.push(candidate('spokenDate', d.start, d.end, 'DATE', 0.85));
  for (const a of findAddresses(text, tokens, runsByToken, g, isWritten)) out.push(candidate('street', a.start, a.end, 'ADDRESS', 0.8));
  spokenRuns(text, tokens, runs, state.expectation, out);
  SPOKEN_EMAIL.lastIndex = 0;
  const mayHoldEmail = (text.includes(' at ') || text.includes('@')) && /\bdot |\.[a-z]/.test(text);
  for (let m = mayHoldEmail ? SPOKEN_EMAIL.exec(text) : null; m; m = SPOKEN_EMAIL.exec(text)) {
    // The local part starts after a cue word ("my email is", "it's").
    let start = m.index;
    const local = m[1]!;
    const drop = /^(?:(?:my|is|it's|its|email|e-mail|address|at|to|send|the)\s)+/.exec(local);
    if (drop) start += drop[0].length;
    if (start < m.index + local.length) out.push(candidate('spokenEmail', start, m.index + m[0].length, 'EMAIL', 0.9));
  }
  const lexical = findLexical(text, tokens, g, { isWritten, includeClinicians: opts.includeClinicians ?? true });
  for (const l of lexical) {
    out.push(candidate(l.label === 'NAME' ? 'lexicalName' : 'lexicalPlace', l.start, l.end, l.label, l.confidence));
    // A postal code right after a town ("in ARENDAL 4844", "Costamezzana 43015", "ÖVERTURINGEN 840 24").
    if (l.label === 'LOCATION') {
      const code = POSTAL_AFTER.exec(text.slice(l.end, l.end + 12));
      if (code) out.push(candidate('postalAfterTown', l.end + 1, l.end + code[0].length, 'ADDRESS', 0.75));
    }
  }
  if (state.expectation) answerTo(state.expectation, text, tokens, runs, g, out);
  spelledNames(text, tokens, state.expectation, out);
  out.push(...findClinical(text, tokens, { genre: genre.genre, caps: genre.caps, caseMarksNames: isWritten && !genre.caps, includeClinicians: opts.includeClinicians ?? true }));
  score(out, tokens, genre);
  // A possessive is not part of the name: "steven's chart" masks "steven".
  for (const c of out) {
    if (c.label === 'NAME' && c.end - c.start > 3 && text.charCodeAt(c.end - 1) === CH.LOWER_S && (text.charCodeAt(c.end - 2) === CH.APOSTROPHE || text.charCodeAt(c.end - 2) === CH.RIGHT_QUOTE)) c.end -= 2;
  }
  // Names said once are names everywhere after ("early Yefremova"): their words, read from the tokens.
  for (const c of out) {
    if (c.label !== 'NAME' || c.confidence < 0.6) continue;
    for (let k = firstTokenFrom(tokens, c.start); k < tokens.length && tokens[k]!.end <= c.end; k++) {
      const t = tokens[k]!;
      if (t.lower.length > 2 && !t.isDigits && (t.flags & WORD.COMMON) === 0) state.names.add(t.lower);
    }
  }
  if (state.names.size > 0) {
    for (const t of tokens) {
      // Only a word of three letters or more that is no common word was added above (a token's flags
      // follow from its `lower`): the others need no lookup.
      if (t.lower.length > 2 && (t.flags & WORD.COMMON) === 0 && (!isWritten || t.isCap) && state.names.has(t.lower)) out.push(candidate('nameMention', t.start, t.end, 'NAME', 0.6));
    }
  }
  state.expectation = carries ? expectationOf(text) : undefined;
  return out;
}

/** Index of the first token starting at or after `offset` (tokens are sorted). */
function firstTokenFrom(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Spoken digits, letters and years outside the patterns (which handle digits written as digits). */
function spokenRuns(text: string, tokens: readonly Token[], runs: readonly NumberRun[], expectation: PhiLabel | undefined, out: Candidate[]): void {
  for (const r of runs) {
    if (!r.isSpoken && r.letterCount === 0) continue;
    // Written decimals among letters are lab values ("k 3.25", "mg 1.8"), not a spelled identifier.
    if (!r.isSpoken && DECIMAL_INSIDE.test(text.slice(r.start, r.end))) continue;
    const after = text.slice(r.end, r.end + 16).toLowerCase();
    if (/^[ -]*years?[ -]*(?:old|of age)/.test(after) || /^[ -]*(?:yo|y\/o)\b/.test(after)) {
      out.push(candidate('age', r.start, r.end, 'AGE', 0.85));
      continue;
    }
    if (AGE_LEAD.test(text.slice(Math.max(0, r.start - 16), r.start)) && !AGE_UNIT_AFTER.test(after) && r.letterCount === 0 && r.digitCount <= 3) {
      out.push(candidate('age', r.start, r.end, 'AGE', 0.75));
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
    } else if (r.letterCount === 0 && r.digitCount >= 7) {
      out.push(candidate('spokenNumber', r.start, r.end, r.digitCount <= 11 ? 'PHONE' : 'ID', 0.75));
    } else if (r.letterCount > 0 && r.digitCount >= 3 && total >= 5) {
      out.push(candidate('spokenNumber', r.start, r.end, 'ID', 0.7));
    } else if (r.letterCount === 0 && r.isSpoken && /^(?:19\d\d|20[0-4]\d)$/.test(r.value) && /^(?:nineteen|eighteen|twenty|two)$/.test(tokens[r.firstToken]!.lower) && r.lastToken > r.firstToken) {
      out.push(candidate('bareYear', r.start, r.end, 'DATE', 0.6));
    }
  }
}

const SPELL_CUES = new Set(['spelled', 'spell', 'spelling', 'name', 'names', "that's", 'thats']);

/**
 * A name spelled out letter by letter ("sokolov s o k o l o v", "last name i v a n o v", "spelled w a l s h"):
 * three or more single letters after a spelling cue or right after a name. Letters followed by a number
 * ("m r n four four seven") are an identifier and left to the spoken-number runs.
 */
function spelledNames(text: string, tokens: readonly Token[], expectation: PhiLabel | undefined, out: Candidate[]): void {
  for (let i = 0; i < tokens.length; i++) {
    if (!isSpelledLetter(tokens[i]!)) continue;
    let j = i;
    while (j + 1 < tokens.length && isSpelledLetter(tokens[j + 1]!) && tokens[j + 1]!.start - tokens[j]!.end <= 2 && text.charCodeAt(tokens[j]!.end) !== CH.SLASH) j++;
    const next = tokens[j + 1];
    const count = j - i + 1;
    if (count >= 3 && !(next && (isNumberWord(next.lower) || next.isDigits) && tokens[j + 1]!.start - tokens[j]!.end <= 2)) {
      const start = tokens[i]!.start;
      let cued = false;
      for (let k = Math.max(0, i - 3); k < i; k++) if (SPELL_CUES.has(tokens[k]!.text.toLowerCase())) cued = true;
      const afterName = out.some((c) => c.label === 'NAME' && c.end <= start && start - c.end <= 24);
      if (cued || afterName || (expectation === 'NAME' && i < 3)) out.push(candidate('spelledName', start, tokens[j]!.end, 'NAME', 0.8));
    }
    i = j;
  }
}

function isSpelledLetter(t: Token): boolean {
  const c = t.text.charCodeAt(0);
  return t.end - t.start === 1 && ((c >= CH.LOWER_A && c <= CH.LOWER_Z) || (c >= CH.UPPER_A && c <= CH.UPPER_Z));
}

/** The answer to the previous utterance's question: "what's your name?" "uh it's maria gonzalez". */
function answerTo(expectation: PhiLabel, text: string, tokens: readonly Token[], runs: readonly NumberRun[], g: Gazetteer, out: Candidate[]): void {
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
      // A middle initial between name words belongs to the name ("Martim A Pereira").
      if (start >= 0 && t.end - t.start === 1 && t.isCap && tokens[k + 1]?.isCap) {
        end = t.end;
        continue;
      }
      const nameLike = t.text.length > 1 && !t.isDigits && !isNumberWord(t.lower) && !FILLER.has(t.lower) && !ENDS_NAME.has(t.lower) && !isContraction(t.lower) && ((t.flags & WORD.DICTIONARY) === 0 || (t.flags & WORD.FIRST) !== 0 || (t.flags & WORD.LAST) !== 0);
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

/** The candidates resolved by the table of resolution.ts, as spans. */
export function resolve(candidates: Candidate[], minConfidence: number): Span[] {
  return resolveCandidates(candidates, minConfidence).map(({ start, end, label, confidence }) => ({ start, end, label, confidence }));
}
