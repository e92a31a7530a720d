// SSO and SCIM settings from the admin console (R-AUTHN-2, R-AUTHN-5, R-UX-1) through the real app,
// guard, Cedar policies and database, on both engines, against a real OpenID provider on loopback:
// an Admin reads the connection (never its secret) and changes it (discovery checks it first; a bad
// issuer writes nothing); another issuer or client, or a disconnection, takes two people (0120: the
// proposer, ward_app alone and an expired proposal change nothing); a SCIM token takes two people (an Admin proposes, an Owner approves with a
// step-up and is shown it once; the proposer cannot: Cedar refuses, the database too), works at once, and rotates the same way (the old
// one stops); an Agent, a Manager and an Auditor do none of it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { approveScimToken } from '../../src/modules/provisioning/index.ts';
import { configureSso } from '../../src/modules/sso/index.ts';
import { startIdp, type Idp } from '../e2e/idp.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { denialReasons } from '../support/denials.ts';
import { problemCode } from '../support/problem.ts';
import { givePasskeys, signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const SECRET = 'riverside-client-secret-value';

for (const { engine, skip } of ENGINES) {
  describe(`SSO and SCIM settings over HTTP on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let idp: Idp;
    let admin: TestSession;
    let owner: TestSession;
    let agent: TestSession;
    let manager: TestSession;
    let auditor: TestSession;

    before(async () => {
      t = await createTestDeps(engine, { env: { WARD_EGRESS_ALLOW: '127.0.0.1' }, demo: demo.seed });
      idp = await startIdp({ accounts: {}, clients: [{ clientId: 'riverside-ward', clientSecret: SECRET, wardOrigin: t.deps.config.origin.origin }] });
      app = await buildApp(t.deps);
      admin = await signIn(t.deps, 'adrian.admin@riverside.test');
      owner = await signIn(t.deps, 'olivia.owner@riverside.test');
      agent = await signIn(t.deps, 'alex.agent@riverside.test');
      manager = await signIn(t.deps, 'maya.manager@riverside.test');
      auditor = await signIn(t.deps, 'audrey.auditor@riverside.test');
    });
    after(async () => {
      await app?.close();
      await t?.close();
      await idp?.close();
    });

    const api = async (who: TestSession, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
      app.inject({ method, url, headers: await who.headers(method, url), ...(payload !== undefined ? { payload: payload as object } : {}) });
    const fresh = (...who: TestSession[]) => t.deps.db.systemDb.query('UPDATE sessions SET last_verified_at = now() WHERE id = ANY($1)', [who.map((w) => w.sessionId)]);

    test('the OIDC connection: read without its secret, changed after discovery, refused to others (R-AUTHN-2)', async () => {
      const none = await api(admin, 'GET', '/v1/sso/connection');
      assert.equal(none.statusCode, 200, none.body);
      assert.equal(none.json().configured, false);
      const first = await api(admin, 'PUT', '/v1/sso/connection', { issuer: idp.issuer, clientId: 'riverside-ward', linkBy: 'email', mfaAcr: [] });
      assert.equal(first.statusCode, 400, 'a first connection needs its secret');
      // The operator connects a loopback issuer (http allowed for tests only, by the operator alone).
      await configureSso({ db: t.deps.db, audit: t.deps.audit, kms: t.deps.kms, egress: t.deps.egress },
        { tenantId: riverside.id, issuer: idp.issuer, clientId: 'riverside-ward', clientSecret: SECRET, linkBy: 'email', mfaAcr: [], allowHttpIssuer: true }, t.deps.clock.now());

      const read = await api(admin, 'GET', '/v1/sso/connection');
      assert.equal(read.statusCode, 200);
      assert.deepEqual({ ...(read.json() as object), updatedAt: null }, {
        configured: true, issuer: idp.issuer, clientId: 'riverside-ward', linkBy: 'email', mfaAcr: [], clientAuth: 'client_secret_basic', clientJwksUri: null, allowHttpIssuer: true, updatedAt: null,
        redirectUri: new URL('/v1/auth/sso/callback', t.deps.config.origin).href,
      });
      assert.doesNotMatch(read.body, new RegExp(SECRET), 'never the secret');

      // An added MFA acr value takes a second person (0122): every login the IdP gives it would count as
      // MFA. Refused by the server, and by the database for ward_app; the operator sets them in one step.
      const widened = await api(admin, 'PUT', '/v1/sso/connection', { issuer: idp.issuer, clientId: 'riverside-ward', linkBy: 'subject', mfaAcr: ['phr', 'phrh'] });
      assert.equal(problemCode(widened), 'SSO_NEEDS_APPROVAL');
      const adminScope = { tenantId: riverside.id, phiScopes: [], actorKind: 'human' as const, actorId: admin.memberId };
      await assert.rejects(t.deps.db.scoped(adminScope, (tx) => tx.query(
        "SELECT ward_sso_provider_save($1, 'riverside-ward', 'client_secret_basic', NULL, 'k', '\\x00'::bytea, 'subject', ARRAY['phr'], true, now())", [idp.issuer])), { code: 'WD001' });
      assert.deepEqual((await api(admin, 'GET', '/v1/sso/connection')).json().mfaAcr, [], 'nothing was written');
      await configureSso({ db: t.deps.db, audit: t.deps.audit, kms: t.deps.kms, egress: t.deps.egress },
        { tenantId: riverside.id, issuer: idp.issuer, clientId: 'riverside-ward', clientSecret: SECRET, linkBy: 'email', mfaAcr: ['phr', 'phrh'], allowHttpIssuer: true }, t.deps.clock.now());
      await fresh(admin);
      const changed = await api(admin, 'PUT', '/v1/sso/connection', { issuer: idp.issuer, clientId: 'riverside-ward', linkBy: 'subject', mfaAcr: ['phr', 'phrh'] });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal(changed.json().linkBy, 'subject');
      assert.deepEqual(changed.json().mfaAcr, ['phr', 'phrh']);
      const { rows: [row] } = await t.deps.db.systemDb.query<{ link_by: string; secret_wrapped: Buffer }>('SELECT link_by, secret_wrapped FROM sso_providers WHERE tenant_id = $1', [riverside.id]);
      assert.equal(row!.link_by, 'subject');
      assert.ok(!Buffer.from(row!.secret_wrapped).toString('latin1').includes(SECRET), 'the secret stays wrapped');

      // A bad issuer is refused before anything is written; a new secret is wrapped, never answered.
      const bad = await api(admin, 'PUT', '/v1/sso/connection', { issuer: 'ftp://idp.example', clientId: 'x', linkBy: 'subject', mfaAcr: [] });
      assert.equal(problemCode(bad), 'SSO_ISSUER_INVALID');
      const nowhere = await api(admin, 'PUT', '/v1/sso/connection', { issuer: 'http://127.0.0.1:9/nowhere', clientId: 'riverside-ward', clientSecret: 'other', linkBy: 'subject', mfaAcr: [] });
      assert.equal(problemCode(nowhere), 'SSO_NEEDS_APPROVAL', 'another issuer is proposed (below)');
      assert.equal((await api(admin, 'GET', '/v1/sso/connection')).json().issuer, idp.issuer, 'nothing was written');
      const rotated = await api(admin, 'PUT', '/v1/sso/connection', { issuer: idp.issuer, clientId: 'riverside-ward', clientSecret: 'a-new-secret', linkBy: 'subject', mfaAcr: [] });
      assert.equal(rotated.statusCode, 200, rotated.body);
      assert.doesNotMatch(rotated.body, /a-new-secret/);
      const kept = await t.deps.db.systemDb.query<{ kek: string; wrapped: Buffer }>('SELECT secret_kek_id AS kek, secret_wrapped AS wrapped FROM sso_providers WHERE tenant_id = $1', [riverside.id]);
      assert.equal((await t.deps.kms.unwrap(riverside.id as never, kept.rows[0]!.kek, Buffer.from(kept.rows[0]!.wrapped))).toString('utf8'), 'a-new-secret');

      // private_key_jwt: the console shows the method and where the public key is published, and a
      // change without a secret keeps the key pair the IdP has registered.
      const keyed = await configureSso({ db: t.deps.db, audit: t.deps.audit, kms: t.deps.kms, egress: t.deps.egress },
        { tenantId: riverside.id, issuer: idp.issuer, clientId: 'riverside-ward', clientSecret: '', clientAuth: 'private_key_jwt', linkBy: 'subject', mfaAcr: [], allowHttpIssuer: true }, t.deps.clock.now());
      const withKey = (await api(admin, 'GET', '/v1/sso/connection')).json();
      assert.deepEqual([withKey.clientAuth, withKey.clientJwksUri], ['private_key_jwt', new URL('/sso/riverside/jwks.json', t.deps.config.origin).href]);
      await fresh(admin);
      const relinked = await api(admin, 'PUT', '/v1/sso/connection', { issuer: idp.issuer, clientId: 'riverside-ward', linkBy: 'subject', mfaAcr: [] });
      assert.equal(relinked.statusCode, 200, relinked.body);
      assert.equal(relinked.json().clientAuth, 'private_key_jwt');
      const { rows: [key] } = await t.deps.db.systemDb.query<{ jwk: { kid: string } }>('SELECT client_public_jwk AS jwk FROM sso_providers WHERE tenant_id = $1', [riverside.id]);
      assert.equal(key!.jwk.kid, keyed.publicJwk!.kid);

      // E-mail linking is the operator's (R-AUTHZ-5): the console never turns it on, and keeps it only for
      // the issuer the operator set it for, so one person cannot point e-mail linking at an IdP they run.
      await fresh(admin);
      const turnedOn = await api(admin, 'PUT', '/v1/sso/connection', { issuer: idp.issuer, clientId: 'riverside-ward', linkBy: 'email', mfaAcr: [] });
      assert.equal(problemCode(turnedOn), 'SSO_LINK_BY_EMAIL_OPERATOR');
      assert.equal(turnedOn.statusCode, 403);
      assert.equal((await api(admin, 'GET', '/v1/sso/connection')).json().linkBy, 'subject', 'nothing was written');
      await configureSso({ db: t.deps.db, audit: t.deps.audit, kms: t.deps.kms, egress: t.deps.egress },
        { tenantId: riverside.id, issuer: idp.issuer, clientId: 'riverside-ward', clientSecret: SECRET, linkBy: 'email', mfaAcr: [], allowHttpIssuer: true }, t.deps.clock.now());
      await fresh(admin);
      const keptEmail = await api(admin, 'PUT', '/v1/sso/connection', { issuer: idp.issuer, clientId: 'riverside-ward', linkBy: 'email', mfaAcr: [] });
      assert.equal(keptEmail.statusCode, 200, keptEmail.body);
      assert.equal(keptEmail.json().linkBy, 'email');
      const moved = await api(admin, 'PUT', '/v1/sso/connection', { issuer: `${idp.issuer}/elsewhere`, clientId: 'riverside-ward', clientSecret: 'x', linkBy: 'email', mfaAcr: [] });
      assert.equal(problemCode(moved), 'SSO_LINK_BY_EMAIL_OPERATOR');
      assert.equal((await api(admin, 'GET', '/v1/sso/connection')).json().issuer, idp.issuer, 'nothing was written');

      for (const who of [agent, manager, auditor]) {
        assert.equal((await api(who, 'GET', '/v1/sso/connection')).statusCode, 403);
        assert.equal((await api(who, 'PUT', '/v1/sso/connection', { issuer: idp.issuer, clientId: 'riverside-ward', linkBy: 'email', mfaAcr: [] })).statusCode, 403);
      }
      const { rows: audited } = await t.deps.db.systemDb.query<{ outcome: string; metadata: Record<string, unknown> }>(
        "SELECT outcome, metadata FROM audit_events WHERE action = 'policy.manage' AND tenant_id = $1 AND metadata ->> 'change' = 'sso-configured' ORDER BY occurred_at", [riverside.id]);
      assert.ok(audited.length >= 2);
      assert.ok(audited.every((e) => !JSON.stringify(e.metadata).includes('secret-value') && !JSON.stringify(e.metadata).includes('a-new-secret')));
    });

    test('SCIM tokens by two people: an Admin proposes, not the Admin but the Owner approves with a step-up and sees the token once; rotated the same way (R-AUTHZ-5, R-ELEV-1, R-AUTHN-5)', async () => {
      await givePasskeys(t.deps, admin, owner);
      await fresh(admin, owner);
      for (const who of [agent, manager, auditor]) assert.equal((await api(who, 'POST', '/v1/scim/token-requests', { revokeOld: false })).statusCode, 403);
      const empty = await api(admin, 'GET', '/v1/scim/tokens');
      assert.equal(empty.statusCode, 200, empty.body);
      assert.deepEqual(empty.json().tokens, []);
      assert.equal((await api(admin, 'POST', '/v1/scim/tokens', { revokeOld: false })).statusCode, 404, 'no one-person issue route');

      const proposed = await api(admin, 'POST', '/v1/scim/token-requests', { revokeOld: false, days: 30 });
      assert.equal(proposed.statusCode, 201, proposed.body);
      const p = proposed.json();
      assert.equal(p.state, 'pending');
      assert.equal(p.nextApprover, 'a second Owner or Admin other than adrian.admin@riverside.test (who proposed it)');
      assert.deepEqual((await api(admin, 'GET', '/v1/scim/tokens')).json().tokens, [], 'a proposal issues nothing');
      assert.equal(problemCode(await api(admin, 'POST', '/v1/scim/token-requests', { revokeOld: true })), 'CHANGE_NOT_PENDING', 'one open proposal at a time');
      assert.equal((await api(owner, 'GET', '/v1/scim/token-requests')).json().requests[0].id, p.id);

      // The proposer cannot approve: Cedar refuses first (sod-change-second-person, audited with its reason),
      // and the database still refuses underneath, for a caller that reaches the approval without the policy.
      const self = await api(admin, 'POST', `/v1/scim/token-requests/${p.id}/approve`);
      assert.equal(self.statusCode, 403, self.body);
      assert.equal(problemCode(self), 'FORBIDDEN');
      assert.ok((await denialReasons(t.deps, 'policy.manage', admin.memberId)).includes('forbid:sod-change-second-person'));
      await assert.rejects(t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorKind: 'human', actorId: admin.memberId }, (tx) =>
        approveScimToken(tx, t.deps, { actor: { tenantId: riverside.id, memberId: admin.memberId }, requestId: p.id }, t.deps.clock.now())),
      { code: 'CHANGE_SELF_APPROVAL' }, 'the database refuses the proposer too (0095)');
      // A stale verification asks for a step-up; the second person approves.
      await t.deps.db.systemDb.query("UPDATE sessions SET last_verified_at = now() - interval '1 hour' WHERE id = $1", [owner.sessionId]);
      assert.equal(problemCode(await api(owner, 'POST', `/v1/scim/token-requests/${p.id}/approve`)), 'STEP_UP_REQUIRED');
      assert.deepEqual((await api(admin, 'GET', '/v1/scim/tokens')).json().tokens, []);
      await fresh(owner);
      const approved = await api(owner, 'POST', `/v1/scim/token-requests/${p.id}/approve`);
      assert.equal(approved.statusCode, 200, approved.body);
      const first = approved.json().issued;
      assert.equal(approved.json().request.state, 'approved');
      assert.equal(approved.json().request.decidedBy, owner.memberId);
      assert.equal(approved.json().request.tokenId, first.tokenId);
      assert.match(first.token, /^ward_scim_/);
      assert.equal(first.registered, true);
      assert.equal(Math.round((Date.parse(first.expiresAt) - Date.now()) / 86_400_000), 30, "the proposal's lifetime");
      assert.equal(problemCode(await api(owner, 'POST', `/v1/scim/token-requests/${p.id}/approve`)), 'CHANGE_NOT_PENDING', 'approved once');
      const scim = (token: string) => app.inject({ method: 'GET', url: '/scim/v2/Users', headers: { authorization: `Bearer ${token}` } });
      assert.equal((await scim(first.token)).statusCode, 200);

      const listed = await api(admin, 'GET', '/v1/scim/tokens');
      assert.equal(listed.json().tokens.length, 1);
      assert.equal(listed.json().clientId, first.clientId);
      assert.ok(!listed.body.includes(first.token), 'shown once: never listed');
      assert.ok(!(await api(admin, 'GET', '/v1/scim/token-requests')).body.includes(first.token), 'never in a proposal');

      // A cancelled proposal makes nothing; rotation is a proposal too, approved here by the Admin.
      const cancelled = (await api(owner, 'POST', '/v1/scim/token-requests', { revokeOld: true })).json();
      assert.equal((await api(owner, 'POST', `/v1/scim/token-requests/${cancelled.id}/cancel`)).json().state, 'cancelled');
      const rotation = (await api(owner, 'POST', '/v1/scim/token-requests', { revokeOld: true })).json();
      const rotated = await api(admin, 'POST', `/v1/scim/token-requests/${rotation.id}/approve`);
      assert.equal(rotated.statusCode, 200, rotated.body);
      assert.equal(rotated.json().issued.revoked, 1);
      assert.equal(rotated.json().issued.registered, false);
      assert.equal((await scim(first.token)).statusCode, 401, 'the old token stops');
      assert.equal((await scim(rotated.json().issued.token)).statusCode, 200);
      const { rows } = await t.deps.db.systemDb.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'policy.manage' AND metadata ->> 'change' = 'scim-token-issued' AND outcome = 'success'");
      assert.equal(rows[0]!.n, 2);
      const { rows: trail } = await t.deps.db.systemDb.query<{ action: string; actor_id: string }>(
        "SELECT action, actor_id FROM audit_events WHERE action LIKE 'scim.token.%' AND tenant_id = $1 ORDER BY occurred_at, action", [riverside.id]);
      assert.deepEqual(trail.map((e) => `${e.action} ${e.actor_id === owner.memberId ? 'owner' : 'admin'}`),
        ['scim.token.propose admin', 'scim.token.issue owner', 'scim.token.propose owner', 'scim.token.cancel owner', 'scim.token.propose owner', 'scim.token.issue admin']);
      const { rows: leaked } = await t.deps.db.systemDb.query("SELECT 1 FROM audit_events WHERE metadata::text LIKE '%ward_scim_%'");
      assert.equal(leaked.length, 0, 'no token in the trail');

      // ward_app alone issues nothing: 0058's one-step function is the operator's only (0095).
      await assert.rejects(t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorKind: 'human', actorId: owner.memberId }, (tx) =>
        tx.query("SELECT * FROM ward_scim_token_issue(gen_random_uuid(), '\\x00'::bytea, now() + interval '1 day', false, gen_random_uuid(), 'wl_aaaaaaaaaaaaaaaaaaaaaa', now())")), { code: 'WD001' });
    });

    test('another issuer or client, or a disconnection, by two people: an Admin proposes, the Owner approves; the proposer, ward_app alone and an expired proposal change nothing (R-AUTHN-2, R-AUTHZ-5, R-AUTHZ-7)', async () => {
      await fresh(admin, owner);
      const connection = async () => (await api(admin, 'GET', '/v1/sso/connection')).json();
      assert.equal((await connection()).clientId, 'riverside-ward');
      const other = { issuer: idp.issuer, clientId: 'riverside-ward-2', clientSecret: 'second-client-secret', linkBy: 'subject', mfaAcr: [] };
      const alone = await api(admin, 'PUT', '/v1/sso/connection', other);
      assert.equal(alone.statusCode, 409, alone.body);
      assert.equal(problemCode(alone), 'SSO_NEEDS_APPROVAL');
      for (const who of [agent, manager, auditor]) {
        assert.equal((await api(who, 'POST', '/v1/sso/connection-requests', other)).statusCode, 403);
        assert.equal((await api(who, 'POST', '/v1/sso/disconnect-requests', {})).statusCode, 403);
      }
      // A proposal is checked as a change is: discovery must load, e-mail linking stays the operator's.
      assert.equal(problemCode(await api(admin, 'POST', '/v1/sso/connection-requests', { ...other, issuer: 'http://127.0.0.1:9/nowhere' })), 'SSO_ISSUER_INVALID');
      assert.equal(problemCode(await api(admin, 'POST', '/v1/sso/connection-requests', { ...other, issuer: `${idp.issuer}/elsewhere`, linkBy: 'email' })), 'SSO_LINK_BY_EMAIL_OPERATOR');

      const proposed = await api(admin, 'POST', '/v1/sso/connection-requests', other);
      assert.equal(proposed.statusCode, 201, proposed.body);
      const p = proposed.json();
      assert.deepEqual([p.kind, p.issuer, p.clientId, p.replacesClientId, p.state], ['connect', idp.issuer, 'riverside-ward-2', 'riverside-ward', 'pending']);
      assert.equal(p.nextApprover, 'a second Owner or Admin other than adrian.admin@riverside.test (who proposed it)');
      const listed = await api(owner, 'GET', '/v1/sso/connection-requests');
      assert.equal(listed.json().requests[0].id, p.id);
      assert.doesNotMatch(`${proposed.body}${listed.body}`, /second-client-secret/, 'never the secret');
      const { rows: [held] } = await t.deps.db.systemDb.query<{ wrapped: Buffer }>('SELECT secret_wrapped AS wrapped FROM sso_change_requests WHERE id = $1', [p.id]);
      assert.ok(!Buffer.from(held!.wrapped).toString('latin1').includes('second-client-secret'), 'wrapped in the proposal too');
      assert.equal(problemCode(await api(owner, 'POST', '/v1/sso/disconnect-requests', {})), 'CHANGE_NOT_PENDING', 'one open per tenant');
      assert.equal((await connection()).clientId, 'riverside-ward', 'a proposal changes nothing');

      // The proposer approves nothing (Cedar, then the database as ward_app); ward_app writes no connection.
      assert.equal((await api(admin, 'POST', `/v1/sso/connection-requests/${p.id}/approve`)).statusCode, 403);
      const asAdmin = { tenantId: riverside.id, phiScopes: [], actorKind: 'human' as const, actorId: admin.memberId };
      await assert.rejects(t.deps.db.scoped(asAdmin, (tx) => tx.query('SELECT ward_sso_change_approve($1, now())', [p.id])), { code: 'WD002' });
      await assert.rejects(t.deps.db.scoped(asAdmin, (tx) => tx.query("UPDATE sso_providers SET client_id = 'mine', issuer = 'https://idp.attacker.example'")), { code: '42501' });
      await assert.rejects(t.deps.db.scoped(asAdmin, (tx) => tx.query(
        "SELECT ward_sso_provider_save('https://idp.attacker.example', 'mine', 'client_secret_basic', NULL, 'k', '\\x00'::bytea, 'subject', '{}', false, now())")), { code: 'WD001' });

      const approved = await api(owner, 'POST', `/v1/sso/connection-requests/${p.id}/approve`);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.deepEqual([approved.json().state, approved.json().decidedBy], ['approved', owner.memberId]);
      const now = await connection();
      assert.deepEqual([now.clientId, now.linkBy], ['riverside-ward-2', 'subject'], 'applied on the second approval');
      const kept = await t.deps.db.systemDb.query<{ kek: string; wrapped: Buffer }>('SELECT secret_kek_id AS kek, secret_wrapped AS wrapped FROM sso_providers WHERE tenant_id = $1', [riverside.id]);
      assert.equal((await t.deps.kms.unwrap(riverside.id as never, kept.rows[0]!.kek, Buffer.from(kept.rows[0]!.wrapped))).toString('utf8'), 'second-client-secret');
      assert.equal(problemCode(await api(owner, 'POST', `/v1/sso/connection-requests/${p.id}/approve`)), 'CHANGE_NOT_PENDING', 'approved once');

      // Disconnecting: refused by the Admin; proposed again, it expires; proposed again, approved.
      const cut = (await api(owner, 'POST', '/v1/sso/disconnect-requests', {})).json();
      assert.equal(cut.kind, 'disconnect');
      assert.equal((await api(admin, 'POST', `/v1/sso/connection-requests/${cut.id}/refuse`)).json().state, 'refused');
      const stale = (await api(owner, 'POST', '/v1/sso/disconnect-requests', { ttlHours: 1 })).json();
      await t.deps.db.systemDb.query("UPDATE sso_change_requests SET proposed_at = proposed_at - interval '2 hours', expires_at = expires_at - interval '2 hours' WHERE id = $1", [stale.id]);
      assert.equal(problemCode(await api(admin, 'POST', `/v1/sso/connection-requests/${stale.id}/approve`)), 'CHANGE_NOT_PENDING');
      await assert.rejects(t.deps.db.scoped(asAdmin, (tx) => tx.query("SELECT ward_sso_change_approve($1, now() - interval '1 day')", [stale.id])), { code: 'WD004' }, 'an old p_now revives nothing');
      assert.equal((await connection()).configured, true);
      const last = (await api(owner, 'POST', '/v1/sso/disconnect-requests', {})).json();
      assert.equal((await api(owner, 'POST', `/v1/sso/connection-requests/${last.id}/refuse`)).json().state, 'cancelled', 'the proposer withdraws it');
      const again = (await api(owner, 'POST', '/v1/sso/disconnect-requests', {})).json();
      const gone = await api(admin, 'POST', `/v1/sso/connection-requests/${again.id}/approve`);
      assert.equal(gone.statusCode, 200, gone.body);
      assert.equal((await connection()).configured, false, 'disconnected on the second approval');
      assert.equal(problemCode(await api(owner, 'POST', '/v1/sso/disconnect-requests', {})), 'SSO_NOT_CONFIGURED');

      const { rows: trail } = await t.deps.db.systemDb.query<{ action: string; actor_id: string }>(
        "SELECT action, actor_id FROM audit_events WHERE action LIKE 'sso.change.%' AND tenant_id = $1 ORDER BY occurred_at, action", [riverside.id]);
      assert.deepEqual(trail.map((e) => `${e.action} ${e.actor_id === owner.memberId ? 'owner' : 'admin'}`), [
        'sso.change.propose admin', 'sso.change.approve owner', 'sso.change.propose owner', 'sso.change.refuse admin', 'sso.change.propose owner',
        'sso.change.propose owner', 'sso.change.cancel owner', 'sso.change.propose owner', 'sso.change.approve admin',
      ]);
      const { rows: leaked } = await t.deps.db.systemDb.query("SELECT 1 FROM audit_events WHERE metadata::text LIKE '%second-client-secret%'");
      assert.equal(leaked.length, 0, 'no secret in the trail');

      // The operator's `ward sso configure` stays one step (on the host, with the server's credentials anyway).
      await configureSso({ db: t.deps.db, audit: t.deps.audit, kms: t.deps.kms, egress: t.deps.egress },
        { tenantId: riverside.id, issuer: idp.issuer, clientId: 'riverside-ward', clientSecret: SECRET, linkBy: 'subject', mfaAcr: [], allowHttpIssuer: true }, t.deps.clock.now());
      assert.equal((await connection()).clientId, 'riverside-ward');
    });
  });
}
