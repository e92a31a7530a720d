// R-AUTHN-2: `GET /sso/<slug>` is public. An unknown slug and a tenant that does not sign in with SSO
// must be one answer after the same work, so that no one learns from outside which organisations use
// Ward; a tenant with SSO still gets the page that starts its flow (the whole flow: test/e2e/sso).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { configureSso } from '../../src/modules/sso/configure.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { insertTenant } from '../support/fixtures.ts';

const QUIET = '00000000-0000-4000-8000-0000000051a1';
const SSO = '00000000-0000-4000-8000-0000000051a2';

describe('GET /sso/<slug> does not tell which slugs exist', () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const idp = createServer();
  const calls: string[] = [];

  before(async () => {
    const port = await new Promise<number>((resolve) => idp.listen(0, '127.0.0.1', () => resolve((idp.address() as { port: number }).port)));
    const issuer = `http://localhost:${port}`;
    idp.on('request', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['ES256'],
    })));
    t = await createTestDeps('embedded', { env: { WARD_EGRESS_ALLOW: 'localhost' } });
    await t.deps.db.systemDb.transaction(async (tx) => {
      await insertTenant(tx, QUIET, 'quiet-clinic');
      await insertTenant(tx, SSO, 'sso-clinic');
    });
    await configureSso(t.deps, { tenantId: SSO, issuer, clientId: 'ward-slug', clientSecret: 's3cret', linkBy: 'subject', mfaAcr: [], allowHttpIssuer: true }, new Date());
    // Every statement the SSO module sends, by kind: the work an answer costs.
    const db = t.deps.db;
    const { authLookup, scoped } = db;
    db.authLookup = ((sql, params) => (calls.push(`lookup ${sql}`), authLookup.call(db, sql, params))) as typeof db.authLookup;
    db.scoped = ((scope, fn, opts) => (calls.push('scoped'), scoped.call(db, scope, fn, opts))) as typeof db.scoped;
    app = await buildApp(t.deps);
  });
  after(async () => {
    await app?.close();
    await t?.close();
    idp.close();
  });

  async function visit(slug: string) {
    calls.length = 0;
    const res = await app.inject({ method: 'GET', url: `/sso/${slug}` });
    const { date: _date, 'x-request-id': _id, ...headers } = res.headers;
    return { status: res.statusCode, body: res.body, headers, work: [...calls] };
  }

  test('an unknown slug and a tenant without SSO: same status, body and headers, after the same one lookup', async () => {
    const unknown = await visit('no-such-clinic');
    const quiet = await visit('quiet-clinic');
    assert.equal(unknown.status, 404);
    assert.ok(unknown.body.includes('data-code="SSO_NOT_CONFIGURED"'));
    assert.deepEqual(quiet, unknown);
    assert.equal(unknown.work.length, 1, unknown.work.join('; '));
  });

  test('a tenant with SSO gets the page that starts its flow, after the same one lookup', async () => {
    const page = await visit('sso-clinic');
    assert.equal(page.status, 200);
    assert.ok(page.body.includes('data-tenant="sso-clinic"'));
    assert.deepEqual(page.work, (await visit('no-such-clinic')).work);
  });
});
