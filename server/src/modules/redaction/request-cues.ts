/**
 * What the words around a spoken name say about it (R-DATA-2, issue 30): whose thing a possessive says
 * it is ("greg's email", "oksana's work number"), a business named by its founder's possessive with
 * nothing owned after it ("at macy's", "text wendy's"), the verbs only a person does after the subject
 * of a question ("did quang email me", "when did niamh post"), and a greeting of the time of day; and
 * what says a word is no one's name: a word of the family said in place of one ("call nana"), a dish or a
 * product named after someone ("peach melba", "jimmy dean sausage"), a word asked about ("define earnest").
 */
import { CH } from './chars.ts';
import { WORD, type Gazetteer } from './gazetteer.ts';
import { lexiconWords } from './lexicons.ts';
import type { Token } from './tokens.ts';

/** A word ending in "'s" or "’s". */
export function isPossessive(text: string, t: Token): boolean {
  if (t.end - t.start < 4 || text.charCodeAt(t.end - 1) !== CH.LOWER_S) return false;
  const a = text.charCodeAt(t.end - 2);
  return a === CH.APOSTROPHE || a === CH.RIGHT_QUOTE;
}

/** Words before "name" that keep it a person's ("john's last name"). */
const NAME_PART = new Set(['last', 'first', 'middle', 'full', 'maiden']);
/** Words that say which of a person's things is meant ("oksana's work number", "bob's new address"). */
const THING_MODIFIERS = new Set(['work', 'home', 'cell', 'mobile', 'office', 'personal', 'private', 'business', 'new', 'old', 'other', 'current', 'latest', 'next', 'last', 'school', 'gmail', 'email']);

/**
 * Token i is a possessive ("greg's") and the next word a person's thing ("email", "birthday"), a relative
 * ("bob's wife"), a part of a name ("john's last name"), or a word that says which thing before the thing
 * ("oksana's work number").
 */
export function possessiveOfPerson(text: string, tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  const next = tokens[i + 1];
  if (next === undefined || next.start !== t.end + 1 || !isPossessive(text, t)) return false;
  if ((next.flags & (WORD.PERSONAL | WORD.RELATION)) !== 0) return true;
  const after = tokens[i + 2];
  if (after === undefined) return false;
  if (NAME_PART.has(next.lower)) return after.lower === 'name';
  return THING_MODIFIERS.has(next.lower) && (after.flags & WORD.PERSONAL) !== 0;
}

/**
 * Words after a possessive that own nothing: a preposition, a time, the end of the utterance. A name in
 * the possessive with nothing owned after it is a shop or restaurant named so ("dinner at macy's on
 * friday", "text wendy's", "find the number for dillard's in irving"), not a person.
 */
const OWNS_NOTHING = new Set(['in', 'on', 'at', 'near', 'by', 'for', 'to', 'from', 'and', 'or', 'around', 'this', 'next', 'tonight', 'today', 'tomorrow', 'open', 'close', 'closes', 'opens', 'please', 'instead', 'again', 'now']);

/** Token j, the last of a name, is a possessive followed by nothing it owns: a business's name. */
export function possessiveOwnsNothing(text: string, tokens: readonly Token[], j: number): boolean {
  if (!isPossessive(text, tokens[j]!)) return false;
  const next = tokens[j + 1];
  return next === undefined || OWNS_NOTHING.has(next.lower) || (next.flags & (WORD.DATE | WORD.NUMBER)) !== 0;
}

/**
 * Verbs of what a person does and a thing does not, said after the subject of a question ("did quang
 * email me", "has tunde replied", "when did niamh post anything"): the subject is a person even when no
 * list knows the name; "did bitcoin crash" stays a thing.
 */
const PERSON_VERBS = new Set(['call', 'called', 'email', 'emailed', 'text', 'texted', 'message', 'messaged', 'reply', 'replied', 'respond', 'responded', 'write', 'wrote', 'post', 'posted', 'tweet', 'tweeted', 'say', 'said', 'mention', 'mentioned', 'answer', 'answered', 'ring', 'rang', 'phone', 'phoned', 'share', 'shared', 'tag', 'tagged', 'comment', 'commented', 'confirm', 'confirmed', 'rsvp', 'like', 'liked', 'leave', 'left']);

export function personVerbAt(tokens: readonly Token[], k: number): boolean {
  const n = tokens[k];
  return n !== undefined && PERSON_VERBS.has(n.lower);
}

/**
 * "good morning" / "good afternoon" / "good evening" right before token i: a known given name after it is
 * whom it greets ("good afternoon hunter this is siobhan"); any other word there is the organisation an
 * agent answers for ("good afternoon lakeside you're speaking with …"), so only known given names count.
 */
export function timeGreetingBefore(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  const part = tokens[i - 1]?.lower;
  return (t.flags & (WORD.FIRST | WORD.GIVEN_CUED)) !== 0 && (part === 'morning' || part === 'afternoon' || part === 'evening') && tokens[i - 2]?.lower === 'good';
}

/** Words of the family and of endearment said in place of a name ("call nana", "text hubby"): `@kin` in spoken-requests.txt. */
export const KIN = lexiconWords('kin');
const DISH = lexiconWords('dish');
const PRODUCT_HEAD = lexiconWords('producthead');
const WORD_QUERY = lexiconWords('wordquery');

/**
 * Tokens i..j, taken for a name, name a dish or a product after someone: a word of a dish before them
 * ("peach melba", "chicken alfredo"), or a product's or dish's word after them, alone or after "and"
 * ("jimmy dean sausage", "uncle ben's rice", "mac and cheese").
 */
export function dishOrProductAt(tokens: readonly Token[], i: number, j: number): boolean {
  // "basil pesto": the product's word taken for a family name ends the run (a family name such as "rice" stays).
  if (j > i && PRODUCT_HEAD.has(tokens[j]!.lower) && (tokens[j]!.flags & WORD.LAST) === 0) return true;
  const after = tokens[j + 1];
  if (after !== undefined && PRODUCT_HEAD.has(after.lower)) return true;
  if (after?.lower === 'and' && tokens[j + 2] !== undefined && PRODUCT_HEAD.has(tokens[j + 2]!.lower)) return true;
  const before = tokens[i - 1];
  return before !== undefined && DISH.has(before.lower);
}

/**
 * Token i is the word a question about words asks about: after a word of such a question ("define
 * earnest", "what rhymes with grace", "a synonym for joy", "the meaning of hope"), after "the word", in
 * "what does … mean" or in "how do you say … in …".
 */
export function wordAskedAbout(tokens: readonly Token[], i: number): boolean {
  const p1 = tokens[i - 1]?.lower;
  if (p1 === undefined) return false;
  const p2 = tokens[i - 2]?.lower;
  if (WORD_QUERY.has(p1) || p1 === 'word' || ((p1 === 'with' || p1 === 'for' || p1 === 'of') && p2 !== undefined && WORD_QUERY.has(p2))) return true;
  const next = tokens[i + 1]?.lower;
  if (p1 === 'does' && p2 === 'what') return next === 'mean';
  return p1 === 'say' && p2 === 'you' && next === 'in';
}

/** Words before a possessive written without its apostrophe that make it a thing's ("my parents address", "the kids schedule"). */
const DETERMINERS = new Set(['my', 'your', 'his', 'her', 'our', 'their', 'the', 'a', 'an', 'this', 'that', 'its']);

/**
 * Token i is a possessive a recogniser wrote without its apostrophe ("what's chases email address", "when
 * is jasons graduation") before a person's thing: the word less its "s" is a given name, or neither it
 * nor the word is in any list; and no determiner stands before it ("my parents address" is no one's name).
 */
export function barePossessiveOfPerson(tokens: readonly Token[], i: number, g: Gazetteer): boolean {
  const t = tokens[i]!;
  const n = t.lower.length;
  const next = tokens[i + 1];
  if (n < 4 || t.lower.charCodeAt(n - 1) !== CH.LOWER_S || next === undefined || (next.flags & WORD.PERSONAL) === 0) return false;
  if (t.lower.charCodeAt(n - 2) === CH.LOWER_S && n < 6) return false;
  const before = tokens[i - 1];
  if (before !== undefined && DETERMINERS.has(before.lower)) return false;
  const stem = g.wordFlags.get(t.lower.slice(0, n - 1));
  if ((stem & (WORD.NUMBER | WORD.DATE | WORD.STATE | WORD.PERSONAL | WORD.MEDIA | WORD.NEVER_NAME)) !== 0) return false;
  if ((stem & (WORD.FIRST | WORD.GIVEN_CUED)) !== 0) return true;
  // Otherwise neither the word nor its stem may be a word of a list ("business address" is a thing's).
  const anyWord = WORD.DICTIONARY | WORD.PLACE | WORD.CITY;
  return (t.flags & anyWord) === 0 && (stem & anyWord) === 0;
}

/** Verbs that pass a thing to someone ("share this playlist with …", "send the song to …"). */
const PASS_VERBS = new Set(['share', 'sharing', 'send', 'sending', 'forward', 'text', 'email']);
const RECIPIENT_PREPOSITIONS = new Set(['with', 'to']);

/**
 * Token i is whom a song, a playlist or a video is shared with or sent to ("share this playlist with sam
 * and jason", "send the song to bill"): a person, even in a request about music, not an artist.
 */
export function recipientAt(tokens: readonly Token[], i: number): boolean {
  let k = i - 1;
  // A later name of a list: "with sam and jason".
  if (k >= 2 && (tokens[k]!.lower === 'and' || tokens[k]!.lower === 'or')) k = RECIPIENT_PREPOSITIONS.has(tokens[k - 2]!.lower) ? k - 2 : k - 3;
  if (k < 1 || !RECIPIENT_PREPOSITIONS.has(tokens[k]!.lower)) return false;
  for (let m = k - 1; m >= 0 && m >= k - 5; m--) if (PASS_VERBS.has(tokens[m]!.lower)) return true;
  return false;
}

/** Words that may follow "will" said as a name and not as a verb ("call will at five", "ask will to bring chips", "this is will speaking"). */
const AFTER_WILL_NAME = new Set(['at', 'on', 'that', 'about', 'back', 'please', 'tomorrow', 'tonight', 'today', 'speaking', 'now', 'and', 'or', 'to', 'for', 'if', 'when', 'again', 'later', 'too']);

/**
 * "will" in a person slot (after a request or an introduction: "call will", "may i speak with will", "is
 * this will novakova") is a name when nothing follows it, a family name no dictionary holds follows it,
 * or a word that no verb after "will" would be ("at", "that", "speaking"); "hello will you be there" and
 * "text me if it will rain" stay verbs. The index of the name's last token, or -1.
 */
export function willNameEnd(text: string, tokens: readonly Token[], i: number, cued: (text: string, start: number) => boolean): number {
  const next = tokens[i + 1];
  if (next !== undefined && !AFTER_WILL_NAME.has(next.lower) && !((next.flags & (WORD.DICTIONARY | WORD.PLACE | WORD.CITY | WORD.NUMBER | WORD.NEVER_NAME)) === 0 && next.lower.length > 2 && !next.isDigits && !next.lower.includes("'"))) return -1;
  if (!cued(text, tokens[i]!.start)) return -1;
  return next !== undefined && !AFTER_WILL_NAME.has(next.lower) ? i + 1 : i;
}
