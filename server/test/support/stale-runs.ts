import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * What killed test runs leave behind, found and removed at the start of the next run (scripts/test.mjs
 * runs this file), without touching a run that is still going on:
 * - a run directory (`ward-test-*` under /dev/shm and the temp directory) whose runner is gone: its
 *   `owner` file names a process of this host that no longer exists and nothing in it changed for a
 *   minute; or, whatever its owner, nothing in it changed for an hour (an owner on another host, a
 *   reused pid, a directory of a runner that wrote no owner file);
 * - the PostgreSQL templates of runs that have no directory any more (`ward_test_tpl_<the run's
 *   hash>_…`, databases.ts);
 * - a test file's database (`ward_test_<base-36 time>_<hex>`, also `ward_test_faults_…`) made more than
 *   an hour ago that no one is connected to.
 * A database is dropped without FORCE: one that someone still uses is left alone.
 */
export const RUN_DIR_PREFIX = 'ward-test-';
export const OWNER_FILE = 'owner';
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** The hash that names a run's PostgreSQL templates (databases.ts, postgresTemplateName). */
export function runHash(runDir: string): string {
  return createHash('sha256').update(runDir).digest('hex').slice(0, 10);
}

/** `<host> <pid>`: the runner that owns a run directory. */
export const ownerLine = (pid = process.pid, host = hostname()) => `${host} ${pid}`;

export interface RunDirFacts {
  /** The owner file's text, or null when there is none. */
  owner: string | null;
  /** The newest modification time of the directory and what it holds directly (ms). */
  changedAtMs: number;
}

export function isStaleRunDir(facts: RunDirFacts, now: number, host: string, isAlive: (pid: number) => boolean): boolean {
  const idleMs = now - facts.changedAtMs;
  if (idleMs > HOUR_MS) return true;
  const [ownerHost, pidText] = (facts.owner ?? '').trim().split(' ');
  const pid = Number(pidText);
  return ownerHost === host && Number.isInteger(pid) && pid > 0 && !isAlive(pid) && idleMs > MINUTE_MS;
}

/** The databases of `names` that are stale: templates of runs no longer there, test databases over an hour old. */
export function staleDatabases(names: readonly string[], liveRuns: ReadonlySet<string>, now: number): string[] {
  return names.filter((name) => {
    const template = /^ward_test_tpl_([0-9a-f]{10})_[a-z0-9_]+$/.exec(name);
    if (template) return !liveRuns.has(template[1]!);
    const test = /^ward_test_(?:[a-z]+_)?([0-9a-z]{8,9})_[0-9a-f]{8}$/.exec(name);
    if (!test) return false;
    const madeAt = parseInt(test[1]!, 36);
    return Number.isSafeInteger(madeAt) && now - madeAt > HOUR_MS;
  });
}

/** Whether a process of this host exists (a pid we may not signal exists too). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function factsOf(dir: string): RunDirFacts | null {
  try {
    let changedAtMs = statSync(dir).mtimeMs;
    for (const name of readdirSync(dir)) changedAtMs = Math.max(changedAtMs, statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0);
    const ownerPath = join(dir, OWNER_FILE);
    return { owner: existsSync(ownerPath) ? readFileSync(ownerPath, 'utf8') : null, changedAtMs };
  } catch {
    return null; // removed meanwhile, or not ours to read
  }
}

/** Removes stale run directories and databases; `ownRun` (this run's directory) is never stale. */
export async function cleanStaleRuns(opts: { ownRun: string; parents?: string[]; postgresUrl?: string; now?: number }): Promise<{ dirs: string[]; databases: string[] }> {
  const now = opts.now ?? Date.now();
  const parents = [...new Set(opts.parents ?? ['/dev/shm', tmpdir()])].filter((p) => existsSync(p));
  const removed: string[] = [];
  const live = new Set([runHash(opts.ownRun)]);
  for (const parent of parents) {
    for (const name of readdirSync(parent)) {
      if (!name.startsWith(RUN_DIR_PREFIX)) continue;
      const dir = join(parent, name);
      if (dir === opts.ownRun || !statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
      const facts = factsOf(dir);
      if (facts && isStaleRunDir(facts, now, hostname(), isAlive)) {
        rmSync(dir, { recursive: true, force: true });
        removed.push(dir);
      } else {
        live.add(runHash(dir));
      }
    }
  }
  const dropped: string[] = [];
  if (opts.postgresUrl) {
    const client = new pg.Client({ connectionString: opts.postgresUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database d WHERE datname LIKE 'ward\\_test\\_%' AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)");
      for (const name of staleDatabases(rows.map((r) => r.datname), live, now)) {
        // The name matched staleDatabases' patterns (letters, digits, underscores) and came from the catalogue.
        await client.query(`DROP DATABASE IF EXISTS ${name}`).then(() => dropped.push(name), () => {});
      }
    } finally {
      await client.end().catch(() => {});
    }
  }
  return { dirs: removed, databases: dropped };
}

// `node --import tsx server/test/support/stale-runs.ts <this run's directory>`, run by scripts/test.mjs:
// the run's owner is that runner, this process's parent.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const ownRun = process.argv[2];
  if (!ownRun) throw new Error('usage: stale-runs.ts <run directory>');
  writeFileSync(join(ownRun, OWNER_FILE), ownerLine(process.ppid));
  const { dirs, databases } = await cleanStaleRuns({ ownRun, postgresUrl: process.env.WARD_TEST_DATABASE_URL?.trim() || undefined });
  if (dirs.length + databases.length > 0) console.error(`test: removed what killed runs left: ${dirs.length} run directories, ${databases.length} databases`);
}
