// R-WORK-4, R-SESS-1: the back-channel logout endpoint is public, and the logout token names the
// tenant whose IdP keys verify it. Those keys are fetched from the `jwks_uri` of the IdP's discovery
// document, which the IdP (or whoever configured the issuer) controls: that fetch goes through the
// egress policy like discovery itself, so an unsigned token posted by anyone cannot make Ward call
// an address the policy refuses (here a loopback address that WARD_EGRESS_ALLOW does not list).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { configureSso } from '../../src/modules/sso/configure.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { insertTenant } from '../support/fixtures.ts';

const TENANT = '00000000-0000-4000-8000-00000000b0c1';
const CLIENT_ID = 'ward-backchannel-test';

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as { port: number }).port)));
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('back-channel logout fetches the IdP keys through the egress policy', () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let issuer: string;
  let internalHits = 0;
  const idp = createServer();
  const internal = createServer((_req, res) => {
    internalHits += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
  });

  before(async () => {
    const internalPort = await listen(internal, '127.0.0.2');
    const idpPort = await listen(idp, '127.0.0.1');
    issuer = `http://localhost:${idpPort}`;
    idp.on('request', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, response_types_supported: ['code'],
      subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['ES256'],
      jwks_uri: `http://127.0.0.2:${internalPort}/latest/meta-data`,
    })));
    // The IdP's host is allowed (as an operator would list it); the internal address is not.
    t = await createTestDeps('embedded', { env: { WARD_EGRESS_ALLOW: 'localhost' } });
    await t.deps.db.systemDb.transaction((tx) => insertTenant(tx, TENANT, 'backchannel'));
    await configureSso(t.deps, { tenantId: TENANT, issuer, clientId: CLIENT_ID, clientSecret: 's3cret', linkBy: 'subject', mfaAcr: [], allowHttpIssuer: true }, new Date());
    app = await buildApp(t.deps);
  });
  after(async () => {
    await app?.close();
    await t?.close();
    idp.close();
    internal.close();
  });

  test('an unsigned logout token naming the tenant is refused, and the refused jwks_uri is never called', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'ES256', typ: 'logout+jwt' })}.${b64({ iss: issuer, aud: CLIENT_ID, sub: 'someone', iat: now, jti: 'j'.repeat(16), events: { 'http://schemas.openid.net/event/backchannel-logout': {} } })}.${'A'.repeat(86)}`;
    const res = await app.inject({ method: 'POST', url: '/v1/auth/sso/backchannel-logout', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ logout_token: token }).toString() });
    assert.equal(res.statusCode, 400);
    assert.equal(internalHits, 0, 'Ward called an address the egress policy refuses');
  });
});
