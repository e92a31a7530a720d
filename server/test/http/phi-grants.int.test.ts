// PHI-scope grants by two people over HTTP (R-AUTHZ-2, R-AUTHZ-5, R-SESS-3), on both engines: an
// Admin proposes, nothing is granted until a second Owner or Admin approves with a recent passkey
// verification; the proposer, the member, a Manager, another tenant's Admin and a late approver are
// refused, each refusal audited; an open proposal can be cancelled.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { problemCode } from '../support/problem.ts';
import { givePasskeys, signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);

for (const { engine, skip } of ENGINES) {
  describe(`PHI-scope grants by two people on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let admin: TestSession;
    let owner: TestSession;
    let manager: TestSession;
    let vera: TestSession;
    let otherAdmin: TestSession;

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp(t.deps);
      admin = await signIn(t.deps, 'adrian.admin@riverside.test');
      owner = await signIn(t.deps, 'olivia.owner@riverside.test');
      manager = await signIn(t.deps, 'maya.manager@riverside.test');
      vera = await signIn(t.deps, 'vera.viewer@riverside.test');
      otherAdmin = await signIn(t.deps, 'ada.admin@lakeside.test');
      // Proposers and approvers are enrolled people: give the Owners and Admins a passkey row.
      await givePasskeys(t.deps, admin, owner, otherAdmin);
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    const call = async (who: TestSession, method: 'GET' | 'POST', url: string, payload?: unknown) =>
      app.inject({ method, url, headers: await who.headers(method, url), ...(payload ? { payload } : {}) });
    const fresh = (...who: TestSession[]) => t.deps.db.systemDb.query('UPDATE sessions SET last_verified_at = now() WHERE id = ANY($1)', [who.map((w) => w.sessionId)]);
    const scopesOf = async (memberId: string) =>
      (await t.deps.db.systemDb.query<{ phi_scope: string }>('SELECT phi_scope FROM member_phi_scopes WHERE member_id = $1 ORDER BY phi_scope', [memberId])).rows.map((r) => r.phi_scope);
    const propose = async (who: TestSession, memberId: string, body: unknown) => call(who, 'POST', `/v1/members/${memberId}/phi-grants`, body);

    test('an Admin proposes, the grant waits, a second person (the Owner) approves with a step-up, and only then is the scope held', async () => {
      await fresh(admin, owner);
      const proposed = await propose(admin, vera.memberId, { phiScope: 'Dental' });
      assert.equal(proposed.statusCode, 201, proposed.body);
      const g = proposed.json();
      assert.equal(g.state, 'pending');
      assert.equal(g.proposedBy, admin.memberId);
      assert.match(g.nextApprover, /a second Owner or Admin other than adrian\.admin@riverside\.test/);
      assert.deepEqual(await scopesOf(vera.memberId), [], 'nothing is granted by a proposal');

      const list = await call(owner, 'GET', '/v1/phi-grants');
      assert.equal(list.statusCode, 200, list.body);
      assert.equal(list.json().grants.find((x: { id: string }) => x.id === g.id)?.state, 'pending');

      await t.deps.db.systemDb.query("UPDATE sessions SET last_verified_at = now() - interval '1 hour' WHERE id = $1", [owner.sessionId]);
      const stale = await call(owner, 'POST', `/v1/phi-grants/${g.id}/approve`);
      assert.equal(problemCode(stale), 'STEP_UP_REQUIRED');
      assert.deepEqual(await scopesOf(vera.memberId), []);

      await fresh(owner);
      const approved = await call(owner, 'POST', `/v1/phi-grants/${g.id}/approve`);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().state, 'approved');
      assert.equal(approved.json().decidedBy, owner.memberId);
      assert.equal(approved.json().nextApprover, null);
      assert.deepEqual(await scopesOf(vera.memberId), ['Dental']);
      const { rows } = await t.deps.db.systemDb.query<{ granted_by: string }>("SELECT granted_by FROM member_phi_scopes WHERE member_id = $1 AND phi_scope = 'Dental'", [vera.memberId]);
      assert.equal(rows[0]!.granted_by, owner.memberId);
      const { rows: trail } = await t.deps.db.systemDb.query<{ action: string; actor_id: string }>(
        "SELECT action, actor_id FROM audit_events WHERE action IN ('member.phiScope.propose', 'member.phiScope.grant') AND target_id = $1 ORDER BY occurred_at", [vera.memberId]);
      assert.deepEqual(trail.map((r) => [r.action, r.actor_id]), [['member.phiScope.propose', admin.memberId], ['member.phiScope.grant', owner.memberId]]);
      // Approved once: a second approval finds nothing open.
      await fresh(admin);
      assert.equal(problemCode(await call(owner, 'POST', `/v1/phi-grants/${g.id}/approve`)), 'GRANT_NOT_PENDING');
    });

    test('the proposer cannot approve their own proposal: Cedar refuses (sod-scope-grant-second-person), audited, nothing granted', async () => {
      await fresh(admin);
      const g = (await propose(admin, vera.memberId, { phiScope: 'Healthcare-PHI' })).json();
      const self = await call(admin, 'POST', `/v1/phi-grants/${g.id}/approve`);
      assert.equal(self.statusCode, 403, self.body);
      assert.equal(problemCode(self), 'FORBIDDEN');
      assert.ok(!(await scopesOf(vera.memberId)).includes('Healthcare-PHI'));
      const { rows } = await t.deps.db.systemDb.query<{ reasons: string[] }>(
        "SELECT reasons FROM audit_events WHERE action = 'grant.scope' AND actor_id = $1 AND decision = 'deny' AND target_id IN ($2, $3)", [admin.memberId, g.id, vera.memberId]);
      assert.ok(rows.some((r) => r.reasons.includes('forbid:sod-scope-grant-second-person')), JSON.stringify(rows));
    });

    test('no one proposes a PHI scope for themselves, and a Manager neither proposes nor approves', async () => {
      await fresh(admin, manager);
      const selfProposal = await propose(admin, admin.memberId, { phiScope: 'Dental' });
      assert.equal(selfProposal.statusCode, 403, selfProposal.body);
      assert.equal(problemCode(selfProposal), 'FORBIDDEN');
      assert.equal((await propose(manager, vera.memberId, { phiScope: 'SUD-Part2' })).statusCode, 403);
      await fresh(owner);
      const g = (await propose(owner, vera.memberId, { phiScope: 'SUD-Part2' })).json();
      const byManager = await call(manager, 'POST', `/v1/phi-grants/${g.id}/approve`);
      assert.equal(byManager.statusCode, 403, byManager.body);
      assert.ok(!(await scopesOf(vera.memberId)).includes('SUD-Part2'));
      // The member it is for may not approve it either (the Viewer holds no admin role; Cedar refuses first).
      assert.equal((await call(vera, 'POST', `/v1/phi-grants/${g.id}/approve`)).statusCode, 403);
      // Cleared for the next test.
      assert.equal((await call(owner, 'POST', `/v1/phi-grants/${g.id}/cancel`)).json().state, 'cancelled');
    });

    test("another tenant's Admin sees none of these proposals and approves none (404, as if they did not exist)", async () => {
      await fresh(admin, otherAdmin);
      const g = (await propose(admin, vera.memberId, { phiScope: 'BehavioralHealth-PHI' })).json();
      const list = await call(otherAdmin, 'GET', '/v1/phi-grants');
      assert.equal(list.statusCode, 200, list.body);
      assert.equal(list.json().grants.length, 0);
      const cross = await call(otherAdmin, 'POST', `/v1/phi-grants/${g.id}/approve`);
      assert.equal(cross.statusCode, 404, cross.body);
      assert.equal((await propose(otherAdmin, vera.memberId, { phiScope: 'Dental' })).statusCode, 404);
      assert.ok(!(await scopesOf(vera.memberId)).includes('BehavioralHealth-PHI'));
      await fresh(owner);
      assert.equal((await call(owner, 'POST', `/v1/phi-grants/${g.id}/cancel`)).statusCode, 200);
    });

    test('an expired proposal is listed as expired and cannot be approved; a new one may be made', async () => {
      await fresh(admin, owner);
      const g = (await propose(admin, vera.memberId, { phiScope: 'BehavioralHealth-PHI', ttlHours: 1 })).json();
      assert.equal(problemCode(await propose(owner, vera.memberId, { phiScope: 'BehavioralHealth-PHI' })), 'GRANT_NOT_PENDING', 'one open proposal per member and scope');
      // Its hour passes (the stored times moved back; the sessions stay fresh).
      await t.deps.db.systemDb.query("UPDATE phi_scope_grant_requests SET proposed_at = proposed_at - interval '2 hours', expires_at = expires_at - interval '2 hours' WHERE id = $1", [g.id]);
      await fresh(admin, owner);
      const listed = (await call(owner, 'GET', '/v1/phi-grants')).json().grants.find((x: { id: string }) => x.id === g.id);
      assert.equal(listed.state, 'expired');
      assert.equal(listed.nextApprover, null);
      const late = await call(owner, 'POST', `/v1/phi-grants/${g.id}/approve`);
      assert.equal(late.statusCode, 409, late.body);
      assert.equal(problemCode(late), 'GRANT_NOT_PENDING');
      assert.ok(!(await scopesOf(vera.memberId)).includes('BehavioralHealth-PHI'));
      const again = await propose(admin, vera.memberId, { phiScope: 'BehavioralHealth-PHI' });
      assert.equal(again.statusCode, 201, again.body);
      const { rows } = await t.deps.db.systemDb.query<{ state: string }>('SELECT state FROM phi_scope_grant_requests WHERE id = $1', [g.id]);
      assert.equal(rows[0]!.state, 'expired');
    });

    test('a cancelled proposal cannot be approved; a scope the member holds cannot be proposed again', async () => {
      await fresh(admin, owner);
      const g = (await propose(owner, manager.memberId, { phiScope: 'SUD-Part2' })).json();
      const cancelled = await call(admin, 'POST', `/v1/phi-grants/${g.id}/cancel`);
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.equal(cancelled.json().state, 'cancelled');
      assert.equal(problemCode(await call(admin, 'POST', `/v1/phi-grants/${g.id}/approve`)), 'GRANT_NOT_PENDING');
      assert.equal(problemCode(await propose(admin, manager.memberId, { phiScope: 'Healthcare-PHI' })), 'GRANT_NOT_PENDING', 'maya holds Healthcare-PHI');
      const bad = await propose(admin, manager.memberId, { phiScope: 'Cardiology' });
      assert.equal(bad.statusCode, 400, bad.body);
    });

    test('the database refuses a person granting a PHI scope alone, and an approval by the proposer, whatever the server asks', async () => {
      // The operator's one-person path (ward_grant_phi_scope) is closed to people (0053), and the
      // approval function checks the proposer itself (WD002) below Cedar.
      const { memberScope } = await import('../../src/modules/sessions/index.ts');
      await assert.rejects(
        t.deps.db.scoped(memberScope(admin.tenantId, admin.memberId), (tx) => tx.query("SELECT ward_grant_phi_scope($1, 'Dental', now())", [manager.memberId])),
        (e: { code?: string }) => e.code === 'WD001');
      await fresh(admin);
      const p = (await propose(admin, vera.memberId, { phiScope: 'SUD-Part2' })).json();
      const { approvePhiGrantInTx } = await import('../../src/modules/identity/index.ts');
      await assert.rejects(
        t.deps.db.scoped(memberScope(admin.tenantId, admin.memberId), (tx) =>
          approvePhiGrantInTx(tx, t.deps, { actor: { tenantId: admin.tenantId, memberId: admin.memberId }, grantId: p.id }, t.deps.clock.now())),
        { code: 'GRANT_SELF_APPROVAL' });
      assert.ok(!(await scopesOf(vera.memberId)).includes('SUD-Part2'));
    });
  });
}
