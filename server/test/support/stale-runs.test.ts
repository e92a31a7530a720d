// The test harness removes what killed runs left (scripts/test.mjs, at the start of a run), and
// nothing of a run still going on: run directories by their owner's pid and their last change,
// PostgreSQL templates by their run's directory, test databases by the time in their name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { POSTGRES_SKIP_REASON, postgresUrl, runDir } from './databases.ts';
import { cleanStaleRuns, isStaleRunDir, OWNER_FILE, ownerLine, RUN_DIR_PREFIX, runHash, staleDatabases } from './stale-runs.ts';

const NOW = Date.UTC(2026, 11, 6, 18, 0, 0);
const MIN = 60_000;
const host = 'ward-host';
const alive = (pid: number) => pid === 100;

describe('stale test runs', () => {
  test('a run directory is stale when its owner on this host is gone, or when nothing changed in it for an hour', () => {
    const stale = (owner: string | null, idleMs: number) => isStaleRunDir({ owner, changedAtMs: NOW - idleMs }, NOW, host, alive);
    assert.equal(stale(`${host} 200`, 2 * MIN), true, 'owner gone');
    assert.equal(stale(`${host} 200`, 10_000), false, 'owner gone, but it changed a moment ago (an orphaned test process may still write)');
    assert.equal(stale(`${host} 100`, 30 * MIN), false, 'owner alive');
    assert.equal(stale(`${host} 100`, 61 * MIN), true, 'a reused pid: an hour without a change');
    assert.equal(stale(`other-host 200`, 30 * MIN), false, "another host's pid says nothing here");
    assert.equal(stale(null, 30 * MIN), false, 'no owner file: only the hour counts');
    assert.equal(stale(null, 61 * MIN), true);
    assert.equal(stale('garbage', 2 * MIN), false);
  });

  test("templates of runs that are gone, and test databases made over an hour ago, are stale; nothing else", () => {
    const live = new Set(['a7f4df4ddf']);
    const t36 = (ms: number) => ms.toString(36);
    const names = [
      'ward_test_tpl_a7f4df4ddf_migrated', 'ward_test_tpl_a7f4df4ddf_demo_1', // a live run's
      'ward_test_tpl_c2b5c2fef7_migrated', 'ward_test_tpl_c2b5c2fef7_demo_1', // a run that is gone
      `ward_test_${t36(NOW - 2 * 60 * MIN)}_0123abcd`, `ward_test_faults_${t36(NOW - 2 * 60 * MIN)}_0123abcd`, // old
      `ward_test_${t36(NOW - 5 * MIN)}_0123abcd`, // young
      'ward_lead', 'ward_test_mine', `ward_load_${t36(NOW - 9 * 60 * MIN)}_0123abcd`, 'postgres',
    ];
    assert.deepEqual(staleDatabases(names, live, NOW), [
      'ward_test_tpl_c2b5c2fef7_migrated', 'ward_test_tpl_c2b5c2fef7_demo_1',
      `ward_test_${t36(NOW - 2 * 60 * MIN)}_0123abcd`, `ward_test_faults_${t36(NOW - 2 * 60 * MIN)}_0123abcd`,
    ]);
  });

  const parent = mkdtempSync(join(tmpdir(), 'ward-stale-runs-'));
  after(() => rmSync(parent, { recursive: true, force: true }));

  test("cleanStaleRuns removes a dead runner's directory and an hour-old one, and keeps this run's, a live runner's and a fresh one", async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const dir = (name: string, owner: string | null, idleMs: number) => {
      const path = join(parent, `${RUN_DIR_PREFIX}${name}`);
      mkdirSync(path);
      if (owner !== null) writeFileSync(join(path, OWNER_FILE), owner);
      const at = new Date(Date.now() - idleMs);
      if (owner !== null) utimesSync(join(path, OWNER_FILE), at, at);
      utimesSync(path, at, at);
      return path;
    };
    const own = dir('own', ownerLine(), 2 * 60 * MIN);
    const deadRunner = dir('dead', ownerLine(dead), 5 * MIN);
    const liveRunner = dir('live', ownerLine(), 5 * MIN);
    const old = dir('old', null, 2 * 60 * MIN);
    const fresh = dir('fresh', null, 0);
    const { dirs } = await cleanStaleRuns({ ownRun: own, parents: [parent] });
    assert.deepEqual(dirs.sort(), [deadRunner, old].sort());
    for (const kept of [own, liveRunner, fresh]) assert.ok(existsSync(kept), kept);
    assert.equal(hostname().includes(' '), false, 'the owner line splits at its one space');
  });

  test('on PostgreSQL: a gone run\'s template and an old idle test database are dropped; this run\'s template and a young database stay', { skip: postgresUrl ? false : POSTGRES_SKIP_REASON }, async () => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    const suffix = Math.random().toString(16).slice(2, 10).padEnd(8, '0');
    const ownRun = runDir ?? join(parent, `${RUN_DIR_PREFIX}own`);
    const names = {
      gone: `ward_test_tpl_${runHash(join(parent, `${RUN_DIR_PREFIX}never-${suffix}`))}_x`,
      mine: `ward_test_tpl_${runHash(ownRun)}_stale_runs_${suffix}`,
      old: `ward_test_${(Date.now() - 2 * 60 * MIN).toString(36)}_${suffix}`,
      young: `ward_test_${Date.now().toString(36)}_${suffix}`,
    };
    try {
      for (const name of Object.values(names)) await client.query(`CREATE DATABASE ${name}`); // names made above
      const { databases } = await cleanStaleRuns({ ownRun, postgresUrl });
      assert.ok(databases.includes(names.gone) && databases.includes(names.old), databases.join(' '));
      assert.ok(!databases.includes(names.mine) && !databases.includes(names.young), databases.join(' '));
    } finally {
      for (const name of Object.values(names)) await client.query(`DROP DATABASE IF EXISTS ${name}`);
      await client.end();
    }
  });
});
