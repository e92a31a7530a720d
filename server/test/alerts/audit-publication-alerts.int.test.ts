// R-AUDIT-3, R-MON-1: signed tree heads that cannot be published page an operator through the alerts
// outbox and its delivery job, not only a log line. Each change the publication guard tells (late,
// refusing, published again) becomes one alert per tenant concerned — the tenants with a head still
// unpublished, and at the end those that were told — once per episode however many servers report
// it; the delivery job sends them to the webhook like any other alert. The end-to-end path (the
// sealer, a broken heads directory or witness, the guard) is in
// server/test/faults/audit-publication-faults.int.test.ts.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AUDIT_PUBLICATION_ALERTS, auditPublicationAlerter, raiseAuditPublicationAlerts } from '../../src/modules/alerts/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { insertTenant } from '../support/fixtures.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const { engine, skip } of ENGINES) {
  describe(`audit publication alerts on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let receiver: Server;
    const received: { tenantId: string; kind: string; severity: string; facts: Record<string, unknown> }[] = [];
    let nowMs = Date.now();
    const clock = { now: () => new Date(nowMs) };
    const waiting = randomUUID();
    const upToDate = randomUUID();
    const facts = { lagSeconds: 160, maxLagSeconds: 300 };

    const alertsOf = async (tenantId: string) =>
      (await t.deps.db.systemDb.query<{ kind: string; severity: string; facts: Record<string, unknown> }>('SELECT kind, severity, facts FROM alerts WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId])).rows;
    const raise = (state: 'late' | 'refusing' | 'published') => {
      nowMs += 1000;
      return raiseAuditPublicationAlerts(t.deps.db.systemDb, { state, ...facts }, clock.now());
    };

    before(async () => {
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          received.push(JSON.parse(body));
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ward-alerts`;
      t = await createTestDeps(engine, { clock, env: { WARD_ALERT_WEBHOOK_URL: url, WARD_EGRESS_ALLOW: '127.0.0.1' } });
      await t.deps.db.systemDb.transaction(async (tx) => {
        await insertTenant(tx, waiting, `heads-waiting-${waiting.slice(0, 8)}`);
        await insertTenant(tx, upToDate, `heads-out-${upToDate.slice(0, 8)}`);
        const head = "INSERT INTO audit_tree_heads (tenant_id, tree_size, root_hash, signed_at, key_id, signature, published_at) VALUES ($1, $2, 'r', '2026-12-06T10:00:00Z', 'k', 's', $3)";
        await tx.query(head, [waiting, 1, new Date()]);
        await tx.query(head, [waiting, 2, null]); // this tenant's newest head has not left the database
        await tx.query(head, [upToDate, 1, new Date()]);
      });
    });
    after(async () => {
      await t?.deps.alertDelivery?.stop();
      await t?.close();
      await new Promise<void>((r) => receiver.close(() => r()));
    });

    test('late, then refusing: one alert each for the tenant whose head waits, none for a tenant whose heads are out, none twice', async () => {
      assert.equal(await raise('late'), 1);
      assert.equal(await raise('late'), 0, 'a second server reporting the same change adds nothing');
      assert.equal(await raise('refusing'), 1);
      assert.equal(await raise('refusing'), 0);
      assert.deepEqual((await alertsOf(waiting)).map((a) => `${a.kind} ${a.severity}`), ['audit.heads_unpublished high', 'audit.records_refused critical']);
      assert.deepEqual((await alertsOf(waiting))[1]!.facts, facts, 'facts are the lag and the bound, nothing else');
      assert.deepEqual(await alertsOf(upToDate), []);
    });

    test('published again: the tenants that were told hear it once; a new episode is told again', async () => {
      await t.deps.db.systemDb.query('UPDATE audit_tree_heads SET published_at = now() WHERE published_at IS NULL');
      assert.equal(await raise('published'), 1);
      assert.equal(await raise('published'), 0);
      assert.deepEqual(await alertsOf(upToDate), [], 'a tenant never told is not told the end');
      await t.deps.db.systemDb.query("INSERT INTO audit_tree_heads (tenant_id, tree_size, root_hash, signed_at, key_id, signature) VALUES ($1, 3, 'r', '2026-12-06T11:00:00Z', 'k', 's')", [waiting]);
      assert.equal(await raise('late'), 1, 'the next outage is a new episode');
      assert.deepEqual((await alertsOf(waiting)).map((a) => a.kind), ['audit.heads_unpublished', 'audit.records_refused', 'audit.heads_published', 'audit.heads_unpublished']);
    });

    test('the alerter the guard calls writes them, and the delivery job sends them to the webhook (the page)', async () => {
      await t.deps.db.systemDb.query("INSERT INTO audit_tree_heads (tenant_id, tree_size, root_hash, signed_at, key_id, signature) VALUES ($1, 2, 'r', '2026-12-06T11:00:00Z', 'k', 's')", [upToDate]);
      const alerter = auditPublicationAlerter({ systemDb: t.deps.db.systemDb, clock });
      nowMs += 1000;
      alerter('refusing', { lagSeconds: 301, maxLagSeconds: 300 });
      for (let i = 0; i < 100 && (await alertsOf(upToDate)).length === 0; i += 1) await sleep(50);
      assert.deepEqual((await alertsOf(upToDate)).map((a) => a.kind), [AUDIT_PUBLICATION_ALERTS.refusing.kind]);
      assert.equal((await alertsOf(waiting)).at(-1)!.kind, AUDIT_PUBLICATION_ALERTS.refusing.kind, 'the open episode of the other tenant goes on to refusing');
      const delivery = t.deps.alertDelivery!;
      assert.ok(delivery, 'WARD_ALERT_WEBHOOK_URL set: delivery is wired');
      nowMs += 1000;
      const r = await delivery.deliverOnce();
      assert.equal(r.isLeader, true);
      const pages = received.filter((a) => a.kind.startsWith('audit.')).map((a) => `${a.tenantId === waiting ? 'waiting' : 'other'} ${a.kind} ${a.severity}`).sort();
      assert.deepEqual(pages, [
        'other audit.records_refused critical',
        'waiting audit.heads_published info',
        'waiting audit.heads_unpublished high',
        'waiting audit.heads_unpublished high',
        'waiting audit.records_refused critical',
        'waiting audit.records_refused critical',
      ]);
    });
  });
}
