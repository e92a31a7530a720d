/**
 * The deterministic demo data set (R-OPS-1): two tenants, members in every role with varied scope
 * grants, synthetic patients over the four PHI scopes, calls with speech-recognised transcripts
 * that carry gold PHI spans, and case notes. Pure: no database, no clock, no I/O; everything is
 * drawn from one seeded random source, so the same seed gives deep-equal data. seed.ts inserts it.
 */
import type { PhiScope, Role } from '@ward/contracts';
import { PHI_SCOPES, PHI_SCOPES_BY_RESTRICTION } from '@ward/contracts';
import type { Rng } from './prng.ts';
import { createRng } from './prng.ts';
import type { Person, Slug } from './people.ts';
import { makePerson } from './people.ts';
import type { CallShape, Handler } from './calls.ts';
import { buildTranscript } from './calls.ts';
import { addressLine, caseNoteBody } from './notes.ts';
import type { DemoAppointment, DemoCall, DemoCaseNote, DemoData, DemoDevice, DemoMember, DemoPatient, DemoTenant } from './types.ts';
import { FAMILY_NAMES, GIVEN_FEMALE, GIVEN_MALE, titleCase } from './words.ts';

export const DEFAULT_DEMO_SEED = 1;
export const PATIENTS_PER_TENANT = 120;
export const CALLS_PER_TENANT = 170;
/** About one call in eight is from a caller who is never identified. */
export const UNIDENTIFIED_PER_TENANT = 21;
/** Calls are spread over 60 days from this fixed date, not from the clock. */
export const BASE_TIME_MS = Date.UTC(2025, 0, 6, 0, 0, 0);

/** R-AUTHZ-2: the tenant-level default for a call whose caller is not identified is the most restrictive scope. */
const MOST_RESTRICTIVE: PhiScope = PHI_SCOPES_BY_RESTRICTION[0] as PhiScope;

interface TenantSpec {
  slug: Slug;
  name: string;
  spoken: readonly string[];
  mainLine: string;
  /** `unmanagedDevices`: this member's devices are not trusted automatically (R-SESS-4 shows in the demo). */
  members: ReadonlyArray<{ local: string; roles: Role[]; phiScopes: PhiScope[]; unmanagedDevices?: boolean }>;
}

// Display names and e-mails say the role; scope grants vary so that the demo can show that a role
// grants nothing in a PHI scope without a grant (R-AUTHZ-2): Owners, Admins and Viewers have none.
const TENANTS: readonly TenantSpec[] = [
  {
    slug: 'riverside',
    name: 'Riverside Health Partners',
    spoken: ['riverside health', 'riverside health partners', 'riverside'],
    mainLine: '5035550100',
    members: [
      { local: 'olivia.owner', roles: ['Owner'], phiScopes: [] },
      { local: 'adrian.admin', roles: ['Admin'], phiScopes: [] },
      { local: 'maya.manager', roles: ['Manager'], phiScopes: ['Healthcare-PHI', 'Dental'] },
      { local: 'marcus.manager', roles: ['Manager'], phiScopes: ['BehavioralHealth-PHI', 'SUD-Part2'] },
      { local: 'alex.agent', roles: ['Agent'], phiScopes: ['Healthcare-PHI'] },
      { local: 'amara.agent', roles: ['Agent'], phiScopes: ['BehavioralHealth-PHI', 'SUD-Part2'] },
      { local: 'andre.agent', roles: ['Agent'], phiScopes: ['Dental', 'Healthcare-PHI'] },
      { local: 'vera.viewer', roles: ['Viewer'], phiScopes: [] },
      { local: 'audrey.auditor', roles: ['Auditor'], phiScopes: [...PHI_SCOPES] },
    ],
  },
  {
    slug: 'lakeside',
    name: 'Lakeside Community Health',
    spoken: ['lakeside community health', 'lakeside health', 'lakeside'],
    mainLine: '4145550100',
    members: [
      { local: 'owen.owner', roles: ['Owner'], phiScopes: [] },
      { local: 'ada.admin', roles: ['Admin'], phiScopes: [] },
      { local: 'mila.manager', roles: ['Manager'], phiScopes: ['Healthcare-PHI', 'BehavioralHealth-PHI'] },
      { local: 'morgan.manager', roles: ['Manager', 'Agent'], phiScopes: ['SUD-Part2', 'Dental'] },
      { local: 'ari.agent', roles: ['Agent'], phiScopes: ['Healthcare-PHI'] },
      { local: 'anika.agent', roles: ['Agent'], phiScopes: ['BehavioralHealth-PHI', 'SUD-Part2'] },
      { local: 'amos.agent', roles: ['Agent'], phiScopes: ['Dental'], unmanagedDevices: true },
      { local: 'victor.viewer', roles: ['Viewer'], phiScopes: [] },
      { local: 'aurelia.auditor', roles: ['Auditor'], phiScopes: [...PHI_SCOPES] },
    ],
  },
];

const SCOPE_WEIGHTS: ReadonlyArray<readonly [PhiScope, number]> = [
  ['Healthcare-PHI', 45], ['BehavioralHealth-PHI', 20], ['SUD-Part2', 15], ['Dental', 20],
];

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function e164(tenDigits: string): string {
  return `+1${tenDigits}`;
}

function displayName(local: string): string {
  return local.split('.').map(titleCase).join(' ');
}

function callShape(r: Rng): CallShape {
  return r.weighted<CallShape>([
    [{ kind: 'identified', direction: 'inbound', proxy: false }, 72],
    [{ kind: 'identified', direction: 'inbound', proxy: true }, 12],
    [{ kind: 'identified', direction: 'outbound', proxy: false }, 16],
  ]);
}

function unidentifiedShape(r: Rng): CallShape {
  return {
    kind: 'unidentified',
    variant: r.weighted<'info' | 'not-found' | 'anonymous' | 'no-authorization' | 'wrong-number'>([
      ['info', 3], ['not-found', 3], ['anonymous', 2], ['no-authorization', 2], ['wrong-number', 1],
    ]),
  };
}

export function generateDemo(seed: number = DEFAULT_DEMO_SEED): DemoData {
  if (!Number.isSafeInteger(seed)) throw new RangeError('the demo seed must be an integer');
  const r = createRng(seed);
  const tenants: DemoTenant[] = [];
  const members: DemoMember[] = [];
  const devices: DemoDevice[] = [];
  const patients: DemoPatient[] = [];
  const calls: DemoCall[] = [];
  const caseNotes: DemoCaseNote[] = [];

  for (const spec of TENANTS) {
    const tenant: DemoTenant = { id: r.uuid(), slug: spec.slug, name: spec.name, defaultPhiScope: MOST_RESTRICTIVE, unmanagedMembers: [] };
    tenants.push(tenant);
    const tenantMembers: DemoMember[] = [];
    for (const m of spec.members) {
      const member: DemoMember = {
        id: r.uuid(),
        tenantId: tenant.id,
        email: `${m.local}@${spec.slug}.test`,
        displayName: displayName(m.local),
        roles: [...m.roles],
        phiScopes: [...m.phiScopes],
      };
      tenantMembers.push(member);
      // Demo devices are managed so that the demo can show PHI, except one member's, so that it can
      // show the other side too (R-SESS-4: an unmanaged device signs in and gets no PHI).
      devices.push({ id: r.uuid(), tenantId: tenant.id, memberId: member.id, thumbprint: base64url(r.bytes(32)), posture: m.unmanagedDevices ? 'unmanaged' : 'managed' });
      if (m.unmanagedDevices) tenant.unmanagedMembers.push(member.id);
    }
    members.push(...tenantMembers);

    const doctors = r.shuffle(FAMILY_NAMES).slice(0, 8);
    const people: Array<{ patient: DemoPatient; person: Person }> = [];
    for (let i = 0; i < PATIENTS_PER_TENANT; i++) {
      const phiScope = i < PHI_SCOPES.length ? (PHI_SCOPES[i] as PhiScope) : r.weighted(SCOPE_WEIGHTS);
      const person = makePerson(r, spec.slug);
      const patient: DemoPatient = {
        id: r.uuid(),
        tenantId: tenant.id,
        phiScope,
        mrn: person.mrn,
        memberNumber: person.memberNumber,
        givenName: titleCase(person.given),
        familyName: titleCase(person.family),
        dateOfBirth: person.dob,
        sex: person.sex,
        phone: e164(person.phone10),
        email: person.email,
        addressLine: addressLine(person),
        city: titleCase(person.place.city),
        state: person.place.state,
        zip: person.zip,
        ssn: person.ssn,
      };
      people.push({ patient, person });
    }
    patients.push(...people.map((x) => x.patient));

    const unidentifiedAt = new Set(r.shuffle([...Array(CALLS_PER_TENANT).keys()]).slice(0, UNIDENTIFIED_PER_TENANT));
    const tenantCalls: Array<{ call: DemoCall; person: Person | null; atMs: number }> = [];
    for (let i = 0; i < CALLS_PER_TENANT; i++) {
      const isUnidentified = unidentifiedAt.has(i);
      const shape = isUnidentified ? unidentifiedShape(r) : callShape(r);
      const subjectEntry = isUnidentified ? null : r.pick(people);
      const subject = subjectEntry ? subjectEntry.person : makePerson(r, spec.slug);
      const isProxy = (shape.kind === 'identified' && shape.proxy) || (shape.kind === 'unidentified' && shape.variant === 'no-authorization');
      const proxy = isProxy ? makePerson(r, spec.slug, { family: r.chance(0.7) ? subject.family : undefined }) : null;
      const handler: Handler = shape.kind === 'identified' && shape.direction === 'outbound'
        ? (r.chance(0.15) ? 'ai_agent' : 'agent')
        : r.weighted<Handler>([['agent', 62], ['ai_agent', 22], ['ai_then_agent', 16]]);
      const day = r.int(0, 59);
      const atMs = BASE_TIME_MS + day * 86_400_000 + r.int(15, 23) * 3_600_000 + r.int(0, 3599) * 1000;
      const atIso = new Date(atMs).toISOString();
      const phiScope = subjectEntry ? subjectEntry.patient.phiScope : MOST_RESTRICTIVE;
      // An unidentified caller's talk is about any kind of care; an anonymous one asks about treatment.
      const talkScope = subjectEntry ? phiScope : shape.kind === 'unidentified' && shape.variant === 'anonymous' ? 'SUD-Part2' : r.weighted(SCOPE_WEIGHTS);
      const { utterances, durationMs } = buildTranscript(r, {
        ctx: {
          subject,
          proxy,
          orgSpoken: r.pick(spec.spoken),
          agentName: r.pick(r.chance(0.5) ? GIVEN_FEMALE : GIVEN_MALE),
          doctorFamily: r.pick(doctors),
          atIso,
        },
        scope: talkScope,
        shape,
        handler,
      });
      const direction = shape.kind === 'identified' ? shape.direction : 'inbound';
      const call: DemoCall = {
        id: r.uuid(),
        tenantId: tenant.id,
        patientId: subjectEntry ? subjectEntry.patient.id : null,
        phiScope,
        direction,
        fromNumber: e164(direction === 'outbound' ? spec.mainLine : (proxy ?? subject).phone10),
        startedAt: atIso,
        endedAt: new Date(atMs + durationMs).toISOString(),
        recording: { id: r.uuid(), durationMs, format: 'audio/wav' },
        transcript: { id: r.uuid(), utterances },
      };
      tenantCalls.push({ call, person: subjectEntry ? subjectEntry.person : null, atMs });
    }
    tenantCalls.sort((a, b) => a.atMs - b.atMs);
    calls.push(...tenantCalls.map((x) => x.call));

    // Case notes: one to three for about a third of the patients, by a member granted the scope.
    for (const { patient, person } of people) {
      if (!r.chance(0.35)) continue;
      const authors = tenantMembers.filter((m) => m.phiScopes.includes(patient.phiScope) && !m.roles.includes('Auditor'));
      const patientCalls = tenantCalls.filter((c) => c.call.patientId === patient.id);
      const n = r.int(1, 3);
      for (let k = 0; k < n; k++) {
        const linked = patientCalls.length > 0 && r.chance(0.6) ? r.pick(patientCalls) : null;
        const atIso = linked ? linked.call.startedAt : new Date(BASE_TIME_MS + r.int(0, 59) * 86_400_000).toISOString();
        const author = r.pick(authors.length > 0 ? authors : tenantMembers);
        caseNotes.push({
          id: r.uuid(),
          tenantId: tenant.id,
          patientId: patient.id,
          callId: linked ? linked.call.id : null,
          authorId: author.id,
          phiScope: patient.phiScope,
          body: caseNoteBody(r, patient.phiScope, person, { atIso, doctorFamily: r.pick(doctors) }),
        });
      }
    }
  }
  return { seed, tenants, members, devices, patients, calls, caseNotes, appointments: demoAppointments(seed, patients) };
}

const APPOINTMENT_KINDS: readonly DemoAppointment['kind'][] = ['new-patient', 'follow-up', 'telehealth', 'procedure', 'lab'];

/**
 * One to three upcoming appointments per patient (R-AI-6, for the demo voice agent), from a random
 * stream of their own so that the rest of the demo data stays what it was for a given seed.
 */
function demoAppointments(seed: number, patients: readonly DemoPatient[]): DemoAppointment[] {
  const r = createRng(seed + 0x0a99_0000);
  return patients.flatMap((p) => Array.from({ length: r.int(1, 3) }, () => ({
    tenantId: p.tenantId, patientId: p.id, phiScope: p.phiScope,
    inDays: r.int(1, 28), atMinute: r.int(16, 23) * 60 + r.pick([0, 15, 30, 45]), minutes: r.pick([15, 30, 45, 60]), kind: r.pick(APPOINTMENT_KINDS),
  }))).sort((a, b) => a.patientId.localeCompare(b.patientId) || a.inDays - b.inDays || a.atMinute - b.atMinute);
}
