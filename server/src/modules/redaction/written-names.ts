/**
 * Person names and places in written text (R-DATA-2): a run of capitalised words holding a known given
 * or family name ("Krisztián Szöllösy"), or any capitalised run after a title or a cue ("Mr. Varvio",
 * "my name is Rubija"); lists and pairs of family names; towns after a place preposition.
 */
import { CH } from './chars.ts';
import { firstTokenAt } from './evidence.ts';
import { WORD, type Gazetteer } from './gazetteer.ts';
import type { Token } from './tokens.ts';
import { CLINICIAN_TITLES, MONTHS_AND_DAYS, NAME_CUE, NOT_NAME, ORG_WORDS, PLACE_TAILS, STRONG_CUE, SUFFIXES, cueBefore, isContraction, isInitial, known, placeAt, placeBefore, type LexicalMatch } from './name-cues.ts';
import { TAG, tagWords } from './word-tags.ts';

export function written(text: string, tokens: readonly Token[], g: Gazetteer, includeClinicians: boolean): LexicalMatch[] {
  const out: LexicalMatch[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (!t.isCap) {
      i++;
      continue;
    }
    // A run of capitalised words and initials separated by single spaces (or ". " after an initial).
    let j = i;
    while (j + 1 < tokens.length) {
      // A possessive ends the name: "Yefremova's Cautionary Tales".
      if (tokens[j]!.text.length !== tokens[j]!.lower.length) break;
      const next = tokens[j + 1]!;
      const gapAt = tokens[j]!.end;
      const gapLength = next.start - gapAt;
      const space = gapLength === 1 && text.charCodeAt(gapAt) === CH.SPACE;
      const okGap = space || (gapLength === 2 && text.charCodeAt(gapAt) === CH.PERIOD && text.charCodeAt(gapAt + 1) === CH.SPACE && (isInitial(text, tokens[j]!) || (tokens[j]!.flags & WORD.TITLE) !== 0));
      if (!okGap || !(next.isCap || ((next.lower === 'van' || next.lower === 'de' || next.lower === 'von' || next.lower === 'ten') && tokens[j + 2]?.isCap))) break;
      j++;
    }
    emitRun(text, tokens, i, j, g, includeClinicians, out);
    i = j + 1;
  }
  if (out.length > 0) coordinated(text, tokens, out);
  return out;
}

function emitRun(text: string, tokens: readonly Token[], i: number, j: number, g: Gazetteer, includeClinicians: boolean, out: LexicalMatch[]): void {
  let a = i;
  let b = j;
  // A place of several words, whole ("United Kingdom", "New Westminster"): before its words are judged one by one.
  // A town's list ("Country Club" is a town somewhere) needs a word that is no common one, or a place
  // word; a capitalised preposition may start the run ("In United States they…").
  const p0 = j > i + 1 && (tokens[i]!.flags & WORD.COMMON) !== 0 && PLACE_TAILS.has(tokens[i]!.lower) ? i + 1 : i;
  if (j > p0 && placeAt(text, tokens, p0, g) === j && ((g.wordFlags.get(text.slice(tokens[p0]!.start, tokens[j]!.end).toLowerCase()) & WORD.PLACE) !== 0 || p0 > i || placeBefore(text, tokens[p0]!.start) || someIn(tokens, p0, j, (t) => (t.flags & WORD.COMMON) === 0))) {
    out.push({ start: tokens[p0]!.start, end: tokens[j]!.end, label: 'LOCATION', confidence: 0.7 });
    return;
  }
  // A title written in lower case before the run ("with ms. Quinzia") is a title all the same.
  const before = mayFollowTitle(text, tokens[i]!.start) ? TITLE_BEFORE.exec(text.slice(Math.max(0, tokens[i]!.start - 12), tokens[i]!.start))?.[1]?.toLowerCase() : undefined;
  let titled = before !== undefined;
  let clinician = titled && CLINICIAN_TITLES.has(before!);
  // After a strong cue ("named him", "my wife") a common word is the name all the same ("Frank").
  const strongBefore = cueBefore(text, tokens[i]!.start, STRONG_CUE);
  // Leading capitalised common words (sentence starts, "Directed By") and titles are not the name; after
  // a title the next word is the name whatever it is ("Mr. Manning").
  while (a <= b) {
    const t = tokens[a]!;
    if ((titled || strongBefore) && (t.flags & WORD.TITLE) === 0) break;
    if ((t.flags & WORD.TITLE) !== 0) {
      titled = true;
      clinician = CLINICIAN_TITLES.has(t.lower);
      a++;
      continue;
    }
    if (isContraction(t.lower) || (t.tags & TAG.NOT_NAME) !== 0) {
      a++;
      continue;
    }
    if ((t.flags & WORD.COMMON) !== 0 && !((t.flags & WORD.FIRST) !== 0 && a < b && ((tokens[a + 1]!.flags & WORD.LAST) !== 0 || (tokens[a + 1]!.flags & WORD.COMMON) === 0))) {
      a++;
      continue;
    }
    break;
  }
  while (b >= a && !((titled || strongBefore) && b === a) && ((tokens[b]!.flags & WORD.COMMON) !== 0 || (tokens[b]!.tags & TAG.SUFFIXES) !== 0) && !known(g, tokens[b]!) && !(b > a && (tokens[b]!.flags & WORD.LAST) !== 0 && (tokens[b - 1]!.flags & WORD.FIRST) !== 0) && !(b > a && surnameAfter(text, tokens, b)) && !(b === a + 1 && (titled || strongBefore) && familyWordAfterGiven(tokens, b))) {
    if ((tokens[b]!.tags & TAG.SUFFIXES) !== 0 && b > a) break;
    b--;
  }
  if (a > b) return;
  // "I", and an acronym alone ("IBAN", "ATM"), are no names without a title or a cue.
  if (a === b && !titled && !strongBefore && (tokens[a]!.end - tokens[a]!.start === 1 || (tokens[a]!.isUpper && tokens[a]!.end - tokens[a]!.start <= 4))) return;
  // A word followed by a colon is a label ("User: Vilma Holm"), not a name.
  if (text.charCodeAt(tokens[b]!.end) === CH.COLON && (tokens[b]!.flags & WORD.COMMON) !== 0) return;
  for (let k = a; k <= b; k++) if ((tokens[k]!.tags & TAG.ORG_WORDS) !== 0 && k > a) return;
  if (clinician && !includeClinicians) return;
  const start = tokens[a]!.start;
  const end = tokens[b]!.end + ((tokens[b]!.tags & TAG.SUFFIXES) !== 0 && text[tokens[b]!.end] === '.' ? 1 : 0);
  // One word: its flags say whether it is a place or a common word; several: the phrase is looked up.
  const one = a === b && tokens[a]!.text.length === tokens[a]!.lower.length ? tokens[a]! : undefined;
  const phrase = one ? one.lower : text.slice(start, tokens[b]!.end).toLowerCase();
  const phraseFlags = one ? one.flags : g.wordFlags.get(phrase);
  const isPlacePhrase = (phraseFlags & WORD.PLACE) !== 0;
  const isCommonPhrase = (phraseFlags & WORD.COMMON) !== 0;
  let knownCount = 0;
  let firstKnown = false;
  for (let k = a; k <= b; k++) {
    if (known(g, tokens[k]!)) knownCount++;
    if ((tokens[k]!.flags & WORD.FIRST) !== 0 && (tokens[k]!.flags & WORD.COMMON) === 0) firstKnown = true;
  }
  const cued = titled || (a === i ? strongBefore : cueBefore(text, start, STRONG_CUE));
  if (isPlacePhrase && !firstKnown && !cued) {
    out.push({ start, end: tokens[b]!.end, label: 'LOCATION', confidence: 0.7 });
    return;
  }
  // A given name, even one that is also a word ("Crystal"), then a word no dictionary holds ("Murdock").
  if (knownCount === 0 && b > a && (first0(tokens[a]!) && someIn(tokens, a + 1, b, (t) => unknownProper(t)))) knownCount = 1;
  if (knownCount > 0 || cued) {
    out.push({ start, end, label: 'NAME', confidence: cued ? 0.85 : knownCount > 1 || b > a ? 0.8 : 0.65 });
    return;
  }
  const first = tokens[a]!;
  // "Karin M. Beike", "Ravil G Yefimov": a middle initial between two words, one of them no English word.
  if (b - a >= 2 && !first.isUpper && ((first.flags & WORD.DICTIONARY) === 0 || (tokens[b]!.flags & WORD.DICTIONARY) === 0)) {
    for (let k = a + 1; k < b; k++) {
      if (isInitial(text, tokens[k]!) && tokens[k - 1]!.end - tokens[k - 1]!.start > 1 && tokens[k + 1]!.end - tokens[k + 1]!.start > 1) {
        out.push({ start, end, label: 'NAME', confidence: 0.8 });
        return;
      }
    }
  }
  // Words that are no English word, no place, no month and no drug, then a verb: "Shovda is very
  // reliable", "Tomomi Nishiyama lives at", "Vehbija has been".
  const unknownRun = everyIn(tokens, a, b, (t) => unknownProper(t));
  const next = tokens[b + 1];
  if (unknownRun && next && text.slice(tokens[b]!.end, next.start) === ' ' && NAME_VERBS.has(next.lower)) {
    out.push({ start, end, label: 'NAME', confidence: 0.6 });
    return;
  }
  // A capitalised run after a place preposition that holds no known given name and no English word:
  // a town the gazetteer lacks ("grew up in Remniku", "flew to LEPPEN", "from ΕΓΚΩΜΗ").
  if (!firstKnown && !cued && placeBefore(text, start) && (placeAt(text, tokens, a, g) === b || everyIn(tokens, a, b, (t) => (t.flags & WORD.COMMON) === 0 && (t.tags & TAG.MONTHS_AND_DAYS) === 0 && !((t.flags & WORD.FIRST) !== 0 && !t.isUpper)))) {
    out.push({ start, end: tokens[b]!.end, label: 'LOCATION', confidence: 0.6 });
    return;
  }
  // An unknown capitalised run mid-sentence after a weaker cue ("by Szabina", "with Ruoho").
  const sentenceStart = a === 0 || /[.!?:\n]\s*$/.test(text.slice(Math.max(0, first.start - 3), first.start));
  if (!sentenceStart && !first.isUpper && cueBefore(text, start, NAME_CUE) && (first.flags & WORD.COMMON) === 0) {
    out.push({ start, end, label: 'NAME', confidence: 0.6 });
  }
  // Two or more capitalised words, none of them a common word (none an English word at all at the start
  // of a sentence or line): a name the gazetteer lacks ("Wisława Szczepańska's killers").
  else if (b > a && !first.isUpper && everyIn(tokens, a, b, (t) => (t.flags & WORD.COMMON) === 0 && (t.flags & WORD.PLACE) === 0 && t.end - t.start > 1 && (!sentenceStart || unknownProper(t)))) {
    out.push({ start, end, label: 'NAME', confidence: 0.55 });
  }
  // A place: every word capitalised, the whole phrase in the gazetteer, or each word when all-caps.
  else if (!isCommonPhrase && (isPlacePhrase || (first.isUpper && b === a && (first.flags & WORD.PLACE) !== 0))) {
    out.push({ start, end: tokens[b]!.end, label: 'LOCATION', confidence: 0.6 });
  }
}

/** Whether `test` holds for some token from `a` to `b`, both included (no copy of the tokens). */
function someIn(tokens: readonly Token[], a: number, b: number, test: (t: Token) => boolean): boolean {
  for (let k = a; k <= b; k++) if (test(tokens[k]!)) return true;
  return false;
}

/** Whether `test` holds for every token from `a` to `b`, both included (no copy of the tokens). */
function everyIn(tokens: readonly Token[], a: number, b: number, test: (t: Token) => boolean): boolean {
  for (let k = a; k <= b; k++) if (!test(tokens[k]!)) return false;
  return true;
}

const TITLE_BEFORE = /\b(mr|mrs|ms|miss|mx|dr|prof|sr|sra)\.? $/i;

/**
 * What `TITLE_BEFORE` needs at the end of the text before `start`: a space after a period or after a
 * title's last letter (r, s, x, f, a). Most capitalised runs fail here and skip the slice and the regex.
 */
function mayFollowTitle(text: string, start: number): boolean {
  if (start < 3 || text.charCodeAt(start - 1) !== CH.SPACE) return false;
  const c = text.charCodeAt(start - 2) | 0x20;
  return c === CH.PERIOD || c === CH.LOWER_R || c === CH.LOWER_S || c === CH.LOWER_X || c === CH.LOWER_F || c === CH.LOWER_A;
}

/** A given name's first token: known as one, capitalised. */
function first0(t: Token): boolean {
  return t.isCap && !t.isUpper && (t.flags & WORD.FIRST) !== 0;
}

/**
 * The capitalised word at b is a family name after a given name or an initial even when it is also an
 * English word: "Janet Burns", "Katie E Miles", "Brad L Key".
 */
function surnameAfter(text: string, tokens: readonly Token[], b: number): boolean {
  const t = tokens[b]!;
  const p = tokens[b - 1]!;
  if (!t.isCap || t.isUpper || (t.tags & TAG.ORG_WORDS) !== 0 || (t.tags & TAG.MONTHS_AND_DAYS) !== 0 || (t.tags & TAG.SUFFIXES) !== 0 || (t.flags & (WORD.PLACE | WORD.STATE)) !== 0) return false;
  if (p.end - p.start === 1 && p.isCap) return b >= 2 && tokens[b - 2]!.isCap;
  return first0(p) && (p.flags & WORD.COMMON) === 0 && text.slice(p.end, t.start) === ' ';
}

/** After a title or a strong cue, a family name that is also a word after a given name or a word no dictionary holds ("Mr. Summer Rich", "Mr. Hiroshi Fields"). */
function familyWordAfterGiven(tokens: readonly Token[], b: number): boolean {
  const p = tokens[b - 1]!.flags;
  return (tokens[b]!.flags & WORD.FAMILY_WORD) !== 0 && tokens[b]!.isCap && ((p & WORD.FIRST) !== 0 || (p & (WORD.DICTIONARY | WORD.PLACE)) === 0);
}

/** Verbs after which a capitalised unknown word is the name of whoever does it. */
const NAME_VERBS = new Set(['began', 'begins', 'started', 'starts', 'is', 'was', 'has', 'had', 'will', 'would', 'can', 'could', 'said', 'says', 'lives', 'lived', 'spent', 'shouted', 'went', 'told', 'asked', 'called', 'works', 'worked', 'came', 'comes', 'reported', 'reports', 'denies', 'denied', 'presents', 'presented', 'complains', 'complained', 'states', 'stated', 'returned', 'visited', 'arrived', 'died', 'married', 'wrote', 'writes', 'gave', 'knows', 'knew', 'thinks', 'thought', 'wants', 'wanted', 'needs', 'needed', 'underwent', 'received', 'agreed', 'did', 'does', 'were', 'are', 'joined', 'left', 'moved', 'became', 'won', 'lost', 'met', 'tells', 'sees', 'saw']);
/** Nationalities, languages and faiths that do not end like the others ("German", "Czech", "Thai"). */
const NATIONALITIES = new Set(['german', 'czech', 'french', 'dutch', 'greek', 'swiss', 'thai', 'iraqi', 'israeli', 'pakistani', 'bangladeshi', 'saudi', 'kuwaiti', 'omani', 'yemeni', 'nepali', 'somali', 'basque', 'slovak', 'croat', 'serb', 'kazakh', 'uzbek', 'tajik', 'afghan', 'filipino', 'latino', 'latina', 'latinx', 'hispanic', 'arab', 'muslim', 'jewish', 'catholic', 'hindu', 'buddhist', 'sikh', 'inuit', 'maori', 'sami', 'roma', 'kurd', 'kurdish', 'english', 'welsh', 'scots']);
tagWords(NATIONALITIES, TAG.NATIONALITIES);
/** Nationalities and languages ("Slovenian", "Japanese") and drug names ("Lisinopril", "Atorvastatin"). */
const NOT_PERSON_SHAPE = /(?:ian|ese|ish|ean|pril|olol|statin|sartan|mab|nib|azole|cillin|mycin|oxacin|vir|sone|lone|pine|formin|gliptin|prazole|tidine|dipine|done|zepam|zolam|amine|ase|itis|osis|oma)$/;

/** A capitalised word that is no English word, no place, no month or weekday and no drug or nationality. */
function unknownProper(t: Token): boolean {
  return t.isCap && !t.isUpper && t.end - t.start > 2 && !isContraction(t.lower) && (t.tags & TAG.NATIONALITIES) === 0 && (t.flags & (WORD.DICTIONARY | WORD.PLACE | WORD.STATE | WORD.DATE | WORD.NUMBER)) === 0 && (t.tags & TAG.ORG_WORDS) === 0 && !NOT_PERSON_SHAPE.test(t.lower);
}

/**
 * An item of a list of family names: capitalised, never a place, a month, a number, a nationality or a
 * company word. Family names that are also words ("Graves", "Reed") pass: the list needs one item that
 * is no English word at all.
 */
function surnameLike(t: Token): boolean {
  if (!t.isCap || t.isUpper || t.end - t.start < 3 || (t.flags & (WORD.PLACE | WORD.STATE | WORD.DATE | WORD.NUMBER)) !== 0) return false;
  return (t.tags & TAG.ORG_WORDS) === 0 && (t.tags & TAG.NATIONALITIES) === 0 && (t.tags & TAG.MONTHS_AND_DAYS) === 0 && !NOT_PERSON_SHAPE.test(t.lower);
}

/** Tokens x < y joined by ", ", " & ", " and " or ", and " (the "and" is token x + 1). */
function joins(text: string, tokens: readonly Token[], x: number, y: number): boolean {
  const from = tokens[x]!.end;
  const to = tokens[x + 1]!.start;
  // The gaps read as character codes, not cut out of the text: this runs for every token of a text with a name.
  const first = text.charCodeAt(from);
  if (y === x + 1) {
    if (to - from === 2) return first === CH.COMMA && text.charCodeAt(from + 1) === CH.SPACE;
    return to - from === 3 && first === CH.SPACE && text.charCodeAt(from + 1) === CH.AMPERSAND && text.charCodeAt(from + 2) === CH.SPACE;
  }
  if (y !== x + 2 || tokens[x + 1]!.lower !== 'and') return false;
  const gapOk = (to - from === 1 && first === CH.SPACE) || (to - from === 2 && first === CH.COMMA && text.charCodeAt(from + 1) === CH.SPACE);
  return gapOk && tokens[y]!.start - tokens[x + 1]!.end === 1 && text.charCodeAt(tokens[x + 1]!.end) === CH.SPACE;
}

/**
 * A cleared array of `n` marks, one per token: one array kept and reused, since a typed array of a note's length
 * is allocated outside V8's heap (at a cost above the rest of `coordinated` for most notes). Read only up to `n`.
 */
let marks = new Uint8Array(1024);
function tokenMarks(n: number): Uint8Array {
  if (marks.length < n) marks = new Uint8Array(2 * n);
  marks.fill(0, 0, n);
  return marks;
}

/**
 * Lists and pairs: "Kónya, Becker and Vasquez", "Usamov and Bowers were": a capitalised word joined by a
 * comma or "and" to a name is a name when it is a known given or family name or no English word.
 */
function coordinated(text: string, tokens: readonly Token[], out: LexicalMatch[]): void {
  let names = 0;
  for (const m of out) if (m.label === 'NAME') names++;
  // Every list ends with "and" before its last item: a text without the word has none. With neither a name nor
  // a list nothing is joined.
  const hasAnd = tokens.some((t) => t.lower === 'and');
  if (names === 0 && !hasAnd) return;
  const inName = tokenMarks(tokens.length);
  for (const m of out) {
    if (m.label !== 'NAME') continue;
    // The name's tokens, from the first that ends after its start (no token before it starts inside it): not
    // every token of the text read again for each name.
    for (let k = firstTokenAt(tokens, m.start); k < tokens.length && tokens[k]!.end <= m.end; k++) if (tokens[k]!.start >= m.start) inName[k] = 1;
  }
  // A list or a pair of family names with no given name to start from: "Monjeau, Graves and Reed",
  // "Muslija and Brown were". Every item a known family name or no English word, one of them neither.
  for (let i = 0; hasAnd && i + 2 < tokens.length; i++) {
    // Most tokens start no list: the array of its items is made only for one that does.
    let items: number[] | undefined;
    let k = i;
    while (k + 2 < tokens.length && (items?.length ?? 1) < 6) {
      if (joins(text, tokens, k, k + 1) && tokens[k + 1]!.lower !== 'and') k += 1;
      else if (joins(text, tokens, k, k + 2)) k += 2;
      else break;
      (items ??= [i]).push(k);
      if (tokens[k - 1]!.lower === 'and') break;
    }
    if (!items || tokens[items.at(-1)! - 1]!.lower !== 'and') continue;
    const pairOnly = items.length === 2;
    const verb = tokens[items.at(-1)! + 1];
    if (pairOnly && !(verb && (verb.lower === 'were' || verb.lower === 'are' || verb.lower === 'have' || verb.lower === 'had'))) continue;
    const ok = items.every((x) => surnameLike(tokens[x]!)) && items.some((x) => unknownProper(tokens[x]!));
    if (!ok) continue;
    for (const x of items) inName[x] = 1;
    for (const x of items) out.push({ start: tokens[x]!.start, end: tokens[x]!.end, label: 'NAME', confidence: 0.6 });
    names++;
    i = items.at(-1)!;
  }
  // A word is joined only to a word of a name: with none (only places were found) nothing joins.
  for (let pass = 0; names > 0 && pass < 6; pass++) {
    let added = false;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (inName[i] || !t.isCap || t.isUpper || t.end - t.start < 3 || (t.tags & TAG.MONTHS_AND_DAYS) !== 0 || (t.tags & TAG.ORG_WORDS) !== 0) continue;
      // Joined to a name first (character tests), then the word's own test (a regex on it).
      const linked = (i + 1 < tokens.length && inName[i + 1] && joins(text, tokens, i, i + 1)) || (i + 2 < tokens.length && inName[i + 2] && joins(text, tokens, i, i + 2)) || (i >= 1 && inName[i - 1] && joins(text, tokens, i - 1, i)) || (i >= 2 && inName[i - 2] && joins(text, tokens, i - 2, i));
      if (!linked) continue;
      if (!(unknownProper(t) || ((t.flags & (WORD.FIRST | WORD.LAST)) !== 0 && (t.flags & WORD.PLACE) === 0))) continue;
      inName[i] = 1;
      out.push({ start: t.start, end: t.end, label: 'NAME', confidence: 0.6 });
      added = true;
    }
    if (!added) break;
  }
}
