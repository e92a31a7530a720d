// Role changes of existing members over HTTP (R-AUTHZ-5, R-AUTHN-5, R-SESS-3), on both engines: an
// Admin proposes a role, nothing is granted until a second Owner or Admin approves with a recent
// passkey verification; the proposer, an Admin for an Admin role and another tenant's Admin are
// refused, each refusal audited; the approval ends the member's sessions. A removal is immediate,
// an Owner's for Owner and Admin, never one's own, never the last Owner's. An Auditor invitation now
// waits for a second person too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { denialReasons } from '../support/denials.ts';
import { problemCode } from '../support/problem.ts';
import { givePasskeys, signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);

for (const { engine, skip } of ENGINES) {
  describe(`role changes by two people on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let admin: TestSession;
    let owner: TestSession;
    let vera: TestSession;
    let otherAdmin: TestSession;

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp(t.deps);
      admin = await signIn(t.deps, 'adrian.admin@riverside.test');
      owner = await signIn(t.deps, 'olivia.owner@riverside.test');
      vera = await signIn(t.deps, 'vera.viewer@riverside.test');
      otherAdmin = await signIn(t.deps, 'ada.admin@lakeside.test');
      await givePasskeys(t.deps, admin, owner, otherAdmin);
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    const call = async (who: TestSession, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
      app.inject({ method, url, headers: await who.headers(method, url), ...(payload ? { payload } : {}) });
    const fresh = (...who: TestSession[]) => t.deps.db.systemDb.query('UPDATE sessions SET last_verified_at = now() WHERE id = ANY($1)', [who.map((w) => w.sessionId)]);
    const rolesOf = async (memberId: string) =>
      (await t.deps.db.systemDb.query<{ role: string }>('SELECT role FROM member_roles WHERE member_id = $1 ORDER BY role', [memberId])).rows.map((r) => r.role);
    const propose = (who: TestSession, memberId: string, body: unknown) => call(who, 'POST', `/v1/members/${memberId}/role-grants`, body);

    test('an Admin proposes Manager for a Viewer; the Admin cannot approve it; the Owner approves with a step-up, and only then is it held', async () => {
      await fresh(admin, owner);
      const proposed = await propose(admin, vera.memberId, { role: 'Manager' });
      assert.equal(proposed.statusCode, 201, proposed.body);
      const g = proposed.json();
      assert.equal(g.state, 'pending');
      assert.match(g.nextApprover, /^a second Owner or Admin other than adrian\.admin@riverside\.test \(who proposed it\) and vera\.viewer@riverside\.test$/);
      assert.deepEqual(await rolesOf(vera.memberId), ['Viewer'], 'a proposal grants nothing');

      const self = await call(admin, 'POST', `/v1/role-grants/${g.id}/approve`);
      assert.equal(problemCode(self), 'FORBIDDEN', self.body);
      assert.ok((await denialReasons(t.deps, 'grant.role', admin.memberId)).includes('forbid:sod-role-grant-second-person'));

      await t.deps.db.systemDb.query("UPDATE sessions SET last_verified_at = now() - interval '1 hour' WHERE id = $1", [owner.sessionId]);
      assert.equal(problemCode(await call(owner, 'POST', `/v1/role-grants/${g.id}/approve`)), 'STEP_UP_REQUIRED');
      assert.deepEqual(await rolesOf(vera.memberId), ['Viewer']);

      assert.equal((await call(vera, 'GET', '/v1/me')).statusCode, 200);
      await fresh(owner);
      const approved = await call(owner, 'POST', `/v1/role-grants/${g.id}/approve`);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().state, 'approved');
      assert.equal(approved.json().decidedBy, owner.memberId);
      assert.equal(approved.json().nextApprover, null);
      assert.deepEqual(await rolesOf(vera.memberId), ['Manager', 'Viewer']);
      assert.equal((await call(vera, 'GET', '/v1/me')).statusCode, 401, "the role change ended the member's session (R-AUTHN-5)");
      const { rows: trail } = await t.deps.db.systemDb.query<{ action: string; actor_id: string }>(
        "SELECT action, actor_id FROM audit_events WHERE action IN ('member.role.propose', 'member.role.grant') AND target_id = $1 ORDER BY occurred_at", [vera.memberId]);
      assert.deepEqual(trail.map((r) => [r.action, r.actor_id]), [['member.role.propose', admin.memberId], ['member.role.grant', owner.memberId]]);
      assert.equal(problemCode(await call(owner, 'POST', `/v1/role-grants/${g.id}/approve`)), 'ROLE_GRANT_NOT_PENDING');
      assert.equal(problemCode(await propose(admin, vera.memberId, { role: 'Manager' })), 'ROLE_GRANT_NOT_PENDING', 'the member holds it');
      vera = await signIn(t.deps, 'vera.viewer@riverside.test');
    });

    test('only an Owner proposes or approves an Owner or Admin; no one proposes a role for themselves; other tenants see nothing', async () => {
      await fresh(admin, owner, otherAdmin);
      assert.equal(problemCode(await propose(admin, vera.memberId, { role: 'Admin' })), 'FORBIDDEN');
      assert.equal(problemCode(await propose(admin, admin.memberId, { role: 'Auditor' })), 'FORBIDDEN');
      const g = (await propose(owner, vera.memberId, { role: 'Admin' })).json();
      assert.match(g.nextApprover, /^a second Owner other than olivia\.owner@riverside\.test/);
      assert.equal(problemCode(await call(admin, 'POST', `/v1/role-grants/${g.id}/approve`)), 'FORBIDDEN', 'an Admin makes no Admin');
      assert.ok((await denialReasons(t.deps, 'grant.role', admin.memberId)).includes('forbid:sod-owner-grants-privileged-roles'));
      assert.equal((await call(otherAdmin, 'GET', '/v1/role-grants')).json().grants.length, 0);
      assert.equal((await call(otherAdmin, 'POST', `/v1/role-grants/${g.id}/approve`)).statusCode, 404);
      assert.equal((await propose(otherAdmin, vera.memberId, { role: 'Agent' })).statusCode, 404);
      const cancelled = await call(admin, 'POST', `/v1/role-grants/${g.id}/cancel`);
      assert.equal(cancelled.json().state, 'cancelled', cancelled.body);
      assert.deepEqual(await rolesOf(vera.memberId), ['Manager', 'Viewer']);
    });

    test('a removal is immediate and ends the sessions; an Admin removes no Owner; no one removes their own role', async () => {
      await fresh(admin, owner);
      const removed = await call(admin, 'DELETE', `/v1/members/${vera.memberId}/roles/Manager`);
      assert.equal(removed.statusCode, 200, removed.body);
      assert.deepEqual(removed.json(), { memberId: vera.memberId, role: 'Manager', revokedSessions: 1 });
      assert.deepEqual(await rolesOf(vera.memberId), ['Viewer']);
      assert.equal((await call(vera, 'GET', '/v1/me')).statusCode, 401);
      assert.equal(problemCode(await call(admin, 'DELETE', `/v1/members/${vera.memberId}/roles/Manager`)), 'NOT_FOUND', 'not held');
      assert.equal(problemCode(await call(admin, 'DELETE', `/v1/members/${owner.memberId}/roles/Owner`)), 'FORBIDDEN');
      assert.equal(problemCode(await call(owner, 'DELETE', `/v1/members/${owner.memberId}/roles/Owner`)), 'FORBIDDEN');
      assert.deepEqual(await rolesOf(owner.memberId), ['Owner']);
      const { rows } = await t.deps.db.systemDb.query<{ metadata: { role: string } }>(
        "SELECT metadata FROM audit_events WHERE action = 'member.role.revoke' AND actor_id = $1 AND target_id = $2", [admin.memberId, vera.memberId]);
      assert.equal(rows[0]?.metadata.role, 'Manager');
    });

    test('two Owners removing each other at once leave one Owner (the last Owner keeps the role)', async () => {
      // The Admin is made an Owner by the operator's path for this test.
      await t.deps.db.systemDb.query("INSERT INTO member_roles (tenant_id, member_id, role) VALUES ($1, $2, 'Owner')", [admin.tenantId, admin.memberId]);
      await fresh(admin, owner);
      const both = await Promise.all([call(owner, 'DELETE', `/v1/members/${admin.memberId}/roles/Owner`), call(admin, 'DELETE', `/v1/members/${owner.memberId}/roles/Owner`)]);
      const codes = both.map((r) => (r.statusCode === 200 ? 'OK' : problemCode(r))).sort();
      // Whichever commits first ends the other's session (R-AUTHN-5), or the other meets the last-Owner rule.
      assert.equal(codes.filter((c) => c === 'OK').length, 1, JSON.stringify(codes));
      assert.ok(['LAST_OWNER', 'UNAUTHENTICATED', 'FORBIDDEN'].includes(codes.find((c) => c !== 'OK')!), JSON.stringify(codes));
      const { rows } = await t.deps.db.systemDb.query<{ n: number }>("SELECT count(*)::int AS n FROM member_roles WHERE tenant_id = $1 AND role = 'Owner'", [owner.tenantId]);
      assert.equal(rows[0]!.n, 1);
    });

    test('an Auditor invitation waits for a second person, like an Owner or Admin one', async () => {
      // The Admin keeps the Admin role whatever the race above removed (and a removal ended a session).
      const inviter = await signIn(t.deps, 'adrian.admin@riverside.test');
      await fresh(inviter);
      const r = await call(inviter, 'POST', '/v1/members/invitations', { email: 'new.auditor@riverside.test', role: 'Auditor' });
      assert.equal(r.statusCode, 201, r.body);
      assert.equal(r.json().requiresApproval, true);
      assert.deepEqual(await rolesOf(r.json().memberId), []);
    });
  });
}
