// Ward's OAuth token endpoint and DPoP-protected resources as an independent client meets them over a
// real HTTP connection (R-WORK-1, R-WORK-2, R-AI-6): every proof and assertion is built here with jose
// alone, against RFC 6749 §5, RFC 7523, RFC 8414, RFC 9449 and RFC 9728. PGlite only, to stay fast
// (workloads.int.test.ts covers both engines through an OAuth library).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { accessTokenHash } from '../../src/modules/proof/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { freePort } from '../support/free-port.ts';
import { runCli } from '../support/oauth-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const patient = demo.patients.find((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI')!;
const { engine, skip } = ENGINES[0]!;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

interface DpopKey { privateKey: CryptoKey; jwk: JWK; jkt: string }

describe(`OAuth and DPoP conformance over HTTP on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let origin: string;
  let clientId: string;
  let clientKey: CryptoKey;
  let nonce = '';

  const jti = () => randomBytes(24).toString('base64url');
  const newDpopKey = async (): Promise<DpopKey> => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
  };
  const proof = (key: DpopKey, htm: string, htu: string, extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    new SignJWT({ htm, htu, jti: jti(), nonce, ...extra })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk, ...header })
      .setIssuedAt(typeof extra.iat === 'number' ? extra.iat : undefined).sign(key.privateKey);
  const assertion = (aud = origin) => new SignJWT({}).setProtectedHeader({ alg: 'ES256' })
    .setIssuer(clientId).setSubject(clientId).setAudience(aud).setJti(jti()).setIssuedAt().setExpirationTime('60s').sign(clientKey);
  const form = async (extra: Record<string, string> = {}) => new URLSearchParams({
    grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(), ...extra,
  }).toString();
  const post = (path: string, body: string, headers: Record<string, string>) => fetch(`${origin}${path}`, { method: 'POST', headers: { ...FORM, ...headers }, body });
  const learn = (res: Response) => {
    const fresh = res.headers.get('dpop-nonce');
    if (fresh) nonce = fresh;
    return res;
  };

  async function tokenFor(key: DpopKey, resource?: string): Promise<string> {
    const body = await form(resource ? { resource } : {});
    const res = learn(await post('/oauth/token', body, { dpop: await proof(key, 'POST', `${origin}/oauth/token`) }));
    assert.equal(res.status, 200, await res.clone().text());
    return ((await res.json()) as { access_token: string }).access_token;
  }

  before(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    t = await createTestDeps(engine, { env: { WARD_ORIGIN: origin }, demo: demo.seed });
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const r = await runCli(t, ['workload', 'create', '--tenant', 'riverside', '--name', 'probe-agent', '--kind', 'ai_agent', '--role', 'VoiceAgent', '--scopes', 'Healthcare-PHI', '--approver', 'olivia.owner@riverside.test'],
      JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'probe-1' }] }));
    assert.equal(r.code, 0, r.err);
    clientId = r.out.trim().split('\n').at(-1)!;
    clientKey = privateKey;
    app = await buildApp(t.deps);
    await app.listen({ port, host: 'localhost' });
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  test('RFC 8414 and RFC 9728 metadata: exact issuer, absolute endpoints, the algorithms a client needs', async () => {
    const as = (await (await fetch(`${origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.equal(as.issuer, origin);
    for (const k of ['token_endpoint', 'revocation_endpoint', 'jwks_uri']) assert.ok(String(as[k]).startsWith(`${origin}/`), k);
    assert.deepEqual(as.token_endpoint_auth_methods_supported, ['private_key_jwt']);
    assert.ok((as.token_endpoint_auth_signing_alg_values_supported as string[]).includes('ES256'));
    assert.deepEqual(as.dpop_signing_alg_values_supported, ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA', 'Ed25519']);
    // RFC 9728 §3: each resource's metadata at the well-known path with its own path appended, naming itself exactly.
    for (const resource of ['mcp', 'v1']) {
      const prm = (await (await fetch(`${origin}/.well-known/oauth-protected-resource/${resource}`)).json()) as Record<string, unknown>;
      assert.equal(prm.resource, `${origin}/${resource}`);
      assert.deepEqual(prm.authorization_servers, [origin]);
      assert.deepEqual(prm.dpop_signing_alg_values_supported, as.dpop_signing_alg_values_supported);
      assert.equal(prm.dpop_bound_access_tokens_required, true);
    }
  });

  test('RFC 9449 §8: a proof without the nonce is use_dpop_nonce (400, DPoP-Nonce, no-store); with it, a DPoP token bound to the key', async () => {
    nonce = '';
    const key = await newDpopKey();
    const first = await post('/oauth/token', await form(), { dpop: await proof(key, 'POST', `${origin}/oauth/token`) });
    assert.equal(first.status, 400);
    assert.equal(((await first.json()) as { error: string }).error, 'use_dpop_nonce');
    assert.equal(first.headers.get('cache-control'), 'no-store');
    assert.ok(first.headers.get('dpop-nonce'));
    learn(first);
    // Unknown parameters are ignored and empty ones are omitted ones (RFC 6749 §3.1): the default resource.
    const res = await post('/oauth/token', await form({ unknown_extension: 'x', client_id: '', resource: '', scope: '' }), { dpop: await proof(key, 'POST', `${origin}/oauth/token?ignored=1#frag`) });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await res.json()) as { token_type: string; access_token: string };
    assert.equal(body.token_type, 'DPoP');
    assert.equal((decodeJwt(body.access_token).cnf as { jkt: string }).jkt, key.jkt);
    assert.equal(decodeJwt(body.access_token).aud, `${origin}/v1`);
  });

  test('RFC 6749 §5.2 errors: status, {error, error_description}, no-store', async () => {
    const key = await newDpopKey();
    const dpop = async () => proof(key, 'POST', `${origin}/oauth/token`);
    const cases: [string, Promise<Response>, number, string][] = [
      ['repeated parameter', post('/oauth/token', `${await form()}&scope=Dental&scope=Dental`, { dpop: await dpop() }), 400, 'invalid_request'],
      ['repeated resource (RFC 8707 §2)', post('/oauth/token', `${await form()}&resource=${encodeURIComponent(`${origin}/v1`)}&resource=${encodeURIComponent(`${origin}/v1`)}`, { dpop: await dpop() }), 400, 'invalid_target'],
      ['no grant_type', post('/oauth/token', (await form()).replace('grant_type=client_credentials&', ''), { dpop: await dpop() }), 400, 'invalid_request'],
      ['unsupported grant_type', post('/oauth/token', (await form()).replace('client_credentials', 'password'), { dpop: await dpop() }), 400, 'unsupported_grant_type'],
      ['no client authentication', post('/oauth/token', 'grant_type=client_credentials', { dpop: await dpop() }), 401, 'invalid_client'],
      ['media type with a charset', post('/oauth/token', await form({ resource: `${origin}/elsewhere` }), { dpop: await dpop(), 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' }), 400, 'invalid_target'],
    ];
    for (const [name, pending, status, error] of cases) {
      const res = await pending;
      const body = (await res.json()) as { error: string; error_description: unknown };
      assert.equal(res.status, status, name);
      assert.equal(body.error, error, name);
      assert.equal(typeof body.error_description, 'string', name);
      assert.equal(res.headers.get('cache-control'), 'no-store', name);
    }
  });

  test('RFC 6749 §5.2: a client that authenticated with the Authorization header gets 401 and a challenge of its scheme', async () => {
    const res = await post('/oauth/token', 'grant_type=client_credentials', { authorization: `Basic ${Buffer.from(`${clientId}:secret`).toString('base64')}` });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_client');
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic /);
  });

  test('RFC 7009 revocation: 401 invalid_client without an assertion, 200 for a token it does not know, then the token is refused', async () => {
    const key = await newDpopKey();
    const token = await tokenFor(key);
    const anonymous = await post('/oauth/revoke', `token=${token}`, {});
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: string }).error, 'invalid_client');
    assert.equal(anonymous.headers.get('cache-control'), 'no-store');
    const revoke = async (tok: string) => post('/oauth/revoke', new URLSearchParams({ token: tok, token_type_hint: 'access_token', client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion() }).toString(), {});
    assert.equal((await revoke('not-a-token')).status, 200);
    assert.equal((await revoke(token)).status, 200);
    const path = `/v1/patients/${patient.id}`;
    const res = learn(await fetch(`${origin}${path}`, { headers: { authorization: `DPoP ${token}`, dpop: await proof(key, 'GET', `${origin}${path}`, { ath: accessTokenHash(token) }) } }));
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^DPoP error="invalid_token"/);
  });

  test('RFC 9449 §4.3 at the token endpoint: typ, alg, public jwk, htm, htu, iat, jti replay; an assertion is spent once', async () => {
    const key = await newDpopKey();
    const url = `${origin}/oauth/token`;
    // A MAC is no proof of possession (RFC 9449 §4.3 check 5): HS256 is refused, whatever the jwk.
    const macProof = await new SignJWT({ htm: 'POST', htu: url, jti: jti(), nonce }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'HS256', jwk: key.jwk }).setIssuedAt().sign(randomBytes(32));
    const { privateKey: ecPrivate } = await generateKeyPair('ES256', { extractable: true });
    const refused = [
      await proof(key, 'POST', url, {}, { typ: 'jwt' }),
      macProof,
      await proof(key, 'POST', url, {}, { jwk: await exportJWK(ecPrivate) }),
      await proof(key, 'GET', url),
      await proof(key, 'POST', `${origin}/oauth/revoke`),
      await proof(key, 'POST', url, { iat: Math.floor(Date.now() / 1000) - 600 }),
    ];
    for (const [i, p] of refused.entries()) {
      const res = await post('/oauth/token', await form(), { dpop: p });
      assert.equal(res.status, 400, `proof ${i}`);
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_dpop_proof', `proof ${i}`);
    }
    const once = await proof(key, 'POST', url);
    const body = await form();
    assert.equal((await post('/oauth/token', body, { dpop: once })).status, 200);
    const again = await post('/oauth/token', await form(), { dpop: once });
    assert.equal(((await again.json()) as { error: string }).error, 'invalid_dpop_proof');
    const spent = await post('/oauth/token', body, { dpop: await proof(key, 'POST', url) });
    assert.equal(spent.status, 401);
    assert.equal(((await spent.json()) as { error: string }).error, 'invalid_client');
  });

  test('RFC 9449 §7 on a protected resource: nonce, ath, cnf.jkt, htu without query, replay; each a DPoP challenge', async () => {
    const key = await newDpopKey();
    const token = await tokenFor(key);
    const path = `/v1/patients/${patient.id}`;
    const get = (p: string, dpop: string, auth = `DPoP ${token}`) => fetch(`${origin}${p}`, { headers: { authorization: auth, dpop } });
    const stale = nonce;
    nonce = 'x'.repeat(43);
    const noNonce = await get(path, await proof(key, 'GET', `${origin}${path}`, { ath: accessTokenHash(token) }));
    assert.equal(noNonce.status, 401);
    assert.match(noNonce.headers.get('www-authenticate') ?? '', /^DPoP error="use_dpop_nonce"/);
    assert.ok(noNonce.headers.get('dpop-nonce'));
    nonce = stale;
    learn(noNonce);

    const good = await proof(key, 'GET', `${origin}${path}`, { ath: accessTokenHash(token) });
    const ok = await get(`${path}?view=1`, good, `dpop ${token}`);
    assert.equal(ok.status, 200, await ok.clone().text());
    const replayed = await get(path, good);
    assert.equal(replayed.status, 401);
    assert.match(replayed.headers.get('www-authenticate') ?? '', /^DPoP error="invalid_dpop_proof"/);

    const other = await newDpopKey();
    for (const p of [
      await proof(key, 'GET', `${origin}${path}`, { ath: accessTokenHash(`${token}x`) }),
      await proof(key, 'GET', `${origin}${path}`),
      await proof(other, 'GET', `${origin}${path}`, { ath: accessTokenHash(token) }),
    ]) {
      const res = await get(path, p);
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /^DPoP error="invalid_dpop_proof"/);
    }
    const bearer = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(bearer.status, 401);
    assert.match(bearer.headers.get('www-authenticate') ?? '', /^DPoP error="invalid_token"/);
    const none = await fetch(`${origin}${path}`);
    assert.equal(none.status, 401);
    // RFC 9728 §5.1: the API's 401s name its metadata, as /mcp's do.
    assert.equal(none.headers.get('www-authenticate'), `DPoP algs="ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512 EdDSA Ed25519", resource_metadata="${origin}/.well-known/oauth-protected-resource/v1"`);
    assert.match(bearer.headers.get('www-authenticate') ?? '', new RegExp(`, resource_metadata="${origin}/.well-known/oauth-protected-resource/v1"$`));
    const mcp = await fetch(`${origin}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(mcp.status, 401);
    assert.match(mcp.headers.get('www-authenticate') ?? '', new RegExp(`resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`));
  });
});
