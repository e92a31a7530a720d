// Delegation end to end (R-WORK-3, R-AUTHZ-1, R-AUDIT-1): a person, through their own session, lets
// a named AI agent act for them on one patient for one purpose (delegation.create); the agent, an
// independent client built from oauth4webapi and jose, exchanges the subject token (RFC 8693) with
// private_key_jwt and DPoP, and reads with the `act` token what both may read and nothing more.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import * as oauth from 'oauth4webapi';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { ENGINES } from '../support/databases.ts';
import { problemCode, problemCodeOf } from '../support/problem.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { signIn, type TestSession } from '../support/session-client.ts';
import { injectFetch, runCli, withNonce, type SeenRequest } from '../support/oauth-client.ts';

const ORIGIN = 'https://ward.test';
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const inScope = (scope: string) => demo.patients.filter((p) => p.tenantId === riverside.id && p.phiScope === scope);
const [hc, hc2] = inScope('Healthcare-PHI');
const [dental] = inScope('Dental');

type App = Awaited<ReturnType<typeof buildApp>>;

for (const { engine, skip } of ENGINES) {
  describe(`delegation to an AI agent on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: App;
    let offsetMs = 0;
    const seen: SeenRequest = {};
    let as: oauth.AuthorizationServer;
    const options = () => ({ [oauth.customFetch]: injectFetch(app, seen) });
    let agent: { clientId: string; key: CryptoKey; id: string };
    let other: { clientId: string; key: CryptoKey; id: string };

    async function registerAgent(name: string): Promise<{ clientId: string; key: CryptoKey; id: string }> {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(publicKey)), kid: `${name}-1` };
      // The agent holds Healthcare-PHI only: what it reads for a person is within both grants.
      const r = await runCli(t, ['workload', 'create', '--tenant', 'riverside', '--name', name, '--kind', 'ai_agent', '--role', 'VoiceAgent', '--scopes', 'Healthcare-PHI', '--approver', 'olivia.owner@riverside.test'], JSON.stringify({ keys: [jwk] }));
      assert.equal(r.code, 0, r.err);
      const clientId = r.out.trim().split('\n').at(-1)!;
      const { rows } = await t.deps.db.systemDb.query<{ id: string }>('SELECT id FROM workloads WHERE client_id = $1', [clientId]);
      return { clientId, key: privateKey, id: rows[0]!.id };
    }

    /** The person's own request: POST /v1/delegations through their session, with a purpose. */
    async function delegate(who: TestSession, body: Record<string, string>, purpose: string | null = 'TREAT') {
      const headers = { ...(await who.headers('POST', '/v1/delegations')), 'content-type': 'application/json', ...(purpose ? { 'ward-purpose': purpose } : {}) };
      return app.inject({ method: 'POST', url: '/v1/delegations', headers, payload: JSON.stringify(body) });
    }

    async function subjectTokenFor(who: TestSession, patientId: string, to = agent): Promise<string> {
      const res = await delegate(who, { agent: to.clientId, patientId });
      assert.equal(res.statusCode, 201, res.body);
      return (res.json() as { subjectToken: string }).subjectToken;
    }

    /** RFC 8693 token exchange by `by`, with private_key_jwt and DPoP. */
    async function exchange(by: { clientId: string; key: CryptoKey }, subjectToken: string, dpop: oauth.DPoPHandle): Promise<oauth.TokenEndpointResponse> {
      const client = { client_id: by.clientId };
      return withNonce(async () => oauth.processGenericTokenEndpointResponse(as, client, await oauth.genericTokenEndpointRequest(
        as, client, oauth.PrivateKeyJwt(by.key), EXCHANGE, { subject_token: subjectToken, subject_token_type: JWT_TYPE, resource: `${ORIGIN}/v1` }, { ...options(), DPoP: dpop })));
    }

    const refusedGrant = (e: unknown) => e instanceof oauth.ResponseBodyError && e.error === 'invalid_grant';

    const read = (token: string, dpop: oauth.DPoPHandle, path: string) =>
      withNonce(() => oauth.protectedResourceRequest(token, 'GET', new URL(path, ORIGIN), new Headers(), null, { ...options(), DPoP: dpop }))
        .catch((e: unknown) => {
          if (e instanceof oauth.WWWAuthenticateChallengeError) return e.response;
          throw e;
        });

    /** A person's delegation of `patientId`, exchanged by the agent: the act token and its DPoP key. */
    async function actToken(who: TestSession, patientId: string): Promise<{ token: string; dpop: oauth.DPoPHandle }> {
      const dpop = oauth.DPoP({ client_id: agent.clientId } as oauth.Client, await generateKeyPair('ES256'));
      const res = await exchange(agent, await subjectTokenFor(who, patientId), dpop);
      return { token: res.access_token, dpop };
    }

    before(async () => {
      t = await createTestDeps(engine, { clock: { now: () => new Date(Date.now() + offsetMs) }, env: { WARD_ORIGIN: ORIGIN }, demo: demo.seed });
      app = await buildApp(t.deps);
      agent = await registerAgent('delegate-1');
      other = await registerAgent('delegate-2');
      const issuer = new URL(ORIGIN);
      as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options(), algorithm: 'oauth2' }));
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    test('the agent for an Agent-role member reads the delegated patient and nothing more, recorded as ai_agent_for_human with both ids', async () => {
      assert.ok(as.grant_types_supported?.includes(EXCHANGE));
      const alex = await signIn(t.deps, 'alex.agent@riverside.test'); // Agent, Healthcare-PHI
      const dpop = oauth.DPoP({ client_id: agent.clientId } as oauth.Client, await generateKeyPair('ES256'));
      const res = await exchange(agent, await subjectTokenFor(alex, hc!.id), dpop);
      const claims = decodeJwt(res.access_token);
      assert.equal(claims.sub, alex.memberId);
      assert.deepEqual(claims.act, { sub: agent.clientId });
      assert.ok(claims.exp! - claims.iat! <= 900, 'an act token lives 15 minutes at most');

      const view = await read(res.access_token, dpop, `/v1/patients/${hc!.id}`);
      assert.equal(view.status, 200, await view.clone().text());
      assert.ok(((await view.json()) as { masked: string[] }).masked.includes('dateOfBirth'), 'masked as the agent is masked');
      // The person may read the full case notes (with step-up and justification); the agent never: decided for both.
      const full = await read(res.access_token, dpop, `/v1/patients/${hc!.id}/case-notes/full`);
      assert.equal(await problemCodeOf(full), 'FORBIDDEN');
      // One patient: another patient, or a list, is outside the delegation.
      assert.equal(await problemCodeOf(await read(res.access_token, dpop, `/v1/patients/${hc2!.id}`)), 'FORBIDDEN');
      assert.equal(await problemCodeOf(await read(res.access_token, dpop, '/v1/patients')), 'FORBIDDEN');

      const { rows } = await t.deps.db.systemDb.query<{ actor_kind: string; actor_id: string; on_behalf_of: string; session_id: string; decision: string; reasons: string[]; policy_ids: string[] }>(
        "SELECT actor_kind, actor_id, on_behalf_of, session_id, decision, reasons, policy_ids FROM audit_events WHERE tenant_id = $1 AND actor_id = $2 AND action LIKE 'patient.%' ORDER BY occurred_at",
        [riverside.id, agent.id]);
      assert.ok(rows.length >= 3);
      for (const r of rows) {
        assert.equal(r.actor_kind, 'ai_agent_for_human');
        assert.equal(r.on_behalf_of, alex.memberId);
        assert.equal(r.session_id, alex.sessionId);
      }
      assert.ok(rows.some((r) => r.decision === 'allow' && r.policy_ids.includes('ai-agent-call-work') && r.policy_ids.includes('role-agent')), 'allowed for the agent and for the person');
      assert.ok(rows.some((r) => r.reasons.includes('delegation-target')));
    });

    test('the scopes are the intersection: a Dental patient delegated by a member who holds Dental is invisible to an agent that does not', async () => {
      const andre = await signIn(t.deps, 'andre.agent@riverside.test'); // Agent, Dental and Healthcare-PHI
      const { token, dpop } = await actToken(andre, dental!.id);
      const res = await read(token, dpop, `/v1/patients/${dental!.id}`);
      assert.equal(await problemCodeOf(res), 'NOT_FOUND');
      // And a person cannot delegate what they cannot see themselves.
      const alex = await signIn(t.deps, 'alex.agent@riverside.test');
      assert.equal(problemCode(await delegate(alex, { agent: agent.clientId, patientId: dental!.id })), 'NOT_FOUND');
    });

    test('the subject token works once, for the agent it names, within 60 seconds, while the person is signed in', async () => {
      const alex = await signIn(t.deps, 'alex.agent@riverside.test');
      const dpop = oauth.DPoP({ client_id: agent.clientId } as oauth.Client, await generateKeyPair('ES256'));
      const once = await subjectTokenFor(alex, hc!.id);
      await exchange(agent, once, dpop);
      await assert.rejects(exchange(agent, once, dpop), refusedGrant, 'a second exchange');

      const otherDpop = oauth.DPoP({ client_id: other.clientId } as oauth.Client, await generateKeyPair('ES256'));
      await assert.rejects(exchange(other, await subjectTokenFor(alex, hc!.id), otherDpop), refusedGrant, 'another agent');

      offsetMs = -61_000; // minted 61 s ago
      let stale: string;
      try {
        stale = await subjectTokenFor(alex, hc!.id);
      } finally {
        offsetMs = 0;
      }
      await assert.rejects(exchange(agent, stale, dpop), refusedGrant, 'an expired subject token');

      const revoked = await subjectTokenFor(alex, hc!.id);
      await t.deps.db.systemDb.query('UPDATE sessions SET revoked_at = now() WHERE id = $1', [alex.sessionId]);
      await assert.rejects(exchange(agent, revoked, dpop), refusedGrant, "the person's session revoked");

      const { rows } = await t.deps.db.systemDb.query<{ reasons: string[] }>(
        "SELECT reasons FROM audit_events WHERE tenant_id = $1 AND action = 'workload.token.exchange' AND outcome = 'denied'", [riverside.id]);
      const reasons = rows.flatMap((r) => r.reasons);
      for (const r of ['subject_token_used', 'other_agent', 'subject_token_expired', 'person_session_ended']) assert.ok(reasons.includes(r), r);
    });

    test("the act token dies with the person's session and with any change of their roles; the person's device is decided live", async () => {
      const first = await signIn(t.deps, 'alex.agent@riverside.test');
      const a = await actToken(first, hc!.id);
      assert.equal((await read(a.token, a.dpop, `/v1/patients/${hc!.id}`)).status, 200);
      await t.deps.db.systemDb.query('UPDATE sessions SET revoked_at = now() WHERE id = $1', [first.sessionId]);
      assert.equal(await problemCodeOf(await read(a.token, a.dpop, `/v1/patients/${hc!.id}`)), 'DELEGATION_ENDED');

      const second = await signIn(t.deps, 'alex.agent@riverside.test');
      const b = await actToken(second, hc!.id);
      assert.equal((await read(b.token, b.dpop, `/v1/patients/${hc!.id}`)).status, 200);
      await t.deps.db.systemDb.query("UPDATE devices SET posture = 'unmanaged' WHERE id = (SELECT device_id FROM sessions WHERE id = $1)", [second.sessionId]);
      assert.equal(await problemCodeOf(await read(b.token, b.dpop, `/v1/patients/${hc!.id}`)), 'FORBIDDEN', "the person's decision, with their device as it is now");
      await t.deps.db.systemDb.query("UPDATE devices SET posture = 'managed' WHERE id = (SELECT device_id FROM sessions WHERE id = $1)", [second.sessionId]);
      assert.equal((await read(b.token, b.dpop, `/v1/patients/${hc!.id}`)).status, 200);
      await t.deps.db.systemDb.query("INSERT INTO member_roles (tenant_id, member_id, role) VALUES ($1, $2, 'Viewer')", [riverside.id, second.memberId]);
      try {
        assert.equal(await problemCodeOf(await read(b.token, b.dpop, `/v1/patients/${hc!.id}`)), 'DELEGATION_ENDED');
      } finally {
        await t.deps.db.systemDb.query("DELETE FROM member_roles WHERE member_id = $1 AND role = 'Viewer'", [second.memberId]);
      }
    });

    test('a delegation needs a purpose and a recent verification; an AI agent cannot delegate', async () => {
      const alex = await signIn(t.deps, 'alex.agent@riverside.test');
      assert.equal(problemCode(await delegate(alex, { agent: agent.clientId, patientId: hc!.id }, null)), 'PURPOSE_REQUIRED');
      offsetMs = 301_000;
      try {
        assert.equal(problemCode(await delegate(alex, { agent: agent.clientId, patientId: hc!.id })), 'STEP_UP_REQUIRED');
      } finally {
        offsetMs = 0;
      }
      assert.equal(problemCode(await delegate(alex, { agent: 'wl_0000000000000000000000', patientId: hc!.id })), 'NOT_FOUND');
      const { token, dpop } = await actToken(alex, hc!.id);
      const res = await withNonce(() => oauth.protectedResourceRequest(token, 'POST', new URL('/v1/delegations', ORIGIN), new Headers({ 'content-type': 'application/json', 'ward-purpose': 'TREAT' }),
        JSON.stringify({ agent: other.clientId, patientId: hc!.id }), { ...options(), DPoP: dpop })).catch((e: unknown) => {
        if (e instanceof oauth.WWWAuthenticateChallengeError) return e.response;
        throw e;
      });
      assert.equal(await problemCodeOf(res), 'FORBIDDEN');
    });
    test('deprovisioned by the IdP over SCIM: the act token an agent holds for that person stops on its very next request (R-AUTHN-5)', async () => {
      const alex = await signIn(t.deps, 'alex.agent@riverside.test');
      const { token, dpop } = await actToken(alex, hc!.id);
      assert.equal((await read(token, dpop, `/v1/patients/${hc!.id}`)).status, 200);
      // Alex as a user the IdP provisioned, and the tenant's SCIM client with its token.
      await t.deps.db.systemDb.query('INSERT INTO scim_users (tenant_id, member_id, user_name, created_at, updated_at) VALUES ($1, $2, $3, now(), now())', [riverside.id, alex.memberId, 'alex.agent@riverside.test']);
      const issued = await runCli(t, ['scim', 'token', '--tenant', 'riverside']);
      assert.equal(issued.code, 0, issued.err);
      const off = await app.inject({
        method: 'PATCH', url: `/scim/v2/Users/${alex.memberId}`,
        headers: { authorization: `Bearer ${issued.out.trim().split('\n').at(-1)!}`, 'content-type': 'application/scim+json' },
        payload: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] }),
      });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(await problemCodeOf(await read(token, dpop, `/v1/patients/${hc!.id}`)), 'DELEGATION_ENDED');
    });
  });
}
