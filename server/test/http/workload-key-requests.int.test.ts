// New keys for a workload with a PHI scope take two people (R-AUTHZ-5, R-ELEV-1, R-WORK-2, 0096)
// through the real app, guard, Cedar policies and database, on both engines: an Admin's one-step add
// or replace is refused; the Admin proposes a public key (nothing changes), cannot approve it (Cedar
// refuses, the database too), the Owner approves with a step-up and only then is the key in the set;
// a stale proposal (the set changed since) is refused; revoking a key stays one person's act; a
// workload without a PHI scope keeps the one-step add (admin-settings.int.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { approveWorkloadKey, createWorkload, grantWorkloadScope } from '../../src/modules/workload/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { denialReasons } from '../support/denials.ts';
import { problemCode } from '../support/problem.ts';
import { givePasskeys, signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;

for (const { engine, skip } of ENGINES) {
  describe(`workload key proposals over HTTP on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let admin: TestSession;
    let owner: TestSession;
    let agent: TestSession;

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp(t.deps);
      admin = await signIn(t.deps, 'adrian.admin@riverside.test');
      owner = await signIn(t.deps, 'olivia.owner@riverside.test');
      agent = await signIn(t.deps, 'alex.agent@riverside.test');
      await givePasskeys(t.deps, admin, owner);
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    const api = async (who: TestSession, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
      app.inject({ method, url, headers: await who.headers(method, url), ...(payload !== undefined ? { payload: payload as object } : {}) });
    const fresh = (...who: TestSession[]) => t.deps.db.systemDb.query('UPDATE sessions SET last_verified_at = now() WHERE id = ANY($1)', [who.map((w) => w.sessionId)]);
    const publicJwk = async (kid: string): Promise<JWK> => ({ ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)), kid });
    const kids = async (clientId: string) => (await t.deps.db.systemDb.query<{ jwks: { keys: JWK[] } }>('SELECT jwks FROM workloads WHERE client_id = $1', [clientId])).rows[0]!.jwks.keys.map((k) => k.kid);

    test('a PHI-scoped workload: the Admin proposes a key, the Owner approves it with a step-up; one-step adds are refused, revocation stays one step', async () => {
      await fresh(admin, owner);
      const first = await publicJwk('phi-1');
      const { clientId } = await createWorkload(t.deps.db, { audit: t.deps.audit, clock: t.deps.clock }, { tenantId: riverside.id, name: 'PHI agent', kind: 'ai_agent', role: 'VoiceAgent', jwks: { keys: [first] } });
      await grantWorkloadScope(t.deps.db, { audit: t.deps.audit }, { tenantId: riverside.id, clientId, scope: 'Healthcare-PHI', approverMemberId: owner.memberId }, t.deps.clock.now());
      const second = await publicJwk('phi-2');

      // One person adds or replaces nothing on a PHI-scoped workload.
      assert.equal(problemCode(await api(admin, 'POST', `/v1/workloads/${clientId}/keys`, { jwk: second })), 'CHANGE_NEEDS_APPROVAL');
      assert.equal(problemCode(await api(admin, 'PUT', `/v1/workloads/${clientId}/keys`, { keys: [second] })), 'CHANGE_NEEDS_APPROVAL');
      await assert.rejects(t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorKind: 'human', actorId: admin.memberId }, async (tx) => {
        const { rows: [w] } = await tx.query<{ jwks: unknown }>('SELECT jwks FROM workloads WHERE client_id = $1', [clientId]);
        await tx.query('SELECT ward_workload_set_keys($1, $2, $3, now())', [clientId, JSON.stringify(w!.jwks), JSON.stringify({ keys: [first, second] })]);
      }), { code: 'WD001' }, 'the database refuses it too');
      assert.equal((await api(agent, 'POST', `/v1/workloads/${clientId}/key-requests`, { jwk: second })).statusCode, 403);
      const priv = await api(admin, 'POST', `/v1/workloads/${clientId}/key-requests`, { jwk: { ...second, d: 'AAAA' } });
      assert.equal(problemCode(priv), 'WORKLOAD_KEYS_INVALID', 'public keys only: no secret in a proposal');

      const proposed = await api(admin, 'POST', `/v1/workloads/${clientId}/key-requests`, { jwk: second });
      assert.equal(proposed.statusCode, 201, proposed.body);
      const p = proposed.json();
      assert.equal(p.state, 'pending');
      assert.equal(p.nextApprover, 'a second Owner or Admin other than adrian.admin@riverside.test (who proposed it)');
      assert.deepEqual(p.keys.map((k: { kid: string }) => k.kid), ['phi-1', 'phi-2']);
      assert.deepEqual(await kids(clientId), ['phi-1'], 'a proposal changes nothing');
      assert.equal(problemCode(await api(owner, 'POST', `/v1/workloads/${clientId}/key-requests`, { jwk: await publicJwk('phi-9') })), 'CHANGE_NOT_PENDING', 'one open per workload');
      assert.equal((await api(owner, 'GET', '/v1/workload-key-requests')).json().requests[0].id, p.id);

      // The proposer cannot approve: Cedar refuses first (sod-change-second-person, audited with its reason),
      // and the database still refuses underneath, for a caller that reaches the approval without the policy.
      const self = await api(admin, 'POST', `/v1/workload-key-requests/${p.id}/approve`);
      assert.equal(self.statusCode, 403, self.body);
      assert.equal(problemCode(self), 'FORBIDDEN');
      assert.ok((await denialReasons(t.deps, 'policy.manage', admin.memberId)).includes('forbid:sod-change-second-person'));
      await assert.rejects(t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorKind: 'human', actorId: admin.memberId }, (tx) =>
        approveWorkloadKey(tx, t.deps, { actor: { tenantId: riverside.id, memberId: admin.memberId }, requestId: p.id }, t.deps.clock.now())),
      { code: 'CHANGE_SELF_APPROVAL' }, 'the database refuses the proposer too (0096)');
      assert.deepEqual(await kids(clientId), ['phi-1']);
      await t.deps.db.systemDb.query("UPDATE sessions SET last_verified_at = now() - interval '1 hour' WHERE id = $1", [owner.sessionId]);
      assert.equal(problemCode(await api(owner, 'POST', `/v1/workload-key-requests/${p.id}/approve`)), 'STEP_UP_REQUIRED');
      assert.deepEqual(await kids(clientId), ['phi-1']);
      await fresh(owner);
      const approved = await api(owner, 'POST', `/v1/workload-key-requests/${p.id}/approve`);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().state, 'approved');
      assert.equal(approved.json().decidedBy, owner.memberId);
      assert.deepEqual(await kids(clientId), ['phi-1', 'phi-2']);
      assert.equal(problemCode(await api(owner, 'POST', `/v1/workload-key-requests/${p.id}/approve`)), 'CHANGE_NOT_PENDING');

      // A proposal made stale by a later change is refused on approval; revoking stays one person's act.
      const stale = (await api(owner, 'POST', `/v1/workloads/${clientId}/key-requests`, { jwk: await publicJwk('phi-3') })).json();
      const revoked = await api(admin, 'POST', `/v1/workloads/${clientId}/keys/${await calculateJwkThumbprint(first, 'sha256')}/revoke`);
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.deepEqual(await kids(clientId), ['phi-2']);
      assert.equal(problemCode(await api(admin, 'POST', `/v1/workload-key-requests/${stale.id}/approve`)), 'CHANGE_NOT_PENDING', 'the set changed since');
      assert.deepEqual(await kids(clientId), ['phi-2']);
      assert.equal((await api(owner, 'POST', `/v1/workload-key-requests/${stale.id}/cancel`)).json().state, 'cancelled');

      const { rows: trail } = await t.deps.db.systemDb.query<{ action: string; actor_id: string }>(
        "SELECT action, actor_id FROM audit_events WHERE action LIKE 'workload.key.%' AND tenant_id = $1 ORDER BY occurred_at, action", [riverside.id]);
      assert.deepEqual(trail.map((e) => `${e.action} ${e.actor_id === owner.memberId ? 'owner' : 'admin'}`),
        ['workload.key.propose admin', 'workload.key.approve owner', 'workload.key.propose owner', 'workload.key.cancel owner']);
    });
  });
}
