// The embedded quick start as an operator meets it: npm start's server owns its data directory,
// `ward` commands reach it through the operator socket, a second server is refused, and a crash
// (kill -9) never blocks the next start (R-OPS-1).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { embeddedTestDatabase } from './support/databases.ts';

const root = new URL('../../', import.meta.url).pathname;
const port = 18700 + (process.pid % 200);

function startServer(dataDir: string): { child: ChildProcess; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, WARD_DATA_DIR: dataDir, WARD_PORT: String(port), WARD_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

async function healthy(timeoutMs = 120_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return await res.json();
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error('the server did not answer /healthz');
}

function ward(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['server/bin/ward.mjs', ...args], { cwd: root, env: { ...process.env, WARD_DATA_DIR: dataDir } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

async function printed(output: () => string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return output();
}

describe('the embedded server lifecycle', () => {
  let dataDir: string;
  before(async () => {
    // Start from a migrated template (initdb takes seconds); the server seeds the demo data itself.
    const t = await embeddedTestDatabase();
    const templateCopy = t.env.WARD_DATA_DIR!;
    dataDir = mkdtempSync(join(tmpdir(), 'ward-lifecycle-'));
    await t.db.close();
    cpSync(join(templateCopy, 'pgdata'), join(dataDir, 'pgdata'), { recursive: true });
    rmSync(templateCopy, { recursive: true, force: true });
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('serves, shares its data with the CLI, refuses a second owner, and survives kill -9', async () => {
    const first = startServer(dataDir);
    try {
      const health = (await healthy()) as { status: string; database: string; migrations: number };
      assert.equal(health.status, 'ok');
      assert.equal(health.database, 'embedded');
      assert.ok(health.migrations >= 4);
      assert.equal((statSync(join(dataDir, 'operator.sock')).mode & 0o777), 0o600);

      // The start says what it does, and ends with how to sign in as each demo role (R-UX-2).
      const out = await printed(first.output, /Afterwards sign in at/);
      assert.match(out, /^ward: starting with the embedded database in /);
      assert.match(out, /\nward: seeding the demo tenants riverside and lakeside .*\nward: seeded the demo data in [\d.]+ s: 240 patients/);
      assert.match(out, /\nWard is serving http:\/\/localhost:\d+ /);
      for (const role of ['Owner', 'Admin', 'Manager', 'Agent', 'Auditor', 'Viewer']) assert.match(out, new RegExp(`\\n  npx ward demo sign-in --tenant riverside --role ${role}\\n`));

      const seed = await ward(dataDir, ['demo', 'seed']);
      assert.equal(seed.code, 0, seed.stderr);
      assert.match(seed.stdout, /already present/);
      const signIn = await ward(dataDir, ['demo', 'sign-in', '--tenant', 'riverside', '--role', 'Agent']);
      assert.equal(signIn.code, 0, signIn.stderr);
      assert.match(signIn.stdout, /\/enroll#token=[\w-]+&next=\/agent\n$/);

      const second = startServer(dataDir);
      assert.notEqual(await exited(second.child), 0);
      assert.match(second.output(), /DATA_DIR_LOCKED/);
    } finally {
      first.child.kill('SIGKILL');
      await exited(first.child);
    }

    assert.ok(existsSync(join(dataDir, 'ward.lock')), 'kill -9 leaves the lock file behind');
    // A busy port stops the start with the address named, and releases the data directory.
    const squatter = createServer().listen(port, '127.0.0.1');
    try {
      const busy = startServer(dataDir);
      assert.equal(await exited(busy.child), 1);
      assert.match(busy.output(), new RegExp(`ward: ADDRESS_IN_USE: 127\\.0\\.0\\.1:${port} is in use by another process \\(WARD_HOST, WARD_PORT\\)`));
    } finally {
      await new Promise((r) => squatter.close(r));
    }
    const restarted = startServer(dataDir);
    await healthy();
    const migrate = await ward(dataDir, ['migrate']);
    assert.equal(migrate.code, 0, migrate.stderr);
    assert.match(migrate.stdout, /0 applied now/);

    restarted.child.kill('SIGINT');
    assert.equal(await exited(restarted.child), 0);
    assert.equal(existsSync(join(dataDir, 'ward.lock')), false, 'a clean shutdown releases the lock');
    assert.equal(existsSync(join(dataDir, 'operator.sock')), false, 'a clean shutdown removes the socket');
  });
});
