import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from './app.ts';
import { PUBLIC_ROUTES } from './http/public-routes.ts';
import { createTestDeps, type TestDeps } from '../test/support/deps.ts';

describe('the HTTP app', () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let logLines: string[];

  before(async () => {
    t = await createTestDeps('embedded');
    logLines = t.logLines;
    app = await buildApp(t.deps);
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  test('every route declares how it is reached, and every public route is listed as public', () => {
    assert.ok(app.wardRoutes.length > 0);
    for (const route of app.wardRoutes) {
      const name = `${route.method} ${route.url}`;
      assert.ok(route.access, `${name} declares no access (public, self or an enforced Cedar action)`);
      if (route.access.kind === 'public') assert.ok(PUBLIC_ROUTES.has(name), `${name} is public but not listed in PUBLIC_ROUTES`);
      if (route.access.kind === 'enforced') assert.match(route.access.action, /^[a-zA-Z]+\.[a-zA-Z]+$/, `${name} names no Cedar action`);
    }
  });

  test('GET /healthz answers with the engine and the migration count', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok', database: 'embedded', migrations: t.deps.migrations });
    assert.ok(t.deps.migrations >= 4);
  });

  test('GET /openapi.json describes the API from the routes\' schemas, with each route\'s Cedar action', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.match(doc.openapi, /^3\./);
    assert.ok(doc.paths['/v1/patients/{id}'].get, 'the patient route is described');
    assert.match(doc.paths['/v1/patients/{id}'].get.description, /patient\.view/);
  });

  test('an unknown route answers NOT_FOUND in the one error shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/no/such/route?name=Jane+Doe' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { error: { code: 'NOT_FOUND', message: 'Not found.' } });
  });

  test('request logs carry neither query strings nor headers', async () => {
    await app.inject({ method: 'GET', url: '/healthz?patient=Jane+Doe', headers: { cookie: 'ward_session=secret-cookie' } });
    const text = logLines.join('');
    assert.ok(text.includes('/healthz'));
    assert.ok(!text.includes('Jane'), 'a query string reached the log');
    assert.ok(!text.includes('secret-cookie'), 'a cookie reached the log');
  });
});
