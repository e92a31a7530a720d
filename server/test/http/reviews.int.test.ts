// Access reviews over HTTP (R-GOV-1, R-AUTHZ-5, R-ELEV-2), through the real app, authenticator, guard,
// Cedar policies and database, on both engines: an Admin names managers, an Owner lists a member for
// break-glass, `ward review start` opens a campaign over the demo tenant, the manager keeps and revokes
// from their own session (a revoked PHI scope stops the next read; a revoked break-glass place stops
// the next break-glass), no one decides another's item or their own, the deadline revokes the rest
// (`ward review expire`), and the evidence (JSON and CSV, an Auditor's) matches the audit trail.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { serverContext } from '../../src/cli/main.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { runWard } from '../support/cli.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { problemCode } from '../support/problem.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const dental = demo.patients.find((p) => p.tenantId === riverside.id && p.phiScope === 'Dental')!;
const memberId = (local: string) => demo.members.find((m) => m.email === `${local}@riverside.test`)!.id;

type Item = { id: string; subjectId: string; entitlementKind: string; entitlement: string; breakGlass?: { uses: number } };
type Evidence = { itemId: string; subjectId: string; entitlementKind: string; entitlement: string; decision: string; decidedBy: string; revoked: boolean; note: string };

for (const { engine, skip } of ENGINES) {
  describe(`access reviews over HTTP on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let admin: TestSession;
    let owner: TestSession;
    let maya: TestSession;
    let andre: TestSession;
    let auditor: TestSession;
    let viewer: TestSession;
    let campaignId = '';

    const call = async (who: TestSession, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, extra: Record<string, string> = {}) =>
      app.inject({ method, url, headers: { ...(await who.headers(method, url)), ...extra }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    const ward = (argv: string[]) => runWard(argv, { ctx: serverContext(t.deps), env: t.env });
    const items = async (who: TestSession) => {
      const r = await call(who, 'GET', '/v1/reviews/items');
      assert.equal(r.statusCode, 200, r.body);
      return r.json().items as Item[];
    };

    before(async () => {
      // The real clock: the database checks each transaction's scope against its own (0015).
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp(t.deps);
      admin = await signIn(t.deps, 'adrian.admin@riverside.test');
      owner = await signIn(t.deps, 'olivia.owner@riverside.test');
      maya = await signIn(t.deps, 'maya.manager@riverside.test');
      andre = await signIn(t.deps, 'andre.agent@riverside.test');
      auditor = await signIn(t.deps, 'audrey.auditor@riverside.test');
      viewer = await signIn(t.deps, 'vera.viewer@riverside.test');
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    test('an Admin names managers; no one names their own, and a Manager names no one', async () => {
      for (const local of ['alex.agent', 'andre.agent']) {
        const r = await call(admin, 'PUT', `/v1/members/${memberId(local)}/manager`, { managerId: maya.memberId });
        assert.equal(r.statusCode, 200, r.body);
        assert.deepEqual(r.json(), { memberId: memberId(local), managerId: maya.memberId });
      }
      const self = await call(admin, 'PUT', `/v1/members/${admin.memberId}/manager`, { managerId: maya.memberId });
      assert.equal(self.statusCode, 403);
      const manager = await call(maya, 'PUT', `/v1/members/${andre.memberId}/manager`, { managerId: null });
      assert.equal(manager.statusCode, 403, 'member.manage is an Admin\'s');
      assert.equal((await call(admin, 'PUT', `/v1/members/${andre.memberId}/manager`, { managerId: 'not-a-uuid' })).statusCode, 400);
      // R-ELEV-2: an Owner puts Andre on the break-glass list.
      const listed = await call(owner, 'PUT', `/v1/break-glass/members/${andre.memberId}`);
      assert.equal(listed.statusCode, 200, listed.body);
    });

    test("ward review start opens the campaign over the demo tenant; the manager sees their reports' items, a Viewer none", async () => {
      const r = await ward(['review', 'start', '--tenant', 'riverside', '--name', '2026-Q4']);
      assert.equal(r.code, 0, r.err);
      const last = r.out.trim().split('\n').at(-1)!;
      const m = /^campaign 2026-Q4 \(([0-9a-f-]{36})\) started: (\d+) items$/.exec(last);
      assert.ok(m, last);
      campaignId = m[1]!;
      // Riverside: 9 members, each one role; 12 PHI scope grants; one place on the break-glass list; and its workloads.
      const { rows } = await t.deps.db.systemDb.query<{ n: number }>('SELECT count(*)::int AS n FROM access_review_items WHERE campaign_id = $1', [campaignId]);
      assert.equal(Number(m[2]), rows[0]!.n);
      const mine = await items(maya);
      assert.deepEqual(mine.map((i) => `${i.subjectId === andre.memberId ? 'andre' : 'alex'}:${i.entitlementKind}:${i.entitlement}`).sort(),
        ['alex:phi_scope:Healthcare-PHI', 'alex:role:Agent', 'andre:list:breakglass', 'andre:phi_scope:Dental', 'andre:phi_scope:Healthcare-PHI', 'andre:role:Agent']);
      assert.deepEqual(mine.find((i) => i.entitlementKind === 'list')!.breakGlass, { uses: 0, lastUseAt: null, inappropriate: 0 });
      assert.ok((await items(admin)).every((i) => i.subjectId !== admin.memberId), 'never their own');
      const denied = await call(viewer, 'GET', '/v1/reviews/items');
      assert.equal(denied.statusCode, 403);
      assert.equal(problemCode(denied), 'FORBIDDEN');
    });

    test('the manager keeps and revokes with a note from their session; revocations apply at once', async () => {
      const mine = await items(maya);
      const pick = (subject: string, entitlement: string) => mine.find((i) => i.subjectId === subject && i.entitlement === entitlement)!;
      const read = () => call(andre, 'GET', `/v1/patients/${dental.id}`, undefined, { 'ward-purpose': 'TREAT' });
      assert.equal((await read()).statusCode, 200, 'Andre reads a Dental patient before the review');

      const kept = await call(maya, 'POST', `/v1/reviews/items/${pick(memberId('alex.agent'), 'Agent').id}/decision`, { decision: 'keep', note: 'still on the phones' });
      assert.equal(kept.statusCode, 200, kept.body);
      assert.equal(kept.json().decision, 'keep');
      const revoked = await call(maya, 'POST', `/v1/reviews/items/${pick(andre.memberId, 'Dental').id}/decision`, { decision: 'revoke', note: 'moved off the dental line' });
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.equal((await read()).statusCode, 404, 'the next read runs without the scope: the record is out of reach');
      const list = await call(maya, 'POST', `/v1/reviews/items/${pick(andre.memberId, 'breakglass').id}/decision`, { decision: 'revoke', note: 'no night shifts any more' });
      assert.equal(list.statusCode, 200, list.body);
      assert.equal((await t.deps.db.systemDb.query('SELECT 1 FROM breakglass_members WHERE member_id = $1', [andre.memberId])).rowCount, 0);
      const glass = await call(andre, 'POST', '/v1/break-glass', { target: { type: 'patient', id: dental.id }, reason: 'a patient in distress on the line', durationSeconds: 600 }, { 'ward-purpose': 'ETREAT' });
      assert.equal(glass.statusCode, 403, `off the break-glass list: ${glass.body}`);

      // Once; only by the item's reviewer; never one's own; always with a note; a known item.
      const again = await call(maya, 'POST', `/v1/reviews/items/${pick(andre.memberId, 'Dental').id}/decision`, { decision: 'keep', note: 'changed my mind' });
      assert.equal(again.statusCode, 409);
      const other = pick(andre.memberId, 'Healthcare-PHI');
      assert.equal((await call(admin, 'POST', `/v1/reviews/items/${other.id}/decision`, { decision: 'revoke', note: 'not mine' })).statusCode, 403);
      assert.equal((await call(andre, 'POST', `/v1/reviews/items/${other.id}/decision`, { decision: 'keep', note: 'I need it' })).statusCode, 403);
      assert.equal((await call(maya, 'POST', `/v1/reviews/items/${other.id}/decision`, { decision: 'keep' })).statusCode, 400);
      assert.equal((await call(maya, 'POST', `/v1/reviews/items/${other.id}/decision`, { decision: 'maybe', note: 'x' })).statusCode, 400);
      assert.equal((await call(maya, 'POST', '/v1/reviews/items/00000000-0000-4000-8000-000000000000/decision', { decision: 'keep', note: 'x' })).statusCode, 404);

      // Each attestation is a decision with its audit row: the item, the decision, and the live risk facts.
      const { rows } = await t.deps.db.systemDb.query<{ actor_id: string; decision: string; metadata: Record<string, unknown> }>(
        "SELECT actor_id, decision, metadata FROM audit_events WHERE action = 'review.attest' AND outcome = 'success' AND metadata ? 'reviewItem' ORDER BY occurred_at", []);
      assert.deepEqual(rows.map((r) => [r.actor_id, r.metadata.decision]), [[maya.memberId, 'keep'], [maya.memberId, 'revoke'], [maya.memberId, 'revoke']]);
      assert.ok(!JSON.stringify(rows).includes('dental line'), 'the note stays in the review row, not the audit metadata');
      assert.ok(rows.every((r) => r.decision === 'allow' && typeof r.metadata.risk === 'string'), 'the risk facts are recorded');
    });

    test('the deadline revokes what was not attested; the evidence (JSON and CSV) matches the audit trail', async () => {
      // The Admin keeps the Auditor's role (the Auditor has no manager); everything else is left to the deadline.
      const auditorRole = (await items(admin)).find((i) => i.subjectId === auditor.memberId && i.entitlement === 'Auditor')!;
      assert.equal((await call(admin, 'POST', `/v1/reviews/items/${auditorRole.id}/decision`, { decision: 'keep', note: 'quarterly audit' })).statusCode, 200);
      // Fourteen days pass: the campaign's dates move back rather than the clock, which the database
      // checks every scoped transaction against.
      await t.deps.db.systemDb.query("UPDATE access_review_campaigns SET started_at = started_at - interval '15 days', deadline_at = deadline_at - interval '15 days' WHERE id = $1", [campaignId]);
      const expired = await ward(['review', 'expire', '--tenant', 'riverside']);
      assert.equal(expired.code, 0, expired.err);
      assert.match(expired.out, new RegExp(`campaign 2026-Q4 \\(${campaignId}\\) closed: \\d+ item\\(s\\) not attested, \\d+ revoked`));

      const res = await call(auditor, 'GET', `/v1/reviews/campaigns/${campaignId}/evidence`);
      assert.equal(res.statusCode, 200, res.body);
      const evidence = res.json().items as Evidence[];
      assert.ok(evidence.every((e) => e.decision !== 'pending'));
      assert.deepEqual(evidence.filter((e) => e.decision !== 'expired').map((e) => `${e.decision}:${e.entitlement}:${e.revoked}`).sort(),
        ['keep:Agent:false', 'keep:Auditor:false', 'revoke:Dental:true', 'revoke:breakglass:true']);
      // Revoked, by the operator (the scope actor: kind and id); all but the role of the tenant's only Owner (0121).
      const expiredItems = evidence.filter((e) => e.decision === 'expired');
      assert.deepEqual([...new Set(expiredItems.filter((e) => e.entitlement !== 'Owner').map((e) => `${e.revoked}:${e.decidedBy}`))], ['true:system:system:cli']);
      assert.deepEqual(expiredItems.filter((e) => e.entitlement === 'Owner').map((e) => `${e.revoked}:${e.decidedBy}`), ['false:system:system:cli'], 'the last Owner keeps the role');
      assert.equal(evidence.find((e) => e.entitlement === 'Dental')!.note, 'moved off the dental line');

      // The audit trail holds the same facts: every attestation and every expiry, item by item.
      const { rows: trail } = await t.deps.db.systemDb.query<{ action: string; target_id: string; entitlement: string; decision: string | null; revoked: boolean | null }>(
        `SELECT action, target_id, metadata->>'entitlement' AS entitlement, metadata->>'decision' AS decision, (metadata->>'revoked')::boolean AS revoked
           FROM audit_events WHERE tenant_id = $1 AND ((action = 'review.attest' AND metadata ? 'reviewItem' AND outcome = 'success') OR action = 'review.expire')`, [riverside.id]);
      const fromTrail = trail.map((r) => r.action === 'review.expire' ? `expired:${r.entitlement}:${r.revoked}` : `${r.decision}:${r.entitlement}:${r.decision === 'revoke'}`).sort();
      assert.deepEqual(fromTrail, evidence.map((e) => `${e.decision}:${e.entitlement}:${e.revoked}`).sort());

      const csv = await call(auditor, 'GET', `/v1/reviews/campaigns/${campaignId}/evidence?format=csv`);
      assert.equal(csv.statusCode, 200, csv.body);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(String(csv.headers['content-disposition']), new RegExp(`access-review-${campaignId}\\.csv`));
      const lines = csv.body.trim().split('\r\n');
      assert.equal(lines[0], 'campaign,campaignId,itemId,subjectKind,subjectId,subjectName,entitlementKind,entitlement,reviewerId,decision,decidedBy,decidedAt,revoked,note,breakGlassUses,breakGlassLastUseAt,breakGlassInappropriate');
      assert.equal(lines.length, evidence.length + 1);

      // The evidence is an Auditor's (or Owner's) to read; another tenant's campaign is not found.
      const alex = await signIn(t.deps, 'alex.agent@riverside.test'); // his Agent role was kept
      assert.equal((await call(alex, 'GET', `/v1/reviews/campaigns/${campaignId}/evidence`)).statusCode, 403);
      const lakeside = await signIn(t.deps, 'aurelia.auditor@lakeside.test');
      assert.equal((await call(lakeside, 'GET', `/v1/reviews/campaigns/${campaignId}/evidence`)).statusCode, 404);
      // Closed: nothing is left undecided, and the roles no one attested are gone (the Manager's too).
      const open = await t.deps.db.systemDb.query('SELECT 1 FROM access_review_items WHERE campaign_id = $1 AND decision IS NULL', [campaignId]);
      assert.equal(open.rowCount, 0);
      const roles = await t.deps.db.systemDb.query('SELECT 1 FROM member_roles WHERE member_id = $1', [maya.memberId]);
      assert.equal(roles.rowCount, 0, 'Maya lost the Manager role no one attested');
      assert.ok([401, 403].includes((await call(maya, 'GET', '/v1/reviews/items')).statusCode));
    });
  });
}
