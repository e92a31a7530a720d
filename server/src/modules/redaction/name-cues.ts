/**
 * Word lists and cue tests shared by the name detectors of written text (written-names.ts) and of calls
 * (spoken-names.ts) (R-DATA-2): titles, relation and request cues, words that end a name, place
 * prepositions, and the gazetteer's towns and places of several words (`placeAt`).
 */
import { CH } from './chars.ts';
import { WORD, type Gazetteer } from './gazetteer.ts';
import type { Token } from './tokens.ts';
import { TAG, tagWords } from './word-tags.ts';

export interface LexicalMatch {
  start: number;
  end: number;
  label: 'NAME' | 'LOCATION';
  confidence: number;
}

export const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'doctor', 'prof', 'professor', 'sr', 'sra', 'nurse', 'dear', 'mister', 'missus', 'madam', 'sir', 'patient', 'pt', 'pastor', 'reverend', 'rabbi', 'imam', 'coach', 'judge', 'officer', 'detective', 'sergeant', 'captain', 'deacon']);
export const CLINICIAN_TITLES = new Set(['dr', 'doctor', 'prof', 'professor', 'nurse']);
/** Honorifics before a family name, one list for every detector ("mx" the gender-neutral one). */
export const HONORIFICS: ReadonlySet<string> = new Set(['mr', 'mrs', 'ms', 'miss', 'mx']);
/** The titles that name a doctor. */
export const DOCTOR_TITLES: ReadonlySet<string> = new Set(['dr', 'doctor']);
/** Words after which the next words are a name, in any case. */
export const NAME_CUE = /(?:\bsays|\bsaid|\bname(?:'s| is|:)|\bthis is|\bi am|\bi'm|\bcalled|\bcall me|\bspeaking with|\bspeak (?:to|with)|\bbehalf of|\bson|\bdaughter|\bwife|\bhusband|\bmother|\bfather|\bmom|\bdad|\bsister|\bbrother|\bfriend|\bsigned|\bby|\bfrom|\bto|\bwith|\bfor|\bemail|\bcall|\bmeet|\bcontact|\bpatient|\bregards|\bthanks|\bspelled)[ :,]*$/i;
export const STRONG_CUE = /(?:\bname(?:'s| is|:)|\bname(?: on (?:the|your|this) \w+)?\?(?: \w+:)?|\bspeaking with|\bcall me|\bspelled|\bbehalf of|\bmy (?:son|daughter|wife|husband|mother|father|mom|dad|sister|brother|friend|caregiver|guardian|partner|spouse|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|aunt|uncle|niece|nephew|cousin|fiance|fiancee|child|kid|neighbor|neighbour|coworker|co-worker|colleague|boss|manager|roommate|flatmate|landlord|landlady|babysitter|nanny|tutor|teacher|classmate|buddy|girlfriend|boyfriend|stepdad|stepmom|stepmother|stepfather|stepson|stepdaughter|stepbrother|stepsister|godmother|godfather|godson|goddaughter|sponsor|caseworker|therapist|counselor|counsellor|ex)(?: is)?|\bsigned|\bdear|\bpatient|\bnamed(?: him| her| them)?)[ :,]*$/i;
export const ORG_WORDS = new Set(['inc', 'llc', 'ltd', 'corp', 'corporation', 'company', 'co', 'group', 'systems', 'software', 'bank', 'hospital', 'clinic', 'university', 'college', 'school', 'institute', 'foundation', 'association', 'agency', 'partners', 'associates', 'health', 'healthcare', 'medical', 'center', 'centre', 'pharmacy', 'insurance', 'analytics', 'technologies', 'solutions', 'services', 'labs', 'gmbh', 'plc', 'sa', 'ag', 'and', 'sons', 'society', 'church', 'orchestra', 'band', 'club', 'records', 'press', 'media', 'news', 'times', 'journal', 'weekly', 'magazine', 'transit', 'movers']);
tagWords(ORG_WORDS, TAG.ORG_WORDS);
export const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'md', 'dds', 'phd', 'rn', 'np', 'pa', 'do', 'dvm', 'esq']);
tagWords(SUFFIXES, TAG.SUFFIXES);
export const NOT_NAME = new Set(['i', 'ok', 'okay', 'yes', 'yeah', 'no', 'hi', 'hello', 'hey', 'thanks', 'thank', 'please', 'sorry', 'um', 'uh', 'hmm', 'well', 'so', 'just', 'the', 'a', 'an', 'it', 'its', "it's", 'is', 'was', 'my', 'and', 'sure', 'alexa', 'olly', 'google', 'siri',
  // A call's words after a name or a title that are no name (issue 30): "fitzgerald thats f i …", "the nurse
  // line", "the p a number is", "viko rich date of birth", "its rx number".
  'thats', "that's", 'line', 'number', 'date', 'rx']);
tagWords(NOT_NAME, TAG.NOT_NAME);

/** Last words of the cues above: the regexes run only when the word before is one of these. */
export const CUE_TAILS = new Set(['says', 'said', 'named', 'him', 'her', 'them', 'name', 'names', 'user', 'account', 'file', 'record', 'is', 'this', 'am', 'i', 'im', 'called', 'me', 'with', 'to', 'of', 'by', 'from', 'for', 'email', 'call', 'meet', 'contact', 'patient', 'regards', 'thanks', 'spelled', 'dear', 'signed', 'son', 'daughter', 'wife', 'husband', 'mother', 'father', 'mom', 'dad', 'sister', 'brother', 'friend', 'caregiver', 'guardian', 'partner', 'spouse', 'grandson', 'granddaughter', 'grandmother', 'grandfather', 'grandma', 'grandpa', 'aunt', 'uncle', 'niece', 'nephew', 'cousin', 'fiance', 'fiancee', 'child', 'kid', 'neighbor', 'neighbour', 'coworker', 'co-worker', 'colleague', 'boss', 'manager', 'roommate', 'flatmate', 'landlord', 'landlady', 'babysitter', 'nanny', 'tutor', 'teacher', 'classmate', 'buddy', 'girlfriend', 'boyfriend', 'stepdad', 'stepmom', 'stepmother', 'stepfather', 'stepson', 'stepdaughter', 'stepbrother', 'stepsister', 'godmother', 'godfather', 'godson', 'goddaughter', 'sponsor', 'caseworker', 'therapist', 'counselor', 'counsellor', 'ex']);
const CUE_FIRST = byLengthAndFirst(CUE_TAILS);

/**
 * Where the word before `start` ends: spaces, tabs, line breaks, colons, commas and a question mark skipped (at most 8: "your name? Arcuri").
 * The character codes are locals, read once per call (a module's binding, `CH`, is checked at every read:
 * these run before most words of a call).
 */
function endBefore(text: string, start: number): number {
  const { SPACE, TAB, LF, COLON, COMMA, QUESTION } = CH;
  let end = start;
  while (end > 0 && end > start - 8) {
    const c = text.charCodeAt(end - 1);
    if (c === SPACE || c === TAB || c === LF || c === COLON || c === COMMA || c === QUESTION) end--;
    else break;
  }
  return end;
}

/** Where the word ending at `end` starts: ASCII letters and apostrophes, at most 16. */
function startBefore(text: string, end: number): number {
  const { LOWER_A, LOWER_Z, UPPER_A, UPPER_Z, APOSTROPHE } = CH;
  let from = end;
  while (from > 0 && end - from < 16) {
    const c = text.charCodeAt(from - 1);
    if ((c >= LOWER_A && c <= LOWER_Z) || (c >= UPPER_A && c <= UPPER_Z) || c === APOSTROPHE) from--;
    else break;
  }
  return from;
}

/** The word ending just before `start` (`endBefore`, `startBefore`), lower case, "'s" removed. */
function wordBefore(text: string, start: number): string | undefined {
  const end = endBefore(text, start);
  const from = startBefore(text, end);
  if (from === end) return undefined;
  let w = text.slice(from, end).toLowerCase();
  if (w.endsWith("'s")) w = w.slice(0, -2);
  return w;
}

/** A word's first character as a bit: the letters 0–25, the apostrophe 26, anything else 27. */
function firstBit(c: number): number {
  const l = c | CH.CASE_BIT;
  if (l >= CH.LOWER_A && l <= CH.LOWER_Z) return l - CH.LOWER_A;
  return c === CH.APOSTROPHE ? 26 : 27;
}

/**
 * The first characters of a list's words by length (a word of 16 characters at most: `wordBefore` reads
 * no longer one): a word before an offset whose length and first letter no word of the list has is not
 * in it, and is not cut out of the text and folded to be looked up (most words before a name are no
 * cue's last word).
 */
function byLengthAndFirst(words: Iterable<string>): Uint32Array {
  const masks = new Uint32Array(17);
  for (const w of words) if (w.length > 0 && w.length <= 16) masks[w.length]! |= 1 << firstBit(w.charCodeAt(0));
  return masks;
}

/** False when `wordBefore(text, start)` is surely not in the list of `masks` (`byLengthAndFirst`); true when it may be. */
function mayBeBefore(text: string, start: number, masks: Uint32Array): boolean {
  const end = endBefore(text, start);
  const from = startBefore(text, end);
  let length = end - from;
  // "'s" is cut from the folded word ("mom's" is "mom"; "'s" alone is "", in no list).
  if (length >= 2 && text.charCodeAt(end - 2) === CH.APOSTROPHE && (text.charCodeAt(end - 1) | CH.CASE_BIT) === CH.LOWER_S) length -= 2;
  return length > 0 && ((masks[length]! >>> firstBit(text.charCodeAt(from))) & 1) === 1;
}

/**
 * Introductions and greetings in a call: the word after them, when it is no English word, is a name
 * ("this is ngozi", "thanks ezra", "speaking with jack", "is this wren ngo").
 */
const INTRO_CUE = /(?:\bthis is|\b(?:hello|hi|hey|yes|oh) is that|\bit's|\bits|\bit is|\bi'm|\bim|\bi am|\bname is|\bname's|\bnames|\bspeaking with|\bspeak (?:to|with)|\bis this|\breach|\bhello|\bhi|\bhey|\bthanks|\bthank you|\bdear|\bbye)[ ,]*$/i;
const INTRO_TAILS = new Set(['is', 'it', 'its', 'im', 'i\'m', 'am', 'name', 'names', 'with', 'to', 'this', 'that', 'reach', 'hello', 'hi', 'hey', 'thanks', 'you', 'dear', 'bye']);
const INTRO_FIRST = byLengthAndFirst(INTRO_TAILS);
/** Words that end a name rather than continue it, even when some family is called so ("can", "will"). */
export const ENDS_NAME = new Set(['has', 'have', 'had', 'will', 'would', 'can', 'could', 'should', 'may', 'might', 'must', 'is', 'was', 'are', 'were', 'does', 'did', 'do', 'said', 'says', 'and', 'or', 'but', 'so', 'to', 'the', 'a', 'in', 'on', 'at', 'for', 'from', 'with', 'here', 'there', 'then', 'now', 'please', 'speaking', 'calling', 'how', 'what', 'who', 'that', 'this', 'it', 'he', 'she', 'they', 'we', 'you', 'i', 'me', 'my', 'his', 'her', 'last', 'first', 'name', 'spelled', 'spelling', 'yes', 'no', 'not', 'just', 'also', 'again', 'about', 'today', 'hi', 'hello', 'um', 'uh']);
/** Words after a relation word that end the name or are no name (clinical notes: clinical.ts, clinical-places.ts). */
export const NOT_AFTER_CUE = new Set([...ENDS_NAME, ...NOT_NAME, 're', 'of', 'an', 'who', 'whom', 'which', 'as', 'by', 'if', 'when', 'while', 'because', 'than', 'into', 'over', 'via', 'per', 'pt', 'patient', 'states', 'stated', 'reports', 'reported', 'called', 'calls', 'visited', 'visiting', 'present', 'bedside', 'updated', 'aware', 'notified', 'informed', 'phone', 'number', 'cell', 'home', 'work', 'here', 'came', 'left', 'wants', 'asked', 'requested', 'feels', 'thinks', 'agrees', 'agreed', 'signed', 'also', 'both', 'all', 'none', 'not', 'us', 'them', 'him', 'her', 'his', 'their', 'our', 'your', 'its', 'x1', 'x2']);
tagWords(NOT_AFTER_CUE, TAG.NOT_AFTER_CUE);

/** Words never taken for a name in a call: one lookup for the commonest words of every utterance. */
export const NEVER_SPOKEN_NAME = new Set([...NOT_NAME, ...TITLES, ...ENDS_NAME]);
tagWords(ENDS_NAME, TAG.ENDS_NAME);
tagWords(NEVER_SPOKEN_NAME, TAG.NEVER_SPOKEN_NAME);

/** "i'm", "we've", "can't": contractions are never names (the "'s" of a possessive is already gone). */
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
 * A request naming whom to reach, at the start of an utterance or after "and", "to", "please" or a wake
 * word ("alexa", "ok google"): "call …", "text …", "sms …", "facetime …", "send an email to …", "compose a
 * mail to …", "set up a meeting with …", "remind me to call …", "set a reminder to pick up …", "thank …".
 * ("what's …'s email" is a possessive before a person's thing: "what is" alone asks about anything,
 * "what is burmuda tiangle".)
 */
const REQUEST_CUE = /(?:^|\b(?:and|to|please|then|can you|could you|i want to|i need to|alexa|siri|google|olly)\s+)(?:call|ring|phone|dial|text|sms|whatsapp|facetime|video call|skype|message|email|e-mail|mail|ping|inform|notify|cc|bcc|dm|tag|follow|unfollow|unfriend|(?:call|ring|phone) up|(?:send|compose|write|draft|shoot|drop) (?:an? )?(?:email|e-mail|mail|text|text message|message|note|sms|dm|line) to|(?:make|give|place) (?:a )?(?:phone |video )?call to|call to|(?:set up|schedule|book|arrange) (?:a |an )?(?:meeting|call|appointment) with|meeting with|remind me to (?:call|email|e-mail|text|message)|pick up|thank|congratulate)\s+$/i;
/**
 * Requests that name whom they are about wherever they stand in the utterance: "set meeting with jack",
 * "emails from bob", "reply to mark's email", "tell bob smith", "meet reveca today", "send ashmit his notes".
 */
const WITH_PERSON_CUE = /\b(?:(?:looking|asking|ask) for|(?:talk|talking|speak|speaking) to|(?:meeting|meet up|lunch|dinner|coffee|brunch|breakfast|appointment|call|chat|date|catch up) with|(?:e-?mails?|messages?|texts?|mails?|notes?|replies|reply|voicemails?|anything|something|tweets?|calls?|invites?|invitations?) from|(?:reply|respond|write|forward (?:it|this)) to|tell|ask|invite|meet|remind|send|let|(?:is|was|it|that|reservation|order|table|booking|appointment|account|one|two|three|four|five|six|eight) under(?: the name)?|calling (?:for|about))\s+$/i;
/**
 * Rarer requests, each tried only after its own last word and when the window holds its key word, so
 * that the common "to", "with" and "for" do not pay for them: "put me through to …", "connect me with
 * …", "share the photos with …", "update the contact …", "i'm meeting …", "going to see …".
 */
const RARE_REQUESTS: ReadonlyArray<[tails: ReadonlySet<string>, key: string, re: RegExp]> = [
  [new Set(['to']), ' me', /\b(?:put (?:me )?through|transfer me|connect me) to\s+$/],
  // "send this to …", "forward the link to …", "pass the photos to …": whom a thing is passed to.
  // (A tweet, a complaint or a review is sent to a business's account: "send a tweet to meijer".)
  [new Set(['to']), 'send', /\bsend (?!(?:an? |my )?(?:tweets?|complaints?|reviews?|feedback)\b)(?:[a-z']+ ){1,3}to\s+$/],
  [new Set(['to']), 'forward', /\bforward (?:[a-z']+ ){1,3}to\s+$/],
  [new Set(['to']), 'pass', /\bpass (?:[a-z']+ ){1,3}to\s+$/],
  [new Set(['with']), 'connect me', /\bconnect me with\s+$/],
  [new Set(['with']), 'shar', /\b(?:share|sharing|shared) (?:[a-z']+ ){0,3}with\s+$/],
  [new Set(['contact', 'for']), 'contact', /\b(?:update|edit|delete|remove|save|create|add) (?:the |a |new )*contact(?: for)?\s+$/],
  [new Set(['meeting', 'meet', 'seeing', 'see']), ' ', /\b(?:i'm|i am|we're|we are|going to|gonna) (?:meeting|meet|seeing|see)\s+$/],
];
/** Last words of REQUEST_CUE and of WITH_PERSON_CUE: each regex runs only after a word that can end it. */
const DIRECT_TAILS = new Set(['cc', 'bcc', 'dm', 'tag', 'follow', 'unfollow', 'unfriend', 'call', 'ring', 'phone', 'dial', 'text', 'sms', 'whatsapp', 'facetime', 'skype', 'message', 'email', 'e-mail', 'mail', 'to', 'with', 'up', 'thank', 'congratulate', 'ping', 'inform', 'notify']);
const WITH_PERSON_TAILS = new Set(['for', 'to', 'with', 'from', 'tell', 'ask', 'invite', 'meet', 'remind', 'send', 'let', 'under', 'name', 'about']);
const REQUEST_TAILS = new Set(['cc', 'bcc', 'dm', 'tag', 'follow', 'unfollow', 'unfriend', 'for', 'call', 'ring', 'phone', 'dial', 'text', 'sms', 'whatsapp', 'facetime', 'skype', 'message', 'email', 'e-mail', 'mail', 'to', 'with', 'from', 'tell', 'ask', 'invite', 'meet', 'remind', 'send', 'up', 'thank', 'congratulate', 'contact', 'meeting', 'seeing', 'see', 'under', 'name', 'about', 'let', 'ping', 'inform', 'notify']);
const DIRECT_FIRST = byLengthAndFirst(DIRECT_TAILS);
const REQUEST_FIRST = byLengthAndFirst(REQUEST_TAILS);
/** Words after a request that are no one's name: relatives by role, places, pronouns, departments and offices ("email hr"), a saint's name's first word ("call st marys"). */
const NOT_REQUESTED_NAME = new Set(['hr', 'ceo', 'cfo', 'cto', 'vp', 'st', 'saint', 'mom', 'mum', 'dad', 'mommy', 'daddy', 'mother', 'father', 'grandma', 'grandpa', 'granny', 'wife', 'husband', 'son', 'daughter', 'sister', 'brother', 'boss', 'home', 'work', 'office', 'everyone', 'everybody', 'someone', 'somebody', 'back', 'again', 'later', 'now', 'up', 'out', 'down', 'off', 'over', 'them', 'him', 'her', 'us', 'me', 'you', 'all', 'your', 'their', 'our', 'this', 'that', 'these', 'those', 'what', 'who', 'time', 'weather', 'new', 'latest', 'last', 'next', 'today', 'tomorrow', 'tonight', 'there', 'here', 'a', 'an', 'the', 'my', 'his', 'its', 'number', 'email', 'message', 'text', 'sms', 'mms', 'dm', 'whatsapp', 'imessage', 'emails', 'texts', 'messages']);
tagWords(NOT_REQUESTED_NAME, TAG.NOT_REQUESTED_NAME);

/** A request to reach someone right before `start`: "call …", "email …", "remind me to text …" (not "emails from …"). */
export function directRequestBefore(text: string, start: number): boolean {
  if (!mayBeBefore(text, start, DIRECT_FIRST)) return false;
  const last = wordBefore(text, start);
  return last !== undefined && DIRECT_TAILS.has(last) && REQUEST_CUE.test(text.slice(Math.max(0, start - 48), start));
}

export function requestBefore(text: string, start: number): boolean {
  if (!mayBeBefore(text, start, REQUEST_FIRST)) return false;
  const last = wordBefore(text, start);
  if (last === undefined || !REQUEST_TAILS.has(last)) return false;
  const window = text.slice(Math.max(0, start - 48), start);
  if ((DIRECT_TAILS.has(last) && REQUEST_CUE.test(window)) || (WITH_PERSON_TAILS.has(last) && WITH_PERSON_CUE.test(window))) return true;
  for (const [tails, key, re] of RARE_REQUESTS) if (tails.has(last) && window.includes(key) && re.test(window)) return true;
  return false;
}

/**
 * A word said in a call that may be a given name: a known one (word or not), or no English word at all.
 * `cued`: a greeting or a request stands before it, so a given name that is also a word counts too ("wren").
 */
export function spokenGivenName(t: Token, cued = false): boolean {
  const given = cued ? WORD.FIRST | WORD.GIVEN_CUED : WORD.FIRST;
  // Flags first: most words of a call are dictionary words and no given name.
  if ((t.flags & given) === 0 && (t.flags & (WORD.DICTIONARY | WORD.PLACE | WORD.CITY)) !== 0) return false;
  if (t.lower.length < 2 || t.isDigits || t.hasDigit || (t.tags & (TAG.NOT_REQUESTED_NAME | TAG.NEVER_SPOKEN_NAME)) !== 0 || (t.flags & (WORD.NUMBER | WORD.DATE | WORD.STATE)) !== 0) return false;
  if ((t.flags & given) !== 0) return true;
  return (t.flags & (WORD.DICTIONARY | WORD.PLACE | WORD.CITY)) === 0;
}

export function introBefore(text: string, start: number): boolean {
  if (!mayBeBefore(text, start, INTRO_FIRST)) return false;
  const last = wordBefore(text, start);
  return last !== undefined && INTRO_TAILS.has(last) && INTRO_CUE.test(text.slice(Math.max(0, start - 24), start));
}

export const TOWN_BEFORE = new Set(['in', 'near', 'from', 'around', 'outside']);
export const PLACE_TAILS = new Set(['in', 'from', 'to', 'near', 'at', 'visit', 'visiting', 'visited', 'outside', 'around', 'toward', 'towards', 'city', 'town', 'village']);
const PLACE_FIRST = byLengthAndFirst(PLACE_TAILS);
export const MONTHS_AND_DAYS = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'christmas', 'easter']);
tagWords(MONTHS_AND_DAYS, TAG.MONTHS_AND_DAYS);

/** A place preposition right before `start` ("in", "from", "flew to"). */
export function placeBefore(text: string, start: number): boolean {
  if (!mayBeBefore(text, start, PLACE_FIRST)) return false;
  const last = wordBefore(text, start);
  return last !== undefined && PLACE_TAILS.has(last) && start > 0 && text.charCodeAt(start - 1) === CH.SPACE;
}

export function cueBefore(text: string, start: number, re: RegExp): boolean {
  if (!mayBeBefore(text, start, CUE_FIRST)) return false;
  const last = wordBefore(text, start);
  return last !== undefined && CUE_TAILS.has(last) && re.test(text.slice(Math.max(0, start - 40), start));
}

export function known(g: Gazetteer, t: Token): boolean {
  return ((t.flags & WORD.FIRST) !== 0 || (t.flags & WORD.LAST) !== 0) && (t.flags & WORD.COMMON) === 0;
}

export function isInitial(text: string, t: Token): boolean {
  return t.text.length === 1 && t.isCap;
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
