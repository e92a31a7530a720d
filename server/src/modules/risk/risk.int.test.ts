// R-SESS-2: live risk facts in the enforcement path, on both engines and the real default policies:
// a new-country sign-in followed by a PHI read asks for a step-up; a failed sign-in burst against a
// member cannot lock them out; `high` from the principal's own facts blocks PHI; the decision's audit
// row records the facts (no PHI).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Authenticated } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import { createAuditLog } from '../audit/index.ts';
import { createGuard, type Guard, type ResourceRef } from '../access/index.ts';
import { DEFAULT_POLICIES_DIR, loadPdp } from '../policy/index.ts';
import { countrySource, createRiskAssessor, createRiskFactReader, loadRiskRules } from './index.ts';
import { ENGINES, type TestDatabase } from '../../../test/support/databases.ts';
import { insertMember, insertPatient, insertTenant } from '../../../test/support/fixtures.ts';

const T = '2a000000-0000-4000-8000-000000000000';
const uuid = (prefix: string, n: number) => `${prefix}${String(n).padStart(6, '0')}-0000-4000-8000-000000000000`;
const PATIENT = uuid('ab', 1);
const quiet = { error: () => undefined } as never;
// A Tuesday, 15:00 UTC: working hours in the tenant's (default) zone.
const START = new Date('2026-12-01T15:00:00Z');
// The deployment's country source, for the test: two documentation networks.
const COUNTRIES: Record<string, string> = { '203.0.113': 'US', '198.51.100': 'FR' };
const countryOf = (ip: string) => COUNTRIES[ip.split('.').slice(0, 3).join('.')] ?? null;

for (const { engine, open, skip } of ENGINES) {
  describe(`risk signals in every decision on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDatabase;
    let now = START;
    const clock = { now: () => now };
    let guard: Guard;
    const rules = loadRiskRules(DEFAULT_POLICIES_DIR);

    function member(id: string, o: { signedInAt: Date; verifiedAt?: Date; posture?: 'managed' | 'unmanaged' }): Authenticated {
      return {
        principal: { kind: 'human', id, tenantId: T as never, roles: ['Agent'], phiScopes: ['Healthcare-PHI'] },
        credential: { kind: 'session', id: uuid('5f', 1), authMethod: 'passkey', amr: ['hwk', 'user'], mfa: true, createdAt: o.signedInAt, lastVerifiedAt: o.verifiedAt ?? o.signedInAt, expiresAt: new Date(o.signedInAt.getTime() + 8 * 3600_000) },
        device: { id: uuid('df', 1), thumbprint: 'thumb', posture: o.posture ?? 'managed' },
      };
    }

    const read = (who: Authenticated, sourceIp: string, through: Guard = guard) =>
      through.run({
        authenticated: who,
        action: 'patient.view',
        sourceIp,
        target: { type: 'Patient', id: PATIENT },
        load: async (tx: Tx): Promise<ResourceRef | null> => {
          const row = (await tx.query<{ id: string; phi_scope: string }>('SELECT id, phi_scope FROM patients WHERE id = $1', [PATIENT])).rows[0];
          return row ? { type: 'Patient', id: row.id, tenant: T, phiScope: 'Healthcare-PHI' } : null;
        },
        handle: async () => 'read',
      });

    const lastDecision = (actor: string) =>
      t.superuser(async (tx) => (await tx.query<{ decision: string; reasons: string[]; metadata: Record<string, unknown> }>(
        "SELECT decision, reasons, metadata FROM audit_events WHERE actor_id = $1 AND action = 'patient.view' ORDER BY occurred_at DESC LIMIT 1", [actor])).rows[0]!);

    before(async () => {
      t = await open();
      await t.superuser(async (tx) => {
        await insertTenant(tx, T, 'risk-signals');
        for (const n of [1, 2, 3]) await insertMember(tx, { id: uuid('a2', n), tenantId: T, email: `agent${n}@risk.test`, roles: ['Agent'], scopes: ['Healthcare-PHI'] });
        await insertPatient(tx, { id: PATIENT, tenantId: T, phiScope: 'Healthcare-PHI', mrn: 'R-1' });
        // Each member has worked from the US network for a month.
        for (const n of [1, 2, 3]) {
          await tx.query("INSERT INTO risk_networks (tenant_id, principal_id, kind, value, first_seen_at) VALUES ($1, $2, 'prefix', '203.0.113.0/24', $3), ($1, $2, 'country', 'US', $3)",
            [T, uuid('a2', n), new Date(START.getTime() - 30 * 86_400_000)]);
        }
      });
      const pdp = loadPdp();
      const risk = createRiskAssessor({ rules, clock, read: createRiskFactReader({ countryOf }) });
      guard = createGuard({ db: t.db, pdp, audit: createAuditLog(), clock, logger: quiet, risk });
    });
    after(async () => t?.close());

    test('a sign-in from the usual network reads a patient at low risk, and the audit row records the facts', async () => {
      now = START;
      const id = uuid('a2', 1);
      assert.equal(await read(member(id, { signedInAt: new Date(now.getTime() - 60_000) }), '203.0.113.40'), 'read');
      const row = await lastDecision(id);
      assert.equal(row.decision, 'allow');
      assert.equal(row.metadata.risk, 'low');
      assert.deepEqual(
        [row.metadata['risk.newCountry'], row.metadata['risk.newPrefix'], row.metadata['risk.offHours'], row.metadata['risk.sessionAgeSeconds'], row.metadata['risk.recentFailedAuth']],
        [false, false, false, 60, 0],
      );
      assert.ok(!JSON.stringify(row.metadata).includes('203.0.113'), 'no address in the facts');
    });

    test('a new-country sign-in followed by a PHI read asks for a step-up, which lifts it', async () => {
      now = new Date(START.getTime() + 3600_000);
      const id = uuid('a2', 1);
      const signedIn = new Date(now.getTime() - 5_000);
      await assert.rejects(read(member(id, { signedInAt: signedIn }), '198.51.100.7'), { code: 'STEP_UP_REQUIRED' });
      const denied = await lastDecision(id);
      assert.deepEqual([denied.decision, denied.reasons, denied.metadata.risk, denied.metadata.riskRules, denied.metadata['risk.newCountry'], denied.metadata['risk.newPrefix']],
        ['deny', ['step-up-required'], 'medium', 'new-country', true, true]);
      // Still new a minute later on the same session: the signal stays until a step-up answers it.
      now = new Date(now.getTime() + 60_000);
      await assert.rejects(read(member(id, { signedInAt: signedIn }), '198.51.100.7'), { code: 'STEP_UP_REQUIRED' });
      // A step-up (a user verification after the signal arose) answers it.
      assert.equal(await read(member(id, { signedInAt: signedIn, verifiedAt: new Date(now.getTime() - 2_000) }), '198.51.100.7'), 'read');
      assert.equal((await lastDecision(id)).metadata.riskVerified, true);
    });

    test('a failed sign-in burst against a member asks for a step-up and never locks them out', async () => {
      now = new Date(START.getTime() + 2 * 3600_000);
      const id = uuid('a2', 2);
      await t.superuser(async (tx) => {
        for (let i = 0; i < 12; i++) {
          await tx.query("INSERT INTO audit_events (tenant_id, occurred_at, actor_kind, actor_id, action, outcome, reasons) VALUES ($1, $2, 'human', $3, 'auth.sign_in', 'failure', '{signature_invalid}')",
            [T, new Date(now.getTime() - 120_000 + i * 1000), id]);
        }
      });
      const signedIn = new Date(now.getTime() - 3600_000);
      // Verified four minutes ago (within the step-up window): the burst asks nothing more of them.
      assert.equal(await read(member(id, { signedInAt: signedIn, verifiedAt: new Date(now.getTime() - 240_000) }), '203.0.113.41'), 'read');
      // Verified ten minutes ago: a step-up, never a block.
      await assert.rejects(read(member(id, { signedInAt: signedIn, verifiedAt: new Date(now.getTime() - 600_000) }), '203.0.113.41'), { code: 'STEP_UP_REQUIRED' });
      const row = await lastDecision(id);
      assert.deepEqual([row.metadata.risk, row.metadata.riskRules, row.metadata['risk.recentFailedAuth']], ['medium', 'failed-auth-burst', 12]);
      // The member verifies themselves: the burst does not stand in their way.
      assert.equal(await read(member(id, { signedInAt: signedIn, verifiedAt: new Date(now.getTime() - 1_000) }), '203.0.113.41'), 'read');
      // Their own denials from the burst's step-ups do not lock them out either.
      for (let i = 0; i < 25; i++) await read(member(id, { signedInAt: signedIn, verifiedAt: new Date(now.getTime() - 1_000) }), '203.0.113.41');
    });

    test('a new country with an open detection is high: no PHI, and a step-up does not lift it', async () => {
      now = new Date(START.getTime() + 3 * 3600_000);
      const id = uuid('a2', 3);
      // An open detection (R-MON-1) names the member: the detector's row, as the detector writes it.
      await t.superuser((tx) => tx.query(
        "INSERT INTO detections (tenant_id, rule_id, severity, principal_kind, principal_id, event_seqs, trigger_seq, first_occurred_at, last_occurred_at, summary, created_at) VALUES ($1, 'auth.failed_burst', 'medium', 'human', $2, '{1}', 1, $3, $3, 'failed sign-ins', $3)",
        [T, id, new Date(now.getTime() - 600_000)]));
      await assert.rejects(read(member(id, { signedInAt: new Date(now.getTime() - 5_000), verifiedAt: new Date(now.getTime() - 1_000) }), '198.51.100.8'), { code: 'FORBIDDEN' });
      const row = await lastDecision(id);
      assert.deepEqual([row.metadata.risk, row.reasons, row.metadata['risk.openDetections']], ['high', ['forbid:high-risk-session'], 1]);
      // Closed, the detection no longer counts: the new country alone asks for a step-up, which this session made.
      await t.superuser((tx) => tx.query("UPDATE detections SET state = 'closed', closed_at = $2, closed_by = 'test', note = 'benign' WHERE principal_id = $1", [id, now]));
      now = new Date(now.getTime() + 10_000);
      assert.equal(await read(member(id, { signedInAt: new Date(now.getTime() - 15_000), verifiedAt: new Date(now.getTime() - 1_000) }), '198.51.100.8'), 'read');
    });

    test('the packaged GeoIP database gives the country offline: a sign-in from another registration country asks for a step-up', async () => {
      now = new Date(START.getTime() + 3.5 * 3600_000);
      const id = uuid('a2', 4);
      await t.superuser(async (tx) => {
        await insertMember(tx, { id, tenantId: T, email: 'agent4@risk.test', roles: ['Agent'], scopes: ['Healthcare-PHI'] });
        await tx.query("INSERT INTO risk_networks (tenant_id, principal_id, kind, value, first_seen_at) VALUES ($1, $2, 'prefix', '8.8.8.0/24', $3), ($1, $2, 'country', 'US', $3)",
          [T, id, new Date(START.getTime() - 30 * 86_400_000)]);
      });
      // The deployment's default source (WARD_GEOIP_DATABASE unset): read from the installed package.
      const packaged = countrySource({ source: 'packaged' })!;
      const withGeoip = createGuard({ db: t.db, pdp: loadPdp(), audit: createAuditLog(), clock, logger: quiet, risk: createRiskAssessor({ rules, clock, read: createRiskFactReader({ countryOf: packaged }) }) });
      const signedIn = new Date(now.getTime() - 5_000);
      assert.equal(await read(member(id, { signedInAt: signedIn }), '8.8.8.8', withGeoip), 'read');
      assert.equal((await lastDecision(id)).metadata['risk.newCountry'], false);
      await assert.rejects(read(member(id, { signedInAt: signedIn }), '193.0.0.1', withGeoip), { code: 'STEP_UP_REQUIRED' });
      const row = await lastDecision(id);
      assert.deepEqual([row.metadata.risk, row.metadata['risk.newCountry']], ['medium', true]);
      assert.ok(!JSON.stringify(row.metadata).includes('NL'), 'the facts say a country is new, not which');
      const known = await t.superuser((tx) => tx.query<{ value: string }>("SELECT value FROM risk_networks WHERE principal_id = $1 AND kind = 'country' ORDER BY value", [id]));
      assert.deepEqual(known.rows.map((r) => r.value), ['NL', 'US']);
    });

    test('off-hours in the tenant time zone is a fact of the decision', async () => {
      await t.superuser((tx) => tx.query(`UPDATE tenants SET settings = settings || '{"risk": {"timeZone": "Asia/Tokyo"}}'::jsonb WHERE id = $1`, [T]));
      now = new Date('2026-12-01T15:00:00Z'); // midnight in Tokyo
      const id = uuid('a2', 1);
      await read(member(id, { signedInAt: new Date(now.getTime() - 60_000) }), '203.0.113.40');
      assert.equal((await lastDecision(id)).metadata['risk.offHours'], true);
    });
  });
}
