// R-OPS-1, R-AUDIT-2: Ward under database faults fails closed and says so — 503 SERVICE_UNAVAILABLE
// with Retry-After, never a 500, a hang or a crash — and recovers by itself. Three faults on real
// PostgreSQL: the database goes away and comes back (every connection cut and new ones refused, through
// a loopback proxy in front of it, as a restart or a network partition looks to Ward); the pool is
// exhausted (a bounded queue, then immediate refusals); and a slow database (a statement held by a
// lock is cancelled by the statement timeout).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/logging.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import { POSTGRES_SKIP_REASON, postgresTestUrls, postgresUrl } from '../support/databases.ts';
import { createTestDeps } from '../support/deps.ts';
import { signIn } from '../support/session-client.ts';

const demo = generateDemo(1);
const tenant = demo.tenants.find((t) => t.slug === 'riverside')!;
const patients = demo.patients.filter((p) => p.tenantId === tenant.id && p.phiScope === 'Healthcare-PHI');
const AGENT = 'alex.agent@riverside.test';
const skip = postgresUrl ? false : POSTGRES_SKIP_REASON;

/** A TCP proxy in front of PostgreSQL that can go down (cutting every connection) and come back. */
function databaseProxy(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  return {
    async up(): Promise<number> {
      server = createServer((client) => {
        const upstream = createConnection(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
      return port;
    },
    async down(): Promise<void> {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    },
  };
}

function via(url: string, port: number): string {
  const u = new URL(url);
  u.host = `127.0.0.1:${port}`;
  return u.href;
}

/** The demo seeded, a demo Agent signed in, and `read(i)`: a guarded read of the i-th patient in the Agent's scope. */
async function seededReader(deps: Deps) {
  await seedDemo(deps.db.systemDb, demo, { cipher: deps.cipher });
  const session = await signIn(deps, AGENT);
  const app = await buildApp(deps);
  const read = async (i: number) => {
    const url = `/v1/patients/${patients[i % patients.length]!.id}`;
    return app.inject({ method: 'GET', url, headers: { ...(await session.headers('GET', url)), 'ward-purpose': 'TREAT' } });
  };
  return { app, read };
}

function assertUnavailable(res: { statusCode: number; headers: Record<string, unknown>; body: string }, what: string): void {
  assert.equal(res.statusCode, 503, `${what}: ${res.statusCode} ${res.body}`);
  assert.equal(JSON.parse(res.body).code, 'SERVICE_UNAVAILABLE', what);
  assert.ok(Number(res.headers['retry-after']) >= 1, `${what}: Retry-After`);
  for (const p of patients) assert.ok(!res.body.includes(p.familyName) && !res.body.includes(p.mrn), `${what}: no PHI in the error`);
}

describe('database faults on PostgreSQL', { skip }, () => {
  test('the database goes away: requests fail closed with 503 and Retry-After; when it is back, Ward recovers by itself', async () => {
    const database = await postgresTestUrls({ prefix: 'ward_test_faults_' });
    const proxy = databaseProxy(new URL(postgresUrl!));
    const dataDir = mkdtempSync(join(tmpdir(), 'ward-faults-'));
    const logLines: string[] = [];
    const port = await proxy.up();
    const env = {
      WARD_DATA_DIR: dataDir, WARD_DATABASE_URL: via(database.appUrl, port), WARD_MIGRATION_DATABASE_URL: via(database.ownerUrl, port),
      WARD_DB_ACQUIRE_TIMEOUT_MS: '1000', WARD_DB_POOL_SIZE: '4',
    };
    const deps = await createDeps(loadConfig(env), { migrate: true, serve: true, logger: createLogger('info', new Writable({ write: (c, _e, done) => (logLines.push(String(c)), done()) })) });
    try {
      const { app, read } = await seededReader(deps);
      assert.equal((await read(0)).statusCode, 200);

      await proxy.down();
      const started = Date.now();
      for (let i = 1; i <= 5; i += 1) assertUnavailable(await read(i), `request ${i} while the database is down`);
      assert.ok(Date.now() - started < 15_000, 'refusals come quickly, not after a hang');

      await proxy.up();
      let status = 0;
      for (let i = 0; status !== 200 && i < 60; i += 1) {
        status = (await read(10 + i)).statusCode;
        if (status !== 200) {
          assert.equal(status, 503);
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      assert.equal(status, 200, 'Ward serves again once the database is back, with no restart');
      // Each allowed read committed with its audit record; the refused ones have none (nothing was read).
      const { rows } = await deps.db.systemDb.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = 'patient.view' AND decision = 'allow'", [tenant.id]);
      assert.equal(rows[0]!.n, 2);
      const log = logLines.join('');
      assert.match(log, /database: (connection_|pool_acquire_timeout|unreachable)/);
      for (const p of patients) assert.ok(!log.includes(p.familyName), 'no PHI in the log');
      await app.close();
    } finally {
      await deps.close().catch(() => {});
      await proxy.down();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('pool exhaustion and a slow database: a bounded queue, then 503 with Retry-After; statements held too long are cancelled; no 500, no crash', async () => {
    const t = await createTestDeps('postgres', {
      env: { WARD_DB_POOL_SIZE: '2', WARD_DB_QUEUE_LIMIT: '2', WARD_DB_ACQUIRE_TIMEOUT_MS: '1000', WARD_DB_STATEMENT_TIMEOUT_MS: '1500' },
    });
    const locker = new pg.Client({ connectionString: t.env.WARD_MIGRATION_DATABASE_URL });
    try {
      const { deps } = t;
      const { app, read } = await seededReader(deps);
      assert.equal((await read(0)).statusCode, 200);

      // A slow database: every read of patients waits behind this lock until its statement times out.
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE patients IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => read(i + 1)));
      const seconds = (Date.now() - started) / 1000;
      answers.forEach((res, i) => assertUnavailable(res, `request ${i + 1} of 12 against two connections`));
      assert.ok(seconds < 10, `all answered within the timeouts (${seconds} s)`);
      const log = t.logLines.join('');
      assert.match(log, /database: statement_timeout/, 'a held statement was cancelled');
      assert.match(log, /database: (pool_queue_full|pool_acquire_timeout)/, 'requests past the queue were refused');
      await locker.query('ROLLBACK');

      assert.equal((await read(20)).statusCode, 200, 'served again once the database is quick');
      await app.close();
    } finally {
      await locker.end().catch(() => {});
      await t.close();
    }
  });
});
