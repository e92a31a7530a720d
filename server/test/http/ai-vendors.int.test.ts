// AI vendors and their BAAs (R-AI-3, R-AUTHZ-5) through the real pipeline: `ward ai vendor add|use`,
// the second person's approval over HTTP (policy.manage, step-up; never the attester, never the
// operator), a stand-in OpenAI-compatible vendor on loopback reached through the egress policy, and
// fail closed: a pending, reopened or absent BAA means the vendor receives nothing for a PHI template.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { approveVendorBaa } from '../../src/modules/ai/index.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { ENGINES } from '../support/databases.ts';
import { boundedEngineSkip } from '../support/long.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { runCli } from '../support/oauth-client.ts';
import { startOpenAiStandIn, type StandIn } from '../support/openai-stand-in.ts';
import { problemCode } from '../support/problem.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const call = demo.calls.find((c) => c.tenantId === riverside.id && c.phiScope === 'Healthcare-PHI' && c.patientId)!;
const patient = demo.patients.find((p) => p.id === call.patientId)!;
const SHA = 'a'.repeat(64);

// The bounded run on PostgreSQL alone when it has one (support/long.ts); WARD_TEST_LONG=1 on both engines.
for (const { engine, skip: engineSkip } of ENGINES) {
  const skip = boundedEngineSkip(engine, engineSkip);
  describe(`AI vendors and BAAs on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let vendor: StandIn;
    let baseUrl = '';
    let bodies: string[] = [];
    let agent: TestSession;
    let admin: TestSession;
    let owner: TestSession;

    before(async () => {
      vendor = await startOpenAiStandIn((body) => (body.includes('queue this call belongs to') ? 'scheduling' : '[PATIENT_1] called about an appointment.'));
      ({ baseUrl, bodies } = vendor);
      t = await createTestDeps(engine, { env: { WARD_EGRESS_ALLOW: '127.0.0.1' }, demo: demo.seed });
      app = await buildApp(t.deps);
      agent = await signIn(t.deps, 'alex.agent@riverside.test');
      admin = await signIn(t.deps, 'adrian.admin@riverside.test');
      owner = await signIn(t.deps, 'olivia.owner@riverside.test');
    });
    after(async () => {
      await app?.close();
      await t?.close();
      await vendor?.close();
    });

    const post = async (who: TestSession, url: string, payload?: unknown) =>
      app.inject({ method: 'POST', url, headers: await who.headers('POST', url), ...(payload ? { payload: payload as object } : {}) });
    const task = (template: string) => post(agent, '/v1/ai/tasks', { template, target: { type: 'call', id: call.id } });
    const add = (model: string, extra: string[] = []) => runCli(t, ['ai', 'vendor', 'add', '--tenant', 'riverside', '--name', 'stand-in', '--base-url', baseUrl, '--model', model, ...extra], 'sk-stand-in\n');
    const baa = ['--baa-sha256', SHA, '--baa-effective', '2026-01-01', '--baa-expires', '2099-12-31', '--attested-by', 'adrian.admin@riverside.test'];

    test('the built-in local provider is the default; a vendor whose BAA awaits approval receives nothing for a PHI template', async () => {
      assert.equal((await task('call-summary')).json().vendor, 'local');
      const added = await add('summariser', baa);
      assert.equal(added.code, 0, added.err);
      assert.match(added.out, /pending/);
      const used = await runCli(t, ['ai', 'vendor', 'use', '--tenant', 'riverside', '--purpose', 'all', '--vendor', 'stand-in', '--by', 'olivia.owner@riverside.test']);
      assert.equal(used.code, 0, used.err);
      const refused = await task('call-summary');
      assert.equal(refused.statusCode, 403, refused.body);
      assert.equal(problemCode(refused), 'VENDOR_NOT_BAA');
      assert.equal(bodies.length, 0, 'the vendor received nothing');
      const [failed] = (await t.deps.db.systemDb.query<{ n: number }>("SELECT count(*)::int AS n FROM guard_intents WHERE action = 'ai.run' AND state = 'failed'")).rows;
      assert.ok(failed!.n >= 1, 'the refusal is the intent\'s recorded outcome');
      const preview = await runCli(t, ['ai', 'preview', '--tenant', 'riverside', '--template', 'call-summary', '--call', call.id]);
      assert.equal(preview.code, 0, preview.err);
      assert.deepEqual(JSON.parse(preview.out), { callId: call.id, template: 'call-summary@1', vendor: 'stand-in', model: 'summariser', refused: 'VENDOR_NOT_BAA' });
      // A template that allows it runs on fully de-identified input.
      const routed = await task('routing-category');
      assert.equal(routed.statusCode, 201, routed.body);
      assert.equal(bodies.length, 1);
      assert.doesNotMatch(bodies[0]!, /\[[A-Z_]+_\d+\]/);
      bodies.length = 0;
    });

    test('the BAA is approved by a second Owner or Admin through their own session; never the attester, an Agent or the operator', async () => {
      const self = await post(admin, '/v1/ai/vendors/stand-in/baa/approve');
      assert.equal(self.statusCode, 403);
      assert.equal(problemCode(self), 'VENDOR_SELF_APPROVAL');
      assert.equal((await post(agent, '/v1/ai/vendors/stand-in/baa/approve')).statusCode, 403);
      await assert.rejects(
        t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorKind: 'system', actorId: 'system:cli' }, (tx) => approveVendorBaa(tx, riverside.id, 'stand-in', new Date())),
        { code: 'FORBIDDEN' });
      const approved = await post(owner, '/v1/ai/vendors/stand-in/baa/approve');
      assert.equal(approved.statusCode, 200, approved.body);
      const adminId = (await t.deps.db.systemDb.query<{ id: string }>("SELECT id FROM members WHERE email = 'adrian.admin@riverside.test'")).rows[0]!.id;
      const ownerId = (await t.deps.db.systemDb.query<{ id: string }>("SELECT id FROM members WHERE email = 'olivia.owner@riverside.test'")).rows[0]!.id;
      const expected = {
        name: 'stand-in', baseUrl, model: 'summariser', timeoutMs: 20000, baaState: 'active', baaEffective: '2026-01-01', baaExpires: '2099-12-31',
        baaAttestedBy: adminId, baaApprovedBy: ownerId, activeFor: ['call-summary', 'case-note-draft', 'routing-category', 'suggested-reply'],
      };
      assert.deepEqual(approved.json(), expected);
      // GET /v1/ai/vendors: the same view, for Owners and Admins only (policy.manage), never the key.
      const listed = await app.inject({ method: 'GET', url: '/v1/ai/vendors', headers: await admin.headers('GET', '/v1/ai/vendors') });
      assert.equal(listed.statusCode, 200, listed.body);
      assert.deepEqual(listed.json(), { vendors: [expected], localFor: [] });
      assert.doesNotMatch(listed.body, /sk-stand-in/);
      assert.equal((await app.inject({ method: 'GET', url: '/v1/ai/vendors', headers: await agent.headers('GET', '/v1/ai/vendors') })).statusCode, 403);
      const again = await post(owner, '/v1/ai/vendors/stand-in/baa/approve');
      assert.equal(problemCode(again), 'CONFLICT');

      const ran = await task('call-summary');
      assert.equal(ran.statusCode, 201, ran.body);
      assert.equal(ran.json().vendor, 'stand-in');
      assert.equal(ran.json().state, 'ready');
      assert.equal(bodies.length, 1);
      const sent = bodies[0]!.toLowerCase();
      for (const v of [patient.familyName, patient.phone.slice(2), patient.mrn, patient.dateOfBirth]) assert.ok(!sent.includes(v.toLowerCase()), 'no patient field reaches the vendor');
      assert.doesNotMatch(bodies[0]!, /sk-stand-in/, 'the key is a header, never the body');
      // `ward ai preview` prints exactly what the vendor received.
      const preview = await runCli(t, ['ai', 'preview', '--tenant', 'riverside', '--template', 'call-summary', '--call', call.id]);
      assert.equal(preview.code, 0, preview.err);
      assert.deepEqual(JSON.parse(preview.out).messages, (JSON.parse(bodies[0]!) as { messages: unknown }).messages);
      const all = await runCli(t, ['ai', 'preview', '--tenant', 'riverside', '--template', 'routing-category', '--all']);
      const calls = demo.calls.filter((c) => c.tenantId === riverside.id).length;
      assert.equal(all.out.trim().split('\n').length, calls, 'one JSON line per call');
      const list = await runCli(t, ['ai', 'vendor', 'list', '--tenant', 'riverside']);
      assert.doesNotMatch(list.out, /sk-stand-in/);
      assert.equal(JSON.parse(list.out.trim()).baa, 'active');
    });

    test('a new model reopens approval; local is made active again', async () => {
      bodies.length = 0;
      assert.equal((await add('summariser-2', baa)).code, 0);
      assert.equal(problemCode(await task('call-summary')), 'VENDOR_NOT_BAA');
      assert.equal(bodies.length, 0);
      const [row] = (await t.deps.db.systemDb.query<{ key_wrapped: Buffer }>("SELECT key_wrapped FROM ai_vendors WHERE name = 'stand-in'")).rows;
      assert.ok(!Buffer.from(row!.key_wrapped).toString('latin1').includes('sk-stand-in'), 'the API key is stored wrapped');
      assert.equal((await runCli(t, ['ai', 'vendor', 'use', '--tenant', 'riverside', '--purpose', 'call-summary', '--vendor', 'local', '--by', 'olivia.owner@riverside.test'])).code, 0);
      assert.equal((await task('call-summary')).json().vendor, 'local');
      const bad = await runCli(t, ['ai', 'vendor', 'use', '--tenant', 'riverside', '--purpose', 'call-summary', '--vendor', 'nobody', '--by', 'olivia.owner@riverside.test']);
      assert.notEqual(bad.code, 0);
      const agentBy = await runCli(t, ['ai', 'vendor', 'use', '--tenant', 'riverside', '--purpose', 'call-summary', '--vendor', 'stand-in', '--by', 'alex.agent@riverside.test']);
      assert.notEqual(agentBy.code, 0, 'only an Owner or Admin decides the active vendor');
    });
  });
}
