// R-MON-2: an investigation answers what the trail holds. A demo Agent reads patients (one attempt
// refused); an Auditor's GET /v1/investigations/… lists the same events in the same order as the
// trail, the patients reached with masked labels (initials, never a name), the member's sessions and
// devices, and inclusion proofs that verify against the signed head. `ward audit trace --workload`
// traces an AI agent by client id. Detections are listed and triaged over HTTP by an Auditor only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { serverContext } from '../../src/cli/main.ts';
import { fromBase64Url, traceMember, verifyInclusion } from '../../src/modules/audit/index.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { runWard } from '../support/cli.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const postgres = ENGINES.find((e) => e.engine === 'postgres')!;
const demo = generateDemo(1);
const tenant = demo.tenants.find((t) => t.slug === 'riverside')!;
const agent = demo.members.find((m) => m.tenantId === tenant.id && m.roles.includes('Agent') && m.phiScopes.includes('Healthcare-PHI'))!;
const auditor = demo.members.find((m) => m.tenantId === tenant.id && m.roles.includes('Auditor'))!;
const inScope = demo.patients.filter((p) => p.tenantId === tenant.id && agent.phiScopes.includes(p.phiScope)).slice(0, 2);
const outOfScope = demo.patients.find((p) => p.tenantId !== tenant.id)!;

interface InvestigationBody {
  subject: { principalId: string | null };
  summary: { events: number; denied: number; allowed: number };
  events: { seq: number | null; action: string; targetId: string | null }[];
  patients: { id: string; label: string | null; events: number; denied: number }[];
  sessions: { id: string; isSubject: boolean }[];
  devices: { id: string }[];
  proofs?: { head: { treeSize: number; rootHash: string }; proofs: { seq: number; leafIndex: number; leafHash: string; path: string[] }[] };
}

describe('investigations on PostgreSQL', { skip: postgres.skip }, () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let agentSession: TestSession;
  let auditorSession: TestSession;
  const get = async (who: TestSession, path: string) => app.inject({ method: 'GET', url: path, headers: await who.headers('GET', path) });

  before(async () => {
    t = await createTestDeps('postgres', { demo: demo.seed });
    app = await buildApp(t.deps);
    agentSession = await signIn(t.deps, agent.email);
    auditorSession = await signIn(t.deps, auditor.email);
    for (const p of inScope) {
      const res = await get(agentSession, `/v1/patients/${p.id}`);
      assert.equal(res.statusCode, 200, res.body);
    }
    assert.equal((await get(agentSession, `/v1/patients/${outOfScope.id}`)).statusCode, 404);
    for (;;) if ((await t.deps.auditSealer.sealOnce()).sealed === 0) break;
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  test("a member's investigation lists the trail's events in order, the patients with initials, sessions, devices and verifying proofs", async () => {
    const res = await get(auditorSession, `/v1/investigations/members/${agent.id}?proofs=true`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<InvestigationBody>();
    const trail = await traceMember(t.deps.db.systemDb, tenant.id, agent.id);
    assert.deepEqual(body.events.map((e) => [e.seq, e.action, e.targetId]), trail.map((e) => [e.seq, e.action, e.targetId]));
    assert.equal(body.summary.events, trail.length);
    assert.equal(body.summary.denied, 1);
    for (const p of inScope) {
      const reached = body.patients.find((x) => x.id === p.id);
      assert.ok(reached, `patient ${p.id} reached`);
      assert.equal(reached.label, `${p.givenName[0]!.toUpperCase()}. ${p.familyName[0]!.toUpperCase()}.`);
      assert.ok(!res.body.includes(p.familyName), 'no name in the answer');
    }
    // The refused patient is another tenant's: listed by id, no label.
    assert.deepEqual(body.patients.filter((x) => x.id === outOfScope.id).map((x) => [x.label, x.denied]), [[null, 1]]);
    assert.ok(body.sessions.some((s) => s.id === agentSession.sessionId));
    assert.ok(body.devices.length >= 1);

    const proofs = body.proofs!;
    const sealed = body.events.filter((e) => e.seq !== null && e.seq <= proofs.head.treeSize);
    assert.equal(proofs.proofs.length, sealed.length);
    const bytes = (text: string) => fromBase64Url(text) ?? assert.fail(`not base64url: ${text}`);
    for (const p of proofs.proofs) {
      assert.ok(verifyInclusion(bytes(p.leafHash), p.leafIndex, proofs.head.treeSize, p.path.map(bytes), bytes(proofs.head.rootHash)), `proof of seq ${p.seq}`);
    }
  });

  test('an investigation answers a page of at most 1,000 events and a cursor to the next; the pages are the trail, the summary counts it all (R-MON-2)', async () => {
    const trail = await traceMember(t.deps.db.systemDb, tenant.id, agent.id);
    assert.ok(trail.length >= 3, `the agent's trail has ${trail.length} events`);
    const base = `/v1/investigations/members/${agent.id}`;
    const seen: (number | null)[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(auditorSession, `${base}?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<InvestigationBody & { nextCursor: string | null; isTruncated: boolean }>();
      assert.equal(body.events.length, 1);
      assert.equal(body.summary.events, trail.length, 'every page counts the whole trail');
      assert.equal(body.isTruncated, body.nextCursor !== null);
      seen.push(...body.events.map((e) => e.seq));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 100);
    assert.deepEqual(seen, trail.map((e) => e.seq), 'the pages, in order, are the trail');
    assert.equal(pages, trail.length);
    // A hard cap: no answer lists more than 1,000 events; a cursor not given by the server is refused.
    assert.equal((await get(auditorSession, `${base}?limit=1001`)).statusCode, 400);
    for (const bad of ['bm90LWEtY3Vyc29y', 'A'.repeat(201)]) assert.equal((await get(auditorSession, `${base}?cursor=${bad}`)).json().code, 'BAD_REQUEST');
  });

  test("a session's and a device's investigations hold the session's events", async () => {
    const res = await get(auditorSession, `/v1/investigations/sessions/${agentSession.sessionId}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<InvestigationBody>();
    assert.equal(body.subject.principalId, agent.id);
    assert.equal(body.summary.events, 3);
    assert.deepEqual(body.sessions.filter((s) => s.isSubject).map((s) => s.id), [agentSession.sessionId]);
    const device = (await t.deps.db.systemDb.query<{ device_id: string }>('SELECT device_id FROM sessions WHERE id = $1', [agentSession.sessionId])).rows[0]!.device_id;
    const byDevice = (await get(auditorSession, `/v1/investigations/devices/${device}`)).json<InvestigationBody>();
    // The device's trail holds the session's events (and the device's own enrolment, before any session).
    const deviceSeqs = new Set(byDevice.events.map((e) => e.seq));
    assert.ok(body.events.every((e) => deviceSeqs.has(e.seq)), JSON.stringify(byDevice.events.map((e) => e.action)));
  });

  test('an Agent may not investigate; an unknown workload is 404, a malformed id 400', async () => {
    assert.equal((await get(agentSession, `/v1/investigations/members/${agent.id}`)).statusCode, 403);
    assert.equal((await get(auditorSession, '/v1/investigations/workloads/wl_AAAAAAAAAAAAAAAAAAAAAA')).statusCode, 404);
    assert.equal((await get(auditorSession, '/v1/investigations/workloads/nope')).statusCode, 400);
  });

  test('ward audit trace --workload and the workload investigation list what the agent did, alone and for a person', async () => {
    const id = randomUUID();
    const clientId = `wl_${'Inv3stigat10nTestAgent'.slice(0, 22)}`;
    await t.deps.db.systemDb.query(
      `INSERT INTO workloads (tenant_id, id, client_id, name, kind, role, jwks) VALUES ($1, $2, $3, 'investigated agent', 'ai_agent', 'VoiceAgent', '{"keys":[]}')`,
      [tenant.id, id, clientId]);
    await t.deps.db.scoped({ tenantId: tenant.id, phiScopes: [], actorId: id, actorKind: 'ai_agent' }, (tx) =>
      t.deps.audit.append(tx, { tenantId: tenant.id, actorKind: 'ai_agent', actorId: id, action: 'workload.token.issue', targetType: 'workload', targetId: id, outcome: 'success' }));
    await t.deps.db.scoped({ tenantId: tenant.id, phiScopes: ['Healthcare-PHI'], actorId: id, actorKind: 'ai_agent_for_human' }, (tx) =>
      t.deps.audit.append(tx, { tenantId: tenant.id, actorKind: 'ai_agent_for_human', actorId: id, onBehalfOf: agent.id, action: 'patient.view', targetType: 'Patient', targetId: inScope[0]!.id, decision: 'allow', outcome: 'success' }));
    await t.deps.auditSealer.sealOnce();
    const r = await runWard(['audit', 'trace', '--workload', clientId, '--tenant', 'riverside'], { env: t.env, ctx: serverContext(t.deps) });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /workload\.token\.issue/);
    assert.match(r.out, new RegExp(`ai_agent_for_human:${id} for ${agent.id}  patient\\.view`));
    assert.match(r.out, /\n2 events; 2 distinct targets;/);
    const bad = await runWard(['audit', 'trace', '--workload', 'nope'], { env: t.env, ctx: serverContext(t.deps) });
    assert.equal(bad.code, 2);
    const body = (await get(auditorSession, `/v1/investigations/workloads/${clientId}`)).json<InvestigationBody>();
    assert.deepEqual(body.events.map((e) => e.action), ['workload.token.issue', 'patient.view']);
  });

  test('detections are listed by an Auditor and triaged over HTTP; an Agent may not triage', async () => {
    await t.deps.db.scoped({ tenantId: tenant.id, phiScopes: [], actorId: agent.id, actorKind: 'human' }, async (tx) => {
      for (let i = 0; i < 5; i++) await t.deps.audit.append(tx, { tenantId: tenant.id, actorKind: 'human', actorId: agent.id, action: 'auth.sign_in', outcome: 'failure' });
    });
    await t.deps.auditSealer.sealOnce();
    const list = await get(auditorSession, `/v1/detections?state=open&principalId=${agent.id}`);
    assert.equal(list.statusCode, 200, list.body);
    const burst = list.json<{ detections: { id: string; ruleId: string }[] }>().detections.find((d) => d.ruleId === 'auth.failed-burst')!;
    assert.ok(burst);
    const post = async (who: TestSession, path: string, payload: object) => app.inject({ method: 'POST', url: path, payload, headers: await who.headers('POST', path) });
    assert.equal((await post(agentSession, `/v1/detections/${burst.id}/acknowledge`, {})).statusCode, 403);
    const ack = await post(auditorSession, `/v1/detections/${burst.id}/acknowledge`, {});
    assert.equal(ack.statusCode, 200, ack.body);
    assert.equal(ack.json<{ state: string; acknowledgedBy: string }>().acknowledgedBy, auditor.id);
    assert.equal((await post(auditorSession, `/v1/detections/${burst.id}/close`, {})).json<{ code: string }>().code, 'BAD_REQUEST');
    const closed = await post(auditorSession, `/v1/detections/${burst.id}/close`, { note: 'the agent forgot the new passkey PIN' });
    assert.equal(closed.json<{ state: string }>().state, 'closed');
    assert.equal((await post(auditorSession, `/v1/detections/${burst.id}/close`, { note: 'again' })).statusCode, 409);
    assert.equal((await get(auditorSession, `/v1/detections/${randomUUID()}`)).statusCode, 404);
  });
});
