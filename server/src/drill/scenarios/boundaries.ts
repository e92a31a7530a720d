import type { Person } from '../clients.ts';
import { expectStatus, refusedWithout, type Scenario, type World } from '../scenario.ts';

/**
 * Reads across the two walls (R-AUTHZ-2, R-AUTHZ-4, R-AUTHZ-7): every GET route that names a patient,
 * call or recording, tried from the other tenant and from outside the PHI scope, with every header an
 * honest caller would send (purpose, justification, a fresh step-up), so that only the wall stops it.
 */
export const TM = {
  rls: 'TM: row-level security on every tenant table',
  mac: 'TM: scope settings verified by a MAC',
  auditActor: "TM: an audit event under another actor's name",
  definer: 'TM: grants only through definer functions',
  definerKeys: 'TM: workload keys, SCIM tokens, retention and holds only through definer functions',
  compositeFk: "TM: a row pointing into another tenant's rows",
  roleCheck: 'TM: the server refuses an unsafe database role',
  auditAppend: 'TM: audit records append-only and sealed',
  auditBatch: "TM: grouped reads' audit records only with a voucher made with the scope key",
  narrowLookups: 'TM: authentication reads no other tenant',
  dataDirLock: 'TM: one process per embedded data directory',
  phiInErrors: 'TM: no PHI in logs or error messages',
  phiInArgs: 'TM: no PHI in process lists',
  ssrf: 'TM: outbound calls only through the egress policy',
} as const;

export const PT = {
  reinvite: 'PT: re-invitation takeover',
  unmaskedNotes: 'PT: unmasked case notes',
  part2: 'PT: Part 2 purpose bypass',
  foreignCall: 'PT: foreign call ids',
  privilegedInvite: 'PT: privileged invitations',
  hostile500: 'PT: 500s on hostile input',
  searchThrottle: 'PT: unthrottled search',
  emptyJustification: 'PT: empty justifications',
  securityHeaders: 'PT: API answers without security headers',
  mcpBatch: 'PT: MCP batches on one proof',
  tokenForm: 'PT: text/plain read as a token request',
  clientLockout: "PT: forged assertions use up a workload's token limit",
  noChallenge: 'PT: 401 without WWW-Authenticate',
  emailSpelling: 'PT: two spellings of one e-mail address, two members',
  ssoSlug: 'PT: SSO slugs told apart from outside',
  mcpOrigin: 'PT: MCP requests from another Origin',
} as const;

export const HONEST = { 'ward-purpose': 'TREAT', 'ward-justification': 'drill: the caller asked to confirm their details' };

type Target = 'patient' | 'call' | 'recording';
export const GET_ROUTES: ReadonlyArray<{ path: string; target: Target }> = [
  { path: '/v1/patients/:id', target: 'patient' },
  { path: '/v1/patients/:id/sensitive', target: 'patient' },
  { path: '/v1/patients/:id/calls', target: 'patient' },
  { path: '/v1/patients/:id/case-notes', target: 'patient' },
  { path: '/v1/patients/:id/case-notes/full', target: 'patient' },
  { path: '/v1/patients/:id/disclosures', target: 'patient' },
  { path: '/v1/calls/:id/transcript', target: 'call' },
  { path: '/v1/calls/:id/transcript/full', target: 'call' },
  { path: '/v1/recordings/:id', target: 'recording' },
  { path: '/v1/recordings/:id/audio', target: 'recording' },
];

function idFor(w: World, target: Target, which: 'a-hc' | 'a-sud' | 'b-hc'): string {
  const patient = which === 'a-hc' ? w.hc : which === 'a-sud' ? w.sud : w.bHc;
  const call = which === 'a-hc' ? w.hcCall : which === 'a-sud' ? w.sudCall : w.bCall;
  return target === 'patient' ? patient : target === 'call' ? call.id : call.recordingId;
}

const secretsOf = (w: World, patientId: string) => {
  const p = [...w.a.patients, ...w.b.patients].find((x) => x.id === patientId);
  return p ? [p.familyName, p.mrn, p.phone] : [];
};

function family(prefix: string, category: string, covers: string[], who: (w: World) => Person, which: 'a-hc' | 'a-sud' | 'b-hc', what: string): Scenario[] {
  return GET_ROUTES.map((r) => ({
    id: `${prefix}${r.path.replace(/\/:id/g, '').replace(/\/v1\//, '').replace(/\//g, '.')}`,
    category,
    title: `${what}: GET ${r.path}`,
    expected: 'HTTP 404 (or 403): nothing of the row, not even that it exists',
    covers,
    async run(w) {
      const path = r.path.replace(':id', idFor(w, r.target, which));
      const patientId = which === 'a-hc' ? w.hc : which === 'a-sud' ? w.sud : w.bHc;
      return refusedWithout(await who(w).call(path, { headers: HONEST }), [403, 404], secretsOf(w, patientId));
    },
  }));
}

export function boundaryScenarios(): Scenario[] {
  return [
    ...family('cross-tenant.b-reads-a.', 'cross-tenant and cross-scope reads', [TM.rls, 'R-AUTHZ-7'], (w) => w.people.bAgent, 'a-hc', "tenant B's agent reads tenant A's row"),
    ...family('cross-tenant.a-reads-b.', 'cross-tenant and cross-scope reads', [TM.rls, 'R-AUTHZ-7'], (w) => w.people.agent, 'b-hc', "tenant A's agent reads tenant B's row"),
    ...family('cross-scope.hc-reads-sud.', 'cross-tenant and cross-scope reads', [TM.rls, 'R-AUTHZ-2'], (w) => w.people.agent, 'a-sud', 'a Healthcare-PHI agent reads a SUD-Part2 row'),
    ...family('no-phi-role.viewer.', 'cross-tenant and cross-scope reads', ['R-AUTHZ-1', 'R-AUTHZ-2'], (w) => w.people.viewer, 'a-hc', 'a Viewer (no PHI scope) reads a row'),
    {
      id: 'cross-tenant.list', category: 'cross-tenant and cross-scope reads', covers: [TM.rls, 'R-AUTHZ-7'],
      title: "GET /v1/patients lists only the caller's tenant and scopes",
      expected: "HTTP 200 with tenant A's Healthcare-PHI patients, none of tenant B's or of another scope",
      async run(w) {
        const r = await w.people.agent.call('/v1/patients?limit=200');
        const ids = ((r.json.patients ?? []) as { id: string }[]).map((p) => p.id);
        const mine = new Set(w.a.patients.filter((p) => p.phiScope === 'Healthcare-PHI').map((p) => p.id));
        const foreign = ids.filter((id) => !mine.has(id));
        return { pass: r.status === 200 && ids.includes(w.hc) && foreign.length === 0, observed: `HTTP ${r.status}, ${ids.length} patients, ${foreign.length} outside the caller's tenant and scopes` };
      },
    },
    {
      id: 'cross-tenant.call-queue', category: 'cross-tenant and cross-scope reads', covers: [TM.rls, 'R-AUTHZ-7', 'R-AUTHZ-2'],
      title: "GET /v1/calls (the agent's queue) holds only the caller's tenant and scopes",
      expected: "HTTP 200 with tenant A's Healthcare-PHI calls, none of tenant B's or of another scope",
      async run(w) {
        const r = await w.people.agent.call('/v1/calls?limit=200');
        const ids = ((r.json.calls ?? []) as { id: string }[]).map((c) => c.id);
        const mine = new Set([...w.a.calls.filter((c) => c.phiScope === 'Healthcare-PHI').map((c) => c.id), w.agentCall.id]);
        const foreign = ids.filter((id) => !mine.has(id));
        return { pass: r.status === 200 && ids.length > 0 && foreign.length === 0, observed: `HTTP ${r.status}, ${ids.length} calls, ${foreign.length} outside the caller's tenant and scopes` };
      },
    },
    {
      id: 'cross-tenant.search', category: 'cross-tenant and cross-scope reads', covers: [TM.rls, 'R-AUTHZ-7'],
      title: "POST /v1/patients/search with tenant B's MRN, from tenant A",
      expected: 'HTTP 200 with no patients',
      async run(w) {
        const b = w.b.patients.find((p) => p.id === w.bHc)!;
        const r = await w.people.agent.call('/v1/patients/search', { method: 'POST', body: { mrn: b.mrn } });
        const n = ((r.json.patients ?? []) as unknown[]).length;
        return { pass: r.status === 200 && n === 0, observed: `HTTP ${r.status}, ${n} patients` };
      },
    },
    {
      id: 'cross-scope.search', category: 'cross-tenant and cross-scope reads', covers: [TM.rls, 'R-AUTHZ-2'],
      title: 'POST /v1/patients/search for a SUD-Part2 MRN by a Healthcare-PHI agent',
      expected: 'HTTP 200 with no patients',
      async run(w) {
        const s = w.a.patients.find((p) => p.id === w.sud)!;
        const r = await w.people.agent.call('/v1/patients/search', { method: 'POST', body: { mrn: s.mrn }, headers: HONEST });
        const n = ((r.json.patients ?? []) as unknown[]).length;
        return { pass: r.status === 200 && n === 0, observed: `HTTP ${r.status}, ${n} patients` };
      },
    },
    {
      id: 'no-phi-role.viewer.list', category: 'cross-tenant and cross-scope reads', covers: ['R-AUTHZ-2'],
      title: 'a Viewer lists patients', expected: 'HTTP 403',
      async run(w) {
        return refusedWithout(await w.people.viewer.call('/v1/patients'), [403, 404]);
      },
    },
    {
      id: 'finding.part2-purpose', category: 'cross-tenant and cross-scope reads', covers: [PT.part2, 'R-AUTHZ-4'],
      title: 'a member granted SUD-Part2 reads a SUD patient without a purpose of use, then with a made-up one',
      expected: 'both refused (403/404); the same read with TREAT answers 200',
      async run(w) {
        const path = `/v1/patients/${w.sud}`;
        const none = await w.people.bhAgent.call(path);
        const bogus = await w.people.bhAgent.call(path, { headers: { 'ward-purpose': 'MARKETING' } });
        const honest = await w.people.bhAgent.call(path, { headers: { 'ward-purpose': 'TREAT' } });
        const refused = (s: number) => s === 403 || s === 404;
        return { pass: refused(none.status) && refused(bogus.status) && honest.status === 200, observed: `no purpose HTTP ${none.status}, MARKETING HTTP ${bogus.status}, TREAT HTTP ${honest.status}` };
      },
    },
    {
      id: 'finding.part2-list', category: 'cross-tenant and cross-scope reads', covers: [PT.part2, 'R-AUTHZ-4'],
      title: 'a member granted SUD-Part2 lists patients without a purpose of use',
      expected: 'no SUD-Part2 patient in the list',
      async run(w) {
        const r = await w.people.bhAgent.call('/v1/patients?limit=200');
        const sud = ((r.json.patients ?? []) as { phiScope: string }[]).filter((p) => p.phiScope === 'SUD-Part2').length;
        return { pass: (r.status === 200 || r.status === 403) && sud === 0, observed: `HTTP ${r.status}, ${sud} SUD-Part2 patients` };
      },
    },
    {
      id: 'finding.unmasked-case-notes', category: 'cross-tenant and cross-scope reads', covers: [PT.unmaskedNotes, 'R-AUTHZ-3'],
      title: "an agent writes a case note holding an SSN and a date of birth, then lists the patient's case notes",
      expected: 'note 201; the list HTTP 200, view "masked", neither value in it; the full view (with a justification) has both',
      async run(w) {
        const p = w.a.patients.find((x) => x.id === w.hc)!;
        const ssn = '219-09-9999';
        const note = `Caller confirmed SSN ${ssn} and date of birth ${p.dateOfBirth} for the drill.`;
        const made = await w.people.agent.call(`/v1/patients/${w.hc}/case-notes`, { method: 'POST', body: { body: note } });
        const r = await w.people.agent.call(`/v1/patients/${w.hc}/case-notes`);
        const full = await w.people.agent.call(`/v1/patients/${w.hc}/case-notes/full`, { headers: HONEST });
        const leaked = [ssn, p.dateOfBirth].filter((v) => r.text.includes(v)).length;
        return {
          pass: made.status === 201 && r.status === 200 && r.json.view === 'masked' && leaked === 0 && full.status === 200 && full.text.includes(ssn),
          observed: `note HTTP ${made.status}; list HTTP ${r.status}, view ${String(r.json.view)}, ${leaked} of 2 values unmasked; full view HTTP ${full.status}${full.text.includes(ssn) ? ' with the SSN' : ''}`,
        };
      },
    },
    {
      id: 'finding.case-notes-full-needs-justification', category: 'cross-tenant and cross-scope reads', covers: [PT.unmaskedNotes, PT.emptyJustification, 'R-AUTHZ-3'],
      title: 'an agent asks for the full case notes without a justification',
      expected: 'HTTP 403 JUSTIFICATION_REQUIRED',
      async run(w) {
        return expectStatus(await w.people.agent.call(`/v1/patients/${w.hc}/case-notes/full`, { headers: { 'ward-purpose': 'TREAT' } }), [403], ['JUSTIFICATION_REQUIRED']);
      },
    },
    ...[['empty', ''], ['blank', '   '], ['dots', '...']].map(([name, value]) => ({
      id: `finding.empty-justification.${name}`, category: 'cross-tenant and cross-scope reads', covers: [PT.emptyJustification, 'R-AUTHZ-3'],
      title: `sensitive fields with a ${name} justification (${JSON.stringify(value)})`,
      expected: 'HTTP 403 JUSTIFICATION_REQUIRED (or 400)',
      async run(w: World) {
        const r = await w.people.agent.call(`/v1/patients/${w.hc}/sensitive`, { headers: { 'ward-purpose': 'TREAT', 'ward-justification': value! } });
        return expectStatus(r, [400, 403], ['JUSTIFICATION_REQUIRED', 'BAD_REQUEST', 'VALIDATION']);
      },
    })),
    {
      id: 'ai.task-on-unreadable-call', category: 'AI tasks on unreadable data', covers: ['R-AI-1', 'R-AUTHZ-2'],
      title: 'a Healthcare-PHI agent runs an AI summary on a SUD-Part2 call',
      expected: 'HTTP 403/404, no task',
      async run(w) {
        return refusedWithout(await w.people.agent.call('/v1/ai/tasks', { method: 'POST', body: { template: 'call-summary', target: { type: 'call', id: w.sudCall.id } }, headers: HONEST }), [403, 404]);
      },
    },
    {
      id: 'ai.task-on-other-tenant', category: 'AI tasks on unreadable data', covers: ['R-AI-1', TM.rls],
      title: "tenant B's agent runs an AI summary on tenant A's call",
      expected: 'HTTP 403/404, no task',
      async run(w) {
        return refusedWithout(await w.people.bAgent.call('/v1/ai/tasks', { method: 'POST', body: { template: 'call-summary', target: { type: 'call', id: w.hcCall.id } }, headers: HONEST }), [403, 404]);
      },
    },
    {
      id: 'ai.task-by-viewer', category: 'AI tasks on unreadable data', covers: ['R-AI-1'],
      title: 'a Viewer (no PHI scope) runs an AI case-note draft',
      expected: 'HTTP 403/404',
      async run(w) {
        return refusedWithout(await w.people.viewer.call('/v1/ai/tasks', { method: 'POST', body: { template: 'case-note-draft', target: { type: 'call', id: w.hcCall.id } }, headers: HONEST }), [403, 404]);
      },
    },
    {
      id: 'finding.foreign-call-id.other-patient', category: 'call binding (foreign call ids)', covers: [PT.foreignCall, 'R-AUTHZ-1'],
      title: "a case note on patient P naming another patient's call",
      expected: 'HTTP 404, no note',
      async run(w) {
        const other = w.a.calls.find((c) => c.phiScope === 'Healthcare-PHI' && c.patientId !== w.hc)!;
        return expectStatus(await w.people.agent.call(`/v1/patients/${w.hc}/case-notes`, { method: 'POST', body: { body: 'drill note', callId: other.id } }), [404, 400]);
      },
    },
    {
      id: 'finding.foreign-call-id.other-tenant', category: 'call binding (foreign call ids)', covers: [PT.foreignCall, TM.compositeFk],
      title: "a case note naming tenant B's call",
      expected: 'HTTP 404, no note',
      async run(w) {
        return expectStatus(await w.people.agent.call(`/v1/patients/${w.hc}/case-notes`, { method: 'POST', body: { body: 'drill note', callId: w.bCall.id } }), [404, 400]);
      },
    },
    {
      id: 'finding.search-throttle', category: 'cross-tenant and cross-scope reads', covers: [PT.searchThrottle, 'R-MON-1'],
      title: 'one member runs patient searches without pause (enumeration)',
      expected: 'HTTP 429 RATE_LIMITED within two windows of the per-minute limit',
      async run(w) {
        const p = w.a.patients.find((x) => x.id === w.hc)!;
        for (let i = 0; i < 200; i++) {
          const r = await w.people.manager.call('/v1/patients/search', { method: 'POST', body: { mrn: p.mrn } });
          if (r.status === 429) return { pass: r.code === 'RATE_LIMITED', observed: `HTTP 429 ${r.code} after ${i} searches` };
          if (r.status !== 200) return { pass: false, observed: `HTTP ${r.status} ${r.code} after ${i} searches` };
        }
        return { pass: false, observed: '200 searches answered, none refused' };
      },
    },
  ];
}
