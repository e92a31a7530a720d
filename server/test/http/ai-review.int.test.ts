// AI output controls and the human review gate through the real pipeline (R-AI-4, R-AI-5, R-DATA-3):
// a pending draft cannot become a case note (in the application and in the database); a draft with a
// restricted category needs caseNote.writeRestricted and a step-up; an identifier the template did not
// send is flagged and masked; a re-identified draft is masked per the reader's decision; edits are
// measured and audited without their text; acceptance and edit ratio per template.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TenantId } from '@ward/contracts';
import { buildApp } from '../../src/app.ts';
import { assertReviewed, reviewMetrics, type Provider, type Vendor } from '../../src/modules/ai/index.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { writeCaseNote } from '../../src/modules/phi/index.ts';
import { ENGINES } from '../support/databases.ts';
import { boundedEngineSkip } from '../support/long.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { problemCode } from '../support/problem.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
// A call of a patient in Healthcare-PHI whose transcript carries a date (a date of birth, as callers verify).
const hcCalls = demo.calls.filter((c) => c.tenantId === riverside.id && c.phiScope === 'Healthcare-PHI' && c.patientId);
const patientOf = (id: string | null) => demo.patients.find((p) => p.id === id)!;

// The bounded run on PostgreSQL alone when it has one (support/long.ts); WARD_TEST_LONG=1 on both engines.
for (const { engine, skip: engineSkip } of ENGINES) {
  const skip = boundedEngineSkip(engine, engineSkip);
  describe(`the AI review gate on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let agent: TestSession;
    let manager: TestSession;
    let auditor: TestSession;
    // The stand-in model: answers with `answer(prompt)`, so a test can echo the surrogates it was sent.
    let answer: (prompt: string) => string = () => 'Reason: [PATIENT_1] asked to move an appointment.';
    const provider: Provider = { kind: 'openai', model: 'spy-1', complete: async (r) => ({ text: answer(r.user) }) };
    const vendor: Vendor = { name: 'spy', provider, baaActive: true, timeoutMs: 2000 };
    const call = hcCalls[0]!;

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp({ ...t.deps, ai: { vendorFor: async () => vendor } } as typeof t.deps);
      agent = await signIn(t.deps, 'alex.agent@riverside.test');
      manager = await signIn(t.deps, 'maya.manager@riverside.test');
      auditor = await signIn(t.deps, 'audrey.auditor@riverside.test');
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    const sql = <R>(text: string, params: unknown[]) => t.deps.db.systemDb.query(text, params).then((r) => r.rows as R[]);
    const post = async (who: TestSession, path: string, payload: object) => app.inject({ method: 'POST', url: path, headers: await who.headers('POST', path), payload });
    const get = async (who: TestSession, path: string) => app.inject({ method: 'GET', url: path, headers: await who.headers('GET', path) });
    const draft = async (template: string, callId = call.id): Promise<{ id: string; body: string; restrictedCategories: string[]; status: string }> => {
      const res = await post(agent, '/v1/ai/tasks', { template, target: { type: 'call', id: callId } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().draft;
    };
    const review = (who: TestSession, id: string, payload: object) => post(who, `/v1/ai/drafts/${id}/review`, payload);
    const fresh = (who: TestSession, ago = '0 seconds') => t.deps.db.systemDb.query(`UPDATE sessions SET last_verified_at = now() - $2::interval WHERE id = $1`, [who.sessionId, ago]);

    test('a pending draft cannot be written to a case; confirmed, it becomes one case note, once', async () => {
      await fresh(agent);
      answer = () => 'Reason: [PATIENT_1] asked to move an appointment.\nActions: rescheduled.';
      const d = await draft('case-note-draft');
      assert.equal(d.status, 'pending');
      assert.throws(() => assertReviewed(d as { status: 'pending' }), { code: 'AI_DRAFT_NOT_REVIEWED' });
      // The database refuses a note from a pending draft, whatever the application does.
      const scope = { tenantId: riverside.id, phiScopes: ['Healthcare-PHI'] as const, actorId: agent.memberId, actorKind: 'human' as const };
      await assert.rejects(t.deps.db.scoped({ ...scope, phiScopes: [...scope.phiScopes] }, (tx) => writeCaseNote(tx, t.deps.cipher, riverside.id as TenantId, {
        patientId: call.patientId!, callId: call.id, authorId: agent.memberId, body: 'from a pending draft', aiDraftId: d.id,
      })), /reviewed case-note draft/);
      const [{ n: before }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM case_notes WHERE ai_draft_id = $1', [d.id]) as [{ n: number }];
      assert.equal(before, 0);

      const ok = await review(agent, d.id, { decision: 'confirm' });
      assert.equal(ok.statusCode, 200, ok.body);
      const out = ok.json();
      assert.equal(out.status, 'confirmed');
      assert.equal(out.editChars, 0);
      assert.ok(out.caseNoteId);
      const notes = await get(agent, `/v1/patients/${call.patientId}/case-notes`);
      const note = notes.json().notes.find((n: { id: string }) => n.id === out.caseNoteId);
      assert.ok(note, 'the note is on the patient');
      assert.doesNotMatch(note.body, /\[PATIENT_1\]/, 'written re-identified');
      assert.match(note.body, /asked to move an appointment/);
      const again = await review(agent, d.id, { decision: 'reject' });
      assert.equal(again.statusCode, 409);
      assert.equal(problemCode(again), 'AI_DRAFT_ALREADY_REVIEWED');
      const [row] = await sql<{ status: string; case_note_id: string; reviewed_by: string }>('SELECT status, case_note_id, reviewed_by FROM ai_drafts WHERE id = $1', [d.id]);
      assert.deepEqual(row, { status: 'confirmed', case_note_id: out.caseNoteId, reviewed_by: agent.memberId });
    });

    test('a restricted-category draft needs caseNote.writeRestricted and a step-up; refused, it stays pending', async () => {
      await fresh(agent);
      answer = () => 'Details: [PATIENT_1] takes sertraline 50 mg for depression and asked for a refill.';
      const d = await draft('case-note-draft');
      assert.deepEqual(d.restrictedCategories, ['treatment', 'behavioral-health']);
      const byAgent = await review(agent, d.id, { decision: 'confirm' });
      assert.equal(byAgent.statusCode, 403, byAgent.body);
      assert.equal(problemCode(byAgent), 'FORBIDDEN');
      await fresh(manager, '1 hour');
      const stale = await review(manager, d.id, { decision: 'confirm' });
      assert.equal(problemCode(stale), 'STEP_UP_REQUIRED');
      const [pending] = await sql<{ status: string }>('SELECT status FROM ai_drafts WHERE id = $1', [d.id]);
      assert.equal(pending!.status, 'pending');
      await fresh(manager);
      const ok = await review(manager, d.id, { decision: 'confirm' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(ok.json().restrictedCategories, ['treatment', 'behavioral-health']);
      const events = await sql<{ action: string; decision: string; review: string | null }>(
        "SELECT action, decision, metadata->>'review' AS review FROM audit_events WHERE actor_id = $1 AND action IN ('ai.review', 'caseNote.write', 'caseNote.writeRestricted') ORDER BY occurred_at, id",
        [manager.memberId],
      );
      assert.deepEqual(events.map((e) => `${e.action}:${e.decision}:${e.review ?? '-'}`).slice(-3), ['ai.review:allow:-', 'caseNote.write:allow:-', 'caseNote.writeRestricted:allow:confirmed']);
      // An edit that takes the restricted content out needs no extra action.
      answer = () => 'Details: [PATIENT_1] has depression; started sertraline.';
      const e = await draft('case-note-draft');
      const edited = await review(agent, e.id, { decision: 'edit', body: 'Details: [PATIENT_1] asked for a callback about a refill.' });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.deepEqual(edited.json().restrictedCategories, []);
    });

    test('an identifier the template did not send is flagged and masked, in the draft, its facts and its audit row', async () => {
      await fresh(agent);
      answer = () => 'Reason: call [PATIENT_1] back at 971-555-0199 or [PHONE_9].';
      const d = await draft('case-note-draft');
      assert.doesNotMatch(d.body, /971|PHONE_9/);
      assert.match(d.body, /\[PHONE\]/);
      const [row] = await sql<{ facts: Record<string, unknown> }>('SELECT facts FROM ai_drafts WHERE id = $1', [d.id]);
      assert.equal(row!.facts.outputFlagged, true);
      assert.equal(row!.facts.outputInvented, 1);
      assert.deepEqual(row!.facts.outputUnsent, { PHONE: 1 });
      const [audit] = await sql<{ flagged: string }>("SELECT metadata->>'flagged' AS flagged FROM audit_events WHERE action = 'ai.run' AND metadata->>'phase' = 'outcome' ORDER BY occurred_at DESC LIMIT 1", []);
      assert.equal(audit!.flagged, 'true');
    });

    test('rendering by role: an Auditor reads surrogates only; an Agent reads the draft re-identified with dates masked', async () => {
      await fresh(agent);
      // Echo every surrogate the model was sent, so that the draft holds the call's identifiers.
      answer = (prompt) => `Summary: ${[...new Set(prompt.match(/\[[A-Z_]+_\d+\]/g) ?? [])].join(' ')}.`;
      const withDate = hcCalls.find((c) => patientOf(c.patientId).dateOfBirth) ?? call;
      const d = await draft('call-summary', withDate.id);
      const surrogates = d.body.match(/\[[A-Z_]+_\d+\]/g) ?? [];
      assert.ok(surrogates.length > 0, d.body);
      const audited = await get(auditor, `/v1/ai/drafts/${d.id}`);
      assert.equal(audited.statusCode, 200, audited.body);
      assert.equal(audited.json().body, d.body);
      const refused = await get(auditor, `/v1/ai/drafts/${d.id}/reidentified`);
      assert.equal(refused.statusCode, 403);
      const re = await get(agent, `/v1/ai/drafts/${d.id}/reidentified`);
      assert.equal(re.statusCode, 200, re.body);
      assert.doesNotMatch(re.json().body, /\[PATIENT_\d+\]/);
      const dob = patientOf(withDate.patientId).dateOfBirth;
      const [y, m, day] = dob.split('-');
      for (const form of [dob, `${Number(m)}/${Number(day)}/${y}`]) assert.ok(!re.json().body.includes(form), `date of birth masked (${form})`);
      assert.ok(d.body.includes('[DATE_'), 'the call carries a date');
      assert.match(re.json().body, /\[DATE\]/);
    });

    test('edits are measured and audited without their text; a reject writes nothing; acceptance and edit ratio per template', async () => {
      await fresh(agent);
      answer = () => 'Suggested reply: Hi [PATIENT_1], your visit is confirmed.';
      const a = await draft('suggested-reply');
      const text = 'Hi [PATIENT_1], your visit on Friday is confirmed. Reply STOP to opt out.';
      const edited = await review(agent, a.id, { decision: 'edit', body: text });
      assert.equal(edited.statusCode, 200, edited.body);
      const out = edited.json();
      assert.equal(out.status, 'edited');
      assert.equal(out.caseNoteId, null);
      assert.ok(out.editChars > 10 && out.editRatio > 0.2, JSON.stringify(out));
      const [audit] = await sql<{ metadata: Record<string, unknown> }>("SELECT metadata FROM audit_events WHERE action = 'ai.review' AND target_id = $1", [a.id]);
      assert.equal(audit!.metadata.review, 'edited');
      assert.equal(audit!.metadata.editChars, out.editChars);
      assert.ok(!JSON.stringify(audit!.metadata).includes('opt out'), 'the edit\'s text is not audited');
      const b = await draft('suggested-reply');
      const rejected = await review(agent, b.id, { decision: 'reject' });
      assert.equal(rejected.json().status, 'rejected');
      const c = await draft('suggested-reply');
      assert.equal((await review(agent, c.id, { decision: 'confirm' })).json().status, 'confirmed');
      const bad = await review(agent, (await draft('suggested-reply')).id, { decision: 'confirm', body: 'x' });
      assert.equal(problemCode(bad), 'BAD_REQUEST');

      const metrics = await reviewMetrics(t.deps.db.systemDb, riverside.id as TenantId);
      const reply = metrics.find((m) => m.templateId === 'suggested-reply')!;
      assert.deepEqual({ edited: reply.edited, rejected: reply.rejected, confirmed: reply.confirmed, pending: reply.pending }, { edited: 1, rejected: 1, confirmed: 1, pending: 1 });
      assert.equal(reply.acceptanceRate, 0.667);
      assert.equal(reply.meanEditRatio, Math.round((out.editRatio / 2) * 1000) / 1000);
    });
  });
}
