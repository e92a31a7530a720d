// R-AUTHN-2, R-SESS-4: single sign-on with OpenID providers configured the ways real ones are, one
// real provider (oidc-provider on loopback) per configuration, the flow driven over HTTP with a real
// device key (docs/sso.md "Providers"). Each provider differs from the default in one thing a
// conforming provider may do: the token endpoint authentication it allows, its ID token algorithm, a
// rotated key, its issuer's trailing slash, e-mail only at UserInfo, no RFC 9207 `iss`, no
// `email_verified`, MFA by `acr`, and error responses. The attacks on the flow itself (state, nonce,
// PKCE, mix-up, another browser) are in test/e2e/sso.int.test.ts.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { buildApp } from '../../src/app.ts';
import { sessionCookieName } from '../../src/modules/sessions/index.ts';
import { runWard } from '../support/cli.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { insertMember, insertTenant } from '../support/fixtures.ts';
import { freePort } from '../support/free-port.ts';
import { startOp, type Op, type OpAccount, type OpOptions } from '../support/oidc-op.ts';

const VERIFIED = (name: string): OpAccount => ({ claims: { email: `${name}@clinic.test`, email_verified: true }, amr: ['pwd', 'mfa'] });

describe('single sign-on with independent OpenID providers, each configured as real ones are', { timeout: 120_000 }, () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let origin: URL;
  const ops: Op[] = [];

  before(async () => {
    const port = await freePort();
    t = await createTestDeps('embedded', { env: { WARD_ORIGIN: `http://localhost:${port}`, WARD_EGRESS_ALLOW: '127.0.0.1,::1' } });
    origin = t.deps.config.origin;
    app = await buildApp(t.deps);
    // Listening: a provider fetches a private_key_jwt client's keys from Ward (its jwks_uri).
    await app.listen({ port, host: '127.0.0.1' });
  });
  after(async () => {
    await Promise.all(ops.map((o) => o.close()));
    await app?.close();
    await t?.close();
  });

  /** A tenant of its own with the given members, and its provider. */
  async function tenantWith(slug: string, emails: string[]): Promise<string> {
    const tenantId = randomUUID();
    await t.deps.db.systemDb.transaction(async (tx) => {
      await insertTenant(tx, tenantId, slug);
      await tx.query(`UPDATE tenants SET settings = '{"trustNewDevices": true}'::jsonb WHERE id = $1`, [tenantId]);
      for (const email of emails) await insertMember(tx, { id: randomUUID(), tenantId, email, roles: ['Agent'], scopes: [] });
    });
    return tenantId;
  }

  async function op(slug: string, o: Omit<OpOptions, 'wardOrigin' | 'clientId'>): Promise<Op> {
    const started = await startOp({ wardOrigin: origin.origin, clientId: `ward-${slug}`, ...o });
    ops.push(started);
    return started;
  }

  async function configure(slug: string, provider: Op, args: string[] = [], stdin: string | undefined = `${provider.clientSecret}\n`) {
    return runWard(['sso', 'configure', '--tenant', slug, '--issuer', provider.issuer, '--client-id', `ward-${slug}`, '--allow-http-issuer', ...args],
      { stdin, ctx: { withDeps: (fn) => fn(t.deps) } });
  }

  /** A tenant whose members are the provider's accounts, configured with it (`--link-by email` and `args`). */
  async function configured(slug: string, o: Omit<OpOptions, 'wardOrigin' | 'clientId'>, args: string[] = []) {
    const tenantId = await tenantWith(slug, Object.values(o.accounts).map((a) => String(a.claims.email)));
    const provider = await op(slug, o);
    const r = await configure(slug, provider, ['--link-by', 'email', ...args]);
    assert.equal(r.code, 0, r.err);
    return { tenantId, provider, out: r.out };
  }

  /** A browser's device key: every call to /v1/auth/sso/* carries a fresh proof of it, and the Origin. */
  async function deviceKey() {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const { kty, crv, x, y } = await exportJWK(publicKey);
    const jwk = { kty, crv, x, y } as JWK;
    return async (method: string, path: string, extra: Record<string, string> = {}) => ({
      dpop: await new SignJWT({ htm: method, htu: new URL(path, origin).href, jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk }).setIssuedAt().sign(privateKey),
      origin: origin.origin, ...extra,
    });
  }

  type Proof = Awaited<ReturnType<typeof deviceKey>>;

  async function post(proof: Proof, path: string, body: unknown, extra: Record<string, string> = {}) {
    const res = await app.inject({ method: 'POST', url: path, headers: await proof('POST', path, extra), payload: body as Record<string, unknown> });
    return { status: res.statusCode, json: res.json() as Record<string, unknown>, body: res.body, cookie: res.headers['set-cookie'] };
  }

  /** Start at Ward, sign in at the provider, complete at Ward: the reply of the completion. */
  async function signIn(slug: string, provider: Op, username: string, how: { edit?: (u: URL) => void; deny?: { error: string; description: string }; proof?: Proof } = {}) {
    const proof = how.proof ?? (await deviceKey());
    const started = await post(proof, '/v1/auth/sso/start', { tenant: slug });
    assert.equal(started.status, 200, started.body);
    const authorizationUrl = started.json.authorizationUrl as string;
    if (how.edit) provider.rewriteNextCallback(how.edit);
    const callback = await provider.login(authorizationUrl, username, how.deny ? { deny: how.deny } : {});
    const done = await post(proof, '/v1/auth/sso/complete', { callback: callback.search.slice(1) });
    return { ...done, authorizationUrl: new URL(authorizationUrl), proof };
  }

  async function lastAudit(tenantId: string, action: string) {
    const { rows } = await t.deps.db.systemDb.query<{ outcome: string; reasons: string[]; metadata: Record<string, unknown> }>(
      'SELECT outcome, reasons, metadata FROM audit_events WHERE tenant_id = $1 AND action = $2 ORDER BY occurred_at DESC LIMIT 1', [tenantId, action]);
    return rows[0];
  }

  async function stored(tenantId: string) {
    const { rows } = await t.deps.db.systemDb.query<{ issuer: string; client_auth: string; client_public_jwk: JWK | null }>(
      'SELECT issuer, client_auth, client_public_jwk FROM sso_providers WHERE tenant_id = $1', [tenantId]);
    return rows[0]!;
  }

  test('a provider that allows only client_secret_post: chosen from its discovery document, and basic asked for is refused', async () => {
    await tenantWith('post-only', ['alice@clinic.test']);
    const provider = await op('post-only', {
      accounts: { alice: VERIFIED('alice') }, client: { token_endpoint_auth_method: 'client_secret_post' },
      configuration: { clientAuthMethods: ['client_secret_post'] },
    });
    const refused = await configure('post-only', provider, ['--client-auth', 'client_secret_basic']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.err, /SSO_ISSUER_INVALID/);
    assert.match(refused.err, /does not accept client_secret_basic/);
    const r = await configure('post-only', provider, ['--link-by', 'email']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /client authentication client_secret_post/);
    assert.ok(!r.out.includes(provider.clientSecret));
    const done = await signIn('post-only', provider, 'alice');
    assert.equal(done.status, 200, done.body);
    const request = provider.tokenRequests.at(-1)!;
    assert.equal(request.authorization, undefined);
    assert.equal(request.body.get('client_secret'), provider.clientSecret);
    // RP-initiated logout: Ward's session ends, and the browser is sent to the provider's end_session_endpoint.
    const token = /=([^;]+)/.exec(String(done.cookie))![1]!;
    const out = await post(done.proof, '/v1/auth/sso/logout', {}, { cookie: `${sessionCookieName(origin)}=${token}` });
    assert.equal(out.status, 200, out.body);
    assert.ok(String(out.json.endSessionUrl).startsWith(`${provider.issuer}/session/end?`), out.body);
  });

  test('a provider that allows only client_secret_jwt: an HS256 assertion for its issuer, with the secret as key', async () => {
    const { provider, out } = await configured('secret-jwt', {
      accounts: { alice: VERIFIED('alice') }, client: { token_endpoint_auth_method: 'client_secret_jwt' },
      configuration: { clientAuthMethods: ['client_secret_jwt'] },
    });
    assert.match(out, /client authentication client_secret_jwt/);
    assert.equal((await signIn('secret-jwt', provider, 'alice')).status, 200);
    const request = provider.tokenRequests.at(-1)!;
    assert.equal(request.body.get('client_secret'), null);
    const assertion = request.body.get('client_assertion')!;
    assert.equal(decodeProtectedHeader(assertion).alg, 'HS256');
    assert.equal(decodeJwt(assertion).aud, provider.issuer);
  });

  test('a provider that allows only private_key_jwt: Ward makes the tenant a key pair, prints it, publishes it at jwks_uri, keeps it when run again', async () => {
    const slug = 'key-jwt';
    const tenantId = await tenantWith(slug, ['alice@clinic.test']);
    const jwksUri = `http://127.0.0.1:${origin.port}/sso/${slug}/jwks.json`;
    const provider = await op(slug, {
      accounts: { alice: VERIFIED('alice') }, client: { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: jwksUri },
      configuration: { clientAuthMethods: ['private_key_jwt'] },
    });
    // No secret on standard input, and none asked for.
    const r = await configure(slug, provider, ['--client-auth', 'private_key_jwt', '--link-by', 'email'], undefined);
    assert.equal(r.code, 0, r.err);
    const printed = JSON.parse(r.out.trim().split('\n').at(-1)!) as { keys: JWK[] };
    assert.equal(printed.keys.length, 1);
    const [key] = printed.keys;
    assert.equal(key!.alg, 'ES256');
    assert.equal(key!.d, undefined);
    const published = await app.inject({ method: 'GET', url: `/sso/${slug}/jwks.json` });
    assert.equal(published.statusCode, 200);
    assert.deepEqual(published.json(), printed);
    const done = await signIn(slug, provider, 'alice');
    assert.equal(done.status, 200, done.body);
    const assertion = provider.tokenRequests.at(-1)!.body.get('client_assertion')!;
    assert.equal(decodeProtectedHeader(assertion).kid, key!.kid);
    // Run again without the flag and without a secret: auto finds private_key_jwt and keeps the key.
    const again = await configure(slug, provider, ['--link-by', 'email'], '');
    assert.equal(again.code, 0, again.err);
    assert.equal((await stored(tenantId)).client_public_jwk!.kid, key!.kid);
    assert.equal((await signIn(slug, provider, 'alice')).status, 200);
    // A tenant without a key pair, and a slug no tenant has, answer alike.
    const none = await app.inject({ method: 'GET', url: '/sso/post-only/jwks.json' });
    const unknown = await app.inject({ method: 'GET', url: '/sso/no-such-clinic/jwks.json' });
    assert.equal(none.statusCode, 404);
    assert.deepEqual({ status: unknown.statusCode, code: unknown.json().code }, { status: none.statusCode, code: none.json().code });
  });

  for (const alg of ['PS256', 'ES256', 'EdDSA'] as const) {
    test(`an ID token signed with ${alg}, its signature checked against the provider's keys`, async () => {
      const slug = `alg-${alg.toLowerCase()}`;
      const { provider } = await configured(slug, { accounts: { alice: VERIFIED('alice') }, keyAlgs: [alg], client: { id_token_signed_response_alg: alg } });
      const done = await signIn(slug, provider, 'alice');
      assert.equal(done.status, 200, done.body);
    });
  }

  test('a provider that rotates its signing key between two logins (a new kid, then a new key under the same kid): the keys are fetched at once', async () => {
    const { provider } = await configured('rotating', { accounts: { alice: VERIFIED('alice') } });
    assert.equal((await signIn('rotating', provider, 'alice')).status, 200);
    const before = provider.keys()[0]!.kid;
    await provider.rotate('RS256');
    assert.notEqual(provider.keys()[0]!.kid, before);
    const done = await signIn('rotating', provider, 'alice');
    assert.equal(done.status, 200, done.body);
    // A restart that makes a new key under the same kid: the kept copy of the old one would not verify.
    const kid = provider.keys()[0]!.kid;
    await provider.rotate('RS256', { keepKid: true });
    assert.equal(provider.keys()[0]!.kid, kid);
    assert.equal((await signIn('rotating', provider, 'alice')).status, 200);
  });

  test("an ID token whose key the provider does not publish is refused: the signature is checked, not only TLS", async () => {
    const elsewhere = await op('elsewhere', { accounts: {} });
    // The discovery document points at another provider's keys: the ID token's kid is found nowhere.
    const { tenantId, provider } = await configured('wrong-keys', { accounts: { alice: VERIFIED('alice') }, editDiscovery: (doc) => void (doc.jwks_uri = `${elsewhere.issuer}/jwks`) });
    const done = await signIn('wrong-keys', provider, 'alice');
    assert.equal(done.status, 401);
    assert.equal(done.json.code, 'SSO_CALLBACK_INVALID');
    assert.deepEqual((await lastAudit(tenantId, 'auth.sso_sign_in'))!.reasons, ['OAUTH_KEY_SELECTION_FAILED']);
  });

  test("the issuer as the provider states it: with a trailing slash (Auth0) typed without, and a realm's path typed with one (and an upper-case scheme)", async () => {
    const slashed = await tenantWith('slashed', ['alice@clinic.test']);
    const withSlash = await op('slashed', { accounts: { alice: VERIFIED('alice') }, slash: true });
    assert.ok(withSlash.issuer.endsWith('/'));
    const r = await runWard(['sso', 'configure', '--tenant', 'slashed', '--issuer', withSlash.issuer.slice(0, -1), '--client-id', 'ward-slashed', '--allow-http-issuer', '--link-by', 'email'],
      { stdin: withSlash.clientSecret, ctx: { withDeps: (fn) => fn(t.deps) } });
    assert.equal(r.code, 0, r.err);
    assert.equal((await stored(slashed)).issuer, withSlash.issuer);
    assert.equal((await signIn('slashed', withSlash, 'alice')).status, 200);

    const realm = await tenantWith('realm', ['alice@clinic.test']);
    const atPath = await op('realm', { accounts: { alice: VERIFIED('alice') }, path: '/realms/clinic' });
    const typed = await runWard(['sso', 'configure', '--tenant', 'realm', '--issuer', `${atPath.issuer.replace('http://', 'HTTP://')}/`, '--client-id', 'ward-realm', '--allow-http-issuer', '--link-by', 'email'],
      { stdin: atPath.clientSecret, ctx: { withDeps: (fn) => fn(t.deps) } });
    assert.equal(typed.code, 0, typed.err);
    assert.equal((await stored(realm)).issuer, atPath.issuer);
    assert.equal((await signIn('realm', atPath, 'alice')).status, 200);
  });

  test('a provider that puts email and email_verified only in UserInfo: the first link by e-mail reads them there', async () => {
    // oidc-provider's default (conformIdTokenClaims): the email scope's claims are in UserInfo only.
    const { tenantId, provider } = await configured('userinfo', { accounts: { alice: VERIFIED('alice') }, configuration: { conformIdTokenClaims: true } });
    const done = await signIn('userinfo', provider, 'alice');
    assert.equal(done.status, 200, done.body);
    assert.equal((await lastAudit(tenantId, 'auth.sso_sign_in'))!.metadata.linkedBy, 'email');
  });

  test('e-mail verification as providers say it: absent links no one (audited email_unverified), the string "true" links', async () => {
    const { tenantId, provider } = await configured('unverified', {
      accounts: { alice: { claims: { email: 'alice@clinic.test' } }, bob: { claims: { email: 'bob@clinic.test', email_verified: 'true' } } },
      configuration: { conformIdTokenClaims: false },
    });
    const alice = await signIn('unverified', provider, 'alice');
    assert.equal(alice.status, 403);
    assert.equal(alice.json.code, 'SSO_MEMBER_UNKNOWN');
    assert.deepEqual((await lastAudit(tenantId, 'auth.sso_sign_in'))!.reasons, ['email_unverified']);
    assert.equal((await signIn('unverified', provider, 'bob')).status, 200);
  });

  test('a provider that neither sends nor advertises the RFC 9207 iss parameter, and adds session_state', async () => {
    const { provider } = await configured('no-iss', { accounts: { alice: VERIFIED('alice') }, editDiscovery: (doc) => void delete doc.authorization_response_iss_parameter_supported });
    const done = await signIn('no-iss', provider, 'alice', { edit: (u) => { u.searchParams.delete('iss'); u.searchParams.set('session_state', 'abc.def'); } });
    assert.equal(done.status, 200, done.body);
  });

  test('a provider that advertises the iss parameter and leaves it out is refused (RFC 9207 §2.4)', async () => {
    const { tenantId, provider } = await configured('iss-dropped', { accounts: { alice: VERIFIED('alice') } });
    const done = await signIn('iss-dropped', provider, 'alice', { edit: (u) => u.searchParams.delete('iss') });
    assert.equal(done.status, 401);
    assert.equal(done.json.code, 'SSO_CALLBACK_INVALID');
    assert.equal((await lastAudit(tenantId, 'auth.sso_sign_in'))!.outcome, 'failure');
  });

  test("MFA by acr in the tenant's list, by amr of two factor classes, not by a lone pwd; a step-up asks for the acr values", async () => {
    const { tenantId, provider } = await configured('acr', {
      accounts: {
        alice: { claims: { email: 'alice@clinic.test', email_verified: true }, amr: ['pwd'], acr: 'urn:okta:loa:2fa:any' },
        bob: { claims: { email: 'bob@clinic.test', email_verified: true }, amr: ['pwd', 'otp'] },
        carol: { claims: { email: 'carol@clinic.test', email_verified: true }, amr: ['pwd'], acr: 'urn:okta:loa:1fa:pwd' },
      },
      configuration: { acrValues: ['urn:okta:loa:1fa:pwd', 'urn:okta:loa:2fa:any'] },
    }, ['--mfa-acr', 'urn:okta:loa:2fa:any']);
    const mfaOf = async (name: string) => {
      const done = await signIn('acr', provider, name);
      assert.equal(done.status, 200, done.body);
      return { mfa: (await lastAudit(tenantId, 'auth.sso_sign_in'))!.metadata.mfa, done };
    };
    assert.equal((await mfaOf('alice')).mfa, true);
    assert.equal((await mfaOf('bob')).mfa, true);
    const carol = await mfaOf('carol');
    assert.equal(carol.mfa, false);
    // Carol steps up at the IdP: max_age=0, prompt=login, and the acr values that prove MFA asked for.
    const token = /=([^;]+)/.exec(String(carol.done.cookie))![1]!;
    const cookie = `${sessionCookieName(origin)}=${token}`;
    const stepUp = await post(carol.done.proof, '/v1/auth/sso/step-up/start', {}, { cookie });
    assert.equal(stepUp.status, 200, stepUp.body);
    const url = new URL(stepUp.json.authorizationUrl as string);
    assert.deepEqual([url.searchParams.get('max_age'), url.searchParams.get('prompt'), url.searchParams.get('acr_values')], ['0', 'login', 'urn:okta:loa:2fa:any']);
  });

  test('an error response (access_denied) with an odd error_description: a clean 401, the description nowhere', async () => {
    const { tenantId, provider } = await configured('denied', { accounts: { alice: VERIFIED('alice') } });
    const description = '<script>alert("x")</script> \u202e & \'quoted\' é';
    const done = await signIn('denied', provider, 'alice', { deny: { error: 'access_denied', description } });
    assert.equal(done.status, 401);
    assert.equal(done.json.code, 'SSO_CALLBACK_INVALID');
    assert.match(String(done.json.detail), /did not sign you in \(access_denied\)/);
    assert.ok(!done.body.includes('script') && !done.body.includes('\u202e'), done.body);
    assert.deepEqual((await lastAudit(tenantId, 'auth.sso_sign_in'))!.reasons, ['authorization_access_denied']);
    assert.ok(!t.logLines.join('').includes('alert('), 'the description reached the log');
    // The redirect URI's page is static: nothing of the query comes back in it.
    const page = await app.inject({ method: 'GET', url: `/v1/auth/sso/callback?error=access_denied&error_description=${encodeURIComponent(description)}&state=x` });
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('alert'));
  });
});
