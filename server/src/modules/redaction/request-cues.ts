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
import { TAG } from './word-tags.ts';
import { introBefore, requestBefore } from './name-cues.ts';

/** A word ending in "'s" or "’s". */
export function isPossessive(text: string, t: Token): boolean {
  if (t.end - t.start < 4 || text.charCodeAt(t.end - 1) !== CH.LOWER_S) return false;
  const a = text.charCodeAt(t.end - 2);
  return a === CH.APOSTROPHE || a === CH.RIGHT_QUOTE;
}

/** Things a person owns in a request about music or social media, not an artist (`@ownedmedia`). */
export const OWNED_MEDIA = lexiconWords('ownedmedia');
/** Words before "name" that keep it a person's ("john's last name"). */
const NAME_PART = new Set(['last', 'first', 'middle', 'full', 'maiden']);
/** Words that say which of a person's things is meant ("oksana's work number", "bob's new address"). */
const THING_MODIFIERS = new Set(['work', 'home', 'cell', 'mobile', 'office', 'personal', 'private', 'business', 'new', 'old', 'other', 'current', 'latest', 'next', 'last', 'school', 'gmail', 'email', 'baby', 'bridal', 'dance', 'piano', 'soccer', 'football', 'birthday', 'instagram', 'facebook']);

/**
 * Token i is a possessive ("greg's") and the next word a person's thing ("email", "birthday"), a relative
 * ("bob's wife"), a part of a name ("john's last name"), or a word that says which thing before the thing
 * ("oksana's work number").
 */
export function possessiveOfPerson(text: string, tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  const next = tokens[i + 1];
  if (next === undefined || next.start !== t.end + 1 || !isPossessive(text, t)) return false;
  if ((next.flags & (WORD.PERSONAL | WORD.RELATION)) !== 0 || OWNED_MEDIA.has(next.lower)) return true;
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
  // "what does carpe diem mean": one word more may stand before "mean".
  if (p1 === 'does' && p2 === 'what') return next === 'mean' || tokens[i + 2]?.lower === 'mean';
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
  let next = tokens[i + 1];
  // One word that says which thing between ("marilyns baby shower", "meeras piano recital").
  const after = tokens[i + 2];
  if (next !== undefined && THING_MODIFIERS.has(next.lower) && after !== undefined && (after.flags & WORD.PERSONAL) !== 0) next = after;
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

/** Words of an event or a message before the preposition that names whom it is with (`@personslot`). */
const PERSON_SLOT = lexiconWords('personslot');
const SLOT_PREPOSITIONS = new Set(['with', 'to', 'for', 'from']);

/**
 * Token i stands where a request names whom an event is with or a message is to or from: after a word of
 * `@personslot` and "with", "to", "for" or "from" ("create an event with gene", "new email to miza", "block
 * out time for gurpreet", "what's new with linh"), after "me and" ("a table for me and doc"), after "new
 * contact" or "the contact", and after "am i seeing" or "am i meeting". The caller checks that the word
 * may be a given name.
 */
export function personSlotAt(tokens: readonly Token[], i: number): boolean {
  const p1 = tokens[i - 1]?.lower;
  const p2 = tokens[i - 2]?.lower;
  if (p1 === undefined || p2 === undefined) return false;
  if (SLOT_PREPOSITIONS.has(p1)) return PERSON_SLOT.has(p2);
  if (p1 === 'and') return p2 === 'me';
  if (p1 === 'contact') return p2 === 'new' || p2 === 'the';
  return (p1 === 'seeing' || p1 === 'meeting') && p2 === 'i' && tokens[i - 3]?.lower === 'am';
}

const ASKED_PERSON = lexiconWords('askedperson');
const PERSON_FACT = lexiconWords('personfact');
/** Words that open a question about someone before "is" or "was" ("who is", "how old was"). */
const WHO_WORDS = new Set(['who', 'old', 'tall', 'rich', 'young']);
/** Words of a question about someone said right before the name ("facts about", "latest on"). */
const ABOUT_WORDS = new Set(['about', 'starring', 'featuring']);
/** Flags of a word that cannot be a famous person's family name after their given name. */
const NOT_FAMILY = WORD.NUMBER | WORD.DATE | WORD.NEVER_NAME | WORD.PERSONAL | WORD.MEDIA | WORD.PRESS | WORD.STATE;

/**
 * Tokens i and i+1 are the given and family name of someone a question asks about, though the family
 * name is a common word ("tom cruise", "bill gates", "steve jobs", "tiger woods"): a given name (one that
 * is also a word too) after "who is", "how old is", "about", "on", "starring", a word of `@askedperson` and
 * "of" or "with" ("the movies of", "a movie with"), or "films has"; and after the two words the end, "and"
 * or a word of `@personfact` ("related", "born", "directed"). The index of the family name, or -1.
 */
export function askedPersonEnd(tokens: readonly Token[], i: number): number {
  const t = tokens[i]!;
  const n = tokens[i + 1];
  if (n === undefined || (t.flags & (WORD.FIRST | WORD.GIVEN_CUED)) === 0 || ((t.flags | n.flags) & NOT_FAMILY) !== 0 || (t.tags & TAG.ENDS_NAME) !== 0) return -1;
  if (n.lower.length < 3 || n.hasDigit || (n.tags & (TAG.ENDS_NAME | TAG.NOT_NAME)) !== 0 || possessiveWord(t)) return -1;
  const after = tokens[i + 2]?.lower;
  if (PERSON_FACT.has(n.lower) || (after !== undefined && after !== 'and' && !PERSON_FACT.has(after) && !possessiveWord(n))) return -1;
  const p1 = tokens[i - 1]?.lower;
  const p2 = tokens[i - 2]?.lower;
  if (p1 === undefined) return -1;
  if (ABOUT_WORDS.has(p1) || ((p1 === 'is' || p1 === 'was') && WHO_WORDS.has(p2 ?? '')) || (p1 === 'on' && (p2 === 'latest' || p2 === 'news'))) return i + 1;
  return askedAboutAt(tokens, i) ? i + 1 : -1;
}

/**
 * A name in a request about music, shows or books that is still a person's: whom a thing is shared with or
 * sent to (`recipientAt`), the owner of a thing an artist does not have ("sarah's favourite song", "steve's
 * playlist": `@ownedmedia`), or someone a question about films asks about ("the movies of …", "which films
 * has … directed": `@askedperson`). Tokens a..b are the name.
 */
export function personInMediaRequest(tokens: readonly Token[], a: number, b: number): boolean {
  if (recipientAt(tokens, a)) return true;
  const last = tokens[b]!;
  if (ownsMediaAt(tokens, b)) return true;
  return askedAboutAt(tokens, a);
}

/**
 * Token a follows the words of a question about a person: "starring", "featuring", or a word of
 * `@askedperson` and "of", "with", "has" or "did" ("the movies of …", "a movie with …", "which films has
 * …", "the net worth of …"). What is asked about there is a person, not a film or a place.
 */
export function askedAboutAt(tokens: readonly Token[], a: number): boolean {
  const p1 = tokens[a - 1]?.lower;
  const p2 = tokens[a - 2]?.lower;
  return p1 === 'starring' || p1 === 'featuring' || ((p1 === 'of' || p1 === 'with' || p1 === 'has' || p1 === 'did') && p2 !== undefined && ASKED_PERSON.has(p2));
}

/** Token b is a possessive before a thing an artist does not own ("steve's playlist", "sarah's favourite song"). */
export function ownsMediaAt(tokens: readonly Token[], b: number): boolean {
  let next = tokens[b + 1];
  // One word that says which one between ("duncan trussel's latest podcast").
  if (next !== undefined && THING_MODIFIERS.has(next.lower)) next = tokens[b + 2];
  return next !== undefined && OWNED_MEDIA.has(next.lower) && possessiveWord(tokens[b]!);
}

/** A token that ends in "'s" or "’s" (its own text: no utterance needed). */
function possessiveWord(t: Token): boolean {
  const s = t.text;
  const n = s.length;
  return n >= 4 && s.charCodeAt(n - 1) === CH.LOWER_S && (s.charCodeAt(n - 2) === CH.APOSTROPHE || s.charCodeAt(n - 2) === CH.RIGHT_QUOTE);
}

/** A request or an introduction right before `start` ("call …", "speak with …", "is this …"). */
export function personSlotBefore(text: string, start: number): boolean {
  return requestBefore(text, start) || introBefore(text, start);
}

/**
 * Token i is a holiday that some lists hold as a given name ("when is easter", "a list named christmas
 * presents"), or a country so held after a word of a country's head or facts and "of" ("the president of
 * france", "the capital of jordan"; "the wife of jordan", "details of allen" keep their person): no one's name.
 */
export function holidayOrCountryAt(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  if ((t.tags & TAG.MONTHS_AND_DAYS) !== 0 && (t.flags & WORD.DATE) === 0) return true;
  return (t.flags & WORD.PLACE) !== 0 && tokens[i - 1]?.lower === 'of' && STATE_HEAD.has(tokens[i - 2]?.lower ?? '');
}
/** Words of a country's head, capital or facts before "of" (`@statehead`). */
const STATE_HEAD = lexiconWords('statehead');

/** Verbs of what a person does, said of them in the present ("tell me when nyra gets home", "khanh is coming over"). */
const SUBJECT_VERBS = new Set(['gets', 'got', 'lands', 'landed', 'arrives', 'arrived', 'calls', 'texts', 'emails', 'messages', 'replies', 'leaves', 'comes', 'needs', 'wants', 'starts', 'finishes', 'wakes', 'called', 'texted', 'emailed', 'said', 'says', 'will', 'has', 'is', 'was']);
/** Words after "is" or "was" that say where a person is or what they do ("is coming over", "is home", "is late"). */
const PERSON_STATES = new Set(['here', 'home', 'late', 'sick', 'back', 'away', 'busy', 'free', 'visiting', 'coming', 'going', 'running', 'flying', 'driving', 'picking', 'staying', 'on', 'out', 'off', 'at', 'in', 'not', 'still', 'having', 'getting', 'leaving', 'arriving', 'moving', 'working']);
/** Weather and seasons that some lists hold as given names. */
const WEATHER_AND_SEASONS = new Set(['rain', 'snow', 'storm', 'hail', 'sleet', 'fog', 'frost', 'wind', 'thunder', 'sun', 'spring', 'summer', 'winter', 'autumn', 'fall', 'dawn', 'dusk', 'sunrise', 'sunset', 'heat', 'ice']);
/** Verbs a thing can be the subject of as well as a person. */
const THING_CAN_DO = new Set(['is', 'was', 'will', 'comes', 'gets', 'got', 'starts', 'finishes', 'arrives', 'arrived', 'leaves', 'lands', 'landed']);
/** Words after "has" that start what a person has ("mark has a dentist appointment", "has to leave"). */
const AFTER_HAS = new Set(['a', 'an', 'my', 'his', 'her', 'their', 'to', 'been', 'got', 'just']);

/**
 * Token i opens a statement about a person (after wake words only: "khanh is coming over at six", "chase
 * needs a ride", "mark has a dentist appointment", "ysalyn will be here"), or is the subject of a clause
 * after "tell me when", "remind me when", "let me know when" ("tell me when nyra gets home"): a verb of
 * what a person does follows it, and after "is", "has" or "will" a word of a person's state or plans.
 * The caller checks that the word may be a given name.
 */
export function statementSubjectAt(tokens: readonly Token[], i: number, opening: boolean): boolean {
  const v = tokens[i + 1];
  if (v === undefined || !SUBJECT_VERBS.has(v.lower)) return false;
  if (!opening) {
    const p1 = tokens[i - 1]?.lower;
    const p2 = tokens[i - 2]?.lower;
    if ((p1 !== 'when' && p1 !== 'that') || (p2 !== 'me' && p2 !== 'know')) return false;
  }
  const a = tokens[i + 2]?.lower;
  // Weather and seasons come and go too ("rain is coming", "spring will be late").
  if (WEATHER_AND_SEASONS.has(tokens[i]!.lower) && THING_CAN_DO.has(v.lower)) return false;
  if (v.lower === 'is' || v.lower === 'was') return a !== undefined && PERSON_STATES.has(a);
  if (v.lower === 'has') return a !== undefined && AFTER_HAS.has(a);
  if (v.lower === 'will') return a === 'be' || a === 'call' || a === 'pick' || a === 'bring' || a === 'come' || a === 'arrive';
  return true;
}

/** Words of a question only a person answers, before "is" or "was" ("how old is", "how tall was"). */
const PERSON_MEASURE = new Set(['old', 'tall', 'young']);

/**
 * Tokens i.. are one to three words no dictionary holds, asked about where only a person can be: after
 * "how old is", "how tall was", "what age is", before "born" after "where was" or "when was" ("where was
 * usain bolt born"), or before a word of `@personfact` after "who is" ("who is xi jinping married to");
 * after "who is" alone, two such words (a given and a family name: "who is xi jinping"). A word after the
 * first may be a family name that is a word ("usain bolt"). The index of the name's last token, or -1.
 */
export function askedUnknownPersonEnd(tokens: readonly Token[], i: number): number {
  const p1 = tokens[i - 1]?.lower;
  const p2 = tokens[i - 2]?.lower;
  if ((p1 !== 'is' && p1 !== 'was') || p2 === undefined || !unknownNamePart(tokens[i]!, true)) return -1;
  let j = i;
  while (j + 1 < tokens.length && j < i + 2 && unknownNamePart(tokens[j + 1]!, false) && !PERSON_FACT.has(tokens[j + 1]!.lower)) j++;
  const after = tokens[j + 1]?.lower;
  const ends = after === undefined || PERSON_FACT.has(after);
  if (PERSON_MEASURE.has(p2) && tokens[i - 3]?.lower === 'how') return ends ? j : -1;
  if ((p2 === 'where' || p2 === 'when') && after === 'born') return j;
  // "what year was xi jinping born".
  if (p2 === 'year' && tokens[i - 3]?.lower === 'what') return ends ? j : -1;
  if (p2 === 'who') return after !== undefined ? (ends ? j : -1) : j > i ? j : -1;
  return -1;
}

/** A word that may be part of a name no list knows: no dictionary word, number or country; after the first, a family name that is a word too. */
function unknownNamePart(t: Token, first: boolean): boolean {
  if (t.lower.length < 2 || t.hasDigit || (t.flags & (WORD.NUMBER | WORD.DATE | WORD.STATE | WORD.NEVER_NAME | WORD.PERSONAL | WORD.MEDIA)) !== 0 || (t.tags & (TAG.ENDS_NAME | TAG.NOT_NAME | TAG.BRAND)) !== 0) return false;
  if ((t.flags & WORD.DICTIONARY) === 0) return first ? (t.flags & WORD.PLACE) === 0 : true;
  return !first && (t.flags & (WORD.FAMILY_WORD | WORD.LAST)) !== 0;
}

/** Verbs that save a contact at the start of a request. */
const CONTACT_VERBS = new Set(['add', 'save', 'create', 'store']);
/** Words after a contact's name in a request to save it ("add kako email …", "add wei with the email …", "save jo to my contacts"). */
const CONTACT_AFTER = new Set(['email', 'e-mail', 'address', 'number', 'phone', 'cell', 'mobile', 'with']);
/** Words after "to" or "as" that make the list one of people ("save thabo to my contacts", "add makoa to the group chat"). */
const CONTACT_LIST = new Set(['contacts', 'contact', 'phonebook', 'favorites', 'favourites', 'chat', 'group', 'thread', 'conversation', 'meeting', 'call', 'invite']);

/**
 * Tokens i..j are whom a request saves as a contact: right after "add" or "save" (wake words before), and a
 * word of an address or a number or "with" after them, or "to" or "as" before "contacts" ("add kako email t
 * u a n at …", "add wei with the email …", "save thabo to my contacts"); "add quinoa to the list" is a list's.
 */
export function contactSavedAt(tokens: readonly Token[], i: number, j: number, v: number): boolean {
  if (v !== i - 1 || !CONTACT_VERBS.has(tokens[v]!.lower)) return false;
  const a = tokens[j + 1];
  if (a === undefined) return false;
  if (CONTACT_AFTER.has(a.lower)) return true;
  // "add quinoa to my shopping list" is a list's; "save thabo to my contacts" a contact's.
  if (a.lower !== 'to' && a.lower !== 'as') return false;
  for (let k = j + 2; k < tokens.length && k <= j + 5; k++) if (CONTACT_LIST.has(tokens[k]!.lower)) return true;
  return false;
}

