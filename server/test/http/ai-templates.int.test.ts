// Tenant AI templates with two-person approval (R-AI-2, R-AUTHZ-5) through the real pipeline: one
// Owner or Admin proposes a version over HTTP (policy.manage), a second one approves it; the gateway
// runs only approved versions, never a proposed, rejected or retired one; the proposer cannot approve
// (database); retiring takes two people too, and its history is kept.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { loadTemplates } from '../../src/modules/ai/index.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { ENGINES } from '../support/databases.ts';
import { boundedEngineSkip } from '../support/long.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { runCli } from '../support/oauth-client.ts';
import { problemCode } from '../support/problem.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const call = demo.calls.find((c) => c.tenantId === riverside.id && c.phiScope === 'Healthcare-PHI' && c.patientId)!;
const summary = loadTemplates().get('call-summary')!;

// The bounded run on PostgreSQL alone when it has one (support/long.ts); WARD_TEST_LONG=1 on both engines.
for (const { engine, skip: engineSkip } of ENGINES) {
  const skip = boundedEngineSkip(engine, engineSkip);
  describe(`tenant AI templates on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let agent: TestSession;
    let admin: TestSession;
    let owner: TestSession;

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp(t.deps);
      agent = await signIn(t.deps, 'alex.agent@riverside.test');
      admin = await signIn(t.deps, 'adrian.admin@riverside.test');
      owner = await signIn(t.deps, 'olivia.owner@riverside.test');
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    const post = async (who: TestSession, url: string, payload?: unknown) =>
      app.inject({ method: 'POST', url, headers: await who.headers('POST', url), ...(payload ? { payload: payload as object } : {}) });
    const task = (template: string) => post(agent, '/v1/ai/tasks', { template, target: { type: 'call', id: call.id } });
    const list = async (who: TestSession) => app.inject({ method: 'GET', url: '/v1/ai/templates', headers: await who.headers('GET', '/v1/ai/templates') });

    test('a proposed version never runs; its proposer cannot approve it; a second Owner or Admin can, and then it runs', async () => {
      const proposed = await post(admin, '/v1/ai/templates', { template: { ...summary, instructions: 'Summarise the call in three sentences. Keep placeholders as written.' } });
      assert.equal(proposed.statusCode, 201, proposed.body);
      assert.deepEqual(proposed.json(), { id: 'call-summary', version: 2, state: 'proposed' });
      const before = await task('call-summary');
      assert.equal(before.statusCode, 201, before.body);
      assert.equal(before.json().templateVersion, 1, 'the default still runs');

      const self = await post(admin, '/v1/ai/templates/call-summary/2/approve');
      assert.equal(self.statusCode, 403);
      assert.equal(problemCode(self), 'AI_TEMPLATE_SELF_APPROVAL');
      assert.equal((await post(agent, '/v1/ai/templates/call-summary/2/approve')).statusCode, 403, 'an Agent decides nothing');
      assert.equal((await list(agent)).statusCode, 403);

      const approved = await post(owner, '/v1/ai/templates/call-summary/2/approve');
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().state, 'active');
      assert.equal(problemCode(await post(owner, '/v1/ai/templates/call-summary/2/approve')), 'CONFLICT');
      const afterwards = await task('call-summary');
      assert.equal(afterwards.json().templateVersion, 2, 'the approved version runs in place of the default');

      const listed = await list(admin);
      assert.equal(listed.statusCode, 200, listed.body);
      const rows = listed.json().templates as Array<{ id: string; version: number; state: string; runs: boolean }>;
      assert.deepEqual(rows.filter((r) => r.id === 'call-summary').map((r) => `${r.version}:${r.state}:${r.runs}`), ['1:default:false', '2:active:true']);
    });

    test('a new template id runs only once approved; a rejected one never; an invalid body is refused', async () => {
      const body = { ...summary, id: 'billing-summary', purpose: 'call-summary', instructions: 'Summarise the billing question of the call.' };
      const proposed = await post(owner, '/v1/ai/templates', { template: body });
      assert.equal(proposed.statusCode, 201, proposed.body);
      assert.equal(proposed.json().version, 1);
      assert.equal(problemCode(await task('billing-summary')), 'AI_TEMPLATE_UNKNOWN');
      const rejected = await post(admin, '/v1/ai/templates/billing-summary/1/reject');
      assert.equal(rejected.json().state, 'rejected');
      assert.equal(problemCode(await task('billing-summary')), 'AI_TEMPLATE_UNKNOWN');
      assert.equal((await post(owner, '/v1/ai/templates', { template: body })).json().version, 2);
      assert.equal((await post(admin, '/v1/ai/templates/billing-summary/2/approve')).statusCode, 200);
      const ran = await task('billing-summary');
      assert.equal(ran.statusCode, 201, ran.body);
      assert.equal(ran.json().template, 'billing-summary');

      const invalid = await post(admin, '/v1/ai/templates', { template: { ...summary, inputs: ['patient.ssn'] } });
      assert.equal(invalid.statusCode, 400);
      assert.equal(problemCode(invalid), 'AI_TEMPLATE_INVALID');
      // The database refuses a proposal outside a person's verified scope (the operator proposes nothing).
      await assert.rejects(
        t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorKind: 'system', actorId: 'system:cli' }, (tx) =>
          tx.query("SELECT ward_ai_template_propose('x-y', 1, $1::jsonb, now())", [JSON.stringify({ ...summary, id: 'x-y' })])),
        (e: { code?: string }) => e.code === 'WD001');
    });

    test('retiring takes two people: asked by one, approved by another; a retired version never runs again and its history stays (R-AI-2, R-AUTHZ-5)', async () => {
      const body = { ...summary, id: 'intake-summary', purpose: 'call-summary', instructions: 'Summarise the intake call.' };
      assert.equal((await post(owner, '/v1/ai/templates', { template: body })).statusCode, 201);
      assert.equal((await post(admin, '/v1/ai/templates/intake-summary/1/approve')).statusCode, 200);
      assert.equal((await task('intake-summary')).statusCode, 201, 'the approved version runs');

      // Only an active version is retired; an Agent asks nothing; the asker cannot approve.
      assert.equal(problemCode(await post(admin, '/v1/ai/templates/billing-summary/1/retire')), 'CONFLICT', 'a rejected version is not active');
      assert.equal((await post(agent, '/v1/ai/templates/intake-summary/1/retire')).statusCode, 403);
      const asked = await post(admin, '/v1/ai/templates/intake-summary/1/retire');
      assert.equal(asked.statusCode, 200, asked.body);
      assert.equal(asked.json().state, 'active');
      assert.equal(asked.json().retirement.outcome, null);
      assert.equal((await task('intake-summary')).statusCode, 201, 'an asked retirement changes nothing until approved');
      assert.equal(problemCode(await post(owner, '/v1/ai/templates/intake-summary/1/retire')), 'CONFLICT', 'one open request per version');
      const self = await post(admin, '/v1/ai/templates/intake-summary/1/retire/approve');
      assert.equal(self.statusCode, 403);
      assert.equal(problemCode(self), 'AI_TEMPLATE_SELF_APPROVAL');

      // A second person rejects: it keeps running; asked again and approved by a second person: retired.
      const rejected = await post(owner, '/v1/ai/templates/intake-summary/1/retire/reject');
      assert.equal(rejected.statusCode, 200, rejected.body);
      assert.deepEqual([rejected.json().state, rejected.json().retirement.outcome], ['active', 'rejected']);
      assert.equal(problemCode(await post(owner, '/v1/ai/templates/intake-summary/1/retire/approve')), 'NOT_FOUND', 'nothing open to decide');
      assert.equal((await post(owner, '/v1/ai/templates/intake-summary/1/retire')).statusCode, 200);
      const retired = await post(admin, '/v1/ai/templates/intake-summary/1/retire/approve');
      assert.equal(retired.statusCode, 200, retired.body);
      assert.equal(retired.json().state, 'retired');
      assert.equal(retired.json().runs, false);
      assert.equal(retired.json().retirement.outcome, 'approved');
      assert.notEqual(retired.json().retirement.requestedBy, retired.json().retirement.decidedBy);
      assert.equal(problemCode(await task('intake-summary')), 'AI_TEMPLATE_UNKNOWN', 'a retired template cannot run');
      assert.equal(problemCode(await post(owner, '/v1/ai/templates/intake-summary/1/approve')), 'CONFLICT', 'a retired version is not approved again');

      // History kept: the version and both requests stay; the list shows it retired.
      const rows = (await list(owner)).json().templates as Array<{ id: string; version: number; state: string; runs: boolean }>;
      assert.deepEqual(rows.filter((r) => r.id === 'intake-summary').map((r) => `${r.version}:${r.state}:${r.runs}`), ['1:retired:false']);
      const { rows: history } = await t.deps.db.systemDb.query<{ outcome: string }>(
        "SELECT outcome FROM ai_template_retirements WHERE tenant_id = $1 AND template_id = 'intake-summary' ORDER BY requested_at", [riverside.id]);
      assert.deepEqual(history.map((h) => h.outcome), ['rejected', 'approved']);

      // The database refuses the operator (no person in the scope), whatever the application does.
      await assert.rejects(
        t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorKind: 'system', actorId: 'system:cli' }, (tx) =>
          tx.query("SELECT ward_ai_template_retire_request('call-summary', 2, now())")),
        (e: { code?: string }) => e.code === 'WD001');

      // Retiring a tenant version of a default's id gives the default back.
      assert.equal((await post(owner, '/v1/ai/templates/call-summary/2/retire')).statusCode, 200);
      assert.equal((await post(admin, '/v1/ai/templates/call-summary/2/retire/approve')).json().state, 'retired');
      const back = await task('call-summary');
      assert.equal(back.statusCode, 201, back.body);
      assert.equal(back.json().templateVersion, 1, 'the default runs again');
    });

    test('ward ai templates list: the defaults; with --tenant, every version of the tenant and which run', async () => {
      const plain = await runCli(t, ['ai', 'templates', 'list']);
      assert.equal(plain.code, 0, plain.err);
      const defaults = plain.out.trim().split('\n').map((l) => JSON.parse(l) as { id: string; actions: string[] });
      assert.deepEqual(defaults.map((d) => d.id).sort(), [...loadTemplates().keys()].sort());
      assert.deepEqual(defaults.find((d) => d.id === 'case-note-draft')!.actions, ['ai.run', 'transcript.read']);

      const listed = await runCli(t, ['ai', 'templates', 'list', '--tenant', 'riverside']);
      assert.equal(listed.code, 0, listed.err);
      const rows = listed.out.trim().split('\n').map((l) => JSON.parse(l) as { id: string; version: number; state: string; runs: boolean; proposedBy: string | null; decidedBy: string | null });
      const states = (id: string) => rows.filter((r) => r.id === id).map((r) => `${r.version}:${r.state}:${r.runs}`);
      assert.deepEqual(states('call-summary'), ['1:default:true', '2:retired:false'], 'the retired tenant version gave the default back');
      assert.deepEqual(states('intake-summary'), ['1:retired:false']);
      assert.deepEqual(states('billing-summary'), ['1:rejected:false', '2:active:true']);
      assert.deepEqual(states('suggested-reply'), ['1:default:true']);
      const approved = rows.find((r) => r.id === 'call-summary' && r.version === 2)! as (typeof rows)[number] & { retirement: { requestedBy: string; decidedBy: string; outcome: string } };
      assert.ok(approved.proposedBy && approved.decidedBy && approved.proposedBy !== approved.decidedBy, 'two people');
      assert.equal(approved.retirement.outcome, 'approved');
      assert.notEqual(approved.retirement.requestedBy, approved.retirement.decidedBy, 'two people retire it too');
      const unknown = await runCli(t, ['ai', 'templates', 'list', '--tenant', 'no-such-tenant']);
      assert.notEqual(unknown.code, 0);
    });
  });
}
