/**
 * The slot functions a transcript template can use. PHI slots return labelled pieces (labels as in
 * /work/shared/data/phi/README.md); the others return plain words, among them the non-PHI numbers
 * (times, durations, doses, counts, "press two") that let a redaction engine's precision be measured.
 * Each call draws a fresh spoken form, so one value is read in several ways within a transcript.
 */
import type { Rng } from './prng.ts';
import type { Person } from './people.ts';
import { ageOn, fictionalPhone } from './people.ts';
import type { Piece, Slot } from './script.ts';
import { phi } from './script.ts';
import {
  cardinal, readDigits, spelled, spokenAlnum, spokenDate, spokenDayOfMonth, spokenEmail, spokenHouseNumber, spokenPhone,
} from './spoken.ts';
import { FAMILY_NAMES } from './words.ts';

export interface CallContext {
  /** The person the call is about (the patient, or an unidentified caller's own details). */
  subject: Person;
  /** Someone calling for the subject (a relative), when there is one. */
  proxy: Person | null;
  orgSpoken: string;
  agentName: string;
  doctorFamily: string;
  /** The call's start, ISO. */
  atIso: string;
}

const CALLER_FILLERS: ReadonlyArray<readonly [string, number]> = [
  ['', 10], ['uh', 4], ['um', 4], ['so', 2], ['okay so', 1], ['yeah', 2], ['uh yeah', 1], ['oh', 1], ['um so', 1],
  ['yeah um', 1], ['well', 1],
];
const AGENT_FILLERS: ReadonlyArray<readonly [string, number]> = [
  ['', 10], ['okay', 4], ['alright', 2], ['so', 2], ['okay so', 2], ['um', 1], ['perfect', 1], ['great', 1], ['mm hmm', 1],
];

function addDays(iso: string, days: number): { month: number; day: number } {
  const d = new Date(Date.parse(iso) + days * 86_400_000);
  return { month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function makeSlots(r: Rng, ctx: CallContext): Record<string, Slot> {
  const p = ctx.subject;
  const caller = ctx.proxy ?? p;
  const streetWords = (person: Person): string =>
    `${spokenHouseNumber(person.houseNumber, r)} ${person.street} ${person.streetType}`;
  const unit = (person: Person): string =>
    person.unit ? ` ${r.pick(['apartment', 'apartment', 'unit', 'number'])} ${/^\d+$/.test(person.unit) ? cardinal(Number(person.unit)) : `${cardinal(Number(person.unit[0]))} ${person.unit.slice(1)}`}` : '';
  const otherPhone = fictionalPhone(r, p.place);
  const otherFamily = r.pick(FAMILY_NAMES);
  const age = ageOn(p.dob, ctx.atIso);
  const polite = (person: Person): Piece[] =>
    person.sex === 'F' && r.chance(0.7) ? [r.pick(['ms', 'miss', 'missus']), phi('NAME', person.family)]
      : person.sex === 'M' && r.chance(0.7) ? [r.pick(['mr', 'mister']), phi('NAME', person.family)]
        : [phi('NAME', person.given)];
  // One appointment (and one alternative) per call, read in varied ways, so that the talk agrees with itself.
  const appt = addDays(ctx.atIso, r.int(2, 35));
  const apptDay = (): Piece => phi('DATE', spokenDayOfMonth(appt.month, appt.day, r));
  const hour = r.pick(['eight', 'nine', 'ten', 'eleven', 'one', 'two', 'three', 'four']);
  const isMorning = ['eight', 'nine', 'ten', 'eleven'].includes(hour);
  const minute = r.pick(['', '', ' fifteen', ' thirty', ' forty five']);
  const time2Words = r.pick(['eight forty five', 'ten thirty', 'eleven fifteen', 'noon', 'one forty five', 'two thirty', 'three forty five', 'four fifteen']);
  const pastDay = (): Piece => {
    const { month, day } = addDays(ctx.atIso, -r.int(4, 70));
    return phi('DATE', spokenDayOfMonth(month, day, r));
  };
  const ssn = p.ssn.replace(/-/g, '');

  return {
    uh: () => r.weighted(CALLER_FILLERS),
    ok: () => r.weighted(AGENT_FILLERS),
    // the subject
    name: () => phi('NAME', `${p.given} ${p.family}`),
    first: () => phi('NAME', p.given),
    last: () => phi('NAME', p.family),
    spell: () => phi('NAME', spelled(p.family)),
    spellFirst: () => phi('NAME', spelled(p.given)),
    polite: () => polite(p),
    pronoun: () => (p.sex === 'F' ? 'she' : p.sex === 'M' ? 'he' : 'they'),
    possessive: () => (p.sex === 'F' ? 'her' : p.sex === 'M' ? 'his' : 'their'),
    dob: () => phi('DATE', spokenDate(p.dob, r)),
    age: () => phi('AGE', cardinal(age)),
    phone: () => phi('PHONE', spokenPhone(p.phone10, r)),
    phoneLocal: () => phi('PHONE', spokenPhone(p.phone10, r, true)),
    newPhone: () => phi('PHONE', spokenPhone(otherPhone, r, r.chance(0.2))),
    zip: () => phi('ADDRESS', readDigits(p.zip, r, { homophones: false })),
    street: () => phi('ADDRESS', streetWords(p) + unit(p)),
    city: () => phi('LOCATION', p.place.city),
    state: () => phi('LOCATION', p.place.stateName),
    fullAddress: () => [phi('ADDRESS', streetWords(p) + unit(p)), phi('LOCATION', p.place.city), ...(r.chance(0.5) ? [phi('LOCATION', p.place.stateName)] : []),
      ...(r.chance(0.6) ? [phi('ADDRESS', readDigits(p.zip, r, { homophones: false }))] : [])],
    member: () => phi('HEALTH_PLAN', spokenAlnum(p.memberNumber, r)),
    mrn: () => phi('MRN', spokenAlnum(p.mrn, r)),
    ssn4: () => phi('SSN', readDigits(ssn.slice(5), r)),
    ssnFull: () => phi('SSN', readDigits(ssn, r)),
    email: () => phi('EMAIL', spokenEmail(p.email, r)),
    maiden: () => phi('NAME', otherFamily),
    // the caller, when someone calls for the subject
    callerName: () => phi('NAME', `${caller.given} ${caller.family}`),
    callerFirst: () => phi('NAME', caller.given),
    relation: () => r.pick(p.sex === 'F' ? ['mother', 'mom', 'wife', 'daughter', 'sister', 'grandmother'] : p.sex === 'M' ? ['father', 'dad', 'husband', 'son', 'brother', 'grandfather'] : ['partner', 'kid', 'sibling']),
    // the organisation and its people (not the patient's PHI, but names all the same)
    org: () => phi('ORGANIZATION', ctx.orgSpoken),
    agent: () => phi('NAME', ctx.agentName),
    doc: () => ['doctor', phi('NAME', ctx.doctorFamily)],
    // dates of care
    appt: apptDay,
    pastVisit: pastDay,
    weekday: () => r.pick(['monday', 'tuesday', 'wednesday', 'thursday', 'friday']),
    // numbers that are not PHI
    time: () => hour + minute + r.pick(minute === '' ? ['', ' o\'clock', ' o\'clock', isMorning ? ' a m' : ' p m', isMorning ? ' in the morning' : ' in the afternoon'] : ['', '', isMorning ? ' a m' : ' p m']),
    time2: () => time2Words,
    dur: () => r.pick(['a week', 'two weeks', 'ten days', 'a couple of days', 'three weeks', 'a month', 'about five days', 'forty eight hours', 'twenty four hours']),
    minutes: () => r.pick(['five', 'ten', 'fifteen', 'twenty', 'thirty']),
    count: () => r.pick(['two', 'three', 'four', 'one', 'five']),
    press: () => r.pick(['one', 'two', 'three', 'four', 'nine', 'zero']),
    money: () => r.pick(['eighty five dollars', 'two hundred and forty dollars', 'one hundred twelve dollars and fifty cents', 'thirty dollars', 'four hundred dollars', 'sixty two fifty']),
    percent: () => r.pick(['fifty', 'eighty', 'seventy', 'one hundred', 'sixty']),
    scale: () => r.pick(['six', 'seven', 'eight', 'nine', 'like a seven', 'maybe an eight']),
  };
}
