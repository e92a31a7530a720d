// Group commit for reads (R-AUDIT-2, R-AUTHZ-7; issue 31; 0073, 0105, 0107): a grouped read is released
// only after the batch holding its record committed; a failed batch fails every read in it; the batch
// function inserts nothing ward_app cannot show a voucher for (made by the server with the scope key over
// the event's record literal and its scope's expiry, 0105, 0112), once, every field as it was; the superseded paths (the database's MAC issue
// and its batch, 0073/0098/0102) are gone (0107); writes keep their record in their own transaction. On
// both engines.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { AuditEventInput, Authenticated, PhiScope } from '@ward/contracts';
import { AUTH_LOOKUPS, type DataScope, type Tx } from '../../db/types.ts';
import { createHmac } from 'node:crypto';
import { loadScopeKey } from '../../db/scope-key.ts';
import { loadPdp } from '../policy/index.ts';
import { createGuard, type Guard, type ResourceRef } from '../access/guard.ts';
import { READ_ONLY_FROM_HERE } from '../access/guard-audit.ts';
import { createAuditLog } from './append.ts';
import { batchArguments, createAuditWriter, type AuditWriter, type IssuedRecord } from './writer.ts';
import { tapPostgresSockets } from '../../../test/support/round-trips.ts';
import { statementName } from '../../db/postgres.ts';
import { ENGINES, type TestDatabase } from '../../../test/support/databases.ts';
import { insertMember, insertPatient, insertTenant } from '../../../test/support/fixtures.ts';

const A = '1a000000-0000-4000-8000-00000000a0d1';
const AGENT = 'a1000000-0000-4000-8000-00000000a0d1';
const OTHER = 'a2000000-0000-4000-8000-00000000a0d1';
const PATIENT = 'aa000000-0000-4000-8000-00000000a0d1';
const NOW = new Date();
const quiet = { error: () => undefined } as never;

const agent: Authenticated = {
  principal: { kind: 'human', id: AGENT, tenantId: A as never, roles: ['Agent'], phiScopes: ['Healthcare-PHI'] },
  credential: {
    kind: 'session', id: randomUUID(), authMethod: 'passkey', amr: ['hwk', 'user'], mfa: true,
    createdAt: new Date(NOW.getTime() - 3600_000), lastVerifiedAt: new Date(NOW.getTime() - 30_000), expiresAt: new Date(NOW.getTime() + 3600_000),
  },
  device: { id: randomUUID(), thumbprint: 'thumb', posture: 'managed' },
};
const scope: DataScope = { tenantId: A, phiScopes: ['Healthcare-PHI'], actorId: AGENT, actorKind: 'human' };
const event = (n: number, over: Partial<AuditEventInput> = {}): AuditEventInput => ({
  tenantId: A, actorKind: 'human', actorId: AGENT, action: 'patient.view', targetType: 'Patient', targetId: PATIENT,
  phiScope: 'Healthcare-PHI', decision: 'allow', policyIds: ['permit-agent-view'], outcome: 'success', metadata: { n }, ...over,
});

async function loadPatient(tx: Tx): Promise<ResourceRef | null> {
  const { rows } = await tx.query<{ id: string; tenant_id: string; phi_scope: PhiScope }>('SELECT id, tenant_id, phi_scope FROM patients WHERE id = $1', [PATIENT]);
  return rows[0] ? { type: 'Patient', id: rows[0].id, tenant: rows[0].tenant_id, phiScope: rows[0].phi_scope } : null;
}

/** The SQLSTATE a statement fails with, run as ward_app with no scope at all (or '' when it succeeds). */
function sqlstateAsApp(t: TestDatabase, sql: string, params: unknown[], prepare?: (tx: Tx) => Promise<unknown>): Promise<string> {
  return t.asAppWithoutSettings(async (tx) => {
    await prepare?.(tx);
    await tx.query(sql, params);
    return '';
  }).catch((e: { code?: string }) => e.code ?? 'no-sqlstate');
}

for (const { engine, open, skip } of ENGINES) {
  describe(`the audit writer on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDatabase;
    let writer: AuditWriter;
    let guard: Guard;

    before(async () => {
      t = await open();
      await t.superuser(async (tx) => {
        await insertTenant(tx, A, 'writer-a');
        await insertMember(tx, { id: AGENT, tenantId: A, email: 'agent@writer.test', roles: ['Agent'], scopes: ['Healthcare-PHI'] });
        await insertPatient(tx, { id: PATIENT, tenantId: A, phiScope: 'Healthcare-PHI', mrn: 'W-1' });
      });
      writer = createAuditWriter({ db: t.db });
      guard = createGuard({ db: t.db, pdp: loadPdp(), audit: createAuditLog(), auditWriter: writer, clock: { now: () => NOW }, logger: quiet });
    });
    after(async () => {
      await writer?.close();
      await t?.close();
    });

    const eventsWhere = (sql: string, params: unknown[]) =>
      t.superuser(async (tx) => (await tx.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_events WHERE ${sql}`, params)).rows[0]!.n);
    const vouched = (e: AuditEventInput, id = randomUUID()) => t.db.scoped(scope, (tx) => writer.issue(tx, e, { id }));
    // A record as one line, voucher TAB literal (the test's own notation; the batch takes batchArguments).
    const lineOf = (r: IssuedRecord) => `${r.voucher}\t${r.text}`;
    const fromLine = (line: string) => ({ voucher: line.slice(0, line.indexOf('\t')), text: line.slice(line.indexOf('\t') + 1) });
    const vouchedAsApp = (lines: readonly string[]) => sqlstateAsApp(t, AUTH_LOOKUPS.auditVouchedBatch, batchArguments(lines.map(fromLine)));
    const view = (n: number, extra: { isRead?: boolean; handle?: (tx: Tx) => Promise<unknown> } = {}) =>
      guard.run({
        authenticated: agent, action: 'patient.view', target: { type: 'Patient', id: PATIENT }, isRead: extra.isRead ?? true,
        load: loadPatient,
        handle: async (tx) => {
          await extra.handle?.(tx);
          return { n };
        },
        auditMetadata: () => ({ n, marker: 'writer-test' }),
      });

    test('concurrent reads are released only once the batch holding their record has committed', async () => {
      const before = writer.stats();
      const seenAtRelease = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
        await view(100 + i);
        // At the moment of release the record is committed: another connection sees it.
        return eventsWhere("metadata->>'n' = $1 AND outcome = 'success'", [String(100 + i)]);
      }));
      assert.deepEqual(seenAtRelease, Array(8).fill('1'));
      const after = writer.stats();
      assert.equal(after.records - before.records, 8, 'every read went through the writer');
      assert.ok(after.batches - before.batches <= 8);
    });

    test("a grouped read's transaction is read-only after authentication: a handler that writes fails closed, nothing is released", async () => {
      await assert.rejects(view(200, { handle: (tx) => tx.query("UPDATE patients SET sex = 'F' WHERE id = $1", [PATIENT]) }), { code: 'INTERNAL' });
      assert.equal(await eventsWhere("metadata->>'n' = '200'", []), '0');
      assert.equal(await eventsWhere("target_id = $1 AND outcome = 'failure' AND occurred_at > $2", [PATIENT, NOW]), '1');
      assert.equal((await t.superuser((tx) => tx.query<{ sex: string }>('SELECT sex FROM patients WHERE id = $1', [PATIENT]))).rows[0]!.sex, 'X');
    });

    test('a write keeps its record in its own transaction: the writer is not used', async () => {
      const before = writer.stats().records;
      await view(300, { isRead: false, handle: (tx) => tx.query('SELECT 1') });
      assert.equal(writer.stats().records, before);
      assert.equal(await eventsWhere("metadata->>'n' = '300' AND outcome = 'success'", []), '1');
    });

    test('a failed batch fails every record in it (a forged one injected), and none of its records is written', async () => {
      const good = await Promise.all([1, 2, 3].map((n) => vouched(event(400 + n))));
      const forged: IssuedRecord = { ...good[0]!, text: good[0]!.text.replace(`"${PATIENT}"`, '"someone-else"') };
      const results = await Promise.allSettled([...good, forged].map((r) => writer.commit(r)));
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.equal((r as PromiseRejectedResult).reason.code, 'AUDIT_WRITE_FAILED');
        // No PHI and no event in the error: its message is the catalogue's.
        assert.equal((r as PromiseRejectedResult).reason.message, 'The audit record could not be written.');
      }
      assert.equal(await eventsWhere("(metadata->>'n')::int BETWEEN 401 AND 403", []), '0');
    });

    test('a batch that cannot be inserted fails the guarded read in it with AUDIT_WRITE_FAILED; its failure is recorded on its own', async () => {
      await t.superuser((tx) => tx.query('REVOKE EXECUTE ON FUNCTION ward_audit_append_vouched_v4(text, bytea) FROM ward_app'));
      try {
        await assert.rejects(view(500), { code: 'AUDIT_WRITE_FAILED' });
      } finally {
        await t.superuser((tx) => tx.query('GRANT EXECUTE ON FUNCTION ward_audit_append_vouched_v4(text, bytea) TO ward_app'));
      }
      assert.equal(await eventsWhere("metadata->>'n' = '500'", []), '0');
      assert.equal(await eventsWhere("outcome = 'failure' AND reasons = ARRAY['AUDIT_WRITE_FAILED'] AND actor_id = $1", [AGENT]), '1');
      await view(501); // and the writer goes on
      assert.equal(await eventsWhere("metadata->>'n' = '501'", []), '1');
    });

    test('ward_app may insert a batch of events the server vouched for (0105, 0112): the positive control of the refusals below', async () => {
      const r = await vouched(event(610));
      assert.match(r.voucher, /^[0-9a-f]{64} \d+$/);
      assert.match(r.text, /^\("/);
      const own = await t.db.scoped(scope, (tx) => writer.issue(tx, event(612))); // an id of the writer's own
      assert.match(own.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a time-ordered id (version 7)');
      assert.equal(await vouchedAsApp([lineOf(r)]), '');
      assert.equal(await eventsWhere("metadata->>'n' = '610'", []), '1');
      // Replayed: one event per voucher (its id is the key), and the row is there once.
      assert.equal(await vouchedAsApp([lineOf(r)]), '23505');
      assert.equal(await eventsWhere("metadata->>'n' = '610'", []), '1');
    });

    test('every field of a vouched record comes back as it was: no value ends its field early or runs into the next (0112)', async () => {
      const odd = 'a"b\\c,d(e)f{g}h\ni\tj ';
      const e = event(650, {
        onBehalfOf: ')(', targetId: odd, purpose: '', reasons: ['x","y', 'z\\', '', 'NULL', '{}'], policyIds: ['p{1}', 'q,r'],
        sourceIp: '10.0.0.1', metadata: { n: 650, s: odd, q: '"' },
      });
      const id = randomUUID();
      await writer.commit(await t.db.scoped(scope, (tx) => writer.issue(tx, e, { id, justificationCiphertext: Buffer.from([0, 92, 34, 255]) })));
      const row = (await t.superuser((tx) => tx.query<Record<string, unknown>>(
        `SELECT tenant_id, actor_id, on_behalf_of, target_id, purpose, reasons, policy_ids, host(source_ip) AS ip, metadata,
                encode(justification_enc, 'hex') AS j, decision, outcome FROM audit_events WHERE id = $1`, [id]))).rows[0];
      assert.deepEqual(row, {
        tenant_id: A, actor_id: AGENT, on_behalf_of: ')(', target_id: odd, purpose: '', reasons: ['x","y', 'z\\', '', 'NULL', '{}'],
        policy_ids: ['p{1}', 'q,r'], ip: '10.0.0.1', metadata: { n: 650, s: odd, q: '"' }, j: '005c22ff', decision: 'allow', outcome: 'success',
      });
    });

    test('a record with a NUL in a field fails only its own read, not the batch it would have joined', async () => {
      const good = await vouched(event(660));
      await assert.rejects(vouched(event(661, { targetId: 'p\u0000' })), { code: 'AUDIT_WRITE_FAILED' });
      await writer.commit(good);
      assert.equal(await eventsWhere("metadata->>'n' = '660'", []), '1');
    });

    test('ward_app calling the vouched batch with a forged or altered voucher, a later expiry, a backdated or expired one is refused (WD001)', async () => {
      const r = await vouched(event(710));
      const [head, text] = [r.voucher, r.text];
      const [mac, expires] = head.split(' ') as [string, string];
      const refused = async (line: string, why: string) => assert.equal(await vouchedAsApp([line]), 'WD001', why);
      await refused(`${'0'.repeat(64)} ${expires}\t${text}`, 'a forged MAC');
      await refused(`${head}\t${text.replace('"allow"', '"deny"')}`, 'another decision, same voucher');
      await refused(`${head}\t${text.replace(AGENT, OTHER)}`, 'another actor, same voucher');
      await refused(`${head}\t${text.replace(`"${A}"`, '"1b000000-0000-4000-8000-00000000a0d1"')}`, 'another tenant, same voucher');
      await refused(`${mac} ${Number(expires) + 10}\t${text}`, 'a later expiry');
      await refused(`${mac}\t${text}`, 'a voucher a field short');
      await refused(`${head} 1\t${text}`, 'a voucher a field long');
      const [one, two] = [await vouched(event(712)), await vouched(event(713))];
      const [heads, bodies] = batchArguments([one, two]);
      const asApp = (h: string, b: Buffer) => sqlstateAsApp(t, AUTH_LOOKUPS.auditVouchedBatch, [h, b]);
      assert.equal(await asApp(heads.replace(/ (\d+)\n/, (_, n: string) => ` ${Number(n) + 1}\n`), bodies), 'WD001', 'a body cut elsewhere');
      assert.equal(await asApp(heads.replace(/ 1 (\d+)\n/, ' 2 $1\n'), bodies), 'WD001', 'a body started elsewhere');
      assert.equal(await asApp(heads.replace(/ \d+\n/, ' x\n'), bodies), 'WD001', 'a length that is no number');
      assert.equal(await asApp(heads.replace(/ \d+ (\d+)$/, ' 9999999 $1'), bodies), 'WD001', 'a range past the bodies');
      assert.equal(await asApp(`${heads}\n${heads.split('\n')[1]!}`, bodies), '23505', 'one body named twice: the same event, refused by its key');
      assert.equal(await eventsWhere("(metadata->>'n')::int BETWEEN 712 AND 713", []), '0');
      // What only a holder of the scope key could make, made here with it: each well formed, each refused
      // by the rule it breaks (out of its scope's time, expired, too far ahead).
      const key = await loadScopeKey(t.db.systemDb);
      const line = (body: string, exp = expires, tag = 'ward-audit-event-v4') => `${createHmac('sha256', key).update(`${tag}\n${exp}\n${body}`, 'utf8').digest('hex')} ${exp}\t${body}`;
      assert.equal(await vouchedAsApp([line(text.replace(r.id, randomUUID()))]), '', 'the control: well formed and in time');
      await refused(line(text.replace(r.id, randomUUID()), expires, 'ward-audit-event-v3'), "a MAC under 0105's tag");
      // A literal that is not one record of the type fails the batch (a field too many), even under a good MAC.
      assert.notEqual(await vouchedAsApp([line(text.replace(r.id, randomUUID()).replace(/\)$/, ',"x")'))]), '');
      const occurred = String(r.occurredUs);
      await refused(line(text.replace(occurred, String(Number(occurred) - 3_600_000_000))), 'a backdated event');
      await refused(line(text.replace(occurred, String(Number(occurred) + 60_000_000))), 'an event after its scope expired');
      const past = String(Math.floor(Date.now() / 1000) - 5);
      await refused(line(text.replace(occurred, String((Number(past) - 10) * 1_000_000)), past), 'an expired scope');
      const ahead = String(Math.floor(Date.now() / 1000) + 120);
      await refused(line(text.replace(occurred, String((Number(ahead) - 10) * 1_000_000)), ahead), 'an expiry too far ahead');
      // A good record in the same batch is refused with the forged one: all or nothing.
      const good = await vouched(event(711));
      assert.equal(await vouchedAsApp([lineOf(good), `${'0'.repeat(64)} ${expires}\t${text}`]), 'WD001');
      assert.equal(await eventsWhere("metadata->>'n' = '711'", []), '0');
      assert.equal(await eventsWhere("metadata->>'n' = '710'", []), '1', 'only the control');
      // 0105's function, kept for a server of the release before 0112, refuses a made-up voucher as before.
      const json = JSON.stringify({ id: randomUUID(), tenant_id: A, actor_kind: 'human', actor_id: AGENT, action: 'patient.view', outcome: 'success', occurred_us: r.occurredUs });
      assert.equal(await sqlstateAsApp(t, 'SELECT ward_audit_append_vouched_v3($1::text)', [`${'0'.repeat(64)} ${expires}\t${json}`]), 'WD001');
    });

    test('the server vouches only for an event of its transaction\'s own tenant and actor', async () => {
      await assert.rejects(vouched(event(720, { actorId: OTHER })), { code: 'AUDIT_WRITE_FAILED' });
      await assert.rejects(vouched(event(721, { tenantId: '1b000000-0000-4000-8000-00000000a0d1' as never })), { code: 'AUDIT_WRITE_FAILED' });
    });

    test('the superseded paths are gone (0107): ward_app can neither have the database MAC an event nor insert through the old batch functions', async () => {
      const json = JSON.stringify({ id: randomUUID(), tenant_id: A, actor_kind: 'human', actor_id: AGENT, action: 'patient.view', outcome: 'success' });
      for (const sql of ['SELECT ward_audit_event_mac($1::jsonb)', 'SELECT * FROM ward_audit_event_issue($1::jsonb)', 'SELECT ward_audit_append_batch($1::jsonb)', 'SELECT ward_audit_append_vouched($1::text)']) {
        assert.equal(await sqlstateAsApp(t, sql, [sql.includes('batch(') ? `[${json}]` : json]), '42883', sql);
      }
    });

    test('close drains: records committed before it are written; afterwards a read is refused before its record is issued', async () => {
      const own = createAuditWriter({ db: t.db });
      const records = await Promise.all([1, 2, 3].map((n) => t.db.scoped(scope, (tx) => own.issue(tx, event(800 + n), { id: randomUUID() }))));
      const committed = records.map((r) => own.commit(r));
      await own.close();
      await Promise.all(committed);
      assert.equal(await eventsWhere("(metadata->>'n')::int BETWEEN 801 AND 803", []), '3');
      await assert.rejects(t.db.scoped(scope, async (tx) => own.issue(tx, event(804))), { code: 'SERVICE_UNAVAILABLE' });
    });

    test('a full queue refuses a read before its record is issued (503, nothing released)', async () => {
      const tiny = createAuditWriter({ db: t.db, maxQueue: 1 });
      const first = await vouched(event(900));
      const held = await t.db.scoped(scope, async (tx) => {
        const committing = tiny.commit(first); // queued: its batch starts after this turn
        // Refused at once, before anything is sent (so never behind a pipelined COMMIT).
        assert.throws(() => tiny.issue(tx, event(901)), { code: 'SERVICE_UNAVAILABLE' });
        return { committing };
      });
      await held.committing;
      await tiny.close();
      assert.equal(await eventsWhere("metadata->>'n' = '900'", []), '1');
      assert.equal(await eventsWhere("metadata->>'n' = '901'", []), '0');
    });

    // R-OPS-1, R-AUDIT-2: what a grouped read sends, counted on the wire (PostgreSQL; PGlite has no wire).
    test('a grouped read vouched for by the server sends no statement for its record: the opening with the read-only switch and the load, the COMMIT', { skip: engine !== 'postgres' && 'PGlite has no wire: its statements are calls inside this process, so there are no round trips to count' }, async () => {
      await view(990); // warm: statements prepared on some connection
      const tap = tapPostgresSockets();
      try {
        await view(991);
      } finally {
        tap.stop();
      }
      const bursts = tap.bursts((text) => text.includes('BEGIN; SET LOCAL ward.scope'));
      assert.ok(bursts[0]!.includes('SET LOCAL synchronous_commit = off'), 'the opening carries synchronous_commit off');
      assert.ok(bursts.at(-1)!.includes('COMMIT'));
      assert.ok(!bursts.some((b) => b.includes(statementName(READ_ONLY_FROM_HERE))), 'the read-only switch is no statement of its own');
      assert.equal(bursts.length, 2, `round trips of a grouped read: ${bursts.length}`);
      assert.equal(await eventsWhere("metadata->>'n' = '991' AND outcome = 'success'", []), '1');
    });

    test('a statement sent with the COMMIT that fails fails the transaction: its writes roll back (fail closed)', async () => {
      const id = randomUUID();
      await assert.rejects(t.db.scoped(scope, async (tx) => {
        await createAuditLog().append(tx, event(1100), { id });
        const failing = tx.query('SELECT 1 / (SELECT count(*)::int - count(*)::int FROM patients) AS x');
        if (tx.commitWith) tx.commitWith(failing);
        else await failing;
      }), { code: '22012' });
      assert.equal(await eventsWhere('id = $1', [id]), '0');
    });

  });
}
