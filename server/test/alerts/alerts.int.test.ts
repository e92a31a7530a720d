// Outbound alerts (R-MON-1, R-WORK-4): an `alerts` outbox that modules write in their own
// transaction, sent by a leased job, signed with RFC 9421 by Ward's own key, published in
// /.well-known/jwks.json under its own kid. A receiver on loopback verifies the signature with the
// published key; a failing receiver gets retries with back-off, then a dead letter; every alert has
// its delivery status.
import assert from 'node:assert/strict';
import { createPublicKey, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createVerifier, httpbis } from 'http-message-signatures';
import { Writable } from 'node:stream';
import { buildApp } from '../../src/app.ts';
import { main, serverContext } from '../../src/cli/main.ts';
import { createAlertDelivery, enqueueAlert, listAlerts } from '../../src/modules/alerts/index.ts';
import { contentDigestMatches, SIGNED_COMPONENTS } from '../../src/modules/workload/index.ts';
import { ENGINES } from '../support/databases.ts';
import { insertTenant } from '../support/fixtures.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';

const ORIGIN = 'https://ward.test';
type App = Awaited<ReturnType<typeof buildApp>>;

interface Received { headers: IncomingMessage['headers']; body: Buffer; url: string }

for (const { engine, skip } of ENGINES) {
  describe(`outbound alerts on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: App;
    let receiver: Server;
    let receiverUrl: string;
    let answer = 200;
    const received: Received[] = [];
    let nowMs = Date.now();
    const clock = { now: () => new Date(nowMs) };
    const tenantId = randomUUID();

    const enqueue = (kind: string, facts: Record<string, string | number | boolean> = {}) =>
      t.deps.db.scoped({ tenantId, phiScopes: [], actorId: 'system:test', actorKind: 'system' }, (tx) => enqueueAlert(tx, { tenantId, kind, severity: 'high', facts }, clock.now()));
    const statusOf = async (id: string) =>
      (await t.deps.db.systemDb.query<{ status: string; attempts: number; last_status: number | null; next_attempt_at: Date }>('SELECT status, attempts, last_status, next_attempt_at FROM alerts WHERE id = $1', [id])).rows[0]!;

    /** The receiver's side: the key from Ward's published JWKS by the signature's keyid, the digest, the signature. */
    async function verifyWithPublishedKey(r: Received): Promise<boolean> {
      const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as { keys: Array<Record<string, unknown>> };
      if (!contentDigestMatches(r.headers['content-digest'], r.body)) return false;
      const result = await httpbis.verifyMessage({
        keyLookup: async (params) => {
          const jwk = jwks.keys.find((k) => k.kid === params.keyid);
          return jwk ? { id: String(jwk.kid), algs: ['ecdsa-p256-sha256'], verify: createVerifier(createPublicKey({ key: jwk as never, format: 'jwk' }), 'ecdsa-p256-sha256') } : null;
        },
        requiredFields: [...SIGNED_COMPONENTS], requiredParams: ['created', 'keyid', 'nonce'], notAfter: Number.MAX_SAFE_INTEGER,
      }, { method: 'POST', url: receiverUrl, headers: r.headers as Record<string, string> });
      return result === true;
    }

    before(async () => {
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({ headers: req.headers, body: Buffer.concat(chunks), url: req.url ?? '' });
          res.writeHead(answer).end();
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ward-alerts`;
      t = await createTestDeps(engine, { clock, env: { WARD_ORIGIN: ORIGIN, WARD_ALERT_WEBHOOK_URL: receiverUrl, WARD_EGRESS_ALLOW: '127.0.0.1' } });
      app = await buildApp(t.deps);
      await t.deps.db.systemDb.transaction((tx) => insertTenant(tx, tenantId, `alerts-${tenantId.slice(0, 8)}`));
    });
    after(async () => {
      await t?.deps.alertDelivery?.stop();
      await app?.close();
      await t?.close();
      await new Promise<void>((r) => receiver.close(() => r()));
    });

    test("Ward's alert key is published in the JWKS under its own kid, beside the token keys", async () => {
      const { keys } = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as { keys: Array<{ kid: string; alg: string }> };
      const { kid } = await t.deps.alertKey();
      const alertKey = keys.find((k) => k.kid === kid);
      assert.ok(alertKey && alertKey.kid.startsWith('ward-alerts-') && alertKey.alg === 'ES256');
      assert.ok(keys.some((k) => k.kid !== alertKey.kid), 'the token keys are still there');
      assert.ok(!JSON.stringify(keys).includes('"d"'), 'no private member');
    });

    test('a receiver on loopback verifies the signature with the published key; the alert reads delivered', async () => {
      answer = 200;
      const { id } = await enqueue('breakglass.used', { memberId: randomUUID(), reason: 'emergency' });
      const pass = await t.deps.alertDelivery!.deliverOnce();
      assert.deepEqual(pass, { isLeader: true, delivered: 1, retried: 0, deadLettered: 0 });
      const r = received.at(-1)!;
      assert.equal(JSON.parse(r.body.toString()).id, id);
      assert.equal(await verifyWithPublishedKey(r), true);
      assert.equal(await verifyWithPublishedKey({ ...r, body: Buffer.from(r.body.toString().replace('emergency', 'routine')) }), false, 'an altered alert does not verify');
      const s = await statusOf(id);
      assert.deepEqual([s.status, s.attempts, s.last_status], ['delivered', 1, 200]);
      const listed = await t.deps.db.scoped({ tenantId, phiScopes: [], actorId: 'system:test', actorKind: 'system' }, (tx) => listAlerts(tx));
      assert.equal(listed.find((a) => a.id === id)?.status, 'delivered');
    });

    test('one sender at a time: a second server does not send while the first holds the lease', async () => {
      await enqueue('detection.denialSpike');
      const other = createAlertDelivery({ systemDb: t.deps.db.systemDb, egress: t.deps.egress, key: t.deps.alertKey, url: new URL(receiverUrl), clock, holder: 'other-server' });
      assert.equal((await other.deliverOnce()).isLeader, false);
      assert.equal((await t.deps.alertDelivery!.deliverOnce()).delivered, 1);
    });

    test('a failing receiver gets retries with back-off, then a dead letter', async () => {
      await t.deps.alertDelivery!.stop(); // releases the lease for the job under test
      answer = 503;
      const job = createAlertDelivery({ systemDb: t.deps.db.systemDb, egress: t.deps.egress, key: t.deps.alertKey, url: new URL(receiverUrl), clock, maxAttempts: 3, backoffBaseSeconds: 10, holder: 'retrying-server' });
      const { id } = await enqueue('detection.exportBurst', { count: 12 });
      const before = received.length;
      assert.deepEqual(await job.deliverOnce(), { isLeader: true, delivered: 0, retried: 1, deadLettered: 0 });
      let s = await statusOf(id);
      assert.deepEqual([s.status, s.attempts, s.last_status, s.next_attempt_at.getTime()], ['pending', 1, 503, nowMs + 10_000]);
      assert.equal((await job.deliverOnce()).retried, 0, 'not due yet: nothing is sent');
      nowMs += 10_000;
      assert.equal((await job.deliverOnce()).retried, 1);
      s = await statusOf(id);
      assert.deepEqual([s.attempts, s.next_attempt_at.getTime()], [2, nowMs + 20_000], 'the wait doubles');
      nowMs += 20_000;
      assert.equal((await job.deliverOnce()).deadLettered, 1);
      s = await statusOf(id);
      assert.deepEqual([s.status, s.attempts], ['dead_letter', 3]);
      const dead = await t.deps.db.systemDb.query<{ attempts: number; last_status: number; last_error: string }>('SELECT attempts, last_status, last_error FROM alert_dead_letters WHERE alert_id = $1', [id]);
      assert.deepEqual(dead.rows, [{ attempts: 3, last_status: 503, last_error: 'http_503' }]);
      assert.equal(received.length - before, 3, 'three attempts reached the receiver');
      nowMs += 3_600_000;
      assert.equal((await job.deliverOnce()).deadLettered + (await job.deliverOnce()).retried, 0, 'a dead letter is not sent again');
      await job.stop();
    });

    test('ward alert list shows the delivery status of each alert', async () => {
      let out = '';
      const io = { stdin: process.stdin, stdout: new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }), stderr: new Writable({ write: (_c, _e, done) => done() }), env: {} };
      assert.equal(await main(['alert', 'list', '--tenant', `alerts-${tenantId.slice(0, 8)}`, '--status', 'dead_letter', '--json'], io as never, serverContext(t.deps)), 0);
      const rows = out.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; status: string; attempts: number });
      assert.deepEqual(rows.map((r) => [r.kind, r.status, r.attempts]), [['detection.exportBurst', 'dead_letter', 3]]);
    });

    test('an alert carries flat PHI-free facts only', async () => {
      await assert.rejects(enqueue('Bad Kind'), { code: 'BAD_REQUEST' });
      await assert.rejects(enqueue('detection.x', { note: 'x'.repeat(300) }), { code: 'BAD_REQUEST' });
    });
  });
}
