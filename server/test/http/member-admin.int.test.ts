// Disabling members and revoking devices over HTTP (R-AUTHN-5, R-SESS-1, R-SESS-4), on both engines:
// a disabled member's live session is refused on its very next request, enabling brings them back,
// nobody disables or enables themselves; two Owners disabling each other at once leave one active; a
// device list shows posture; revoking a device ends its sessions and locks it until a second person
// unlocks it; another tenant's admin reaches none of it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { problemCode } from '../support/problem.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);

for (const { engine, skip } of ENGINES) {
  describe(`disabling members and revoking devices on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let admin: TestSession;
    let owner: TestSession;
    let otherAdmin: TestSession;

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp(t.deps);
      admin = await signIn(t.deps, 'adrian.admin@riverside.test');
      owner = await signIn(t.deps, 'olivia.owner@riverside.test');
      otherAdmin = await signIn(t.deps, 'ada.admin@lakeside.test');
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    const call = async (who: TestSession, method: 'GET' | 'POST', url: string, payload?: unknown) =>
      app.inject({ method, url, headers: await who.headers(method, url), ...(payload ? { payload } : {}) });
    const fresh = (...who: TestSession[]) => t.deps.db.systemDb.query('UPDATE sessions SET last_verified_at = now() WHERE id = ANY($1)', [who.map((w) => w.sessionId)]);

    test("a disabled member's live session is refused on its next request; enabled again, they sign in anew", async () => {
      const agent = await signIn(t.deps, 'alex.agent@riverside.test');
      assert.equal((await call(agent, 'GET', '/v1/me')).statusCode, 200);
      await fresh(admin);
      const disabled = await call(admin, 'POST', `/v1/members/${agent.memberId}/disable`);
      assert.equal(disabled.statusCode, 200, disabled.body);
      assert.equal(disabled.json().status, 'disabled');
      assert.ok(disabled.json().revokedSessions >= 1);
      assert.equal((await call(agent, 'GET', '/v1/me')).statusCode, 401, 'the live session is refused at once');
      assert.equal(problemCode(await call(admin, 'POST', `/v1/members/${agent.memberId}/disable`)), 'CONFLICT');
      const listed = (await call(admin, 'GET', '/v1/members')).json().members.find((m: { id: string }) => m.id === agent.memberId);
      assert.equal(listed.status, 'disabled');

      const enabled = await call(admin, 'POST', `/v1/members/${agent.memberId}/enable`);
      assert.equal(enabled.statusCode, 200, enabled.body);
      assert.ok(['active', 'invited'].includes(enabled.json().status));
      const { rows } = await t.deps.db.systemDb.query<{ action: string; actor_id: string }>(
        "SELECT action, actor_id FROM audit_events WHERE action IN ('member.disable', 'member.enable') AND target_id = $1 ORDER BY occurred_at", [agent.memberId]);
      assert.deepEqual(rows.map((r) => r.action), ['member.disable', 'member.enable']);
    });

    test('nobody disables themselves; a step-up is asked for; an Agent disables no one; another tenant sees a 404', async () => {
      await fresh(admin);
      const self = await call(admin, 'POST', `/v1/members/${admin.memberId}/disable`);
      assert.equal(self.statusCode, 403, self.body);
      await t.deps.db.systemDb.query("UPDATE sessions SET last_verified_at = now() - interval '1 hour' WHERE id = $1", [owner.sessionId]);
      assert.equal(problemCode(await call(owner, 'POST', `/v1/members/${admin.memberId}/disable`)), 'STEP_UP_REQUIRED');
      const agent = await signIn(t.deps, 'amara.agent@riverside.test');
      await fresh(agent);
      assert.equal((await call(agent, 'POST', `/v1/members/${admin.memberId}/disable`)).statusCode, 403);
      await fresh(otherAdmin);
      assert.equal((await call(otherAdmin, 'POST', `/v1/members/${agent.memberId}/disable`)).statusCode, 404);
      const { rows } = await t.deps.db.systemDb.query<{ status: string }>('SELECT status FROM members WHERE id = ANY($1)', [[admin.memberId, agent.memberId]]);
      assert.deepEqual(rows.map((r) => r.status), ['active', 'active']);
    });

    test('two Owners disabling each other at once leave one active Owner (R-AUTHZ-5)', async () => {
      const second = await signIn(t.deps, 'vera.viewer@riverside.test');
      await t.deps.db.systemDb.query("INSERT INTO member_roles (tenant_id, member_id, role) SELECT tenant_id, id, 'Owner' FROM members WHERE id = $1", [second.memberId]);
      await fresh(owner, second);
      try {
        const [a, b] = await Promise.all([
        call(owner, 'POST', `/v1/members/${second.memberId}/disable`),
        call(second, 'POST', `/v1/members/${owner.memberId}/disable`),
      ]);
      assert.deepEqual([a.statusCode, b.statusCode].filter((s) => s === 200).length, 1, `${a.statusCode} ${a.body} / ${b.statusCode} ${b.body}`);
        // The other is refused: its session ended with its member (401), or the last Owner rule (409).
        assert.ok([401, 409].includes(a.statusCode === 200 ? b.statusCode : a.statusCode));
      const { rows } = await t.deps.db.systemDb.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM members m JOIN member_roles r ON r.member_id = m.id AND r.role = 'Owner' WHERE m.tenant_id = (SELECT tenant_id FROM members WHERE id = $1) AND m.status = 'active'", [owner.memberId]);
      assert.equal(rows[0]!.n, 1);
      } finally {
        // Put the tenant back as the other tests expect it: Olivia the only Owner, active; Vera a Viewer.
        await t.deps.db.systemDb.query("UPDATE members SET status = 'active', disabled_at = NULL WHERE id = ANY($1)", [[owner.memberId, second.memberId]]);
        await t.deps.db.systemDb.query("DELETE FROM member_roles WHERE member_id = $1 AND role = 'Owner'", [second.memberId]);
        owner = await signIn(t.deps, 'olivia.owner@riverside.test');
      }
    });

    test("devices are listed with their posture; revoking one ends its sessions and locks it until a second person unlocks it", async () => {
      const victim = await signIn(t.deps, 'andre.agent@riverside.test');
      assert.equal((await call(victim, 'GET', '/v1/me')).statusCode, 200);
      const deviceId = (await t.deps.db.systemDb.query<{ device_id: string }>('SELECT device_id FROM sessions WHERE id = $1', [victim.sessionId])).rows[0]!.device_id;
      await fresh(admin);
      const listed = await call(admin, 'GET', `/v1/members/${victim.memberId}/devices`);
      assert.equal(listed.statusCode, 200, listed.body);
      const device = listed.json().devices.find((d: { id: string }) => d.id === deviceId);
      assert.ok(device, 'the session device is listed');
      assert.equal(device.memberId, victim.memberId);
      assert.ok(['managed', 'unmanaged', 'unknown'].includes(device.posture));
      assert.ok(device.liveSessions >= 1);
      assert.equal(device.locked, false);
      assert.equal((await call(otherAdmin, 'GET', `/v1/members/${victim.memberId}/devices`)).json().devices.length, 0, 'row-level security hides another tenant');

      const revoked = await call(admin, 'POST', `/v1/devices/${deviceId}/revoke`);
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.ok(revoked.json().revokedSessions >= 1);
      assert.equal((await call(victim, 'GET', '/v1/me')).statusCode, 401, "the device's session is refused at once");
      const after = (await call(admin, 'GET', `/v1/members/${victim.memberId}/devices`)).json().devices.find((d: { id: string }) => d.id === deviceId);
      assert.equal(after.locked, true);
      assert.equal(after.liveSessions, 0);
      // The same admin cannot unlock it: a second person does.
      const lockId = revoked.json().lockId as string;
      const same = await call(admin, 'POST', `/v1/locks/${lockId}/unlock`);
      assert.equal(same.statusCode, 403, same.body);
      await fresh(owner);
      assert.equal((await call(owner, 'POST', `/v1/locks/${lockId}/unlock`)).statusCode, 200);
      await fresh(otherAdmin);
      assert.equal((await call(otherAdmin, 'POST', `/v1/devices/${deviceId}/revoke`)).statusCode, 404);
    });
  });
}
