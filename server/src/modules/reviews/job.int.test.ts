// R-GOV-1: the access review schedule on both engines, driven by a fake clock: the quarter's campaign
// starts once, a campaign past its deadline is closed with its unattested items revoked (or only
// reported, when the tenant turned auto-revoke off), a tenant can turn the quarterly start off, and
// the server's hourly timer runs it (Node's mocked timers).
import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import { createAuditLog } from '../audit/index.ts';
import { quarterStart, runReviewSchedule, startReviewJob } from './index.ts';
import { ENGINES, type TestDatabase } from '../../../test/support/databases.ts';
import { insertMember, insertTenant } from '../../../test/support/fixtures.ts';

const A = '3c000000-0000-4000-8000-000000000000';
const B = '3d000000-0000-4000-8000-000000000000';
const C = '3e000000-0000-4000-8000-000000000000';
const uuid = (prefix: string, n: number) => `${prefix}${String(n).padStart(6, '0')}-0000-4000-8000-000000000000`;
const DAY = 86_400_000;

test('a quarter starts on the first of January, April, July and October (UTC)', () => {
  assert.equal(quarterStart(new Date('2026-11-30T23:59:59Z')).toISOString(), '2026-10-01T00:00:00.000Z');
  assert.equal(quarterStart(new Date('2027-01-01T00:00:00Z')).toISOString(), '2027-01-01T00:00:00.000Z');
  assert.equal(quarterStart(new Date('2027-06-30T12:00:00Z')).toISOString(), '2027-04-01T00:00:00.000Z');
});

for (const { engine, open, skip } of ENGINES) {
  describe(`the access review schedule on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDatabase;
    let now = new Date('2026-10-05T09:00:00Z');
    const clock = { now: () => now };
    const audit = createAuditLog();
    const deps = () => ({ db: t.db, audit, clock });
    const started = (tenantId: string) => t.superuser((tx) => tx.query<{ name: string; closed_at: Date | null }>(
      'SELECT name, closed_at FROM access_review_campaigns WHERE tenant_id = $1 ORDER BY started_at', [tenantId])).then((r) => r.rows);
    const roles = (memberId: string) => t.superuser((tx) => tx.query<{ role: string }>('SELECT role FROM member_roles WHERE member_id = $1', [memberId])).then((r) => r.rows.map((x) => x.role));

    before(async () => {
      t = await open();
      await t.superuser(async (tx) => {
        await insertTenant(tx, A, 'schedule-a');
        await insertTenant(tx, B, 'schedule-b');
        await insertTenant(tx, C, 'schedule-c');
        // B keeps what was not attested (reported only); C starts its campaigns by hand.
        await tx.query(`UPDATE tenants SET settings = settings || '{"accessReviews": {"autoRevoke": false}}'::jsonb WHERE id = $1`, [B]);
        await tx.query(`UPDATE tenants SET settings = settings || '{"accessReviews": {"quarterly": false}}'::jsonb WHERE id = $1`, [C]);
        for (const [tenant, n] of [[A, 1], [B, 2], [C, 3]] as const) {
          await insertMember(tx, { id: uuid('ad', n), tenantId: tenant, email: `admin@${n}.test`, roles: ['Admin'], scopes: [] });
          await insertMember(tx, { id: uuid('ae', n), tenantId: tenant, email: `agent@${n}.test`, roles: ['Agent'], scopes: ['Healthcare-PHI'] });
        }
      });
    });
    after(async () => t?.close());

    test("the quarter's campaign starts once per tenant, not where the tenant turned the schedule off", async () => {
      const run = await runReviewSchedule(deps());
      assert.equal(run.ran, true);
      assert.deepEqual(run.failed, []);
      assert.deepEqual(run.started.map((c) => [c.tenantId, c.name, c.items]).sort(), [[A, '2026-Q4', 3], [B, '2026-Q4', 3]]);
      assert.deepEqual(run.expired, []);
      now = new Date(now.getTime() + 3_600_000);
      const again = await runReviewSchedule(deps());
      assert.deepEqual([again.started, again.expired], [[], []], 'one campaign a quarter');
      assert.deepEqual(await started(C), []);
      const audited = await t.superuser((tx) => tx.query("SELECT tenant_id FROM audit_events WHERE action = 'review.start' ORDER BY tenant_id"));
      assert.equal(audited.rowCount, 2);
    });

    test('a server holding the lease keeps a second from running the schedule at once', async () => {
      await t.superuser((tx) => tx.query("INSERT INTO leases (name, holder, expires_at) VALUES ('access-reviews', 'another-server', now() + interval '5 minutes')"));
      assert.equal((await runReviewSchedule(deps())).ran, false);
      await t.superuser((tx) => tx.query("DELETE FROM leases WHERE name = 'access-reviews'"));
    });

    test('past the deadline the campaign closes: unattested items are revoked, or only reported where auto-revoke is off', async () => {
      now = new Date('2026-10-05T09:00:00Z');
      now = new Date(now.getTime() + 14 * DAY - 60_000);
      assert.deepEqual((await runReviewSchedule(deps())).expired, [], 'a minute before the deadline nothing closes');
      now = new Date(now.getTime() + 2 * 60_000);
      const run = await runReviewSchedule(deps());
      assert.deepEqual(run.expired.map((c) => [c.tenantId, c.expired, c.revoked]).sort(), [[A, 3, 3], [B, 3, 0]]);
      assert.deepEqual(await roles(uuid('ae', 1)), [], "A's agent lost the role no one attested");
      assert.deepEqual(await roles(uuid('ae', 2)), ['Agent'], "B's agent keeps it: B reports, it does not revoke");
      assert.ok((await started(A)).every((c) => c.closed_at !== null));
      const trail = await t.superuser((tx) => tx.query<{ revoked: boolean }>(
        "SELECT (metadata->>'revoked')::boolean AS revoked FROM audit_events WHERE action = 'review.expire' AND tenant_id = $1", [A]));
      assert.deepEqual(trail.rows.map((r) => r.revoked), [true, true, true]);
    });

    test("the next quarter's campaign starts when the quarter turns", async () => {
      now = new Date('2027-01-01T00:30:00Z');
      const run = await runReviewSchedule(deps());
      assert.deepEqual(run.started.map((c) => [c.tenantId, c.name]).sort(), [[A, '2027-Q1'], [B, '2027-Q1']]);
      assert.deepEqual((await started(A)).map((c) => c.name), ['2026-Q4', '2027-Q1']);
    });

    test("the server's hourly timer runs the schedule", async () => {
      now = new Date('2027-04-02T08:00:00Z');
      const lines: string[] = [];
      const logger = { info: (_o: object, msg: string) => void lines.push(msg), error: (_o: object, msg: string) => void lines.push(`error: ${msg}`) };
      mock.timers.enable({ apis: ['setInterval'] });
      try {
        const job = startReviewJob({ ...deps(), logger }, { safeError: (e) => ({ code: (e as { code?: string }).code }) });
        mock.timers.tick(3_599_000);
        assert.deepEqual(lines, [], 'nothing before the hour');
        mock.timers.tick(1_000);
        await job.stop(); // waits for the run the tick began
        assert.deepEqual(lines.filter((l) => l === 'access review campaign started').length, 2, lines.join('; '));
      } finally {
        mock.timers.reset();
      }
      assert.deepEqual((await started(B)).map((c) => c.name), ['2026-Q4', '2027-Q1', '2027-Q2']);
    });
  });
}
