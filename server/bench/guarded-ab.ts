/**
 * `npm run bench:guarded-ab` — Ward's CPU per guarded PHI read, two source trees side by side (R-OPS-1,
 * issue 31). On a shared, loaded machine one run's figures say what the machine did; this compares
 * two versions of Ward under the same load: each tree runs in a child process of its own (its own
 * module graph, Cedar instance and database), guarded reads (`GET /v1/patients/:id` as demo Agents,
 * a fresh device proof each, `Ward-Purpose: TREAT`) go through `inject()` `--concurrency` at a time,
 * and the two children take turns, batch by batch (A then B, then B then A, …). Each batch's CPU is
 * the child's `process.cpuUsage()` over the batch (all its threads; the proofs are signed before it).
 * Prints one JSON line: each tree's median CPU µs per request, and the median and quartiles of the
 * pairs' ratios B/A.
 *
 *   WARD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:guarded-ab -- \
 *     --a /path/to/tree-a --b /path/to/tree-b [--pairs 30] [--batch 200] [--concurrency 8] [--warmup-requests 3000] \
 *     [--node-args="--max-semi-space-size=32"] [--node-args-b="…"]
 * Each tree is a checkout of the repository (its server/src and server/test/support are loaded); the
 * same tree twice, with different `--node-args-b`, compares V8 settings.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    a: { type: 'string', default: '' },
    b: { type: 'string', default: '' },
    pairs: { type: 'string', default: '30' },
    batch: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '8' },
    'warmup-requests': { type: 'string', default: '3000' },
    'node-args': { type: 'string', default: '' },
    'node-args-b': { type: 'string', default: '' },
    child: { type: 'string', default: '' },
  },
});

interface BatchResult {
  cpuUs: number;
  wallUs: number;
  requests: number;
}

if (values.child) await child(resolve(values.child));
else await parent();

async function parent(): Promise<void> {
  const pairs = Number(values.pairs);
  const batch = Number(values.batch);
  const concurrency = Number(values.concurrency);
  const warmupRequests = Number(values['warmup-requests']);
  if (!values.a || !values.b) throw new Error('--a and --b name the two trees');
  if (![pairs, batch, concurrency].every((n) => Number.isInteger(n) && n >= 1) || !(warmupRequests >= 0)) throw new Error('--pairs, --batch, --concurrency: whole numbers ≥ 1');
  const argsA = values['node-args'].split(/\s+/).filter(Boolean);
  const argsB = values['node-args-b'] ? values['node-args-b'].split(/\s+/).filter(Boolean) : argsA;
  const self = new URL(import.meta.url).pathname;
  const spawn = (tree: string, nodeArgs: string[]) =>
    fork(self, ['--child', tree, '--concurrency', String(concurrency)], { execArgv: [...nodeArgs, '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const children = { a: spawn(values.a, argsA), b: spawn(values.b, argsB) };
  try {
    await Promise.all([ready(children.a), ready(children.b)]);
    // Warm-up one after the other, so that each has the machine as the other had it.
    for (let done = 0; done < warmupRequests; done += batch) {
      await run(children.a, batch);
      await run(children.b, batch);
    }
    const a: number[] = [];
    const b: number[] = [];
    const ratios: number[] = [];
    for (let p = 0; p < pairs; p++) {
      const order = p % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
      const got: Partial<Record<'a' | 'b', number>> = {};
      for (const k of order) {
        const r = await run(children[k], batch);
        got[k] = r.cpuUs / r.requests;
      }
      a.push(got.a!);
      b.push(got.b!);
      ratios.push(got.b! / got.a!);
    }
    const q = (xs: number[], f: number) => {
      const s = [...xs].sort((x, y) => x - y);
      return s[Math.min(s.length - 1, Math.floor(f * s.length))]!;
    };
    const r3 = (n: number) => Number(n.toFixed(3));
    console.log(JSON.stringify({
      bench: 'guarded-ab', pairs, batch, concurrency,
      a: { tree: values.a, nodeArgs: argsA, cpuUsPerRequest: Math.round(q(a, 0.5)) },
      b: { tree: values.b, nodeArgs: argsB, cpuUsPerRequest: Math.round(q(b, 0.5)) },
      ratioBtoA: { median: r3(q(ratios, 0.5)), q1: r3(q(ratios, 0.25)), q3: r3(q(ratios, 0.75)) },
      loadAverage1m: r3((await import('node:os')).loadavg()[0]!),
    }));
  } finally {
    for (const c of Object.values(children)) c.send({ stop: true });
  }
}

function ready(c: ChildProcess): Promise<void> {
  return new Promise((res, rej) => {
    c.once('message', (m: { ready?: boolean; error?: string }) => (m.ready ? res() : rej(new Error(m.error))));
    c.once('exit', (code) => rej(new Error(`child exited ${code}`)));
  });
}

function run(c: ChildProcess, n: number): Promise<BatchResult> {
  return new Promise((res, rej) => {
    c.once('message', (m: BatchResult & { error?: string }) => (m.error ? rej(new Error(m.error)) : res(m)));
    c.send({ batch: n });
  });
}

/** One tree: its deps on a fresh PostgreSQL database with the demo data, its app, signed-in Agents. */
async function child(tree: string): Promise<void> {
  const concurrency = Number(values.concurrency);
  try {
    const { createTestDeps } = await import(`${tree}/server/test/support/deps.ts`);
    const { signIn } = await import(`${tree}/server/test/support/session-client.ts`);
    const { generateDemo } = await import(`${tree}/server/src/modules/demo/index.ts`);
    const { buildApp } = await import(`${tree}/server/src/app.ts`);
    const t = await createTestDeps('postgres', { env: { WARD_ORIGIN: 'https://ward.bench' }, demo: 1 });
    const d = generateDemo(1);
    const tenant = d.tenants.find((x: { slug: string }) => x.slug === 'riverside');
    const ids: string[] = d.patients.filter((p: { tenantId: string; phiScope: string }) => p.tenantId === tenant.id && p.phiScope === 'Healthcare-PHI').map((p: { id: string }) => p.id);
    const { rows } = await t.deps.db.systemDb.query(
      `SELECT m.email FROM members m WHERE m.tenant_id = $1 AND m.status = 'active'
          AND EXISTS (SELECT 1 FROM member_roles r WHERE r.member_id = m.id AND r.role = 'Agent')
          AND EXISTS (SELECT 1 FROM member_phi_scopes p WHERE p.member_id = m.id AND p.phi_scope = 'Healthcare-PHI') ORDER BY m.email LIMIT 2`, [tenant.id]);
    const sessions: { headers(method: string, path: string): Promise<Record<string, string>> }[] = [];
    for (let i = 0; i < concurrency; i++) sessions.push(await signIn(t.deps, (rows[i % rows.length] as { email: string }).email));
    const app = await buildApp(t.deps);
    let next = 0;
    const runBatch = async (n: number): Promise<BatchResult> => {
      const requests: { url: string; headers: Record<string, string> }[] = [];
      for (let i = 0; i < n; i++) {
        const url = `/v1/patients/${ids[next++ % ids.length]}`;
        requests.push({ url, headers: { ...(await sessions[i % concurrency]!.headers('GET', url)), 'ward-purpose': 'TREAT' } });
      }
      t.logLines.length = 0;
      let i = 0;
      let failure: string | undefined;
      const worker = async () => {
        while (i < requests.length) {
          const r = requests[i++]!;
          const res = await app.inject({ method: 'GET', url: r.url, headers: r.headers });
          if (res.statusCode !== 200) failure ??= `status ${res.statusCode}`;
        }
      };
      const cpu0 = process.cpuUsage();
      const wall0 = process.hrtime.bigint();
      await Promise.all(Array.from({ length: concurrency }, worker));
      const cpu = process.cpuUsage(cpu0);
      const wallUs = Number(process.hrtime.bigint() - wall0) / 1000;
      if (failure) throw new Error(failure);
      return { cpuUs: cpu.user + cpu.system, wallUs, requests: n };
    };
    process.on('message', (m: { batch?: number; stop?: boolean }) => {
      if (m.stop) {
        void app.close().then(() => t.close()).finally(() => process.exit(0));
        return;
      }
      runBatch(m.batch!).then((r) => process.send!(r), (e: Error) => process.send!({ error: e.message }));
    });
    process.send!({ ready: true });
  } catch (e) {
    process.send!({ error: (e as Error).message });
    process.exit(1);
  }
}
