/**
 * `npm run bench:http`: Ward's HTTP path under closed-loop load on a PostgreSQL deployment (the
 * README's production path: `ward migrate`, `ward demo seed`, the server as a child process serving
 * as ward_app). Per run: a fresh deployment, then each concurrency level in turn on the same server,
 * each bounded in requests and seconds, on loopback only. Prints one JSON line per run: whether the
 * server survived (how it ended and after how many requests if not, with its last words kept in a
 * file), and per level the requests, rps, p50/p90/p99, status counts (5xx included) and the server
 * process's CPU per request (wardCpuMsPerRequest, from /proc).
 *
 *   WARD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:http -- \
 *     [--scenario guarded|bare] [--concurrency 8,16,32] [--requests 20000] [--seconds 60] [--runs 1] \
 *     [--port N] [--node-args="--max-opt=2"] [--entry="--import tsx server/src/main.ts"] [--log-level info]
 *
 * WARD_BENCH_DATABASE_PREFIX names the databases (default ward_bench_). `--entry` runs another
 * server entry point, such as server/bench/load/bisect/server.ts for bisecting a crash.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { deployOnPostgres } from '../test/support/load/deployment.ts';
import { runLoad, type LoadResult } from '../test/support/load/driver.ts';
import { SCENARIOS, scenario, type ScenarioName } from '../test/support/load/scenarios.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'guarded' },
    concurrency: { type: 'string', default: '8,16,32' },
    requests: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '60' },
    runs: { type: 'string', default: '1' },
    port: { type: 'string' },
    'node-args': { type: 'string', default: '' },
    entry: { type: 'string', default: '' },
    'log-level': { type: 'string', default: 'info' },
  },
});

if (!process.env.WARD_TEST_DATABASE_URL?.trim()) {
  console.error('bench:http needs WARD_TEST_DATABASE_URL (a PostgreSQL superuser URL; a database is created and dropped per run)');
  process.exit(2);
}
const name = values.scenario as ScenarioName;
const levels = values.concurrency.split(',').map(Number);
const requests = Number(values.requests);
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const port = values.port === undefined ? undefined : Number(values.port);
const words = (s: string) => s.split(/\s+/).filter(Boolean);
if (!SCENARIOS.includes(name)) throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}`);
if (levels.some((c) => !Number.isInteger(c) || c < 1 || c > 256) || !(requests >= 1) || !(seconds > 0 && seconds <= 3600) || !(runs >= 1)) {
  throw new Error('--concurrency takes whole numbers 1..256, --requests and --runs positive numbers, --seconds up to 3600');
}
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) throw new Error('--port must be a port number');

let crashed = 0;
for (let run = 1; run <= runs; run += 1) {
  const deployment = await deployOnPostgres({
    databasePrefix: process.env.WARD_BENCH_DATABASE_PREFIX ?? 'ward_bench_',
    port,
    nodeArgs: words(values['node-args']),
    entry: values.entry ? words(values.entry) : undefined,
    env: { WARD_LOG_LEVEL: values['log-level'] },
  });
  try {
    const s = await scenario(name, deployment, Math.max(...levels));
    const results: (LoadResult & { wardCpuMsPerRequest: number | null })[] = [];
    for (const concurrency of levels) {
      if (!deployment.alive()) break;
      const cpu0 = deployment.serverCpuMs();
      const result = await runLoad({ baseUrl: deployment.baseUrl, concurrency, maxRequests: requests, maxSeconds: seconds, alive: deployment.alive, ...s });
      const cpu1 = deployment.serverCpuMs();
      // Ward's own CPU per request (the server process, not PostgreSQL nor the load generator): on a
      // shared, loaded machine it varies far less than rps.
      const wardCpuMsPerRequest = cpu0 === null || cpu1 === null || result.requests === 0 ? null : Number(((cpu1 - cpu0) / result.requests).toFixed(3));
      results.push({ ...result, wardCpuMsPerRequest });
    }
    await new Promise((r) => setTimeout(r, 500)); // an exit can trail the last failed request by a moment
    const survived = deployment.alive();
    let death: Record<string, unknown> = {};
    if (!survived) {
      crashed += 1;
      const file = join(os.tmpdir(), `ward-bench-http-${process.pid}-run${run}.log`);
      writeFileSync(file, deployment.output());
      death = {
        exit: deployment.exit(),
        requestsBeforeExit: results.reduce((n, r) => n + r.requests, 0),
        fatal: deployment.output().split('\n').filter((l) => /Fatal|unreachable|Deoptimizer|Check failed/.test(l)).slice(0, 8),
        serverOutput: file,
      };
    }
    console.log(
      JSON.stringify({
        bench: 'http',
        scenario: name,
        run,
        node: process.version,
        nodeArgs: values['node-args'] || undefined,
        entry: values.entry || undefined,
        bisectOff: process.env.WARD_BISECT_OFF || undefined,
        survived,
        ...death,
        loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
        levels: results,
      }),
    );
  } finally {
    await deployment.close();
  }
}
if (runs > 1) console.log(JSON.stringify({ bench: 'http', runs, crashed }));
