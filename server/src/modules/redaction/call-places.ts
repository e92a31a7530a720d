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

/** Words without which an utterance names no place of care (tagged: utterance.ts reads the tag with each token). */
const CARE_TRIGGERS: ReadonlySet<string> = new Set([...HEADS, ...WEAK_HEADS]);
tagWords(CARE_TRIGGERS, TAG.CARE_TRIGGER);

export function carePlaces(text: string, tokens: readonly Token[], out: Candidate[]): void {
  for (let h = 1; h < tokens.length; h++) {
    const head = tokens[h]!;
    const weak = WEAK_HEADS.has(head.lower);
    if (!weak && !HEADS.has(head.lower)) continue;
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
    let lead = first - 1;
    if (tokens[lead]!.lower === 'the' && lead > 0) lead--;
    const leadWord = tokens[lead]!.lower;
    if (!LEADS.has(leadWord) && !(PHARMACY_HEADS.has(head.lower) && PHARMACY_LEADS.has(leadWord))) continue;
    out.push(candidate('carePlace', tokens[first]!.start, head.end, 'LOCATION', 0.75));
  }
}
