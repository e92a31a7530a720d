// `ward report compliance` (R-GOV-4, R-AUTHZ-6) for the demo tenant: the JSON's figures equal what the
// audit trail and the identity tables hold, counted here independently; the HTML names every
// requirement with its tests' recorded results and holds no gold PHI value or identifier; the PDF
// prints with the system Chromium.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { serverContext } from '../../src/cli/main.ts';
import { createLocalProvider, type Vendor } from '../../src/modules/ai/index.ts';
import { loadRequirements, type ComplianceReport } from '../../src/modules/compliance/index.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { decideItem } from '../../src/modules/reviews/index.ts';
import { runWard } from '../support/cli.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { demoNeedles, findNeedles } from '../support/phi-needles.ts';
import { signIn } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const patient = demo.patients.find((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI' && demo.calls.some((c) => c.patientId === p.id))!;
const call = demo.calls.find((c) => c.patientId === patient.id)!;
const CHROMIUM = '/usr/bin/chromium';

interface EventRow { action: string; decision: string | null; phi_scope: string | null; outcome: string; reasons: string[]; metadata: Record<string, unknown>; occurred_at: Date }

for (const { engine, skip } of ENGINES) {
  describe(`ward report compliance on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let dir: string;
    let report: ComplianceReport;
    const ward = (argv: string[]) => runWard(argv, { ctx: serverContext(t.deps), env: t.env });

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      dir = mkdtempSync(join(tmpdir(), 'ward-report-'));
      const vendor: Vendor = { name: 'local', provider: createLocalProvider(), baaActive: false, timeoutMs: 5000 };
      const app = await buildApp({ ...t.deps, ai: { vendorFor: async () => vendor } } as typeof t.deps);
      try {
        const agent = await signIn(t.deps, 'alex.agent@riverside.test');
        await signIn(t.deps, 'vera.viewer@riverside.test', { authMethod: 'oidc', amr: ['pwd'], mfa: false });
        const get = async (path: string) => app.inject({ method: 'GET', url: path, headers: { ...(await agent.headers('GET', path)), 'ward-purpose': 'TREAT' } });
        assert.equal((await get(`/v1/patients/${patient.id}`)).statusCode, 200);
        assert.equal((await get(`/v1/patients/${patient.id}/sensitive`)).statusCode, 403);
        const ai = await app.inject({ method: 'POST', url: '/v1/ai/tasks', headers: await agent.headers('POST', '/v1/ai/tasks'), payload: { template: 'call-summary', target: { type: 'call', id: call.id } } });
        assert.equal(ai.statusCode, 201, ai.body);
        // One disclosure: a Manager's export of the patient's record, with a fresh step-up.
        const maya = await signIn(t.deps, 'maya.manager@riverside.test');
        await t.deps.db.systemDb.query('UPDATE sessions SET last_verified_at = now() WHERE id = $1', [maya.sessionId]);
        const exported = await app.inject({
          method: 'POST', url: '/v1/exports', headers: await maya.headers('POST', '/v1/exports'),
          payload: { target: { type: 'Patient', id: patient.id }, recipient: 'Lakeview Recovery Center', purpose: 'TREAT', justification: 'continuing care referral' },
        });
        assert.equal(exported.statusCode, 201, exported.body);
        assert.equal((await ward(['disclosures', '--tenant', 'riverside', '--patient', patient.id])).code, 0);
      } finally {
        await app.close();
      }
      assert.equal((await ward(['demo', 'traffic', '--reads', '60'])).code, 0);
      // R-GOV-1: a campaign over the demo tenant; its reviewers keep one item and revoke another.
      const started = await ward(['review', 'start', '--tenant', 'riverside', '--name', 'report-test']);
      assert.equal(started.code, 0, started.err);
      assert.match(started.out.trim().split('\n').at(-1)!, /^campaign report-test \([0-9a-f-]{36}\) started: \d+ items$/);
      const { rows: assigned } = await t.deps.db.systemDb.query<{ id: string; reviewer_id: string }>(
        'SELECT id, reviewer_id FROM access_review_items WHERE tenant_id = $1 AND reviewer_id IS NOT NULL ORDER BY id LIMIT 2', [riverside.id]);
      assert.equal(assigned.length, 2);
      for (const [i, item] of assigned.entries()) {
        await t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorId: item.reviewer_id, actorKind: 'human' }, (tx) =>
          decideItem(tx, { itemId: item.id, keep: i === 0, note: i === 0 ? 'still needed' : 'no longer needed', now: t.deps.clock.now() }));
      }
      await t.deps.auditSealer.sealOnce();
      // A recorded run: one mapped test file passed, one failed.
      writeFileSync(join(dir, 'results.json'), JSON.stringify({
        format: 'ward-test-results', version: 1,
        lastRun: { at: '2026-12-01T10:00:00.000Z', finishedAt: '2026-12-01T10:05:00.000Z', files: 2, node: 'v20', filters: [] },
        files: {
          'server/src/config.test.ts': { at: '2026-12-01T10:00:00.000Z', tests: [{ name: 'a', status: 'pass', durationMs: 1 }, { name: 'b', status: 'pass', durationMs: 1 }] },
          'server/test/e2e/passkeys.int.test.ts': { at: '2026-12-01T10:00:00.000Z', tests: [{ name: 'a', status: 'fail', durationMs: 1 }] },
        },
      }));
      const r = await ward(['report', 'compliance', '--tenant', 'riverside', '--format', 'json', '--out', join(dir, 'report.json'), '--results', join(dir, 'results.json')]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^wrote .*report\.json \(json\): tenant riverside, \d+ requirements: /);
      report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ComplianceReport;
    });
    after(async () => {
      await t?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('its figures match the audit trail and the identity tables of the tenant', async () => {
      const from = new Date(`${report.window.from}T00:00:00.000Z`);
      const events = (await t.deps.db.systemDb.query<EventRow>(
        'SELECT action, decision, phi_scope, outcome, reasons, metadata, occurred_at FROM audit_events WHERE tenant_id = $1', [riverside.id])).rows
        .filter((e) => new Date(e.occurred_at) >= from);
      const fig = Object.fromEntries(report.figures.map((f) => [f.key, f]));
      const phiDenials = events.filter((e) => e.decision === 'deny' && e.phi_scope !== null).length;
      assert.ok(phiDenials > 0, 'the traffic had PHI denials');
      assert.equal(fig.phiDenials!.value, phiDenials);
      assert.equal(fig.phiDenials!.trend!.reduce((a, b) => a + b, 0), phiDenials, 'the trend adds up to the figure');
      assert.equal(fig.stepUps!.details!.required, events.filter((e) => e.decision === 'deny' && e.reasons.includes('step-up-required')).length);
      const outcomes = events.filter((e) => e.action === 'ai.run' && e.metadata.phase === 'outcome');
      assert.equal(fig.aiRedaction!.details!.passed, outcomes.filter((e) => e.metadata.state === 'ready').length);
      assert.equal(fig.aiRedaction!.details!.passed, 1);
      assert.equal(fig.inactiveDisabled!.value, events.filter((e) => ['member.deprovision', 'workload.disable'].includes(e.action) && e.reasons.includes('inactive')).length);
      const sessions = (await t.deps.db.systemDb.query<{ mfa: boolean }>('SELECT mfa FROM sessions WHERE tenant_id = $1 AND created_at >= $2', [riverside.id, from])).rows;
      assert.deepEqual(fig.mfaCoverage!.details, { sessions: sessions.length, withMfa: sessions.filter((s) => s.mfa).length });
      assert.ok((fig.mfaCoverage!.value ?? 100) < 100, 'the SSO sign-in without MFA lowers the coverage');
      const members = demo.members.filter((m) => m.tenantId === riverside.id);
      assert.equal(fig.passkeyAdoption!.details!.activeMembers, members.length);
      assert.equal(fig.auditVerification!.value, 1, `the trail verifies: ${fig.auditVerification!.display}`);
      assert.equal(fig.auditVerification!.details!.treeSize, events.length);
      // R-GOV-1: the campaign's items, counted from its rows: one kept, one revoked, the rest pending.
      const items = (await t.deps.db.systemDb.query<{ decision: string | null; entitlement_kind: string; reviewer_id: string | null }>(
        'SELECT decision, entitlement_kind, reviewer_id FROM access_review_items WHERE tenant_id = $1', [riverside.id])).rows;
      assert.equal(fig.accessReviews!.source, 'tables');
      assert.deepEqual(fig.accessReviews!.details, {
        campaigns: 1, open: 1, items: items.length, kept: 1, revoked: 1, expired: 0, expiredRevoked: 0, pending: items.length - 2,
        unassigned: items.filter((i) => i.reviewer_id === null).length, breakGlassListItems: items.filter((i) => i.entitlement_kind === 'list').length,
      });
      assert.equal(fig.accessReviews!.value, Math.round((1000 * 2) / items.length) / 10);
      assert.equal(fig.accessReviews!.trend!.reduce((a, b) => a + b, 0), 2, 'two attestations in the trend');
      // The accounting of disclosures (45 CFR 164.528): counted from the disclosures table, PHI-free.
      const disclosures = (await t.deps.db.systemDb.query<{ n: number; patients: number }>(
        'SELECT count(*)::int AS n, count(DISTINCT patient_id)::int AS patients FROM disclosures WHERE tenant_id = $1 AND disclosed_at >= $2', [riverside.id, from])).rows[0]!;
      assert.equal(disclosures.n, 1);
      assert.equal(fig.disclosures!.value, disclosures.n);
      assert.deepEqual(fig.disclosures!.details, {
        patients: disclosures.patients, part2UnderConsent: 0, downloaded: 0, part2Refused: 0,
        accountingsGiven: events.filter((e) => e.action === 'disclosures.account' && e.outcome === 'success').length, purposes: 'TREAT',
      });
      assert.equal(fig.disclosures!.details!.accountingsGiven, 1);
      assert.match(fig.disclosures!.definition, /ward disclosures --tenant <slug> --patient <id>/);
      for (const f of report.figures) if (f.trend) assert.equal(f.trend.length, 90);
    });

    test('every requirement is in the report with its tests\' recorded results, and gaps are shown as gaps', () => {
      assert.deepEqual(report.requirements.map((r) => r.id), loadRequirements().map((r) => r.id));
      const tests = report.requirements.flatMap((r) => r.tests);
      assert.ok(tests.some((x) => x.file === 'server/src/config.test.ts' && x.status === 'pass' && x.passed === 2));
      assert.equal(report.requirements.find((r) => r.id === 'R-AUTHN-1')!.status, 'failing', 'the failed passkey suite makes its requirement failing');
      assert.equal(report.requirements.find((r) => r.id === 'R-GOV-1')!.status, 'untested', 'access reviews are built: their tests were not in this recorded run');
      assert.equal(report.testRun.at, '2026-12-01T10:00:00.000Z');
      const boundary = report.requirements.find((r) => r.id === 'R-AUTHZ-7')!.controls.policies.find((p) => p.id === 'tenant-boundary')!;
      assert.equal(boundary.cfr, '164.312(a)(1)', 'a policy carries its own 45 CFR annotation');
    });

    test('the HTML names every requirement, draws the trends as inline SVG and holds no gold PHI value or identifier', async () => {
      const r = await ward(['report', 'compliance', '--tenant', 'riverside', '--out', join(dir, 'report.html'), '--results', join(dir, 'results.json')]);
      assert.equal(r.code, 0, r.err);
      const html = readFileSync(join(dir, 'report.html'), 'utf8');
      for (const req of loadRequirements()) assert.ok(html.includes(`<b>${req.id}</b>`), req.id);
      assert.ok((html.match(/<svg class="trend"/g) ?? []).length >= 7);
      assert.doesNotMatch(html, /<script|src=|href="http/i, 'self-contained: no script, no external resource');
      assert.deepEqual(findNeedles(html, demoNeedles(demo, { tenantSlugs: false })), []);
      assert.deepEqual(findNeedles(JSON.stringify(report), demoNeedles(demo, { tenantSlugs: false })), []);
    });

    test('the PDF prints with the system Chromium', { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, async () => {
      const r = await ward(['report', 'compliance', '--tenant', 'riverside', '--format', 'pdf', '--out', join(dir, 'report.pdf'), '--results', join(dir, 'results.json')]);
      assert.equal(r.code, 0, r.err);
      const pdf = readFileSync(join(dir, 'report.pdf'));
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      assert.ok(pdf.length > 20_000, `${pdf.length} bytes`);
    });

    test('bad input is refused with a usage error and nothing written', async () => {
      const r = await ward(['report', 'compliance', '--tenant', 'riverside', '--format', 'docx', '--out', join(dir, 'x.docx')]);
      assert.equal(r.code, 2);
      assert.match(r.err, /USAGE: --format takes html, pdf or json/);
      assert.ok(!existsSync(join(dir, 'x.docx')));
      const unknown = await ward(['report', 'compliance', '--tenant', 'nowhere', '--out', join(dir, 'y.html')]);
      assert.equal(unknown.code, 1);
      assert.match(unknown.err, /TENANT_NOT_FOUND/);
      assert.ok(!existsSync(join(dir, 'y.html')));
    });
  });
}
