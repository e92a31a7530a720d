// Every GET route under /v1 × every role of a demo tenant, each response checked against the demo's
// gold PHI (R-DATA-3, minimum necessary; R-AUTHZ-2/3). Each member asks with everything a request can
// bring (a fresh verification, a justification, a treatment purpose), so that what comes back is
// bounded by the role's decision and its masks alone. A value of a field the role may not see,
// anywhere in a response body, is a leak; the walk expects none.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Role } from '@ward/contracts';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import type { DemoCall, DemoPatient } from '../../src/modules/demo/types.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { boundedEngineSkip } from '../support/long.ts';
import { signIn } from '../support/session-client.ts';

const demo = generateDemo(1);
const tenant = demo.tenants.find((t) => t.slug === 'riverside')!;
const members = demo.members.filter((m) => m.tenantId === tenant.id);

type Field = 'name' | 'mrn' | 'memberNumber' | 'dateOfBirth' | 'phone' | 'email' | 'address' | 'city' | 'zip' | 'ssn';
const ALL: readonly Field[] = ['name', 'mrn', 'memberNumber', 'dateOfBirth', 'phone', 'email', 'address', 'city', 'zip', 'ssn'];
const NONE: readonly Field[] = [];

/** What each role may see, written from the role matrix (docs/roles.md), not read from masks.json. */
const maskedView = (roles: readonly Role[]): readonly Field[] =>
  roles.includes('Auditor') ? ['name', 'mrn', 'memberNumber'] : ['name', 'mrn', 'memberNumber', 'phone', 'email'];
const sensitive = (roles: readonly Role[]): readonly Field[] => (roles.includes('Auditor') ? NONE : ALL);
const fullTranscript = (roles: readonly Role[]): readonly Field[] => (roles.includes('Auditor') ? ['name', 'mrn', 'memberNumber'] : ALL);

type Target = 'none' | 'patient' | 'call' | 'recording' | 'search' | 'made-per-request';
interface WalkedRoute { target: Target; visible(roles: readonly Role[]): readonly Field[] }

/** Every GET route under /v1; a route missing here fails the first test. */
const ROUTES: Record<string, WalkedRoute> = {
  '/v1/patients': { target: 'none', visible: () => NONE },
  '/v1/patients/search': { target: 'search', visible: () => NONE },
  '/v1/patients/:id': { target: 'patient', visible: maskedView },
  '/v1/patients/:id/sensitive': { target: 'patient', visible: sensitive },
  '/v1/patients/:id/calls': { target: 'patient', visible: () => NONE },
  '/v1/patients/:id/case-notes': { target: 'patient', visible: maskedView },
  '/v1/patients/:id/case-notes/full': { target: 'patient', visible: sensitive },
  '/v1/calls/:id': { target: 'call', visible: () => NONE },
  '/v1/calls/:id/transcript': { target: 'call', visible: () => NONE },
  '/v1/calls/:id/transcript/full': { target: 'call', visible: fullTranscript },
  '/v1/recordings/:id': { target: 'recording', visible: () => NONE },
  '/v1/recordings/:id/audio': { target: 'recording', visible: () => NONE },
  '/v1/audit/events': { target: 'none', visible: () => NONE },
  '/v1/audit/events/:seq/proof': { target: 'none', visible: () => NONE },
  '/v1/analytics': { target: 'none', visible: () => NONE },
  '/v1/analytics/decisions/:role': { target: 'none', visible: () => NONE },
  '/v1/calls': { target: 'none', visible: () => NONE },
  '/v1/policies': { target: 'none', visible: () => NONE },
  '/v1/me': { target: 'none', visible: () => NONE },
  '/v1/me/passkeys': { target: 'none', visible: () => NONE },
  // The SSO redirect URI's page: static HTML, the same for everyone.
  '/v1/auth/sso/callback': { target: 'none', visible: () => NONE },
  // The accounting of disclosures: dates, recipients and purposes, never the patient's own fields.
  '/v1/patients/:id/disclosures': { target: 'patient', visible: () => NONE },
  // Drafts and exports exist only once someone asks for one (their own suites, ai.test.ts and
  // exports.int.test.ts, check what they render); the walk asks for an id no one made.
  '/v1/ai/drafts/:id': { target: 'made-per-request', visible: () => NONE },
  '/v1/ai/drafts/:id/reidentified': { target: 'made-per-request', visible: () => NONE },
  '/v1/ai/vendors': { target: 'none', visible: () => NONE },
  '/v1/ai/templates': { target: 'none', visible: () => NONE },
  '/v1/exports/:id/download': { target: 'made-per-request', visible: () => NONE },
  // Part 2 consents: recipients, purposes and dates, never the patient's own fields (exports.int.test.ts checks them).
  '/v1/patients/:id/part2-consents': { target: 'patient', visible: () => NONE },
  // Detections and investigations (R-MON-1, R-MON-2): ids, decisions and patients' initials, never a PHI value.
  '/v1/detections': { target: 'none', visible: () => NONE },
  '/v1/detections/:id': { target: 'made-per-request', visible: () => NONE },
  '/v1/investigations/sessions/:id': { target: 'made-per-request', visible: () => NONE },
  '/v1/investigations/members/:id': { target: 'made-per-request', visible: () => NONE },
  '/v1/investigations/workloads/:id': { target: 'made-per-request', visible: () => NONE },
  '/v1/investigations/devices/:id': { target: 'made-per-request', visible: () => NONE },
  // R-GOV-1: review items and evidence name members, workloads and entitlements, never a patient.
  '/v1/reviews/items': { target: 'none', visible: () => NONE },
  // The admin console's settings (R-UX-1): counts, ids, matters, key thumbprints and settings, never a patient's field.
  '/v1/reviews/campaigns': { target: 'none', visible: () => NONE },
  '/v1/retention/policies': { target: 'none', visible: () => NONE },
  '/v1/retention/holds': { target: 'none', visible: () => NONE },
  '/v1/retention/requests': { target: 'none', visible: () => NONE },
  '/v1/workloads': { target: 'none', visible: () => NONE },
  '/v1/sso/connection': { target: 'none', visible: () => NONE },
  '/v1/sso/connection-requests': { target: 'none', visible: () => NONE },
  '/v1/scim/tokens': { target: 'none', visible: () => NONE },
  '/v1/scim/token-requests': { target: 'none', visible: () => NONE },
  '/v1/workload-key-requests': { target: 'none', visible: () => NONE },
  '/v1/reviews/campaigns/:id/evidence': { target: 'made-per-request', visible: () => NONE },
  // Elevations and locks: ids, roles, scopes, times and states, never a patient's fields or a reason.
  '/v1/elevations': { target: 'none', visible: () => NONE },
  '/v1/locks': { target: 'none', visible: () => NONE },
  // The admin console's member list: workforce addresses, roles, scopes and counts, never a patient's field.
  '/v1/members': { target: 'none', visible: () => NONE },
  // PHI-scope and role grant proposals: member ids, scope and role labels, times and states, never a patient's field.
  '/v1/phi-grants': { target: 'none', visible: () => NONE },
  '/v1/role-grants': { target: 'none', visible: () => NONE },
  // Devices: ids, postures, checks and times, never a patient's field.
  '/v1/devices': { target: 'none', visible: () => NONE },
  '/v1/members/:id/devices': { target: 'made-per-request', visible: () => NONE },
};

const usDate = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
const digits = (s: string) => s.replace(/\D/g, '');

/** The written forms of each gold value, as records, notes and transcripts carry them. */
function goldValues(p: DemoPatient): Record<Field, string[]> {
  const ten = digits(p.phone).slice(-10);
  return {
    name: [`${p.givenName} ${p.familyName}`],
    mrn: [p.mrn],
    memberNumber: [p.memberNumber],
    dateOfBirth: [p.dateOfBirth, usDate(p.dateOfBirth)],
    phone: [p.phone, `(${ten.slice(0, 3)}) ${ten.slice(3, 6)}-${ten.slice(6)}`, `${ten.slice(0, 3)}-${ten.slice(3, 6)}-${ten.slice(6)}`],
    email: [p.email],
    address: [p.addressLine],
    city: [`${p.city}, ${p.state}`],
    zip: [`${p.state} ${p.zip}`],
    ssn: [p.ssn, digits(p.ssn)],
  };
}

/** Gold span labels (shared/data/phi) as the fields they belong to; other labels count as every field. */
const LABEL_FIELD: Record<string, Field> = {
  NAME: 'name', MRN: 'mrn', HEALTH_PLAN: 'memberNumber', DATE: 'dateOfBirth', AGE: 'dateOfBirth', PHONE: 'phone', FAX: 'phone',
  EMAIL: 'email', ADDRESS: 'address', LOCATION: 'city', SSN: 'ssn',
};

/** The gold spans of a call's transcript that a role with `visible` may not read. */
function hiddenSpans(call: DemoCall, visible: ReadonlySet<Field>): string[] {
  const out: string[] = [];
  for (const u of call.transcript.utterances) {
    for (const s of u.spans) {
      const field = LABEL_FIELD[s.label];
      const shown = field ? visible.has(field) : visible.size === ALL.length;
      const text = u.text.slice(s.start, s.end);
      // Short spans ("Ann", "12") also occur inside other words and numbers: not evidence.
      if (!shown && text.length >= 6) out.push(text);
    }
  }
  return out;
}

// One patient per PHI scope, with calls and case notes where the demo has them.
const patients = ['Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental'].map((scope) => {
  const inScope = demo.patients.filter((p) => p.tenantId === tenant.id && p.phiScope === scope);
  return inScope.find((p) => demo.calls.some((c) => c.patientId === p.id) && demo.caseNotes.some((n) => n.patientId === p.id)) ?? inScope[0]!;
});
const callOf = (p: DemoPatient): DemoCall | undefined => demo.calls.find((c) => c.patientId === p.id);

export interface Leak { route: string; member: string; patient: string; field: Field | 'span'; text?: string }

// The masks are the application's, the same on both engines: the bounded run walks PostgreSQL (as
// `ward_app`, under row-level security) when there is one, WARD_TEST_LONG=1 the embedded engine too.
for (const { engine, skip: engineSkip } of ENGINES) {
  const skip = boundedEngineSkip(engine, engineSkip);
  describe(`the route × role PHI walk on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp(t.deps);
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    test('the walk covers every GET route under /v1, and the search (a POST: identifiers stay out of URLs)', () => {
      const routes = app.wardRoutes.filter((r) => (r.method === 'GET' || r.url === '/v1/patients/search') && r.url.startsWith('/v1/')).map((r) => r.url);
      assert.deepEqual([...new Set(routes)].sort(), Object.keys(ROUTES).sort());
    });

    test('no role sees a gold PHI value its view masks, on any route (0 leaks)', async (ctx) => {
      const leaks: Leak[] = [];
      let requests = 0;
      let answered = 0;
      for (const m of members) {
        const who = await signIn(t.deps, m.email);
        for (const [url, route] of Object.entries(ROUTES)) {
          const targets: Array<{ path: string; patients: DemoPatient[]; call?: DemoCall; payload?: object }> = [];
          const all = demo.patients.filter((p) => p.tenantId === tenant.id);
          if (route.target === 'none') targets.push({ path: url.replace(':role', 'Agent'), patients: all });
          if (route.target === 'made-per-request') targets.push({ path: url.replace(':id', randomUUID()), patients: all });
          for (const p of patients) {
            const call = callOf(p);
            if (route.target === 'patient') targets.push({ path: url.replace(':id', p.id), patients: [p] });
            if (route.target === 'search') targets.push({ path: url, payload: { mrn: p.mrn }, patients: [p] });
            if (route.target === 'call' && call) targets.push({ path: url.replace(':id', call.id), patients: [p], call });
            if (route.target === 'recording' && call) targets.push({ path: url.replace(':id', call.recording.id), patients: [p] });
          }
          const visible = new Set(route.visible(m.roles));
          for (const target of targets) {
            // Everything a request can bring: a fresh verification, a justification, a purpose.
            await t.deps.db.systemDb.query('UPDATE sessions SET last_verified_at = now() WHERE id = $1', [who.sessionId]);
            const method = target.payload ? 'POST' : 'GET';
            const res = await app.inject({
              method,
              url: target.path,
              payload: target.payload,
              headers: { ...(await who.headers(method, target.path)), 'ward-purpose': 'TREAT', 'ward-justification': 'caller asked to confirm the address on file' },
            });
            requests++;
            assert.ok(res.statusCode < 500, `${target.path} as ${m.email}: ${res.statusCode}`);
            if (res.statusCode === 200) answered++;
            const body = res.rawPayload.toString('latin1') + res.body;
            for (const p of target.patients) {
              const values = goldValues(p);
              for (const field of ALL) {
                if (visible.has(field)) continue;
                if (values[field].some((v) => body.includes(v))) leaks.push({ route: url, member: m.email, patient: p.id, field });
              }
            }
            if (target.call && res.statusCode === 200) {
              for (const span of hiddenSpans(target.call, visible)) if (body.includes(span)) leaks.push({ route: url, member: m.email, patient: target.call.id, field: 'span', text: span });
            }
          }
        }
      }
      ctx.diagnostic(`${Object.keys(ROUTES).length} routes × ${members.length} members (${new Set(members.flatMap((m) => m.roles)).size} roles): ${requests} requests, ${answered} answered, ${leaks.length} leaks`);
      assert.deepEqual(leaks, [], `${leaks.length} leaks in ${requests} requests`);
      // The walk reached data: not every answer was a refusal.
      assert.ok(answered > requests / 4, `${answered} of ${requests} requests answered`);
    });
  });
}
