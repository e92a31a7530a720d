// R-AUDIT-2, R-AUDIT-3, R-OPS-1: kill -9 of the server under load. The server runs as `npm start` runs
// it (a real child process on PostgreSQL as ward_app); signed-in Agents read patients at a modest
// concurrency; mid-run the server process gets SIGKILL, with requests in flight. Afterwards: nothing
// answers on its port (the process is gone, not a survivor); the restarted server serves the same
// sessions; every PHI response a client received has its committed audit record (R-AUDIT-2: both
// commit together or neither does); no row is half-written (every event sealed once, gap-free seqs,
// a signed head covering each tenant's whole log, every head published); and `ward audit verify`
// passes for every tenant against the heads published outside the database.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { POSTGRES_SKIP_REASON, postgresUrl } from '../support/databases.ts';
import { deployOnPostgres, type Deployment } from '../support/load/deployment.ts';
import { AGENTS } from '../support/load/scenarios.ts';
import type { TestSession } from '../support/session-client.ts';

/** Modest on purpose: the point is requests in flight at the kill, not throughput (a shared machine). */
const WORKERS = 4;
const ANSWERS_BEFORE_KILL = 200;

const demo = generateDemo();
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const patients = demo.patients.filter((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI').map((p) => p.id);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('kill -9 of the server under load, on PostgreSQL', { skip: postgresUrl ? false : POSTGRES_SKIP_REASON }, () => {
  let deployment: Deployment;
  let owner: pg.Client;
  before(async () => {
    deployment = await deployOnPostgres({ databasePrefix: 'ward_test_kill_', env: { WARD_LOG_LEVEL: 'warn' } });
    owner = new pg.Client({ connectionString: deployment.where.ownerUrl });
    await owner.connect();
  });
  after(async () => {
    await owner?.end().catch(() => {});
    await deployment?.close();
  });

  test('every PHI response a client received has its audit record, no row is half-written, and the chain verifies after the restart', { timeout: 300_000 }, async (t) => {
    const sessions: TestSession[] = [];
    for (let w = 0; w < WORKERS; w += 1) sessions.push(await deployment.signIn(AGENTS[w % AGENTS.length]!));
    /** `${sessionId} ${patientId}` → PHI responses (200 with the patient's record) received. */
    const received = new Map<string, number>();
    let answered = 0;
    let failed = 0;
    let killed = false;
    /** One read; false once the kill has cut it off (no answer, so no promise made to the client). */
    const read = async (session: TestSession, i: number): Promise<boolean> => {
      const patientId = patients[i % patients.length]!;
      const path = `/v1/patients/${patientId}`;
      const headers = { ...(await session.headers('GET', path)), 'ward-purpose': 'TREAT' };
      let res: Response;
      let body: string;
      try {
        res = await fetch(`${deployment.baseUrl}${path}`, { headers, signal: AbortSignal.timeout(30_000) });
        body = await res.text();
      } catch (e) {
        if (!killed) throw e;
        failed += 1;
        return false;
      }
      if (res.status !== 200) {
        assert.ok(killed, `before the kill every read succeeds (${res.status} ${body.slice(0, 200)})`);
        return false;
      }
      assert.ok(body.includes(patientId), 'a 200 carries the patient asked for');
      const key = `${session.sessionId} ${patientId}`;
      received.set(key, (received.get(key) ?? 0) + 1);
      answered += 1;
      return true;
    };
    let workerError: unknown;
    const workers = sessions.map(async (session, w) => {
      for (let i = w; await read(session, i); i += WORKERS);
    }).map((p) => p.catch((e: unknown) => void (workerError ??= e)));
    await until('answers before the kill', 180_000, async () => {
      if (workerError !== undefined) throw workerError;
      return answered >= ANSWERS_BEFORE_KILL ? true : undefined;
    });
    const pid = deployment.serverPid();
    killed = true;
    deployment.kill();
    await until('the killed server to exit', 10_000, async () => (deployment.exit() ?? undefined));
    assert.equal(deployment.exit()?.signal, 'SIGKILL');
    // The process that served is gone: nothing answers on the port any more.
    assert.throws(() => process.kill(pid!, 0), { code: 'ESRCH' });
    await assert.rejects(fetch(`${deployment.baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) }));
    // Workers still running get their connection refused or reset; each stops at its first failure.
    await Promise.race([Promise.all(workers), sleep(35_000)]);
    if (workerError !== undefined) throw workerError;
    const answeredAtKill = answered;

    await deployment.restart();
    // The sessions live in PostgreSQL: the restarted server serves them without a new sign-in.
    for (const session of sessions) {
      const path = `/v1/patients/${patients[0]!}`;
      const res = await fetch(`${deployment.baseUrl}${path}`, { headers: { ...(await session.headers('GET', path)), 'ward-purpose': 'TREAT' } });
      assert.equal(res.status, 200, 'a session made before the kill is served after the restart');
      await res.arrayBuffer();
      received.set(`${session.sessionId} ${patients[0]!}`, (received.get(`${session.sessionId} ${patients[0]!}`) ?? 0) + 1);
    }

    // The killed server's sealer lease expires (10 s); the restarted server's sealer then seals all.
    await until('every committed event sealed and every head published', 120_000, async () => {
      const { rows } = await owner.query<{ unsealed: number; unpublished: number }>(
        `SELECT (SELECT count(*)::int FROM audit_events e WHERE NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_id = e.id)) AS unsealed,
                (SELECT count(*)::int FROM audit_tree_heads WHERE published_at IS NULL) AS unpublished`);
      return rows[0]!.unsealed === 0 && rows[0]!.unpublished === 0 ? true : undefined;
    });

    // R-AUDIT-2: every PHI response received has its audit record (same session, same patient).
    const { rows: views } = await owner.query<{ session_id: string; target_id: string; n: number }>(
      `SELECT session_id::text, target_id, count(*)::int AS n FROM audit_events
        WHERE tenant_id = $1 AND action = 'patient.view' AND decision = 'allow' GROUP BY 1, 2`, [riverside.id]);
    const recorded = new Map(views.map((r) => [`${r.session_id} ${r.target_id}`, r.n]));
    let missing = 0;
    for (const [key, n] of received) if ((recorded.get(key) ?? 0) < n) missing += n - (recorded.get(key) ?? 0);
    assert.equal(missing, 0, 'PHI responses without their audit record');
    const recordedViews = views.reduce((s, r) => s + r.n, 0);

    // No half-written seals: each tenant's events carry seqs 1..n (audit_seals, 0085) with both hashes,
    // and its newest signed head covers all n.
    const { rows: tenants } = await owner.query<{ tenant_id: string; n: number; max_seq: number; hashed: number; head_size: number | null }>(
      `SELECT e.tenant_id::text, count(*)::int AS n, max(s.seq)::int AS max_seq,
              count(*) FILTER (WHERE s.leaf_hash IS NOT NULL AND s.chain_hash IS NOT NULL AND s.tenant_id = e.tenant_id)::int AS hashed,
              (SELECT max(h.tree_size)::int FROM audit_tree_heads h WHERE h.tenant_id = e.tenant_id) AS head_size
         FROM audit_events e LEFT JOIN audit_seals s ON s.event_id = e.id GROUP BY e.tenant_id`);
    for (const r of tenants) {
      assert.equal(r.max_seq, r.n, `tenant ${r.tenant_id}: gap-free seqs`);
      assert.equal(r.hashed, r.n, `tenant ${r.tenant_id}: every event hashed`);
      assert.equal(r.head_size, r.n, `tenant ${r.tenant_id}: a signed head covers the whole log`);
    }
    const { rows: duplicates } = await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT tenant_id, seq FROM audit_seals GROUP BY 1, 2 HAVING count(*) > 1) d');
    assert.equal(duplicates[0]!.n, 0, 'no seq sealed twice');

    // R-AUDIT-3: the chain and the signed heads verify, against the heads in the database and in the
    // heads directory.
    const verify = await deployment.cli(['audit', 'verify']);
    const lines = verify.trim().split('\n').filter((l) => l.startsWith('tenant '));
    assert.ok(lines.length >= 2, verify);
    for (const line of lines) assert.match(line, /^tenant \S+: ok, \d+ events/, verify);

    t.diagnostic(JSON.stringify({ answeredBeforeKill: answeredAtKill, cutOffByKill: failed, recordedViews, receivedViews: [...received.values()].reduce((a, b) => a + b, 0), tenants: tenants.length }));
  });
});
