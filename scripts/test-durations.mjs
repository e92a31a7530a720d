#!/usr/bin/env node
// `node scripts/test-durations.mjs [results.json]`: rewrites scripts/test-durations.json from the
// recorded test results (.ward/test-results.json after a full `npm test`): the seconds each file of
// 5 s or more took. npm test starts the longest files first (scripts/test.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const path = process.argv[2] ?? join(root, '.ward', 'test-results.json');
const target = join(root, 'scripts', 'test-durations.json');
const recorded = JSON.parse(readFileSync(path, 'utf8'));
const old = JSON.parse(readFileSync(target, 'utf8'));
const seconds = {};
for (const [file, entry] of Object.entries(recorded.files ?? {}).sort()) {
  if (typeof entry.durationMs === 'number' && entry.durationMs >= 5000) seconds[file] = Math.round(entry.durationMs / 1000);
}
writeFileSync(target, `${JSON.stringify({ about: old.about, seconds }, null, 1)}\n`);
console.log(`${Object.keys(seconds).length} files of 5 s or more written to scripts/test-durations.json`);
