/**
 * `npm run bench:http` — what a user feels (R-OPS-1): a guarded PHI read over HTTP through the whole
 * pipeline (session cookie and a freshly signed device proof on every request, Cedar, the scoped RLS
 * transaction, decryption, masking, the audit row and its durable commit) against two bare Fastify
 * routes over the same database with the same pool size, in the same run:
 *   bare            reads the same patient row, nothing else (server/bench/load/bare-server.ts)
 *   bareWithInsert  reads it and commits one audit-sized row: the one durable commit a guarded read owes
 * at concurrency 1, 8 and 32, on PostgreSQL (when WARD_TEST_DATABASE_URL is set) and on the embedded
 * engine. Ward runs as `npm start` runs it (a child process after `ward migrate` and `ward demo
 * seed`); the load driver signs each request's proof in this process. First `--warmup-requests`
 * guarded reads at the highest concurrency, so that the points measure a server whose request path V8
 * has optimised (steady state); then each point: a warm-up, then a closed loop bounded in requests and
 * seconds. Then `breakdown`: where a guarded read's time goes,
 * measured in this process one request at a time (authenticate, scope, settle, riskFacts, accessState,
 * load, decide, handle, audit, commit, and the whole request through inject(); see `breakdown`), on
 * PostgreSQL when available.
 *
 * Prints one JSON line:
 *   {"bench":"http","postgres":{"c1":{"guarded":{"rps","p50Ms","p99Ms",…},"bare":{…},"bareWithInsert":{…},
 *    "ratio","ratioToInsert"},"c8":…,"c32":…},"embedded":{…},"durability":{…},"breakdown":{…}}
 * `ratio` is guarded rps over bare rps, `ratioToInsert` over bareWithInsert; `wardCpuMsPerRequest` is
 * the Ward process's CPU per guarded request (from /proc, all its threads), steadier than rps on a shared
 * machine; `wardMainThreadCpuMsPerRequest` its main thread's alone (the event loop: the rest is V8's
 * compiler and garbage collector threads).
 *
 *   WARD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:http -- \
 *     [--concurrency 1,8,32] [--seconds 10] [--warmup 2] [--warmup-requests 3000] [--requests 200000] [--engines postgres,embedded] \
 *     [--breakdown-iterations 300] [--node-args="--max-opt=2"] [--log-level info] [--cpu-profile DIR]
 *
 * `--cpu-profile DIR` runs the Ward server under `node --cpu-prof` (its profile is written to DIR when it
 * stops) and adds `cpuProfile` to each engine: where the server's CPU went during the guarded points
 * (not their warm-ups), by category and function (cpu-profile.ts). The profiler costs CPU of its own, so
 * a profiled run's rates and CPU per request are not figures to compare with an unprofiled run's.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { TenantId } from '@ward/contracts';
import { buildApp } from '../src/app.ts';
import { generateDemo } from '../src/modules/demo/index.ts';
import { seedDemo } from '../src/modules/demo/seed.ts';
import { loadSealedPatient, openPatient } from '../src/modules/phi/index.ts';
import { createAuditWriter, type IssuedRecord } from '../src/modules/audit/index.ts';
import { readAccessState } from '../src/modules/elevation/index.ts';
import { READ_ONLY_FROM_HERE } from '../src/modules/access/guard-audit.ts';
import type { Tx } from '../src/db/types.ts';
import { createRiskAssessor, createRiskFactReader, loadRiskRules } from '../src/modules/risk/index.ts';
import { postgresUrl } from '../test/support/databases.ts';
import { createTestDeps } from '../test/support/deps.ts';
import { deployEmbedded, deployOnPostgres, freeLoopbackPort, spawnServer, type Deployment } from '../test/support/load/deployment.ts';
import { runLoad, type LoadResult } from '../test/support/load/driver.ts';
import { AGENTS, scenario } from '../test/support/load/scenarios.ts';
import { signIn } from '../test/support/session-client.ts';
import { interleavedMedianUs } from './timing.ts';
import { monotonicUs, summariseCpuProfile } from './cpu-profile.ts';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '1,8,32' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    'warmup-requests': { type: 'string', default: '3000' },
    requests: { type: 'string', default: '200000' },
    engines: { type: 'string', default: 'postgres,embedded' },
    'breakdown-iterations': { type: 'string', default: '300' },
    'node-args': { type: 'string', default: '' },
    'log-level': { type: 'string', default: 'info' },
    'cpu-profile': { type: 'string', default: '' },
  },
});
const levels = values.concurrency.split(',').map(Number);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const warmupRequests = Number(values['warmup-requests']);
const requests = Number(values.requests);
const engines = values.engines.split(',').map((e) => e.trim());
const breakdownN = Number(values['breakdown-iterations']);
if (levels.some((c) => !Number.isInteger(c) || c < 1 || c > 256) || !(seconds > 0 && seconds <= 3600) || !(warmup >= 0) || !(Number.isInteger(warmupRequests) && warmupRequests >= 0) || !(requests >= 1) || !(breakdownN >= 1)) {
  throw new Error('--concurrency takes whole numbers 1..256; --seconds up to 3600; --warmup, --warmup-requests, --requests and --breakdown-iterations positive');
}
if (engines.some((e) => e !== 'postgres' && e !== 'embedded')) throw new Error('--engines takes postgres and/or embedded');
const nodeArgs = values['node-args'].split(/\s+/).filter(Boolean);
const profileDir = values['cpu-profile'] ? resolve(values['cpu-profile']) : '';
const root = new URL('../../', import.meta.url).pathname;
const round = (n: number, d = 3) => Number(n.toFixed(d));

const demo = generateDemo();
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const patientIds = demo.patients.filter((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI').map((p) => p.id);

type Point = Pick<LoadResult, 'rps' | 'p50Ms' | 'p90Ms' | 'p99Ms' | 'requests' | 'serverErrors' | 'transportErrors' | 'checkFailures'> & {
  wardCpuMsPerRequest?: number | null;
  wardMainThreadCpuMsPerRequest?: number | null;
  firstFailure?: string;
};

/** The Ward process's CPU so far (ms): all its threads, and its main thread alone (the event loop). */
interface CpuReading {
  all: number | null;
  main: number | null;
}

const perRequest = (ms: number | null, r: LoadResult) => (ms === null || r.requests === 0 ? null : round(ms / r.requests));

function point(r: LoadResult, cpu?: CpuReading): Point {
  return {
    rps: r.rps, p50Ms: r.p50Ms, p90Ms: r.p90Ms, p99Ms: r.p99Ms, requests: r.requests, serverErrors: r.serverErrors, transportErrors: r.transportErrors, checkFailures: r.checkFailures,
    ...(cpu ? { wardCpuMsPerRequest: perRequest(cpu.all, r), wardMainThreadCpuMsPerRequest: perRequest(cpu.main, r) } : {}),
    ...(r.firstCheckFailure || r.firstTransportError ? { firstFailure: r.firstCheckFailure ?? r.firstTransportError } : {}),
  };
}

const TICK_MS = 1000 / 100; // USER_HZ, 100 on Linux

/** utime + stime (ms) of one thread of `pid` (its main thread: tid = pid), from /proc; null where there is none. */
function threadCpuMs(pid: number | undefined, tid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/** One measured point after a warm-up at the same concurrency; its span of time joins `windows` when given. */
async function measure(baseUrl: string, concurrency: number, s: Pick<Parameters<typeof runLoad>[0], 'request' | 'check' | 'alive'>, cpu?: () => CpuReading, windows?: { fromUs: number; toUs: number }[]): Promise<Point> {
  if (warmup > 0) await runLoad({ baseUrl, concurrency, maxRequests: requests, maxSeconds: warmup, ...s });
  const cpu0 = cpu?.();
  const fromUs = monotonicUs();
  const r = await runLoad({ baseUrl, concurrency, maxRequests: requests, maxSeconds: seconds, ...s });
  windows?.push({ fromUs, toUs: monotonicUs() });
  const cpu1 = cpu?.();
  const spent = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : b - a);
  return point(r, cpu0 && cpu1 ? { all: spent(cpu0.all, cpu1.all), main: spent(cpu0.main, cpu1.main) } : undefined);
}

function bareCheck(status: number, body: Buffer): void {
  if (status !== 200 || !body.includes('"rows":1')) throw new Error(`status ${status}`);
}

async function benchEngine(engine: 'postgres' | 'embedded'): Promise<Record<string, unknown>> {
  const maxC = Math.max(...levels);
  const env = { WARD_LOG_LEVEL: values['log-level'] };
  const profiling = profileDir ? join(profileDir, engine) : '';
  if (profiling) mkdirSync(profiling, { recursive: true });
  const wardArgs = profiling ? [...nodeArgs, '--cpu-prof', `--cpu-prof-dir=${profiling}`, '--cpu-prof-interval', '500'] : nodeArgs;
  const deployment: Deployment = engine === 'postgres'
    ? await deployOnPostgres({ databasePrefix: 'ward_bench_', nodeArgs: wardArgs, env })
    : await deployEmbedded({ nodeArgs: wardArgs, env, signIns: Array.from({ length: maxC }, (_, i) => AGENTS[i % AGENTS.length]!) });
  const out: Record<string, unknown> = {};
  const windows: { fromUs: number; toUs: number }[] = [];
  const wardPid = deployment.serverPid();
  try {
    const guarded = await scenario('guarded', deployment, maxC);
    const cpu = (): CpuReading => ({ all: deployment.serverCpuMs(), main: threadCpuMs(wardPid, wardPid) });
    // Steady state: V8 optimises the request path's functions only once they are hot, on compiler
    // threads whose CPU counts in the process's. With only each point's warm-up, those threads took
    // 16–38% of the process's CPU in the measured windows (docs/scaling.md, fifth pass).
    if (warmupRequests > 0) {
      const w = await runLoad({ baseUrl: deployment.baseUrl, concurrency: maxC, maxRequests: warmupRequests, maxSeconds: 300, ...guarded, alive: deployment.alive });
      out.warmup = { requests: w.requests, seconds: round(w.requests / Math.max(w.rps, 1e-9), 1), serverErrors: w.serverErrors };
    }
    for (const c of levels) {
      out[`c${c}`] = { guarded: await measure(deployment.baseUrl, c, { ...guarded, alive: deployment.alive }, cpu, windows) };
    }
    // The embedded engine's data directory has one user at a time: Ward stops before the bare server opens it.
    if (engine === 'embedded') await deployment.stopServer();
    const port = await freeLoopbackPort();
    const bareEnv: NodeJS.ProcessEnv = { ...process.env, BARE_PORT: String(port), BARE_POOL_SIZE: '10' };
    delete bareEnv.NODE_OPTIONS;
    if (engine === 'postgres') bareEnv.BARE_DATABASE_URL = deployment.where.ownerUrl;
    else bareEnv.BARE_DATA_DIR = deployment.where.dataDir;
    const bare = await spawnServer([...nodeArgs, '--import', 'tsx', 'server/bench/load/bare-server.ts'], bareEnv, port);
    try {
      for (const c of levels) {
        const row = out[`c${c}`] as Record<string, unknown>;
        row.bare = await measure(bare.baseUrl, c, { request: (i) => ({ method: 'GET', path: `/bare/${patientIds[i % patientIds.length]}`, headers: {} }), check: bareCheck, alive: bare.alive });
        row.bareWithInsert = await measure(bare.baseUrl, c, { request: (i) => ({ method: 'GET', path: `/bare-insert/${patientIds[i % patientIds.length]}`, headers: {} }), check: bareCheck, alive: bare.alive });
        const g = (row.guarded as Point).rps;
        row.ratio = round(g / Math.max(1, (row.bare as Point).rps));
        row.ratioToInsert = round(g / Math.max(1, (row.bareWithInsert as Point).rps));
      }
    } finally {
      await bare.stop();
    }
  } finally {
    await deployment.close();
  }
  // The server writes its profile as it exits (close() above): the main thread's file names its pid.
  const file = profiling ? readdirSync(profiling).find((f) => f.includes(`.${wardPid}.0.`) && f.endsWith('.cpuprofile')) : undefined;
  if (profiling) out.cpuProfile = file ? { file: join(profiling, file), ...summariseCpuProfile(join(profiling, file), windows) } : { missing: `no profile of process ${wardPid} in ${profiling}` };
  return out;
}

/** How durable a commit is on each engine: the settings a guarded read's one commit waits on. */
async function durability(): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  if (postgresUrl && engines.includes('postgres')) {
    const c = new pg.Client({ connectionString: postgresUrl });
    await c.connect();
    try {
      for (const name of ['synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'full_page_writes', 'server_version']) {
        result[name] = (await c.query<Record<string, string>>(`SHOW ${name}`)).rows[0]![name];
      }
    } finally {
      await c.end();
    }
  }
  if (engines.includes('embedded')) {
    const { version } = JSON.parse(readFileSync(`${root}node_modules/@electric-sql/pglite/package.json`, 'utf8')) as { version: string };
    result.embedded = { engine: `PGlite ${version}`, note: 'in-process WebAssembly PostgreSQL; commits are written to its data directory through the Node file system' };
  }
  return result;
}

/**
 * Where one guarded read's time goes, in µs, one request at a time in this process (no HTTP): each
 * stage as the guard runs it, measured on its own (the marginal cost of a statement in a scoped
 * transaction is the transaction with it less the empty one). The stages are measured in interleaved
 * rounds (median of each), so that all of them meet the same load on a shared machine:
 *   authenticate  the session link: cookie, device proof (ES256), the session-state lookup
 *   scope         BEGIN, the scope settings and COMMIT of an empty scoped transaction
 *   settle        the proof's replay id and the session's idle slide, in the request's transaction
 *                 (with the group commit's read-only switch after them, as the guard sends it)
 *   riskFacts     R-SESS-2: the one statement of live risk facts and their assessment
 *   accessState   R-GOV-5, R-ELEV-1: the locks and active elevations
 *   load          the sealed patient row (the route's one read)
 *   decide        Cedar (the PDP request as the guard builds it, and the decision)
 *   handle        decryption of the shown fields and the masked view
 *   audit         the record in the transaction: the audit writer's MAC'd issue (group commit, the
 *                 default) or the in-transaction append
 *   commit        the wait for the record's durable commit (the writer's batch), or the append's commit
 *   framework     a public route that does nothing (GET /livez) through inject(): Fastify's routing, the
 *                 hooks every request passes (request id, server time, NUL check, the authentication
 *                 chain's public-route exit, metrics), serialisation and the request's log line
 * `other` is the whole request through inject() less the stages: what the guarded route adds to the
 * framework's work (parameter validation, the authentication chain's own steps, a larger reply) and
 * the enforcement point's own work (building the decision's request and audit event). The guard sends
 * settle, riskFacts and accessState in one round trip, so their separate costs overstate it; when the
 * stages add up to more than the whole, `other` is negative.
 */
async function breakdown(engine: 'postgres' | 'embedded'): Promise<Record<string, unknown>> {
  const t = await createTestDeps(engine, { env: { WARD_ORIGIN: 'https://ward.bench' } });
  const writer = t.deps.config.audit.reads === 'grouped' ? createAuditWriter({ db: t.deps.db }) : undefined;
  try {
    const { deps } = t;
    const d = generateDemo(1);
    await seedDemo(deps.db.systemDb, d, { cipher: deps.cipher });
    const tenant = d.tenants.find((x) => x.slug === 'riverside') ?? d.tenants[0]!;
    const ids = d.patients.filter((p) => p.tenantId === tenant.id && p.phiScope === 'Healthcare-PHI').map((p) => p.id);
    const { rows } = await deps.db.systemDb.query<{ email: string }>(
      `SELECT m.email FROM members m WHERE m.tenant_id = $1 AND m.status = 'active'
          AND EXISTS (SELECT 1 FROM member_roles r WHERE r.member_id = m.id AND r.role = 'Agent')
          AND EXISTS (SELECT 1 FROM member_phi_scopes p WHERE p.member_id = m.id AND p.phi_scope = 'Healthcare-PHI') ORDER BY m.email LIMIT 1`, [tenant.id]);
    const session = await signIn(deps, rows[0]!.email);
    const chain = deps.authenticators.find((a) => a.credential === 'session')!;
    const url = (i: number) => `/v1/patients/${ids[i % ids.length]}`;
    const authRequest = async (i: number) => ({ method: 'GET', url: `https://ward.bench${url(i)}`, headers: await session.headers('GET', url(i)), sourceIp: '127.0.0.1' });
    const who = (await chain.authenticate(await authRequest(0))).authenticated;
    const scope = { tenantId: tenant.id, phiScopes: ['Healthcare-PHI' as const], actorId: who.principal.id, actorKind: 'human' as const };
    const tenantId = tenant.id as TenantId;
    const risk = createRiskAssessor({ rules: loadRiskRules(deps.pdp.policiesDir), read: createRiskFactReader({}), clock: deps.clock });
    const resource = { type: 'Patient', id: ids[0]!, tenant: tenant.id, phiScope: 'Healthcare-PHI' as const };
    const decision = deps.pdp.decide(deps.guard.pdpRequest(who, 'patient.view', resource, { purpose: 'TREAT' }));
    const masked = new Set(decision.obligations.maskFields ?? []);
    const shown = (['mrn', 'memberNumber', 'givenName', 'familyName', 'dateOfBirth', 'phone', 'email', 'addressLine', 'city', 'zip', 'ssn'] as const).filter((f) => !masked.has(f));
    const sealed = await deps.db.scoped(scope, (tx) => loadSealedPatient(tx, tenantId, ids[0]!));
    if (!sealed) throw new Error('the patient is not visible to the bench session');
    const event = (i: number) => ({ tenantId: tenant.id, actorKind: 'human' as const, actorId: who.principal.id, sessionId: session.sessionId, action: 'patient.view', targetType: 'Patient', targetId: ids[i % ids.length]!, decision: 'allow' as const, outcome: 'success' as const, policyIds: ['permit-agent'], reasons: ['permit'], metadata: { justified: false } });
    const record = async (tx: Tx, i: number): Promise<IssuedRecord | undefined> => {
      if (writer) return writer.issue(tx, event(i));
      await deps.audit.append(tx, event(i));
      return undefined;
    };
    const app = await buildApp(deps);
    let i = 0;
    const ready = (fn: (n: number) => Promise<unknown>) => async () => {
      const n = i++;
      return () => fn(n);
    };
    const medians = await interleavedMedianUs(breakdownN, {
      authenticate: async () => {
        const ar = await authRequest(i++);
        return () => chain.authenticate(ar);
      },
      empty: ready(() => deps.db.scoped(scope, async () => {})),
      settle: async () => {
        const { settle } = await chain.authenticate(await authRequest(i++));
        // As the guard settles a grouped read: its commit then waits for no WAL flush of its own.
        return () => deps.db.scoped(scope, async (tx) => {
          await settle(tx);
          if (writer) await tx.query(READ_ONLY_FROM_HERE);
        }, writer ? { asyncCommit: true } : {});
      },
      riskFacts: ready(() => deps.db.scoped(scope, (tx) => risk.assess(tx, who, { sourceIp: '203.0.113.7' }))),
      accessState: ready(() => deps.db.scoped(scope, (tx) => readAccessState(tx, who, deps.clock.now()))),
      load: ready((n) => deps.db.scoped(scope, (tx) => loadSealedPatient(tx, tenantId, ids[n % ids.length]!))),
      decide: ready(async () => deps.pdp.decide(deps.guard.pdpRequest(who, 'patient.view', resource, { purpose: 'TREAT' }))),
      handle: ready(() => openPatient(deps.cipher, tenantId, sealed, { fields: shown })),
      framework: ready(async () => {
        const res = await app.inject({ method: 'GET', url: '/livez' });
        if (res.statusCode !== 200) throw new Error(`/livez answered ${res.statusCode}`);
      }),
      recorded: ready((n) => deps.db.scoped(scope, (tx) => record(tx, n))),
      durable: ready(async (n) => {
        const issued = await deps.db.scoped(scope, (tx) => record(tx, n));
        if (writer && issued) await writer.commit(issued);
      }),
      whole: async () => {
        const headers = { ...(await session.headers('GET', url(i))), 'ward-purpose': 'TREAT' };
        const path = url(i++);
        return async () => {
          const res = await app.inject({ method: 'GET', url: path, headers });
          if (res.statusCode !== 200) throw new Error(`guarded read answered ${res.statusCode}`);
        };
      },
    });
    await app.close();
    const empty = medians.empty;
    const stages = {
      authenticate: medians.authenticate,
      scope: empty,
      settle: Math.max(0, medians.settle - empty),
      riskFacts: Math.max(0, medians.riskFacts - empty),
      accessState: Math.max(0, medians.accessState - empty),
      load: Math.max(0, medians.load - empty),
      decide: medians.decide,
      handle: medians.handle,
      audit: Math.max(0, medians.recorded - empty),
      commit: Math.max(0, medians.durable - medians.recorded),
      framework: medians.framework,
    };
    const sum = Object.values(stages).reduce((a, b) => a + b, 0);
    return {
      engine, iterations: breakdownN, unit: 'µs, median, one request at a time, stages interleaved', auditReads: writer ? 'grouped' : 'in-transaction',
      ...stages, other: medians.whole - sum, wholeRequest: medians.whole, authenticationShare: round(medians.authenticate / medians.whole),
    };
  } finally {
    await writer?.close();
    await t.close();
  }
}

const result: Record<string, unknown> = { bench: 'http', node: process.version, cpus: os.cpus().length };
for (const engine of engines as ('postgres' | 'embedded')[]) {
  if (engine === 'postgres' && !postgresUrl) {
    result.postgres = { skipped: 'WARD_TEST_DATABASE_URL is not set' };
    continue;
  }
  result[engine] = await benchEngine(engine);
}
result.durability = await durability();
result.breakdown = await breakdown(postgresUrl && engines.includes('postgres') ? 'postgres' : 'embedded');
result.loadAverage1m = round(os.loadavg()[0]!, 2);
console.log(JSON.stringify(result));
