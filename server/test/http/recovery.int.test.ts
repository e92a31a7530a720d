// Lost-device recovery over HTTP (R-AUTHN-4, R-AUTHZ-5, R-SESS-3): the refusals. Opening needs a
// step-up; the approver is a second Owner or Admin, neither the opener, nor the member, nor a plain
// member (checked by Cedar, the module and again in SQL); the link goes only to the outbox, expires
// after 15 minutes on the server's clock and works once; the operator CLI lists and cannot act.
// The whole flow in a browser is server/test/e2e/recovery.int.test.ts.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { createFileOutbox } from '../../src/modules/notify/index.ts';
import { memberScope } from '../../src/modules/sessions/index.ts';
import { runWard } from '../support/cli.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { problemCode } from '../support/problem.ts';
import { givePasskeys, signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);

for (const { engine, skip } of ENGINES) {
  describe(`lost-device recovery over HTTP (${engine})`, { skip }, () => {
    let offsetMs = 0;
    const clock = { now: () => new Date(Date.now() + offsetMs) };
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let owner: TestSession;
    let admin: TestSession;
    let agent: TestSession;
    let manager: TestSession;
    const outbox = () => createFileOutbox(t.deps.config.notify.outboxDir).read();
    const sql = <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => t.deps.db.systemDb.query<R>(text, params);

    before(async () => {
      t = await createTestDeps(engine, { clock, demo: demo.seed });
      app = await buildApp(t.deps);
      owner = await signIn(t.deps, 'olivia.owner@riverside.test');
      admin = await signIn(t.deps, 'adrian.admin@riverside.test');
      agent = await signIn(t.deps, 'alex.agent@riverside.test');
      const { rows } = await sql<{ email: string }>(
        "SELECT m.email FROM members m JOIN member_roles r ON r.member_id = m.id WHERE m.email LIKE '%@riverside.test' AND r.role = 'Manager' ORDER BY m.email LIMIT 1");
      manager = await signIn(t.deps, rows[0]!.email);
      // Approvers are enrolled people: the demo's Owner and Admin get a passkey row; so does the member to recover.
      await givePasskeys(t.deps, owner, admin, manager);
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    const call = async (who: TestSession, url: string, payload?: unknown) =>
      app.inject({ method: 'POST', url, headers: await who.headers('POST', url), ...(payload ? { payload } : {}) });
    const verifiedNow = (who: TestSession) => sql('UPDATE sessions SET last_verified_at = $2 WHERE id = $1', [who.sessionId, clock.now()]);
    const recoveryOf = async (memberId: string) =>
      (await sql<{ id: string; state: string; note_enc: Buffer; approved_by: string | null }>("SELECT id, state, note_enc, approved_by FROM member_recoveries WHERE member_id = $1 AND state <> 'lifted'", [memberId])).rows[0];
    const audited = async (action: string) =>
      (await sql<{ outcome: string; reasons: string[]; actor_id: string }>('SELECT outcome, reasons, actor_id FROM audit_events WHERE action = $1 ORDER BY occurred_at', [action])).rows;
    const open = (who: TestSession, memberId: string) =>
      call(who, `/v1/members/${memberId}/recovery`, { verifiedBy: 'video-call', note: 'Camera on, badge 4411 shown, matched HR photo.' });

    /** A request to the public recovery ceremony from a device key of the test's own, on the server's clock. */
    async function recoverOptions(token: string) {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const jwk = await exportJWK(publicKey);
      const url = new URL('/v1/auth/recover/options', t.deps.config.origin).href;
      const dpop = await new SignJWT({ htm: 'POST', htu: url, jti: randomUUID() })
        .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } })
        .setIssuedAt(Math.floor(clock.now().getTime() / 1000)).sign(privateKey);
      return app.inject({ method: 'POST', url: '/v1/auth/recover/options', headers: { origin: t.deps.config.origin.origin, dpop }, payload: { token } });
    }

    test('opening a recovery without a recent step-up is refused (STEP_UP_REQUIRED) and opens nothing', async () => {
      await sql('UPDATE sessions SET last_verified_at = $2 WHERE id = $1', [admin.sessionId, new Date(clock.now().getTime() - 10 * 60_000)]);
      const res = await open(admin, agent.memberId);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(problemCode(res), 'STEP_UP_REQUIRED');
      assert.equal(await recoveryOf(agent.memberId), undefined);
      assert.ok((await audited('member.manage')).some((e) => e.outcome === 'denied' && e.reasons.includes('step-up-required')));
    });

    test('nobody opens a recovery of their own account, and a Manager opens none (Cedar)', async () => {
      await verifiedNow(admin);
      await verifiedNow(manager);
      const self = await open(admin, admin.memberId);
      assert.equal(self.statusCode, 403, self.body);
      assert.equal(problemCode(self), 'FORBIDDEN');
      const byManager = await open(manager, agent.memberId);
      assert.equal(byManager.statusCode, 403, byManager.body);
      assert.equal(problemCode(byManager), 'FORBIDDEN');
    });

    test('an Admin opens a recovery with a step-up: verifiedBy is recorded, the note only encrypted', async () => {
      await verifiedNow(admin);
      const res = await open(admin, agent.memberId);
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json() as { recoveryId: string; state: string };
      assert.equal(body.state, 'opened');
      const r = await recoveryOf(agent.memberId);
      assert.equal(r?.id, body.recoveryId);
      const noteEnc = Buffer.from(r!.note_enc); // PGlite hands bytea back as a Uint8Array
      assert.ok(!noteEnc.toString('latin1').includes('badge 4411'), 'the note is stored encrypted');
      const note = await t.deps.cipher.decryptPlaintextString(agent.tenantId as never, { table: 'member_recoveries', rowId: r!.id, column: 'note_enc' }, noteEnc);
      assert.equal(note, 'Camera on, badge 4411 shown, matched HR photo.');
      assert.deepEqual((await audited('member.recovery.open')).map((e) => e.outcome), ['success']);
      await verifiedNow(owner);
      const again = await open(owner, agent.memberId);
      assert.equal(problemCode(again), 'RECOVERY_IN_PROGRESS');
    });

    test('the opener cannot approve (RECOVERY_SELF_APPROVAL), audited with its reason; no link goes out', async () => {
      await verifiedNow(admin);
      const before = outbox().length;
      const res = await call(admin, `/v1/members/${agent.memberId}/recovery/approve`);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(problemCode(res), 'RECOVERY_SELF_APPROVAL');
      assert.equal(outbox().length, before);
      assert.equal((await recoveryOf(agent.memberId))?.state, 'opened');
      assert.ok((await audited('member.recovery.approve')).some((e) => e.outcome === 'denied' && e.reasons.includes('opener_approval') && e.actor_id === admin.memberId));
    });

    test('the member cannot approve their own recovery (self-approval): Cedar refuses, and so does SQL', async () => {
      await verifiedNow(agent);
      const res = await call(agent, `/v1/members/${agent.memberId}/recovery/approve`);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(problemCode(res), 'FORBIDDEN');
      assert.ok((await audited('member.manage')).some((e) => e.outcome === 'denied' && e.actor_id === agent.memberId && e.reasons.includes('forbid:sod-no-self-grant')));
      // The second wall: the definer function, called as the member, refuses with WD002 whatever the caller passes.
      const r = await recoveryOf(agent.memberId);
      await assert.rejects(
        t.deps.db.scoped(memberScope(agent.tenantId, agent.memberId), (tx) => tx.query('SELECT ward_recovery_approve($1, $2, $3, $4)', [r!.id, Buffer.alloc(32), new Date(clock.now().getTime() + 60_000), clock.now()])),
        (e: { code?: string }) => e.code === 'WD002');
      assert.equal((await recoveryOf(agent.memberId))?.state, 'opened');
    });

    test('a member who is not an Owner or Admin cannot approve (member approval): Cedar refuses, and so does SQL', async () => {
      await verifiedNow(manager);
      const res = await call(manager, `/v1/members/${agent.memberId}/recovery/approve`);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(problemCode(res), 'FORBIDDEN');
      const r = await recoveryOf(agent.memberId);
      await assert.rejects(
        t.deps.db.scoped(memberScope(manager.tenantId, manager.memberId), (tx) => tx.query('SELECT ward_recovery_approve($1, $2, $3, $4)', [r!.id, Buffer.alloc(32), new Date(clock.now().getTime() + 60_000), clock.now()])),
        (e: { code?: string }) => e.code === 'WD001');
      // Nor can the opener through SQL: the approver is the verified scope's actor, never a parameter.
      await assert.rejects(
        t.deps.db.scoped(memberScope(admin.tenantId, admin.memberId), (tx) => tx.query('SELECT ward_recovery_approve($1, $2, $3, $4)', [r!.id, Buffer.alloc(32), new Date(clock.now().getTime() + 60_000), clock.now()])),
        (e: { code?: string }) => e.code === 'WD002');
      assert.equal((await recoveryOf(agent.memberId))?.state, 'opened');
    });

    let token = '';
    test('a second person approves: the reply holds no link; the link goes to the member through the outbox', async () => {
      await verifiedNow(owner);
      const res = await call(owner, `/v1/members/${agent.memberId}/recovery/approve`);
      assert.equal(res.statusCode, 200, res.body);
      assert.doesNotMatch(res.body, /recover#|token/);
      const body = res.json() as { state: string; linkExpiresAt: string };
      assert.equal(body.state, 'approved');
      assert.equal(new Date(body.linkExpiresAt).getTime() - clock.now().getTime() <= 15 * 60_000, true);
      const sent = outbox().filter((m) => m.to === 'alex.agent@riverside.test');
      assert.equal(sent.length, 1);
      const link = /(http\S+\/recover#token=([A-Za-z0-9_-]{43}))/.exec(sent[0]!.text);
      assert.ok(link, 'the message carries the link');
      token = link[2]!;
      assert.equal((await recoveryOf(agent.memberId))?.approved_by, owner.memberId);
      assert.deepEqual((await audited('member.recovery.link_sent')).map((e) => e.outcome), ['success']);
      assert.ok(!t.logLines.join('').includes(token), 'the link is in no log line');
      // An approved recovery is not approved twice.
      await verifiedNow(manager);
      const twice = await call(owner, `/v1/members/${agent.memberId}/recovery/approve`);
      assert.equal(problemCode(twice), 'RECOVERY_NOT_PENDING');
    });

    test('lifting before any new passkey is refused (RECOVERY_NOT_PENDING)', async () => {
      await verifiedNow(owner);
      const res = await call(owner, `/v1/members/${agent.memberId}/recovery/lift`);
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(problemCode(res), 'RECOVERY_NOT_PENDING');
    });

    test('the live link opens the ceremony; after 15 minutes (server clock) it is refused as RECOVERY_LINK_INVALID', async () => {
      const live = await recoverOptions(token);
      assert.equal(live.statusCode, 200, live.body);
      offsetMs += 16 * 60_000;
      const expired = await recoverOptions(token);
      assert.equal(expired.statusCode, 400, expired.body);
      assert.equal(problemCode(expired), 'RECOVERY_LINK_INVALID');
      assert.ok((await audited('auth.recover.options')).some((e) => e.outcome === 'failure' && e.reasons.includes('link_expired')));
      const unknown = await recoverOptions('A'.repeat(43));
      assert.equal(problemCode(unknown), 'RECOVERY_LINK_INVALID');
    });

    test('a used link is refused (RECOVERY_LINK_INVALID); the Chromium suite uses one for real', async () => {
      // A new recovery (the sessions above idled out with the clock), its link marked used as a registration would.
      owner = await signIn(t.deps, 'olivia.owner@riverside.test');
      admin = await signIn(t.deps, 'adrian.admin@riverside.test');
      await verifiedNow(admin);
      // The expired approval makes way for a new recovery of the same member.
      const reopened = await open(admin, agent.memberId);
      assert.equal(reopened.statusCode, 201, reopened.body);
      await verifiedNow(owner);
      assert.equal((await call(owner, `/v1/members/${agent.memberId}/recovery/approve`)).statusCode, 200);
      const sent = outbox().filter((m) => m.to === 'alex.agent@riverside.test');
      const fresh = /recover#token=([A-Za-z0-9_-]{43})/.exec(sent.at(-1)!.text)![1]!;
      await sql("UPDATE member_recoveries SET link_used_at = $2 WHERE member_id = $1 AND state = 'approved'", [agent.memberId, clock.now()]);
      const used = await recoverOptions(fresh);
      assert.equal(problemCode(used), 'RECOVERY_LINK_INVALID');
      assert.ok((await audited('auth.recover.options')).some((e) => e.reasons.includes('link_used')));
    });

    test('ward member recovery list lists recoveries without link or note; there is no CLI command to open or approve', async () => {
      const ctx = { withDeps: <T>(fn: (d: typeof t.deps) => Promise<T>) => fn(t.deps) };
      const list = await runWard(['member', 'recovery', 'list', '--tenant', 'riverside', '--json'], { ctx });
      assert.equal(list.code, 0, list.err);
      const rows = list.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.ok(rows.some((r) => r.member === 'alex.agent@riverside.test' && r.verifiedBy === 'video-call' && r.approvedBy === 'olivia.owner@riverside.test'));
      assert.doesNotMatch(list.out, /token|badge 4411/);
      const table = await runWard(['member', 'recovery', 'list', '--tenant', 'riverside'], { ctx });
      assert.match(table.out, /alex\.agent@riverside\.test\s+approved\s+video-call/);
      for (const verb of ['open', 'approve', 'lift']) {
        const r = await runWard(['member', 'recovery', verb, '--tenant', 'riverside'], { ctx });
        assert.notEqual(r.code, 0, `ward member recovery ${verb} must not exist`);
      }
    });
  });
}
