// R-SESS-1: OpenID Connect Back-Channel Logout 1.0 §2.6, step 8: a logout token whose jti the issuer
// already sent is refused. Without it a captured logout token (a proxy's log, a leaked request) could
// be posted again for its whole window and sign the member out of every session they open meanwhile.
// The jti is spent per issuer in PostgreSQL (0111), in the transaction that revokes and audits.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { buildApp } from '../../src/app.ts';
import { configureSso } from '../../src/modules/sso/configure.ts';
import { LOGOUT_REFUSALS_PER_WINDOW } from '../../src/modules/sso/logout-limit.ts';
import { postgresUrl } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { insertMember, insertTenant } from '../support/fixtures.ts';

const TENANT = '00000000-0000-4000-8000-00000000b0c2';
const MEMBER = '00000000-0000-4000-8000-00000000b0c3';
const CLIENT_ID = 'ward-backchannel-replay';
const EVENT = { 'http://schemas.openid.net/event/backchannel-logout': {} };

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

describe('a back-channel logout token is accepted once per issuer (jti spent)', () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let issuer: string;
  let sign: (claims: JWTPayload) => Promise<string>;
  const idp = createServer();

  before(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    issuer = `http://localhost:${await listen(idp)}`;
    idp.on('request', (req, res) => {
      const body = req.url === '/jwks' ? { keys: [jwk] } : {
        issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['ES256'],
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    sign = (claims) => new SignJWT({ events: EVENT, ...claims }).setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'logout+jwt' })
      .setIssuer(issuer).setAudience(CLIENT_ID).setIssuedAt().setExpirationTime('2 minutes').sign(privateKey);
    // Where the spent ids live in production: PostgreSQL when the run has one, else the embedded engine.
    t = await createTestDeps(postgresUrl ? 'postgres' : 'embedded', { env: { WARD_EGRESS_ALLOW: 'localhost' } });
    await t.deps.db.systemDb.transaction(async (tx) => {
      await insertTenant(tx, TENANT, 'backchannel-replay');
      await insertMember(tx, { id: MEMBER, tenantId: TENANT, email: 'kim@replay.test', roles: ['Agent'], scopes: [] });
    });
    await configureSso(t.deps, { tenantId: TENANT, issuer, clientId: CLIENT_ID, clientSecret: 's3cret', linkBy: 'subject', mfaAcr: [], allowHttpIssuer: true }, new Date());
    await t.deps.db.systemDb.query("INSERT INTO sso_identities (tenant_id, member_id, issuer, subject, linked_by) VALUES ($1, $2, $3, 'kim', 'step_up')", [TENANT, MEMBER, issuer]);
    app = await buildApp(t.deps);
  });
  after(async () => {
    await app?.close();
    await t?.close();
    idp.close();
  });

  const post = (token: string, remoteAddress = '127.0.0.1') => app.inject({
    method: 'POST', url: '/v1/auth/sso/backchannel-logout', headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress,
    payload: new URLSearchParams({ logout_token: token }).toString(),
  });
  const logouts = async () => (await t.deps.db.systemDb.query<{ outcome: string; reasons: string[] | null; target_id: string | null }>(
    "SELECT outcome, reasons, target_id FROM audit_events WHERE action = 'auth.sso_logout' AND tenant_id = $1 ORDER BY occurred_at", [TENANT])).rows;

  test('the same token posted twice: the first logs out, the second is refused with SSO_LOGOUT_REPLAYED and audited', async () => {
    const token = await sign({ sub: 'kim', jti: randomUUID() });
    assert.equal((await post(token)).statusCode, 200);
    const again = await post(token);
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().code, 'SSO_LOGOUT_REPLAYED');
    const events = await logouts();
    assert.deepEqual(events.map((e) => [e.outcome, e.reasons ?? [], e.target_id]), [['success', [], MEMBER], ['failure', ['jti_replayed'], MEMBER]]);
  });

  test('another token with the same jti (re-signed by the IdP) is refused too; a new jti is accepted', async () => {
    const jti = randomUUID();
    assert.equal((await post(await sign({ sub: 'kim', jti }))).statusCode, 200);
    assert.equal((await post(await sign({ sub: 'someone-else', jti }))).json().code, 'SSO_LOGOUT_REPLAYED');
    assert.equal((await post(await sign({ sub: 'kim', jti: randomUUID() }))).statusCode, 200);
  });

  test("forged tokens naming the tenant's issuer and client do not each reach the KMS (the client secret is unwrapped once)", async () => {
    const kms = t.deps.kms;
    const unwrap = kms.unwrap;
    let unwraps = 0;
    kms.unwrap = ((...args: Parameters<typeof unwrap>) => (unwraps += 1, unwrap.apply(kms, args))) as typeof unwrap;
    try {
      const forged = `${(await sign({ sub: 'kim', jti: randomUUID() })).slice(0, -4)}AAAA`;
      for (let i = 0; i < 3; i += 1) assert.equal((await post(forged)).statusCode, 400);
      assert.equal(unwraps, 0, 'the secret unwrapped by the earlier logouts is reused');
    } finally {
      kms.unwrap = unwrap;
    }
  });

  test('a token that does not verify spends nothing: its jti stays usable by the IdP', async () => {
    const jti = randomUUID();
    const forged = `${(await sign({ sub: 'kim', jti })).slice(0, -4)}AAAA`;
    assert.equal((await post(forged)).statusCode, 400);
    assert.equal((await post(await sign({ sub: 'kim', jti }))).statusCode, 200);
  });

  test('forged tokens from one address are bounded: past 30 refusals a minute it is answered RATE_LIMITED before anything is read; the IdP\'s own logouts go on (R-SESS-1, R-MON-1)', async () => {
    const forger = '192.0.2.77';
    const forged = async () => `${(await sign({ sub: 'kim', jti: randomUUID() })).slice(0, -4)}AAAA`;
    for (let i = 0; i < LOGOUT_REFUSALS_PER_WINDOW; i += 1) assert.equal((await post(await forged(), forger)).statusCode, 400, `refusal ${i + 1}`);
    const over = await post(await forged(), forger);
    assert.equal(over.statusCode, 429);
    assert.equal(over.json().code, 'RATE_LIMITED');
    // Now refused before the connection is read: even a good token from that address changes nothing.
    const lookups = t.deps.db.authLookup;
    let read = 0;
    t.deps.db.authLookup = ((...args: Parameters<typeof lookups>) => (read += 1, lookups.apply(t.deps.db, args))) as typeof lookups;
    const jti = randomUUID();
    const before = (await logouts()).length;
    try {
      assert.equal((await post(await sign({ sub: 'kim', jti }), forger)).json().code, 'RATE_LIMITED');
      assert.equal(read, 0, 'nothing read for a post from an address over the limit');
    } finally {
      t.deps.db.authLookup = lookups;
    }
    assert.equal((await logouts()).length, before, 'nothing revoked, nothing audited');
    // The IdP's logouts, from its own address, are never counted: a burst past the limit is served, and the jti refused above is unspent.
    for (let i = 0; i < LOGOUT_REFUSALS_PER_WINDOW + 5; i += 1) assert.equal((await post(await sign({ sub: 'kim', jti: i === 0 ? jti : randomUUID() }))).statusCode, 200);
  });
});
