// Supervisor analytics by team (R-UX-1, R-DATA-3), on both engines: refusals and step-ups grouped by
// the people who share a manager, the team named by the manager's masked id only, and a team's cell
// under 11 suppressed (with the next smallest, so the total does not give it away).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;

for (const { engine, skip } of ENGINES) {
  describe(`supervisor analytics by team on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let manager: TestSession;

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp(t.deps);
      manager = await signIn(t.deps, 'maya.manager@riverside.test');
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    const idOf = async (email: string) => (await t.deps.db.systemDb.query<{ id: string }>('SELECT id FROM members WHERE email = $1', [email])).rows[0]!.id;
    async function refusals(actorId: string, n: number, reason: string) {
      for (let i = 0; i < n; i++) {
        await t.deps.db.systemDb.query(
          "INSERT INTO audit_events (tenant_id, actor_kind, actor_id, action, outcome, decision, reasons) VALUES ($1, 'human', $2, 'patient.view', 'denied', 'deny', $3)",
          [riverside.id, actorId, [reason]]);
      }
    }

    test("counts by team are shown from 11 on, smaller ones suppressed, and a team is named by its manager's masked id", async () => {
      const maya = await idOf('maya.manager@riverside.test');
      const marcus = await idOf('marcus.manager@riverside.test');
      const alex = await idOf('alex.agent@riverside.test');
      const amara = await idOf('amara.agent@riverside.test');
      const andre = await idOf('andre.agent@riverside.test');
      await t.deps.db.systemDb.query('UPDATE members SET manager_id = $1 WHERE id = ANY($2)', [maya, [alex, amara]]);
      await t.deps.db.systemDb.query('UPDATE members SET manager_id = $1 WHERE id = $2', [marcus, andre]);
      await refusals(alex, 8, 'forbid:member-managed-device');
      await refusals(amara, 6, 'forbid:member-managed-device'); // maya's team: 14 denials
      await refusals(alex, 12, 'step-up-required'); // maya's team: 12 step-ups
      await refusals(andre, 4, 'forbid:member-managed-device'); // marcus's team: 4 denials

      const res = await app.inject({ method: 'GET', url: '/v1/analytics', headers: await manager.headers('GET', '/v1/analytics') });
      assert.equal(res.statusCode, 200, res.body);
      const byTeam = res.json().decisionsByTeam as Array<{ team: string; kind: string; count: number | null; suppressed: boolean }>;
      const mask = (id: string) => `team …${id.replace(/-/g, '').slice(-4)}`;
      const cell = (team: string, kind: string) => byTeam.find((c) => c.team === team && c.kind === kind);
      assert.equal(cell(mask(marcus), 'denial')?.suppressed, true, "marcus's team has 4: suppressed");
      assert.equal(cell(mask(marcus), 'denial')?.count, null);
      // One suppressed denial cell alone would follow from the Agents' denials (18 - 14 = 4, by role):
      // the next smallest denial cell goes too; the step-ups, whose cells are all shown, stay.
      assert.equal(cell(mask(maya), 'denial')?.count, null);
      assert.equal(cell(mask(maya), 'step-up')?.count, 12);
      assert.deepEqual(byTeam.filter((c) => c.count !== null && c.count < 11), [], 'no cell under 11 leaves the server');
      for (const c of byTeam) assert.match(c.team, /^(team …[0-9a-f]{4}|no team)$/, 'teams are named by masked ids only');
      assert.ok(!res.body.includes('maya.manager') && !res.body.includes(maya), 'no address or full id of a manager');
    });
  });
}
