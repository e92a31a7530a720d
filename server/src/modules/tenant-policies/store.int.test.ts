// Stored tenant policies on both engines (R-AUTHZ-1, R-AUTHZ-5): forbid-only, validated on save,
// in force only after a second Owner or Admin approves, and honoured by the enforcement path.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Authenticated } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import { createAuditLog } from '../audit/index.ts';
import { createGuard } from '../access/index.ts';
import { loadPdp } from '../policy/index.ts';
import { createTenantPolicyStore } from './index.ts';
import { ENGINES, type TestDatabase } from '../../../test/support/databases.ts';
import { insertMember, insertPatient, insertTenant } from '../../../test/support/fixtures.ts';

const T = '2a000000-0000-4000-8000-000000000000';
const OWNER = '2a000001-0000-4000-8000-000000000000';
const ADMIN = '2a000002-0000-4000-8000-000000000000';
const AGENT = '2a000003-0000-4000-8000-000000000000';
const PATIENT = '2a000010-0000-4000-8000-000000000000';
const NOW = new Date('2026-11-22T10:00:00Z');

const FORBID_AGENT_VIEWS = `@id("no-agent-views")
@requirement("R-AUTHZ-3")
forbid (principal, action == Action::"patient.view", resource)
when { principal.roles.contains("Agent") };`;

const agent: Authenticated = {
  principal: { kind: 'human', id: AGENT, tenantId: T as never, roles: ['Agent'], phiScopes: ['Healthcare-PHI'] },
  credential: { kind: 'session', id: '2a0000ff-0000-4000-8000-000000000000', authMethod: 'passkey', amr: ['hwk', 'user'], mfa: true, createdAt: NOW, lastVerifiedAt: NOW, expiresAt: new Date(NOW.getTime() + 3600_000) },
  device: { id: '2a0000fe-0000-4000-8000-000000000000', thumbprint: 't', posture: 'managed' },
};

for (const { engine, open, skip } of ENGINES) {
  describe(`tenant policies on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDatabase;
    const clock = { now: () => NOW };
    const store = createTenantPolicyStore({ clock, cacheSeconds: 0 });
    // The proposer and the decider are the scope's verified actor, never an argument (0017).
    const as = <R>(actorId: string, fn: (tx: Tx) => Promise<R>) => t.db.scoped({ tenantId: T, phiScopes: [], actorId, actorKind: 'human' }, fn);
    const inTenant = <R>(fn: (tx: Tx) => Promise<R>) => as(OWNER, fn);

    before(async () => {
      t = await open();
      await t.superuser(async (tx) => {
        await insertTenant(tx, T, 'policy-tenant');
        await insertMember(tx, { id: OWNER, tenantId: T, email: 'owner@p.test', roles: ['Owner'], scopes: [] });
        await insertMember(tx, { id: ADMIN, tenantId: T, email: 'admin@p.test', roles: ['Admin'], scopes: [] });
        await insertMember(tx, { id: AGENT, tenantId: T, email: 'agent@p.test', roles: ['Agent'], scopes: ['Healthcare-PHI'] });
        await insertPatient(tx, { id: PATIENT, tenantId: T, phiScope: 'Healthcare-PHI', mrn: 'P-1' });
      });
    });
    after(async () => t?.close());

    test('a permit is refused on save: tenant policies can only narrow access', async () => {
      const permit = '@id("open") permit (principal, action, resource);';
      await assert.rejects(as(OWNER, (tx) => store.propose(tx, T, permit)), { code: 'POLICY_INVALID' });
      await assert.rejects(as(OWNER, (tx) => store.propose(tx, T, 'forbid (principal, action, resource) when { nonsense };')), { code: 'POLICY_INVALID' });
    });

    test('a proposal is not in force, cannot be approved by its proposer, and is in force once a second admin approves', async () => {
      const guard = createGuard({ db: t.db, pdp: loadPdp(), audit: createAuditLog(), clock, tenantPolicies: store.active, logger: { error: () => undefined } as never });
      const view = () =>
        guard.run({
          authenticated: agent,
          action: 'patient.view',
          load: async (tx) => {
            const { rows } = await tx.query<{ id: string; tenant_id: string }>('SELECT id, tenant_id FROM patients WHERE id = $1', [PATIENT]);
            return rows[0] ? { type: 'Patient', id: rows[0].id, tenant: rows[0].tenant_id, phiScope: 'Healthcare-PHI' } : null;
          },
          handle: async () => 'ok',
        });

      const { version } = await as(OWNER, (tx) => store.propose(tx, T, FORBID_AGENT_VIEWS));
      assert.equal(version, 1);
      assert.equal(await view(), 'ok', 'a proposal changes nothing');
      await assert.rejects(as(OWNER, (tx) => store.decide(tx, T, version, true)), { code: 'POLICY_SELF_APPROVAL' });

      const approved = await as(ADMIN, (tx) => store.decide(tx, T, version, true));
      assert.equal(approved.state, 'active');
      await assert.rejects(view(), { code: 'FORBIDDEN' });
      await assert.rejects(as(ADMIN, (tx) => store.decide(tx, T, version, true)), { code: 'CONFLICT' });

      // A newer approved version supersedes the old one.
      const next = await as(ADMIN, (tx) => store.propose(tx, T, FORBID_AGENT_VIEWS.replace('patient.view', 'recording.listen')));
      await as(OWNER, (tx) => store.decide(tx, T, next.version, true));
      assert.equal(await view(), 'ok');
      const states = (await inTenant((tx) => store.list(tx, T))).map((v) => [v.version, v.state]);
      assert.deepEqual(states, [[2, 'active'], [1, 'superseded']]);
    });

    test('the database itself refuses a decision by the proposer', async () => {
      const code = await t.superuser(async (tx) => {
        await tx.query('SAVEPOINT attempt');
        try {
          await tx.query("INSERT INTO tenant_policies (tenant_id, version, policy_text, state, proposed_by, decided_by) VALUES ($1, 99, 'x', 'active', $2, $2)", [T, OWNER]);
          return 'accepted';
        } catch (e) {
          await tx.query('ROLLBACK TO SAVEPOINT attempt');
          return (e as { code?: string }).code;
        }
      });
      assert.equal(code, '23514');
    });
  });
}
