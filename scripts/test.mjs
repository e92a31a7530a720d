#!/usr/bin/env node
// `npm test`: builds one migrated PGlite template data directory for the whole run (initdb takes
// seconds; test files copy it), then runs every *.test.ts with Node's own test runner through tsx.
// Arguments narrow the run to files whose path contains one of them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
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
const files = findTests(root)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

const workDir = mkdtempSync(join(tmpdir(), 'ward-test-'));
const env = { ...process.env, WARD_TEST_TMP: workDir, NODE_ENV: 'test' };
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

const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${TEST_TIMEOUT_MS}`, ...files],
  { stdio: 'inherit', cwd: root, env },
);
rmSync(workDir, { recursive: true, force: true });
process.exit(run.status ?? 1);
