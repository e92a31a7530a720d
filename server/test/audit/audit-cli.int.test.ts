// Issue 6 "must show", through the CLI as an operator runs it (R-AUDIT-3, R-AUDIT-4, R-MON-2):
// demo traffic, then `ward audit verify` exits 0; after `UPDATE audit_events SET action = 'x'` on the
// event sealed at seq 42, as a superuser, it exits non-zero naming seq 42, and the same for a deleted row. Exports
// verify offline with the published keys; trace lists what a session touched.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { main, serverContext } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/command.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import { queryAuditEvents } from '../../src/modules/audit/query.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';

async function ward(t: TestDeps, argv: string[], opts: { offline?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdin: Readable.from([]),
    stdout: new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }),
    stderr: new Writable({ write: (c, _e, done) => ((err += String(c)), done()) }),
    env: t.env,
  };
  const code = await main(argv, io, opts.offline ? undefined : serverContext(t.deps));
  return { code, out, err };
}

describe('ward audit on the embedded database', () => {
  let t: TestDeps;
  let dir: string;
  let riverside: string;
  before(async () => {
    t = await createTestDeps('embedded');
    dir = mkdtempSync(join(tmpdir(), 'ward-audit-cli-'));
    await seedDemo(t.deps.db.systemDb, generateDemo(1));
    riverside = (await t.deps.db.systemDb.query<{ id: string }>("SELECT id FROM tenants WHERE slug = 'riverside'")).rows[0]!.id;
  });
  after(async () => {
    await t?.deps.auditSealer.stop();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('demo traffic leaves one audit event per attempt, and verify passes', async () => {
    const traffic = await ward(t, ['demo', 'traffic', '--reads', '300']);
    assert.equal(traffic.code, 0, traffic.err);
    assert.match(traffic.out, /300 attempts .*: \d+ allowed, \d+ refused/);
    const refused = Number(/(\d+) refused/.exec(traffic.out)![1]);
    assert.ok(refused > 0, 'some attempts are refused');
    const { rows } = await t.deps.db.systemDb.query<{ n: number; unsealed: number }>(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE s.seq IS NULL)::int AS unsealed FROM audit_events e LEFT JOIN audit_seals s ON s.event_id = e.id WHERE e.action = 'patient.view'",
    );
    assert.deepEqual(rows[0], { n: 300, unsealed: 0 });
    const verify = await ward(t, ['audit', 'verify']);
    assert.equal(verify.code, 0, verify.out);
    assert.match(verify.out, /tenant riverside: ok, \d+ events/);
    assert.match(verify.out, /tenant lakeside: ok/);
  });

  test('an export verifies offline with the published keys, and an edited export fails at the edited event', async () => {
    const keys = await ward(t, ['audit', 'export', '--format', 'jsonl', '--tenant', 'riverside']);
    assert.equal(keys.code, 0, keys.err);
    writeFileSync(join(dir, 'riverside.jsonl'), keys.out);
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ keys: (await t.deps.auditKeys.load()).publicKeys.toJwks() }));
    const offline = await ward(t, ['audit', 'verify', '--file', join(dir, 'riverside.jsonl'), '--key', join(dir, 'keys.json')], { offline: true });
    assert.equal(offline.code, 0, offline.out + offline.err);
    assert.match(offline.out, /^ok: tenant /);
    // A bundle edited after export fails offline, at the edited event.
    const edited = keys.out.replace(/"action":"patient.view"/, '"action":"x"');
    writeFileSync(join(dir, 'edited.jsonl'), edited);
    const bad = await ward(t, ['audit', 'verify', '--file', join(dir, 'edited.jsonl'), '--key', join(dir, 'keys.json')], { offline: true });
    assert.equal(bad.code, 1);
    assert.match(bad.out, /FAILED at seq \d+: LEAF_MISMATCH/);
  });

  test('OCSF records carry the seq and hashes; --since filters', async () => {
    const all = await ward(t, ['audit', 'export', '--format', 'ocsf', '--tenant', 'riverside']);
    const records = all.out.trim().split('\n').map((l) => JSON.parse(l) as { class_uid: number; unmapped: { ward: { seq: number; leaf_hash: string } } });
    assert.ok(records.length > 0);
    assert.deepEqual(records.slice(0, 3).map((r) => r.unmapped.ward.seq), [1, 2, 3]);
    const none = await ward(t, ['audit', 'export', '--format', 'ocsf', '--since', '2999-01-01T00:00:00Z']);
    assert.equal(none.out, '');
    assert.equal((await ward(t, ['audit', 'export', '--format', 'jsonl', '--since', '2026-01-01'])).code, 2);
  });

  test('trace lists what a session touched, in order, with scopes and decisions; the API query filters and pages', async () => {
    const { rows } = await t.deps.db.systemDb.query<{ session_id: string; actor_id: string }>(
      "SELECT session_id, actor_id FROM audit_events WHERE tenant_id = $1 AND action = 'patient.view' LIMIT 1",
      [riverside],
    );
    const trace = await ward(t, ['audit', 'trace', '--session', rows[0]!.session_id]);
    assert.equal(trace.code, 0);
    assert.match(trace.out, /#\d+ {2}human:[0-9a-f-]+ {2}patient\.view {2}Patient:[0-9a-f-]+ {2}[A-Za-z-]+ {2}(allow\/success|deny\/denied)/);
    assert.match(trace.out, /\d+ events; \d+ distinct targets; PHI scopes: /);
    const member = await ward(t, ['audit', 'trace', '--member', rows[0]!.actor_id, '--json']);
    assert.ok(member.out.trim().split('\n').every((l) => (JSON.parse(l) as { actorId: string }).actorId === rows[0]!.actor_id));

    const scope = { tenantId: riverside, phiScopes: [], actorId: 'auditor', actorKind: 'human' as const };
    const page1 = await t.deps.db.scoped(scope, (tx) => queryAuditEvents(tx, { sessionId: rows[0]!.session_id, limit: 2 }));
    assert.equal(page1.events.length, 2);
    assert.ok(page1.events.every((e) => e.sessionId === rows[0]!.session_id && e.seq !== null));
    const page2 = await t.deps.db.scoped(scope, (tx) => queryAuditEvents(tx, { sessionId: rows[0]!.session_id, limit: 2, afterSeq: page1.nextAfterSeq! }));
    assert.ok(page2.events.every((e) => e.seq! > page1.events[1]!.seq!));
    const denied = await t.deps.db.scoped(scope, (tx) => queryAuditEvents(tx, { action: 'patient.view', from: '2000-01-01', limit: 1000 }));
    assert.ok(denied.events.every((e) => e.action === 'patient.view'));
  });

  test("UPDATE audit_events SET action = 'x' on the event sealed at seq 42 makes verify fail naming seq 42; so does a deleted row", async () => {
    const at42 = '(SELECT event_id FROM audit_seals WHERE seq = 42 AND tenant_id = $1)';
    await t.deps.db.systemDb.query(`UPDATE audit_events SET action = 'x' WHERE id = ${at42}`, [riverside]);
    const altered = await ward(t, ['audit', 'verify', '--tenant', 'riverside']);
    assert.equal(altered.code, 1);
    assert.match(altered.out, /tenant riverside: FAILED at seq 42: LEAF_MISMATCH/);
    assert.equal((await ward(t, ['audit', 'verify', '--tenant', 'lakeside'])).code, 0);

    await t.deps.db.systemDb.query(`UPDATE audit_events SET action = 'patient.view' WHERE id = ${at42}`, [riverside]);
    assert.equal((await ward(t, ['audit', 'verify', '--tenant', 'riverside'])).code, 0, 'the original value verifies again');

    await t.deps.db.systemDb.query(`DELETE FROM audit_events WHERE id = ${at42}`, [riverside]);
    const deleted = await ward(t, ['audit', 'verify']);
    assert.equal(deleted.code, 1);
    assert.match(deleted.out, /tenant riverside: FAILED at seq 42: SEQ_GAP/);
  });

  test('usage errors exit 2', async () => {
    assert.equal((await ward(t, ['audit', 'trace'])).code, 2);
    assert.equal((await ward(t, ['audit', 'export', '--format', 'csv'])).code, 2);
    assert.equal((await ward(t, ['audit', 'verify', '--file', 'x'], { offline: true })).code, 2);
    assert.equal((await ward(t, ['audit', 'verify', '--tenant', 'no-such-tenant'])).code, 1);
  });
});
