#!/usr/bin/env node
// `npm run fuzz -- [--runs N]`: the hostile-input property test over every route
// (server/test/http/hostile-input.int.test.ts) with N random requests per route (default 500) and a
// random seed it prints, instead of `npm test`'s bounded 12 with a fixed seed. Outside CI: a long
// run. Both engines when WARD_TEST_DATABASE_URL is set, as in `npm test`.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '500' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 1_000_000) {
  console.error('--runs takes a whole number from 1 to 1000000');
  process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const run = spawnSync(process.execPath, [`${root}scripts/test.mjs`, 'server/test/http/hostile-input'], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, WARD_TEST_FUZZ_RUNS: String(runs) },
});
process.exit(run.status ?? 1);
