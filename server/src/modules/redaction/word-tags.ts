/**
 * Word tags (R-DATA-2): a second flags word per token, beside `WORD` (gazetteer.ts), for the detectors'
 * own word lists that are read for many tokens of an utterance. Each list is registered here when its
 * module loads; the word table (gazetteer.ts `WordTable`) stores the tags with each word's flags, so the
 * one lookup the tokenizer makes for a token gives them (`Token.tags`), and a detector tests a bit
 * instead of looking the token's `lower` up in its set. `(t.tags & TAG.X) !== 0` is exactly
 * `X.has(t.lower)`: every token's `lower` is looked up, and no list holds a word of digits alone (the
 * tokens the table is not asked about). The lists stay sets for the words that are no token's `lower`.
 * No imports: the detectors register their lists at load time, before the table is built.
 */
export const TAG = {
  /** A kind of place of care said in a call (call-places.ts `CARE_TRIGGERS`). */
  CARE_TRIGGER: 1,
  /** A word of the name cues of calls (call-names.ts `CALL_NAME_TRIGGERS`). */
  CALL_NAME_TRIGGER: 2,
  /** A word that ends a name (name-cues.ts `ENDS_NAME`). */
  ENDS_NAME: 4,
  /** A business, brand, service or currency (data/lexicons/brands.txt @brand). */
  BRAND: 8,
  /** Never a name in a call (name-cues.ts `NEVER_SPOKEN_NAME`). */
  NEVER_SPOKEN_NAME: 16,
  /** No name asked for in a request (name-cues.ts `NOT_REQUESTED_NAME`). */
  NOT_REQUESTED_NAME: 32,
  /** a word before a name in a note ("to", "per": clinical-names.ts `PERSON_LEAD`). */
  PERSON_LEAD: 64,
  /** an honorific ("mr", "mrs": name-cues.ts `HONORIFICS`). */
  HONORIFIC: 128,
  /** a nationality (written-names.ts `NATIONALITIES`). */
  NATIONALITIES: 256,
  /** a street word before the street's name ("avenue", "rue": addresses.ts `LEADING_STREET`). */
  LEADING_STREET: 512,
  /** a word before which no agent's name stands (spoken-names.ts `NOT_BEFORE_AGENT`). */
  NOT_BEFORE_AGENT: 1024,
  /** a word that makes a business's name (data/lexicons @orgword). */
  ORG_AFTER: 2048,
  /** "saint" and "st", before a saint's name (clinical-places.ts `saints`). */
  SAINT: 4096,
  /** an auxiliary verb (spoken-names.ts `AUX`). */
  AUX: 8192,
  /** never a name (name-cues.ts `NOT_NAME`). */
  NOT_NAME: 16384,
  /** a name's suffix or degree (name-cues.ts `SUFFIXES`). */
  SUFFIXES: 32768,
  /** a month or a weekday (name-cues.ts `MONTHS_AND_DAYS`). */
  MONTHS_AND_DAYS: 65536,
  /** a word of an organisation's name (name-cues.ts `ORG_WORDS`). */
  ORG_WORDS: 131072,
  /** no name after a relation word (name-cues.ts `NOT_AFTER_CUE`). */
  NOT_AFTER_CUE: 262144,
  /** a word of transfer in a note (clinical-places.ts `TRANSFER_WORDS`). */
  TRANSFER_WORDS: 524288,
  /** "ed" and "er", a hospital's emergency department (clinical-places.ts `emergencyDepartments`). */
  EMERGENCY: 1048576,
  /** "by" of "signed by" and the titles that start a signer's line (clinical-heads.ts `signedBy`). */
  SIGNER_CUE: 2097152,
  /** a word of residence, or "from" ("lives in", "in from": clinical-places.ts `residencePlaces`). */
  RESIDENCE: 4194304,
  /** a word that leads to a place of care ("to", "at", "from", "prefers", "for": clinical-places.ts `placeLead`). */
  PLACE_LEAD: 8388608,
  /** a word that starts a token loop of the ICU notes: a chain, a kind of home's first word, a pager's word, a degree, a signer's role, a plural relation (icu-notes.ts). */
  ICU_WORD: 1 << 24,
  /** "baby" and "twin", before a newborn's name (nursing-notes.ts `newbornNames`). */
  NEWBORN: 1 << 25,
  /** a word that starts a detector of the nursing notes' one pass: a naming title, "st", a kind of home's first word (nursing-notes.ts `TRIGGERS`). */
  NURSING_TRIGGER: 1 << 29,
} as const;

const registered = new Map<string, number>();
let sealed = false;

/** Registers a list under a tag; before the word table is built (at module load). */
export function tagWords(words: Iterable<string>, tag: number): void {
  if (sealed) throw new Error('word tags are registered before the word table is built');
  for (const w of words) {
    if (/^\d*$/.test(w)) throw new Error('a tagged word is never digits alone: such tokens are not looked up');
    registered.set(w, (registered.get(w) ?? 0) | tag);
  }
}

/** Every tagged word with its tags; no list can be registered after this (gazetteer.ts builds the table). */
export function takeWordTags(): ReadonlyMap<string, number> {
  sealed = true;
  return registered;
}
