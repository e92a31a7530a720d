// Device posture from a posture source (R-SESS-4, R-WORK-4): a person's browser shows a one-time
// binding code, an Admin (or the MDM by a signed hook) claims it for the MDM device id, and the
// posture source's signed reports set the device's posture, which reads `unknown` once the report
// is older than the tenant's limit (default 24 h). An unbound device cannot be reported on.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { createWorkload, signRequest, type RequestSigningKey } from '../../src/modules/workload/index.ts';
import { effectivePosture } from '../../src/modules/sessions/index.ts';
import { ENGINES } from '../support/databases.ts';
import { insertMember, insertTenant } from '../support/fixtures.ts';
import { problemCode } from '../support/problem.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const ORIGIN = 'https://ward.test';
type App = Awaited<ReturnType<typeof buildApp>>;

test('a reported posture reads unknown once older than the limit; an operator override does not age', () => {
  const now = new Date('2026-12-06T12:00:00Z');
  const reported = { posture: 'managed' as const, posture_source: 'report:w1', posture_updated_at: new Date(now.getTime() - 86_399_000) };
  assert.equal(effectivePosture(reported, 86_400, now), 'managed');
  assert.equal(effectivePosture({ ...reported, posture_updated_at: new Date(now.getTime() - 86_400_000) }, 86_400, now), 'unknown');
  assert.equal(effectivePosture({ ...reported, posture_source: 'operator', posture_updated_at: new Date(0) }, 86_400, now), 'managed');
});

for (const { engine, skip } of ENGINES) {
  describe(`device posture from a posture source on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: App;
    // The test's clock starts at the real time: sessions and scopes are also checked against the database's own clock.
    let nowMs = Math.floor(Date.now() / 1000) * 1000;
    const clock = { now: () => new Date(nowMs) };
    const tenantId = randomUUID();
    let mdm: RequestSigningKey;
    let voice: RequestSigningKey;
    let admin: TestSession;
    let agent: TestSession;

    async function signingWorkload(name: string, role: string): Promise<RequestSigningKey> {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const { clientId } = await createWorkload(t.deps.db, t.deps, { tenantId, name, kind: 'service', role, jwks: { keys: [publicKey.export({ format: 'jwk' }) as Record<string, unknown>] } });
      return { keyid: clientId, alg: 'ecdsa-p256-sha256', privateKey };
    }

    async function hook(path: string, body: unknown, key: RequestSigningKey) {
      const text = JSON.stringify(body);
      const headers = await signRequest({ method: 'POST', url: `${ORIGIN}${path}`, headers: { 'content-type': 'application/json' }, body: Buffer.from(text) }, key, { now: clock.now() });
      return app.inject({ method: 'POST', url: path, headers, payload: text });
    }

    async function as(who: TestSession, method: 'GET' | 'POST', path: string, body?: unknown) {
      const headers = await who.headers(method, path);
      return app.inject({ method, url: path, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, payload: body === undefined ? undefined : JSON.stringify(body) });
    }

    const postureOf = async (who: TestSession) => (await as(who, 'GET', '/v1/me')).json().device.posture as string;
    const report = (mdmDeviceId: string, over: Record<string, unknown> = {}) => ({
      mdmDeviceId, managed: true, diskEncrypted: true, osCurrent: true, healthy: true, observedAt: clock.now().toISOString(), ...over,
    });

    before(async () => {
      t = await createTestDeps(engine, { clock, env: { WARD_ORIGIN: ORIGIN } });
      app = await buildApp(t.deps);
      await t.deps.db.systemDb.transaction(async (tx) => {
        await insertTenant(tx, tenantId, `posture-${tenantId.slice(0, 8)}`);
        await insertMember(tx, { id: randomUUID(), tenantId, email: `admin-${tenantId}@clinic.test`, roles: ['Admin'], scopes: [] });
        await insertMember(tx, { id: randomUUID(), tenantId, email: `agent-${tenantId}@clinic.test`, roles: ['Agent'], scopes: ['Healthcare-PHI'] });
      });
      admin = await signIn(t.deps, `admin-${tenantId}@clinic.test`);
      agent = await signIn(t.deps, `agent-${tenantId}@clinic.test`);
      // The Admin's own device is trusted by the operator (the binding is an admin action on a managed device).
      await t.deps.db.systemDb.query("UPDATE devices SET posture = 'managed', posture_source = 'operator' WHERE member_id = $1", [admin.memberId]);
      mdm = await signingWorkload('mdm', 'PostureSource');
      voice = await signingWorkload('voice-platform', 'VoicePlatform');
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    test('an unbound device cannot be reported on (NOT_FOUND), and its posture stays unknown', async () => {
      assert.equal(await postureOf(agent), 'unknown');
      assert.equal(problemCode(await hook('/v1/hooks/posture/report', report('mdm-unbound'), mdm)), 'NOT_FOUND');
    });

    test('the browser shows a code, an Admin claims it once; a report turns the device managed, a failing one unmanaged', async () => {
      const issued = await as(agent, 'POST', '/v1/me/device/binding-code');
      assert.equal(issued.statusCode, 201, issued.body);
      const { code } = issued.json() as { code: string };
      assert.match(code, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
      const claim = await as(admin, 'POST', '/v1/devices/bindings', { code, mdmDeviceId: 'mdm-agent-laptop' });
      assert.equal(claim.statusCode, 201, claim.body);
      assert.equal(problemCode(await as(admin, 'POST', '/v1/devices/bindings', { code, mdmDeviceId: 'mdm-other' })), 'NOT_FOUND', 'a code is spent once');
      assert.equal(problemCode(await as(agent, 'POST', '/v1/me/device/binding-code')), 'CONFLICT', 'a device is bound once');

      const ok = await hook('/v1/hooks/posture/report', report('mdm-agent-laptop'), mdm);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(ok.json(), { deviceId: claim.json().deviceId, posture: 'managed', applied: true });
      assert.equal(await postureOf(agent), 'managed');

      nowMs += 1000;
      assert.equal((await hook('/v1/hooks/posture/report', report('mdm-agent-laptop', { diskEncrypted: false }), mdm)).json().posture, 'unmanaged');
      assert.equal(await postureOf(agent), 'unmanaged');
    });

    test('a report ages into unknown: at once when observed more than 24 h ago, and after the tenant setting', async () => {
      nowMs += 1000;
      const old = await hook('/v1/hooks/posture/report', report('mdm-agent-laptop', { observedAt: new Date(nowMs - 86_401_000).toISOString() }), mdm);
      assert.equal(old.json().applied, false, 'a report observed before the last one changes nothing');
      await t.deps.db.systemDb.query("UPDATE devices SET posture_updated_at = $2 WHERE mdm_device_id = $1", ['mdm-agent-laptop', new Date(nowMs - 86_401_000)]);
      assert.equal(await postureOf(agent), 'unknown');

      nowMs += 1000;
      await hook('/v1/hooks/posture/report', report('mdm-agent-laptop'), mdm);
      assert.equal(await postureOf(agent), 'managed');
      await t.deps.db.systemDb.query(`UPDATE tenants SET settings = settings || '{"postureMaxAgeSeconds": 600}'::jsonb WHERE id = $1`, [tenantId]);
      nowMs += 9 * 60_000;
      assert.equal(await postureOf(agent), 'managed');
      nowMs += 2 * 60_000;
      assert.equal(await postureOf(agent), 'unknown');
    });

    test('the MDM claims a code by a signed hook; another workload role may not report posture', async () => {
      const other = await signIn(t.deps, `agent-${tenantId}@clinic.test`);
      const { code } = (await as(other, 'POST', '/v1/me/device/binding-code')).json() as { code: string };
      const bound = await hook('/v1/hooks/posture/bind', { code, mdmDeviceId: 'mdm-agent-desktop' }, mdm);
      assert.equal(bound.statusCode, 201, bound.body);
      assert.equal(problemCode(await hook('/v1/hooks/posture/report', report('mdm-agent-desktop'), voice)), 'FORBIDDEN');
      assert.equal(await postureOf(other), 'unknown');
    });
  });
}
