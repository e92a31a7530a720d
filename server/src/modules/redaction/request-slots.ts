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
import { isPossessive, possessiveOfPerson, possessiveOwnsNothing } from './request-cues.ts';
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
/** Verbs that change a device's setting, at the start of a request. */
const SETTING_VERBS = new Set(['turn', 'set', 'put', 'switch', 'change', 'adjust', 'raise', 'lower', 'crank', 'bump', 'dim', 'increase', 'decrease']);
/** Wake words and politeness before a request's verb. */
const LEAD = new Set(['alexa', 'siri', 'google', 'olly', 'hey', 'ok', 'okay', 'please', 'can', 'could', 'you', 'would']);

/** The index of a request's first word after wake words and politeness ("ok google skip …" → 2). */
function verbIndex(tokens: readonly Token[]): number {
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
  if (prev === undefined || (prev.lower !== 'to' && prev.lower !== 'from')) return false;
  if ((tokens[i]!.flags & (WORD.CITY | WORD.PLACE)) === 0 || isPossessive(text, tokens[i]!)) return false;
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
  if (a === undefined) return false;
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
  const p1 = tokens[i - 1]?.lower;
  const p2 = tokens[i - 2]?.lower;
  if (p1 === undefined) return false;
  if ((p1 === 'for' || p1 === 'of' || p1 === 'in') && p2 !== undefined && FOOD_QUESTION.has(p2)) return true;
  if (!COOK_VERBS.has(p1)) return false;
  const p3 = tokens[i - 3]?.lower;
  return p2 === 'to' ? p3 === 'how' : (p2 === 'i' || p2 === 'you' || p2 === 'we') && tokens[i - 4]?.lower === 'how';
}

/** Words of a light or its colour (`@lighting`). */
const LIGHTING = lexiconWords('lighting');
/** Words that start another clause or pass something on: after them "to" goes to a person ("turn off the lights and text maria"). */
const CLAUSE_OR_PASS = new Set(['and', 'then', 'send', 'text', 'email', 'call', 'message', 'tell', 'give', 'say']);

/**
 * Token i is a setting's value after "to" in a request that turns or sets a device ("turn the fan to max"),
 * or the colour or scene a light is set to ("change the lights to violet", "set the color to ruby"); not
 * after a second clause ("turn off the lights and send a text to ruby").
 */
export function settingAt(tokens: readonly Token[], i: number): boolean {
  if (tokens[i - 1]?.lower !== 'to') return false;
  const vi = verbIndex(tokens);
  const v = tokens[vi];
  if (v === undefined || !SETTING_VERBS.has(v.lower)) return false;
  if (SETTING.has(tokens[i]!.lower)) return true;
  let light = false;
  for (let k = vi + 1; k < i - 1; k++) {
    const w = tokens[k]!.lower;
    if (CLAUSE_OR_PASS.has(w)) return false;
    if (LIGHTING.has(w)) light = true;
  }
  return light;
}

/** Things a voice assistant names (`@named`). */
const NAMED = lexiconWords('named');

/**
 * Token i follows "named", "called" or "titled" after a thing an assistant names ("a list named
 * christmas", "a shopping list called victoria", "an alarm called rose"): the thing's name, even after
 * the strong cue "named". A contact keeps its person ("the contact named john").
 */
export function thingNamedAt(tokens: readonly Token[], i: number): boolean {
  const p1 = tokens[i - 1]?.lower;
  return (p1 === 'named' || p1 === 'called' || p1 === 'titled') && NAMED.has(tokens[i - 2]?.lower ?? '');
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

/** Countries and territories of one word, continents and regions (`@country`, `@region`; data/lexicons/countries.txt). */
const COUNTRIES = new Set([...lexiconWords('country'), ...lexiconWords('region')]);

/**
 * Token i, taken for a name with no request, introduction, title or strong cue before it, is a country, a
 * continent or a region ("what is the capital of jordan", "tell me something about america", "the mall of
 * america"): the place, too large to identify anyone. A possessive before a person's thing stays a
 * person's ("jordan's birthday").
 */
export function countryAt(text: string, tokens: readonly Token[], i: number): boolean {
  return COUNTRIES.has(tokens[i]!.lower) && !possessiveOfPerson(text, tokens, i);
}

/** A country, a territory, a continent or a region of one word ("guam", "europe"): larger than a state, no one's PHI said alone. */
export function isCountry(t: Token): boolean {
  return COUNTRIES.has(t.lower);
}

const ARTICLES = new Set(['a', 'an', 'the']);

/** Words after a name that make the phrase that person's work or show (`@work`, and `@mediahead`). */
const WORK = new Set([...lexiconWords('work'), ...MEDIA_HEAD]);

/**
 * The name at tokens i..j, taken with no title or strong cue, follows an article ("book a room at the
 * hilton", "how do you make a tom collins", "visit the lincoln memorial", "is there a wendy's nearby"): said
 * aloud, a person's name takes no article; a hotel, a drink, a landmark, a team or a shop does. A person's
 * work or show after it keeps the person ("the frank freud version", "the bill simmons podcast").
 */
export function articleBefore(tokens: readonly Token[], i: number, j: number): boolean {
  const p1 = tokens[i - 1];
  if (p1 === undefined || WORK.has(tokens[j + 1]?.lower ?? '')) return false;
  if (ARTICLES.has(p1.lower)) return true;
  // A word of the name no dictionary holds before it ("at the ritz carlton"); a word between may be a noun
  // the article belongs to ("a recipe ramona sent").
  return ARTICLES.has(tokens[i - 2]?.lower ?? '') && (p1.flags & (WORD.DICTIONARY | WORD.NEVER_NAME | WORD.CUE_TAIL | WORD.NUMBER)) === 0 && !p1.isDigits;
}

/** Verbs whose object is a film or a show. */
const WATCH_VERBS = new Set(['watch', 'stream', 'rewatch', 'rent']);
/** Words of a film or a show before "for", "of" or "to" and its title ("the trailer for annie", "a new season of sherlock"). */
const SCREEN_OF = new Set(['trailer', 'trailers', 'season', 'seasons', 'sequel', 'prequel', 'soundtrack', 'remake', 'reboot', 'showtimes']);

/**
 * Token i is a film's or a show's title: what "watch" or "stream" takes ("watch forrest gump", "stream
 * annie hall"), or what follows "the trailer for", "the sequel to", "a new season of" ("the trailer for
 * annie", "a new season of sherlock").
 */
export function screenTitleAt(tokens: readonly Token[], i: number): boolean {
  const p1 = tokens[i - 1]?.lower;
  if (p1 === undefined) return false;
  if (WATCH_VERBS.has(p1)) return true;
  return (p1 === 'for' || p1 === 'of' || p1 === 'to') && SCREEN_OF.has(tokens[i - 2]?.lower ?? '');
}

/**
 * The words after token i are a US state's name ("atlanta georgia", "charlotte north carolina", "jackson
 * mississippi"): token i is a town, not a given name.
 */
export function stateAfter(tokens: readonly Token[], i: number, states: ReadonlySet<string>): boolean {
  const n = tokens[i + 1];
  if (n === undefined) return false;
  // "george washington": the one state's name that is a common family name too.
  if ((n.flags & WORD.STATE) !== 0) return n.lower !== 'washington';
  const m = tokens[i + 2];
  return m !== undefined && (n.flags & WORD.PLACE_HEAD) !== 0 && states.has(`${n.lower} ${m.lower}`);
}

/** Words before a storm's name (`@storm`), words before "of" and a place's name (`@placeof`) or a product's (`@measureof`). */
const STORM = lexiconWords('storm');
const THING_OF = new Set([...lexiconWords('placeof'), ...lexiconWords('measureof')]);

/**
 * Token i is a storm's name ("hurricane florence", "tropical storm maria"), a place's after a word that
 * only a place has and "of" ("the capital of victoria", "a map of georgia", "the mayor of charlotte"), or a
 * product's after a quantity and "of" ("a bottle of jack daniels"): no person's.
 */
export function namedThingAt(tokens: readonly Token[], i: number): boolean {
  const p1 = tokens[i - 1]?.lower;
  if (p1 === undefined) return false;
  if (STORM.has(p1)) return true;
  return p1 === 'of' && THING_OF.has(tokens[i - 2]?.lower ?? '');
}

/** Words of a request for news (`@news`) and the prepositions that say what it is about. */
const NEWS = lexiconWords('news');
const ABOUT = new Set(['about', 'on', 'regarding', 'concerning']);

/** Words before "news" that make it a question after someone ("any news about priya"), not a lookup. */
const ASKING_AFTER = new Set(['any', 'some', 'no', 'good', 'bad']);

/**
 * Token i is what a request for news is about: after "about", "on" or "regarding", a word of news one to
 * three words before ("follow news about hilary", "the latest headlines on bernie sanders"): a public figure
 * or a story looked up, no caller's PHI. Whom the news is from or for stays a person ("any news from
 * sarah"), and so does whom a caller asks after ("any news about priya", "is there any news on priya").
 */
export function newsTopicAt(tokens: readonly Token[], i: number): boolean {
  if (!ABOUT.has(tokens[i - 1]?.lower ?? '')) return false;
  for (let k = i - 2; k >= 0 && k >= i - 4; k--) if (NEWS.has(tokens[k]!.lower)) return !ASKING_AFTER.has(tokens[k - 1]?.lower ?? '');
  return false;
}

/**
 * Token i is a title a recommendation is likened to ("recommend a movie like annie", "any books similar to
 * matilda"): after "like" or "similar to" right after a word of a title (`@titlehead`); "a movie night like
 * annie said" keeps its person.
 */
export function likenedTitleAt(tokens: readonly Token[], i: number): boolean {
  const p1 = tokens[i - 1]?.lower;
  const head = p1 === 'like' ? tokens[i - 2] : p1 === 'to' && tokens[i - 2]?.lower === 'similar' ? tokens[i - 3] : undefined;
  return head !== undefined && TITLE_HEAD.has(head.lower);
}

/** Words before "the name" that ask about a name as a word ("the meaning of the name sophia", "how popular is the name olivia"). */
const NAME_ASKED = new Set(['of', 'is', 'about']);

/**
 * Token i is a name asked about as a word: "the meaning of the name sophia", "how popular is the name
 * olivia". A booking under a name keeps its person ("a table under the name olivia").
 */
export function nameAskedAbout(tokens: readonly Token[], i: number): boolean {
  return tokens[i - 1]?.lower === 'name' && tokens[i - 2]?.lower === 'the' && NAME_ASKED.has(tokens[i - 3]?.lower ?? '');
}
