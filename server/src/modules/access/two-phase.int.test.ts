// The two-phase guard (DESIGN.md; R-AUDIT-1, R-AUDIT-2) against real databases and the real default
// policies: decide and audit the intent, work outside any transaction, record the outcome linked to
// the intent; an error in between marks the intent failed and refuses (fail closed).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Authenticated, PhiScope } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import { createAuditLog } from '../audit/append.ts';
import { loadPdp } from '../policy/index.ts';
import { createGuard, type Guard, type ResourceRef } from './guard.ts';
import { ENGINES, type TestDatabase } from '../../../test/support/databases.ts';
import { insertMember, insertPatient, insertTenant } from '../../../test/support/fixtures.ts';

const A = '3a000000-0000-4000-8000-000000000000';
const AGENT = '3a000001-0000-4000-8000-000000000000';
const PATIENT = '3a000002-0000-4000-8000-000000000000';
const NOW = new Date('2026-12-05T12:00:00Z');

const agent = (roles: ('Agent' | 'Viewer')[] = ['Agent']): Authenticated => ({
  principal: { kind: 'human', id: AGENT, tenantId: A as never, roles, phiScopes: ['Healthcare-PHI'] },
  credential: { kind: 'session', id: '3a000003-0000-4000-8000-000000000000', authMethod: 'passkey', amr: ['hwk', 'user'], mfa: true, createdAt: NOW, lastVerifiedAt: NOW, expiresAt: new Date(NOW.getTime() + 3600_000) },
  device: { id: '3a000004-0000-4000-8000-000000000000', thumbprint: 't', posture: 'managed' },
});

async function loadPatient(tx: Tx, id: string): Promise<ResourceRef | null> {
  const { rows } = await tx.query<{ id: string; tenant_id: string; phi_scope: PhiScope }>('SELECT id, tenant_id, phi_scope FROM patients WHERE id = $1', [id]);
  return rows[0] ? { type: 'Patient', id: rows[0].id, tenant: rows[0].tenant_id, phiScope: rows[0].phi_scope } : null;
}

for (const { engine, open, skip } of ENGINES) {
  describe(`the two-phase guard on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDatabase;
    let guard: Guard;
    before(async () => {
      t = await open();
      await t.superuser(async (tx) => {
        await insertTenant(tx, A, 'two-phase');
        await insertMember(tx, { id: AGENT, tenantId: A, email: 'agent@two-phase.test', roles: ['Agent'], scopes: ['Healthcare-PHI'] });
        await insertPatient(tx, { id: PATIENT, tenantId: A, phiScope: 'Healthcare-PHI', mrn: 'TP-1' });
      });
      guard = createGuard({ db: t.db, pdp: loadPdp(), audit: createAuditLog(), clock: { now: () => NOW }, logger: { error: () => undefined } as never });
    });
    after(async () => t?.close());

    const intent = (id: string) => t.superuser(async (tx) => (await tx.query<{ state: string; finished_at: Date | null }>('SELECT state, finished_at FROM guard_intents WHERE id = $1', [id])).rows[0]);
    const eventsOf = (intentId: string) => t.superuser(async (tx) => (await tx.query<{ decision: string | null; outcome: string; phase: string; reasons: string[] }>(
      "SELECT decision, outcome, metadata->>'phase' AS phase, reasons FROM audit_events WHERE metadata->>'intentId' = $1 ORDER BY metadata->>'phase' DESC", [intentId])).rows);
    const summarize = (work: (input: string, ctx: { intentId: string }) => Promise<string>, authenticated = agent()) =>
      guard.runTwoPhase({
        authenticated,
        action: 'patient.view',
        target: { type: 'Patient', id: PATIENT },
        load: (tx) => loadPatient(tx, PATIENT),
        prepare: async (_tx, { resource }) => `input for ${resource.id}`,
        work: (input, ctx) => work(input, ctx),
        record: async (_tx, result, { intentId }) => ({ summary: result, intentId }),
      });

    test('decides and audits the intent, works outside the transaction, records the outcome linked to it', async () => {
      let seenDuringWork: { state: string } | undefined;
      const result = await summarize(async (input, { intentId }) => {
        // The intent committed before the work began: a separate transaction sees it.
        seenDuringWork = await t.db.scoped({ tenantId: A, phiScopes: [], actorId: AGENT, actorKind: 'human' }, async (tx) =>
          (await tx.query<{ state: string }>('SELECT state FROM guard_intents WHERE id = $1', [intentId])).rows[0]);
        return `summary of ${input}`;
      });
      assert.equal(result.summary, `summary of input for ${PATIENT}`);
      assert.deepEqual(seenDuringWork, { state: 'started' });
      assert.equal((await intent(result.intentId))!.state, 'succeeded');
      const events = await eventsOf(result.intentId);
      assert.deepEqual(events.map((e) => [e.phase, e.decision, e.outcome]), [['outcome', 'allow', 'success'], ['intent', 'allow', 'success']]);
    });

    test('an error in the work marks the intent failed, audits the failure and refuses', async () => {
      let intentId = '';
      await assert.rejects(summarize(async (_input, ctx) => {
        intentId = ctx.intentId;
        throw new Error('the model timed out');
      }), { code: 'INTERNAL' });
      const row = await intent(intentId);
      assert.equal(row!.state, 'failed');
      assert.ok(row!.finished_at);
      const events = await eventsOf(intentId);
      assert.deepEqual(events.map((e) => [e.phase, e.outcome]), [['outcome', 'failure'], ['intent', 'success']]);
      assert.deepEqual(events[0]!.reasons, ['error']);
    });

    test('a denial runs no work and records no intent', async () => {
      let worked = false;
      await assert.rejects(summarize(async () => {
        worked = true;
        return 'x';
      }, agent(['Viewer'])), (e: { code?: string }) => e.code === 'FORBIDDEN' || e.code === 'STEP_UP_REQUIRED');
      assert.equal(worked, false);
      const { rows } = await t.superuser((tx) => tx.query<{ n: number }>("SELECT count(*)::int AS n FROM guard_intents WHERE state = 'started'"));
      assert.equal(rows[0]!.n, 0);
    });
  });
}
