// Tenant policies over HTTP (R-AUTHZ-1, R-AUTHZ-5): an Admin proposes, the same Admin cannot approve,
// an Owner approves, and the new forbid takes effect on the next request; an Agent manages nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { denialReasons } from '../support/denials.ts';
import { problemCode } from '../support/problem.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const patient = demo.patients.find((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI')!;

const NO_AGENT_VIEWS = `@id("no-agent-patient-views")
@requirement("R-AUTHZ-3")
forbid (principal, action == Action::"patient.view", resource)
when { principal.roles.contains("Agent") };`;

describe('tenant policies over HTTP', () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let admin: TestSession;
  let owner: TestSession;
  let agent: TestSession;

  before(async () => {
    t = await createTestDeps('embedded', { demo: demo.seed });
    app = await buildApp(t.deps);
    admin = await signIn(t.deps, 'adrian.admin@riverside.test');
    owner = await signIn(t.deps, 'olivia.owner@riverside.test');
    agent = await signIn(t.deps, 'alex.agent@riverside.test');
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  const call = async (who: TestSession, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: await who.headers(method, url), ...(payload ? { payload } : {}) });

  test('propose, refuse self-approval, approve by a second admin, and the forbid is in force', async () => {
    assert.equal((await call(agent, 'GET', `/v1/patients/${patient.id}`)).statusCode, 200);
    assert.equal((await call(agent, 'POST', '/v1/policies', { text: NO_AGENT_VIEWS })).statusCode, 403, 'an Agent manages no policy');

    const permit = await call(admin, 'POST', '/v1/policies', { text: '@id("open") permit (principal, action, resource);' });
    assert.equal(permit.statusCode, 400);
    assert.equal(problemCode(permit), 'POLICY_INVALID');

    const proposed = await call(admin, 'POST', '/v1/policies', { text: NO_AGENT_VIEWS });
    assert.equal(proposed.statusCode, 201, proposed.body);
    const version = proposed.json().version as number;

    // The proposer cannot decide it: Cedar refuses first (sod-change-second-person, audited with its
    // reason), and the database still refuses underneath, for a caller that reaches the store without the policy.
    for (const decision of ['approve', 'reject']) {
      const self = await call(admin, 'POST', `/v1/policies/${version}/${decision}`);
      assert.equal(self.statusCode, 403, self.body);
      assert.equal(problemCode(self), 'FORBIDDEN');
    }
    assert.ok((await denialReasons(t.deps, 'policy.manage', admin.memberId)).includes('forbid:sod-change-second-person'));
    await assert.rejects(t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorKind: 'human', actorId: admin.memberId }, (tx) =>
      t.deps.tenantPolicies.decide(tx, riverside.id, version, true)),
    { code: 'POLICY_SELF_APPROVAL' }, 'the database refuses the proposer too (0017)');
    assert.equal((await call(admin, 'POST', '/v1/policies/99999/approve')).statusCode, 404, 'an unknown version is not found');
    assert.equal((await call(agent, 'GET', `/v1/patients/${patient.id}`)).statusCode, 200, 'a proposal is not in force');

    const approved = await call(owner, 'POST', `/v1/policies/${version}/approve`);
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().state, 'active');
    const denied = await call(agent, 'GET', `/v1/patients/${patient.id}`);
    assert.equal(denied.statusCode, 403);
    assert.equal(problemCode(denied), 'FORBIDDEN');

    const list = await call(owner, 'GET', '/v1/policies');
    assert.deepEqual(list.json().versions.map((v: { version: number; state: string }) => [v.version, v.state]), [[version, 'active']]);
  });

  test('an Auditor investigates the sealed trail through GET /v1/audit/events; an Agent cannot', async () => {
    await t.deps.auditSealer.sealOnce();
    const auditor = await signIn(t.deps, 'audrey.auditor@riverside.test');
    const path = `/v1/audit/events?actorId=${agent.memberId}&limit=1000`;
    const res = await call(auditor, 'GET', path);
    assert.equal(res.statusCode, 200, res.body);
    const events = res.json().events as Array<{ actorId: string; action: string; seq: number }>;
    assert.ok(events.length > 0 && events.every((e) => e.actorId === agent.memberId && e.seq > 0));
    assert.ok(events.some((e) => e.action === 'patient.view'));
    assert.equal((await call(agent, 'GET', '/v1/audit/events')).statusCode, 403);
  });
});
