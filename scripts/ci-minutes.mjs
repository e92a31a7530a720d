#!/usr/bin/env node
// `node scripts/ci-minutes.mjs [results.json]`: the minutes each suite took in the recorded test
// results (.ward/test-results.json, written by `npm test`; WARD_TEST_RESULTS_PATH elsewhere), for the
// CI budget (.ci/run prints it at the end). A suite is a directory of test files: `server/test/<dir>`,
// `server/src/modules/<module>`, or the other top-level places. A file's time is its top-level tests
// and suites, hooks included; `npm test` runs two files at a time, so the wall time is about half
// the sum. Files recorded before their time was kept count their tests' time only (marked `~`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const path = process.argv[2] ?? (process.env.WARD_TEST_RESULTS_PATH?.trim() || join(root, '.ward', 'test-results.json'));
let recorded;
try {
  recorded = JSON.parse(readFileSync(path, 'utf8'));
} catch {
  console.error(`no recorded test results at ${path}: run npm test first`);
  process.exit(1);
}
if (recorded?.format !== 'ward-test-results' || !recorded.files) {
  console.error(`${path} is not a recorded test run`);
  process.exit(1);
}

function suiteOf(file) {
  const dirs = file.split('/').slice(0, -1);
  if (dirs[0] !== 'server') return dirs[0] ?? '.';
  if (dirs[1] === 'src' && dirs[2] === 'modules') return dirs.slice(0, 4).join('/');
  return dirs.slice(0, 3).join('/');
}

const suites = new Map();
for (const [file, entry] of Object.entries(recorded.files)) {
  const testsMs = (entry.tests ?? []).reduce((s, t) => s + (t.durationMs ?? 0), 0);
  const isTimed = typeof entry.durationMs === 'number' && entry.durationMs > 0;
  const s = suites.get(suiteOf(file)) ?? { ms: 0, files: 0, slowest: ['', 0], estimated: false };
  const ms = isTimed ? entry.durationMs : testsMs;
  s.ms += ms;
  s.files += 1;
  if (ms > s.slowest[1]) s.slowest = [file, ms];
  if (!isTimed) s.estimated = true;
  suites.set(suiteOf(file), s);
}
const minutes = (ms) => (ms / 60_000).toFixed(1);
const rows = [...suites.entries()].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, [, v]) => s + v.ms, 0);
console.log('minutes | files | suite | slowest file (minutes)');
for (const [name, v] of rows) console.log(`${v.estimated ? '~' : ' '}${minutes(v.ms).padStart(6)} | ${String(v.files).padStart(5)} | ${name} | ${v.slowest[0].split('/').pop()} (${minutes(v.slowest[1])})`);
const last = recorded.lastRun;
const wall = last?.at && last?.finishedAt ? ` The last run (${last.files} files${last.filters?.length ? `, narrowed to ${last.filters.join(' ')}` : ''}) took ${minutes(Date.parse(last.finishedAt) - Date.parse(last.at))} minutes of wall time.` : '';
console.log(`total ${minutes(total)} minutes of test time over ${Object.keys(recorded.files).length} files; at two files at a time about ${minutes(total / 2)} minutes of wall time.${wall}`);
