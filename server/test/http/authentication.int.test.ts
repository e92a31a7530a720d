// Step 1 of the pipeline (DESIGN.md) through the real app on both engines: sessions issued for any
// login method (R-SESS-1, R-AUTHN-2), the authentication chain (one credential per request), and the
// device proof's replay store (R-SESS-4).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { signIn } from '../support/session-client.ts';

const demo = generateDemo(1);

for (const { engine, skip } of ENGINES) {
  describe(`authentication on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;

    before(async () => {
      t = await createTestDeps(engine);
      await seedDemo(t.deps.db.systemDb, demo, { cipher: t.deps.cipher });
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
  });
}
