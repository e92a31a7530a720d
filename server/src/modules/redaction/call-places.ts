/**
 * Places of care named in calls (R-DATA-2, issue 30): a caller names a clinic, an infusion centre or a
 * pharmacy by its name and its kind, in lower case, after "at", "from", "to" or "over at" ("i need a ride
 * to dialysis at copper canyon dialysis", "my doctor is at the dothan va", "we use pruitt drug"). The
 * words between the preposition and the kind are the place's name even when they are English words
 * ("copper canyon", "mercy ridge"): the heads and kinds are in data/lexicons/hospital-units.txt
 * (@carehead, @careweak, @carekind). Called from utterance.ts for speech only (a written text's capitals
 * and a clinical note's rules are clinical-places.ts's).
 */
import { WORD } from './gazetteer.ts';
import { lexiconWords } from './lexicons.ts';
import { NOT_AFTER_CUE } from './names.ts';
import { candidate, type Candidate } from './resolution.ts';
import type { Token } from './tokens.ts';
import { TAG, tagWords } from './word-tags.ts';

const HEADS = lexiconWords('carehead');
/** Heads that make a place only after a word of its kind: "urgent care", "infusion center", "behavioral health". */
const WEAK_HEADS = lexiconWords('careweak');
const KINDS = lexiconWords('carekind');
/** Words before the name: where the place is, or whom the caller uses ("we use hillcrest apothecary"). */
const LEADS = new Set(['at', 'from', 'to', 'in', 'into', 'use', 'using']);
/** Leads of a pharmacy only: "it's pruitt drug" (the token of "it's" is "it"), "my pharmacy is kessler drug". */
const PHARMACY_LEADS = new Set(['it', 'its', 'is']);
const PHARMACY_HEADS = new Set(['pharmacy', 'apothecary', 'drug', 'drugs']);
/** Words that say which place without naming it ("the same clinic", "another pharmacy", "my pharmacy"). */
const NO_NAME = new Set(['the', 'a', 'an', 'this', 'that', 'same', 'other', 'another', 'my', 'your', 'his', 'her', 'their', 'our', 'local', 'nearest', 'closest', 'new', 'old', 'usual', 'regular', 'mail', 'order', 'online', 'retail', 'walk', 'any', 'which', 'what', 'whatever', 'some']);
const MAX_NAME_WORDS = 3;

/** A word that can be part of a place's name said in a call. */
function nameWord(t: Token): boolean {
  if (t.isDigits || t.lower.length < 2 || LEADS.has(t.lower) || PHARMACY_LEADS.has(t.lower) || NO_NAME.has(t.lower) || (t.tags & TAG.NOT_AFTER_CUE) !== 0 || HEADS.has(t.lower) || KINDS.has(t.lower)) return false;
  return (t.flags & (WORD.CLINICAL | WORD.CARE_UNIT | WORD.DATE | WORD.NUMBER | WORD.RELATION | WORD.CLINICIAN)) === 0;
}

/**
 * Street types said in full after a street's name with no house number, where a caller says which branch
 * of a pharmacy or which office ("the walgreens on oak boulevard", "the cvs over on county line road").
 * The abbreviations ("st", "dr", "ct") are left out: in speech they are saints and doctors.
 */
const STREET_TYPES = new Set(['street', 'avenue', 'road', 'boulevard', 'lane', 'drive', 'court', 'place', 'way', 'terrace', 'circle', 'highway', 'parkway', 'trail', 'pike', 'route']);
/** Words before a street's name that say the place is on it: "on", "at", "off" ("over on" ends in "on"). */
const STREET_LEADS = new Set(['on', 'at', 'off']);
/** "highway one nineteen", "route nine": a street named by its number alone. */
const NUMBERED_STREETS = new Set(['highway', 'route']);
const SAINTS = new Set(['st', 'saint']);

/** Words without which an utterance names no place of care or street (tagged: utterance.ts reads the tag with each token). */
const CARE_TRIGGERS: ReadonlySet<string> = new Set([...HEADS, ...WEAK_HEADS, ...STREET_TYPES]);
tagWords(CARE_TRIGGERS, TAG.CARE_TRIGGER);

export function carePlaces(text: string, tokens: readonly Token[], out: Candidate[]): void {
  for (let h = 1; h < tokens.length; h++) {
    const head = tokens[h]!;
    if (STREET_TYPES.has(head.lower)) {
      h = streetNamed(tokens, h, out);
      continue;
    }
    const weak = WEAK_HEADS.has(head.lower);
    if (!weak && !HEADS.has(head.lower)) continue;
    // "dialysis center", "imaging centre": a head and a weak head after it are one place's kind.
    const tail = WEAK_HEADS.has(tokens[h + 1]?.lower ?? '') && HEADS.has(head.lower) ? h + 1 : h;
    let k = h - 1;
    // The place's kind before its head ("family pharmacy", "wound clinic", "urgent care").
    let kinds = 0;
    while (k >= 0 && kinds < 2 && KINDS.has(tokens[k]!.lower)) {
      k--;
      kinds++;
    }
    if (weak && kinds === 0) continue;
    // One to three name words, then "the" or nothing, then a lead word.
    let first = -1;
    for (let m = k; m >= 0 && k - m < MAX_NAME_WORDS && nameWord(tokens[m]!); m--) first = m;
    if (first < 1) continue;
    // "st agnes's clinic", "saint luke's hospital": the saint's title is the name's first word.
    if (first > 1 && SAINTS.has(tokens[first - 1]!.lower)) first--;
    let lead = first - 1;
    if (tokens[lead]!.lower === 'the' && lead > 0) lead--;
    const leadWord = tokens[lead]!.lower;
    if (!LEADS.has(leadWord) && !(PHARMACY_HEADS.has(head.lower) && PHARMACY_LEADS.has(leadWord))) continue;
    out.push(candidate('carePlace', tokens[first]!.start, tokens[tail]!.end, 'LOCATION', 0.75));
    h = tail;
  }
}

/**
 * A street named without a house number after "on", "at" or "off": "the rite aid on oak place", "over on
 * martin luther king road", "the cvs on highway one nineteen" (one to three name words, or a number after
 * "highway" and "route"). Returns the last token read.
 */
function streetNamed(tokens: readonly Token[], h: number, out: Candidate[]): number {
  let first = -1;
  for (let m = h - 1; m >= 0 && h - m <= MAX_NAME_WORDS && streetNameWord(tokens[m]!); m--) first = m;
  let end = h;
  if (NUMBERED_STREETS.has(tokens[h]!.lower) && first < 0) {
    while (end + 1 < tokens.length && end < h + 3 && (tokens[end + 1]!.flags & WORD.NUMBER) !== 0) end++;
    if (end === h) return h;
    first = h;
  }
  if (first < 1 || !STREET_LEADS.has(tokens[first - 1]!.lower)) return h;
  out.push(candidate('carePlace', tokens[first]!.start, tokens[end]!.end, 'LOCATION', 0.7));
  return end;
}

/** A word of a street's name said in a call: no number, no word that says which without naming it. */
function streetNameWord(t: Token): boolean {
  return !t.isDigits && t.lower.length > 1 && !STREET_LEADS.has(t.lower) && !LEADS.has(t.lower) && !NO_NAME.has(t.lower) && !STREET_TYPES.has(t.lower) && (t.flags & (WORD.NUMBER | WORD.DATE | WORD.RELATION | WORD.NEVER_NAME)) === 0 && (t.tags & TAG.NOT_AFTER_CUE) === 0;
}
