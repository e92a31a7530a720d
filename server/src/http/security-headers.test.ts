import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { frameworkErrors, registerErrorHandler } from './errors.ts';
import { DATA_CSP, HSTS, registerSecurityHeaders, securityHeaders } from './security-headers.ts';

async function appAt(origin: string) {
  // As app.ts wires it: the hook, and the same headers on Fastify's refusals before routing.
  const set = securityHeaders(new URL(origin));
  const app = Fastify({ frameworkErrors: (err, req, reply) => (set(reply), frameworkErrors(err, req, reply)) });
  registerErrorHandler(app);
  registerSecurityHeaders(app, new URL(origin));
  app.get('/data', async () => ({ ok: true }));
  app.get('/page', async (_req, reply) => reply.headers({ 'content-security-policy': "default-src 'self'", 'referrer-policy': 'same-origin' }).type('text/html').send('<p>'));
  await app.ready();
  return app;
}

test('every answer (data, problem details, unknown routes, bad URLs) is nosniff, unframeable, sends no Referer and is isolated from other sites (R-DATA-4)', async () => {
  const app = await appAt('http://localhost:8080');
  for (const url of ['/data', '/no/such/route', '/data/%E0%A4%A']) {
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(res.headers['content-security-policy'], DATA_CSP, url);
    assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
    assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin', url);
    assert.equal(res.headers['cross-origin-resource-policy'], 'same-origin', url);
    assert.equal(res.headers['strict-transport-security'], undefined, `${url}: no HSTS on plain http`);
  }
});

test("a page's own Content-Security-Policy and Referrer-Policy are kept", async () => {
  const res = await (await appAt('http://localhost:8080')).inject({ method: 'GET', url: '/page' });
  assert.equal(res.headers['content-security-policy'], "default-src 'self'");
  assert.equal(res.headers['referrer-policy'], 'same-origin');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
});

test('an https origin sends Strict-Transport-Security on every answer, errors too (R-SESS-1)', async () => {
  const app = await appAt('https://ward.example');
  for (const url of ['/data', '/no/such/route', '/data/%E0%A4%A']) assert.equal((await app.inject({ method: 'GET', url })).headers['strict-transport-security'], HSTS, url);
});
