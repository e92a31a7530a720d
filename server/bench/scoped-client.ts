// node --import tsx server/bench/scoped-client.ts — the client half of bench:db's scoped point read
// (issue 12, R-OPS-1): the same read through db.scoped, through inTransaction as the owner (bench:db's
// unscopedTx), and through inTransaction as ward_app with a scope value made once per connection and
// reused ("scopedReused", measurement only: the database does the same work as for db.scoped, the
// client none of db.scoped's own), in one run, interleaved (ROUNDS, default 4, of BENCH_SECONDS,
// default 3), concurrency 8. Per mode, the minimum and median over the rounds of the CPU per read of
// this process (cl, and its system time), of its threads by name (main: the event loop; the others
// V8's GC and compiler helpers), and of the bench database's backends (be, /proc/<pid>/schedstat), and
// the context switches per read. ONLY=a,b picks modes. With PROFILE=1 it prints each mode's windows
// on the monotonic clock, for reading a `node --cpu-prof` profile of the run by mode.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';
import { createPool, inTransaction, openPostgres, wrap } from '../src/db/postgres.ts';
import { beginScopeSql, loadScopeKey, macScope } from '../src/db/scope-key.ts';
import { scopeSettings } from '../src/db/scope.ts';
import { monotonicUs } from './cpu-profile.ts';
import { READ, seedBenchRead } from './scoped-read.ts';

const C = 8;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const ONLY = process.env.ONLY?.split(',');

const url = process.env.WARD_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const name = `ward_client_${randomBytes(4).toString('hex')}`;
await admin.query(`CREATE DATABASE ${name}`); // generated name, not input
const ownerUrl = Object.assign(new URL(url), { pathname: `/${name}` }).href;
const appUrl = Object.assign(new URL(ownerUrl), { username: 'ward_app', password: '' }).href;
const db = openPostgres({ appUrl, migrationUrl: ownerUrl }, { size: C });
const owner = createPool(ownerUrl, C, { pipeline: true });
const app = createPool(appUrl, C, { pipeline: true });

const backendNs = async (): Promise<Map<number, number>> => {
  const pids = (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name])).rows.map((r) => r.pid);
  const used = new Map<number, number>();
  for (const pid of pids) {
    try {
      used.set(pid, Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      /* gone */
    }
  }
  return used;
};

/** CPU ns per thread of this process, by thread name (/proc/self/task/<tid>/schedstat). */
const threadNs = (): Map<string, number> => {
  const by = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const comm = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      const name = tid === String(process.pid) ? 'main' : comm;
      by.set(name, (by.get(name) ?? 0) + Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      /* gone */
    }
  }
  return by;
};

/** This process's context switches so far (voluntary + involuntary, all threads' main: /proc/self/status). */
const switches = (): number => {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)![1]) + Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)![1]);
};

function oneRow(result: { rows: unknown[] }): void {
  if (result.rows.length !== 1) throw new Error('the read found no row');
}

try {
  await migrate(db.systemDb);
  const { ids, scope } = await seedBenchRead(db.systemDb);
  const key = await loadScopeKey(db.systemDb);
  const settings = scopeSettings(scope);
  const reused = new Map<number, { sql: string; atMs: number }>();
  const beginReused = (c: pg.PoolClient) => {
    const pid = (c as unknown as { processID: number }).processID;
    let kept = reused.get(pid);
    if (!kept || Date.now() - kept.atMs > 10_000) reused.set(pid, (kept = { sql: beginScopeSql(macScope(settings, key, pid)), atMs: Date.now() }));
    return kept.sql;
  };
  const modes: Record<string, (id: string) => Promise<unknown>> = {
    scoped: (id) => db.scoped(scope, (tx) => tx.query(READ, [id]).then(oneRow)),
    unscopedTx: (id) => inTransaction(() => owner.connect(), (c) => wrap(c).query(READ, [id])).then(oneRow),
    scopedReused: (id) => inTransaction(() => app.connect(), (c) => wrap(c).query(READ, [id]), beginReused).then(oneRow),
  };
  const chosen = Object.entries(modes).filter(([m]) => !ONLY || ONLY.includes(m));
  const results: Record<string, { threads: Record<string, number>; cl: number; sys: number; cs: number; be: number; rate: number }[]> = Object.fromEntries(chosen.map(([m]) => [m, []]));
  const windows: Record<string, [number, number][]> = Object.fromEntries(chosen.map(([m]) => [m, []]));
  const loop = async (run: (id: string) => Promise<unknown>, deadline: number) => {
    let n = 0;
    while (performance.now() < deadline) {
      await run(ids[(Math.random() * ids.length) | 0]!);
      n++;
    }
    return n;
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [mode, run] of chosen) {
      await Promise.all(Array.from({ length: C }, () => loop(run, performance.now() + 300)));
      const be0 = await backendNs();
      const cl0 = process.cpuUsage();
      const cs0 = switches();
      const th0 = threadNs();
      const from = monotonicUs();
      const start = performance.now();
      const n = (await Promise.all(Array.from({ length: C }, () => loop(run, start + SECONDS * 1000)))).reduce((a, b) => a + b, 0);
      const elapsed = (performance.now() - start) / 1000;
      windows[mode]!.push([from, monotonicUs()]);
      const cl = process.cpuUsage(cl0);
      const cs = switches() - cs0;
      const th = threadNs();
      const threads: Record<string, number> = {};
      for (const [t, ns] of th) threads[t] = (ns - (th0.get(t) ?? 0)) / 1000;
      let be = 0;
      for (const [pid, ns] of await backendNs()) be += (ns - (be0.get(pid) ?? 0)) / 1000;
      for (const t of Object.keys(threads)) threads[t] = threads[t]! / n;
      results[mode]!.push({ threads, cl: (cl.user + cl.system) / n, sys: cl.system / n, cs: cs / n, be: be / n, rate: n / elapsed });
    }
  }
  const min = (xs: number[]) => Math.min(...xs);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const out: Record<string, unknown> = {};
  for (const [mode, rs] of Object.entries(results)) {
    const total = rs.map((r) => r.cl + r.be);
    out[mode] = { totalMin: Math.round(min(total)), totalMed: Math.round(med(total)), clMin: Math.round(min(rs.map((r) => r.cl))), clMed: Math.round(med(rs.map((r) => r.cl))), beMin: Math.round(min(rs.map((r) => r.be))), beMed: Math.round(med(rs.map((r) => r.be))), sysMed: Math.round(med(rs.map((r) => r.sys))), threads: Object.fromEntries(Object.keys(rs[0]!.threads).map((t) => [t, Math.round(med(rs.map((r) => r.threads[t] ?? 0)))])), switchesPerRead: Number(med(rs.map((r) => r.cs)).toFixed(2)), rateMed: Math.round(med(rs.map((r) => r.rate))) };
  }
  process.stdout.write(`${JSON.stringify({ load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '), ...out })}\n`);
  if (process.env.PROFILE) process.stdout.write(`${JSON.stringify(windows)}\n`);
} finally {
  await Promise.all([owner.end(), app.end(), db.close()]);
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => admin.end());
}
