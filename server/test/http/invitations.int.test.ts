// Invitations and approvals over HTTP (R-AUTHN-3, R-AUTHN-5, R-AUTHZ-5): an invitation creates a new
// member only, is decided as `grant.role`, sends its link to the invited address (never back to the
// inviter), and an Owner or Admin invitation is approved by a second person in their own session.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { approveInvitation, grantRole, inviteMember } from '../../src/modules/identity/index.ts';
import { createFileOutbox } from '../../src/modules/notify/index.ts';
import { memberScope } from '../../src/modules/sessions/index.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { problemCode } from '../support/problem.ts';
import { givePasskeys, signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);

describe('invitations and approvals over HTTP', () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let admin: TestSession;
  let owner: TestSession;
  let agent: TestSession;
  const outbox = () => createFileOutbox(t.deps.config.notify.outboxDir).read();

  before(async () => {
    t = await createTestDeps('embedded', { demo: demo.seed });
    app = await buildApp(t.deps);
    admin = await signIn(t.deps, 'adrian.admin@riverside.test');
    owner = await signIn(t.deps, 'olivia.owner@riverside.test');
    agent = await signIn(t.deps, 'alex.agent@riverside.test');
    // Approvers are enrolled people: give the demo's Owner and Admin a passkey row.
    await givePasskeys(t.deps, admin, owner);
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  const call = async (who: TestSession, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: await who.headers(method, url), ...(payload ? { payload } : {}) });
  const freshVerification = (who: TestSession) => t.deps.db.systemDb.query('UPDATE sessions SET last_verified_at = now() WHERE id = $1', [who.sessionId]);
  const rolesOf = async (memberId: string) =>
    (await t.deps.db.systemDb.query<{ role: string }>('SELECT role FROM member_roles WHERE member_id = $1 ORDER BY role', [memberId])).rows.map((r) => r.role);

  test('an existing member is never invited again: no new link, MEMBER_EXISTS (account takeover by re-invitation)', async () => {
    await freshVerification(admin);
    const before = outbox().length;
    const res = await call(admin, 'POST', '/v1/members/invitations', { email: 'alex.agent@riverside.test', role: 'Agent' });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(problemCode(res), 'MEMBER_EXISTS');
    assert.equal(outbox().length, before, 'no link went out');
    const { rows } = await t.deps.db.systemDb.query('SELECT 1 FROM enrollment_tokens WHERE member_id = $1', [agent.memberId]);
    assert.equal(rows.length, 0, 'no enrollment token exists for the existing member');
    // The operator path refuses too.
    await assert.rejects(
      inviteMember({ db: t.deps.db, audit: t.deps.audit, origin: t.deps.config.origin },
        { tenantId: agent.tenantId, email: 'ALEX.agent@riverside.test', role: 'Owner', actor: { kind: 'system', id: 'system:test' } }, t.deps.clock.now()),
      { code: 'MEMBER_EXISTS' });
  });

  test('the reply carries no enrollment link; the link goes to the invited address through the 0600 outbox', async () => {
    await freshVerification(admin);
    const res = await call(admin, 'POST', '/v1/members/invitations', { email: 'new.agent@riverside.test', role: 'Agent' });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(Object.keys(res.json()).sort(), ['expiresAt', 'memberId', 'requiresApproval']);
    assert.ok(!res.body.includes('token'));
    const sent = outbox().filter((m) => m.to === 'new.agent@riverside.test');
    assert.equal(sent.length, 1);
    assert.match(sent[0]!.text, /\/enroll#token=[A-Za-z0-9_-]{43}/);
    assert.equal(statSync(t.deps.config.notify.outboxDir).mode & 0o777, 0o700);
    for (const name of (await import('node:fs')).readdirSync(t.deps.config.notify.outboxDir)) {
      assert.equal(statSync(`${t.deps.config.notify.outboxDir}/${name}`).mode & 0o777, 0o600);
    }
    // A role that needs no second person is granted by the invitation itself, not by enrolling.
    assert.deepEqual(await rolesOf(res.json().memberId), ['Agent']);
    const token = /token=([A-Za-z0-9_-]{43})/.exec(sent[0]!.text)![1]!;
    assert.ok(!t.logLines.join('').includes(token), 'an enrollment token reached the log');
  });

  test('an Agent cannot invite; an Admin cannot invite an Owner or an Admin (only an Owner makes them)', async () => {
    await freshVerification(agent);
    assert.equal((await call(agent, 'POST', '/v1/members/invitations', { email: 'x@riverside.test', role: 'Agent' })).statusCode, 403);
    await freshVerification(admin);
    for (const role of ['Owner', 'Admin']) {
      const res = await call(admin, 'POST', '/v1/members/invitations', { email: `new.${role.toLowerCase()}@riverside.test`, role });
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(problemCode(res), 'FORBIDDEN');
    }
    const { rows } = await t.deps.db.systemDb.query<{ reasons: string[] }>(
      "SELECT reasons FROM audit_events WHERE action = 'grant.role' AND actor_id = $1 AND decision = 'deny'", [admin.memberId]);
    assert.ok(rows.some((r) => r.reasons.includes('forbid:sod-owner-grants-privileged-roles')));
  });

  test("an Owner's Admin invitation is approved by a second person in their own session, with a step-up, which grants the role", async () => {
    await freshVerification(owner);
    const invited = await call(owner, 'POST', '/v1/members/invitations', { email: 'second.admin@riverside.test', role: 'Admin' });
    assert.equal(invited.statusCode, 201, invited.body);
    assert.equal(invited.json().requiresApproval, true);
    const memberId = invited.json().memberId as string;
    assert.deepEqual(await rolesOf(memberId), [], 'no privileged role before the approval');
    const path = `/v1/members/invitations/${memberId}/approve`;

    const self = await call(owner, 'POST', path);
    assert.equal(self.statusCode, 403, self.body);
    assert.equal(problemCode(self), 'ENROLLMENT_SELF_APPROVAL');

    await t.deps.db.systemDb.query("UPDATE sessions SET last_verified_at = now() - interval '1 hour' WHERE id = $1", [admin.sessionId]);
    assert.equal(problemCode(await call(admin, 'POST', path)), 'STEP_UP_REQUIRED');
    await freshVerification(admin);
    const approved = await call(admin, 'POST', path);
    assert.equal(approved.statusCode, 200, approved.body);
    assert.deepEqual(approved.json(), { memberId, role: 'Admin' });
    assert.deepEqual(await rolesOf(memberId), ['Admin']);
    const { rows } = await t.deps.db.systemDb.query<{ actor_kind: string; actor_id: string }>(
      "SELECT actor_kind, actor_id FROM audit_events WHERE action = 'member.invite.approve' AND outcome = 'success' AND target_id = $1", [memberId]);
    assert.deepEqual(rows, [{ actor_kind: 'human', actor_id: admin.memberId }]);
  });

  test('an operator approval is recorded as the operator (system), naming the person only as a claim', async () => {
    const { memberId } = await inviteMember({ db: t.deps.db, audit: t.deps.audit, origin: t.deps.config.origin },
      { tenantId: owner.tenantId, email: 'third.admin@riverside.test', role: 'Admin', invitedBy: owner.memberId, actor: { kind: 'system', id: 'system:cli' } }, t.deps.clock.now());
    await approveInvitation({ db: t.deps.db, audit: t.deps.audit },
      { tenantId: owner.tenantId, memberId, approverMemberId: admin.memberId, actor: { kind: 'system', id: 'system:cli' } }, t.deps.clock.now());
    const { rows } = await t.deps.db.systemDb.query<{ actor_kind: string; actor_id: string; metadata: Record<string, unknown> }>(
      "SELECT actor_kind, actor_id, metadata FROM audit_events WHERE action = 'member.invite.approve' AND target_id = $1", [memberId]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.actor_kind, 'system');
    assert.equal(rows[0]!.actor_id, 'system:cli');
    assert.equal(rows[0]!.metadata.approverClaim, admin.memberId);
    const { rows: token } = await t.deps.db.systemDb.query<{ approved_by: string | null }>('SELECT approved_by FROM enrollment_tokens WHERE member_id = $1', [memberId]);
    assert.equal(token[0]!.approved_by, null, 'no person is recorded as the approver');
  });

  test("a role grant revokes the member's live sessions at once (R-AUTHN-5)", async () => {
    const viewer = await signIn(t.deps, 'vera.viewer@riverside.test');
    assert.equal((await call(viewer, 'GET', '/v1/me')).statusCode, 200);
    // A person adds a role to an existing member only through a proposal and a second approval
    // (0070, server/test/http/role-grants.int.test.ts); the operator's one-person path is used here.
    await t.deps.db.scoped({ ...memberScope(viewer.tenantId, 'system:cli'), actorKind: 'system' }, (tx) =>
      grantRole(tx, t.deps, { tenantId: viewer.tenantId, memberId: viewer.memberId, role: 'Auditor', grantedBy: owner.memberId, actor: { kind: 'system', id: 'system:cli' } }, t.deps.clock.now()));
    assert.equal((await call(viewer, 'GET', '/v1/me')).statusCode, 401);
  });
});
