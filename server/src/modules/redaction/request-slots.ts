/**
 * The slots of a spoken request that hold no person (R-DATA-2, issue 30): what a request's frame says
 * stands in a slot, whatever list the word is also in. A town said where a trip goes or starts ("a bus
 * from troy to victoria", "how do i get to victoria") is a place; a name before a venue's word ("victoria
 * station", "madison square garden") is the venue's; what "skip", "put on" or "queue" takes, and a title
 * said with "by" and its artist ("add roxanne by the eagles"), are a song and an artist; a setting after
 * "turn … to" ("turn the fan to max") is a setting; two names joined by "and" before a possessive that
 * owns nothing ("ben and jerry's") are a business. Word lists: `data/lexicons/spoken-requests.txt`.
 */
import { WORD } from './gazetteer.ts';
import { lexiconWords } from './lexicons.ts';
import { OWNED_MEDIA, isPossessive, ownsMediaAt, possessiveOwnsNothing } from './request-cues.ts';
import type { Token } from './tokens.ts';

/** Words of a trip: a mode, a ticket, a route, a distance (`@travel`). */
const TRAVEL = lexiconWords('travel');
/** Words that make the name before them a venue's or a landmark's (`@venue`). */
const VENUE = lexiconWords('venue');
/** Words of a show that follow its host's or its maker's name and are no part of it (`@mediahead`). */
export const MEDIA_HEAD = lexiconWords('mediahead');
/** Words after a name that make it a title's, a franchise's or an app's ("the new vin diesel movie", "that alan partridge book", "the zillow app"; `@titlehead`). */
const TITLE_HEAD = lexiconWords('titlehead');
/** Words of a list of things, not of people ("shopping", "cart"; `@itemlist`). */
const ITEM_LIST = lexiconWords('itemlist');
/** Values of a device's setting that are also given names (`@setting`). */
const SETTING = lexiconWords('setting');
/** Colour words after a word that names a shade ("ivy green", "rose gold", "ruby red"). */
const COLOURS = new Set(['red', 'green', 'blue', 'yellow', 'orange', 'purple', 'pink', 'white', 'gold', 'silver', 'violet', 'grey', 'gray']);
/** Verbs that change a device's setting, at the start of a request. */
const SETTING_VERBS = new Set(['turn', 'set', 'put', 'switch', 'change', 'adjust', 'raise', 'lower', 'crank', 'bump', 'dim', 'increase', 'decrease']);
/** Wake words and politeness before a request's verb. */
const LEAD = new Set(['alexa', 'siri', 'google', 'olly', 'computer', 'hey', 'hi', 'ok', 'okay', 'please', 'can', 'could', 'you', 'would', 'um', 'uh', 'so']);

/** The index of a request's first word after wake words and politeness ("ok google skip …" → 2). */
export function verbIndex(tokens: readonly Token[]): number {
  let k = 0;
  while (k < tokens.length && LEAD.has(tokens[k]!.lower)) k++;
  return k;
}

/**
 * Token i, a town, stands after "to" or "from" in a request about a trip: a word of travel up to five
 * words before it ("get me a bus from troy to victoria", "how far is it from alexandria to augusta",
 * "how do i get to victoria"). A possessive stays a person's ("directions to charlotte's house").
 */
export function travelPlaceAt(text: string, tokens: readonly Token[], i: number): boolean {
  const prev = tokens[i - 1];
  if (prev === undefined || (tokens[i]!.flags & (WORD.CITY | WORD.PLACE)) === 0 || isPossessive(text, tokens[i]!)) return false;
  // "how far is aurora from denver": what is far is a place.
  if (prev.lower === 'is' && tokens[i - 2]?.lower === 'far') return true;
  if (prev.lower !== 'to' && prev.lower !== 'from') return false;
  for (let k = i - 2; k >= 0 && k >= i - 6; k--) if (TRAVEL.has(tokens[k]!.lower)) return true;
  return false;
}

/** Words before "to" that make what follows a destination ("navigate to ruby tuesday"). */
const DESTINATION_WORDS = new Set(['navigate', 'navigation', 'directions', 'route']);

/**
 * Token i is where a request for a route goes ("navigate to ruby tuesday", "directions to sacred heart"): a
 * place or a business, no person; a possessive stays a person's ("directions to dana's house").
 */
export function destinationAt(text: string, tokens: readonly Token[], i: number): boolean {
  return tokens[i - 1]?.lower === 'to' && DESTINATION_WORDS.has(tokens[i - 2]?.lower ?? '') && !isPossessive(text, tokens[i]!);
}

/**
 * The name at tokens i..j is a venue's or a landmark's: a venue's word follows it, right after it or
 * after one more word ("victoria station", "madison square garden", "lincoln memorial").
 */
export function venueAfter(tokens: readonly Token[], j: number): boolean {
  const a = tokens[j + 1];
  return a !== undefined && VENUE.has(a.lower);
}

/**
 * Token i stands in a request that plays, skips or queues a song: what "skip", "put on", "queue",
 * "replay" or "repeat" at the request's start takes ("put on valerie", "skip jack and diane", "put on
 * billie jean again"), and a title said with its artist after "by" in a request to add or play one ("add
 * roxanne by the eagles"): a song and an artist, no one's PHI. Whom it is shared with stays a person
 * (a word of passing before the name ends the frame: "skip this and send it to sam").
 */
export function songSlotAt(tokens: readonly Token[], i: number): boolean {
  // "put on steve's playlist": a possessive before a thing no artist owns is a person's.
  if (ownsMediaAt(tokens, i)) return false;
  const v = verbIndex(tokens);
  const verb = tokens[v]?.lower;
  if (verb === undefined || v >= i) return false;
  let from = v + 1;
  if (verb === 'put') {
    if (tokens[v + 1]?.lower !== 'on') return false;
    from = v + 2;
  } else if (verb === 'add' || verb === 'play') {
    // "add roxanne by the eagles": only with an artist after "by".
    if (!tokens.some((t, k) => k > v && t.lower === 'by')) return false;
  } else if (verb !== 'skip' && verb !== 'queue' && verb !== 'replay' && verb !== 'repeat') return false;
  for (let k = from; k < i; k++) {
    const w = tokens[k]!.lower;
    if (w === 'to' || w === 'with' || w === 'send' || w === 'call' || w === 'text' || w === 'email' || w === 'tell') return false;
  }
  return i >= from;
}

/**
 * The name at tokens i..j, found with no cue, is followed by a word of a title, a franchise or an app,
 * right after it or after one more word ("the new vin diesel movie", "that alan partridge book", "billy
 * bob show", "the zillow app"): what is
 * asked for is the title. After a request ("email sarah book club details") the person stays.
 */
export function titleAfter(tokens: readonly Token[], j: number): boolean {
  const a = tokens[j + 1];
  if (a === undefined || ownsMediaAt(tokens, j)) return false;
  if (TITLE_HEAD.has(a.lower)) return true;
  // One more word of the title's name between ("the new vin diesel movie", "billy bob show"), no word that ends a name.
  const b = tokens[j + 2];
  return b !== undefined && TITLE_HEAD.has(b.lower) && (a.flags & WORD.NEVER_NAME) === 0 && a.lower.length > 2 && !a.isDigits;
}

/** Verbs that put a thing on a list or take it off. */
const LIST_VERBS = new Set(['add', 'put', 'remove', 'delete', 'take', 'cross', 'scratch']);
/** Words before a list that the thing goes to or comes from. */
const LIST_PREPOSITIONS = new Set(['to', 'on', 'onto', 'from', 'off']);
/** Words before the thing that make it whom it is with or for ("add lunch with sam to my to do list"). */
const PERSON_PREPOSITIONS = new Set(['with', 'for', 'from', 'to', 'call', 'text', 'email']);

/**
 * Token i is the thing a request puts on a list of things or takes off it ("add ben and jerry's to the
 * shopping list", "put basil pesto in my cart", "take milk off my grocery list"); a list of people ("add
 * tom to my contact list", "the guest list") has no word of `@itemlist` and keeps its person.
 */
export function listItemAt(tokens: readonly Token[], i: number): boolean {
  const v = verbIndex(tokens);
  if (v >= i || !LIST_VERBS.has(tokens[v]?.lower ?? '')) return false;
  for (let k = v + 1; k < i; k++) if (PERSON_PREPOSITIONS.has(tokens[k]!.lower)) return false;
  for (let k = i + 1; k < tokens.length && k <= i + 5; k++) {
    if (!LIST_PREPOSITIONS.has(tokens[k]!.lower) && tokens[k]!.lower !== 'in') continue;
    for (let m = k + 1; m < tokens.length && m <= k + 4; m++) if (ITEM_LIST.has(tokens[m]!.lower)) return true;
    return false;
  }
  return false;
}

/** Words of a question about food, after which (and "for", "of", "in") a dish is named. */
const FOOD_QUESTION = new Set(['recipe', 'recipes', 'ingredients', 'calories', 'calorie', 'nutrition', 'carbs']);
const COOK_VERBS = new Set(['make', 'cook', 'bake', 'prepare', 'fry', 'grill', 'roast']);

/**
 * Token i is the dish a question about food names: after "recipe for", "calories in", "ingredients of",
 * or "how do i make", "how to cook" ("a recipe for beef wellington", "how many calories in margherita
 * pizza", "how do i make shepherd's pie").
 */
export function dishAskedAbout(tokens: readonly Token[], i: number): boolean {
  // An article and one word of the dish's own may stand between ("a recipe for a charlotte russe", "how do
  // i make a bloody mary"): a word that may itself be a name is no such word.
  let k = i - 1;
  const w = tokens[k];
  if (w !== undefined && !DISH_ARTICLES.has(w.lower) && (w.flags & WORD.DICTIONARY) !== 0 && (w.flags & (WORD.FIRST | WORD.GIVEN_CUED)) === 0 && DISH_ARTICLES.has(tokens[k - 1]?.lower ?? '')) k--;
  if (DISH_ARTICLES.has(tokens[k]?.lower ?? '')) k--;
  const p1 = tokens[k]?.lower;
  const p2 = tokens[k - 1]?.lower;
  if (p1 === undefined) return false;
  if ((p1 === 'for' || p1 === 'of' || p1 === 'in') && p2 !== undefined && FOOD_QUESTION.has(p2)) return true;
  if (!COOK_VERBS.has(p1)) return false;
  const p3 = tokens[k - 2]?.lower;
  if (p2 === 'to') return p3 === 'how';
  // "how do i make …", "how long do i bake …".
  return (p2 === 'i' || p2 === 'you' || p2 === 'we') && (tokens[k - 3]?.lower === 'how' || (tokens[k - 4]?.lower === 'how' && tokens[k - 3]?.lower === 'long'));
}
/** Articles before a dish ("a recipe for a charlotte russe"). */
const DISH_ARTICLES = new Set(['a', 'an', 'the', 'some']);

/** Token i is a setting's value after "to" in a request that turns or sets a device ("turn the fan to max"). */
export function settingAt(tokens: readonly Token[], i: number): boolean {
  // A colour's first word is a setting too ("set the lights to ivy green", "rose gold").
  if ((!SETTING.has(tokens[i]!.lower) && !COLOURS.has(tokens[i + 1]?.lower ?? '')) || tokens[i - 1]?.lower !== 'to') return false;
  const v = tokens[verbIndex(tokens)];
  return v !== undefined && SETTING_VERBS.has(v.lower);
}

/**
 * The name at tokens i..j is the first of two joined by "and" whose second is a possessive that owns
 * nothing: a business named after its founders ("how late is ben and jerry's open", "add ben and jerry's
 * to the list").
 */
export function foundersBusinessAfter(text: string, tokens: readonly Token[], j: number): boolean {
  const and = tokens[j + 1];
  if (and === undefined || (and.lower !== 'and' && and.lower !== '&') || tokens[j + 2] === undefined) return false;
  return possessiveOwnsNothing(text, tokens, j + 2) || (tokens[j + 3] !== undefined && possessiveOwnsNothing(text, tokens, j + 3) && tokens[j + 2]!.lower.length > 1);
}

/** "live in …", "lives in …", or "in …" right after a street type ("oak road in …"): a town follows. */
export function townAfterHome(tokens: readonly Token[], i: number): boolean {
  const before = tokens[i - 2];
  if (!before) return false;
  return (before.flags & WORD.STREET) !== 0 || before.lower === 'live' || before.lower === 'lives' || before.lower === 'living' || before.lower === 'lived';
}

/** Verbs of buying: what they take is a thing ("buy jose cuervo", "purchase kenneth cole shoes"). */
const BUY_VERBS = new Set(['buy', 'purchase', 'reorder']);
/** Words after the thing bought that make the word before them whom it is bought for ("buy sarah a gift"). */
const BOUGHT_FOR = new Set(['a', 'an', 'some', 'something', 'the', 'flowers', 'lunch', 'dinner', 'coffee', 'breakfast', 'drinks', 'one']);

/**
 * Token i is what a request to buy takes, right after its verb ("um buy jose cuervo to the shopping list",
 * "purchase kenneth cole shoes"): a product named after someone, no person; "buy sarah a gift" keeps her.
 */
export function boughtAt(tokens: readonly Token[], i: number): boolean {
  const v = verbIndex(tokens);
  if (v !== i - 1 || !BUY_VERBS.has(tokens[v]!.lower)) return false;
  for (let k = i + 1; k <= i + 2 && k < tokens.length; k++) if (BOUGHT_FOR.has(tokens[k]!.lower)) return false;
  return true;
}

/** Languages that some lists hold as given names ("german", "florence" is no language). */
const LANGUAGES = new Set(['german', 'french', 'spanish', 'italian', 'portuguese', 'russian', 'chinese', 'mandarin', 'japanese', 'korean', 'arabic', 'hindi', 'dutch', 'swedish', 'greek', 'polish', 'turkish', 'hebrew', 'latin', 'irish', 'welsh', 'english']);

/** Token i is a language after "in", "into" or "to" ("how do you say hello in german", "translate it into german"). */
export function languageAt(tokens: readonly Token[], i: number): boolean {
  const p1 = tokens[i - 1]?.lower;
  return LANGUAGES.has(tokens[i]!.lower) && (p1 === 'in' || p1 === 'into' || p1 === 'to');
}

/** Words after a name that make it a shop's or a restaurant's when a question opens with "is" or "does" ("is harris teeter open"). */
const OPENING_WORDS = new Set(['open', 'opened', 'opens', 'close', 'closed', 'closes', 'closing', 'opening', 'deliver', 'delivers', 'delivering']);
const OPENING_QUESTION = new Set(['is', 'are', 'does', 'do', 'will', 'was']);

/**
 * The name at tokens i..j is a business's asked about: "is harris teeter open", "when does kohl's close", "does
 * marie callender's deliver": a question opened by "is" or "does" whose name is followed by a word of opening
 * hours or delivery. ("is sarah open to it" has "to" after it: a person there is open to something.)
 */
export function openingHoursAt(tokens: readonly Token[], i: number, j: number): boolean {
  const a = tokens[j + 1];
  if (a === undefined || !OPENING_WORDS.has(a.lower) || !OPENING_QUESTION.has(tokens[i - 1]?.lower ?? '')) return false;
  const b = tokens[j + 2]?.lower;
  return b !== 'to' && b !== 'for' && b !== 'with' && b !== 'about';
}

/** Verbs of taste ("i love …", "i don't like …"). */
const TASTE_VERBS = new Set(['like', 'love', 'hate', 'dislike', 'enjoy', 'adore', 'loved', 'liked', 'hated']);
/** Words before a verb of taste that make it the speaker's ("i", "i really", "i don't", "we"). */
const TASTE_SUBJECTS = new Set(['i', 'we', 'really', "don't", 'dont', 'do', 'also', 'totally', 'absolutely']);

/**
 * Token i follows the speaker's verb of taste ("i love bruno mars", "i don't like kanye", "i really enjoy
 * adele"): what a voice assistant is told one likes is an artist, a song or a thing, no one's PHI.
 */
export function tasteAt(tokens: readonly Token[], i: number): boolean {
  const v = tokens[i - 1];
  return v !== undefined && TASTE_VERBS.has(v.lower) && TASTE_SUBJECTS.has(tokens[i - 2]?.lower ?? '');
}

/** Verbs that take up a book, a show or a podcast where it was left ("resume oliver twist", "read me jane eyre"). */
const RESUME_VERBS = new Set(['resume', 'continue', 'finish', 'restart']);
/** "read" takes a title only with "me" and no person's thing after the name ("read me jane eyre"; "read kevin email" is his e-mail). */
const READ_VERBS = new Set(['read', 'reread']);
/** Words between such a verb and the title ("read me …", "continue reading …", "continue listening to …"). */
const RESUME_GAP = new Set(['me', 'reading', 'listening', 'playing', 'to', 'with', 'my', 'us']);

/**
 * Token i is the title a request to resume, continue or read takes ("continue reading charlotte's web",
 * "resume oliver twist", "read me jane eyre"): a book's or a show's name, even one named after a person.
 * A possessive before a person's thing stays a person's ("read me sarah's email": the caller checks it
 * first), and so does a name after "from" ("read the message from tom").
 */
export function resumedTitleAt(tokens: readonly Token[], i: number): boolean {
  const v = verbIndex(tokens);
  if (v >= i) return false;
  const verb = tokens[v]!.lower;
  if (READ_VERBS.has(verb) ? tokens[v + 1]?.lower !== 'me' : !RESUME_VERBS.has(verb)) return false;
  // A person's thing after the name keeps the person ("read me kevin email", "continue kevin's story").
  for (let k = i + 1; k < tokens.length && k <= i + 3; k++) if ((tokens[k]!.flags & WORD.PERSONAL) !== 0 || OWNED_MEDIA.has(tokens[k]!.lower)) return false;
  // The title's first word may stand before ("read me jane eyre").
  for (let k = v + 1; k < i; k++) if (!RESUME_GAP.has(tokens[k]!.lower) && !(k === i - 1 && k > v + 1 && titleWord(tokens[k]!))) return false;
  return true;
}

/** A title's first word that may be a name's ("jane" of "jane eyre"): a given name or no dictionary word. */
function titleWord(t: Token): boolean {
  return (t.flags & WORD.FIRST) !== 0 || (t.flags & WORD.DICTIONARY) === 0;
}

