// R-MON-1: the demo seed and normal `ward demo traffic` (reads with about one refusal in ten) raise no
// high or critical detection, and so no high-severity alert. R-MON-2, R-GOV-5: `ward session revoke
// --detection` records the containment, and its time to contain is computed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serverContext } from '../../src/cli/main.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { timesToContain } from '../../src/modules/monitoring/index.ts';
import { runWard } from '../support/cli.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';

const postgres = ENGINES.find((e) => e.engine === 'postgres')!;

describe('demo traffic and detections on PostgreSQL', { skip: postgres.skip }, () => {
  let t: TestDeps;
  const ward = (argv: string[]) => runWard(argv, { env: t.env, ctx: serverContext(t.deps) });
  before(async () => {
    t = await createTestDeps('postgres', { demo: 1 });
  });
  after(async () => t?.close());

  test('demo seed and demo traffic raise no high-severity detection or alert', async () => {
    const traffic = await ward(['demo', 'traffic', '--reads', '400', '--concurrency', '4']);
    assert.equal(traffic.code, 0, traffic.err);
    for (;;) if ((await t.deps.auditSealer.sealOnce()).sealed === 0) break; // the detector runs after each pass
    const q = t.deps.db.systemDb;
    const behind = await q.query(`SELECT 1 FROM audit_events e LEFT JOIN audit_seals s ON s.event_id = e.id LEFT JOIN detection_cursors c ON c.tenant_id = e.tenant_id
      WHERE s.seq IS NULL OR s.seq > COALESCE(c.last_seq, 0) LIMIT 1`);
    assert.equal(behind.rowCount, 0, 'every sealed event was evaluated');
    const high = (await q.query<{ rule_id: string; severity: string }>("SELECT rule_id, severity FROM detections WHERE severity IN ('high', 'critical')")).rows;
    assert.deepEqual(high, []);
    const highAlerts = (await q.query("SELECT 1 FROM alerts WHERE severity IN ('high', 'critical')")).rowCount;
    assert.equal(highAlerts, 0);
  });

  test('ward detect list, ack and close; session revoke --detection records the time to contain', async () => {
    const q = t.deps.db.systemDb;
    // A crafted burst of failed sign-ins by a demo member, so that there is a detection to contain.
    const member = (await q.query<{ id: string; tenant_id: string }>("SELECT m.id, m.tenant_id FROM members m JOIN tenants t ON t.id = m.tenant_id WHERE t.slug = 'riverside' AND m.status = 'active' ORDER BY m.id LIMIT 1")).rows[0]!;
    await t.deps.db.scoped({ tenantId: member.tenant_id, phiScopes: [], actorId: member.id, actorKind: 'human' }, async (tx) => {
      for (let i = 0; i < 5; i++) await t.deps.audit.append(tx, { tenantId: member.tenant_id, actorKind: 'human', actorId: member.id, action: 'auth.sign_in', outcome: 'failure', reasons: ['signature_invalid'] });
    });
    await t.deps.auditSealer.sealOnce();
    const list = await ward(['detect', 'list', '--tenant', 'riverside', '--severity', 'high', '--json']);
    assert.equal(list.code, 0, list.err);
    const burst = list.out.trim().split('\n').map((l) => JSON.parse(l) as { id: string; ruleId: string; principalId: string; state: string }).find((d) => d.ruleId === 'auth.failed-burst');
    assert.ok(burst, list.out);
    assert.equal(burst.principalId, member.id);

    const session = (await q.query<{ id: string }>(
      `INSERT INTO sessions (tenant_id, member_id, token_hash, auth_method, expires_at) VALUES ($1, $2, $3, 'passkey', now() + interval '1 hour') RETURNING id`,
      [member.tenant_id, member.id, Buffer.from(`detect-${Date.now()}`)])).rows[0]!.id;
    const revoked = await ward(['session', 'revoke', '--tenant', 'riverside', '--session', session, '--detection', burst.id]);
    assert.equal(revoked.code, 0, revoked.err);
    assert.match(revoked.out, /revoked; containment of detection .* recorded\n$/);
    assert.equal((await q.query('SELECT 1 FROM sessions WHERE id = $1 AND revoked_at IS NOT NULL', [session])).rowCount, 1);
    const unknown = await ward(['session', 'revoke', '--tenant', 'lakeside', '--session', session]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /NOT_FOUND/);

    const times = await timesToContain(q, member.tenant_id, [{ detectionId: burst.id, kind: 'member_lock', subjectId: member.id, containedAt: new Date(Date.now() + 1000) }]);
    assert.deepEqual(times.map((x) => [x.detectionId, x.kind]), [[burst.id, 'session_revoke'], [burst.id, 'member_lock']]);
    assert.ok(times.every((x) => x.fromDetectionSeconds >= 0 && x.fromFirstEventSeconds >= x.fromDetectionSeconds - 1));

    const ack = await ward(['detect', 'ack', '--tenant', 'riverside', '--detection', burst.id]);
    assert.equal(ack.code, 0, ack.err);
    assert.match(ack.out, /is acknowledged\n$/);
    const noNote = await runWard(['detect', 'close', '--tenant', 'riverside', '--detection', burst.id], { env: t.env, ctx: serverContext(t.deps), stdin: '' });
    assert.equal(noNote.code, 2);
    assert.match(noNote.err, /USAGE/);
    const close = await runWard(['detect', 'close', '--tenant', 'riverside', '--detection', burst.id], { env: t.env, ctx: serverContext(t.deps), stdin: 'contained: session revoked, member re-enrolled\n' });
    assert.equal(close.code, 0, close.err);
    assert.match(close.out, /is closed\n$/);
    const replay = await ward(['detect', 'replay', '--since', '2000-01-01', '--tenant', 'riverside', '--dry-run']);
    assert.equal(replay.code, 0, replay.err);
    assert.match(replay.out, /auth\.failed-burst +#\d+ +new/);
    assert.match(replay.out, /\n\d+ events replayed; \d+ detections; stored nothing \(dry run\)\n$/);
  });
});
