/**
 * detect(): every detector over one text, then the overlaps resolved by the table of resolution.ts (R-DATA-2). A text of
 * "speaker: words" lines is read utterance by utterance, each line's question carried to the next
 * (the agent asks for the date of birth; the caller's next words are one).
 */
import { extendTail } from './addresses.ts';
import { CH } from './chars.ts';
import { expectationOf, nearestCue } from './context.ts';
import { gazetteer, WORD } from './gazetteer.ts';
import { countCaps, genreOf, looksWritten } from './genre.ts';
import { candidate, resolveCandidates, type Candidate, type Resolved } from './resolution.ts';
import { foldTokens, tokenize } from './tokens.ts';
import type { DetectOptions, PhiLabel, Span } from './types.ts';
import { detectUtterance, newState, readAll, reading, remember, type DetectState, type Reading } from './utterance.ts';

export { detectUtterance, newState, type DetectState } from './utterance.ts';

/** Headings of clinical notes and forms that are no English words, so never a speaker's name. */
const SECTION_HEADINGS = new Set(['cc', 'hpi', 'pmh', 'psh', 'pmhx', 'fhx', 'shx', 'meds', 'rx', 'dx', 'hx', 'sx', 'tx', 'fx', 'ddx', 'ros', 'neuro', 'resp', 'cardio', 'cardiac', 'cv', 'abd', 'ext', 'extremities', 'psych', 'heent', 'gu', 'gi', 'msk', 'pulm', 'derm', 'endo', 'heme', 'onc', 'renal', 'vitals', 'vs', 'labs', 'imaging', 'ekg', 'ecg', 'cxr', 'ct', 'mri', 'impression', 'assessment', 'plan', 'dispo', 'disposition', 'followup', 'f/u', 'subjective', 'objective', 'addendum', 'allergies', 'nkda', 'pe', 'exam', 'hospitalist', 'attending', 'resident', 'pcp', 'ref', 're', 'cc\'d', 'bcc', 'subj', 'obj', 'ap', 'a/p', 'soap', 'note', 'notes', 'integ', 'integument', 'skin', 'lines', 'access', 'wound', 'social', 'soc', 'events', 'dob', 'mrn', 'ssn', 'tel', 'fax', 'cell', 'ph', 'addr', 'loc', 'bp', 'hr', 'rr', 'temp', 'spo2', 'wt', 'ht', 'bmi', 'covid', 'tdap', 'ppd', 'inr', 'hba1c', 'a1c', 'ldl', 'hdl', 'tsh', 'cbc', 'bmp', 'cmp', 'ua', 'pt', 'ot', 'slp', 'sw', 'cm', 'rn', 'np', 'pa', 'md', 'do']);
/** Labels of a line that holds a place: "Where:", "City:", "Place of birth:". */
const PLACE_LABEL = /^\s*(?:where|location|city|town|hometown|place of birth|birthplace|born in)\s*:/i;
/** A form's line: "Field: value". */
const FIELD_LINE = /^[ \t]*[A-Z][A-Za-z /#().-]{0,30}:[ \t]*\S/;
/** "agent:", "spk_0:", and a transcript's timestamp before the speaker ("[00:01:07] customer:"). */
const SPEAKER = /^([ \t]*(?:\[[\d:.]{4,12}\][ \t]*)?[\p{L}\d _.-]{1,40}:[ \t]*)/u;
/** A label of four words or more: a sentence that ends in a colon, no speaker or field. */
const LONG_LABEL = /\S[ \t]+\S+[ \t]+\S+[ \t]+\S/;

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
  // Most texts of a call are one line: no array of one copy.
  const lines = text.includes('\n') ? text.split('\n') : [text];
  // One pass over the whole text for the detectors that cross lines (addresses), one per line for the rest.
  const g = gazetteer();
  const all: Candidate[] = [];
  let speakerLines = 0;
  const heads: number[] = [];
  if (lines.length > 1) {
    for (const line of lines) {
      // A label of more than three words ("Late entry for October 14th:") is a sentence, no speaker or field:
      // the line is read whole.
      // A label ends with a colon: a line without one has none (most lines of prose).
      const m = line.includes(':') ? SPEAKER.exec(line) : null;
      const label = m !== null && !LONG_LABEL.test(m[1]!);
      heads.push(label ? m[1]!.length : 0);
      if (label) speakerLines++;
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
    // What each distinct label is, worked out once per document ("agent:", "caller:" repeat on every line).
    const labels = new Map<string, LabelKind>();
    // The lines' readings first (what each line's label and the line before ask of it), then every
    // detector over all of them (utterance.ts `readAll`), then each line's candidates in order.
    const rs: Array<Reading | undefined> = [];
    const labelled: Array<Candidate | undefined> = [];
    const read: Reading[] = [];
    for (let k = 0, offset = 0; k < lines.length; offset += lines[k]!.length + 1, k++) {
      const head = heads[k]!;
      labelled.push(head > 0 ? speakerLabel(lines[k]!.slice(0, head), offset, state, labels) : undefined);
      // A label alone on its line ("Address:") asks its question of the next line.
      if (tokensOf[k]!.length === 0) {
        rs.push(undefined);
        continue;
      }
      // Genre per segment: in a written chat (an AI agent's lines are the model's own text) a line
      // without a capital is speech recognised, and is read as speech (names in lower case).
      const isWritten = state.isWritten && !(!state.genre.caps && spokenLine(bodies[k]!, tokensOf[k]!.length));
      const r = reading(bodies[k]!, tokensOf[k]!, isWritten, state.genre, state.expectation);
      rs.push(r);
      read.push(r);
      state.expectation = given !== undefined || k < lines.length - 1 ? expectationOf(bodies[k]!) : undefined;
    }
    readAll(read, g, opts);
    let offset = 0;
    for (let k = 0; k < lines.length; k++) {
      const label = labelled[k];
      if (label) all.push(label);
      const r = rs[k];
      if (r) {
        remember(r, state);
        const at = offset + heads[k]!;
        for (const c of r.out) {
          c.start += at;
          c.end += at;
          // An address that runs to the end of its line goes on over the town and postal code lines below.
          if (c.label === 'ADDRESS' && r.isWritten && c.end >= offset + lines[k]!.trimEnd().length - 1) c.end = extendTail(text, c.end);
          all.push(c);
        }
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
      for (const line of lines) if (line.includes(':') && FIELD_LINE.test(line)) fieldLines++;
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

function speakerLabel(head: string, offset: number, state: DetectState, labels: Map<string, LabelKind>): Candidate | undefined {
  let kind = labels.get(head);
  if (kind === undefined) {
    kind = labelKind(head);
    labels.set(head, kind);
  }
  if (kind === null) return undefined;
  if ('field' in kind) {
    state.expectation = kind.field;
    return undefined;
  }
  return candidate('speakerName', offset + kind.name[0], offset + kind.name[1], 'NAME', 0.75);
}

function labelKind(head: string): LabelKind {
  const tokens = tokenize(head);
  if (tokens.length === 0 || tokens.length > 3) return null;
  const field = nearestCue(head.toLowerCase());
  if (field) return { field: field.label };
  if (PLACE_LABEL.test(head)) return { field: 'LOCATION' };
  const isName = tokens.every((t) => {
    // A heading of a clinical note is never a speaker, even when it is also a given name ("ABD:", "Abd").
    if (t.isDigits || t.end - t.start < 2 || SECTION_HEADINGS.has(t.lower)) return false;
    if ((t.flags & WORD.FIRST) !== 0 && (t.flags & WORD.COMMON) === 0) return true;
    // A known given name ("John:", "Will:"), or a capitalised label of three letters or more that is no
    // English word, no heading of a clinical note and no clinical word ("Ubul:", but not "Meds:", "Dx:",
    // "Neuro:", "Integ:").
    if (!t.isCap || t.isUpper || SECTION_HEADINGS.has(t.lower) || (t.flags & WORD.CLINICAL) !== 0) return false;
    return (t.flags & WORD.FIRST) !== 0 || ((t.flags & WORD.DICTIONARY) === 0 && t.end - t.start > 2);
  });
  return isName ? { name: [tokens[0]!.start, tokens.at(-1)!.end] } : null;
}

/** Words a line needs before its lack of capitals says it is speech. */
const SPOKEN_LINE_WORDS = 3;

/** A line of at least three words and no capital letter: speech recognition output. */
export function spokenLine(body: string, words: number): boolean {
  if (words < SPOKEN_LINE_WORDS) return false;
  // The codes are locals: `CH` read at every character would be a module binding's checks each time.
  const { UPPER_A, UPPER_Z } = CH;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if ((c >= UPPER_A && c <= UPPER_Z) || (c > 0x7f && body[i] !== body[i]!.toLowerCase())) return false;
  }
  return true;
}

/** The candidates resolved by the table of resolution.ts, as spans. */
export function resolve(candidates: Candidate[], minConfidence: number): Span[] {
  return resolveCandidates(candidates, minConfidence).map(({ start, end, label, confidence }) => ({ start, end, label, confidence }));
}
