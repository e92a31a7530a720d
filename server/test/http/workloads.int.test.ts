// Workload identities end to end (R-WORK-1, R-WORK-2, R-AUTHZ-1, R-AUDIT-1): an independent OAuth
// client, built only from oauth4webapi and jose, discovers Ward's metadata, registers through the
// operator CLI, authenticates with private_key_jwt, obtains a DPoP-bound token and reads a patient
// through the authentication chain and the guard; then every refusal, each with its own code.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { existsSync, statSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import * as oauth from 'oauth4webapi';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createDeps } from '../../src/deps.ts';
import { createLogger } from '../../src/logging.ts';
import { TOKEN_REQUESTS_PER_CLIENT_PER_MINUTE, TOKEN_REQUESTS_PER_IP_PER_MINUTE } from '../../src/modules/workload/index.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { unlockInTx } from '../../src/modules/elevation/index.ts';
import { seedDemoWorkloads } from '../../src/modules/demo/seed.ts';
import { ENGINES } from '../support/databases.ts';
import { problemCode, problemCodeOf } from '../support/problem.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { injectFetch, runCli, withNonce, type SeenRequest } from '../support/oauth-client.ts';

const ORIGIN = 'https://ward.test';
const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const lakeside = demo.tenants.find((t) => t.slug === 'lakeside')!;
const patientOf = (tenantId: string) => demo.patients.find((p) => p.tenantId === tenantId && p.phiScope === 'Healthcare-PHI')!;
const hc = patientOf(riverside.id);
const hc2 = demo.patients.find((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI' && p.id !== hc.id)!;
const elsewhere = patientOf(lakeside.id);

type App = Awaited<ReturnType<typeof buildApp>>;

for (const { engine, skip } of ENGINES) {
  describe(`workload identities on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: App;
    let offsetMs = 0;
    const seen: SeenRequest = {};
    let as: oauth.AuthorizationServer;
    let clientId: string;
    let clientKey: CryptoKey;
    const options = () => ({ [oauth.customFetch]: injectFetch(app, seen) });

    async function registerWorkload(tenant: string, name: string, role = 'VoiceAgent', kind = 'ai_agent'): Promise<{ clientId: string; key: CryptoKey }> {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(publicKey)), kid: `${name}-1` };
      const r = await runCli(t, ['workload', 'create', '--tenant', tenant, '--name', name, '--kind', kind, '--role', role, '--scopes', 'Healthcare-PHI', '--approver', `olivia.owner@${tenant}.test`], JSON.stringify({ keys: [jwk] }));
      assert.equal(r.code, 0, r.err);
      const last = r.out.trim().split('\n').at(-1)!;
      assert.match(last, /^wl_[A-Za-z0-9_-]{22}$/, 'the client_id alone on the last line');
      return { clientId: last, key: privateKey };
    }

    async function getToken(id: string, key: CryptoKey, dpop: oauth.DPoPHandle, resource = `${ORIGIN}/v1`): Promise<string> {
      const client = { client_id: id };
      const res = await withNonce(async () => oauth.processClientCredentialsResponse(as, client,
        await oauth.clientCredentialsGrantRequest(as, client, oauth.PrivateKeyJwt({ key, kid: undefined as never }), { resource }, { ...options(), DPoP: dpop })));
      assert.equal(res.token_type, 'dpop');
      return res.access_token;
    }

    /** A read as the client makes it; a refusal's challenge (RFC 9449 §7.1) comes back as its response. */
    const read = (token: string, dpop: oauth.DPoPHandle, path: string) =>
      withNonce(() => oauth.protectedResourceRequest(token, 'GET', new URL(path, ORIGIN), new Headers(), null, { ...options(), DPoP: dpop }))
        .catch((e: unknown) => {
          if (e instanceof oauth.WWWAuthenticateChallengeError) return e.response;
          throw e;
        });

    const replay = (h: Record<string, string>, path?: string) => app.inject({ method: 'GET', url: path ?? new URL(seen.last!.url).pathname, headers: h });
    const codeOf = problemCode;

    before(async () => {
      t = await createTestDeps(engine, { clock: { now: () => new Date(Date.now() + offsetMs) }, env: { WARD_ORIGIN: ORIGIN }, demo: demo.seed });
      app = await buildApp(t.deps);
      ({ clientId, key: clientKey } = await registerWorkload('riverside', 'voice-1'));
      const issuer = new URL(ORIGIN);
      as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options(), algorithm: 'oauth2' }));
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    test('the metadata names the endpoints, private_key_jwt only, and DPoP with the asymmetric algorithms', () => {
      assert.equal(as.issuer, ORIGIN);
      assert.equal(as.token_endpoint, `${ORIGIN}/oauth/token`);
      assert.deepEqual(as.token_endpoint_auth_methods_supported, ['private_key_jwt']);
      assert.deepEqual(as.grant_types_supported, ['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange']);
      assert.deepEqual(as.dpop_signing_alg_values_supported, ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA', 'Ed25519']);
    });

    test('an agent obtains a DPoP-bound token with private_key_jwt and reads a patient, masked, as itself', async () => {
      const dpopKeys = await generateKeyPair('ES256');
      const dpop = oauth.DPoP({ client_id: clientId } as oauth.Client, dpopKeys);
      const token = await getToken(clientId, clientKey, dpop);
      const claims = decodeJwt(token);
      const header = decodeProtectedHeader(token);
      assert.equal(header.typ, 'at+jwt');
      assert.equal(header.alg, 'ES256');
      const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as { keys: { kid: string }[] };
      assert.ok(jwks.keys.some((k) => k.kid === header.kid), 'signed by a published key');
      assert.equal(claims.aud, `${ORIGIN}/v1`);
      assert.equal(claims.exp! - claims.iat!, 600, '10 minutes by default');
      assert.equal(typeof (claims.cnf as { jkt?: string }).jkt, 'string');

      const res = await read(token, dpop, `/v1/patients/${hc.id}`);
      assert.equal(res.status, 200, await res.clone().text());
      const body = (await res.json()) as { familyName: string; masked: string[] };
      assert.equal(body.familyName, hc.familyName);
      assert.ok(body.masked.includes('dateOfBirth'), 'an AI agent sees less than a person');
      const { rows } = await t.deps.db.systemDb.query<{ actor_kind: string; action: string; decision: string }>(
        "SELECT actor_kind, action, decision FROM audit_events WHERE tenant_id = $1 AND action IN ('patient.view', 'workload.token.issue') ORDER BY occurred_at", [riverside.id]);
      assert.ok(rows.some((r) => r.action === 'workload.token.issue' && r.actor_kind === 'ai_agent'));
      assert.ok(rows.some((r) => r.action === 'patient.view' && r.actor_kind === 'ai_agent' && r.decision === 'allow'));
    });

    test('refuses, each with its own code: a replayed proof, a proof for another URL, no proof, Bearer, another tenant', async () => {
      const dpop = oauth.DPoP({ client_id: clientId } as oauth.Client, await generateKeyPair('ES256'));
      const token = await getToken(clientId, clientKey, dpop);
      assert.equal((await read(token, dpop, `/v1/patients/${hc.id}`)).status, 200);
      const sent = { ...seen.last!.headers };

      const replayed = await replay(sent, `/v1/patients/${hc.id}`);
      assert.equal(replayed.statusCode, 401);
      assert.equal(codeOf(replayed), 'DPOP_PROOF_REPLAYED');
      assert.match(String(replayed.headers['www-authenticate']), /^DPoP error="invalid_dpop_proof"/);

      const otherUrl = await replay(sent, `/v1/patients/${hc2.id}`);
      assert.equal(codeOf(otherUrl), 'DPOP_PROOF_INVALID');

      const { dpop: _proof, ...noProof } = sent;
      assert.equal(codeOf(await replay(noProof, `/v1/patients/${hc.id}`)), 'DPOP_PROOF_REQUIRED');
      assert.equal(codeOf(await replay({ ...noProof, authorization: `Bearer ${token}` }, `/v1/patients/${hc.id}`)), 'BEARER_NOT_ACCEPTED');

      const across = await read(token, dpop, `/v1/patients/${elsewhere.id}`);
      assert.equal(across.status, 404);
      assert.equal(await problemCodeOf(across), 'NOT_FOUND');
    });

    test('a token for the MCP server is refused by the API (RFC 8707), and a proof by another key than cnf.jkt', async () => {
      const dpop = oauth.DPoP({ client_id: clientId } as oauth.Client, await generateKeyPair('ES256'));
      const mcpToken = await getToken(clientId, clientKey, dpop, `${ORIGIN}/mcp`);
      assert.equal(decodeJwt(mcpToken).aud, `${ORIGIN}/mcp`);
      const res = await read(mcpToken, dpop, `/v1/patients/${hc.id}`);
      assert.equal(res.status, 401);
      assert.equal(await problemCodeOf(res), 'TOKEN_AUDIENCE_MISMATCH');

      const apiToken = await getToken(clientId, clientKey, dpop);
      const thief = oauth.DPoP({ client_id: clientId } as oauth.Client, await generateKeyPair('ES256'));
      const stolen = await read(apiToken, thief, `/v1/patients/${hc.id}`);
      assert.equal(await problemCodeOf(stolen), 'DPOP_PROOF_INVALID');
    });

    test('an expired token is refused with TOKEN_EXPIRED', async () => {
      const dpop = oauth.DPoP({ client_id: clientId } as oauth.Client, await generateKeyPair('ES256'));
      const token = await getToken(clientId, clientKey, dpop);
      offsetMs = 601_000;
      try {
        const res = await app.inject({ method: 'GET', url: `/v1/patients/${hc.id}`, headers: { authorization: `DPoP ${token}`, dpop: 'x.y.z' } });
        assert.equal(codeOf(res), 'TOKEN_EXPIRED');
      } finally {
        offsetMs = 0;
      }
    });

    test('a token already verified (served from the verified-token cache) is refused once it expires, and its proofs are still checked', async () => {
      const dpop = oauth.DPoP({ client_id: clientId } as oauth.Client, await generateKeyPair('ES256'));
      const token = await getToken(clientId, clientKey, dpop);
      assert.equal((await read(token, dpop, `/v1/patients/${hc.id}`)).status, 200);
      assert.equal((await read(token, dpop, `/v1/patients/${hc.id}`)).status, 200);
      const sent = { ...seen.last!.headers };
      assert.equal(codeOf(await replay(sent, `/v1/patients/${hc.id}`)), 'DPOP_PROOF_REPLAYED');
      const thief = oauth.DPoP({ client_id: clientId } as oauth.Client, await generateKeyPair('ES256'));
      assert.equal(await problemCodeOf(await read(token, thief, `/v1/patients/${hc.id}`)), 'DPOP_PROOF_INVALID');
      offsetMs = 600_000; // exp is iat + 600: expired at that very second, as jose decides
      try {
        const res = await read(token, dpop, `/v1/patients/${hc.id}`);
        assert.equal(res.status, 401);
        assert.equal(await problemCodeOf(res), 'TOKEN_EXPIRED');
      } finally {
        offsetMs = 0;
      }
    });

    test('a revoked token (RFC 7009) is refused with TOKEN_REVOKED; another client cannot revoke it', async () => {
      const dpop = oauth.DPoP({ client_id: clientId } as oauth.Client, await generateKeyPair('ES256'));
      const token = await getToken(clientId, clientKey, dpop);
      const other = await registerWorkload('riverside', 'voice-2');
      const refused = await oauth.revocationRequest(as, { client_id: other.clientId }, oauth.PrivateKeyJwt(other.key), token, options());
      assert.equal(refused.status, 400);
      assert.equal((await read(token, dpop, `/v1/patients/${hc.id}`)).status, 200);
      await oauth.processRevocationResponse(await oauth.revocationRequest(as, { client_id: clientId }, oauth.PrivateKeyJwt(clientKey), token, options()));
      const res = await read(token, dpop, `/v1/patients/${hc.id}`);
      assert.equal(await problemCodeOf(res), 'TOKEN_REVOKED');
    });

    test('a rotated signing key keeps verifying its tokens while new tokens carry the new kid', async () => {
      const dpop = oauth.DPoP({ client_id: clientId } as oauth.Client, await generateKeyPair('ES256'));
      const before = await getToken(clientId, clientKey, dpop);
      const r = await runCli(t, ['keys', 'rotate-token-signing']);
      assert.equal(r.code, 0, r.err);
      const afterToken = await getToken(clientId, clientKey, dpop);
      assert.notEqual(decodeProtectedHeader(before).kid, decodeProtectedHeader(afterToken).kid);
      const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as { keys: { kid: string }[] };
      // The token keys, old and new; the alert key (docs/integrations.md) has its own kid beside them.
      const alertKid = (await t.deps.alertKey()).kid;
      assert.equal(jwks.keys.filter((k) => k.kid !== alertKid).length, 2);
      assert.equal((await read(before, dpop, `/v1/patients/${hc.id}`)).status, 200);
      assert.equal((await read(afterToken, dpop, `/v1/patients/${hc.id}`)).status, 200);
    });

    test('a second server on the same database, with its own data directory, verifies the tokens of the first and follows its rotation', { skip: engine === 'embedded' ? 'one process owns an embedded database' : false }, async () => {
      const otherDir = mkdtempSync(join(tmpdir(), 'ward-second-'));
      const second = await createDeps(loadConfig({ ...t.env, WARD_DATA_DIR: otherDir }), { migrate: false, serve: true, logger: createLogger('error'), poolSize: 2 });
      const secondApp = await buildApp(second);
      try {
        const dpop = oauth.DPoP({ client_id: clientId } as oauth.Client, await generateKeyPair('ES256'));
        const token = await getToken(clientId, clientKey, dpop);
        const secondOptions = { [oauth.customFetch]: injectFetch(secondApp, {}) };
        const readThere = (tok: string) => withNonce(() => oauth.protectedResourceRequest(tok, 'GET', new URL(`/v1/patients/${hc.id}`, ORIGIN), new Headers(), null, { ...secondOptions, DPoP: dpop }));
        assert.equal((await readThere(token)).status, 200, 'signed by the first server, verified by the second (and its DPoP nonce accepted)');
        const rotated = await second.tokenSigningKeys.rotate();
        // The first server looks again at once for a kid it does not know (and every few seconds for a rotation).
        assert.ok(await t.deps.tokenSigningKeys.byKid(rotated.kid), "the first server knows the second's new key");
        assert.equal((await readThere(await getToken(clientId, clientKey, dpop))).status, 200);
        assert.equal(existsSync(join(otherDir, 'token-signing-keys.json')), false, 'no key file per server');
        const { rows } = await t.deps.db.systemDb.query<{ sealed: Buffer }>("SELECT sealed FROM token_signing_keys WHERE purpose = 'signing'");
        const der = (await second.tokenSigningKeys.active()).privateKey.export({ format: 'der', type: 'pkcs8' });
        assert.ok(rows.length >= 2 && rows.every((r) => !r.sealed.includes(der.subarray(der.length - 32))), 'private keys are stored sealed');
      } finally {
        await secondApp.close();
        await second.close();
        rmSync(otherDir, { recursive: true, force: true });
      }
    });

    test('after workload disable its live token fails on the next request and it gets no new token', async () => {
      const w = await registerWorkload('riverside', 'voice-3');
      const dpop = oauth.DPoP({ client_id: w.clientId } as oauth.Client, await generateKeyPair('ES256'));
      const token = await getToken(w.clientId, w.key, dpop);
      assert.equal((await read(token, dpop, `/v1/patients/${hc.id}`)).status, 200);
      const r = await runCli(t, ['workload', 'disable', '--tenant', 'riverside', '--client-id', w.clientId]);
      assert.equal(r.code, 0, r.err);
      const res = await read(token, dpop, `/v1/patients/${hc.id}`);
      assert.equal(await problemCodeOf(res), 'WORKLOAD_DISABLED');
      await assert.rejects(getToken(w.clientId, w.key, dpop), (e: unknown) => e instanceof oauth.ResponseBodyError && e.error === 'invalid_client');
      const list = await runCli(t, ['workload', 'list', '--tenant', 'riverside', '--json']);
      assert.equal(list.out.trim().split('\n').map((l) => JSON.parse(l) as { clientId: string; status: string }).find((x) => x.clientId === w.clientId)?.status, 'disabled');
    });

    test('a locked workload: its live token is refused and it gets no new token until a second person unlocks it (R-GOV-5)', async () => {
      const w = await registerWorkload('riverside', 'voice-lock');
      const dpop = oauth.DPoP({ client_id: w.clientId } as oauth.Client, await generateKeyPair('ES256'));
      const token = await getToken(w.clientId, w.key, dpop);
      assert.equal((await read(token, dpop, `/v1/patients/${hc.id}`)).status, 200);
      const r = await runCli(t, ['lock', '--tenant', 'riverside', '--workload', w.clientId]);
      assert.equal(r.code, 0, r.err);
      const lockId = r.out.trim().split('lock ').at(-1)!;
      assert.equal(await problemCodeOf(await read(token, dpop, `/v1/patients/${hc.id}`)), 'LOCKED');
      await assert.rejects(getToken(w.clientId, w.key, dpop), (e: unknown) => e instanceof oauth.ResponseBodyError && e.error === 'invalid_client');
      const refusals = (await t.deps.db.systemDb.query<{ reasons: string[] }>(
        "SELECT e.reasons FROM audit_events e JOIN workloads w ON w.id::text = e.actor_id WHERE w.client_id = $1 AND e.action = 'workload.token.refused'", [w.clientId])).rows;
      assert.deepEqual(refusals.map((x) => x.reasons), [['locked:workload']]);
      const riversideId = (await t.deps.db.systemDb.query<{ id: string }>("SELECT id FROM tenants WHERE slug = 'riverside'")).rows[0]!.id;
      const owner = (await t.deps.db.systemDb.query<{ id: string }>('SELECT id FROM members WHERE email = $1', ['olivia.owner@riverside.test'])).rows[0]!.id;
      await t.deps.db.scoped({ tenantId: riversideId, phiScopes: [], actorId: owner, actorKind: 'human' }, (tx) => unlockInTx(tx, lockId, t.deps.clock.now()));
      const again = await getToken(w.clientId, w.key, dpop);
      assert.equal((await read(again, dpop, `/v1/patients/${hc.id}`)).status, 200);
    });

    test('the demo workloads: three per tenant, private keys in 0600 files, and the voice agent reads a patient with its key', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ward-demo-workloads-'));
      try {
        const files = await seedDemoWorkloads(t.deps.db, t.deps, dir, demo.tenants);
        assert.equal(files.length, 6);
        for (const f of files) assert.equal(statSync(f).mode & 0o777, 0o600, f);
        const list = await runCli(t, ['workload', 'list', '--tenant', 'riverside', '--json']);
        const roles = list.out.trim().split('\n').map((l) => JSON.parse(l) as { name: string; role: string }).filter((w) => ['voice-agent', 'summary-tool', 'voice-platform'].includes(w.name));
        assert.deepEqual(roles.map((w) => w.role).sort(), ['SummaryTool', 'VoiceAgent', 'VoicePlatform']);
        const saved = JSON.parse(readFileSync(join(dir, 'riverside', 'voice-agent.json'), 'utf8')) as { client_id: string; private_jwk: JWK };
        const key = (await importJWK(saved.private_jwk, 'ES256')) as CryptoKey;
        const dpop = oauth.DPoP({ client_id: saved.client_id } as oauth.Client, await generateKeyPair('ES256'));
        const token = await getToken(saved.client_id, key, dpop);
        assert.equal((await read(token, dpop, `/v1/patients/${hc.id}`)).status, 200);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a PHI scope is granted only with the approval of an active Owner or Admin, checked by the database (R-AUTHZ-5)', async () => {
      const w = await registerWorkload('riverside', 'voice-scopes');
      const noApprover = await runCli(t, ['workload', 'create', '--tenant', 'riverside', '--name', 'voice-unapproved', '--kind', 'ai_agent', '--role', 'VoiceAgent', '--scopes', 'Dental'],
        JSON.stringify({ keys: [{ ...(await exportJWK((await generateKeyPair('ES256')).publicKey)) }] }));
      assert.equal(noApprover.code, 2);
      assert.match(noApprover.err, /USAGE/);
      const byAgent = await runCli(t, ['workload', 'grant-scope', '--tenant', 'riverside', '--client-id', w.clientId, '--scope', 'Dental', '--approver', 'alex.agent@riverside.test']);
      assert.equal(byAgent.code, 1);
      assert.match(byAgent.err, /FORBIDDEN/);
      const granted = await runCli(t, ['workload', 'grant-scope', '--tenant', 'riverside', '--client-id', w.clientId, '--scope', 'Dental', '--approver', 'adrian.admin@riverside.test']);
      assert.equal(granted.code, 0, granted.err);
      const { rows } = await t.deps.db.systemDb.query<{ phi_scope: string; granted_by: string }>(
        'SELECT s.phi_scope, s.granted_by FROM workload_phi_scopes s JOIN workloads w ON w.id = s.workload_id WHERE w.client_id = $1 ORDER BY s.phi_scope', [w.clientId]);
      const admin = await t.deps.db.systemDb.query<{ id: string }>("SELECT id FROM members WHERE email = 'adrian.admin@riverside.test'");
      assert.deepEqual(rows.map((r) => r.phi_scope), ['Dental', 'Healthcare-PHI']);
      assert.equal(rows.find((r) => r.phi_scope === 'Dental')?.granted_by, admin.rows[0]!.id);
      // The application role alone, as a person who is not an Owner or Admin, is refused by the database.
      const alex = await t.deps.db.systemDb.query<{ id: string }>("SELECT id FROM members WHERE email = 'alex.agent@riverside.test'");
      await assert.rejects(t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorId: alex.rows[0]!.id, actorKind: 'human' }, (tx) =>
        tx.query('SELECT ward_grant_workload_phi_scope($1, $2, $3, $4)', [w.clientId, 'SUD-Part2', alex.rows[0]!.id, new Date()])), { code: 'WD001' });
      await assert.rejects(t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorId: alex.rows[0]!.id, actorKind: 'human' }, (tx) =>
        tx.query("INSERT INTO workload_phi_scopes (tenant_id, workload_id, phi_scope, granted_by) SELECT tenant_id, id, 'SUD-Part2', 'x' FROM workloads WHERE client_id = $1", [w.clientId])), { code: '42501' });
    });

    test('the token endpoint is rate-limited per source address, with an OAuth error (429 slow_down, Retry-After)', async () => {
      const ask = () => app.inject({ method: 'POST', url: '/oauth/token', remoteAddress: '198.51.100.7', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials' });
      for (let i = 0; i < TOKEN_REQUESTS_PER_IP_PER_MINUTE; i++) assert.equal((await ask()).json().error, 'invalid_client');
      const limited = await ask();
      assert.equal(limited.statusCode, 429);
      assert.deepEqual(Object.keys(limited.json()).sort(), ['error', 'error_description']);
      assert.equal(limited.json().error, 'slow_down');
      assert.equal(limited.headers['retry-after'], '60');
      assert.equal(limited.headers['cache-control'], 'no-store');
      // Another address is not held back by it.
      const dpop = oauth.DPoP({ client_id: clientId } as oauth.Client, await generateKeyPair('ES256'));
      await getToken(clientId, clientKey, dpop);
    });

    test("assertions that do not verify, naming a workload's client_id, do not use up its per-client limit: it still gets a token (R-MON-1)", async () => {
      // The client_id is no secret (it is in every token the workload presents): a forged assertion
      // naming it, from anywhere, must not lock the workload out of its tokens.
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const forged = `${b64({ alg: 'ES256' })}.${b64({ iss: clientId, sub: clientId, aud: `${ORIGIN}/oauth/token`, exp: now + 60, jti: 'forged-assertion-0001' })}.${'A'.repeat(86)}`;
      const payload = new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: forged }).toString();
      for (let i = 0; i <= TOKEN_REQUESTS_PER_CLIENT_PER_MINUTE; i++) {
        const r = await app.inject({ method: 'POST', url: '/oauth/token', remoteAddress: '198.51.100.9', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload });
        assert.equal(r.json().error, 'invalid_client');
      }
      await getToken(clientId, clientKey, oauth.DPoP({ client_id: clientId } as oauth.Client, await generateKeyPair('ES256')));
    });

    test('the token and revocation endpoints read only a form body: the same text as text/plain is invalid_request (RFC 6749 §3.2)', async () => {
      for (const url of ['/oauth/token', '/oauth/revoke']) {
        const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'text/plain' }, payload: 'grant_type=password&token=x' });
        assert.equal(res.statusCode, 400, url);
        assert.equal(res.json().error, 'invalid_request', url);
      }
    });

    test('the token endpoint refuses a client secret and an unknown resource; the CLI refuses a private key', async () => {
      const dpop = oauth.DPoP({ client_id: clientId } as oauth.Client, await generateKeyPair('ES256'));
      await getToken(clientId, clientKey, dpop);
      const secret = await app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `grant_type=client_credentials&client_id=${clientId}&client_secret=s3cret` });
      assert.equal(secret.statusCode, 401);
      assert.equal(secret.json().error, 'invalid_client');
      await assert.rejects(getToken(clientId, clientKey, dpop, `${ORIGIN}/elsewhere`), (e: unknown) => e instanceof oauth.ResponseBodyError && e.error === 'invalid_target');
      const bad = await runCli(t, ['workload', 'create', '--tenant', 'riverside', '--name', 'leaky', '--kind', 'ai_agent', '--role', 'VoiceAgent'], JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', d: 'AA' }] }));
      assert.equal(bad.code, 1);
      assert.match(bad.err, /WORKLOAD_KEYS_INVALID/);
    });
  });
}
