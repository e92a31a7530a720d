/**
 * `npm run bench:http-ab` — Ward's CPU per guarded PHI read over HTTP, two source trees side by side
 * (R-OPS-1, issue 31). bench:guarded-ab compares two trees through inject(); this one deploys each tree
 * as `npm start` runs it (deployment.ts: its own database, `ward migrate`, `ward demo seed`, the server
 * a child process on a loopback port) and drives both with the load driver of bench:http (a session
 * cookie and a freshly signed device proof on every request, `Ward-Purpose: TREAT`), at one
 * concurrency, in rounds that alternate A B, B A, …, after `--warmup-requests` reads each. Each round's
 * CPU is the server's, from /proc: all its threads (schedstat, ns) and its main thread, with user and
 * system time apart (stat, ticks). Prints one JSON line: each tree's min and median CPU µs per read
 * over the rounds, and the median and quartiles of the paired ratios B/A (the pair of one round meets
 * the same machine).
 *
 *   WARD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:http-ab -- \
 *     --a /path/to/tree-a --b /path/to/tree-b [--rounds 10] [--seconds 8] [--concurrency 32] [--warmup-requests 3000]
 * Each tree is a checkout of the repository with its node_modules (its server/test/support/load is used).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    a: { type: 'string', default: '' },
    b: { type: 'string', default: '' },
    rounds: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '32' },
    'warmup-requests': { type: 'string', default: '3000' },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const warmupRequests = Number(values['warmup-requests']);
if (!values.a || !values.b) throw new Error('--a and --b name the two trees');
if (![rounds, concurrency].every((n) => Number.isInteger(n) && n >= 1) || !(seconds > 0) || !(warmupRequests >= 0)) throw new Error('--rounds, --concurrency: whole numbers ≥ 1; --seconds > 0');

/** CPU ns of all the process's threads, and of its main thread. */
function schedNs(pid: number): { all: number; main: number } {
  let all = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      all += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return { all, main: Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) };
}

/** User and system ms of the process (all threads), from /proc (USER_HZ 100). */
function userSystemMs(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}

interface Side {
  tree: string;
  pid: number;
  baseUrl: string;
  load: (maxRequests: number, maxSeconds: number) => Promise<{ requests: number; rps: number; p99Ms: number; serverErrors: number; transportErrors: number; checkFailures: number }>;
  close: () => Promise<void>;
  rows: { us: number; mainUs: number; userUs: number; systemUs: number; rps: number; p99Ms: number }[];
}

async function deploy(tree: string): Promise<Side> {
  const { deployOnPostgres } = await import(`${tree}/server/test/support/load/deployment.ts`);
  const { scenario } = await import(`${tree}/server/test/support/load/scenarios.ts`);
  const { runLoad } = await import(`${tree}/server/test/support/load/driver.ts`);
  const d = await deployOnPostgres({ databasePrefix: 'ward_http_ab_' });
  try {
    const s = await scenario('guarded', d, concurrency);
    return {
      tree, pid: d.serverPid(), baseUrl: d.baseUrl, rows: [],
      load: (maxRequests, maxSeconds) => runLoad({ baseUrl: d.baseUrl, concurrency, maxRequests, maxSeconds, ...s, alive: d.alive }),
      close: () => d.close(),
    };
  } catch (e) {
    await d.close();
    throw e;
  }
}

const sides: Side[] = [];
try {
  for (const tree of [values.a, values.b]) sides.push(await deploy(resolve(tree)));
  for (const side of sides) await side.load(warmupRequests, 300);
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
      const ns0 = schedNs(side.pid);
      const us0 = userSystemMs(side.pid);
      const l = await side.load(1e9, seconds);
      const ns1 = schedNs(side.pid);
      const us1 = userSystemMs(side.pid);
      if (l.serverErrors + l.transportErrors + l.checkFailures > 0 || l.requests === 0) throw new Error(`${side.tree}: ${l.requests} requests, ${l.serverErrors} server errors, ${l.transportErrors} transport errors, ${l.checkFailures} check failures`);
      const per = (x: number) => Math.round(x / l.requests);
      side.rows.push({ us: per((ns1.all - ns0.all) / 1000), mainUs: per((ns1.main - ns0.main) / 1000), userUs: per((us1.user - us0.user) * 1000), systemUs: per((us1.system - us0.system) * 1000), rps: l.rps, p99Ms: l.p99Ms });
    }
  }
  const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
  const q = (xs: number[], f: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(f * xs.length))]!;
  const r3 = (n: number) => Number(n.toFixed(3));
  const summary = (s: Side) => ({
    tree: s.tree,
    cpuUsPerRequest: { min: Math.min(...s.rows.map((x) => x.us)), median: q(s.rows.map((x) => x.us), 0.5) },
    mainThreadCpuUsPerRequest: { min: Math.min(...s.rows.map((x) => x.mainUs)), median: q(s.rows.map((x) => x.mainUs), 0.5) },
    userUsMedian: q(s.rows.map((x) => x.userUs), 0.5),
    systemUsMedian: q(s.rows.map((x) => x.systemUs), 0.5),
    rpsMedian: q(s.rows.map((x) => x.rps), 0.5),
    p99MsMedian: q(s.rows.map((x) => x.p99Ms), 0.5),
  });
  const [a, b] = sides as [Side, Side];
  const ratios = a.rows.map((x, i) => b.rows[i]!.us / x.us);
  const mainRatios = a.rows.map((x, i) => b.rows[i]!.mainUs / x.mainUs);
  console.log(JSON.stringify({
    bench: 'http-ab', rounds, seconds, concurrency, a: summary(a), b: summary(b),
    ratioBtoA: { median: r3(q(ratios, 0.5)), q1: r3(q(ratios, 0.25)), q3: r3(q(ratios, 0.75)) },
    mainThreadRatioBtoA: { median: r3(q(mainRatios, 0.5)), q1: r3(q(mainRatios, 0.25)), q3: r3(q(mainRatios, 0.75)) },
    loadAverage1m: r3(loadavg()[0]!),
  }));
} finally {
  for (const side of sides) await side.close();
}
