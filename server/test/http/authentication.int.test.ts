// Step 1 of the pipeline (DESIGN.md) through the real app on both engines: sessions issued for any
// login method (R-SESS-1, R-AUTHN-2), the authentication chain (one credential per request), and the
// device proof's replay store (R-SESS-4).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { lockAsOperator, unlockInTx } from '../../src/modules/elevation/index.ts';
import { ENGINES } from '../support/databases.ts';
import { problemCode } from '../support/problem.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const patient = demo.patients.find((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI')!;

for (const { engine, skip } of ENGINES) {
  describe(`authentication on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp(t.deps);
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    test('a session keeps the method, amr and mfa its login issued it with', async () => {
      const sso = await signIn(t.deps, 'alex.agent@riverside.test', { authMethod: 'oidc', amr: ['pwd'], mfa: false });
      const res = await app.inject({ method: 'GET', url: '/v1/me', headers: await sso.headers('GET', '/v1/me') });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().session.authMethod, 'oidc');
      assert.deepEqual(res.json().session.amr, ['pwd']);
      const { rows } = await t.deps.db.systemDb.query<{ mfa: boolean; auth_method: string }>('SELECT mfa, auth_method FROM sessions WHERE id = $1', [sso.sessionId]);
      assert.deepEqual(rows[0], { mfa: false, auth_method: 'oidc' });
      const passkey = await signIn(t.deps, 'alex.agent@riverside.test');
      const { rows: p } = await t.deps.db.systemDb.query<{ mfa: boolean }>('SELECT mfa FROM sessions WHERE id = $1', [passkey.sessionId]);
      assert.equal(p[0]!.mfa, true);
    });

    describe('the chain: one credential per request', () => {
      let agent: TestSession;
      before(async () => {
        agent = await signIn(t.deps, 'alex.agent@riverside.test');
      });
      const path = `/v1/patients/${patient.id}`;
      const refusals = async () => (await t.deps.db.systemDb.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'session.refused'")).rows[0]!.n;

      test('a request with a session and a DPoP-bound token is refused before either is checked', async () => {
        const headers = await agent.headers('GET', path);
        const before = await refusals();
        const res = await app.inject({ method: 'GET', url: path, headers: { ...headers, authorization: 'DPoP eyJhbGciOiJFUzI1NiJ9.e30.c2ln' } });
        assert.equal(res.statusCode, 401);
        assert.equal(problemCode(res), 'UNAUTHENTICATED');
        assert.equal(await refusals(), before, 'no authenticator ran');
        // The session authenticator never saw the proof: it is still unspent and serves its own request.
        const alone = await app.inject({ method: 'GET', url: path, headers });
        assert.equal(alone.statusCode, 200, alone.body);
      });

      test('a token no authenticator accepts is refused, not ignored', async () => {
        const res = await app.inject({ method: 'GET', url: path, headers: { authorization: 'Basic YTpi' } });
        assert.equal(res.statusCode, 401);
        assert.equal(problemCode(res), 'UNAUTHENTICATED');
      });

      test('a Bearer token is claimed by the token link and refused: tokens are sender-constrained (R-WORK-2)', async () => {
        const res = await app.inject({ method: 'GET', url: path, headers: { authorization: 'Bearer abc' } });
        assert.equal(res.statusCode, 401);
        assert.equal(problemCode(res), 'BEARER_NOT_ACCEPTED');
      });

      test('a present but invalid session cookie is 401 and falls through to nothing', async () => {
        const headers = await agent.headers('GET', path);
        const res = await app.inject({ method: 'GET', url: path, headers: { ...headers, cookie: headers.cookie!.replace(/=.*/, `=${'A'.repeat(43)}`) } });
        assert.equal(res.statusCode, 401);
      });

      test('a replayed device proof is refused, on an enforced route and on a self route', async () => {
        for (const url of [path, '/v1/me']) {
          const headers = await agent.headers('GET', url);
          assert.equal((await app.inject({ method: 'GET', url, headers })).statusCode, 200);
          const replay = await app.inject({ method: 'GET', url, headers });
          assert.equal(replay.statusCode, 401, url);
          assert.equal(problemCode(replay), 'DEVICE_PROOF_INVALID');
        }
      });

      test('CSRF: a state-changing request with a cookie needs the origin; one without a cookie is not asked for it', async () => {
        const url = `/v1/patients/${patient.id}/case-notes`;
        const { origin: _origin, ...noOrigin } = await agent.headers('POST', url);
        const withCookie = await app.inject({ method: 'POST', url, headers: noOrigin, payload: { body: 'x' } });
        assert.equal(withCookie.statusCode, 403);
        assert.equal(problemCode(withCookie), 'ORIGIN_NOT_ALLOWED');
        const workload = await app.inject({ method: 'POST', url, headers: { dpop: noOrigin.dpop! }, payload: { body: 'x' } });
        assert.equal(workload.statusCode, 401);
        assert.equal(problemCode(workload), 'UNAUTHENTICATED');
      });

      test('a locked member or device is refused on every authenticated route, self routes and passkey ceremonies included (R-GOV-5)', async () => {
        const locked = await signIn(t.deps, 'alex.agent@riverside.test');
        const { device_id: deviceId } = (await t.deps.db.systemDb.query<{ device_id: string }>('SELECT device_id FROM sessions WHERE id = $1', [locked.sessionId])).rows[0]!;
        const routes = [['GET', '/v1/me'], ['GET', '/v1/me/passkeys'], ['POST', '/v1/auth/step-up/options'], ['GET', path], ['POST', '/v1/auth/logout']] as const;
        const lockedReasons = async () => (await t.deps.db.systemDb.query<{ reasons: string[] }>(
          "SELECT reasons FROM audit_events WHERE action = 'session.refused' AND session_id = $1", [locked.sessionId])).rows.map((r) => r.reasons[0]).sort();
        for (const target of [{ member: 'alex.agent@riverside.test' }, { device: deviceId }]) {
          const lock = await lockAsOperator(t.deps.db, t.deps.audit, { tenantId: locked.tenantId, ...target, detectionId: null }, t.deps.clock.now());
          for (const [method, url] of routes) {
            const res = await app.inject({ method, url, headers: await locked.headers(method, url), ...(method === 'POST' ? { payload: {} } : {}) });
            assert.equal(res.statusCode, 403, `${method} ${url} ${res.body}`);
            assert.equal(problemCode(res), 'LOCKED', `${method} ${url}`);
          }
          // Unlocked by a second person (an Owner, through the definer function): the same session works again.
          const owner = (await t.deps.db.systemDb.query<{ id: string }>("SELECT m.id FROM members m JOIN member_roles r ON r.member_id = m.id WHERE m.tenant_id = $1 AND r.role = 'Owner' AND m.status = 'active' LIMIT 1", [locked.tenantId])).rows[0]!.id;
          await t.deps.db.scoped({ tenantId: locked.tenantId, phiScopes: [], actorId: owner, actorKind: 'human' }, (tx) => unlockInTx(tx, lock.id, t.deps.clock.now()));
          const me = await app.inject({ method: 'GET', url: '/v1/me', headers: await locked.headers('GET', '/v1/me') });
          assert.equal(me.statusCode, 200, me.body);
        }
        // Each refusal is in the trail, with the lock that stopped it.
        assert.deepEqual(await lockedReasons(), [...routes.map(() => 'locked:device'), ...routes.map(() => 'locked:member')]);
      });

      test('a locked member or device gets no session from any login method: LOCKED before anything is written, until unlocked (R-GOV-5)', async () => {
        const email = 'alex.agent@riverside.test';
        const first = await signIn(t.deps, email, { authMethod: 'oidc', amr: ['pwd'], mfa: false });
        const { member_id: memberId, device_id: deviceId, thumbprint } = (await t.deps.db.systemDb.query<{ member_id: string; device_id: string; thumbprint: string }>(
          'SELECT s.member_id, s.device_id, d.thumbprint FROM sessions s JOIN devices d ON d.id = s.device_id WHERE s.id = $1', [first.sessionId])).rows[0]!;
        const owner = (await t.deps.db.systemDb.query<{ id: string }>("SELECT m.id FROM members m JOIN member_roles r ON r.member_id = m.id WHERE m.tenant_id = $1 AND r.role = 'Owner' AND m.status = 'active' LIMIT 1", [first.tenantId])).rows[0]!.id;
        const count = async () => (await t.deps.db.systemDb.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE member_id = $1', [memberId])).rows[0]!.n;
        const publicJwk = (await t.deps.db.systemDb.query<{ public_jwk: Record<string, string> }>('SELECT public_jwk FROM devices WHERE id = $1', [deviceId])).rows[0]!.public_jwk;
        const issueOnKnownDevice = () => t.deps.db.scoped({ tenantId: first.tenantId, phiScopes: [], actorId: memberId, actorKind: 'human' }, (tx) => t.deps.sessions.issue(tx, {
          tenantId: first.tenantId, memberId, authMethod: 'oidc', amr: ['pwd'], mfa: false, deviceKey: { thumbprint, publicJwk }, sourceIp: '127.0.0.1',
        }));
        for (const [target, reason] of [[{ member: email }, 'locked:member'], [{ device: deviceId }, 'locked:device']] as const) {
          const lock = await lockAsOperator(t.deps.db, t.deps.audit, { tenantId: first.tenantId, ...target, detectionId: null }, t.deps.clock.now());
          const before = await count();
          await assert.rejects(issueOnKnownDevice(), (e: { code?: string; reasons?: string[] }) => e.code === 'LOCKED' && e.reasons?.[0] === reason);
          if (reason === 'locked:member') await assert.rejects(signIn(t.deps, email), (e: { code?: string }) => e.code === 'LOCKED', 'a new device key too');
          else assert.ok(await signIn(t.deps, email), 'a device lock stops that device only');
          assert.equal(await count(), before + (reason === 'locked:device' ? 1 : 0), 'no session row for the locked sign-in');
          await t.deps.db.scoped({ tenantId: first.tenantId, phiScopes: [], actorId: owner, actorKind: 'human' }, (tx) => unlockInTx(tx, lock.id, t.deps.clock.now()));
          const issued = await issueOnKnownDevice();
          assert.ok(issued.sessionId, 'after the unlock by a second person, sign-in works');
        }
        // The definer answers only for the verified tenant of the scope: another tenant's scope sees no lock.
        const other = demo.tenants.find((x) => x.id !== first.tenantId)!;
        const lock = await lockAsOperator(t.deps.db, t.deps.audit, { tenantId: first.tenantId, member: email, detectionId: null }, t.deps.clock.now());
        const seen = await t.deps.db.scoped({ tenantId: other.id, phiScopes: [], actorId: 'system:test', actorKind: 'system' }, async (tx) =>
          (await tx.query<{ locked: string | null }>('SELECT ward_sign_in_lock($1, $2) AS locked', [memberId, thumbprint])).rows[0]!.locked);
        assert.equal(seen, null);
        await t.deps.db.scoped({ tenantId: first.tenantId, phiScopes: [], actorId: owner, actorKind: 'human' }, (tx) => unlockInTx(tx, lock.id, t.deps.clock.now()));
      });

      test('a read commits once: the proof is spent and the idle timer slides in the access transaction', async () => {
        await t.deps.db.systemDb.query("UPDATE sessions SET last_seen_at = last_seen_at - interval '1 minute' WHERE id = $1", [agent.sessionId]);
        const before = (await t.deps.db.systemDb.query<{ last_seen_at: Date }>('SELECT last_seen_at FROM sessions WHERE id = $1', [agent.sessionId])).rows[0]!.last_seen_at;
        const res = await app.inject({ method: 'GET', url: path, headers: await agent.headers('GET', path) });
        assert.equal(res.statusCode, 200);
        const after = (await t.deps.db.systemDb.query<{ last_seen_at: Date }>('SELECT last_seen_at FROM sessions WHERE id = $1', [agent.sessionId])).rows[0]!.last_seen_at;
        assert.ok(after.getTime() > before.getTime(), 'the idle timer slid');
        // Within the slide step the timer stays where it is (no statement is sent for it).
        const again = await app.inject({ method: 'GET', url: path, headers: await agent.headers('GET', path) });
        assert.equal(again.statusCode, 200);
        const still = (await t.deps.db.systemDb.query<{ last_seen_at: Date }>('SELECT last_seen_at FROM sessions WHERE id = $1', [agent.sessionId])).rows[0]!.last_seen_at;
        assert.equal(still.getTime(), after.getTime());
      });
    });
  });
}
