// DESIGN.md, R-AUTHZ-7: two Ward servers on one PostgreSQL database behave as one. A device proof
// spent at one server is refused at the other (RFC 9449 §11.1, R-SESS-4), and a rate limit counts
// the requests of both (R-MON-1). Two real server processes, as behind a load balancer: one origin.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { POSTGRES_SKIP_REASON, postgresUrl } from '../support/databases.ts';
import { problemCodeOf } from '../support/problem.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const root = new URL('../../../', import.meta.url).pathname;
const ORIGIN = 'https://ward.test';
const ports = [18400 + (process.pid % 40), 18450 + (process.pid % 40)] as const;

function startServer(env: Record<string, string>, port: number): { child: ChildProcess; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env, WARD_PORT: String(port), WARD_HOST: '127.0.0.1', WARD_ORIGIN: ORIGIN, WARD_LOG_LEVEL: 'warn', WARD_DEMO_SEED: 'never' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

async function healthy(port: number, output: () => string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server on ${port} did not answer /healthz: ${output()}`);
}

describe('two Ward servers on one PostgreSQL database', { skip: postgresUrl ? false : POSTGRES_SKIP_REASON }, () => {
  let t: TestDeps;
  let agent: TestSession;
  const servers: { child: ChildProcess; output: () => string }[] = [];
  const at = (i: 0 | 1, path: string) => `http://127.0.0.1:${ports[i]}${path}`;

  before(async () => {
    t = await createTestDeps('postgres', { env: { WARD_ORIGIN: ORIGIN }, demo: 1 });
    agent = await signIn(t.deps, 'alex.agent@riverside.test');
    for (const port of ports) servers.push(startServer(t.env, port));
    await Promise.all(ports.map((port, i) => healthy(port, servers[i]!.output)));
  });
  after(async () => {
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => (s.child.exitCode === null ? new Promise((r) => s.child.on('exit', r)) : null)));
    await t?.close();
  });

  test('a device proof spent at one server is refused at the other', async () => {
    const headers = await agent.headers('GET', '/v1/me');
    const first = await fetch(at(0, '/v1/me'), { headers });
    assert.equal(first.status, 200, await first.text());
    const replayed = await fetch(at(1, '/v1/me'), { headers });
    assert.equal(replayed.status, 401);
    assert.equal(await problemCodeOf(replayed), 'DEVICE_PROOF_INVALID');
    // And the other way round, with a fresh proof.
    const again = await agent.headers('GET', '/v1/me');
    assert.equal((await fetch(at(1, '/v1/me'), { headers: again })).status, 200);
    assert.equal((await fetch(at(0, '/v1/me'), { headers: again })).status, 401);
  });

  test('the ceremony rate limit (100 per address per minute) counts the requests of both servers', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) {
      const res = await fetch(at((i % 2) as 0 | 1, '/v1/auth/sign-in/options'), { method: 'POST', headers: await agent.headers('POST', '/v1/auth/sign-in/options') });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    assert.deepEqual(statuses.slice(0, 100).filter((s) => s !== 200), [], 'the first 100, 50 at each server, pass');
    assert.equal(statuses[100], 429, 'the 101st is refused, though each server saw only about 50');
  });
});
