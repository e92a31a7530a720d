// R-OPS-1, R-AUDIT-3, R-SESS-4, R-AUTHN-1: three Ward servers on one PostgreSQL behave as one service
// behind a round-robin client. Each server is a real process as `npm start` runs it, with the same
// origin, keyring, audit signing key and heads directory (docs/scaling.md). A session made anywhere
// is served everywhere and ends everywhere at a sign-out; a device proof spent at one is refused at
// the others; the per-principal list limit counts the requests of all three; a WebAuthn challenge
// issued by one server is answered at another, and once only; one sealer holds the lease, seals the
// events of all three into one chain, and another takes over when it stops.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { softPasskey } from '../../src/drill/authenticator.ts';
import { deviceKey, htu, type DeviceKey } from '../../src/drill/clients.ts';
import { LIST_REQUESTS_PER_MINUTE } from '../../src/deps.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { POSTGRES_SKIP_REASON, postgresUrl } from '../support/databases.ts';
import { deployOnPostgres, type Deployment, type Instance } from '../support/load/deployment.ts';
import { AGENTS } from '../support/load/scenarios.ts';
import type { TestSession } from '../support/session-client.ts';

const demo = generateDemo();
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const patients = demo.patients.filter((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI').map((p) => p.id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('three Ward servers on one PostgreSQL behind a round-robin client', { skip: postgresUrl ? false : POSTGRES_SKIP_REASON }, () => {
  let deployment: Deployment;
  let extra: Instance[];
  let servers: string[];
  let origin: string;
  let owner: pg.Client;
  let next = 0;
  /** The round-robin client: each call goes to the next server. */
  const nextServer = () => servers[next++ % servers.length]!;

  before(async () => {
    deployment = await deployOnPostgres({ databasePrefix: 'ward_test_instances_', env: { WARD_LOG_LEVEL: 'warn', WARD_AUDIT_SEAL_INTERVAL_MS: '250' } });
    extra = [await deployment.addServer(), await deployment.addServer()];
    servers = [deployment.baseUrl, ...extra.map((e) => e.baseUrl)];
    origin = `http://localhost:${new URL(deployment.baseUrl).port}`;
    owner = new pg.Client({ connectionString: deployment.where.ownerUrl });
    await owner.connect();
  });
  after(async () => {
    await owner?.end().catch(() => {});
    await deployment?.close();
  });

  const get = async (server: string, session: TestSession, path: string, extraHeaders: Record<string, string> = {}) =>
    fetch(`${server}${path}`, { headers: { ...(await session.headers('GET', path)), ...extraHeaders } });

  test('a session is served by every server, and a sign-out at one ends it at all', async () => {
    const session = await deployment.signIn(AGENTS[0]!);
    for (let i = 0; i < 6; i += 1) {
      const res = await get(nextServer(), session, '/v1/me');
      assert.equal(res.status, 200, await res.text());
    }
    const outAt = servers[1]!;
    const res = await fetch(`${outAt}/v1/auth/logout`, { method: 'POST', headers: await session.headers('POST', '/v1/auth/logout') });
    assert.equal(res.status, 204, await res.text());
    for (const server of servers) {
      const after = await get(server, session, '/v1/me');
      assert.equal(after.status, 401, `${server} refuses the signed-out session`);
      await after.arrayBuffer();
    }
  });

  test('a device proof spent at one server is refused at each of the others', async () => {
    const session = await deployment.signIn(AGENTS[1]!);
    for (let spentAt = 0; spentAt < servers.length; spentAt += 1) {
      const headers = await session.headers('GET', '/v1/me');
      const first = await fetch(`${servers[spentAt]}/v1/me`, { headers });
      assert.equal(first.status, 200);
      await first.arrayBuffer();
      for (let other = 0; other < servers.length; other += 1) {
        if (other === spentAt) continue;
        const replayed = await fetch(`${servers[other]}/v1/me`, { headers });
        assert.equal(replayed.status, 401);
        assert.equal(((await replayed.json()) as { code: string }).code, 'DEVICE_PROOF_INVALID');
      }
    }
  });

  test(`the per-principal list limit (${LIST_REQUESTS_PER_MINUTE} a minute) counts the requests of all three servers`, async () => {
    const session = await deployment.signIn(AGENTS[0]!);
    const statuses: number[] = [];
    for (let i = 0; i <= LIST_REQUESTS_PER_MINUTE; i += 1) {
      const res = await get(nextServer(), session, '/v1/patients', { 'ward-purpose': 'TREAT' });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    assert.deepEqual(statuses.slice(0, LIST_REQUESTS_PER_MINUTE).filter((s) => s !== 200), [], `the first ${LIST_REQUESTS_PER_MINUTE}, about a third at each server, pass`);
    assert.equal(statuses[LIST_REQUESTS_PER_MINUTE], 429, 'the next is refused, though each server saw only a third');
  });

  test('a WebAuthn challenge issued by one server is answered at another, and only once', async () => {
    const email = `several.instances.${Date.now()}@riverside.test`;
    const invited = await deployment.cli(['member', 'invite', '--tenant', 'riverside', '--email', email, '--role', 'Agent']);
    const token = /#token=(\S+)/.exec(invited)?.[1];
    assert.ok(token, invited);
    const device: DeviceKey = await deviceKey();
    const passkey = softPasskey(origin);
    const post = async (server: string, path: string, body: unknown, cookie?: string) => {
      const res = await fetch(`${server}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, dpop: await device.proof('POST', htu(origin, path)), ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown>, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! };
    };
    // Enrollment: options from server 0, the registration verified at server 1.
    const enrollOptions = await post(servers[0]!, '/v1/auth/enroll/options', { token });
    assert.equal(enrollOptions.status, 200, JSON.stringify(enrollOptions.json));
    const enrolled = await post(servers[1]!, '/v1/auth/enroll/verify', { token, response: passkey.register(enrollOptions.json as never) });
    assert.equal(enrolled.status, 200, JSON.stringify(enrolled.json));
    // Sign-in: options from server 1, the assertion verified at server 2; the same answer at server 0 is a replay.
    const signInOptions = await post(servers[1]!, '/v1/auth/sign-in/options', {});
    assert.equal(signInOptions.status, 200);
    const response = passkey.assert(signInOptions.json as never);
    const signedIn = await post(servers[2]!, '/v1/auth/sign-in/verify', { response });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.json));
    const replayed = await post(servers[0]!, '/v1/auth/sign-in/verify', { response });
    assert.ok(replayed.status === 400 || replayed.status === 401, `a spent challenge is refused at another server (${replayed.status})`);
    // Step-up: options from server 2, the user verification at server 0, with the session from server 2.
    const stepUpOptions = await post(servers[2]!, '/v1/auth/step-up/options', {}, signedIn.cookie);
    assert.equal(stepUpOptions.status, 200, JSON.stringify(stepUpOptions.json));
    const steppedUp = await post(servers[0]!, '/v1/auth/step-up/verify', { response: passkey.assert(stepUpOptions.json as never) }, signedIn.cookie);
    assert.equal(steppedUp.status, 200, JSON.stringify(steppedUp.json));
  });

  test('one sealer holds the lease and seals the events of all three into one chain; when it stops, another takes over', { timeout: 180_000 }, async () => {
    const session = await deployment.signIn(AGENTS[1]!);
    const readRoundRobin = async (n: number) => {
      for (let i = 0; i < n; i += 1) {
        const res = await get(nextServer(), session, `/v1/patients/${patients[i % patients.length]}`, { 'ward-purpose': 'TREAT' });
        assert.equal(res.status, 200);
        await res.arrayBuffer();
      }
    };
    const sealedAll = async () => {
      for (let i = 0; i < 240; i += 1) {
        const { rows } = await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events e WHERE NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_id = e.id)');
        if (rows[0]!.n === 0) return;
        await sleep(250);
      }
      assert.fail('events left unsealed');
    };
    const holder = async () => (await owner.query<{ holder: string }>("SELECT holder FROM leases WHERE name = 'audit-sealer' AND expires_at > clock_timestamp()")).rows[0]?.holder;
    await readRoundRobin(30);
    await sealedAll();
    const first = await holder();
    assert.ok(first, 'a server holds the sealer lease');
    // The holder names its process: find which of the three it is, and stop that one.
    const pidOf = (h: string) => Number(h.split(':')[1]);
    const pids = [deployment.serverPid(), ...extra.map((e) => e.pid)];
    const leader = pids.indexOf(pidOf(first));
    assert.ok(leader >= 0, `the lease holder ${first} is one of the three servers`);
    if (leader === 0) await deployment.stopServer();
    else await extra[leader - 1]!.stop();
    servers = servers.filter((_, i) => i !== leader);

    await readRoundRobin(30);
    await sealedAll();
    const second = await holder();
    assert.ok(second && second !== first && pids.includes(pidOf(second)), 'another of the servers took the lease over');
    const verify = await deployment.cli(['audit', 'verify']);
    for (const line of verify.trim().split('\n').filter((l) => l.startsWith('tenant '))) assert.match(line, /^tenant \S+: ok, \d+ events/, verify);
    const { rows } = await owner.query<{ n: number; max: number }>('SELECT count(*)::int AS n, max(s.seq)::int AS max FROM audit_events e JOIN audit_seals s ON s.event_id = e.id WHERE e.tenant_id = $1', [riverside.id]);
    assert.equal(rows[0]!.max, rows[0]!.n, 'one gap-free chain');
  });
});
