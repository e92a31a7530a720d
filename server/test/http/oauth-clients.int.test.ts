// Independent OAuth clients against Ward's authorization server over a real HTTP connection (R-WORK-1,
// R-WORK-2, R-WORK-3): openid-client as a workload end to end (RFC 8414 discovery, client_credentials
// with its private_key_jwt and DPoP, the use_dpop_nonce retry, a /v1 read through its protected-resource
// helper, RFC 8693 token exchange, RFC 7009 revocation), then what RFC 6749, RFC 7521 and RFC 7523 let a
// client vary (assertion claims and headers, key types, scope, HTTP details), each built with jose alone.
// PGlite only, to stay fast.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import * as client from 'openid-client';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { freePort } from '../support/free-port.ts';
import { runCli } from '../support/oauth-client.ts';
import { signIn } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const patient = demo.patients.find((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI')!;
const { engine, skip } = ENGINES[0]!;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

interface Workload { clientId: string; key: CryptoKey; alg: string }
const createHashB64 = (token: string) => createHash('sha256').update(token).digest('base64url');

describe('independent OAuth clients against the authorization server over HTTP', { skip }, () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let origin: string;
  let agent: Workload;

  async function register(name: string, alg = 'ES256', opts: { kid?: boolean; scopes?: string } = {}): Promise<Workload> {
    const { publicKey, privateKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
    const jwk = { ...(await exportJWK(publicKey)), ...(opts.kid === false ? {} : { kid: `${name}-1` }) };
    const scopes = opts.scopes ?? 'Healthcare-PHI';
    const r = await runCli(t, ['workload', 'create', '--tenant', 'riverside', '--name', name, '--kind', 'ai_agent', '--role', 'VoiceAgent',
      ...(scopes ? ['--scopes', scopes, '--approver', 'olivia.owner@riverside.test'] : [])], JSON.stringify({ keys: [jwk] }));
    assert.equal(r.code, 0, r.err);
    return { clientId: r.out.trim().split('\n').at(-1)!, key: privateKey, alg };
  }

  /** openid-client configured from Ward's RFC 8414 metadata, as a workload authenticating with private_key_jwt. */
  const configure = (w: Workload) => client.discovery(new URL(origin), w.clientId, undefined, client.PrivateKeyJwt(w.key),
    { execute: [client.allowInsecureRequests], algorithm: 'oauth2' });

  before(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    t = await createTestDeps(engine, { env: { WARD_ORIGIN: origin }, demo: demo.seed });
    agent = await register('oidc-client-agent');
    app = await buildApp(t.deps);
    await app.listen({ port, host: 'localhost' });
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  test('openid-client: discovery, client_credentials with private_key_jwt and DPoP (nonce retry), a /v1 read, revocation', async () => {
    const config = await configure(agent);
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, origin);
    assert.equal(meta.token_endpoint, `${origin}/oauth/token`);
    const dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
    // The first request carries no nonce; openid-client retries once with the one Ward hands out.
    const tokens = await client.clientCredentialsGrant(config, { resource: `${origin}/v1` }, { DPoP: dpop });
    assert.equal(tokens.token_type, 'dpop');
    assert.equal(decodeJwt(tokens.access_token).aud, `${origin}/v1`);
    const url = new URL(`/v1/patients/${patient.id}`, origin);
    const res = await client.fetchProtectedResource(config, tokens.access_token, url, 'GET', undefined, undefined, { DPoP: dpop });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as { id: string }).id, patient.id);

    await client.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' });
    await assert.rejects(client.fetchProtectedResource(config, tokens.access_token, url, 'GET', undefined, undefined, { DPoP: dpop }),
      (e: unknown) => e instanceof client.WWWAuthenticateChallengeError && e.cause[0]?.scheme === 'dpop' && e.cause[0].parameters.error === 'invalid_token');
  });

  test('openid-client at a resource (RFC 9449 §8, §9): every answer carries the next DPoP-Nonce; a client without one is challenged and retries', async () => {
    const config = await configure(agent);
    const pair = await client.randomDPoPKeyPair('ES256');
    const tokens = await client.clientCredentialsGrant(config, { resource: `${origin}/v1` }, { DPoP: client.getDPoPHandle(config, pair) });
    const url = new URL(`/v1/patients/${patient.id}`, origin);
    const seen: { status: number; challenge: string | null; nonce: string | null }[] = [];
    config[client.customFetch] = async (input, init) => {
      const res = await fetch(input, init);
      seen.push({ status: res.status, challenge: res.headers.get('www-authenticate'), nonce: res.headers.get('dpop-nonce') });
      return res;
    };
    // A new handle for the same key knows no nonce (a restarted client): the resource asks for one.
    const fresh = client.getDPoPHandle(config, pair);
    const res = await client.fetchProtectedResource(config, tokens.access_token, url, 'GET', undefined, undefined, { DPoP: fresh });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(seen.length, 2);
    assert.equal(seen[0]!.status, 401);
    assert.match(seen[0]!.challenge ?? '', /^DPoP error="use_dpop_nonce", algs="ES256 /);
    assert.match(seen[0]!.nonce ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(seen[1]!.nonce ?? '', /^[A-Za-z0-9_-]{43}$/, 'the 200 names the next nonce too');
    // Refusals after authentication carry it as well (here: a patient that does not exist).
    const missing = await client.fetchProtectedResource(config, tokens.access_token, new URL('/v1/patients/00000000-0000-4000-8000-000000000000', origin), 'GET', undefined, undefined, { DPoP: fresh });
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('dpop-nonce') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(seen.length, 3, 'no retry: the nonce was known');
  });

  test('openid-client: RFC 8693 token exchange of a person\'s subject token for an act token, used on /v1', async () => {
    const config = await configure(agent);
    const dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
    const alex = await signIn(t.deps, 'alex.agent@riverside.test');
    const headers = { ...(await alex.headers('POST', '/v1/delegations')), 'content-type': 'application/json', 'ward-purpose': 'TREAT' };
    const delegated = await app.inject({ method: 'POST', url: '/v1/delegations', headers, payload: JSON.stringify({ agent: agent.clientId, patientId: patient.id }) });
    assert.equal(delegated.statusCode, 201, delegated.body);
    const { subjectToken } = delegated.json() as { subjectToken: string };
    const tokens = await client.genericGrantRequest(config, EXCHANGE, { subject_token: subjectToken, subject_token_type: JWT_TYPE, resource: `${origin}/v1` }, { DPoP: dpop });
    assert.equal(tokens.token_type, 'dpop');
    assert.equal(tokens.issued_token_type, 'urn:ietf:params:oauth:token-type:access_token');
    assert.deepEqual(decodeJwt(tokens.access_token).act, { sub: agent.clientId });
    const res = await client.fetchProtectedResource(config, tokens.access_token, new URL(`/v1/patients/${patient.id}`, origin), 'GET', undefined, undefined, { DPoP: dpop });
    assert.equal(res.status, 200, await res.clone().text());
  });

  // ——— What RFC 6749, RFC 7521 and RFC 7523 let a client vary, built with jose alone ———

  let nonce = '';
  const FORM = 'application/x-www-form-urlencoded';
  const rand = () => randomBytes(24).toString('base64url');
  const dpopKey = async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
  };
  const proofFor = async (key: Awaited<ReturnType<typeof dpopKey>>, htm = 'POST', htu = `${origin}/oauth/token`) =>
    new SignJWT({ htm, htu, jti: rand(), nonce }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk }).setIssuedAt().sign(key.privateKey);
  /** A client assertion: `claims` replace the defaults (undefined removes one), `header` adds to the protected header. */
  const assertionOf = (w: Workload, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const all: Record<string, unknown> = { iss: w.clientId, sub: w.clientId, aud: origin, iat: now, exp: now + 60, jti: rand(), ...claims };
    for (const [k, v] of Object.entries(all)) if (v === undefined) delete all[k];
    return new SignJWT(all).setProtectedHeader({ alg: w.alg, ...header }).sign(w.key);
  };
  /** POST /oauth/token with a fresh DPoP proof carrying the last nonce learnt; a use_dpop_nonce answer is retried once. */
  async function tokenRequest(params: Record<string, string>, headers: Record<string, string> = {}, more: [string, string][] = []): Promise<Response> {
    const key = await dpopKey();
    const send = async () => fetch(`${origin}/oauth/token`, {
      method: 'POST', headers: { 'content-type': FORM, dpop: await proofFor(key), ...headers },
      body: new URLSearchParams([...Object.entries({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, ...params }), ...more]).toString(),
    });
    let res = await send();
    nonce = res.headers.get('dpop-nonce') ?? nonce;
    if (res.status === 400 && ((await res.clone().json()) as { error: string }).error === 'use_dpop_nonce') res = await send();
    return res;
  }
  const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

  test('RFC 7523 §3 and RFC 7521: assertions conforming clients send are accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    const accepted: [string, Promise<string>][] = [
      ['aud as an array with the issuer', assertionOf(agent, { aud: [origin] })],
      ['aud the issuer written as a URL with its root path', assertionOf(agent, { aud: `${origin}/` })],
      ['aud as an array naming the token endpoint and another audience', assertionOf(agent, { aud: [`${origin}/oauth/token`, 'https://elsewhere.example'] })],
      ['with nbf', assertionOf(agent, { nbf: now })],
      ['extra claims', assertionOf(agent, { client_id: agent.clientId, purpose: 'probe', nested: { a: 1 } })],
      ['typ JWT', assertionOf(agent, {}, { typ: 'JWT' })],
      ['typ client-authentication+jwt', assertionOf(agent, {}, { typ: 'client-authentication+jwt' })],
      ['a kid', assertionOf(agent, {}, { kid: 'oidc-client-agent-1' })],
      ['no jti (optional in RFC 7523)', assertionOf(agent, { jti: undefined })],
      ['a short jti', assertionOf(agent, { jti: 'a1' })],
      ['a UUID jti', assertionOf(agent, { jti: crypto.randomUUID() })],
      ['exp an hour ahead, iat now (Authlib)', assertionOf(agent, { exp: now + 3600 })],
      ['exp 10 minutes ahead, nbf now, no iat (MSAL)', assertionOf(agent, { iat: undefined, nbf: now, exp: now + 600 })],
      ['no iat, exp a minute ahead', assertionOf(agent, { iat: undefined })],
    ];
    for (const [name, pending] of accepted) {
      const res = await tokenRequest({ client_assertion: await pending });
      assert.equal(res.status, 200, `${name}: ${await res.clone().text()}`);
    }
  });

  test('RFC 7523 §3: stale, future, overlong, foreign or replayed assertions are invalid_client', async () => {
    const now = Math.floor(Date.now() / 1000);
    const refused: [string, Promise<string>][] = [
      ['iat ten minutes ago', assertionOf(agent, { iat: now - 600, exp: now + 600 })],
      ['iat in the future', assertionOf(agent, { iat: now + 120, exp: now + 300 })],
      ['nbf in the future', assertionOf(agent, { nbf: now + 120 })],
      ['no iat nor nbf, exp an hour ahead', assertionOf(agent, { iat: undefined, exp: now + 3600 })],
      ['expired', assertionOf(agent, { iat: now - 200, exp: now - 100 })],
      ['no exp', assertionOf(agent, { exp: undefined })],
      ['another audience', assertionOf(agent, { aud: 'https://elsewhere.example' })],
      ['iss not the client', assertionOf(agent, { iss: 'someone-else' })],
      ['a jti that is not a string', assertionOf(agent, { jti: 42 })],
      ['a jti of 257 characters', assertionOf(agent, { jti: 'j'.repeat(257) })],
    ];
    for (const [name, pending] of refused) {
      const res = await tokenRequest({ client_assertion: await pending });
      assert.equal(res.status, 401, name);
      assert.equal(await errorOf(res), 'invalid_client', name);
    }
    // Spent once, with or without a jti: the same assertion again is refused.
    // (Two jti-less assertions of one second with the same claims are one assertion: the probe above made one.)
    for (const once of [await assertionOf(agent), await assertionOf(agent, { jti: undefined, iat: now - 2 })]) {
      const first = await tokenRequest({ client_assertion: once });
      assert.equal(first.status, 200, await first.clone().text());
      const again = await tokenRequest({ client_assertion: once });
      assert.equal(again.status, 401);
      assert.equal(await errorOf(again), 'invalid_client');
    }
  });

  test('the metadata tells the truth: every assertion algorithm it lists is accepted', async () => {
    const meta = (await (await fetch(`${origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, string[]>;
    assert.deepEqual(meta.token_endpoint_auth_signing_alg_values_supported, ['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256']);
    assert.deepEqual(meta.revocation_endpoint_auth_signing_alg_values_supported, meta.token_endpoint_auth_signing_alg_values_supported);
    assert.deepEqual(meta.scopes_supported, ['Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental']);
    assert.equal(String(meta.authorization_endpoint), `${origin}/oauth/authorize`);
    for (const alg of meta.token_endpoint_auth_signing_alg_values_supported!) {
      const w = await register(`alg-${alg.toLowerCase()}`, alg, { kid: false });
      const res = await tokenRequest({ client_assertion: await assertionOf(w) });
      assert.equal(res.status, 200, `${alg}: ${await res.clone().text()}`);
    }
    // A key that is not one of these types, or RSA under 2048 bits, is not registered.
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    const r = await runCli(t, ['workload', 'create', '--tenant', 'riverside', '--name', 'rsa-1024', '--kind', 'ai_agent', '--role', 'VoiceAgent'], JSON.stringify({ keys: [small] }));
    assert.notEqual(r.code, 0);
    assert.match(r.err, /WORKLOAD_KEYS_INVALID/);
  });

  test('openid-client with a DPoP key of every algorithm the metadata lists (RFC 9449 §5.1): a token bound to it, and a /v1 read', async () => {
    const config = await configure(agent);
    const listed = config.serverMetadata().dpop_signing_alg_values_supported!;
    assert.deepEqual(listed, ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA', 'Ed25519']);
    const url = new URL(`/v1/patients/${patient.id}`, origin);
    for (const alg of listed) {
      const pair = await client.randomDPoPKeyPair(alg);
      const dpop = client.getDPoPHandle(config, pair);
      const tokens = await client.clientCredentialsGrant(config, { resource: `${origin}/v1` }, { DPoP: dpop });
      assert.deepEqual(decodeJwt(tokens.access_token).cnf, { jkt: await calculateJwkThumbprint(await exportJWK(pair.publicKey)) }, alg);
      const res = await client.fetchProtectedResource(config, tokens.access_token, url, 'GET', undefined, undefined, { DPoP: dpop });
      assert.equal(res.status, 200, `${alg}: ${await res.clone().text()}`);
    }
  });

  test('RFC 6749 §3.3: a scope is granted as far as the workload holds it, narrows the token, and is named in the response', async () => {
    const both = await register('scoped-agent', 'ES256', { scopes: 'Healthcare-PHI,Dental' });
    const ask = async (scope: string) => tokenRequest({ client_assertion: await assertionOf(both), scope, resource: `${origin}/v1` });
    const cases: [string, string | undefined, string | undefined][] = [
      // requested, response scope, token scope claim
      ['openid mcp:tools', 'Healthcare-PHI Dental', undefined],
      ['Dental', 'Dental', 'Dental'],
      ['Dental SUD-Part2 profile', 'Dental', 'Dental'],
      ['  Healthcare-PHI  Dental ', 'Healthcare-PHI Dental', 'Healthcare-PHI Dental'],
    ];
    for (const [requested, response, claim] of cases) {
      const res = await ask(requested);
      assert.equal(res.status, 200, `${requested}: ${await res.clone().text()}`);
      const body = (await res.json()) as { scope?: string; access_token: string };
      assert.equal(body.scope, response, requested);
      assert.equal(decodeJwt(body.access_token).scope, claim, requested);
    }
    // A workload with no PHI scope that asks for every scope the metadata lists gets its token, with nothing to name.
    const none = await register('unscoped-agent', 'ES256', { scopes: '' });
    const all = await tokenRequest({ client_assertion: await assertionOf(none), scope: 'Healthcare-PHI BehavioralHealth-PHI SUD-Part2 Dental' });
    assert.equal(all.status, 200, await all.clone().text());
    assert.equal(((await all.json()) as { scope?: string }).scope, undefined);
    for (const requested of ['SUD-Part2', 'bad"quote']) {
      const res = await ask(requested);
      assert.equal(res.status, 400, requested);
      assert.equal(await errorOf(res), 'invalid_scope', requested);
    }
    // The narrowed token reads only Dental: a Healthcare-PHI patient is not found with it (row-level
    // security), while the same workload's token without a scope reads it.
    const readWith = async (scope: Record<string, string>) => {
      const key = await dpopKey();
      const issued = await fetch(`${origin}/oauth/token`, { method: 'POST', headers: { 'content-type': FORM, dpop: await proofFor(key) },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: await assertionOf(both), ...scope }).toString() });
      assert.equal(issued.status, 200, await issued.clone().text());
      const { access_token: token } = (await issued.json()) as { access_token: string };
      const path = `/v1/patients/${patient.id}`;
      const proof = await new SignJWT({ htm: 'GET', htu: `${origin}${path}`, jti: rand(), nonce, ath: createHashB64(token) })
        .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk }).setIssuedAt().sign(key.privateKey);
      return (await fetch(`${origin}${path}`, { headers: { authorization: `DPoP ${token}`, dpop: proof } })).status;
    };
    assert.equal(await readWith({}), 200);
    assert.equal(await readWith({ scope: 'Dental' }), 404);
  });

  test('RFC 8707 and RFC 8693 §2.1: resource or audience names the token\'s one audience; anything else is invalid_target', async () => {
    const audOf = async (res: Response) => {
      assert.equal(res.status, 200, await res.clone().text());
      return decodeJwt(((await res.json()) as { access_token: string }).access_token).aud;
    };
    assert.equal(await audOf(await tokenRequest({ client_assertion: await assertionOf(agent), resource: `${origin}/mcp` })), `${origin}/mcp`);
    assert.equal(await audOf(await tokenRequest({ client_assertion: await assertionOf(agent), audience: `${origin}/mcp` })), `${origin}/mcp`);
    assert.equal(await audOf(await tokenRequest({ client_assertion: await assertionOf(agent), audience: `${origin}/v1`, resource: `${origin}/v1` })), `${origin}/v1`);
    const targets: Record<string, string>[] = [{ resource: `${origin}/mcp/` }, { audience: 'https://elsewhere.example' }, { audience: `${origin}/v1`, resource: `${origin}/mcp` }];
    for (const params of targets) {
      const res = await tokenRequest({ client_assertion: await assertionOf(agent), ...params });
      assert.equal(res.status, 400, JSON.stringify(params));
      assert.equal(await errorOf(res), 'invalid_target', JSON.stringify(params));
    }
    // RFC 8707 §2: a client may name several resources; Ward's token is for one, so that is invalid_target too.
    for (const second of [`${origin}/v1`, `${origin}/mcp`]) {
      const res = await tokenRequest({ client_assertion: await assertionOf(agent), resource: `${origin}/mcp` }, {}, [['resource', second]]);
      assert.equal(res.status, 400, second);
      assert.equal(await errorOf(res), 'invalid_target', second);
    }
  });

  test('HTTP details: a charset or capitals in the media type, Accept, and no-store with Pragma on every token response (RFC 6749 §5.1)', async () => {
    const variants: Record<string, string>[] = [
      { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      { 'content-type': 'Application/X-WWW-Form-URLEncoded' },
      { accept: 'application/json' },
      { accept: 'application/json, */*;q=0.5', 'user-agent': 'probe/1.0' },
    ];
    for (const headers of variants) {
      const res = await tokenRequest({ client_assertion: await assertionOf(agent) }, headers);
      assert.equal(res.status, 200, `${JSON.stringify(headers)}: ${await res.clone().text()}`);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('pragma'), 'no-cache');
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    }
    const refused = await tokenRequest({ client_assertion: 'not-a-jwt' });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('cache-control'), 'no-store');
    assert.equal(refused.headers.get('pragma'), 'no-cache');
    // The authorization endpoint the metadata names serves no response type and never redirects.
    const authorize = await fetch(`${origin}/oauth/authorize?response_type=code&client_id=${agent.clientId}&redirect_uri=https%3A%2F%2Fevil.example%2Fcb`, { redirect: 'manual' });
    assert.equal(authorize.status, 400);
    assert.equal(authorize.headers.get('location'), null);
    assert.equal(await errorOf(authorize), 'unsupported_response_type');
  });
});
