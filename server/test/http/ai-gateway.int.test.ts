// The AI gateway's API through the real pipeline (R-AI-1, R-AI-3, R-AI-7): session and device proof,
// Cedar for ai.run and each input's action, the two-phase guard (intent audited, model outside the
// transaction, outcome linked), pseudonymised drafts, re-identification under ai.reidentify, and the
// fail-closed paths with faults injected.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { createLocalProvider, type PseudonymOptions, type Provider, type Vendor } from '../../src/modules/ai/index.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { problemCode } from '../support/problem.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const hcCall = demo.calls.find((c) => c.tenantId === riverside.id && c.phiScope === 'Healthcare-PHI' && c.patientId)!;
const patient = demo.patients.find((p) => p.id === hcCall.patientId)!;
const otherTenantCall = demo.calls.find((c) => c.tenantId !== riverside.id)!;

for (const { engine, skip } of ENGINES) {
  describe(`the AI gateway API on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let agent: TestSession;
    let viewer: TestSession;
    const sent: string[] = [];
    let vendor: Vendor = { name: 'local', provider: createLocalProvider(), baaActive: false, timeoutMs: 5000 };
    const redaction: PseudonymOptions = {};
    const spy = (answer: () => Promise<unknown>, baaActive = true): Vendor => {
      const provider: Provider = { kind: 'openai', model: 'spy-1', complete: async (r) => { sent.push(r.user); return { text: await answer() }; } };
      return { name: 'spy', provider, baaActive, timeoutMs: 2000 };
    };

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp({ ...t.deps, ai: { vendorFor: async () => vendor, redaction } } as typeof t.deps);
      agent = await signIn(t.deps, 'alex.agent@riverside.test');
      viewer = await signIn(t.deps, 'vera.viewer@riverside.test');
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    const post = async (who: TestSession, payload: unknown) =>
      app.inject({ method: 'POST', url: '/v1/ai/tasks', headers: await who.headers('POST', '/v1/ai/tasks'), payload: payload as object });
    const get = async (who: TestSession, path: string) => app.inject({ method: 'GET', url: path, headers: await who.headers('GET', path) });
    const sql = <R>(text: string, params: unknown[]) => t.deps.db.systemDb.query(text, params).then((r) => r.rows as R[]);

    test('a call summary by the built-in provider: pseudonymised draft, intent and outcome audited, re-identified under ai.reidentify', async () => {
      vendor = { name: 'local', provider: createLocalProvider(), baaActive: false, timeoutMs: 5000 };
      const res = await post(agent, { template: 'call-summary', target: { type: 'call', id: hcCall.id } });
      assert.equal(res.statusCode, 201, res.body);
      const task = res.json();
      assert.equal(task.state, 'ready');
      assert.equal(task.vendor, 'local');
      assert.equal(task.draft.view, 'pseudonymised');
      for (const v of [patient.familyName, patient.phone, patient.mrn]) assert.ok(!res.body.toLowerCase().includes(v.toLowerCase()), 'no patient field in the draft');

      const [row] = await sql<{ state: string; facts: { inputClasses: string[]; pseudonyms: Record<string, number> }; intent_state: string }>(
        'SELECT d.state, d.facts, i.state AS intent_state FROM ai_drafts d JOIN guard_intents i ON i.id = d.intent_id WHERE d.id = $1', [task.id]);
      assert.equal(row!.intent_state, 'succeeded');
      assert.deepEqual(row!.facts.inputClasses, ['call.direction', 'transcript.redacted']);
      const events = await sql<{ action: string; phase: string | null }>(
        "SELECT action, metadata->>'phase' AS phase FROM audit_events WHERE target_id = $1 AND action IN ('ai.run', 'transcript.readRedacted') ORDER BY occurred_at, id", [hcCall.id]);
      assert.deepEqual(events.map((e) => `${e.action}:${e.phase}`), ['transcript.readRedacted:ai-input', 'ai.run:intent', 'ai.run:outcome']);

      const draft = await get(agent, `/v1/ai/drafts/${task.id}`);
      assert.equal(draft.statusCode, 200, draft.body);
      assert.equal(draft.json().body, task.draft.body);
      const re = await get(agent, `/v1/ai/drafts/${task.id}/reidentified`);
      assert.equal(re.statusCode, 200, re.body);
      assert.equal(re.json().view, 'reidentified');
      assert.doesNotMatch(re.json().body, /\[PATIENT_\d+\]/);
    });

    test('a template whose inputs need transcript.read needs its step-up; a Viewer runs nothing; an unknown template is refused', async () => {
      await t.deps.db.systemDb.query("UPDATE sessions SET last_verified_at = now() - interval '1 hour' WHERE id = $1", [agent.sessionId]);
      const stale = await post(agent, { template: 'case-note-draft', target: { type: 'call', id: hcCall.id } });
      assert.equal(stale.statusCode, 403);
      assert.equal(problemCode(stale), 'STEP_UP_REQUIRED');
      await t.deps.db.systemDb.query('UPDATE sessions SET last_verified_at = now() WHERE id = $1', [agent.sessionId]);
      const fresh = await post(agent, { template: 'case-note-draft', target: { type: 'call', id: hcCall.id } });
      assert.equal(fresh.statusCode, 201, fresh.body);
      const v = await post(viewer, { template: 'call-summary', target: { type: 'call', id: hcCall.id } });
      assert.ok([403, 404].includes(v.statusCode), v.body);
      const unknown = await post(agent, { template: 'free-form', target: { type: 'call', id: hcCall.id } });
      assert.equal(problemCode(unknown), 'AI_TEMPLATE_UNKNOWN');
    });

    test('a template id is no oracle: an unknown id and a known one answer alike to a caller who may not run it there (R-AI-2, R-DATA-4)', async () => {
      const answer = async (who: TestSession, template: string, target: { type: string; id: string }) => {
        const res = await post(who, { template, target });
        return `${res.statusCode} ${problemCode(res)}`;
      };
      const targets = [
        { type: 'call', id: randomUUID() }, { type: 'call', id: otherTenantCall.id }, { type: 'patient', id: randomUUID() },
      ];
      for (const target of targets) {
        const unknown = await answer(agent, 'free-form', target);
        assert.match(unknown, /^404 NOT_FOUND$/, `${target.type}: the decision comes before the template`);
        assert.equal(await answer(agent, 'call-summary', target), unknown, `${target.type}: a known id answers as an unknown one`);
      }
      const viewerUnknown = await answer(viewer, 'free-form', { type: 'call', id: hcCall.id });
      assert.match(viewerUnknown, /^40[34] (?!AI_TEMPLATE_UNKNOWN)/);
      assert.equal(await answer(viewer, 'call-summary', { type: 'call', id: hcCall.id }), viewerUnknown);
      assert.equal(await answer(agent, 'free-form', { type: 'call', id: hcCall.id }), '404 AI_TEMPLATE_UNKNOWN', 'told to a caller who may run templates on the call');
    });

    test('fail closed: a redaction fault calls no model; a vendor fault gives the manual workflow; no BAA, no call (R-AI-7, R-AI-3)', async () => {
      sent.length = 0;
      vendor = spy(async () => 'A summary.');
      redaction.redactor = () => { throw new Error('engine fault'); };
      const r1 = await post(agent, { template: 'call-summary', target: { type: 'call', id: hcCall.id } });
      delete redaction.redactor;
      assert.equal(r1.statusCode, 201, r1.body);
      assert.equal(r1.json().state, 'fallback');
      assert.match(r1.json().draft.body, /Manual workflow/);
      assert.equal(sent.length, 0);

      vendor = spy(async () => { throw new Error('vendor down'); });
      const r2 = await post(agent, { template: 'call-summary', target: { type: 'call', id: hcCall.id } });
      assert.equal(r2.json().state, 'fallback');
      assert.equal(sent.length, 1);

      sent.length = 0;
      vendor = spy(async () => 'A summary.', false);
      const r3 = await post(agent, { template: 'call-summary', target: { type: 'call', id: hcCall.id } });
      assert.equal(r3.statusCode, 403);
      assert.equal(problemCode(r3), 'VENDOR_NOT_BAA');
      assert.equal(sent.length, 0);
      const [failed] = await sql<{ n: number }>("SELECT count(*)::int AS n FROM guard_intents WHERE action = 'ai.run' AND state = 'failed'", []);
      assert.ok(failed!.n >= 1);
    });

    test('a patient target: its calls listed under patient.view, each transcript under transcript.readRedacted, ai.run on the Patient; dates shifted per patient and moved back on re-identification', async () => {
      sent.length = 0;
      // The stand-in answers with the first date it was sent, so that re-identification has one to move back.
      const DATE = /\b\d{4}-\d{2}-\d{2}\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}\b/;
      vendor = spy(async () => `Open since ${DATE.exec(sent.at(-1) ?? '')?.[0] ?? 'no date'}. [PATIENT_1] to be called back.`);
      const wrong = await post(agent, { template: 'call-summary', target: { type: 'patient', id: patient.id } });
      assert.equal(wrong.statusCode, 400, 'a call template does not run on a patient');
      const res = await post(agent, { template: 'patient-calls-summary', target: { type: 'patient', id: patient.id } });
      assert.equal(res.statusCode, 201, res.body);
      const task = res.json();
      assert.equal(task.state, 'ready');
      assert.equal(task.target.type, 'patient');
      const calls = demo.calls.filter((c) => c.patientId === patient.id && c.phiScope === hcCall.phiScope);
      assert.equal(task.target.calls, Math.min(5, calls.length));
      assert.ok(calls.some((c) => c.id === task.draft.callId), 'the draft is filed on one of the patient\'s calls');
      assert.equal(sent.length, 1);
      const body = sent[0]!.toLowerCase();
      for (const v of [patient.familyName, patient.phone.slice(2), patient.mrn, patient.dateOfBirth]) assert.ok(!body.includes(v.toLowerCase()), 'no patient field reaches the vendor');
      const events = await sql<{ action: string; target_type: string; phase: string | null }>(
        "SELECT action, target_type, metadata->>'phase' AS phase FROM audit_events WHERE tenant_id = $1 AND (target_id = $2 OR metadata->>'aiTemplate' = 'patient-calls-summary') AND action IN ('patient.view', 'transcript.readRedacted', 'ai.run')", [riverside.id, patient.id]);
      assert.deepEqual(
        [...new Set(events.map((e) => `${e.action}:${e.target_type}:${e.phase}`))].sort(),
        // ai.run:Patient:null: the call template's refusal, decided on the patient before it was answered.
        ['ai.run:Patient:intent', 'ai.run:Patient:null', 'ai.run:Patient:outcome', 'patient.view:Patient:ai-input', 'transcript.readRedacted:Call:ai-input'],
      );
      assert.equal(events.filter((e) => e.action === 'transcript.readRedacted').length, task.target.calls);

      // The patient's calls (seed 1) say one date the shifter reads ("Month D" form, no year).
      const shifted = /Open since (.+)\. \[PATIENT_1\]/.exec(task.draft.body)?.[1];
      assert.ok(shifted && DATE.test(shifted), task.draft.body);
      const re = await get(agent, `/v1/ai/drafts/${task.id}/reidentified`);
      assert.equal(re.statusCode, 200, re.body);
      // Moved back (date-shift.test.ts), then masked: the default masks hide dates (dateOfBirth) in a
      // re-identified draft (policies/masks.json). Never the moved date.
      assert.ok(!re.json().body.includes(shifted), re.json().body);
      assert.match(re.json().body, /^Open since \[DATE\]\. /);
      // The same patient, the same offset: a second task sends the same moved dates.
      const again = await post(agent, { template: 'patient-calls-summary', target: { type: 'patient', id: patient.id } });
      assert.equal(again.statusCode, 201, again.body);
      assert.equal(sent[1], sent[0]);
      const viewerRes = await post(viewer, { template: 'patient-calls-summary', target: { type: 'patient', id: patient.id } });
      assert.ok([403, 404].includes(viewerRes.statusCode), viewerRes.body);
    });
  });
}
