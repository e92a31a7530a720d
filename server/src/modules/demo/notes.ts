/** Clinician-style case notes in written form (with the PHI a real note would hold). */
import type { PhiScope } from '@ward/contracts';
import type { Rng } from './prng.ts';
import type { Person } from './people.ts';
import { ageOn } from './people.ts';
import { STREET_TYPE_ABBR, titleCase } from './words.ts';

export function addressLine(p: Person): string {
  const unit = p.unit ? ` Apt ${p.unit.toUpperCase()}` : '';
  return `${p.houseNumber} ${titleCase(p.street)} ${STREET_TYPE_ABBR[p.streetType] ?? titleCase(p.streetType)}${unit}`;
}

export function formatPhone(tenDigits: string): string {
  return `(${tenDigits.slice(0, 3)}) ${tenDigits.slice(3, 6)}-${tenDigits.slice(6)}`;
}

function usDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${m}/${d}/${y}`;
}

const BODIES: Readonly<Record<PhiScope, ReadonlyArray<(v: Record<string, string>) => string>>> = {
  'Healthcare-PHI': [
    (v) => `${v.date}: Spoke with pt ${v.name} (DOB ${v.dob}, MRN ${v.mrn}) by phone at ${v.phone}. Requests refill of lisinopril 10 mg daily; 0 refills remaining. Identity verified with DOB and address (${v.address}). Routed to Dr. ${v.doc} for approval; pt aware of 48 h turnaround.`,
    (v) => `Pt ${v.name}, ${v.age} y/o, called re: A1c 7.2 from labs on ${v.date}. Reviewed with Dr. ${v.doc}: increase metformin to 1000 mg BID, repeat A1c in 3 months. Callback number ${v.phone}. Member ID ${v.member}.`,
    (v) => `Billing follow-up for ${v.name} (MRN ${v.mrn}). Claim for DOS ${v.date} denied, member ID on file did not match card (${v.member}). Corrected and resubmitted. Statement mailed to ${v.address}.`,
  ],
  'BehavioralHealth-PHI': [
    (v) => `${v.date} - Pt ${v.name} (DOB ${v.dob}) reports insomnia and dizziness ~2 weeks after sertraline increase to 100 mg. Denies SI/HI. Provided 988 crisis line info. Message sent to Dr. ${v.doc}; pt prefers callback at ${v.phone}.`,
    (v) => `Rescheduled ${v.name} (MRN ${v.mrn}) from ${v.date} to telehealth. Video link sent to ${v.email}. 50-min session with Dr. ${v.doc}.`,
    (v) => `Intake screening by phone: ${v.name}, ${v.age} y/o, referred by ED for anxiety/depression. PHQ-9 = 14. Lives at ${v.address}. Intake appt booked ${v.date}.`,
  ],
  'SUD-Part2': [
    (v) => `42 CFR Part 2 record. ${v.date}: ${v.name} (DOB ${v.dob}, MRN ${v.mrn}) called re: missed methadone dose (80 mg). Not eligible for take-homes (<90 days). Advised to present before 11:00. Contact ${v.phone}.`,
    (v) => `Pt ${v.name} requested release of attendance letter to probation officer. Part 2 consent form e-mailed to ${v.email} on ${v.date}; no disclosure until signed consent received. Consent scope: attendance and dose only, expires in 1 year.`,
    (v) => `${v.name}, ${v.age} y/o, re-entering treatment after relapse. Intake ${v.date} with Dr. ${v.doc}. Buprenorphine 16 mg induction planned. Naloxone kit given. Address on file: ${v.address}.`,
  ],
  Dental: [
    (v) => `${v.date}: ${v.name} (DOB ${v.dob}) called with pain 8/10, lower left molar, 3 days. Emergency slot booked with Dr. ${v.doc}. Advised ibuprofen 600 mg q6h with food. Phone ${v.phone}.`,
    (v) => `Benefits check for ${v.name}, member ID ${v.member}: crowns covered at 50% after $50 deductible; $1,500 annual max, $300 used. Est. pt portion quoted. Treatment plan mailed to ${v.address}.`,
    (v) => `Recall: ${v.name} (MRN ${v.mrn}) overdue for prophy, last cleaning ${v.date}. Booked with hygienist; BWX due. Reminder to ${v.email}.`,
  ],
};

export function caseNoteBody(r: Rng, scope: PhiScope, p: Person, opts: { atIso: string; doctorFamily: string }): string {
  const v: Record<string, string> = {
    date: usDate(opts.atIso),
    name: `${titleCase(p.given)} ${titleCase(p.family)}`,
    dob: usDate(p.dob),
    age: String(ageOn(p.dob, opts.atIso)),
    mrn: p.mrn,
    member: p.memberNumber,
    phone: formatPhone(p.phone10),
    email: p.email,
    address: `${addressLine(p)}, ${titleCase(p.place.city)}, ${p.place.state} ${p.zip}`,
    doc: titleCase(opts.doctorFamily),
  };
  return r.pick(BODIES[scope])(v);
}
