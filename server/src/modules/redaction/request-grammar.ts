/**
 * The grammar of spoken requests and call openings around a word taken for a name (R-DATA-2, issue 30),
 * read by `spoken-names.ts`: an agent's name in a greeting ("riverside haruto speaking"), the weather after
 * "it's" ("it's sunny"), a given name and its family name without a cue ("bill pullman"; "i love bruno
 * mars" is a verb), the second syllable of a given name ("hyun woo"), and a name in the possessive before a
 * person's thing ("wolfgang ngos email").
 */
import { CH } from './chars.ts';
import { WORD, type Gazetteer } from './gazetteer.ts';
import { lexiconWords } from './lexicons.ts';
import { isContraction } from './name-cues.ts';
import { barePossessiveOfPerson, isPossessive } from './request-cues.ts';
import type { Token } from './tokens.ts';
import { TAG, tagWords } from './word-tags.ts';

/** Second syllables of given names written as two words ("hyun woo", "xin yi": `@namesyllable`). */
export const NAME_SYLLABLE = lexiconWords('namesyllable');

/** A word that may be a family name after a given name: a known one, one that is a word, or no dictionary word. */
export function familyCandidate(t: Token | undefined): boolean {
  return t !== undefined && t.lower.length > 2 && !t.hasDigit && ((t.flags & (WORD.LAST | WORD.FAMILY_WORD)) !== 0 || (t.flags & (WORD.DICTIONARY | WORD.PLACE)) === 0) && (t.flags & (WORD.PERSONAL | WORD.NEVER_NAME | WORD.NUMBER)) === 0;
}

/** Words of a greeting before "it's" that make the word after it whoever is calling ("hi it's sunny"). */
const GREETINGS = new Set(['hi', 'hey', 'hello', 'morning', 'afternoon', 'evening', 'yes', 'yeah', 'oh']);

/** What the weather is, in words some lists hold as given names ("it's sunny", "it is misty": `@weather`). */
const WEATHER_STATES = lexiconWords('weather');
/** Words after the name that say it is who calls ("it's sunny calling", "it's dawn here"). */
const CALLER_AFTER = new Set(['calling', 'here', 'speaking', 'from', 'again']);

/**
 * Token i, a word of the weather that some lists hold as a given name, follows "it's", "its" or "it is" with
 * no greeting before: it says what the weather is ("it's sunny", "it is misty"), not who calls ("it's mark").
 */
export function stateAfterIts(tokens: readonly Token[], i: number): boolean {
  if (!WEATHER_STATES.has(tokens[i]!.lower) || CALLER_AFTER.has(tokens[i + 1]?.lower ?? '')) return false;
  // The tokenizer folds "it's" to "it".
  const p1 = tokens[i - 1]?.lower;
  let k = i - 1;
  if (p1 === 'is' && tokens[i - 2]?.lower === 'it') k = i - 2;
  else if (p1 !== 'it' && p1 !== 'its') return false;
  for (let m = k - 1; m >= 0; m--) if (GREETINGS.has(tokens[m]!.lower)) return false;
  return true;
}

/** Words before the agent's name that say it is no name of an agent ("thanks for calling brightwell how can i help"). */
const NOT_BEFORE_AGENT = new Set(['calling', 'for', 'to', 'at', 'with', 'is', 'this', 'from', 'in']);
tagWords(NOT_BEFORE_AGENT, TAG.NOT_BEFORE_AGENT);
/** Words after "speaking" that make it no introduction ("speaking of", "speaking with"). */
const NOT_AFTER_SPEAKING = new Set(['with', 'to', 'of', 'about', 'for', 'on', 'at', 'in']);

/**
 * Token i is an agent's name in a greeting: before "speaking" ("haruto speaking how can i help"), or after
 * the organisation's name and before the offer of help ("lakeside haruka how can i help", "… seoyeon what
 * can i do for you").
 */
export function agentIntroAt(tokens: readonly Token[], i: number): boolean {
  const n = tokens[i + 1];
  if (n === undefined) return false;
  if (n.lower === 'speaking') return !NOT_AFTER_SPEAKING.has(tokens[i + 2]?.lower ?? '') && !NOT_BEFORE_AGENT.has(tokens[i - 1]?.lower ?? '');
  const prev = tokens[i - 1];
  if (prev === undefined || (prev.tags & TAG.NOT_BEFORE_AGENT) !== 0) return false;
  const a = tokens[i + 2]?.lower;
  const b = tokens[i + 3]?.lower;
  if (n.lower === 'how') return (a === 'can' || a === 'may') && b === 'i';
  return n.lower === 'what' && a === 'can' && b === 'i';
}

/** Tokens i..j, a name, end in the possessive, with or without its apostrophe, before a person's thing ("wolfgang ngos email", "emma kamau's work number"). */
export function ownsThingAt(text: string, tokens: readonly Token[], i: number, j: number, g: Gazetteer): boolean {
  const next = tokens[j + 1];
  if (next === undefined) return false;
  const thing = THING_WORDS.has(next.lower) ? tokens[j + 2] : next;
  if (thing === undefined || (thing.flags & WORD.PERSONAL) === 0) return false;
  // The family name of a whole name ends in "s" without its apostrophe ("wolfgang ngos email").
  return isPossessive(text, tokens[j]!) || barePossessiveOfPerson(tokens, j, g) || (j > i && tokens[j]!.lower.endsWith('s'));
}
/** Words that say which of a person's things ("work number", "new address"). */
const THING_WORDS = new Set(['work', 'home', 'cell', 'mobile', 'new', 'old', 'last', 'latest', 'personal', 'office']);

/** Subject pronouns: the word after one is a verb ("i love", "we bill"). */
const PRONOUNS = new Set(['i', 'we', 'you', 'they', 'he', 'she']);

/** Flags of a word that is no name's part: numbers, dates, states, requests for media and a person's things. */
const NEVER_FAMILY = WORD.NUMBER | WORD.DATE | WORD.STATE | WORD.MEDIA | WORD.PERSONAL | WORD.PRESS;

/**
 * Token i and the next are a person's given and family name without a cue: a given name (even one that
 * is also a word, "bill", "mark") before a word no dictionary holds or a known family name that is no
 * common word ("bill pullman", "mark smith"); or a word no dictionary holds before such a family name
 * ("aamir khan"). Two words no list knows ("burmuda tiangle") are not enough.
 */
export function familyAfter(text: string, tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  const n = tokens[i + 1];
  if (n === undefined || n.start !== t.end + 1 || text.charCodeAt(t.end) !== CH.SPACE || n.isDigits || n.lower.length < 3) return false;
  if (((t.flags | n.flags) & NEVER_FAMILY) !== 0 || (n.flags & WORD.NEVER_NAME) !== 0 || isContraction(n.lower) || isPossessive(text, t) || ((t.tags | n.tags) & TAG.BRAND) !== 0) return false;
  const knownFamily = (n.flags & WORD.LAST) !== 0 && (n.flags & WORD.COMMON) === 0;
  const unknownNext = (n.flags & (WORD.DICTIONARY | WORD.PLACE | WORD.FIRST | WORD.LAST)) === 0;
  // "i love bruno mars": a common word after a pronoun is a verb, not a given name.
  if ((t.flags & WORD.COMMON) !== 0 && PRONOUNS.has(tokens[i - 1]?.lower ?? '')) return false;
  if ((t.flags & WORD.FIRST) !== 0) return knownFamily || unknownNext;
  const unknownHere = (t.flags & (WORD.DICTIONARY | WORD.PLACE | WORD.CITY)) === 0 && t.lower.length > 2 && !t.hasDigit;
  return unknownHere && knownFamily;
}

