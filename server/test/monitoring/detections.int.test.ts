// R-MON-1: each detection rule fires on a crafted sequence of sealed events (docs/detections.md lists
// them) and stays quiet on its near miss; detections and their alerts commit with the detector's
// cursor, resume after a restart without duplicates, replay over history to the same findings, and
// are triaged open → acknowledged → closed with a note, in the caller's tenant only.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Tx } from '../../src/db/types.ts';
import { createAuditSealer, createDirectoryHeadSink, createMemorySigningKeyStore, type AuditSealer } from '../../src/modules/audit/index.ts';
import { createDetector, loadRules, openDetectionsFor, triageDetection, type Detector } from '../../src/modules/monitoring/index.ts';
import { ENGINES, type TestDatabase } from '../support/databases.ts';

const T = '0a000000-0000-4000-8000-0000000de7e1';
const U = '0b000000-0000-4000-8000-0000000de7e1';
const m = (n: number) => `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;
const D1 = 'd0000000-0000-4000-8000-000000000001';
const D2 = 'd0000000-0000-4000-8000-000000000002';
const BASE = Date.parse('2026-11-30T00:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

interface Ev {
  actor: string;
  action: string;
  at: number;
  outcome?: 'success' | 'failure' | 'denied';
  decision?: 'allow' | 'deny';
  device?: string;
  metadata?: Record<string, unknown>;
  actorKind?: string;
}

const postgres = ENGINES.find((e) => e.engine === 'postgres')!;

describe('detections on PostgreSQL', { skip: postgres.skip }, () => {
  let t: TestDatabase;
  let sealer: AuditSealer;
  let headsDir: string;
  const clock = { now: () => new Date(BASE + 7 * DAY) };
  const rules = loadRules();
  const detector = (): Detector => createDetector({ systemDb: t.db.systemDb, rules, clock });

  // One transaction: events are sealed in transaction order, then by time (docs/audit.md), and the rules read them in seq order.
  async function insert(tenantId: string, events: Ev[], more?: (tx: Tx) => Promise<unknown>): Promise<void> {
    await t.superuser(async (tx) => {
      await more?.(tx);
      for (const e of events) {
        await tx.query(
          `INSERT INTO audit_events (tenant_id, occurred_at, actor_kind, actor_id, device_id, action, outcome, decision, metadata)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [tenantId, new Date(e.at), e.actorKind ?? 'human', e.actor, e.device ?? null, e.action, e.outcome ?? 'success', e.decision ?? null, JSON.stringify(e.metadata ?? {})],
        );
      }
    });
  }
  const detections = (tenantId = T) =>
    t.superuser(async (tx) => (await tx.query<{ id: string; rule_id: string; severity: string; principal_id: string; event_seqs: string[]; event_count: number; trigger_seq: string }>(
      'SELECT id, rule_id, severity, principal_id, event_seqs, event_count, trigger_seq FROM detections WHERE tenant_id = $1 ORDER BY trigger_seq, rule_id', [tenantId])).rows);
  const byRule = async () => {
    const map = new Map<string, { principal: string; count: number; seqs: number; severity: string }[]>();
    for (const d of await detections()) map.set(d.rule_id, [...(map.get(d.rule_id) ?? []), { principal: d.principal_id, count: d.event_count, seqs: d.event_seqs.length, severity: d.severity }]);
    return map;
  };

  before(async () => {
    t = await postgres.open();
    headsDir = mkdtempSync(join(tmpdir(), 'ward-heads-'));
    sealer = createAuditSealer({ systemDb: t.db.systemDb, keys: createMemorySigningKeyStore(), sinks: [createDirectoryHeadSink(headsDir)] });
    await t.superuser(async (tx) => {
      await tx.query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'detect-a', 'A'), ($2, 'detect-b', 'B')", [T, U]);
      await tx.query("INSERT INTO members (id, tenant_id, email, display_name, status) VALUES ($1, $2, 'm4@a.test', 'M4', 'active')", [m(4), T]);
      await tx.query("INSERT INTO devices (id, tenant_id, member_id, thumbprint, posture) VALUES ($1, $3, $4, 'd1', 'managed'), ($2, $3, $4, 'd2', 'unmanaged')", [D1, D2, T, m(4)]);
    });
  });
  after(async () => {
    await sealer?.stop();
    await t?.close();
    rmSync(headsDir, { recursive: true, force: true });
  });

  test('each rule fires on its sequence and not on its near miss', async () => {
    const events: Ev[] = [];
    // auth.failed-burst: 5 failed passkey sign-ins in 5 minutes (m1); 4 (m2) is quiet.
    for (let i = 0; i < 5; i++) events.push({ actor: m(1), action: 'auth.sign_in', outcome: 'failure', at: BASE + i * MIN });
    for (let i = 0; i < 4; i++) events.push({ actor: m(2), action: 'auth.sso_sign_in', outcome: 'failure', at: BASE + i * MIN });
    // auth.unusual-hour: 12 sign-ins at 09:15 over 12 days, then one at 03:00 (fires) and one at 09:40 (quiet).
    for (let d = 20; d > 8; d--) events.push({ actor: m(3), action: 'auth.sign_in', at: BASE - d * DAY + 9 * HOUR + 15 * MIN });
    events.push({ actor: m(3), action: 'auth.sign_in', at: BASE + 3 * HOUR });
    events.push({ actor: m(3), action: 'auth.sign_in', at: BASE + 9 * HOUR + 40 * MIN });
    // auth.new-device: first sign-in on D1 (new), again on D1 (quiet), then D2 which is unmanaged.
    events.push({ actor: m(4), action: 'auth.sign_in', device: D1, at: BASE + 1 * HOUR });
    events.push({ actor: m(4), action: 'auth.sign_in', device: D1, at: BASE + 2 * HOUR });
    events.push({ actor: m(4), action: 'auth.sign_in', device: D2, at: BASE + 2 * HOUR + MIN });
    // phi.denial-spike: 10 denials and 2 reads (m5) fires; 20 reads and 10 denials (m6) is a third: quiet.
    for (let i = 0; i < 12; i++) events.push({ actor: m(5), action: 'patient.view', outcome: i < 2 ? 'success' : 'denied', decision: i < 2 ? 'allow' : 'deny', at: BASE + 4 * HOUR + i * 1000 });
    for (let i = 0; i < 30; i++) events.push({ actor: m(6), action: 'patient.view', outcome: i % 3 === 2 ? 'denied' : 'success', at: BASE + 4 * HOUR + i * 1000 });
    // ai.usage-above-baseline: m7 ran 2 a day for 14 days, then 30 in half an hour (fires); m8 runs 7 an hour (quiet).
    for (let d = 14; d > 0; d--) for (let k = 0; k < 2; k++) events.push({ actor: m(7), action: 'ai.run', at: BASE - d * DAY + (10 + k) * HOUR });
    for (let i = 0; i < 30; i++) events.push({ actor: m(7), action: 'ai.run', at: BASE + 5 * HOUR + i * MIN });
    for (let i = 0; i < 30; i++) events.push({ actor: m(8), action: 'ai.run', at: BASE + 5 * HOUR + i * MIN });
    // event rules; the second export within the cooldown joins the first detection.
    events.push({ actor: m(9), action: 'export.create', metadata: { disclosure: true, exportId: 'x1' }, at: BASE + 6 * HOUR });
    events.push({ actor: m(9), action: 'export.create', metadata: { disclosure: true, exportId: 'x2' }, at: BASE + 6 * HOUR + 5 * MIN });
    events.push({ actor: m(10), action: 'patient.view', decision: 'allow', metadata: { elevation: 'breakglass' }, at: BASE + 6 * HOUR + 10 * MIN });
    events.push({ actor: m(11), action: 'member.recovery.approve', at: BASE + 6 * HOUR + 11 * MIN });
    events.push({ actor: 'system:cli', actorKind: 'system', action: 'workload.rotateKeys', at: BASE + 6 * HOUR + 12 * MIN });
    events.push({ actor: 'system:cli', actorKind: 'system', action: 'workload.scope.grant', at: BASE + 6 * HOUR + 13 * MIN });
    events.push({ actor: m(12), action: 'policy.manage', metadata: { version: 2, change: 'approved' }, at: BASE + 6 * HOUR + 14 * MIN });
    events.push({ actor: m(12), action: 'policy.manage', metadata: {}, at: BASE + 6 * HOUR + 15 * MIN }); // a read: quiet
    events.push({ actor: 'system:cli', actorKind: 'system', action: 'audit.verify', outcome: 'failure', at: BASE + 6 * HOUR + 16 * MIN });
    events.push({ actor: m(13), action: 'disclosures.account', at: BASE + 6 * HOUR + 17 * MIN });
    // data.export-burst and data.export-part2: m14 exports 5 times in 20 min, the last one Part 2 data (m9 above: quiet for both).
    for (let i = 0; i < 5; i++) events.push({ actor: m(14), action: 'export.create', metadata: { disclosure: true, exportId: `y${i}`, part2: i === 4 }, at: BASE + 7 * HOUR + i * 5 * MIN });
    // With m8's baseline: 7 an hour for 14 days, written in one statement.
    await insert(T, events, (tx) => tx.query(
      `INSERT INTO audit_events (tenant_id, occurred_at, actor_kind, actor_id, action, outcome)
        SELECT $1, $2::timestamptz - make_interval(mins => g * 60 / 7), 'human', $3, 'ai.run', 'success' FROM generate_series(1, 14 * 24 * 7) AS g`,
      [T, new Date(BASE + 5 * HOUR - MIN), m(8)]));

    for (;;) if ((await sealer.sealOnce()).sealed === 0) break;
    const run = await detector().detectOnce();
    assert.ok(run.events > 0);

    const found = await byRule();
    assert.deepEqual(found.get('auth.failed-burst'), [{ principal: m(1), count: 5, seqs: 5, severity: 'high' }]);
    assert.deepEqual(found.get('auth.unusual-hour')?.map((d) => d.principal), [m(3)]);
    assert.deepEqual(found.get('auth.new-device')?.map((d) => d.principal), [m(4), m(4)]);
    assert.deepEqual(found.get('phi.denial-spike')?.map((d) => [d.principal, d.severity]), [[m(5), 'high']]);
    assert.deepEqual(found.get('ai.usage-above-baseline')?.map((d) => [d.principal, d.seqs]), [[m(7), 30]]);
    assert.deepEqual(found.get('data.export'), [{ principal: m(9), count: 2, seqs: 2, severity: 'medium' }, { principal: m(14), count: 5, seqs: 5, severity: 'medium' }]);
    assert.deepEqual(found.get('data.export-part2'), [{ principal: m(14), count: 1, seqs: 1, severity: 'medium' }]);
    assert.deepEqual(found.get('data.export-burst'), [{ principal: m(14), count: 5, seqs: 5, severity: 'high' }]);
    assert.deepEqual(found.get('access.break-glass')?.map((d) => [d.principal, d.severity]), [[m(10), 'high']]);
    assert.deepEqual(found.get('identity.recovery')?.map((d) => d.principal), [m(11)]);
    assert.deepEqual(found.get('workload.credential-change')?.length, 1);
    assert.deepEqual(found.get('access.scope-grant')?.length, 1);
    assert.deepEqual(found.get('policy.tenant-change')?.map((d) => d.principal), [m(12)]);
    assert.deepEqual(found.get('audit.verification-failed')?.map((d) => d.severity), ['critical']);
    assert.deepEqual(found.get('data.disclosure-accounting')?.map((d) => d.principal), [m(13)]);
    assert.equal([...found.values()].flat().length, 17);

    // One alert per detection, in the outbox, PHI-free facts only.
    const alerts = await t.superuser(async (tx) => (await tx.query<{ kind: string; facts: Record<string, unknown> }>(`SELECT kind, facts FROM alerts WHERE tenant_id = $1`, [T])).rows);
    assert.equal(alerts.length, 17);
    assert.ok(alerts.some((a) => a.kind === 'detection.auth.failed-burst' && a.facts.principalId === m(1) && a.facts.events === 5));
  });

  test('a restarted detector resumes at its cursor: a further failure joins the open burst, nothing is raised twice', async () => {
    const before = (await detections()).length;
    assert.equal((await detector().detectOnce()).events, 0, 'nothing new since the cursor');
    await insert(T, [{ actor: m(1), action: 'auth.sign_in', outcome: 'failure', at: BASE + 5 * MIN + 30_000 }]);
    await sealer.sealOnce();
    const run = await detector().detectOnce();
    assert.deepEqual(run, { events: 1, detections: 0 });
    assert.equal((await detections()).length, before);
    const burst = (await detections()).find((d) => d.rule_id === 'auth.failed-burst')!;
    assert.equal(burst.event_count, 6);
  });

  test('replay over history finds the same detections and stores none twice', async () => {
    const stored = (await detections()).map((d) => `${d.rule_id}#${d.trigger_seq}`).sort();
    const dry = await detector().replay(new Date(BASE - 30 * DAY), { tenantId: T, isDryRun: true });
    assert.deepEqual(dry.findings.map((f) => `${f.ruleId}#${f.triggerSeq}`).sort(), stored);
    const real = await detector().replay(new Date(BASE - 30 * DAY), { tenantId: T });
    assert.equal(real.findings.filter((f) => f.isNew).length, 0);
    assert.equal((await detections()).length, stored.length);
  });

  test('triage: acknowledged, then closed with a note; a closed detection stays closed; another tenant sees nothing', async () => {
    const burst = (await detections()).find((d) => d.rule_id === 'auth.failed-burst')!;
    const scopeT = { tenantId: T, phiScopes: [], actorId: 'auditor-1', actorKind: 'human' as const };
    const now = clock.now();
    assert.equal((await t.db.scoped(scopeT, (tx) => openDetectionsFor(tx, T, m(1)))).map((d) => d.id).join(), burst.id);
    const acked = await t.db.scoped(scopeT, (tx) => triageDetection(tx, burst.id, 'acknowledged', 'auditor-1', now));
    assert.equal(acked.state, 'acknowledged');
    await assert.rejects(t.db.scoped(scopeT, (tx) => triageDetection(tx, burst.id, 'closed', 'auditor-1', now, '  ')), { code: 'BAD_REQUEST' });
    await assert.rejects(
      t.db.scoped({ ...scopeT, tenantId: U }, (tx) => triageDetection(tx, burst.id, 'closed', 'auditor-1', now, 'not mine')),
      { code: 'NOT_FOUND' },
    );
    const closed = await t.db.scoped(scopeT, (tx) => triageDetection(tx, burst.id, 'closed', 'auditor-1', now, 'the member mistyped; reset done'));
    assert.deepEqual([closed.state, closed.note, closed.acknowledgedBy, closed.closedBy], ['closed', 'the member mistyped; reset done', 'auditor-1', 'auditor-1']);
    await assert.rejects(t.db.scoped(scopeT, (tx) => triageDetection(tx, burst.id, 'acknowledged', 'auditor-1', now)), { code: 'DETECTION_CLOSED' });
    assert.deepEqual(await t.db.scoped(scopeT, (tx) => openDetectionsFor(tx, T, m(1))), []);
  });

  test('ward_app can change only the triage columns of a detection', async () => {
    await assert.rejects(
      t.db.scoped({ tenantId: T, phiScopes: [], actorId: 'x', actorKind: 'human' }, (tx) => tx.query("UPDATE detections SET severity = 'info'")),
      /permission denied/,
    );
  });
});
