/**
 * Synthetic people and their identifiers. Every identifier is drawn from a range that cannot belong
 * to a real person:
 *  - phones: 555-0100..555-0199, the range set aside for fiction (NANPA);
 *  - SSNs: area numbers 900-999 are never assigned as SSNs (SSA; the 9xx area is used for ITINs,
 *    whose group numbers are 50-65, 70-88, 90-92 and 94-99, so groups 01-49 are used here, which
 *    are neither an SSN nor an ITIN);
 *  - e-mail: the reserved example domains (RFC 2606);
 *  - Medicare numbers follow the MBI character pattern (CMS: 11 characters, C A AN N A AN N A A N N,
 *    letters without S L O I B Z), drawn at random, so any real match would be chance.
 */
import type { Rng } from './prng.ts';
import type { Place } from './words.ts';
import { EMAIL_DOMAINS, FAMILY_NAMES, GIVEN_FEMALE, GIVEN_MALE, PLACES, STREET_NAMES, STREET_TYPES } from './words.ts';

export type Slug = 'riverside' | 'lakeside';

export interface Person {
  given: string;
  family: string;
  sex: 'F' | 'M' | 'X';
  dob: string;
  phone10: string;
  email: string;
  houseNumber: number;
  street: string;
  streetType: string;
  unit: string | null;
  place: Place;
  zip: string;
  memberNumber: string;
  mrn: string;
  ssn: string;
}

const MBI_ALPHA = 'ACDEFGHJKMNPQRTUVWXY';
const DIGITS = '0123456789';

function draw(r: Rng, alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[r.int(0, alphabet.length - 1)];
  return out;
}

/** A Medicare Beneficiary Identifier: C A AN N A AN N A A N N (CMS MBI format specification). */
export function mbi(r: Rng): string {
  const an = MBI_ALPHA + DIGITS;
  return (
    draw(r, '123456789', 1) + draw(r, MBI_ALPHA, 1) + draw(r, an, 1) + draw(r, DIGITS, 1) +
    draw(r, MBI_ALPHA, 1) + draw(r, an, 1) + draw(r, DIGITS, 1) +
    draw(r, MBI_ALPHA, 2) + draw(r, DIGITS, 2)
  );
}

export const MBI_PATTERN = /^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y]{2}[0-9]{2}$/;

function commercialMemberNumber(r: Rng): string {
  const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
  return r.weighted<() => string>([
    [() => draw(r, letters, 3) + draw(r, DIGITS, 9), 4],
    [() => 'W' + draw(r, DIGITS, 9), 2],
    [() => draw(r, letters, 2) + draw(r, DIGITS, 7) + draw(r, letters, 1), 1],
    [() => draw(r, '123456789', 1) + draw(r, DIGITS, 10), 1],
  ])();
}

function mrnFor(r: Rng, slug: Slug): string {
  return slug === 'riverside'
    ? r.weighted<() => string>([[() => 'MRN' + draw(r, DIGITS, 7), 3], [() => draw(r, DIGITS, 8), 2]])()
    : r.weighted<() => string>([[() => draw(r, '123456789', 1) + draw(r, DIGITS, 6), 3], [() => 'MRN' + draw(r, DIGITS, 6), 1], [() => 'M' + draw(r, DIGITS, 7), 1]])();
}

/** SSN with an area number of 900-999 and a group of 01-49: never issued (see the file comment). */
function ssn(r: Rng): string {
  const group = String(r.int(1, 49)).padStart(2, '0');
  const serial = String(r.int(1, 9999)).padStart(4, '0');
  return `${r.int(900, 999)}-${group}-${serial}`;
}

/** A phone in 555-0100..555-0199 under an area code of the place, as 10 digits. */
export function fictionalPhone(r: Rng, place: Place): string {
  return `${r.pick(place.areaCodes)}55501${String(r.int(0, 99)).padStart(2, '0')}`;
}

function email(r: Rng, given: string, family: string, dob: string): string {
  const yy = dob.slice(2, 4);
  const local = r.weighted<string>([
    [`${given}.${family}`, 4],
    [`${given[0]}${family}`, 3],
    [`${given}${family[0]}`, 1],
    [`${given}.${family}${yy}`, 2],
    [`${family}.${given}`, 1],
    [`${given}_${family}`, 1],
    [`${given}${r.int(1, 99)}`, 1],
  ]);
  return `${local}@${r.pick(EMAIL_DOMAINS)}`;
}

function isoDate(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function randomDate(r: Rng, fromYear: number, toYear: number): string {
  const y = r.int(fromYear, toYear);
  const m = r.int(1, 12);
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return isoDate(y, m, r.int(1, (DAYS_IN_MONTH[m - 1] as number) + (leap ? 1 : 0)));
}

export function makePerson(r: Rng, slug: Slug, opts: { family?: string; oldEnoughForMedicare?: boolean } = {}): Person {
  const sex = r.weighted<'F' | 'M' | 'X'>([['F', 48], ['M', 48], ['X', 4]]);
  const given = r.pick(sex === 'F' ? GIVEN_FEMALE : sex === 'M' ? GIVEN_MALE : r.chance(0.5) ? GIVEN_FEMALE : GIVEN_MALE);
  const family = opts.family ?? r.pick(FAMILY_NAMES);
  const dob = opts.oldEnoughForMedicare ? randomDate(r, 1934, 1959) : randomDate(r, 1934, 2012);
  const place = r.pick(PLACES[slug]);
  const isMedicare = Number(dob.slice(0, 4)) <= 1959 && r.chance(0.8);
  return {
    given,
    family,
    sex,
    dob,
    phone10: fictionalPhone(r, place),
    email: email(r, given, family, dob),
    houseNumber: r.weighted<number>([[r.int(1, 99), 1], [r.int(100, 999), 4], [r.int(1000, 9999), 4], [r.int(10000, 29999), 1]]),
    street: r.pick(STREET_NAMES),
    streetType: r.pick(STREET_TYPES),
    unit: r.chance(0.2) ? (r.chance(0.5) ? String(r.int(1, 40)) : `${r.int(1, 9)}${r.pick(['a', 'b', 'c', 'd'])}`) : null,
    place,
    zip: place.zip3 + String(r.int(1, 99)).padStart(2, '0'),
    memberNumber: isMedicare ? mbi(r) : commercialMemberNumber(r),
    mrn: mrnFor(r, slug),
    ssn: ssn(r),
  };
}

/** Age in whole years on `onIso` (YYYY-MM-DD...). */
export function ageOn(dob: string, onIso: string): number {
  const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onIso.slice(0, 10).split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
