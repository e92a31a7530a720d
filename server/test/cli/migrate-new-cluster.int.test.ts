// `ward migrate` on a new PostgreSQL cluster, where the application role does not exist yet
// (R-OPS-1, R-AUTHZ-7): the migrations' bootstrap makes `ward_app`, so the start waits for the
// migration URL, migrates, and only then logs in as `ward_app`. The shared test cluster already has
// the role, so this test starts a throwaway cluster from the PostgreSQL binaries when they are installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runWard } from '../support/cli.ts';
import { ENGINES } from '../support/databases.ts';
import { freePort } from '../support/free-port.ts';

const postgres = ENGINES.find((e) => e.engine === 'postgres')!;
const binDir = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
})();
const skip = postgres.skip || (binDir ? false : 'no PostgreSQL binaries to start a new cluster with');

/** PostgreSQL refuses to run as root: as root, its binaries run as the postgres user. */
function pgRun(bin: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', join(binDir!, bin), ...args], { encoding: 'utf8' }) : spawnSync(join(binDir!, bin), args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} failed: ${r.stderr || r.stdout}`);
}

test('ward migrate on a new cluster makes ward_app, then logs in as it', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ward-new-cluster-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'ward-new-cluster-ward-'));
  if (process.getuid?.() === 0) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), 0);
  const port = await freePort();
  pgRun('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust']);
  pgRun('pg_ctl', ['-D', join(dir, 'data'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), '-w', 'start']);
  t.after(() => {
    try { pgRun('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']); } catch { /* already stopped */ }
    rmSync(dir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });
  const env = {
    ...process.env,
    WARD_DATA_DIR: dataDir,
    WARD_MIGRATION_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`,
    WARD_DATABASE_URL: `postgres://ward_app@127.0.0.1:${port}/postgres`,
    WARD_DATABASE_WAIT_SECONDS: '5',
    WARD_LOG_LEVEL: 'warn',
  };
  const run = async () => {
    const r = await runWard(['migrate'], { env });
    return { code: r.code, out: r.out + r.err };
  };
  const first = await run();
  assert.equal(first.code, 0, first.out);
  assert.doesNotMatch(first.out, /DATABASE_LOGIN_FAILED/);
  assert.match(first.out, /migrations: (\d+) known, \1 applied now \(postgres\)/);
  // The second run logs in as the role the first one made, and has nothing left to apply.
  const second = await run();
  assert.equal(second.code, 0, second.out);
  assert.match(second.out, /migrations: \d+ known, 0 applied now \(postgres\)/);
});
