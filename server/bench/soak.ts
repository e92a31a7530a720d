/**
 * `npm run soak` — sustained load, outside CI (R-OPS-1): a PostgreSQL deployment of Ward as `npm
 * start` runs it, `--sessions` signed-in sessions (default 1,000), first a short closed-loop run to
 * measure capacity with the same request mix, then `--minutes` (default 5) of open-loop load at
 * `--fraction` (default 0.7) of that capacity, on loopback only, with at most `--max-in-flight`
 * requests outstanding (bounded). The mix, each answer checked:
 *   70% a patient's record (200), 15% a call's redacted transcript (200), 14% a patient outside the
 *   Agent's PHI scopes (404: a denial, audited), and one patient search a second (200; searches are
 *   rate-limited per person, so they run at a fixed pace).
 * Prints one JSON line: capacity, target rate, per-minute windows (requests, rps, p50/p99, errors,
 * the server's RSS), and the verdict figures: errors in all, p99 spread after the first minute, RSS
 * growth after the first minute (goal < 10%).
 *
 *   WARD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run soak -- \
 *     [--sessions 1000] [--minutes 5] [--fraction 0.7] [--capacity-seconds 15] [--max-in-flight 256]
 */
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateDemo } from '../src/modules/demo/index.ts';
import { deployOnPostgres } from '../test/support/load/deployment.ts';
import { runLoad } from '../test/support/load/driver.ts';
import { AGENTS } from '../test/support/load/scenarios.ts';
import type { TestSession } from '../test/support/session-client.ts';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000' },
    minutes: { type: 'string', default: '5' },
    fraction: { type: 'string', default: '0.7' },
    'capacity-seconds': { type: 'string', default: '15' },
    'max-in-flight': { type: 'string', default: '256' },
  },
});
const sessionsWanted = Number(values.sessions);
const minutes = Number(values.minutes);
const fraction = Number(values.fraction);
const capacitySeconds = Number(values['capacity-seconds']);
const maxInFlight = Number(values['max-in-flight']);
if (!(sessionsWanted >= 1 && sessionsWanted <= 10_000) || !(minutes > 0 && minutes <= 120) || !(fraction > 0 && fraction <= 1) || !(capacitySeconds > 0) || !(maxInFlight >= 1 && maxInFlight <= 4096)) {
  throw new Error('--sessions 1..10000, --minutes up to 120, --fraction in (0, 1], --capacity-seconds and --max-in-flight positive');
}
if (!process.env.WARD_TEST_DATABASE_URL?.trim()) {
  console.error('soak needs WARD_TEST_DATABASE_URL (a PostgreSQL superuser URL; a database is created and dropped)');
  process.exit(2);
}

const demo = generateDemo();
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const inScope = demo.patients.filter((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI');
// Neither demo Agent holds these scopes (one of them holds Dental).
const outOfScope = demo.patients.filter((p) => p.tenantId === riverside.id && (p.phiScope === 'BehavioralHealth-PHI' || p.phiScope === 'SUD-Part2'));
const calls = demo.calls.filter((c) => c.tenantId === riverside.id && c.phiScope === 'Healthcare-PHI');
if (inScope.length === 0 || outOfScope.length === 0 || calls.length === 0) throw new Error('the demo data lacks the patients or calls the mix needs');

type Kind = 'view' | 'transcript' | 'denied' | 'search';
const EXPECTED: Record<Kind, number> = { view: 200, transcript: 200, denied: 404, search: 200 };

function kindOf(i: number): Exclude<Kind, 'search'> {
  const r = i % 100;
  return r < 70 ? 'view' : r < 85 ? 'transcript' : 'denied';
}

async function build(kind: Kind, i: number, session: TestSession): Promise<{ method: string; path: string; headers: Record<string, string>; body?: string }> {
  const purpose = { 'ward-purpose': 'TREAT' };
  if (kind === 'search') {
    const path = '/v1/patients/search';
    return { method: 'POST', path, headers: { ...(await session.headers('POST', path)), ...purpose, 'content-type': 'application/json' }, body: JSON.stringify({ mrn: inScope[i % inScope.length]!.mrn }) };
  }
  const path = kind === 'view' ? `/v1/patients/${inScope[i % inScope.length]!.id}`
    : kind === 'transcript' ? `/v1/calls/${calls[i % calls.length]!.id}/transcript`
    : `/v1/patients/${outOfScope[i % outOfScope.length]!.id}`;
  return { method: 'GET', path, headers: { ...(await session.headers('GET', path)), ...purpose } };
}

const deployment = await deployOnPostgres({ databasePrefix: 'ward_soak_', env: { WARD_LOG_LEVEL: 'warn' } });
try {
  const sessions: TestSession[] = [];
  for (let i = 0; i < sessionsWanted; i += 1) sessions.push(await deployment.signIn(AGENTS[i % AGENTS.length]!));

  // Capacity with the same mix (searches aside), closed loop at 32.
  const capacity = await runLoad({
    baseUrl: deployment.baseUrl, concurrency: 32, maxRequests: 1_000_000, maxSeconds: capacitySeconds, alive: deployment.alive,
    request: async (i, w) => {
      const r = await build(kindOf(i), i, sessions[(i + w) % sessions.length]!);
      return { method: r.method, path: r.path, headers: r.headers };
    },
  });
  const target = Math.max(1, Math.round(capacity.rps * fraction));

  // Open loop: requests start on a schedule whatever the answers, at most maxInFlight at a time.
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
  const base = new URL(deployment.baseUrl);
  interface Window { started: number; latencies: number[]; errors: number; unexpected: Record<string, number>; skipped: number; rssKb: number | null }
  const windows: Window[] = [];
  const newWindow = (): Window => ({ started: performance.now(), latencies: [], errors: 0, unexpected: {}, skipped: 0, rssKb: null });
  let current = newWindow();
  let inFlight = 0;
  let issued = 0;
  let firstError: string | undefined;
  const send = async (kind: Kind, i: number) => {
    inFlight += 1;
    const w = current;
    const t0 = performance.now();
    try {
      const r = await build(kind, i, sessions[i % sessions.length]!);
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request({ agent, host: base.hostname, port: base.port, method: r.method, path: r.path, headers: r.headers, timeout: 30_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', reject);
        req.end(r.body);
      });
      w.latencies.push(performance.now() - t0);
      if (status !== EXPECTED[kind]) {
        w.unexpected[`${kind}:${status}`] = (w.unexpected[`${kind}:${status}`] ?? 0) + 1;
        if (status >= 500) w.errors += 1;
      }
    } catch (e) {
      w.errors += 1;
      firstError ??= (e as Error).message;
    } finally {
      inFlight -= 1;
    }
  };
  const started = performance.now();
  const end = started + minutes * 60_000;
  let nextWindowAt = started + 60_000;
  let lastSearch = started;
  const pending = new Set<Promise<void>>();
  while (performance.now() < end && deployment.alive()) {
    const now = performance.now();
    if (now >= nextWindowAt) {
      current.rssKb = deployment.serverRssKb();
      windows.push(current);
      current = newWindow();
      nextWindowAt += 60_000;
    }
    const due = Math.floor(((now - started) / 1000) * target) - issued;
    for (let k = 0; k < due; k += 1) {
      issued += 1;
      if (inFlight >= maxInFlight) {
        current.skipped += 1;
        continue;
      }
      const p = send(kindOf(issued), issued);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    if (now - lastSearch >= 1000) {
      lastSearch = now;
      const p = send('search', issued);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(pending);
  current.rssKb = deployment.serverRssKb();
  windows.push(current);
  agent.destroy();

  const pct = (xs: number[], p: number) => {
    if (xs.length === 0) return 0;
    const s = [...xs].sort((a, b) => a - b);
    return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2));
  };
  const shown = windows.map((w, i) => {
    const seconds = i < windows.length - 1 ? 60 : Math.max(1, (performance.now() - w.started) / 1000);
    return { minute: i + 1, requests: w.latencies.length, rps: Math.round(w.latencies.length / seconds), p50Ms: pct(w.latencies, 50), p99Ms: pct(w.latencies, 99), errors: w.errors, unexpected: w.unexpected, skippedAtCap: w.skipped, rssMiB: w.rssKb === null ? null : Number((w.rssKb / 1024).toFixed(1)) };
  });
  const afterWarmup = shown.slice(1);
  const p99s = afterWarmup.map((w) => w.p99Ms).filter((x) => x > 0);
  const rss0 = shown[0]?.rssMiB ?? null;
  const rssLast = shown.at(-1)?.rssMiB ?? null;
  console.log(JSON.stringify({
    bench: 'soak', sessions: sessionsWanted, minutes, capacityRps: capacity.rps, capacityP99Ms: capacity.p99Ms, targetRps: target,
    survived: deployment.alive(), errors: shown.reduce((n, w) => n + w.errors, 0), firstError,
    unexpected: shown.reduce((n, w) => n + Object.values(w.unexpected).reduce((a, b) => a + b, 0), 0),
    p99SpreadAfterWarmup: p99s.length ? Number((Math.max(...p99s) / Math.min(...p99s)).toFixed(2)) : null,
    rssGrowthAfterWarmup: rss0 && rssLast ? Number(((rssLast - rss0) / rss0).toFixed(3)) : null,
    loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
    windows: shown,
  }));
} finally {
  await deployment.close();
}
