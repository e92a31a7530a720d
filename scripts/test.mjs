#!/usr/bin/env node
// `npm test`: builds one migrated PGlite template data directory for the whole run (initdb takes
// seconds; test files copy it), then runs every *.test.ts with Node's own test runner through tsx.
// Arguments narrow the run to files whose path contains one of them. The longest files start first
// (scripts/test-durations.json), and the repository's policies are validated once for the run.
// Each test's result is also recorded in .ward/test-results.json (WARD_TEST_RESULTS_PATH elsewhere),
// file by file: a narrowed run replaces the results of the files it ran and keeps the others. The
// compliance evidence report reads it (R-GOV-4). The runner's own output is unchanged.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const SKIP = new Set(['node_modules', '.git', '.ward', 'dist']);

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

// A test that hangs (a deadlock, a server that never answers) fails after this long instead of
// holding CI until its own limit; no single test comes near it on a loaded machine.
const TEST_TIMEOUT_MS = 600_000;

const filters = process.argv.slice(2);
// The longest files first (scripts/test-durations.json; the others after them, by path): with two
// files at a time, a long file started last would run alone at the end and hold the whole run.
const seconds = readDurations();
const files = findTests(root)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort((a, b) => (seconds[b] ?? 0) - (seconds[a] ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

// The run's directory (WARD_TEST_TMP): the templates and every test's embedded data directory, in
// memory where the machine has /dev/shm (copying a seeded data directory took seconds on a busy disk).
const workDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ward-test-'));
// Servers that tests start as processes would all take the default metrics port (127.0.0.1:9464);
// tests that scrape metrics open their own listener on port 0.
const env = { WARD_METRICS_ADDRESS: 'off', ...process.env, WARD_TEST_TMP: workDir, NODE_ENV: 'test' };
// What killed runs left (run directories, PostgreSQL templates and test databases) goes first; a run
// still going on is left alone. The cleaner also writes this run's owner (this process), so that a
// later run can clean up after this one if it is killed. A failure here is reported and the run goes on.
const stale = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'server/test/support/stale-runs.ts'), workDir], { stdio: 'inherit', cwd: root, env });
if (stale.status !== 0) console.error('test: what earlier runs left could not be cleaned; going on');
// The dashboard (web/dist) is built first when web/ changed: the browser tests load it (R-UX-1).
const web = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'web/build.ts')], { stdio: 'inherit', cwd: root, env });
if (web.status !== 0) process.exit(web.status ?? 1);
// The policies validated once for the whole run; test processes loading the same files skip
// Cedar's strict validation (policy-files.ts, `validatedInThisTestRun`).
const validated = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'server/test/support/validate-policies.ts')], { stdio: ['ignore', 'pipe', 'inherit'], cwd: root, env, encoding: 'utf8' });
if (validated.status !== 0 || !/^[0-9a-f]{64}$/.test(validated.stdout)) {
  console.error('test: the policies do not validate');
  process.exit(validated.status || 1);
}
env.WARD_TEST_POLICIES_VALIDATED = validated.stdout;
const templateBuilder = join(root, 'server/test/support/build-template.ts');
try {
  statSync(templateBuilder);
  const template = join(workDir, 'pglite-template');
  const built = spawnSync(process.execPath, ['--import', 'tsx', templateBuilder, template], { stdio: 'inherit', cwd: root, env });
  if (built.status !== 0) process.exit(built.status ?? 1);
  env.WARD_TEST_PGLITE_TEMPLATE = template;
} catch (e) {
  if (e.code !== 'ENOENT') throw e;
}

const resultLines = join(workDir, 'results.jsonl');
const startedAt = new Date().toISOString();
const run = spawnSync(
  process.execPath,
  [
    '--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${TEST_TIMEOUT_MS}`,
    // The reporter Node picks by itself (spec on a terminal, TAP otherwise) stays the one on stdout.
    `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`, '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts/test-results-reporter.mjs')}`, `--test-reporter-destination=${resultLines}`,
    ...files,
  ],
  { stdio: 'inherit', cwd: root, env },
);
try {
  recordResults(resultLines, files, startedAt);
} catch (e) {
  console.error(`test results not recorded: ${e.message}`);
}
await dropPostgresTemplates(join(workDir, 'pg-templates'));
rmSync(workDir, { recursive: true, force: true });
process.exit(run.status ?? 1);

/** Recorded seconds per test file; an unreadable file only loses the order. */
function readDurations() {
  try {
    const { seconds } = JSON.parse(readFileSync(join(root, 'scripts/test-durations.json'), 'utf8'));
    return seconds && typeof seconds === 'object' ? seconds : {};
  } catch {
    return {};
  }
}

/**
 * The PostgreSQL templates test files built for this run (server/test/support/databases.ts: the
 * migrated schema, the seeded demo data), dropped once every file is done.
 */
async function dropPostgresTemplates(listPath) {
  let names;
  try {
    names = [...new Set(readFileSync(listPath, 'utf8').split('\n').filter((n) => /^ward_test_tpl_[a-z0-9_]+$/.test(n)))];
  } catch {
    return;
  }
  const url = process.env.WARD_TEST_DATABASE_URL?.trim();
  if (!url || names.length === 0) return;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); // names checked above
  } catch (e) {
    console.error(`test templates not dropped (${names.join(' ')}): ${e.message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Merges this run's results into the recorded ones, replacing the files this run ran. */
function recordResults(linesPath, ranFiles, at) {
  const path = process.env.WARD_TEST_RESULTS_PATH?.trim() || join(root, '.ward', 'test-results.json');
  let recorded = { format: 'ward-test-results', version: 1, files: {} };
  try {
    const old = JSON.parse(readFileSync(path, 'utf8'));
    if (old?.format === 'ward-test-results' && old.files) recorded = old;
  } catch {}
  let lines = [];
  try {
    lines = readFileSync(linesPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {}
  for (const file of ranFiles) recorded.files[file] = { at, durationMs: 0, tests: [] };
  for (const r of lines) {
    const entry = (recorded.files[r.file] ??= { at, durationMs: 0, tests: [] });
    if (r.top !== undefined) entry.durationMs += r.durationMs; // the file's time (scripts/ci-minutes.mjs)
    else entry.tests.push({ name: r.name, status: r.status, durationMs: r.durationMs });
  }
  for (const file of Object.keys(recorded.files)) if (!statSync(join(root, file), { throwIfNoEntry: false })) delete recorded.files[file];
  recorded.lastRun = { at, finishedAt: new Date().toISOString(), files: ranFiles.length, node: process.version, filters };
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(`${path}.tmp`, `${JSON.stringify(recorded, null, 1)}\n`);
  renameSync(`${path}.tmp`, path);
}
