/**
 * `npm run bench:instances` — instances vs throughput (R-OPS-1; docs/scaling.md "Several instances"):
 * one, two, three… Ward servers as `npm start` runs them, on one PostgreSQL, sharing the origin, the
 * keyring, the audit signing key and the heads directory, behind a round-robin client. The load is the
 * guarded PHI read (session cookie and a freshly signed device proof per request, Cedar, RLS,
 * decryption, masking, the audit row), closed loop, loopback only, bounded in requests and seconds.
 * Servers are added one at a time to the same deployment; each row: a warm-up, then the measured run.
 * `auditEventsPerSecond` counts the audit rows committed during the run (every guarded read writes
 * one); `wardCpuMsPerRequest` is the CPU of all the Ward processes per request (from /proc).
 *
 * The figures say what the machine they ran on can do: on a machine with fewer cores than servers plus
 * PostgreSQL plus the driver, more servers only share the same cores. The machine's load average is
 * printed with them.
 *
 * Prints a table, then one JSON line {"bench":"instances","rows":[…],"machine":{…}}.
 *
 *   WARD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:instances -- \
 *     [--instances 1,2,3] [--concurrency 16] [--seconds 20] [--warmup 3] [--requests 200000]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { postgresUrl } from '../test/support/databases.ts';
import { deployOnPostgres, type Instance } from '../test/support/load/deployment.ts';
import { runLoad } from '../test/support/load/driver.ts';
import { scenario } from '../test/support/load/scenarios.ts';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '1,2,3' },
    concurrency: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    requests: { type: 'string', default: '200000' },
  },
});
const counts = values.instances.split(',').map(Number).sort((a, b) => a - b);
const concurrency = Number(values.concurrency);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const maxRequests = Number(values.requests);
if (!postgresUrl) {
  console.error('bench:instances needs PostgreSQL: set WARD_TEST_DATABASE_URL');
  process.exit(2);
}
if (counts.some((n) => !(n >= 1 && n <= 8)) || !(concurrency >= 1 && concurrency <= 256)) {
  console.error('--instances takes 1 to 8 servers per row; --concurrency 1 to 256');
  process.exit(2);
}

interface Row {
  instances: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  auditEventsPerSecond: number;
  serverErrors: number;
  transportErrors: number;
  wardCpuMsPerRequest: number | null;
  loadAverage1m: number;
}

const deployment = await deployOnPostgres({ databasePrefix: 'ward_bench_instances_', env: { WARD_LOG_LEVEL: 'warn' } });
const owner = new pg.Client({ connectionString: deployment.where.ownerUrl });
await owner.connect();
const extra: Instance[] = [];
const rows: Row[] = [];
try {
  const load = await scenario('guarded', deployment, concurrency);
  const auditRows = async () => (await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events')).rows[0]!.n;
  const cpuMs = () => {
    const all = [deployment.serverCpuMs(), ...extra.map((e) => e.serverCpuMs())];
    return all.some((c) => c === null) ? null : all.reduce((a: number, b) => a + (b as number), 0);
  };
  for (const n of counts) {
    while (extra.length + 1 < n) extra.push(await deployment.addServer());
    const baseUrls = [deployment.baseUrl, ...extra.map((e) => e.baseUrl)];
    const alive = () => deployment.alive() && extra.every((e) => e.alive());
    await runLoad({ baseUrl: baseUrls[0]!, baseUrls, concurrency, maxRequests, maxSeconds: warmup, alive, ...load });
    const eventsBefore = await auditRows();
    const cpuBefore = cpuMs();
    const r = await runLoad({ baseUrl: baseUrls[0]!, baseUrls, concurrency, maxRequests, maxSeconds: seconds, alive, ...load });
    const cpuAfter = cpuMs();
    const events = (await auditRows()) - eventsBefore;
    rows.push({
      instances: n,
      rps: r.rps,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      auditEventsPerSecond: Math.round(events / r.seconds),
      serverErrors: r.serverErrors,
      transportErrors: r.transportErrors,
      wardCpuMsPerRequest: cpuBefore === null || cpuAfter === null || r.requests === 0 ? null : Number(((cpuAfter - cpuBefore) / r.requests).toFixed(2)),
      loadAverage1m: Number(os.loadavg()[0]!.toFixed(1)),
    });
    if (r.stoppedBy === 'server gone') throw new Error(`a server stopped answering with ${n} instances: ${r.firstTransportError}`);
  }
} finally {
  await owner.end().catch(() => {});
  await deployment.close();
}

console.log(`instances | guarded reads/s | p50 ms | p99 ms | audit events/s | 5xx | Ward CPU ms/request | load average (1 min, ${os.cpus().length} cores)`);
console.log('---|---|---|---|---|---|---|---');
for (const r of rows) console.log(`${r.instances} | ${r.rps} | ${r.p50Ms} | ${r.p99Ms} | ${r.auditEventsPerSecond} | ${r.serverErrors} | ${r.wardCpuMsPerRequest ?? 'n/a'} | ${r.loadAverage1m}`);
console.log(JSON.stringify({ bench: 'instances', concurrency, seconds, rows, machine: { cores: os.cpus().length, loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))), node: process.version } }));
