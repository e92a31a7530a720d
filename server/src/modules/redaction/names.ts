/**
 * Person names and places from gazetteers, capitalisation and cues (R-DATA-2). Written text: a run of
 * capitalised words holding a known given or family name ("Krisztián Szöllösy"), or any capitalised
 * run after a title or a cue ("Mr. Varvio", "my name is Rubija"). Spoken text (lower case): a known
 * given name that is not also a common English word ("tom", "claire"), or the words after a strong
 * cue ("my name is raju"). Common words ("will", "may", "mark") need a cue or a second name beside them.
 */
import { CH } from './chars.ts';
import { WORD, type Gazetteer } from './gazetteer.ts';
import { isNumberWord } from './spoken-numbers.ts';
import type { Token } from './tokens.ts';

export interface LexicalMatch {
  start: number;
  end: number;
  label: 'NAME' | 'LOCATION';
  confidence: number;
}

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'doctor', 'prof', 'professor', 'sr', 'sra', 'nurse', 'dear', 'mister', 'missus', 'madam', 'sir', 'patient', 'pt']);
const CLINICIAN_TITLES = new Set(['dr', 'doctor', 'prof', 'professor', 'nurse']);
/** Words after which the next words are a name, in any case. */
const NAME_CUE = /(?:\bsays|\bsaid|\bname(?:'s| is|:)|\bthis is|\bi am|\bi'm|\bcalled|\bcall me|\bspeaking with|\bspeak (?:to|with)|\bbehalf of|\bson|\bdaughter|\bwife|\bhusband|\bmother|\bfather|\bmom|\bdad|\bsister|\bbrother|\bfriend|\bsigned|\bby|\bfrom|\bto|\bwith|\bfor|\bemail|\bcall|\bmeet|\bcontact|\bpatient|\bregards|\bthanks|\bspelled)[ :,]*$/i;
const STRONG_CUE = /(?:\bname(?:'s| is|:)|\bname(?: on (?:the|your|this) \w+)?\?(?: \w+:)?|\bspeaking with|\bcall me|\bspelled|\bbehalf of|\bmy (?:son|daughter|wife|husband|mother|father|mom|dad|sister|brother|friend|caregiver|guardian|partner|spouse|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|aunt|uncle|niece|nephew|cousin|fiance|fiancee|child|kid|neighbor|neighbour)(?: is)?|\bsigned|\bdear|\bpatient|\bnamed(?: him| her| them)?)[ :,]*$/i;
export const ORG_WORDS = new Set(['inc', 'llc', 'ltd', 'corp', 'corporation', 'company', 'co', 'group', 'systems', 'software', 'bank', 'hospital', 'clinic', 'university', 'college', 'school', 'institute', 'foundation', 'association', 'agency', 'partners', 'associates', 'health', 'healthcare', 'medical', 'center', 'centre', 'pharmacy', 'insurance', 'analytics', 'technologies', 'solutions', 'services', 'labs', 'gmbh', 'plc', 'sa', 'ag', 'and', 'sons', 'society', 'church', 'orchestra', 'band', 'club', 'records', 'press', 'media', 'news', 'times', 'journal', 'weekly', 'magazine', 'transit', 'movers']);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'md', 'dds', 'phd', 'rn', 'np', 'pa', 'do', 'dvm', 'esq']);
export const NOT_NAME = new Set(['i', 'ok', 'okay', 'yes', 'yeah', 'no', 'hi', 'hello', 'hey', 'thanks', 'thank', 'please', 'sorry', 'um', 'uh', 'hmm', 'well', 'so', 'just', 'the', 'a', 'an', 'it', 'its', "it's", 'is', 'was', 'my', 'and', 'sure', 'alexa', 'olly', 'google', 'siri']);

/** Last words of the cues above: the regexes run only when the word before is one of these. */
const CUE_TAILS = new Set(['says', 'said', 'named', 'him', 'her', 'them', 'name', 'names', 'user', 'account', 'file', 'record', 'is', 'this', 'am', 'i', 'im', 'called', 'me', 'with', 'to', 'of', 'by', 'from', 'for', 'email', 'call', 'meet', 'contact', 'patient', 'regards', 'thanks', 'spelled', 'dear', 'signed', 'son', 'daughter', 'wife', 'husband', 'mother', 'father', 'mom', 'dad', 'sister', 'brother', 'friend', 'caregiver', 'guardian', 'partner', 'spouse', 'grandson', 'granddaughter', 'grandmother', 'grandfather', 'grandma', 'grandpa', 'aunt', 'uncle', 'niece', 'nephew', 'cousin', 'fiance', 'fiancee', 'child', 'kid', 'neighbor', 'neighbour']);

/** The word ending just before `start` (skipping spaces, colons, commas and a question mark: "your name? Arcuri"), lower case, "'s" removed. */
function wordBefore(text: string, start: number): string | undefined {
  let end = start;
  while (end > 0 && end > start - 8) {
    const c = text.charCodeAt(end - 1);
    if (c === CH.SPACE || c === CH.TAB || c === CH.LF || c === CH.COLON || c === CH.COMMA || c === CH.QUESTION) end--;
    else break;
  }
  let from = end;
  while (from > 0 && end - from < 16) {
    const c = text.charCodeAt(from - 1);
    if ((c >= CH.LOWER_A && c <= CH.LOWER_Z) || (c >= CH.UPPER_A && c <= CH.UPPER_Z) || c === CH.APOSTROPHE) from--;
    else break;
  }
  if (from === end) return undefined;
  let w = text.slice(from, end).toLowerCase();
  if (w.endsWith("'s")) w = w.slice(0, -2);
  return w;
}

/**
 * Introductions and greetings in a call: the word after them, when it is no English word, is a name
 * ("this is ngozi", "thanks ezra", "speaking with jack", "is this wren ngo").
 */
const INTRO_CUE = /(?:\bthis is|\bit's|\bit is|\bi'm|\bi am|\bname is|\bname's|\bnames|\bspeaking with|\bspeak (?:to|with)|\bis this|\breach|\bhello|\bhi|\bhey|\bthanks|\bthank you|\bdear|\bbye)[ ,]*$/i;
const INTRO_TAILS = new Set(['is', 'it', 'i\'m', 'am', 'name', 'names', 'with', 'to', 'this', 'reach', 'hello', 'hi', 'hey', 'thanks', 'you', 'dear', 'bye']);
/** Words that end a name rather than continue it, even when some family is called so ("can", "will"). */
const ENDS_NAME = new Set(['has', 'have', 'had', 'will', 'would', 'can', 'could', 'should', 'may', 'might', 'must', 'is', 'was', 'are', 'were', 'does', 'did', 'do', 'said', 'says', 'and', 'or', 'but', 'so', 'to', 'the', 'a', 'in', 'on', 'at', 'for', 'from', 'with', 'here', 'there', 'then', 'now', 'please', 'speaking', 'calling', 'how', 'what', 'who', 'that', 'this', 'it', 'he', 'she', 'they', 'we', 'you', 'i', 'me', 'my', 'his', 'her', 'last', 'first', 'name', 'spelled', 'spelling', 'yes', 'no', 'not', 'just', 'also', 'again', 'about', 'today', 'hi', 'hello', 'um', 'uh']);

/** Words never taken for a name in a call: one lookup for the commonest words of every utterance. */
const NEVER_SPOKEN_NAME = new Set([...NOT_NAME, ...TITLES, ...ENDS_NAME]);

/** "i'm", "we've", "can't": contractions are never names (the "'s" of a possessive is already gone). */
export { ENDS_NAME };

export function isContraction(lower: string): boolean {
  // /['’](?:m|ve|re|ll|d|t)$/ by character codes: it runs on every word of a call.
  const n = lower.length;
  if (n < 3) return false;
  const a = lower.charCodeAt(n - 2);
  if (a === CH.APOSTROPHE || a === CH.RIGHT_QUOTE) {
    const z = lower.charCodeAt(n - 1);
    return z === CH.LOWER_M || z === CH.LOWER_D || z === CH.LOWER_T;
  }
  const b = lower.charCodeAt(n - 3);
  if (b !== CH.APOSTROPHE && b !== CH.RIGHT_QUOTE) return false;
  const tail = lower.slice(n - 2);
  return tail === 've' || tail === 're' || tail === 'll';
}

/**
 * A request naming whom to reach, at the start of an utterance or after "and", "to", "please": "call …",
 * "text …", "send an email to …", "set up a meeting with …", "remind me to call …", "what's …'s email".
 */
const REQUEST_CUE = /(?:^|\b(?:and|to|please|then|can you|could you|i want to|i need to)\s+)(?:call|ring|phone|text|message|email|e-mail|mail|send (?:an? )?(?:email|e-mail|text|message|note) to|(?:set up|schedule|book|arrange) (?:a |an )?(?:meeting|call|appointment) with|meeting with|remind me to (?:call|email|e-mail|text|message)|what(?:'s| is))\s+$/i;
const REQUEST_TAILS = new Set(['call', 'ring', 'phone', 'text', 'message', 'email', 'e-mail', 'mail', 'to', 'with', 'what', 'is']);
/** Words after a request that are no one's name: relatives by role, places, pronouns. */
const NOT_REQUESTED_NAME = new Set(['mom', 'mum', 'dad', 'mommy', 'daddy', 'mother', 'father', 'grandma', 'grandpa', 'granny', 'wife', 'husband', 'son', 'daughter', 'sister', 'brother', 'boss', 'home', 'work', 'office', 'everyone', 'everybody', 'someone', 'somebody', 'back', 'again', 'later', 'now', 'up', 'out', 'down', 'off', 'over', 'them', 'him', 'her', 'us', 'me', 'you', 'all', 'your', 'their', 'our', 'this', 'that', 'these', 'those', 'what', 'who', 'time', 'weather', 'new', 'latest', 'last', 'next', 'today', 'tomorrow', 'tonight', 'there', 'here', 'a', 'an', 'the', 'my', 'his', 'its', 'number', 'email', 'message', 'text']);

const HAS_DIGIT = /\d/;

function requestBefore(text: string, start: number): boolean {
  const last = wordBefore(text, start);
  return last !== undefined && REQUEST_TAILS.has(last) && REQUEST_CUE.test(text.slice(Math.max(0, start - 48), start));
}

/** A word said in a call that may be a given name: a known one (word or not), or no English word at all. */
function spokenGivenName(t: Token): boolean {
  // Flags first: most words of a call are dictionary words and no given name.
  if ((t.flags & WORD.FIRST) === 0 && (t.flags & (WORD.DICTIONARY | WORD.PLACE | WORD.CITY)) !== 0) return false;
  if (t.lower.length < 2 || t.isDigits || HAS_DIGIT.test(t.text) || NOT_REQUESTED_NAME.has(t.lower) || NEVER_SPOKEN_NAME.has(t.lower) || (t.flags & (WORD.NUMBER | WORD.DATE | WORD.STATE)) !== 0) return false;
  if ((t.flags & WORD.FIRST) !== 0) return true;
  return (t.flags & (WORD.DICTIONARY | WORD.PLACE | WORD.CITY)) === 0;
}

function introBefore(text: string, start: number): boolean {
  const last = wordBefore(text, start);
  return last !== undefined && INTRO_TAILS.has(last) && INTRO_CUE.test(text.slice(Math.max(0, start - 24), start));
}

const TOWN_BEFORE = new Set(['in', 'near', 'from', 'around', 'outside']);
const PLACE_TAILS = new Set(['in', 'from', 'to', 'near', 'at', 'visit', 'visiting', 'visited', 'outside', 'around', 'toward', 'towards', 'city', 'town', 'village']);
const MONTHS_AND_DAYS = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'christmas', 'easter']);

/** A place preposition right before `start` ("in", "from", "flew to"). */
function placeBefore(text: string, start: number): boolean {
  const last = wordBefore(text, start);
  return last !== undefined && PLACE_TAILS.has(last) && start > 0 && text.charCodeAt(start - 1) === CH.SPACE;
}

function cueBefore(text: string, start: number, re: RegExp): boolean {
  const last = wordBefore(text, start);
  return last !== undefined && CUE_TAILS.has(last) && re.test(text.slice(Math.max(0, start - 40), start));
}

export function findLexical(text: string, tokens: readonly Token[], g: Gazetteer, opts: { isWritten: boolean; includeClinicians: boolean }): LexicalMatch[] {
  return opts.isWritten ? written(text, tokens, g, opts.includeClinicians) : spoken(text, tokens, g, opts.includeClinicians);
}

function known(g: Gazetteer, t: Token): boolean {
  return ((t.flags & WORD.FIRST) !== 0 || (t.flags & WORD.LAST) !== 0) && (t.flags & WORD.COMMON) === 0;
}

function isInitial(text: string, t: Token): boolean {
  return t.text.length === 1 && t.isCap;
}

function written(text: string, tokens: readonly Token[], g: Gazetteer, includeClinicians: boolean): LexicalMatch[] {
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
      const gap = text.slice(tokens[j]!.end, next.start);
      const okGap = gap === ' ' || (gap === '. ' && (isInitial(text, tokens[j]!) || TITLES.has(tokens[j]!.lower))) || (gap === ' ' && next.lower === 'van');
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
  if (j > p0 && placeAt(text, tokens, p0, g) === j && ((g.wordFlags.get(text.slice(tokens[p0]!.start, tokens[j]!.end).toLowerCase()) & WORD.PLACE) !== 0 || p0 > i || placeBefore(text, tokens[p0]!.start) || tokens.slice(p0, j + 1).some((t) => (t.flags & WORD.COMMON) === 0))) {
    out.push({ start: tokens[p0]!.start, end: tokens[j]!.end, label: 'LOCATION', confidence: 0.7 });
    return;
  }
  // A title written in lower case before the run ("with ms. Quinzia") is a title all the same.
  const before = TITLE_BEFORE.exec(text.slice(Math.max(0, tokens[i]!.start - 12), tokens[i]!.start))?.[1]?.toLowerCase();
  let titled = before !== undefined;
  let clinician = titled && CLINICIAN_TITLES.has(before!);
  // After a strong cue ("named him", "my wife") a common word is the name all the same ("Frank").
  const strongBefore = cueBefore(text, tokens[i]!.start, STRONG_CUE);
  // Leading capitalised common words (sentence starts, "Directed By") and titles are not the name; after
  // a title the next word is the name whatever it is ("Mr. Manning").
  while (a <= b) {
    const t = tokens[a]!;
    if ((titled || strongBefore) && !TITLES.has(t.lower)) break;
    if (TITLES.has(t.lower)) {
      titled = true;
      clinician = CLINICIAN_TITLES.has(t.lower);
      a++;
      continue;
    }
    if (isContraction(t.lower) || NOT_NAME.has(t.lower)) {
      a++;
      continue;
    }
    if ((t.flags & WORD.COMMON) !== 0 && !((t.flags & WORD.FIRST) !== 0 && a < b && ((tokens[a + 1]!.flags & WORD.LAST) !== 0 || (tokens[a + 1]!.flags & WORD.COMMON) === 0))) {
      a++;
      continue;
    }
    break;
  }
  while (b >= a && !((titled || strongBefore) && b === a) && ((tokens[b]!.flags & WORD.COMMON) !== 0 || SUFFIXES.has(tokens[b]!.lower)) && !known(g, tokens[b]!) && !(b > a && (tokens[b]!.flags & WORD.LAST) !== 0 && (tokens[b - 1]!.flags & WORD.FIRST) !== 0) && !(b > a && surnameAfter(text, tokens, b))) {
    if (SUFFIXES.has(tokens[b]!.lower) && b > a) break;
    b--;
  }
  if (a > b) return;
  // "I", and an acronym alone ("IBAN", "ATM"), are no names without a title or a cue.
  if (a === b && !titled && !strongBefore && (tokens[a]!.end - tokens[a]!.start === 1 || (tokens[a]!.isUpper && tokens[a]!.end - tokens[a]!.start <= 4))) return;
  // A word followed by a colon is a label ("User: Vilma Holm"), not a name.
  if (text.charCodeAt(tokens[b]!.end) === CH.COLON && (tokens[b]!.flags & WORD.COMMON) !== 0) return;
  for (let k = a; k <= b; k++) if (ORG_WORDS.has(tokens[k]!.lower) && k > a) return;
  if (clinician && !includeClinicians) return;
  const start = tokens[a]!.start;
  const end = tokens[b]!.end + (SUFFIXES.has(tokens[b]!.lower) && text[tokens[b]!.end] === '.' ? 1 : 0);
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
  if (knownCount === 0 && b > a && (first0(tokens[a]!) && tokens.slice(a + 1, b + 1).some((t) => unknownProper(t)))) knownCount = 1;
  if (knownCount > 0 || cued) {
    out.push({ start, end, label: 'NAME', confidence: cued ? 0.85 : knownCount > 1 || b > a ? 0.8 : 0.65 });
    return;
  }
  const first = tokens[a]!;
  // "Karin M. Beike", "Ravil G Yefimov": a middle initial between two words, one of them no English word.
  if (b - a >= 2 && !first.isUpper && ((first.flags & WORD.DICTIONARY) === 0 || (tokens[b]!.flags & WORD.DICTIONARY) === 0)) {
    for (let k = a + 1; k < b; k++) {
      if (isInitial(text, tokens[k]!) && tokens[k - 1]!.text.length > 1 && tokens[k + 1]!.text.length > 1) {
        out.push({ start, end, label: 'NAME', confidence: 0.8 });
        return;
      }
    }
  }
  // Words that are no English word, no place, no month and no drug, then a verb: "Shovda is very
  // reliable", "Tomomi Nishiyama lives at", "Vehbija has been".
  const unknownRun = tokens.slice(a, b + 1).every((t) => unknownProper(t));
  const next = tokens[b + 1];
  if (unknownRun && next && text.slice(tokens[b]!.end, next.start) === ' ' && NAME_VERBS.has(next.lower)) {
    out.push({ start, end, label: 'NAME', confidence: 0.6 });
    return;
  }
  // A capitalised run after a place preposition that holds no known given name and no English word:
  // a town the gazetteer lacks ("grew up in Remniku", "flew to LEPPEN", "from ΕΓΚΩΜΗ").
  if (!firstKnown && !cued && placeBefore(text, start) && (placeAt(text, tokens, a, g) === b || tokens.slice(a, b + 1).every((t) => (t.flags & WORD.COMMON) === 0 && !MONTHS_AND_DAYS.has(t.lower) && !((t.flags & WORD.FIRST) !== 0 && !t.isUpper)))) {
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
  else if (b > a && !first.isUpper && tokens.slice(a, b + 1).every((t) => (t.flags & WORD.COMMON) === 0 && (t.flags & WORD.PLACE) === 0 && t.text.length > 1 && (!sentenceStart || unknownProper(t)))) {
    out.push({ start, end, label: 'NAME', confidence: 0.55 });
  }
  // A place: every word capitalised, the whole phrase in the gazetteer, or each word when all-caps.
  else if (!isCommonPhrase && (isPlacePhrase || (first.isUpper && b === a && (first.flags & WORD.PLACE) !== 0))) {
    out.push({ start, end: tokens[b]!.end, label: 'LOCATION', confidence: 0.6 });
  }
}

const TITLE_BEFORE = /\b(mr|mrs|ms|miss|mx|dr|prof|sr|sra)\.? $/i;

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
  if (!t.isCap || t.isUpper || ORG_WORDS.has(t.lower) || MONTHS_AND_DAYS.has(t.lower) || SUFFIXES.has(t.lower) || (t.flags & (WORD.PLACE | WORD.STATE)) !== 0) return false;
  if (p.end - p.start === 1 && p.isCap) return b >= 2 && tokens[b - 2]!.isCap;
  return first0(p) && (p.flags & WORD.COMMON) === 0 && text.slice(p.end, t.start) === ' ';
}

/** Verbs after which a capitalised unknown word is the name of whoever does it. */
const NAME_VERBS = new Set(['began', 'begins', 'started', 'starts', 'is', 'was', 'has', 'had', 'will', 'would', 'can', 'could', 'said', 'says', 'lives', 'lived', 'spent', 'shouted', 'went', 'told', 'asked', 'called', 'works', 'worked', 'came', 'comes', 'reported', 'reports', 'denies', 'denied', 'presents', 'presented', 'complains', 'complained', 'states', 'stated', 'returned', 'visited', 'arrived', 'died', 'married', 'wrote', 'writes', 'gave', 'knows', 'knew', 'thinks', 'thought', 'wants', 'wanted', 'needs', 'needed', 'underwent', 'received', 'agreed', 'did', 'does', 'were', 'are', 'joined', 'left', 'moved', 'became', 'won', 'lost', 'met', 'tells', 'sees', 'saw']);
/** Nationalities, languages and faiths that do not end like the others ("German", "Czech", "Thai"). */
const NATIONALITIES = new Set(['german', 'czech', 'french', 'dutch', 'greek', 'swiss', 'thai', 'iraqi', 'israeli', 'pakistani', 'bangladeshi', 'saudi', 'kuwaiti', 'omani', 'yemeni', 'nepali', 'somali', 'basque', 'slovak', 'croat', 'serb', 'kazakh', 'uzbek', 'tajik', 'afghan', 'filipino', 'latino', 'latina', 'latinx', 'hispanic', 'arab', 'muslim', 'jewish', 'catholic', 'hindu', 'buddhist', 'sikh', 'inuit', 'maori', 'sami', 'roma', 'kurd', 'kurdish', 'english', 'welsh', 'scots']);
/** Nationalities and languages ("Slovenian", "Japanese") and drug names ("Lisinopril", "Atorvastatin"). */
const NOT_PERSON_SHAPE = /(?:ian|ese|ish|ean|pril|olol|statin|sartan|mab|nib|azole|cillin|mycin|oxacin|vir|sone|lone|pine|formin|gliptin|prazole|tidine|dipine|done|zepam|zolam|amine|ase|itis|osis|oma)$/;

/** A capitalised word that is no English word, no place, no month or weekday and no drug or nationality. */
function unknownProper(t: Token): boolean {
  return t.isCap && !t.isUpper && t.text.length > 2 && !isContraction(t.lower) && !NATIONALITIES.has(t.lower) && (t.flags & (WORD.DICTIONARY | WORD.PLACE | WORD.STATE | WORD.DATE | WORD.NUMBER)) === 0 && !ORG_WORDS.has(t.lower) && !NOT_PERSON_SHAPE.test(t.lower);
}

/**
 * An item of a list of family names: capitalised, never a place, a month, a number, a nationality or a
 * company word. Family names that are also words ("Graves", "Reed") pass: the list needs one item that
 * is no English word at all.
 */
function surnameLike(t: Token): boolean {
  if (!t.isCap || t.isUpper || t.text.length < 3 || (t.flags & (WORD.PLACE | WORD.STATE | WORD.DATE | WORD.NUMBER)) !== 0) return false;
  return !ORG_WORDS.has(t.lower) && !NATIONALITIES.has(t.lower) && !MONTHS_AND_DAYS.has(t.lower) && !NOT_PERSON_SHAPE.test(t.lower);
}

/** Tokens x < y joined by ", ", " & ", " and " or ", and " (the "and" is token x + 1). */
function joins(text: string, tokens: readonly Token[], x: number, y: number): boolean {
  const gap = text.slice(tokens[x]!.end, tokens[x + 1]!.start);
  if (y === x + 1) return gap === ', ' || gap === ' & ';
  return y === x + 2 && tokens[x + 1]!.lower === 'and' && (gap === ' ' || gap === ', ') && text.slice(tokens[x + 1]!.end, tokens[y]!.start) === ' ';
}

/**
 * Lists and pairs: "Kónya, Becker and Vasquez", "Usamov and Bowers were": a capitalised word joined by a
 * comma or "and" to a name is a name when it is a known given or family name or no English word.
 */
function coordinated(text: string, tokens: readonly Token[], out: LexicalMatch[]): void {
  const inName = new Uint8Array(tokens.length);
  let k = 0;
  for (const m of out) {
    if (m.label !== 'NAME') continue;
    for (k = 0; k < tokens.length && tokens[k]!.end <= m.end; k++) if (tokens[k]!.start >= m.start) inName[k] = 1;
  }
  // A list or a pair of family names with no given name to start from: "Monjeau, Graves and Reed",
  // "Muslija and Brown were". Every item a known family name or no English word, one of them neither.
  for (let i = 0; i + 2 < tokens.length; i++) {
    const items = [i];
    let k = i;
    while (k + 2 < tokens.length && items.length < 6) {
      if (joins(text, tokens, k, k + 1) && tokens[k + 1]!.lower !== 'and') k += 1;
      else if (joins(text, tokens, k, k + 2)) k += 2;
      else break;
      items.push(k);
      if (tokens[k - 1]!.lower === 'and') break;
    }
    if (items.length < 2 || tokens[items.at(-1)! - 1]!.lower !== 'and') continue;
    const pairOnly = items.length === 2;
    const verb = tokens[items.at(-1)! + 1];
    if (pairOnly && !(verb && (verb.lower === 'were' || verb.lower === 'are' || verb.lower === 'have' || verb.lower === 'had'))) continue;
    const ok = items.every((x) => surnameLike(tokens[x]!)) && items.some((x) => unknownProper(tokens[x]!));
    if (!ok) continue;
    for (const x of items) inName[x] = 1;
    for (const x of items) out.push({ start: tokens[x]!.start, end: tokens[x]!.end, label: 'NAME', confidence: 0.6 });
    i = items.at(-1)!;
  }
  for (let pass = 0; pass < 6; pass++) {
    let added = false;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (inName[i] || !t.isCap || t.isUpper || t.text.length < 3 || MONTHS_AND_DAYS.has(t.lower) || ORG_WORDS.has(t.lower)) continue;
      if (!(unknownProper(t) || ((t.flags & (WORD.FIRST | WORD.LAST)) !== 0 && (t.flags & WORD.PLACE) === 0))) continue;
      const linked = (i + 1 < tokens.length && inName[i + 1] && joins(text, tokens, i, i + 1)) || (i + 2 < tokens.length && inName[i + 2] && joins(text, tokens, i, i + 2)) || (i >= 1 && inName[i - 1] && joins(text, tokens, i - 1, i)) || (i >= 2 && inName[i - 2] && joins(text, tokens, i - 2, i));
      if (!linked) continue;
      inName[i] = 1;
      out.push({ start: t.start, end: t.end, label: 'NAME', confidence: 0.6 });
      added = true;
    }
    if (!added) break;
  }
}

function spoken(text: string, tokens: readonly Token[], g: Gazetteer, includeClinicians: boolean): LexicalMatch[] {
  const out: LexicalMatch[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.isDigits || t.lower.length < 2 || (t.flags & WORD.NUMBER) !== 0 || NEVER_SPOKEN_NAME.has(t.lower) || isContraction(t.lower)) continue;
    // The word that says which letter is meant ("w as in william") is no one's name.
    if (i >= 3 && tokens[i - 1]!.lower === 'in' && tokens[i - 2]!.lower === 'as' && tokens[i - 3]!.end - tokens[i - 3]!.start === 1) continue;
    const prev = tokens[i - 1];
    // The cue's last word is the word before: checked on the token before the regex runs.
    const strong = prev !== undefined && CUE_TAILS.has(prev.lower) && cueBefore(text, t.start, STRONG_CUE);
    const titled = prev !== undefined && TITLES.has(prev.lower) && prev.lower !== 'patient';
    if (titled && CLINICIAN_TITLES.has(prev.lower) && !includeClinicians) continue;
    // A town that is also a given name, after "in", "near" or "from", is the town ("weather in london").
    if (!strong && !titled && prev !== undefined && TOWN_BEFORE.has(prev.lower) && (t.flags & (WORD.CITY | WORD.PLACE)) !== 0 && (t.flags & WORD.FIRST) !== 0) {
      out.push({ start: t.start, end: t.end, label: 'LOCATION', confidence: 0.6 });
      continue;
    }
    const isFirst = (t.flags & WORD.FIRST) !== 0 && (t.flags & WORD.COMMON) === 0;
    const isLast = (t.flags & WORD.LAST) !== 0 && (t.flags & WORD.COMMON) === 0;
    const unknownWord = (t.flags & WORD.COMMON) === 0 && (t.flags & WORD.PLACE) === 0;
    let hit = false;
    let confidence = 0.6;
    /** Found by a cue (strong, title, introduction or request): the next word may be a family name that is a word. */
    let cued = false;
    if (strong || titled) {
      cued = true;
      hit = (t.flags & WORD.DICTIONARY) === 0 || (t.flags & WORD.FIRST) !== 0 || (t.flags & WORD.LAST) !== 0;
      confidence = 0.85;
    } else if (isFirst) {
      hit = true;
      cued = requestBefore(text, t.start) || introBefore(text, t.start);
      confidence = 0.7;
    } else if (isLast && prev && (prev.flags & WORD.FIRST) !== 0) {
      hit = true;
    } else if (unknownWord && (t.flags & WORD.FIRST) !== 0 && prev !== undefined && CUE_TAILS.has(prev.lower) && cueBefore(text, t.start, NAME_CUE)) {
      hit = true;
    } else if ((t.flags & WORD.DICTIONARY) === 0 && (t.flags & WORD.PLACE) === 0 && !ENDS_NAME.has(t.lower) && introBefore(text, t.start)) {
      hit = true;
      confidence = 0.7;
    } else if (spokenGivenName(t) && (requestBefore(text, t.start) || introBefore(text, t.start))) {
      // "hello is this jo tran", "text mei i'm late", "what's walt's email": a given name, even one that
      // is also a word ("grant", "summer"), or a word no dictionary holds, is who is asked for.
      hit = true;
      cued = true;
      confidence = 0.75;
    }
    if (!hit) continue;
    let j = i;
    // A family name after the given name: known, or no English word ("raju patel", "george brown").
    while (j + 1 < tokens.length && j < i + 2 && text.charCodeAt(tokens[j]!.end) === CH.SPACE && tokens[j + 1]!.start === tokens[j]!.end + 1) {
      const n = tokens[j + 1]!;
      // A middle initial, said or written in lower case ("eric g. samoylova", "benjamin a seiler"), when
      // a family name follows it.
      const after = tokens[j + 2];
      if (n.end - n.start === 1 && j === i && after && after.start - n.end <= 2 && after.lower.length > 2 && !after.isDigits && (((after.flags & WORD.LAST) !== 0 && (after.flags & WORD.COMMON) === 0) || (after.flags & (WORD.DICTIONARY | WORD.PLACE | WORD.NUMBER)) === 0)) {
        j += 2;
        break;
      }
      if (isNumberWord(n.lower) || NOT_NAME.has(n.lower) || ENDS_NAME.has(n.lower) || n.isDigits || isContraction(n.lower) || n.lower.length < 2) break;
      // After a cued given name, a word that is no common one is the family name ("is this paul moody").
      const cuedFamily = cued && j === i && (t.flags & WORD.FIRST) !== 0 && (n.flags & (WORD.COMMON | WORD.PLACE | WORD.DATE | WORD.NUMBER)) === 0 && n.lower.length > 2;
      if (((n.flags & WORD.LAST) !== 0 && (n.flags & WORD.COMMON) === 0) || ((n.flags & WORD.LAST) !== 0 && (t.flags & WORD.FIRST) !== 0 && j === i) || ((n.flags & WORD.DICTIONARY) === 0 && (n.flags & WORD.PLACE) === 0 && n.lower.length > 2) || cuedFamily) j++;
      else break;
    }
    out.push({ start: t.start, end: tokens[j]!.end, label: 'NAME', confidence });
    i = j;
  }
  // Places said in a call ("i live in springfield"): a gazetteer city that is not a common word or a name;
  // after a place word ("in green bay", "moved to boise") any town of the world's list.
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const last = prev !== undefined && PLACE_TAILS.has(prev.lower) ? placeAt(text, tokens, i, g) : undefined;
    if (last !== undefined) {
      out.push({ start: t.start, end: tokens[last]!.end, label: 'LOCATION', confidence: 0.6 });
      i = last;
    } else if (prev?.lower === 'in' && townAfterHome(tokens, i) && (t.flags & (WORD.DICTIONARY | WORD.FIRST | WORD.NUMBER)) === 0 && t.lower.length > 2 && !t.isDigits) {
      // "i live at … oak road in queltaton", "i live in werorotafield": a word no dictionary holds is the town,
      // with a town's part after it ("uladokdal falls").
      const part = tokens[i + 1] !== undefined && (tokens[i + 1]!.flags & WORD.PLACE_PART) !== 0 && tokens[i + 1]!.start === t.end + 1;
      out.push({ start: t.start, end: part ? tokens[i + 1]!.end : t.end, label: 'LOCATION', confidence: 0.6 });
      if (part) i++;
    } else if (t.lower.length > 3 && (t.flags & WORD.PLACE) !== 0 && (t.flags & WORD.COMMON) === 0 && (t.flags & WORD.FIRST) === 0 && (t.flags & WORD.LAST) === 0) {
      out.push({ start: t.start, end: t.end, label: 'LOCATION', confidence: 0.55 });
    }
  }
  return out;
}

/** "live in …", "lives in …", or "in …" right after a street type ("oak road in …"): a town follows. */
function townAfterHome(tokens: readonly Token[], i: number): boolean {
  const before = tokens[i - 2];
  if (!before) return false;
  return (before.flags & WORD.STREET) !== 0 || before.lower === 'live' || before.lower === 'lives' || before.lower === 'living' || before.lower === 'lived';
}

/**
 * The longest town, city, country or US state of one to three words starting at token i, its last token
 * index. A one-word place must be no common English word and no given name ("reading", "mark" need more).
 */
export function placeAt(text: string, tokens: readonly Token[], i: number, g: Gazetteer): number | undefined {
  const t = tokens[i];
  if (!t || t.isDigits) return undefined;
  let phrase = t.lower;
  let best: number | undefined;
  if ((t.flags & (WORD.PLACE | WORD.CITY | WORD.STATE)) !== 0 && (t.flags & (WORD.COMMON | WORD.FIRST)) === 0 && t.lower.length > 2) best = i;
  if ((t.flags & WORD.PLACE_HEAD) === 0) return best;
  for (let k = i + 1; k < tokens.length && k < i + 3; k++) {
    const n = tokens[k]!;
    if (n.isDigits || n.start !== tokens[k - 1]!.end + 1 || text.charCodeAt(n.start - 1) !== CH.SPACE) break;
    phrase += ' ' + n.lower;
    if (g.placePhrases.get(phrase) !== 0) best = k;
  }
  return best;
}
