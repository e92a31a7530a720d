// Just-in-time elevation, break-glass and locks through the one enforcement path, on PGlite and real
// PostgreSQL, with the real default policies (R-ELEV-1, R-ELEV-2, R-AUTHZ-5, R-AUTHZ-7, R-GOV-5).
// The clock is controlled: expiry and overdue reviews are reached by moving it, and nothing else runs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Authenticated, PhiScope, Role } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import { createAuditLog } from '../audit/index.ts';
import { createGuard, type Guard, type ResourceRef } from '../access/index.ts';
import { loadPdp } from '../policy/index.ts';
import {
  decideElevationInTx, lockAsOperator, lockInTx, openBreakGlassInTx, requestElevationInTx, reviewBreakGlassInTx, revokeElevationInTx, sealReason,
  setBreakGlassMemberInTx, unlockInTx, type ElevationAsk,
} from './index.ts';
import { ENGINES, type TestDatabase } from '../../../test/support/databases.ts';
import { insertMember, insertPatient, insertTenant, refused } from '../../../test/support/fixtures.ts';

const A = '2a000000-0000-4000-8000-000000000000';
const B = '2b000000-0000-4000-8000-000000000000';
const uuid = (prefix: string, n: number) => `${prefix}${String(n).padStart(6, '0')}-0000-4000-8000-000000000000`;
const M = { agent: uuid('c1', 1), agent2: uuid('c1', 2), manager: uuid('c1', 3), admin1: uuid('c1', 4), admin2: uuid('c1', 5), owner: uuid('c1', 6), auditor: uuid('c1', 7), otherManager: uuid('c1', 8) };
const P = { hc: uuid('ca', 1), bh: uuid('ca', 2), bh2: uuid('ca', 3), sud: uuid('ca', 4), bh3: uuid('ca', 5), other: uuid('cb', 1) };
// Two calls of one behavioural-health patient, each with a recording.
const C = { one: uuid('cc', 1), two: uuid('cc', 2) };
const R = { one: uuid('cd', 1), two: uuid('cd', 2) };
const DEVICE = uuid('de', 7);
const D = { one: uuid('d0', 1), two: uuid('d0', 2), other: uuid('d0', 3) };
const ROLES: Record<string, Role[]> = { [M.agent]: ['Agent'], [M.agent2]: ['Agent'], [M.manager]: ['Manager'], [M.admin1]: ['Admin'], [M.admin2]: ['Admin'], [M.owner]: ['Owner'], [M.auditor]: ['Auditor'], [M.otherManager]: ['Manager'] };
const quiet = { error: () => undefined } as never;
const REASON = 'supervisor review of a disputed call';
const fakeEncrypt = async (_t: string, ref: { rowId: string }, text: string) => Buffer.from(`${ref.rowId}:${text.length}`);

let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

function who(id: string, opts: { tenant?: string; verifiedSecondsAgo?: number; device?: string } = {}): Authenticated {
  const now = clock.now();
  return {
    principal: { kind: 'human', id, tenantId: (opts.tenant ?? A) as never, roles: ROLES[id]!, phiScopes: id === M.agent || id === M.agent2 ? ['Healthcare-PHI'] : [] },
    credential: {
      kind: 'session', id: uuid('5e', 2), authMethod: 'passkey', amr: ['hwk', 'user'], mfa: true,
      createdAt: new Date(now.getTime() - 3600_000), lastVerifiedAt: new Date(now.getTime() - (opts.verifiedSecondsAgo ?? 30) * 1000), expiresAt: new Date(now.getTime() + 3600_000),
    },
    device: { id: opts.device ?? uuid('de', 1), thumbprint: 'thumb', posture: 'managed' },
  };
}

async function loadPatient(tx: Tx, id: string): Promise<ResourceRef | null> {
  const { rows } = await tx.query<{ id: string; tenant_id: string; phi_scope: PhiScope }>('SELECT id, tenant_id, phi_scope FROM patients WHERE id = $1', [id]);
  return rows[0] ? { type: 'Patient', id: rows[0].id, tenant: rows[0].tenant_id, phiScope: rows[0].phi_scope } : null;
}

for (const { engine, open, skip } of ENGINES) {
  describe(`elevation, break-glass and locks on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDatabase;
    let guard: Guard;
    const pdp = loadPdp();
    const actions = new Set(pdp.actions.keys());

    before(async () => {
      t = await open();
      await t.superuser(async (tx) => {
        await insertTenant(tx, A, 'elev-a');
        await insertTenant(tx, B, 'elev-b');
        for (const [id, roles] of Object.entries(ROLES)) {
          const tenantId = id === M.otherManager ? B : A;
          await insertMember(tx, { id, tenantId, email: `${id.slice(0, 8)}@elev.test`, roles, scopes: id === M.agent || id === M.agent2 ? ['Healthcare-PHI'] : [] });
        }
        await tx.query("INSERT INTO devices (id, tenant_id, member_id, thumbprint, posture) VALUES ($1, $2, $3, 'thumb-7', 'managed')", [DEVICE, A, M.agent2]);
        await insertPatient(tx, { id: P.hc, tenantId: A, phiScope: 'Healthcare-PHI', mrn: 'E-1' });
        await insertPatient(tx, { id: P.bh, tenantId: A, phiScope: 'BehavioralHealth-PHI', mrn: 'E-2' });
        await insertPatient(tx, { id: P.bh2, tenantId: A, phiScope: 'BehavioralHealth-PHI', mrn: 'E-3' });
        await insertPatient(tx, { id: P.sud, tenantId: A, phiScope: 'SUD-Part2', mrn: 'E-4' });
        await insertPatient(tx, { id: P.other, tenantId: B, phiScope: 'BehavioralHealth-PHI', mrn: 'E-5' });
        await insertPatient(tx, { id: P.bh3, tenantId: A, phiScope: 'BehavioralHealth-PHI', mrn: 'E-6' });
        for (const [call, recording] of [[C.one, R.one], [C.two, R.two]] as const) {
          await tx.query("INSERT INTO calls (id, tenant_id, phi_scope, patient_id, direction, started_at) VALUES ($1, $2, 'BehavioralHealth-PHI', $3, 'inbound', now())", [call, A, P.bh3]);
          await tx.query("INSERT INTO recordings (id, tenant_id, phi_scope, call_id, duration_ms) VALUES ($1, $2, 'BehavioralHealth-PHI', $3, 1000)", [recording, A, call]);
        }
        for (const [id, tenant, seq] of [[D.one, A, 1], [D.two, A, 2], [D.other, B, 3]] as const) {
          await tx.query(`INSERT INTO detections (id, tenant_id, rule_id, severity, event_seqs, trigger_seq, first_occurred_at, last_occurred_at, summary, created_at)
            VALUES ($1, $2, 'denial.spike', 'high', ARRAY[$3::bigint], $3, now() - interval '5 minutes', now() - interval '4 minutes', 'denials', now() - interval '3 minutes')`, [id, tenant, seq]);
        }
      });
      guard = createGuard({ db: t.db, pdp, audit: createAuditLog(), clock, logger: quiet });
    });
    after(async () => t?.close());

    const as = <T>(id: string, fn: (tx: Tx) => Promise<T>, tenant = A) => t.db.scoped({ tenantId: tenant, phiScopes: [], actorId: id, actorKind: 'human' }, fn);
    const view = (a: Authenticated, id: string, extra: { action?: string; purpose?: string; justification?: string } = {}) => guard.run({
      authenticated: a, action: extra.action ?? 'patient.view', purpose: extra.purpose, justification: extra.justification,
      target: { type: 'Patient', id }, load: (tx) => loadPatient(tx, id), handle: async (_tx, { resource }) => resource.id,
    });
    const ask = async (requester: string, over: Partial<ElevationAsk> = {}) => {
      const sealed = await sealReason(fakeEncrypt, A, REASON);
      const full: ElevationAsk = { memberId: requester, roles: [], phiScopes: ['BehavioralHealth-PHI'], actions: [], target: { type: 'patient', id: P.bh }, purpose: 'TREAT', durationSeconds: 3600, ...over };
      return as(requester, (tx) => requestElevationInTx(tx, full, sealed, actions, clock.now()));
    };
    const decide = (by: string, elevationId: string, approve = true, tenant = A) => as(by, (tx) => decideElevationInTx(tx, { elevationId, deciderId: by, approve }, clock.now()), tenant);
    const lastEvent = () => t.superuser(async (tx) => (await tx.query<{ action: string; decision: string; reasons: string[]; metadata: Record<string, unknown> }>(
      'SELECT action, decision, reasons, metadata FROM audit_events ORDER BY occurred_at DESC, id DESC LIMIT 1')).rows[0]!);

    test('lifecycle: request, approve, the access works, then expiry under the clock refuses it with no job run', async () => {
      offsetMs = 0;
      const { elevationId, approvalsRequired } = await ask(M.agent);
      assert.equal(approvalsRequired, 1);
      await assert.rejects(view(who(M.agent), P.bh), { code: 'NOT_FOUND' }, 'pending: nothing widened');
      assert.deepEqual(await decide(M.manager, elevationId), { elevationId, state: 'approved' });
      assert.equal(await view(who(M.agent), P.bh), P.bh);
      const event = await lastEvent();
      assert.deepEqual([event.action, event.decision, event.metadata.elevation, event.metadata.elevationKind], ['patient.view', 'allow', elevationId, 'jit']);
      // Exactly as far as it grants: one patient, not another of the same scope.
      await assert.rejects(view(who(M.agent), P.bh2), { code: 'NOT_FOUND' });
      offsetMs = 3601_000;
      await assert.rejects(view(who(M.agent), P.bh), { code: 'NOT_FOUND' }, 'expired: the same access is refused');
      assert.equal((await lastEvent()).reasons[0], 'not-found');
      offsetMs = 0;
      await as(M.agent, (tx) => revokeElevationInTx(tx, elevationId, clock.now())); // the clock turned back: end it for the tests after
    });

    test('refused: self-approval, approving one\'s own widening, a role that may not approve, across tenants', async () => {
      const own = await ask(M.manager, { memberId: M.manager, phiScopes: ['Dental'], target: { type: 'tenant' } });
      await assert.rejects(decide(M.manager, own.elevationId), { code: 'ELEVATION_SELF_APPROVAL', reasons: ['self_approval'] });
      const forAgent = await ask(M.manager, { memberId: M.agent2 });
      await assert.rejects(decide(M.agent2, forAgent.elevationId), { code: 'ELEVATION_SELF_APPROVAL', reasons: ['own_widening'] });
      await assert.rejects(decide(M.auditor, forAgent.elevationId), { code: 'FORBIDDEN' }, 'an Auditor does not approve');
      await assert.rejects(decide(M.otherManager, forAgent.elevationId, true, B), { code: 'NOT_FOUND' }, 'another tenant sees no such elevation');
      // The database refuses each again, whatever the application would allow (WD002, WD001).
      await as(M.manager, async (tx) => assert.equal(await refused(tx, 'SELECT ward_elevation_decide($1, true, now())', [own.elevationId]), 'WD002'));
      await as(M.agent2, async (tx) => assert.equal(await refused(tx, 'SELECT ward_elevation_decide($1, true, now())', [forAgent.elevationId]), 'WD002'));
      await as(M.auditor, async (tx) => assert.equal(await refused(tx, 'SELECT ward_elevation_decide($1, true, now())', [forAgent.elevationId]), 'WD001'));
      // Workloads never request elevations.
      await t.db.scoped({ tenantId: A, phiScopes: [], actorId: uuid('c9', 1), actorKind: 'ai_agent' }, async (tx) => {
        assert.equal(await refused(tx, "SELECT ward_elevation_request(gen_random_uuid(), $1, '{}', '{Dental}', '{}', 'tenant', NULL, 'TREAT', '\\x00', 600, now())", [M.agent]), 'WD001');
      });
    });

    test('an Owner/Admin-level elevation needs two approvals by Owners or Admins', async () => {
      const r = await ask(M.agent, { roles: ['Admin'], phiScopes: [], target: { type: 'tenant' } });
      assert.equal(r.approvalsRequired, 2);
      await assert.rejects(decide(M.manager, r.elevationId), { code: 'FORBIDDEN' }, 'a Manager does not approve Admin-level');
      assert.equal((await decide(M.admin1, r.elevationId)).state, 'pending');
      await assert.rejects(decide(M.admin1, r.elevationId), { code: 'ELEVATION_NOT_PENDING' }, 'one person, one approval');
      assert.equal((await decide(M.admin2, r.elevationId)).state, 'approved');
      await as(M.agent, (tx) => revokeElevationInTx(tx, r.elevationId, clock.now()));
    });

    test('revoked early, the access stops at the next request', async () => {
      const { elevationId } = await ask(M.agent, { target: { type: 'patient', id: P.bh2 } });
      await decide(M.manager, elevationId);
      assert.equal(await view(who(M.agent), P.bh2), P.bh2);
      await as(M.admin1, (tx) => revokeElevationInTx(tx, elevationId, clock.now()));
      await assert.rejects(view(who(M.agent), P.bh2), { code: 'NOT_FOUND' });
    });

    test('ward_app naming a scope in ward.elevated_scopes widens nothing without an approved, live elevation', async () => {
      const { elevationId } = await ask(M.agent);
      await decide(M.manager, elevationId);
      const visible = (scopes: string) => t.db.scoped({ tenantId: A, phiScopes: ['Healthcare-PHI'], actorId: M.agent, actorKind: 'human' }, async (tx) => {
        await tx.query("SELECT set_config('ward.elevated_scopes', $1, true)", [scopes]);
        return (await tx.query<{ phi_scope: string }>('SELECT DISTINCT phi_scope FROM patients ORDER BY 1')).rows.map((r) => r.phi_scope);
      });
      assert.deepEqual(await visible('BehavioralHealth-PHI,SUD-Part2,Dental'), ['BehavioralHealth-PHI', 'Healthcare-PHI'], 'only the approved scope');
      // The database's own clock ends it too (db_expires_at), whatever the application's clock says.
      await t.superuser((tx) => tx.query("UPDATE elevations SET db_expires_at = now() - interval '1 second' WHERE id = $1", [elevationId]));
      assert.deepEqual(await visible('BehavioralHealth-PHI'), ['Healthcare-PHI']);
      await as(M.agent, (tx) => revokeElevationInTx(tx, elevationId, clock.now()));
    });

    test('break-glass: immediate, alert written, accesses tagged, read-only, step-up at the moment of use', async () => {
      offsetMs = 0;
      const open = (by: string, target: { type: 'patient' | 'call'; id: string }, purpose: string | null = 'ETREAT') => as(by, async (tx) =>
        openBreakGlassInTx(tx, { tenantId: A, memberId: by, target, purpose, durationSeconds: 1800, sealed: await sealReason(fakeEncrypt, A, 'nurse line outage, patient waiting') }, clock.now()));
      await assert.rejects(open(M.agent, { type: 'patient', id: P.bh }), { code: 'BREAKGLASS_NOT_ALLOWED' });
      await as(M.owner, (tx) => setBreakGlassMemberInTx(tx, M.agent, true, clock.now()));
      await as(M.owner, async (tx) => assert.equal(await refused(tx, 'SELECT ward_breakglass_member_set($1, true, now())', [M.owner]), 'WD002'), A);
      await as(M.admin1, async (tx) => assert.equal(await refused(tx, 'SELECT ward_breakglass_member_set($1, true, now())', [M.agent2]), 'WD001'));
      const opened = await open(M.agent, { type: 'patient', id: P.bh });
      assert.ok(!(opened instanceof Error));
      const alerts = await t.superuser(async (tx) => (await tx.query<{ kind: string; severity: string; facts: Record<string, string> }>("SELECT kind, severity, facts FROM alerts WHERE kind = 'breakglass.opened'")).rows);
      assert.deepEqual(alerts.map((a) => [a.kind, a.severity, a.facts.elevationId]), [['breakglass.opened', 'high', opened.elevationId]]);
      const reason = { purpose: 'ETREAT', justification: 'nurse line outage, patient waiting' };
      assert.equal(await view(who(M.agent), P.bh, reason), P.bh);
      const event = await lastEvent();
      assert.deepEqual([event.decision, event.metadata.breakGlass, event.metadata.elevation], ['allow', true, opened.elevationId]);
      await assert.rejects(view(who(M.agent), P.bh, { ...reason, action: 'caseNote.write' }), { code: 'FORBIDDEN' }, 'read-only');
      await assert.rejects(view(who(M.agent, { verifiedSecondsAgo: 900 }), P.bh, reason), { code: 'STEP_UP_REQUIRED' });
      await assert.rejects(view(who(M.agent), P.bh2, reason), { code: 'NOT_FOUND' }, 'one patient only');
    });

    test('break-glass on SUD records without a Part 2 purpose is refused', async () => {
      const open = (purpose: string | null) => as(M.agent, async (tx) =>
        openBreakGlassInTx(tx, { tenantId: A, memberId: M.agent, target: { type: 'patient', id: P.sud }, purpose, durationSeconds: 600, sealed: await sealReason(fakeEncrypt, A, 'nurse line outage, patient waiting') }, clock.now()));
      await assert.rejects(open(null), { code: 'PURPOSE_REQUIRED' });
      await assert.rejects(open('MARKETING'), { code: 'PURPOSE_REQUIRED' });
      await assert.rejects(as(M.agent, async (tx) =>
        openBreakGlassInTx(tx, { tenantId: A, memberId: M.agent, target: { type: 'patient', id: P.other }, purpose: 'TREAT', durationSeconds: 600, sealed: await sealReason(fakeEncrypt, A, 'nurse line outage, patient waiting') }, clock.now())),
      { code: 'NOT_FOUND' }, 'never across the tenant boundary');
    });

    test('an overdue review escalates and blocks the next break-glass until a second person reviews it', async () => {
      const open = () => as(M.agent, async (tx) =>
        openBreakGlassInTx(tx, { tenantId: A, memberId: M.agent, target: { type: 'patient', id: P.bh2 }, purpose: 'TREAT', durationSeconds: 600, sealed: await sealReason(fakeEncrypt, A, 'nurse line outage, patient waiting') }, clock.now()));
      offsetMs = 73 * 3600_000;
      const blocked = await open();
      assert.ok(blocked instanceof Error && (blocked as { code?: string }).code === 'BREAKGLASS_BLOCKED');
      const escalations = await t.superuser(async (tx) => (await tx.query<{ severity: string }>("SELECT severity FROM alerts WHERE kind = 'breakglass.reviewOverdue'")).rows);
      assert.deepEqual(escalations.map((e) => e.severity), ['critical']);
      const { rows: [review] } = await t.superuser((tx) => tx.query<{ elevation_id: string }>('SELECT elevation_id FROM breakglass_reviews WHERE member_id = $1 AND reviewed_at IS NULL', [M.agent]));
      await assert.rejects(as(M.agent, (tx) => reviewBreakGlassInTx(tx, { elevationId: review!.elevation_id, reviewerId: M.agent, outcome: 'appropriate' }, clock.now())), { code: 'ELEVATION_SELF_APPROVAL' });
      await as(M.auditor, (tx) => reviewBreakGlassInTx(tx, { elevationId: review!.elevation_id, reviewerId: M.auditor, outcome: 'appropriate' }, clock.now()));
      const again = await open();
      assert.ok(!(again instanceof Error));
      offsetMs = 0;
    });

    test('lock: the next request is refused until a second person unlocks it; containment records the detection', async () => {
      offsetMs = 0;
      assert.equal(await view(who(M.agent2), P.hc), P.hc);
      // A detection that is not the tenant's (or no detection at all) is refused, and nothing is locked.
      await assert.rejects(as(M.admin1, (tx) => lockInTx(tx, { kind: 'member', id: M.agent2 }, D.other, clock.now())), { code: 'NOT_FOUND' });
      await assert.rejects(as(M.admin1, (tx) => lockInTx(tx, { kind: 'member', id: M.agent2 }, 'det-42', clock.now())), { code: 'BAD_REQUEST' });
      assert.equal(await view(who(M.agent2), P.hc), P.hc);
      const lock = await as(M.admin1, (tx) => lockInTx(tx, { kind: 'member', id: M.agent2 }, D.one, clock.now()));
      // R-GOV-5: the lock is the detection's containment, recorded with it.
      const containments = () => t.superuser(async (tx) => (await tx.query<{ id: string; detection_id: string; kind: string; subject_id: string; actor_id: string }>(
        'SELECT id, detection_id, kind, subject_id, actor_id FROM containments ORDER BY contained_at, kind')).rows);
      assert.deepEqual((await containments()).map((c) => [c.id, c.detection_id, c.kind, c.subject_id, c.actor_id]), [[lock.containmentId, D.one, 'member_lock', M.agent2, `human:${M.admin1}`]]);
      await assert.rejects(view(who(M.agent2), P.hc), { code: 'LOCKED' });
      const event = await lastEvent();
      assert.deepEqual([event.decision, event.reasons], ['deny', ['locked:member']]);
      await assert.rejects(as(M.admin1, (tx) => unlockInTx(tx, lock.id, clock.now())), { code: 'LOCK_SECOND_PERSON' });
      await as(M.admin2, (tx) => unlockInTx(tx, lock.id, clock.now()));
      assert.equal(await view(who(M.agent2), P.hc), P.hc);
      // The operator locks a device (`ward lock --device`): every request from it stops.
      const byOperator = await lockAsOperator(t.db, createAuditLog(), { tenantId: A, device: DEVICE, detectionId: D.two }, clock.now());
      assert.deepEqual([byOperator.targetKind, byOperator.detectionId, byOperator.lockedBy], ['device', D.two, 'system:system:cli']);
      assert.deepEqual((await containments()).map((c) => [c.detection_id, c.kind, c.subject_id]).sort(), [[D.one, 'member_lock', M.agent2], [D.two, 'device_lock', DEVICE]]);
      const set = await lastEvent();
      assert.deepEqual([set.action, set.metadata.lockId, set.metadata.detectionId, set.metadata.containmentId], ['lock.set', byOperator.id, D.two, byOperator.containmentId]);
      await assert.rejects(view(who(M.agent2, { device: DEVICE }), P.hc), { code: 'LOCKED' });
      await as(M.owner, (tx) => unlockInTx(tx, byOperator.id, clock.now()));
      assert.equal(await view(who(M.agent2, { device: DEVICE }), P.hc), P.hc);
    });

    test('one live lock per target, held by the database: a second lock, concurrent or not, is refused and records nothing', async () => {
      offsetMs = 0;
      const lockCount = () => t.superuser(async (tx) => (await tx.query<{ live: number; contained: number }>(
        `SELECT (SELECT count(*)::int FROM locks WHERE target_id = $1 AND unlocked_at IS NULL) AS live,
                (SELECT count(*)::int FROM containments WHERE subject_id = $1::text) AS contained`, [M.auditor])).rows[0]!);
      // Two Admins lock the same member at once, each naming the detection: the second transaction
      // waits on the first's row (locks_active, a partial unique index) and then inserts nothing.
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const results = await Promise.allSettled([
        as(M.admin1, async (tx) => {
          const lock = await lockInTx(tx, { kind: 'member', id: M.auditor }, D.one, clock.now());
          await sleep(300);
          return lock;
        }),
        sleep(100).then(() => as(M.admin2, (tx) => lockInTx(tx, { kind: 'member', id: M.auditor }, D.one, clock.now()))),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.deepEqual(lost.map((r) => (r.reason as { code?: string }).code), ['CONFLICT']);
      assert.deepEqual(await lockCount(), { live: 1, contained: 1 });
      // Below the definer function too: a second live row for the target violates the index.
      const sqlstate = await t.superuser((tx) => refused(tx,
        "INSERT INTO locks (id, tenant_id, target_kind, target_id, locked_by, locked_at) VALUES (gen_random_uuid(), $1, 'member', $2, 'system:test', now())", [A, M.auditor]));
      assert.equal(sqlstate, '23505');
      const live = (won[0] as PromiseFulfilledResult<{ id: string }>).value;
      await as(M.owner, (tx) => unlockInTx(tx, live.id, clock.now()));
      assert.deepEqual(await lockCount(), { live: 0, contained: 1 });
    });

    test('a recording reached by its own id is covered by an elevation of its call, and only of its call', async () => {
      offsetMs = 0;
      const listen = (id: string) => guard.run({
        authenticated: who(M.agent2), action: 'recording.listen', target: { type: 'Recording', id },
        load: async (tx) => {
          const { rows } = await tx.query<{ id: string; tenant_id: string; phi_scope: PhiScope }>('SELECT id, tenant_id, phi_scope FROM recordings WHERE id = $1', [id]);
          return rows[0] ? { type: 'Recording', id: rows[0].id, tenant: rows[0].tenant_id, phiScope: rows[0].phi_scope } : null;
        },
        handle: async (_tx, { resource }) => resource.id,
      });
      await assert.rejects(listen(R.one), { code: 'NOT_FOUND' }, 'no elevation: the recording is invisible');
      const { elevationId } = await ask(M.agent2, { target: { type: 'call', id: C.one } });
      await decide(M.manager, elevationId);
      assert.equal(await listen(R.one), R.one);
      const event = await lastEvent();
      assert.deepEqual([event.action, event.decision, event.metadata.elevation], ['recording.listen', 'allow', elevationId]);
      await assert.rejects(listen(R.two), { code: 'NOT_FOUND' }, 'the recording of another call of the same scope');
      // The database names a recording's call only to a person whose live elevation covers that call.
      await as(M.agent2, async (tx) => {
        const call = async (id: string) => (await tx.query<{ c: string | null }>('SELECT ward_elevated_recording_call($1) AS c', [id])).rows[0]!.c;
        assert.deepEqual([await call(R.one), await call(R.two)], [C.one, null]);
      });
      await as(M.agent, async (tx) => assert.equal((await tx.query<{ c: string | null }>('SELECT ward_elevated_recording_call($1) AS c', [R.one])).rows[0]!.c, null));
      offsetMs = 3601_000;
      await assert.rejects(listen(R.one), { code: 'NOT_FOUND' }, 'expired under the clock');
      offsetMs = 0;
      await as(M.agent2, (tx) => revokeElevationInTx(tx, elevationId, clock.now()));
      await assert.rejects(listen(R.one), { code: 'NOT_FOUND' }, 'revoked');
    });

    test('two phases: the outcome is recorded only while the elevation is active and no lock stops the person', async () => {
      offsetMs = 0;
      const { elevationId } = await ask(M.agent2, { target: { type: 'patient', id: P.bh3 } });
      await decide(M.manager, elevationId);
      const intents = () => t.superuser(async (tx) => (await tx.query<{ state: string }>('SELECT state FROM guard_intents WHERE actor_id = $1', [M.agent2])).rows.map((r) => r.state));
      const outcome = () => t.superuser(async (tx) => (await tx.query<{ outcome: string; reasons: string[] | null; metadata: Record<string, unknown> }>(
        "SELECT outcome, reasons, metadata FROM audit_events WHERE metadata->>'phase' = 'outcome' ORDER BY occurred_at DESC, id DESC LIMIT 1")).rows[0]!);
      const twoPhase = (between: () => Promise<void>) => guard.runTwoPhase({
        authenticated: who(M.agent2), action: 'patient.view', target: { type: 'Patient', id: P.bh3 }, load: (tx) => loadPatient(tx, P.bh3),
        prepare: async (_tx, { resource }) => resource.id,
        work: async (input) => {
          await between();
          return input;
        },
        // The outcome reads the patient again: visible only through the elevation's scope.
        record: async (tx, id) => (await tx.query<{ id: string }>('SELECT id FROM patients WHERE id = $1', [id])).rows[0]?.id ?? 'invisible',
      });
      assert.equal(await twoPhase(async () => undefined), P.bh3, 'active: the outcome phase runs with the elevated scope');
      const tagged = await outcome();
      assert.deepEqual([tagged.outcome, tagged.metadata.elevation, tagged.metadata.elevationKind], ['success', elevationId, 'jit']);
      // The elevation expires while the work runs: nothing is recorded, the intent fails.
      await assert.rejects(twoPhase(async () => {
        offsetMs = 3601_000;
      }), { code: 'ELEVATION_ENDED' });
      offsetMs = 0;
      assert.deepEqual([(await outcome()).outcome, (await outcome()).reasons], ['failure', ['ELEVATION_ENDED']]);
      // A lock set while the work runs stops the outcome too.
      let lockId = '';
      await assert.rejects(twoPhase(async () => {
        lockId = (await as(M.admin1, (tx) => lockInTx(tx, { kind: 'member', id: M.agent2 }, null, clock.now()))).id;
      }), { code: 'LOCKED' });
      await as(M.admin2, (tx) => unlockInTx(tx, lockId, clock.now()));
      // Revoked while the work runs: the same.
      await assert.rejects(twoPhase(() => as(M.admin1, async (tx) => {
        await revokeElevationInTx(tx, elevationId, clock.now());
      })), { code: 'ELEVATION_ENDED' });
      assert.deepEqual((await intents()).sort(), ['failed', 'failed', 'failed', 'succeeded']);
    });
  });
}
