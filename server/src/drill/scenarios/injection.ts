import { send, type Reply } from '../clients.ts';
import { type Scenario, type Verdict, type World } from '../scenario.ts';
import { HONEST, PT, TM } from './boundaries.ts';

/**
 * SQL injection in every parameter (R-GOV-3): each parameter of each route of the API, from the
 * route list, gets the classic payloads. Ward builds no SQL from strings (STYLE 7), so a typed
 * parameter must be refused at the edge (400) and a free-text one must match nothing; none may
 * answer 5xx or return rows it would not return for a harmless value.
 */
export const PAYLOADS = [
  "' OR '1'='1",
  "1' OR 1=1 --",
  "'; DROP TABLE patients; --",
  "' UNION SELECT id, tenant_id FROM members --",
  "1; SELECT pg_sleep(5) --",
  "') OR ('a'='a",
  '\\x27 OR 1=1',
];

type Who = 'agent' | 'auditor' | 'owner' | 'scim';
type Where = 'path' | 'query' | 'body';
/** How a parameter must treat a payload: refused at the edge (typed), or matching nothing (free text). */
type Expect = 'refused' | 'empty' | 'handled';
interface Param { method: string; route: string; where: Where; name: string; who: Who; expect: Expect; list?: string }

/** The parameters of the API's routes (server/src/app.ts registers them; /openapi.json lists them). */
const PARAMS: Param[] = [
  ...['/v1/patients/:id', '/v1/patients/:id/sensitive', '/v1/patients/:id/calls', '/v1/patients/:id/case-notes', '/v1/patients/:id/case-notes/full',
    '/v1/patients/:id/disclosures', '/v1/calls/:id/transcript', '/v1/calls/:id/transcript/full', '/v1/recordings/:id', '/v1/recordings/:id/audio',
    '/v1/ai/drafts/:id', '/v1/ai/drafts/:id/reidentified', '/v1/exports/:id/download'].map((route): Param => ({ method: 'GET', route, where: 'path', name: 'id', who: 'agent', expect: 'refused' })),
  { method: 'POST', route: '/v1/patients/:id/case-notes', where: 'path', name: 'id', who: 'agent', expect: 'refused' },
  { method: 'DELETE', route: '/v1/me/passkeys/:id', where: 'path', name: 'id', who: 'agent', expect: 'refused' },
  { method: 'POST', route: '/v1/members/invitations/:id/approve', where: 'path', name: 'id', who: 'owner', expect: 'refused' },
  { method: 'POST', route: '/v1/policies/:version/approve', where: 'path', name: 'version', who: 'owner', expect: 'refused' },
  { method: 'GET', route: '/v1/patients', where: 'query', name: 'limit', who: 'agent', expect: 'refused' },
  { method: 'GET', route: '/v1/calls', where: 'query', name: 'limit', who: 'agent', expect: 'refused' },
  { method: 'GET', route: '/v1/audit/events/:seq/proof', where: 'path', name: 'seq', who: 'auditor', expect: 'refused' },
  { method: 'GET', route: '/v1/patients', where: 'query', name: 'after', who: 'agent', expect: 'refused' },
  ...['actorId', 'targetType', 'targetId', 'action'].map((name): Param => ({ method: 'GET', route: '/v1/audit/events', where: 'query', name, who: 'auditor', expect: 'empty', list: 'events' })),
  ...['sessionId', 'from', 'to', 'afterSeq', 'limit'].map((name): Param => ({ method: 'GET', route: '/v1/audit/events', where: 'query', name, who: 'auditor', expect: 'refused' })),
  ...['mrn', 'phone', 'memberNumber'].map((name): Param => ({ method: 'POST', route: '/v1/patients/search', where: 'body', name, who: 'agent', expect: 'empty', list: 'patients' })),
  { method: 'POST', route: '/v1/patients/:id/case-notes', where: 'body', name: 'callId', who: 'agent', expect: 'refused' },
  { method: 'POST', route: '/v1/members/invitations', where: 'body', name: 'email', who: 'owner', expect: 'refused' },
  { method: 'POST', route: '/v1/members/invitations', where: 'body', name: 'role', who: 'owner', expect: 'refused' },
  { method: 'POST', route: '/v1/ai/tasks', where: 'body', name: 'template', who: 'agent', expect: 'refused' },
  { method: 'POST', route: '/v1/exports', where: 'body', name: 'recipient', who: 'agent', expect: 'handled' },
  { method: 'POST', route: '/v1/policies', where: 'body', name: 'text', who: 'owner', expect: 'refused' },
  { method: 'GET', route: '/scim/v2/Users', where: 'query', name: 'filter', who: 'scim', expect: 'empty', list: 'Resources' },
  { method: 'GET', route: '/scim/v2/Users', where: 'query', name: 'startIndex', who: 'scim', expect: 'handled' },
  { method: 'GET', route: '/scim/v2/Users/:id', where: 'path', name: 'id', who: 'scim', expect: 'refused' },
  { method: 'GET', route: '/scim/v2/Groups', where: 'query', name: 'filter', who: 'scim', expect: 'empty', list: 'Resources' },
];

function bodyFor(w: World, p: Param, value: string): Record<string, unknown> {
  switch (p.route) {
    case '/v1/patients/search': return { [p.name]: value };
    case '/v1/patients/:id/case-notes': return { body: 'drill: injection probe', [p.name]: value };
    case '/v1/members/invitations': return { email: 'drill.sqli@drill.invalid', role: 'Agent', [p.name]: value };
    case '/v1/ai/tasks': return { template: 'call-summary', target: { type: 'call', id: w.hcCall.id }, [p.name]: value };
    case '/v1/exports': return { target: { type: 'Patient', id: w.hc }, recipient: 'Dr. Drill', purpose: 'TREAT', justification: 'drill', [p.name]: value };
    default: return { [p.name]: value };
  }
}

async function attempt(w: World, p: Param, value: string): Promise<Reply> {
  const pathValue = p.where === 'path' ? encodeURIComponent(value) : null;
  let path = p.route.replace(`:${p.name}`, pathValue ?? '').replace(':id', p.route.startsWith('/v1/patients') ? w.hc : w.hcCall.id);
  if (p.where === 'query') path += `?${new URLSearchParams({ [p.name]: value })}`;
  const body = p.where === 'body' ? bodyFor(w, p, value) : p.method === 'POST' && p.route.includes('case-notes') ? { body: 'drill: injection probe' } : undefined;
  if (p.who === 'scim') return send(w.origin, path, { headers: { authorization: `Bearer ${w.a.scimToken}` } });
  return w.people[p.who].call(path, { method: p.method, body, headers: HONEST });
}

function judge(p: Param, r: Reply, baseline: number): string | null {
  if (r.status >= 500) return `HTTP ${r.status}`;
  if (p.expect === 'refused') return r.status >= 400 ? null : `HTTP ${r.status} (accepted)`;
  if (p.expect === 'empty') {
    if (r.status >= 400) return null;
    const n = ((r.json[p.list!] ?? []) as unknown[]).length;
    return n <= baseline ? null : `HTTP ${r.status} with ${n} rows (a harmless value gives ${baseline})`;
  }
  return null;
}

export function injectionScenarios(): Scenario[] {
  const scenarios: Scenario[] = PARAMS.map((p) => ({
    id: `sqli.${p.method.toLowerCase()}${p.route.replace(/[/:]+/g, '.').replace(/\.$/, '')}.${p.where}.${p.name}`,
    category: 'SQL injection in every parameter',
    title: `SQL injection in ${p.where} parameter "${p.name}" of ${p.method} ${p.route}`,
    expected: p.expect === 'refused' ? 'each payload refused at the edge (4xx), never 5xx' : p.expect === 'empty' ? 'each payload matches no more rows than a harmless value, never 5xx' : 'never 5xx',
    covers: ['R-GOV-3', PT.hostile500],
    async run(w): Promise<Verdict> {
      let baseline = 0;
      if (p.expect === 'empty') {
        const r = await attempt(w, p, 'drill-harmless-value');
        baseline = ((r.json[p.list!] ?? []) as unknown[]).length;
      }
      const problems: string[] = [];
      const statuses = new Set<number>();
      for (const payload of PAYLOADS) {
        const r = await attempt(w, p, payload);
        statuses.add(r.status);
        const problem = judge(p, r, baseline);
        if (problem) problems.push(`${JSON.stringify(payload)} → ${problem}`);
      }
      return { pass: problems.length === 0, observed: problems.length === 0 ? `${PAYLOADS.length} payloads: HTTP ${[...statuses].sort().join('/')}` : problems.join('; ') };
    },
  }));
  const hostile = (id: string, title: string, send1: (w: World) => Promise<Reply>, lenient = false): Scenario => ({
    id: `finding.hostile-input.${id}`, category: 'SQL injection in every parameter', covers: [PT.hostile500, TM.phiInErrors],
    title, expected: lenient ? 'never 5xx (refused, or decoded with replacement characters and stored)' : 'a 4xx problem, never 5xx',
    async run(w) {
      const r = await send1(w);
      return { pass: r.status < 500 && (lenient || r.status >= 400), observed: `HTTP ${r.status}${r.code ? ` ${r.code}` : ''}` };
    },
  });
  return [
    ...scenarios,
    hostile('nul-bytes', 'NUL bytes in a search identifier', (w) => w.people.agent.call('/v1/patients/search', { method: 'POST', body: { mrn: 'A\u0000B' } })),
    hostile('huge-integer', 'a 400-digit limit', (w) => w.people.agent.call(`/v1/patients?limit=${'9'.repeat(400)}`)),
    hostile('invalid-utf8', 'invalid UTF-8 in a JSON body', (w) => w.people.agent.call(`/v1/patients/${w.hc}/case-notes`, { method: 'POST', raw: Buffer.concat([Buffer.from('{"body":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]), headers: { 'content-type': 'application/json' } }), true),
    hostile('broken-json', 'a truncated JSON body', (w) => w.people.agent.call('/v1/patients/search', { method: 'POST', raw: '{"mrn":', headers: { 'content-type': 'application/json' } })),
    hostile('deep-json', 'JSON nested 5,000 deep', (w) => w.people.agent.call('/v1/patients/search', { method: 'POST', raw: `${'['.repeat(5000)}${']'.repeat(5000)}`, headers: { 'content-type': 'application/json' } })),
    // uuid's URN form passed the validator and reached PostgreSQL, which refused it with a 500 (docs/threat-model.md, the identity-side penetration test).
    hostile('urn-uuid', 'a member id written as a URN (urn:uuid:…) in the path', (w) => w.people.admin.call(`/v1/members/urn:uuid:${w.people.agent.memberId}/devices`)),
    hostile('prototype-pollution', 'a body with __proto__ and constructor keys', (w) => w.people.agent.call('/v1/patients/search', { method: 'POST', raw: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}', headers: { 'content-type': 'application/json' } })),
    {
      id: 'finding.hostile-input.no-phi-echo', category: 'SQL injection in every parameter', covers: [TM.phiInErrors, 'R-DATA-4'],
      title: "a refused request carrying a patient's phone number and family name", expected: 'a 4xx problem that repeats neither',
      async run(w) {
        const p = w.a.patients.find((x) => x.id === w.hc)!;
        const r = await w.people.agent.call('/v1/patients/search', { method: 'POST', body: { mrn: p.familyName, phone: p.phone } });
        const echoed = [p.familyName, p.phone].filter((s) => r.text.includes(s)).length;
        return { pass: r.status >= 400 && r.status < 500 && echoed === 0, observed: `HTTP ${r.status} ${r.code}, ${echoed} values echoed` };
      },
    },
  ];
}
