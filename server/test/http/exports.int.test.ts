// Exports as disclosures through the real pipeline — session and device proof, Cedar (export.create,
// step-up, justification, Part 2 purpose), the two-phase guard, row-level security, encryption, audit —
// on both engines (R-AUTHZ-3, R-AUTHZ-4, R-SESS-3, R-AUDIT-1; 45 CFR 164.528, 42 CFR 2.31, 2.32).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { PhiScope } from '@ward/contracts';
import { buildApp } from '../../src/app.ts';
import { serverContext } from '../../src/cli/main.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { PART2_REDISCLOSURE_NOTICE, PART2_REDISCLOSURE_NOTICE_HEADER } from '../../src/modules/disclosures/index.ts';
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
const recorded = demo.calls.find((c) => c.tenantId === riverside.id && c.phiScope === 'Healthcare-PHI' && c.patientId && c.recording)!;
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
      t = await createTestDeps(engine, { demo: demo.seed });
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
      assert.equal(first.headers['ward-disclosure'], 'phi');
      assert.equal(first.headers['ward-redisclosure-notice'], undefined);
      assert.equal(first.headers['cache-control'], 'no-store');
      assert.equal(first.headers['x-content-type-options'], 'nosniff');
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
      const got = await download(marcus, res.json().download);
      assert.equal(got.statusCode, 200, got.body);
      const doc = JSON.parse(got.body);
      assert.equal(doc.redisclosureNotice, PART2_REDISCLOSURE_NOTICE);
      // The download re-sends the notice with the data (42 CFR 2.32), in a header of its own too.
      assert.equal(got.headers['ward-disclosure'], 'part2');
      assert.equal(got.headers['ward-redisclosure-notice'], PART2_REDISCLOSURE_NOTICE_HEADER);
      assert.match(String(got.headers['ward-redisclosure-notice']), /^This information has been disclosed to you from records protected by Federal confidentiality rules \(42 CFR part 2\)/);
      assert.equal(got.headers['ward-content-sha256'], res.json().sha256);
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
      assert.ok(d.downloadedAt, 'downloaded: the data left Ward');
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

    test('Part 2 data: a consent revoked between the export and its download stops the download', async () => {
      await verified(marcus);
      const consentId = await consent({ recipient: 'Harbor Health Clinic' });
      const res = await exportOf(marcus, sud.id, { recipient: 'Harbor Health Clinic' });
      assert.equal(res.statusCode, 201, res.body);
      const r = await ward(['part2-consent', 'revoke', '--tenant', 'riverside', '--consent', consentId, '--by', 'marcus.manager@riverside.test']);
      assert.equal(r.code, 0, r.err);
      const late = await download(marcus, res.json().download);
      assert.equal(late.statusCode, 403, late.body);
      assert.equal(problemCode(late), 'PART2_CONSENT_REQUIRED');
      assert.ok(!late.body.includes(sud.familyName));
      const { rows } = await t.deps.db.systemDb.query<{ downloaded_at: Date | null }>('SELECT downloaded_at FROM exports WHERE id = $1', [res.json().id]);
      assert.equal(rows[0]!.downloaded_at, null, 'nothing left');
      // The accounting still lists the export, marked as never downloaded.
      const acc = (await accounting(marcus, sud.id)).json();
      assert.equal(acc.disclosures.find((x: { exportId: string }) => x.exportId === res.json().id).downloadedAt, null);
      const cli = await ward(['disclosures', '--tenant', 'riverside', '--patient', sud.id]);
      assert.match(cli.out, /\(never downloaded: nothing left Ward\)/);
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

    test('exports raise detections once sealed (R-MON-1): every disclosure, and Part 2 ones by their own rule', async () => {
      for (;;) if ((await t.deps.auditSealer.sealOnce()).sealed === 0) break; // the detector runs after each pass
      const { rows } = await t.deps.db.systemDb.query<{ rule_id: string; principal_id: string; event_seqs: string[] }>(
        "SELECT rule_id, principal_id, event_seqs FROM detections WHERE tenant_id = $1 AND rule_id LIKE 'data.export%' ORDER BY rule_id, principal_id", [riverside.id]);
      const { rows: outcomes } = await t.deps.db.systemDb.query<{ seq: string; actor_id: string; part2: string }>(
        "SELECT s.seq, e.actor_id, e.metadata->>'part2' AS part2 FROM audit_events e JOIN audit_seals s ON s.event_id = e.id WHERE e.tenant_id = $1 AND e.action = 'export.create' AND e.metadata->>'disclosure' = 'true' ORDER BY s.seq", [riverside.id]);
      assert.equal(outcomes.length, 4, 'four exports made');
      const byRule = (rule: string, who: TestSession) => rows.filter((r) => r.rule_id === rule && r.principal_id === who.memberId);
      // Every disclosure's outcome event is in a data.export detection of its principal.
      for (const o of outcomes) {
        const who = o.actor_id === maya.memberId ? maya : marcus;
        assert.ok(byRule('data.export', who).some((d) => d.event_seqs.map(String).includes(String(o.seq))), `export event ${o.seq} detected`);
      }
      const part2Seqs = outcomes.filter((o) => o.part2 === 'true').map((o) => String(o.seq));
      assert.equal(part2Seqs.length, 2);
      assert.deepEqual(byRule('data.export-part2', marcus).flatMap((d) => d.event_seqs.map(String)).sort(), part2Seqs.sort());
      assert.equal(byRule('data.export-part2', maya).length, 0, 'no Part 2 detection for Healthcare-PHI exports');
      assert.equal(rows.filter((r) => r.rule_id === 'data.export-burst').length, 0, 'four exports by two people are no burst');
    });

    test("a call's recording is exported whole, and accounted to the call's patient", async () => {
      await verified(maya);
      const res = await exportOf(maya, recorded.recording!.id, { type: 'Recording' });
      assert.equal(res.statusCode, 201, res.body);
      const audioPath = `/v1/recordings/${recorded.recording!.id}/audio`;
      const audio = await app.inject({ method: 'GET', url: audioPath, headers: { ...(await maya.headers('GET', audioPath)), 'ward-purpose': 'TREAT' } });
      assert.equal(audio.statusCode, 200, audio.body);
      const got = await download(maya, res.json().download);
      assert.equal(got.statusCode, 200, got.body);
      const doc = JSON.parse(got.body);
      const bytes = Buffer.from(doc.recording.audioBase64, 'base64');
      assert.ok(bytes.equals(audio.rawPayload), 'the same audio as GET /v1/recordings/:id/audio');
      assert.equal(doc.recording.byteLength, bytes.length);
      assert.equal(doc.recording.sha256, createHash('sha256').update(bytes).digest('hex'));
      const acc = (await accounting(maya, recorded.patientId!)).json();
      const d = acc.disclosures.find((x: { exportId: string }) => x.exportId === res.json().id);
      assert.match(d.description, /^recording of one call \(\d+ s of audio, /);
    });

    // The consent API (42 CFR 2.31): record, list, check, revoke, as consent.manage on the patient.
    const consentApi = async (who: TestSession, method: 'GET' | 'POST', path: string, payload?: object) =>
      app.inject({ method, url: path, headers: { ...(await who.headers(method, path)), 'ward-purpose': 'HOPERAT' }, ...(payload ? { payload } : {}) });
    const consentsOf = (id: string) => `/v1/patients/${id}/part2-consents`;
    const IN_30_DAYS = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

    test('the consent API refuses a role without consent.manage, another scope, a stale step-up, a past expiry, a non-Part 2 patient', async () => {
      const body = { recipient: 'Bayside Counseling', purpose: 'TREAT', expiresAt: IN_30_DAYS() };
      const count = async () => (await t.deps.db.systemDb.query<{ n: number }>('SELECT count(*)::int AS n FROM part2_consents')).rows[0]!.n;
      const initial = await count();
      const amara = await signIn(t.deps, 'amara.agent@riverside.test'); // Agent holding SUD-Part2
      const audrey = await signIn(t.deps, 'audrey.auditor@riverside.test'); // Auditor holding every scope
      const vera = await signIn(t.deps, 'vera.viewer@riverside.test');
      for (const s of [amara, audrey, vera, maya, marcus]) await verified(s);
      // A Viewer holds no PHI scope: the patient is not even visible to it (404, as everywhere).
      for (const [who, code] of [[amara, 'FORBIDDEN'], [audrey, 'FORBIDDEN'], [vera, 'NOT_FOUND'], [maya, 'NOT_FOUND']] as const) {
        const res = await consentApi(who, 'POST', consentsOf(sud.id), body);
        assert.equal(problemCode(res), code, `${who.memberId}: ${res.body}`);
        assert.equal(problemCode(await consentApi(who, 'GET', consentsOf(sud.id))), code);
        assert.equal(problemCode(await consentApi(who, 'POST', `${consentsOf(sud.id)}/check`, { recipient: 'Bayside Counseling', purpose: 'TREAT' })), code);
      }
      await verified(marcus, "now() - interval '1 hour'");
      assert.equal(problemCode(await consentApi(marcus, 'POST', consentsOf(sud.id), body)), 'STEP_UP_REQUIRED');
      await verified(marcus);
      assert.equal(problemCode(await consentApi(marcus, 'POST', consentsOf(sud.id), { ...body, expiresAt: new Date(Date.now() - 60_000).toISOString() })), 'BAD_REQUEST');
      assert.equal(problemCode(await consentApi(maya, 'POST', consentsOf(hc.id), body)), 'BAD_REQUEST', 'a Part 2 consent is for a SUD-Part2 patient');
      assert.equal(await count(), initial, 'nothing recorded by a refused request');
    });

    test('a consent recorded through the API covers the export; revoked through the API, it covers nothing', async () => {
      await verified(marcus);
      const recipient = 'Bayside Counseling, outpatient';
      const unknown = await consentApi(marcus, 'POST', `${consentsOf(sud.id)}/check`, { recipient, purpose: 'TREAT' });
      assert.equal(unknown.statusCode, 200, unknown.body);
      assert.deepEqual({ ...(unknown.json() as object), redisclosureNotice: undefined }, { patientId: sud.id, consentRequired: true, covered: false, consentId: null, reason: 'part2-consent-missing', redisclosureNotice: undefined });
      const rec = await consentApi(marcus, 'POST', consentsOf(sud.id), { recipient, purpose: 'TREAT', expiresAt: IN_30_DAYS() });
      assert.equal(rec.statusCode, 201, rec.body);
      const id = rec.json().id as string;
      const stored = await t.deps.db.systemDb.query<{ recipient_enc: Buffer; recorded_by: string }>('SELECT recipient_enc, recorded_by FROM part2_consents WHERE id = $1', [id]);
      assert.ok(!Buffer.from(stored.rows[0]!.recipient_enc).toString('latin1').includes('Bayside'), 'the recipient is stored encrypted');
      assert.equal(stored.rows[0]!.recorded_by, marcus.memberId);
      const check = (await consentApi(marcus, 'POST', `${consentsOf(sud.id)}/check`, { recipient: 'bayside counseling outpatient', purpose: 'TREAT' })).json();
      assert.equal(check.covered, true);
      assert.equal(check.consentId, id);
      assert.equal(check.redisclosureNotice, PART2_REDISCLOSURE_NOTICE);
      const listed = (await consentApi(marcus, 'GET', consentsOf(sud.id))).json();
      assert.deepEqual(listed.consents.find((c: { id: string }) => c.id === id), {
        id, recipient, purpose: 'TREAT', expiresAt: rec.json().expiresAt, recordedAt: rec.json().recordedAt, recordedBy: marcus.memberId, revokedAt: null, revokedBy: null, status: 'active',
      });
      assert.ok(listed.consents.some((c: { status: string }) => c.status === 'revoked') && listed.consents.some((c: { status: string }) => c.status === 'expired'));
      const exported = await exportOf(marcus, sud.id, { recipient });
      assert.equal(exported.statusCode, 201, exported.body);

      const revoke = await consentApi(marcus, 'POST', `/v1/part2-consents/${id}/revoke`);
      assert.equal(revoke.statusCode, 200, revoke.body);
      assert.equal(problemCode(await consentApi(marcus, 'POST', `/v1/part2-consents/${id}/revoke`)), 'NOT_FOUND', 'a revocation is made once');
      assert.equal(problemCode(await consentApi(maya, 'POST', `/v1/part2-consents/${id}/revoke`)), 'NOT_FOUND', 'outside the scopes: not found');
      const revokedCheck = (await consentApi(marcus, 'POST', `${consentsOf(sud.id)}/check`, { recipient, purpose: 'TREAT' })).json();
      assert.deepEqual([revokedCheck.covered, revokedCheck.reason], [false, 'part2-consent-revoked']);
      assert.equal(problemCode(await exportOf(marcus, sud.id, { recipient })), 'PART2_CONSENT_REQUIRED');
      const late = await download(marcus, exported.json().download);
      assert.equal(problemCode(late), 'PART2_CONSENT_REQUIRED', 'made before the revocation, the export no longer leaves');
      const { rows } = await t.deps.db.systemDb.query<{ m: Record<string, unknown> }>(
        "SELECT metadata AS m FROM audit_events WHERE action = 'consent.manage' AND outcome = 'success' AND metadata->>'consentId' = $1 ORDER BY occurred_at, id", [id]);
      assert.deepEqual(rows.map((r) => r.m.consent), ['record', 'revoke'], 'recorded and revoked in the audit trail');
    });

    test('the database holds the boundary (real row-level security): scope, tenant, append and final revocation', { skip: engine !== 'postgres' && 'PostgreSQL only' }, async () => {
      const { rows: [c] } = await t.deps.db.systemDb.query<{ id: string; tenant_id: string; recipient_enc: Buffer }>(
        'SELECT id, tenant_id, recipient_enc FROM part2_consents WHERE patient_id = $1 AND revoked_at IS NOT NULL LIMIT 1', [sud.id]);
      const as = (phiScopes: string[], tenantId = riverside.id) => ({ tenantId, phiScopes: phiScopes as PhiScope[], actorId: marcus.memberId, actorKind: 'human' as const });
      // Another scope, or another tenant, sees no consent and cannot write one.
      const seen = await t.deps.db.scoped(as(['Healthcare-PHI']), async (tx) => (await tx.query('SELECT id FROM part2_consents')).rows.length);
      assert.equal(seen, 0);
      const other = demo.tenants.find((x) => x.id !== riverside.id)!;
      assert.equal(await t.deps.db.scoped(as(['SUD-Part2'], other.id), async (tx) => (await tx.query('SELECT id FROM part2_consents')).rows.length), 0);
      await assert.rejects(t.deps.db.scoped(as(['Healthcare-PHI']), (tx) => tx.query(
        `INSERT INTO part2_consents (id, tenant_id, phi_scope, patient_id, recipient_enc, purpose, expires_at, recorded_at, recorded_by)
         VALUES (gen_random_uuid(), $1, 'SUD-Part2', $2, $3, 'TREAT', now() + interval '1 day', now(), 'x')`, [riverside.id, sud.id, c!.recipient_enc])), /row-level security/);
      // In scope: a revocation is final, other columns are not the application's, and nothing is deleted.
      const inScope = as(['SUD-Part2']);
      await assert.rejects(t.deps.db.scoped(inScope, (tx) => tx.query('UPDATE part2_consents SET revoked_at = NULL, revoked_by = NULL WHERE id = $1', [c!.id])), /stays revoked|violates check/);
      await assert.rejects(t.deps.db.scoped(inScope, (tx) => tx.query("UPDATE part2_consents SET expires_at = now() + interval '9 years' WHERE id = $1", [c!.id])), /permission denied/);
      await assert.rejects(t.deps.db.scoped(inScope, (tx) => tx.query('DELETE FROM part2_consents WHERE id = $1', [c!.id])), /permission denied/);
      await assert.rejects(t.deps.db.scoped(inScope, (tx) => tx.query('UPDATE disclosures SET purpose = $2 WHERE patient_id = $1', [sud.id, 'TREAT'])), /permission denied/);
      await assert.rejects(t.deps.db.scoped(inScope, (tx) => tx.query('DELETE FROM disclosures WHERE patient_id = $1', [sud.id])), /permission denied/);
    });
  });
}
