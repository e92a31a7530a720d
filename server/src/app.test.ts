import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from './app.ts';
import { PUBLIC_ROUTES } from './http/public-routes.ts';
import { createTestDeps, type TestDeps } from '../test/support/deps.ts';
import { problemCode } from '../test/support/problem.ts';

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
      if (route.access.kind === 'enforced') assert.match(route.access.action, /^[a-zA-Z]+(\.[a-zA-Z]+)+$/, `${name} names no Cedar action`);
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

  test('text PostgreSQL cannot store, and JSON nested past 32 levels, are refused before any handler, each for what it is (R-DATA-4)', async () => {
    let nested: unknown = 'x';
    for (let i = 0; i < 40; i += 1) nested = [nested];
    const send = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/auth/sign-in/options', headers: { 'content-type': 'application/json', origin: t.deps.config.origin.origin }, payload: JSON.stringify(payload) });
    for (const [payload, detail] of [[{ deep: nested }, /nested more than 32 levels/], [{ name: 'a\u0000b' }, /NUL characters/], [{ ['k\u0000']: 1 }, /NUL characters/]] as const) {
      const res = await send(payload);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(problemCode(res), 'BAD_REQUEST');
      assert.match(res.json().detail, detail);
    }
  });

  test('an unknown route answers NOT_FOUND as RFC 9457 problem details, with the request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/no/such/route?name=Jane+Doe' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    const id = String(res.headers['x-request-id']);
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(res.json(), { type: 'urn:ward:error:NOT_FOUND', title: 'Not found.', status: 404, code: 'NOT_FOUND', requestId: id });
    assert.equal(problemCode(res), 'NOT_FOUND');
    // The security headers are wired for every answer (http/security-headers.ts).
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
  });

  test('every response carries its own request id, and the log lines of the request quote it', async () => {
    const a = await app.inject({ method: 'GET', url: '/livez', headers: { 'x-request-id': 'chosen-by-the-client' } });
    const b = await app.inject({ method: 'GET', url: '/livez' });
    const id = String(a.headers['x-request-id']);
    assert.match(id, /^[0-9a-f-]{36}$/, 'a client-chosen id is not taken over');
    assert.notEqual(id, b.headers['x-request-id']);
    assert.ok(logLines.some((l) => (JSON.parse(l) as { requestId?: string }).requestId === id), 'the log quotes the id');
  });

  test('a schema refusal is BAD_REQUEST in problem details; a WardError detail reaches the log, never the client', async () => {
    const bad = await app.inject({ method: 'POST', url: '/v1/auth/sign-in/options', payload: '{"unexpected": [', headers: { 'content-type': 'application/json', origin: t.deps.config.origin.origin } });
    assert.equal(bad.statusCode, 400);
    assert.equal(problemCode(bad), 'BAD_REQUEST');
  });

  test('a 401 behind the authentication chain names how to authenticate (RFC 9110 §15.5.2, RFC 9449 §7.1): DPoP on the API, Bearer on SCIM', async () => {
    for (const [url, challenge] of [['/v1/me', new RegExp(`^DPoP algs="ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512 EdDSA Ed25519", resource_metadata="${t.deps.config.origin.origin}/\\.well-known/oauth-protected-resource/v1"$`)], ['/v1/patients/00000000-0000-4000-8000-000000000000', /^DPoP /], ['/scim/v2/Users', /^Bearer realm="ward-scim"$/]] as const) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 401, url);
      assert.match(String(res.headers['www-authenticate']), challenge, url);
    }
    // The token endpoint's invalid_client names none: no Authorization header was used (RFC 6749 §5.2).
    const token = await app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials' });
    assert.equal(token.statusCode, 401);
    assert.equal(token.headers['www-authenticate'], undefined);
  });

  test('GET /livez answers without the database; GET /readyz answers when the database does', async () => {
    const live = await app.inject({ method: 'GET', url: '/livez' });
    assert.deepEqual([live.statusCode, live.json()], [200, { status: 'ok' }]);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.deepEqual([ready.statusCode, ready.json()], [200, { status: 'ok', database: 'embedded', migrations: t.deps.migrations }]);
  });

  test('the OpenAPI description names security schemes, headers, error responses, operation ids, tags and summaries', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['dpop', 'scimBearer', 'sessionCookie']);
    assert.equal(doc.components.securitySchemes.dpop.name, 'DPoP');
    const ids = new Set<string>();
    const missing: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
      for (const [method, op] of Object.entries(item)) {
        const name = `${method.toUpperCase()} ${path}`;
        if (method === 'head') continue;
        if (typeof op.operationId !== 'string' || ids.has(op.operationId)) missing.push(`${name}: operationId`);
        ids.add(String(op.operationId));
        if (!Array.isArray(op.tags) || op.tags.length === 0) missing.push(`${name}: tags`);
        if (typeof op.summary !== 'string' || op.summary === '') missing.push(`${name}: summary`);
        const responses = op.responses as Record<string, { content?: Record<string, unknown> }>;
        const errorType = path.startsWith('/oauth/') ? 'application/json' : path.startsWith('/scim/') ? 'application/scim+json' : 'application/problem+json';
        if (!responses['400']?.content?.[errorType]) missing.push(`${name}: error responses`);
      }
    }
    assert.deepEqual(missing, []);
    const patient = doc.paths['/v1/patients/{id}'].get;
    assert.equal(patient.operationId, 'getPatientsById');
    assert.deepEqual(patient.security, [{ sessionCookie: [], dpop: [] }]);
    assert.deepEqual(patient.parameters.filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name).sort(), ['ward-justification', 'ward-purpose']);
    assert.ok(patient.responses['403'] && patient.responses['404']);
    assert.equal(doc.paths['/livez'].get.security, undefined, 'probes are public');
  });

  test('no route takes a patient identifier in its URL: the search is a POST', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.ok(doc.paths['/v1/patients/search'].post);
    assert.equal(doc.paths['/v1/patients/search'].get, undefined);
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>>)) {
      for (const op of Object.values(item)) {
        const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        assert.deepEqual(query.filter((n) => /mrn|phone|member|ssn|name|birth|email|address|zip/i.test(n)), [], `${path} takes an identifier in its query`);
      }
    }
    // A GET reaches /v1/patients/:id, which refuses `search` as an id: nothing is searched.
    const get = await app.inject({ method: 'GET', url: '/v1/patients/search?mrn=123' });
    assert.equal(problemCode(get), 'BAD_REQUEST');
  });

  test('request logs carry neither query strings nor headers', async () => {
    await app.inject({ method: 'GET', url: '/healthz?patient=Jane+Doe', headers: { cookie: 'ward_session=secret-cookie' } });
    const text = logLines.join('');
    assert.ok(text.includes('/healthz'));
    assert.ok(!text.includes('Jane'), 'a query string reached the log');
    assert.ok(!text.includes('secret-cookie'), 'a cookie reached the log');
  });
});
