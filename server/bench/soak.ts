/**
 * `npm run soak` — sustained load, outside CI (R-OPS-1): a PostgreSQL deployment of Ward as `npm
 * start` runs it, `--sessions` signed-in sessions (default 1,000), first a short closed-loop run to
 * measure capacity with the same request mix, then `--minutes` (default 5) of open-loop load at
 * `--fraction` (default 0.7) of that capacity, on loopback only, with at most `--max-in-flight`
 * requests outstanding (bounded). The mix, each answer checked:
 *   65% a patient's record (200), 5% a patient's sensitive fields with a justification (200; it asks
 *   for a user verification in the last five minutes), 15% a call's redacted transcript (200), 15% a
 *   patient outside the Agent's PHI scopes (404: a denial, audited), and one patient search a second
 *   (200; searches are rate-limited per person, so they run at a fixed pace).
 * Each session is its own person (a riverside Agent holding Healthcare-PHI, made for the run) with
 * a passkey; sensitive PHI (and any read while a risk signal is raised) asks for a user verification
 * within five minutes (R-SESS-3, R-SESS-2), so when the server
 * answers 403 STEP_UP_REQUIRED the client re-verifies with the passkey over the real step-up ceremony
 * and sends the request once more, as the dashboard does (test/support/load/people.ts). Step-ups are
 * counted and timed apart; a refused step-up is an error.
 * Prints a table per window (`--window-seconds`, default 60: throughput, p50/p99, errors by code,
 * step-ups, the server's RSS, open file descriptors and sockets, PostgreSQL connections of the
 * database), then one JSON line with the same and the verdict figures: errors in all (by code), p99
 * spread after the first window (max/min), RSS and descriptor growth after the first window (goal:
 * RSS < 10%), and the machine's load average.
 *
 *   WARD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run soak -- \
 *     [--sessions 1000] [--minutes 5] [--fraction 0.7] [--capacity-seconds 15] [--max-in-flight 256] \
 *     [--window-seconds 60]
 * A short run to try it: `--sessions 50 --minutes 1 --window-seconds 10`; add `--stale-verification`
 * to start every session with a verification ten minutes old (as after a break), so that each
 * person's first sensitive view goes through the step-up within a short run.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateDemo } from '../src/modules/demo/index.ts';
import { deployOnPostgres } from '../test/support/load/deployment.ts';
import { runLoad } from '../test/support/load/driver.ts';
import { call, provisionPeople, stepUp, WORKSTATIONS, type Person } from '../test/support/load/people.ts';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000' },
    minutes: { type: 'string', default: '5' },
    fraction: { type: 'string', default: '0.7' },
    'capacity-seconds': { type: 'string', default: '15' },
    'max-in-flight': { type: 'string', default: '256' },
    'window-seconds': { type: 'string', default: '60' },
    'stale-verification': { type: 'boolean', default: false },
  },
});
const sessionsWanted = Number(values.sessions);
const minutes = Number(values.minutes);
const fraction = Number(values.fraction);
const capacitySeconds = Number(values['capacity-seconds']);
const maxInFlight = Number(values['max-in-flight']);
const windowSeconds = Number(values['window-seconds']);
if (!(sessionsWanted >= 1 && sessionsWanted <= 10_000) || !(minutes > 0 && minutes <= 120) || !(fraction > 0 && fraction <= 1) || !(capacitySeconds > 0) || !(maxInFlight >= 1 && maxInFlight <= 4096) || !(windowSeconds >= 5 && windowSeconds <= 600)) {
  console.error('--sessions 1..10000, --minutes up to 120, --fraction in (0, 1], --capacity-seconds and --max-in-flight positive, --window-seconds 5..600');
  process.exit(2);
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

type Kind = 'view' | 'sensitive' | 'transcript' | 'denied' | 'search';
const EXPECTED: Record<Kind, number> = { view: 200, sensitive: 200, transcript: 200, denied: 404, search: 200 };

function kindOf(i: number): Exclude<Kind, 'search'> {
  const r = i % 100;
  return r < 65 ? 'view' : r < 70 ? 'sensitive' : r < 85 ? 'transcript' : 'denied';
}

async function build(kind: Kind, i: number, person: Person): Promise<{ method: string; path: string; headers: Record<string, string>; body?: string }> {
  const purpose = { 'ward-purpose': 'TREAT' };
  if (kind === 'search') {
    const path = '/v1/patients/search';
    return { method: 'POST', path, headers: { ...(await person.session.headers('POST', path)), ...purpose, 'content-type': 'application/json' }, body: JSON.stringify({ mrn: inScope[i % inScope.length]!.mrn }) };
  }
  const path = kind === 'view' ? `/v1/patients/${inScope[i % inScope.length]!.id}`
    : kind === 'sensitive' ? `/v1/patients/${inScope[i % inScope.length]!.id}/sensitive`
    : kind === 'transcript' ? `/v1/calls/${calls[i % calls.length]!.id}/transcript`
    : `/v1/patients/${outOfScope[i % outOfScope.length]!.id}`;
  // R-AUTHZ-4: the sensitive view carries the reason the caller gave.
  const justification: Record<string, string> = kind === 'sensitive' ? { 'ward-justification': 'caller asked to confirm the date of birth on file' } : {};
  return { method: 'GET', path, headers: { ...(await person.session.headers('GET', path)), ...purpose, ...justification } };
}

/** The server's open file descriptors, and how many of them are sockets (client connections, PostgreSQL), from /proc. */
function descriptors(pid: number | undefined): { fds: number; sockets: number } | null {
  try {
    const fds = readdirSync(`/proc/${pid}/fd`);
    let sockets = 0;
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets += 1;
      } catch {
        /* closed meanwhile */
      }
    }
    return { fds: fds.length, sockets };
  } catch {
    return null;
  }
}

const deployment = await deployOnPostgres({ databasePrefix: 'ward_soak_', env: { WARD_LOG_LEVEL: 'warn' } });
const owner = new pg.Client({ connectionString: deployment.where.ownerUrl });
try {
  await owner.connect();
  const database = new URL(deployment.where.ownerUrl!).pathname.slice(1);
  const backends = async () => (await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database])).rows[0]!.n;
  const provisionStarted = performance.now();
  const people = await provisionPeople(deployment, { count: sessionsWanted, tenantSlug: 'riverside', scope: 'Healthcare-PHI', prefix: 'soak.agent' });
  const signInSeconds = Number(((performance.now() - provisionStarted) / 1000).toFixed(1));
  if (values['stale-verification']) {
    await owner.query("UPDATE sessions SET last_verified_at = last_verified_at - interval '10 minutes' WHERE id = ANY ($1::uuid[])", [people.map((p) => p.session.sessionId)]);
  }
  const base = new URL(deployment.baseUrl);
  // One keep-alive agent per workstation address; the in-flight cap bounds the sockets in all.
  const agents = new Map<string, http.Agent>();
  const agentOf = (p: Person) => {
    let a = agents.get(p.localAddress);
    if (!a) agents.set(p.localAddress, (a = new http.Agent({ keepAlive: true, maxSockets: maxInFlight })));
    return a;
  };
  // The step-up ceremony works before the run starts (a wrong setup fails here, not minutes later).
  await stepUp(people[0]!, agentOf(people[0]!), base, performance.now());

  // Capacity with the same mix (searches aside), closed loop at 32.
  const capacity = await runLoad({
    baseUrl: deployment.baseUrl, concurrency: 32, maxRequests: 1_000_000, maxSeconds: capacitySeconds, alive: deployment.alive,
    request: async (i, w) => {
      const r = await build(kindOf(i), i, people[(i + w) % people.length]!);
      return { method: r.method, path: r.path, headers: r.headers };
    },
  });
  const target = Math.max(1, Math.round(capacity.rps * fraction));

  // Open loop: requests start on a schedule whatever the answers, at most maxInFlight at a time.
  interface Window {
    started: number; latencies: number[]; errors: number; byCode: Record<string, number>; skipped: number;
    stepUps: number; stepUpMs: number[]; rssKb: number | null; fds: number | null; sockets: number | null; pgConnections: number | null;
  }
  const windows: Window[] = [];
  const newWindow = (): Window => ({ started: performance.now(), latencies: [], errors: 0, byCode: {}, skipped: 0, stepUps: 0, stepUpMs: [], rssKb: null, fds: null, sockets: null, pgConnections: null });
  let current = newWindow();
  let inFlight = 0;
  let issued = 0;
  let firstError: string | undefined;
  const countCode = (w: Window, key: string) => (w.byCode[key] = (w.byCode[key] ?? 0) + 1);
  const send = async (kind: Kind, i: number) => {
    inFlight += 1;
    const w = current;
    const person = people[i % people.length]!;
    try {
      if (person.steppingUp) await person.steppingUp;
      const once = async () => {
        const sentAt = performance.now();
        const a = await call(agentOf(person), base, person.localAddress, await build(kind, i, person));
        w.latencies.push(performance.now() - sentAt);
        return { a, sentAt };
      };
      let { a, sentAt } = await once();
      // R-SESS-3: the five-minute user verification has lapsed: re-verify with the passkey, then once more.
      if (a.status === 403 && a.code === 'STEP_UP_REQUIRED') {
        try {
          const ms = await stepUp(person, agentOf(person), base, sentAt);
          if (ms !== null) {
            w.stepUps += 1;
            w.stepUpMs.push(ms);
          }
        } catch (e) {
          w.errors += 1;
          countCode(w, `step-up:${(e as Error).message}`);
          firstError ??= (e as Error).message;
          return;
        }
        ({ a } = await once());
      }
      if (a.status !== EXPECTED[kind]) {
        w.errors += 1;
        countCode(w, `${kind}:${a.status}${a.code ? ` ${a.code}` : ''}`);
        firstError ??= `${kind}: HTTP ${a.status} ${a.code ?? ''}`.trim();
      }
    } catch (e) {
      w.errors += 1;
      countCode(w, `${kind}:transport`);
      firstError ??= (e as Error).message;
    } finally {
      inFlight -= 1;
    }
  };
  const closeWindow = async (w: Window) => {
    w.rssKb = deployment.serverRssKb();
    const d = descriptors(deployment.serverPid());
    w.fds = d?.fds ?? null;
    w.sockets = d?.sockets ?? null;
    w.pgConnections = await backends().catch(() => null);
    windows.push(w);
  };
  const started = performance.now();
  const end = started + minutes * 60_000;
  let nextWindowAt = started + windowSeconds * 1000;
  let lastSearch = started;
  const pending = new Set<Promise<void>>();
  const launch = (kind: Kind, i: number) => {
    const p = send(kind, i);
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  while (performance.now() < end && deployment.alive()) {
    const now = performance.now();
    if (now >= nextWindowAt) {
      const done = current;
      current = newWindow();
      nextWindowAt += windowSeconds * 1000;
      await closeWindow(done);
    }
    const due = Math.floor(((now - started) / 1000) * target) - issued;
    for (let k = 0; k < due; k += 1) {
      issued += 1;
      if (inFlight >= maxInFlight) {
        current.skipped += 1;
        continue;
      }
      launch(kindOf(issued), issued);
    }
    if (now - lastSearch >= 1000) {
      lastSearch = now;
      launch('search', issued);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const last = current;
  await Promise.all(pending);
  await closeWindow(last);
  for (const a of agents.values()) a.destroy();

  const pct = (xs: number[], p: number) => {
    if (xs.length === 0) return 0;
    const s = [...xs].sort((a, b) => a - b);
    return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2));
  };
  const shown = windows.map((w, i) => {
    const seconds = i < windows.length - 1 ? windowSeconds : Math.max(1, Math.min(windowSeconds, (end - w.started) / 1000));
    return {
      window: i + 1, fromSecond: Math.round((w.started - started) / 1000), requests: w.latencies.length, rps: Math.round(w.latencies.length / seconds),
      p50Ms: pct(w.latencies, 50), p99Ms: pct(w.latencies, 99), errors: w.errors, errorsByCode: w.byCode, skippedAtCap: w.skipped,
      stepUps: w.stepUps, stepUpP99Ms: pct(w.stepUpMs, 99),
      rssMiB: w.rssKb === null ? null : Number((w.rssKb / 1024).toFixed(1)), fds: w.fds, sockets: w.sockets, pgConnections: w.pgConnections,
    };
  });
  const afterWarmup = shown.slice(1);
  const p99s = afterWarmup.map((w) => w.p99Ms).filter((x) => x > 0);
  const growth = (a: number | null | undefined, b: number | null | undefined) => (a && b !== null && b !== undefined ? Number(((b - a) / a).toFixed(3)) : null);
  const errorsByCode: Record<string, number> = {};
  for (const w of shown) for (const [k, n] of Object.entries(w.errorsByCode)) errorsByCode[k] = (errorsByCode[k] ?? 0) + n;
  const summary = {
    bench: 'soak', sessions: sessionsWanted, staleVerification: values['stale-verification'], workstations: Math.min(WORKSTATIONS, sessionsWanted), minutes, windowSeconds, signInSeconds,
    capacityRps: capacity.rps, capacityP99Ms: capacity.p99Ms, capacityStatus: capacity.status, targetRps: target,
    survived: deployment.alive(), requests: shown.reduce((n, w) => n + w.requests, 0), errors: shown.reduce((n, w) => n + w.errors, 0), errorsByCode, firstError,
    skippedAtCap: shown.reduce((n, w) => n + w.skippedAtCap, 0),
    stepUps: shown.reduce((n, w) => n + w.stepUps, 0),
    p99SpreadAfterWarmup: p99s.length ? Number((Math.max(...p99s) / Math.min(...p99s)).toFixed(2)) : null,
    rssGrowthAfterWarmup: growth(shown[0]?.rssMiB, shown.at(-1)?.rssMiB),
    fdGrowthAfterWarmup: growth(shown[0]?.fds, shown.at(-1)?.fds),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))), cores: os.cpus().length,
    windows: shown,
  };
  console.log(`soak: ${sessionsWanted} sessions (${summary.workstations} workstation addresses), capacity ${capacity.rps} req/s (p99 ${capacity.p99Ms} ms; answers ${JSON.stringify(capacity.status)}), target ${target} req/s for ${minutes} min; load average ${summary.loadAverage.join(' ')} on ${summary.cores} cores`);
  console.log('window | from s | requests | req/s | p50 ms | p99 ms | errors | step-ups | step-up p99 ms | skipped at cap | RSS MiB | fds | sockets | PG connections');
  console.log('---|---|---|---|---|---|---|---|---|---|---|---|---|---');
  for (const w of shown) console.log([w.window, w.fromSecond, w.requests, w.rps, w.p50Ms, w.p99Ms, w.errors, w.stepUps, w.stepUpP99Ms, w.skippedAtCap, w.rssMiB, w.fds, w.sockets, w.pgConnections].join(' | '));
  console.log(`errors by code: ${Object.keys(errorsByCode).length ? Object.entries(errorsByCode).map(([k, n]) => `${k} ×${n}`).join(', ') : 'none'}`);
  console.log(`p99 spread after warm-up (max/min): ${summary.p99SpreadAfterWarmup}; RSS growth after warm-up: ${summary.rssGrowthAfterWarmup === null ? 'n/a' : `${(summary.rssGrowthAfterWarmup * 100).toFixed(1)}%`} (goal < 10%); fd growth: ${summary.fdGrowthAfterWarmup === null ? 'n/a' : `${(summary.fdGrowthAfterWarmup * 100).toFixed(1)}%`}`);
  console.log(JSON.stringify(summary));
  if (!summary.survived) process.exitCode = 1;
} finally {
  await owner.end().catch(() => {});
  await deployment.close();
}
