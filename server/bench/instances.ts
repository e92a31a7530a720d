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
 * Then, unless `--failover no`, the failover of one instance: with the most servers of the run, the
 * same load for `--seconds`, and halfway through one server (not the first) is killed with SIGKILL.
 * The round-robin client drops a server from its list at the first request it cannot send there (a
 * load balancer's passive health check); the row gives reads/s before and after, the p99 after, the
 * requests cut off by the kill (sent to the dying server, no answer), 5xx answers, and whether every
 * PHI response the client got has its audit event (R-AUDIT-2).
 *
 * Prints the tables, then one JSON line {"bench":"instances","rows":[…],"failover":{…},"machine":{…}}.
 *
 *   WARD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:instances -- \
 *     [--instances 1,2,3] [--concurrency 16] [--seconds 20] [--warmup 3] [--requests 200000] [--failover yes|no]
 */
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
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
    failover: { type: 'string', default: 'yes' },
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
if (counts.some((n) => !(n >= 1 && n <= 8)) || !(concurrency >= 1 && concurrency <= 256) || !['yes', 'no'].includes(values.failover)) {
  console.error('--instances takes 1 to 8 servers per row; --concurrency 1 to 256; --failover yes or no');
  process.exit(2);
}
const withFailover = values.failover === 'yes' && counts.at(-1)! >= 2;

interface Failover {
  instancesBefore: number;
  instancesAfter: number;
  killedAtSeconds: number;
  rpsBefore: number;
  rpsAfter: number;
  p99MsAfter: number;
  cutOff: number;
  serverErrors: number;
  served: number;
  auditEvents: number;
  everyResponseAudited: boolean;
}

/**
 * Closed loop over the live servers, round robin; a server that cannot be reached leaves the list.
 * `kill` runs once, at `killAtSeconds`.
 */
async function failoverRun(o: { baseUrls: string[]; seconds: number; killAtSeconds: number; kill: () => void; request: (i: number, w: number) => Promise<{ method: string; path: string; headers: Record<string, string> }> }) {
  const live = o.baseUrls.map((u) => new URL(u));
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const started = performance.now();
  const killAt = started + o.killAtSeconds * 1000;
  const end = started + o.seconds * 1000;
  let killed = false;
  let issued = 0;
  const before: number[] = [];
  const after: number[] = [];
  let cutOff = 0;
  let serverErrors = 0;
  let served = 0;
  const worker = async (w: number) => {
    while (performance.now() < end && live.length > 0) {
      if (!killed && performance.now() >= killAt) {
        killed = true;
        o.kill();
      }
      const i = issued++;
      const base = live[i % live.length]!;
      const req = await o.request(i, w);
      const t0 = performance.now();
      try {
        const status = await new Promise<number>((resolve, reject) => {
          const r = http.request({ agent, host: base.hostname, port: base.port, method: req.method, path: req.path, headers: req.headers, timeout: 30_000 }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
            res.on('error', reject);
          });
          r.on('timeout', () => r.destroy(new Error('timed out')));
          r.on('error', reject);
          r.end();
        });
        (t0 < killAt ? before : after).push(performance.now() - t0);
        if (status >= 500) serverErrors += 1;
        if (status === 200) served += 1;
      } catch {
        cutOff += 1;
        const at = live.indexOf(base);
        if (at >= 0) live.splice(at, 1); // the passive health check: no more requests there
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  agent.destroy();
  const p99 = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted.length ? Number(sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]!.toFixed(2)) : 0;
  };
  const secondsAfter = Math.max(0.001, (performance.now() - killAt) / 1000);
  return { rpsBefore: Math.round(before.length / o.killAtSeconds), rpsAfter: Math.round(after.length / secondsAfter), p99MsAfter: p99(after), cutOff, serverErrors, served, instancesAfter: live.length };
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
let failover: Failover | undefined;
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
  if (withFailover) {
    const baseUrls = [deployment.baseUrl, ...extra.map((e) => e.baseUrl)];
    const victim = extra.at(-1)!;
    const eventsBefore = await auditRows();
    const r = await failoverRun({ baseUrls, seconds, killAtSeconds: seconds / 2, kill: () => victim.kill(), request: async (i, w) => load.request(i, w) });
    // Give the other servers' sealer and commits a moment; the count is of committed rows, sealed or not.
    const auditEvents = (await auditRows()) - eventsBefore;
    failover = { instancesBefore: baseUrls.length, killedAtSeconds: seconds / 2, ...r, auditEvents, everyResponseAudited: auditEvents >= r.served };
  }
} finally {
  await owner.end().catch(() => {});
  await deployment.close();
}

console.log(`instances | guarded reads/s | p50 ms | p99 ms | audit events/s | 5xx | Ward CPU ms/request | load average (1 min, ${os.cpus().length} cores)`);
console.log('---|---|---|---|---|---|---|---');
for (const r of rows) console.log(`${r.instances} | ${r.rps} | ${r.p50Ms} | ${r.p99Ms} | ${r.auditEventsPerSecond} | ${r.serverErrors} | ${r.wardCpuMsPerRequest ?? 'n/a'} | ${r.loadAverage1m}`);
if (failover) {
  console.log('');
  console.log('failover | reads/s before | reads/s after | p99 ms after | requests cut off | 5xx | PHI responses | their audit events');
  console.log('---|---|---|---|---|---|---|---');
  const f = failover;
  console.log(`${f.instancesBefore} → ${f.instancesAfter} (kill -9 at ${f.killedAtSeconds} s) | ${f.rpsBefore} | ${f.rpsAfter} | ${f.p99MsAfter} | ${f.cutOff} | ${f.serverErrors} | ${f.served} | ${f.auditEvents}${f.everyResponseAudited ? '' : ' (MISSING)'}`);
}
console.log(JSON.stringify({ bench: 'instances', concurrency, seconds, rows, failover: failover ?? null, machine: { cores: os.cpus().length, loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))), node: process.version } }));
