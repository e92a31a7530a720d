/**
 * R-DATA-4: the server started on the demo data (seeding, then reads that decrypt: a data-key
 * rotation over every PHI cell and a retention run, through the operator socket) writes none of the
 * demo names, phone numbers or dates of birth to its logs (stdout and stderr, at debug level).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateDemo } from '../../src/modules/demo/index.ts';

const root = new URL('../../..', import.meta.url).pathname;

test('the logs of a server run on the demo data contain no demo PHI', { timeout: 180_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ward-logscan-'));
  const port = String(19000 + Math.floor(Math.random() * 900));
  const env = { ...process.env, WARD_DATA_DIR: dataDir, WARD_PORT: port, WARD_LOG_LEVEL: 'debug', WARD_DATABASE_URL: '', WARD_MIGRATION_DATABASE_URL: '' };
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: root, env });
  let logs = '';
  server.stdout.on('data', (d) => (logs += String(d)));
  server.stderr.on('data', (d) => (logs += String(d)));
  try {
    const deadline = Date.now() + 120_000;
    while (!logs.includes('Ward is serving')) {
      if (Date.now() > deadline || server.exitCode !== null) assert.fail(`the server did not start: ${logs.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    const cli = (...argv: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'server/bin/ward.mjs', ...argv], { cwd: root, env, encoding: 'utf8' });
    for (const argv of [['keys', 'rotate', '--tenant', 'riverside'], ['retention', 'run']]) {
      const r = cli(...argv);
      logs += r.stdout + r.stderr;
      assert.equal(r.status, 0, r.stderr);
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
  const demo = generateDemo(1);
  const secrets = new Set(demo.patients.flatMap((p) => [`${p.givenName} ${p.familyName}`, p.familyName, p.phone, p.phone.slice(2), p.dateOfBirth, p.ssn]).filter((s) => s.length >= 5));
  const leaked = [...secrets].filter((s) => logs.includes(s));
  assert.ok(logs.includes('completed the rotation of riverside'), 'the reads ran');
  assert.deepEqual(leaked, []);
});
