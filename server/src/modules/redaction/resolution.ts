/**
 * Span resolution (R-DATA-2): the last step of the pipeline
 *
 *   detectors (patterns with checksums, spoken-form parsers, gazetteers, context cues)
 *     → candidates, each of one `CandidateKind`
 *     → features (genre, clinical vocabulary, context; evidence.ts)
 *     → one scoring step (evidence.ts: the detector's confidence plus the evidence's weights)
 *     → resolution: this table.
 *
 * Where two candidates overlap, the one whose kind ranks higher here wins whole; on a tie the longer,
 * then the earlier. Each entry says why it ranks where it does, and `example` is a text in which a
 * span of that kind survives resolution (the tests run every example).
 */
import type { PhiLabel, Span } from './types.ts';

export interface ResolutionRule {
  rank: number;
  reason: string;
  /** A text holding a span of this kind that survives resolution, and that span's text. */
  example: readonly [text: string, span: string];
}

export const RESOLUTION = {
  email: { rank: 90, reason: 'an "@" between a local part and a domain is unambiguous; it wins over the domain inside it', example: ['mail ann.lee@example.org today', 'ann.lee@example.org'] },
  spokenEmail: { rank: 90, reason: '"at … dot com" said in a call is an e-mail as surely as a written one', example: ['it is john dot smith at gmail dot com', 'john dot smith at gmail dot com'] },
  mac: { rank: 89, reason: 'six hex pairs with separators are a device address, never a number or a date', example: ['adapter 00:1a:2b:3c:4d:5e online', '00:1a:2b:3c:4d:5e'] },
  ip: { rank: 88, reason: 'dotted quads and IPv6 groups are checked per part; they win over the phone and date shapes inside them', example: ['from 10.0.12.7 on', '10.0.12.7'] },
  url: { rank: 85, reason: 'a scheme or "www." makes the whole run an address on the web, digits and all', example: ['see https://example.org/p/12345 now', 'https://example.org/p/12345'] },
  domain: { rank: 84, reason: 'a bare domain with a known top-level domain; below a full URL, which is longer and surer', example: ['visit ward-health.org soon', 'ward-health.org'] },
  mbi: { rank: 82, reason: 'a Medicare beneficiary identifier passes the CMS format check: surer than any shape', example: ['MBI 1EG4-TE5-MK73 on file', '1EG4-TE5-MK73'] },
  iban: { rank: 82, reason: 'an IBAN passes mod 97: surer than any shape', example: ['IBAN GB82WEST12345698765432 please', 'GB82WEST12345698765432'] },
  dea: { rank: 81, reason: 'a DEA number passes its check digit', example: ['DEA AB1234563 for the script', 'AB1234563'] },
  ssn: { rank: 80, reason: 'an SSN inside the SSA ranges; wins over the phone shape of the same digits', example: ['SSN 460-89-9847, card', '460-89-9847'] },
  numericDate: { rank: 78, reason: 'a day, month and year in digits (with its time); wins over a phone or ID shape', example: ['seen on 10/23/1951 at noon', '10/23/1951'] },
  age: { rank: 77, reason: 'a number with "years old", "aged" or "she is": the unit or lead says what it is', example: ['a 79 year old man', '79'] },
  spokenDate: { rank: 76, reason: 'a month name or ordinal with a day and year said in words', example: ['i was born march third nineteen fifty one', 'march third nineteen fifty one'] },
  shortDate: { rank: 74, reason: 'a month and day without a year ("3/14") or an apostrophe year ("\'97") where no measure or score is written before it', example: ['hx: s/p CABG \'97, last cath 3/14.', '3/14'] },
  alnumId: { rank: 75, reason: 'letters and digits mixed are an identifier; above a plain number, which would cut it', example: ['order ZX99317 shipped', 'ZX99317'] },
  poBox: { rank: 70, reason: 'a PO box or military address with the lines after it; above a street guess', example: ['PO Box 1234\nSpringfield', 'PO Box 1234\nSpringfield'] },
  street: { rank: 65, reason: 'a house number, street words and what follows; wins over the names and numbers inside it', example: ['lives at 12 Main Street now', '12 Main Street'] },
  facility: { rank: 62, reason: 'a town or family name before "Hospital", "Clinic", "Medical Center", or a saint\'s possessive; wins over the names and places inside it', example: ['transferred from Westford General Hospital today', 'Westford General Hospital'] },
  carePlace: { rank: 61, reason: 'in a call, the words between "at", "from", "to" or "we use" and a kind of place of care ("dialysis", "urgent care", "drug") name that place even when they are words; over the names and towns inside it, below a written facility', example: ['i need a ride to dialysis at copper canyon dialysis tomorrow', 'copper canyon dialysis'] },
  facilityAbbrev: { rank: 62, reason: 'a short abbreviation no lexicon holds after "to", "at", "from" is a hospital ("transfer to BMC")', example: ['NEURO: SEDATED ON PROPOFOL GTT, HEPARIN GTT. PLAN: TRANSFER TO BMC WHEN BED AVAIL.', 'BMC'] },
  cityStateZip: { rank: 60, reason: '"City, ST 12345": below a full street address that already holds it', example: ['mail to Austin, TX 78701 please', 'Austin, TX 78701'] },
  postalAfterTown: { rank: 60, reason: 'a postal code right after a town found by the gazetteer', example: ['grew up in Remniku 43015 long ago', '43015'] },
  cuedName: { rank: 59, reason: 'the words after a relation word or a clinician\'s title, in any case, are a name; its extent is surer than a capitalised run\'s', example: ['SOCIAL: WIFE MARTHA IN TO VISIT.', 'MARTHA'] },
  namePart: { rank: 59, reason: 'the words after "first name", "last name" or "surname" are that part of a name even when they are words ("last name best"); as sure as a relation word\'s cue', example: ['first name jewel last name best', 'best'] },
  speakerName: { rank: 58, reason: 'a speaker label that is a name ("Nicole:") is only ever that name', example: ['Nicole: hi\nagent: hello', 'Nicole'] },
  spelledName: { rank: 58, reason: 'letters spelled after a name cue; above the spoken-number reading of "a" and "i"', example: ['my last name is spelled w a l s h', 'w a l s h'] },
  answer: { rank: 57, reason: 'the answer to the last question ("what is your name?") is what was asked for', example: ['agent: what is your name?\ncaller: maria gonzalez', 'maria gonzalez'] },
  cuedNumber: { rank: 56, reason: 'a spoken number after a cue ("member id", "date of birth") takes the cue\'s label', example: ['my member id is four four seven two nine one', 'four four seven two nine one'] },
  lexicalName: { rank: 55, reason: 'a name from gazetteers, capitals and cues; below identifiers, which can hold name-like letters', example: ['I met Krisztián Szöllösy today', 'Krisztián Szöllösy'] },
  spokenNumber: { rank: 52, reason: 'a long run of spoken digits with no cue is a phone number or an ID by its length', example: ['i said five five five four four four one two one two okay', 'five five five four four four one two one two'] },
  number: { rank: 50, reason: 'a written number labelled by its cue or shape; any surer reading of the same digits wins', example: ['call 555-867-5309 tomorrow', '555-867-5309'] },
  lexicalPlace: { rank: 45, reason: 'a town or country from the gazetteer or after a place word; a name or address over the same words wins', example: ['she moved to New Westminster last year', 'New Westminster'] },
  bareYear: { rank: 40, reason: 'a year alone is weak evidence of a date; anything else over it wins', example: ['back in 1987 she', '1987'] },
  nameMention: { rank: 30, reason: 'a later mention of a name word already found; the weakest, as the word may be part of something else', example: ['my name is quarvel and yes quarvel is here', 'quarvel'] },
} as const satisfies Record<string, ResolutionRule>;

export type CandidateKind = keyof typeof RESOLUTION;

/** A detector's proposal: a span, its label, the detector's confidence, and which rule it falls under. */
export interface Candidate extends Span {
  kind: CandidateKind;
}

export function candidate(kind: CandidateKind, start: number, end: number, label: PhiLabel, confidence: number): Candidate {
  return { start, end, label, confidence, kind };
}

/** Resolved spans with the kind that won each (for tests and `explain`). */
export interface Resolved extends Span {
  kind: CandidateKind;
}

/** Each kind's rank, read by a map: a keyed read of `RESOLUTION` by ~35 kinds is a megamorphic lookup. */
const RANK = new Map<string, number>(Object.entries(RESOLUTION).map(([kind, rule]) => [kind, rule.rank]));
/** Lengths and offsets below this pack into one sort key (`resolveCandidates`); a longer text sorts by the comparator. */
const KEY_PART = 2 ** 22;

/**
 * Highest rank first; a candidate overlapping an accepted one is dropped. The order is the comparator's (rank
 * down, length down, start up, then the candidates' own order) read from one number per candidate, sorted in
 * this function (`stableOrder`): `Array.prototype.sort` calls a comparator function per comparison, which V8
 * is slow to optimize as a callback. The keys and orders are plain arrays of numbers: a typed array of more
 * than a few elements is allocated outside V8's heap, which cost more than the sorting itself.
 */
export function resolveCandidates(candidates: readonly Candidate[], minConfidence: number): Resolved[] {
  const kept: Candidate[] = [];
  let packs = true;
  for (const c of candidates) {
    if (!(c.confidence >= minConfidence && c.end > c.start)) continue;
    kept.push(c);
    if (!(c.start >= 0 && c.end < KEY_PART)) packs = false;
  }
  const keys: number[] = [];
  for (let k = 0; k < kept.length; k++) {
    const c = kept[k]!;
    // Rank (at most 127) down, length down, start up: each part below 2^22, the key below 2^51 and exact.
    keys.push((127 - RANK.get(c.kind)!) * KEY_PART * KEY_PART + (KEY_PART - 1 - (c.end - c.start)) * KEY_PART + c.start);
  }
  const order = packs ? stableOrder(keys) : comparatorOrder(kept);
  const accepted: Resolved[] = [];
  for (let k = 0; k < order.length; k++) {
    const c = kept[order[k]!]!;
    if (accepted.some((s) => c.start < s.end && s.start < c.end)) continue;
    accepted.push({ start: c.start, end: c.end, label: c.label, confidence: c.confidence, kind: c.kind });
  }
  // Accepted spans do not overlap: their starts differ, and they sort by start alone.
  const starts: number[] = [];
  for (let k = 0; k < accepted.length; k++) starts.push(accepted[k]!.start);
  const byStart = stableOrder(starts);
  const out: Resolved[] = [];
  for (let k = 0; k < byStart.length; k++) out.push(accepted[byStart[k]!]!);
  return out;
}

/** The order of `kept` by the comparator, for candidates whose offsets do not pack into a key. */
function comparatorOrder(kept: readonly Candidate[]): number[] {
  const order = Array.from(kept.keys());
  const rank = (k: number) => RANK.get(kept[k]!.kind)!;
  order.sort((x, y) => rank(y) - rank(x) || kept[y]!.end - kept[y]!.start - (kept[x]!.end - kept[x]!.start) || kept[x]!.start - kept[y]!.start || x - y);
  return order;
}

/** Indices of `keys` from the smallest key up, equal keys in their own order (a merge sort, insertion sort for short runs). */
export function stableOrder(keys: ArrayLike<number>): number[] {
  const n = keys.length;
  let a: number[] = [];
  for (let k = 0; k < n; k++) a.push(k);
  const RUN = 16;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const x = a[i]!;
      const kx = keys[x]!;
      let j = i - 1;
      while (j >= lo && keys[a[j]!]! > kx) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = x;
    }
  }
  if (n <= RUN) return a;
  let b = a.slice();
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      // `<=`: on equal keys the left run's index, the earlier, goes first.
      while (i < mid && j < hi) b[k++] = keys[a[i]!]! <= keys[a[j]!]! ? a[i++]! : a[j++]!;
      while (i < mid) b[k++] = a[i++]!;
      while (j < hi) b[k++] = a[j++]!;
    }
    const t = a;
    a = b;
    b = t;
  }
  return a;
}
