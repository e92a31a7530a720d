// Exports as disclosures through the real pipeline — session and device proof, Cedar (export.create,
// step-up, justification, Part 2 purpose), the two-phase guard, row-level security, encryption, audit —
// on both engines (R-AUTHZ-3, R-AUTHZ-4, R-SESS-3, R-AUDIT-1; 45 CFR 164.528, 42 CFR 2.31, 2.32).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { serverContext } from '../../src/cli/main.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import { PART2_REDISCLOSURE_NOTICE } from '../../src/modules/disclosures/index.ts';
import { runWard } from '../support/cli.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { problemCode } from '../support/problem.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const patientOf = (scope: string) => demo.patients.find((p) => p.tenantId === riverside.id && p.phiScope === scope)!;
const hc = patientOf('Healthcare-PHI');
const sud = patientOf('SUD-Part2');
const call = demo.calls.find((c) => c.tenantId === riverside.id && c.phiScope === 'Healthcare-PHI' && c.patientId && c.patientId !== hc.id)!;
const RECIPIENT = 'Lakeview Recovery Center, intake';
const JUSTIFICATION = 'continuing care referral requested by the patient';

for (const { engine, skip } of ENGINES) {
  describe(`exports and the accounting of disclosures on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let maya: TestSession; // Manager, Healthcare-PHI
    let marcus: TestSession; // Manager, SUD-Part2
    let alex: TestSession; // Agent, Healthcare-PHI: no export.create

    before(async () => {
      t = await createTestDeps(engine);
      await seedDemo(t.deps.db.systemDb, demo, { cipher: t.deps.cipher });
      app = await buildApp(t.deps);
      maya = await signIn(t.deps, 'maya.manager@riverside.test');
      marcus = await signIn(t.deps, 'marcus.manager@riverside.test');
      alex = await signIn(t.deps, 'alex.agent@riverside.test');
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    const verified = (s: TestSession, when = 'now()') => t.deps.db.systemDb.query(`UPDATE sessions SET last_verified_at = ${when} WHERE id = $1`, [s.sessionId]);
    const exportOf = async (who: TestSession, id: string, body: Partial<{ recipient: string; purpose: string; type: string }> = {}) =>
      app.inject({
        method: 'POST', url: '/v1/exports', headers: await who.headers('POST', '/v1/exports'),
        payload: { target: { type: body.type ?? 'Patient', id }, recipient: body.recipient ?? RECIPIENT, purpose: body.purpose ?? 'TREAT', justification: JUSTIFICATION },
      });
    const download = async (who: TestSession, path: string) =>
      app.inject({ method: 'GET', url: path, headers: { ...(await who.headers('GET', path)), 'ward-purpose': 'TREAT', 'ward-justification': JUSTIFICATION } });
    const accounting = async (who: TestSession, patientId: string) => {
      const path = `/v1/patients/${patientId}/disclosures`;
      return app.inject({ method: 'GET', url: path, headers: { ...(await who.headers('GET', path)), 'ward-purpose': 'TREAT' } });
    };
    const ward = (argv: string[], stdin?: string) => runWard(argv, { env: t.env, ctx: serverContext(t.deps), stdin });
    const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    // The privacy office records the patient's signed consent (the recipient on stdin, never an argument).
    const consent = async (opts: { recipient?: string; purpose?: string; expires?: string }) => {
      const r = await ward(['part2-consent', 'record', '--tenant', 'riverside', '--patient', sud.id, '--purpose', opts.purpose ?? 'TREAT',
        '--expires', opts.expires ?? day(30), '--by', 'marcus.manager@riverside.test'], opts.recipient ?? RECIPIENT);
      assert.equal(r.code, 0, r.err);
      return /^consent (\S+) recorded/.exec(r.out)![1]!;
    };

    test('a role without export.create (Agent) is refused', async () => {
      await verified(alex);
      const res = await exportOf(alex, hc.id);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(problemCode(res), 'FORBIDDEN');
    });

    test('an export without a recent step-up is refused (R-SESS-3)', async () => {
      await verified(maya, "now() - interval '1 hour'");
      const res = await exportOf(maya, hc.id);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(problemCode(res), 'STEP_UP_REQUIRED');
    });

    test('an export is produced encrypted, its hash recorded, and downloads once by its session', async () => {
      await verified(maya);
      const res = await exportOf(maya, hc.id);
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json();
      assert.equal(created.part2, false);
      const { rows } = await t.deps.db.systemDb.query<{ content_enc: Buffer; content_sha256: Buffer }>('SELECT content_enc, content_sha256 FROM exports WHERE id = $1', [created.id]);
      assert.ok(!Buffer.from(rows[0]!.content_enc).toString('latin1').includes(hc.familyName), 'stored encrypted');
      assert.equal(Buffer.from(rows[0]!.content_sha256).toString('hex'), created.sha256);

      const other = await download(alex, created.download); // another session (and role)
      assert.notEqual(other.statusCode, 200);
      const first = await download(maya, created.download);
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(createHash('sha256').update(first.rawPayload).digest('hex'), created.sha256);
      const doc = JSON.parse(first.body);
      assert.equal(doc.patient.familyName, hc.familyName);
      assert.equal(doc.redisclosureNotice, undefined);
      const second = await download(maya, created.download);
      assert.equal(second.statusCode, 410);
      assert.equal(problemCode(second), 'EXPORT_UNAVAILABLE');
    });

    test('Part 2 data: refused without a consent, with one for another recipient, expired or revoked', async () => {
      await verified(marcus);
      const none = await exportOf(marcus, sud.id);
      assert.equal(problemCode(none), 'PART2_CONSENT_REQUIRED', none.body);
      await consent({ recipient: 'Some Other Clinic' });
      await consent({ purpose: 'HPAYMT' });
      assert.equal(problemCode(await exportOf(marcus, sud.id)), 'PART2_CONSENT_REQUIRED');
      // A consent that has since expired (recorded earlier; the command refuses a past expiry).
      const expired = await consent({ expires: day(2) });
      await t.deps.db.systemDb.query("UPDATE part2_consents SET expires_at = now() - interval '1 minute' WHERE id = $1", [expired]);
      assert.equal(problemCode(await exportOf(marcus, sud.id)), 'PART2_CONSENT_REQUIRED');
      const revoked = await consent({});
      const byAgent = await ward(['part2-consent', 'revoke', '--tenant', 'riverside', '--consent', revoked, '--by', 'alex.agent@riverside.test']);
      assert.match(byAgent.err, /FORBIDDEN/, 'an Agent attests no consent');
      const r = await ward(['part2-consent', 'revoke', '--tenant', 'riverside', '--consent', revoked, '--by', 'marcus.manager@riverside.test']);
      assert.equal(r.code, 0, r.err);
      assert.equal(problemCode(await exportOf(marcus, sud.id)), 'PART2_CONSENT_REQUIRED');
      const { rows } = await t.deps.db.systemDb.query<{ n: string }>(
        "SELECT count(*) AS n FROM audit_events WHERE action = 'export.create' AND target_id = $1 AND outcome = 'failure' AND 'PART2_CONSENT_REQUIRED' = ANY (reasons)", [sud.id]);
      assert.equal(Number(rows[0]!.n), 4, 'each refusal is in the audit trail');
    });

    test('Part 2 data with a matching consent: exported with the redisclosure notice (42 CFR 2.32)', async () => {
      await verified(marcus);
      const consentId = await consent({ recipient: '  lakeview recovery center  INTAKE ' });
      const res = await exportOf(marcus, sud.id);
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().part2, true);
      const doc = JSON.parse((await download(marcus, res.json().download)).body);
      assert.equal(doc.redisclosureNotice, PART2_REDISCLOSURE_NOTICE);
      const { rows } = await t.deps.db.systemDb.query<{ part2_consent_id: string }>('SELECT part2_consent_id FROM disclosures WHERE export_id = $1', [res.json().id]);
      assert.equal(rows[0]!.part2_consent_id, consentId);
    });

    test('the accounting lists exactly the disclosures made (45 CFR 164.528)', async () => {
      const sudAcc = await accounting(marcus, sud.id);
      assert.equal(sudAcc.statusCode, 200, sudAcc.body);
      assert.equal(sudAcc.json().disclosures.length, 1);
      const d = sudAcc.json().disclosures[0];
      assert.equal(d.recipient, RECIPIENT);
      assert.equal(d.purpose, 'TREAT');
      assert.match(d.description, /^patient record/);
      const hcAcc = await accounting(maya, hc.id);
      assert.equal(hcAcc.statusCode, 200, hcAcc.body);
      assert.equal(hcAcc.json().disclosures.length, 1, 'refused exports are no disclosures');
      const { rows } = await t.deps.db.systemDb.query<{ n: string }>("SELECT count(*) AS n FROM audit_events WHERE action = 'export.create' AND metadata->>'disclosure' = 'true'");
      assert.equal(Number(rows[0]!.n), 2, 'each disclosure has its outcome event (what a detection reads)');
      const cli = await ward(['disclosures', '--tenant', 'riverside', '--patient', sud.id]);
      assert.equal(cli.code, 0, cli.err);
      assert.match(cli.out, /^Accounting of disclosures for patient /);
      assert.match(cli.out, new RegExp(`TREAT +${RECIPIENT} \\(42 CFR Part 2, under consent `));
      assert.match(cli.out, /\n1 disclosures\n$/);
      console.log(cli.out); // the Must-show accounting of a demo patient
    });

    test("a call's transcript is exported too, and accounted to the call's patient", async () => {
      await verified(maya);
      const res = await exportOf(maya, call.id, { type: 'Transcript' });
      assert.equal(res.statusCode, 201, res.body);
      const doc = JSON.parse((await download(maya, res.json().download)).body);
      assert.deepEqual(doc.transcript.utterances.map((u: { text: string }) => u.text), call.transcript.utterances.map((u) => u.text));
      const acc = (await accounting(maya, call.patientId!)).json();
      assert.deepEqual(acc.disclosures.map((d: { exportId: string }) => d.exportId), [res.json().id]);
      assert.match(acc.disclosures[0].description, /^transcript of one call/);
    });
  });
}
