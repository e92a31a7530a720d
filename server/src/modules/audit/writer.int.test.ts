// Group commit for reads (R-AUDIT-2, R-AUTHZ-7; issue 31; 0073, 0105): a grouped read is released only
// after the batch holding its record committed; a failed batch fails every read in it; the batch
// functions insert nothing ward_app cannot show a MAC for (vouched for by the server with the scope key
// over the event's text and its scope's expiry, 0105; or issued by the database in a verified scope, 0073/0098),
// once; writes keep their record in their own transaction. On both engines.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { AuditEventInput, Authenticated, PhiScope } from '@ward/contracts';
import { AUTH_LOOKUPS, type DataScope, type Tx } from '../../db/types.ts';
import { createHmac } from 'node:crypto';
import { loadScopeKey, macScope, SET_SCOPE_SETTING } from '../../db/scope-key.ts';
import { loadPdp } from '../policy/index.ts';
import { createGuard, type Guard, type ResourceRef } from '../access/guard.ts';
import { READ_ONLY_FROM_HERE } from '../access/guard-audit.ts';
import { createAuditLog } from './append.ts';
import { createAuditWriter, ISSUE, type AuditWriter, type IssuedRecord } from './writer.ts';
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

/** The transaction without Tx.vouch: the writer then has the database issue the MAC (0098), as before 0102. */
const withoutVouch = (tx: Tx): Tx => ({ query: (sql, params) => tx.query(sql, params), ...(tx.commitWith ? { commitWith: tx.commitWith } : {}), ...(tx.sendWithNext ? { sendWithNext: tx.sendWithNext } : {}) });

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
    let guardIssuing: Guard;

    before(async () => {
      t = await open();
      await t.superuser(async (tx) => {
        await insertTenant(tx, A, 'writer-a');
        await insertMember(tx, { id: AGENT, tenantId: A, email: 'agent@writer.test', roles: ['Agent'], scopes: ['Healthcare-PHI'] });
        await insertPatient(tx, { id: PATIENT, tenantId: A, phiScope: 'Healthcare-PHI', mrn: 'W-1' });
      });
      writer = createAuditWriter({ db: t.db });
      guard = createGuard({ db: t.db, pdp: loadPdp(), audit: createAuditLog(), auditWriter: writer, clock: { now: () => NOW }, logger: quiet });
      // The same guard on a writer that has the database issue each MAC (0098): the path of an engine without Tx.vouch.
      const issuing: AuditWriter = { ...writer, issue: (tx, e, o) => writer.issue(withoutVouch(tx), e, o) };
      guardIssuing = createGuard({ db: t.db, pdp: loadPdp(), audit: createAuditLog(), auditWriter: issuing, clock: { now: () => NOW }, logger: quiet });
    });
    after(async () => {
      await writer?.close();
      await t?.close();
    });

    const eventsWhere = (sql: string, params: unknown[]) =>
      t.superuser(async (tx) => (await tx.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_events WHERE ${sql}`, params)).rows[0]!.n);
    const issue = (e: AuditEventInput, id = randomUUID()) => t.db.scoped(scope, (tx) => writer.issue(withoutVouch(tx), e, { id }));
    const vouched = (e: AuditEventInput, id = randomUUID()) => t.db.scoped(scope, (tx) => writer.issue(tx, e, { id }));
    const batchAsApp = (records: readonly IssuedRecord[]) => sqlstateAsApp(t, AUTH_LOOKUPS.auditBatch, [JSON.stringify(records.map((r) => r.json))]);
    const vouchedAsApp = (lines: readonly string[]) => sqlstateAsApp(t, AUTH_LOOKUPS.auditVouchedBatch, [lines.join('\n')]);
    const view = (n: number, extra: { isRead?: boolean; handle?: (tx: Tx) => Promise<unknown>; guard?: Guard } = {}) =>
      (extra.guard ?? guard).run({
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
      const forged: IssuedRecord = { json: good[0]!.json, line: good[0]!.line!.replace('"target_id":', '"target_id":"someone-else","x":') };
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
      await t.superuser((tx) => tx.query('REVOKE EXECUTE ON FUNCTION ward_audit_append_vouched_v3(text) FROM ward_app'));
      try {
        await assert.rejects(view(500), { code: 'AUDIT_WRITE_FAILED' });
      } finally {
        await t.superuser((tx) => tx.query('GRANT EXECUTE ON FUNCTION ward_audit_append_vouched_v3(text) TO ward_app'));
      }
      assert.equal(await eventsWhere("metadata->>'n' = '500'", []), '0');
      assert.equal(await eventsWhere("outcome = 'failure' AND reasons = ARRAY['AUDIT_WRITE_FAILED'] AND actor_id = $1", [AGENT]), '1');
      await view(501); // and the writer goes on
      assert.equal(await eventsWhere("metadata->>'n' = '501'", []), '1');
    });

    test('ward_app may insert a batch whose MACs verify: the positive control of the refusals below', async () => {
      const r = await issue(event(600));
      assert.equal(await batchAsApp([r]), '');
      assert.equal(await eventsWhere("metadata->>'n' = '600'", []), '1');
      // Replayed: one event per MAC (its id is the key), and the row is there once.
      assert.equal(await batchAsApp([r]), '23505');
      assert.equal(await eventsWhere("metadata->>'n' = '600'", []), '1');
    });

    test('ward_app may insert a batch of events the server vouched for (0105): the positive control of the refusals below', async () => {
      const r = await vouched(event(610));
      assert.match(r.line!, /^[0-9a-f]{64} \d+\t\{/);
      const own = await t.db.scoped(scope, (tx) => writer.issue(tx, event(612))); // an id of the writer's own
      assert.match(own.json.id as string, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a time-ordered id (version 7)');
      assert.equal(await vouchedAsApp([r.line!]), '');
      assert.equal(await eventsWhere("metadata->>'n' = '610'", []), '1');
      // Replayed: one event per voucher (its id is the key), and the row is there once.
      assert.equal(await vouchedAsApp([r.line!]), '23505');
      assert.equal(await eventsWhere("metadata->>'n' = '610'", []), '1');
    });

    test('ward_app calling the vouched batch with a forged or altered voucher, a later expiry, a backdated or expired one is refused (WD001)', async () => {
      const r = await vouched(event(710));
      const [head, text] = r.line!.split('\t') as [string, string];
      const [mac, expires] = head.split(' ') as [string, string];
      const refused = async (line: string, why: string) => assert.equal(await vouchedAsApp([line]), 'WD001', why);
      await refused(`${'0'.repeat(64)} ${expires}\t${text}`, 'a forged MAC');
      await refused(`${head}\t${text.replace('"decision":"allow"', '"decision":"deny"')}`, 'another decision, same voucher');
      await refused(`${head}\t${text.replace(AGENT, OTHER)}`, 'another actor, same voucher');
      await refused(`${head}\t${text.replace(`"tenant_id":"${A}"`, '"tenant_id":"1b000000-0000-4000-8000-00000000a0d1"')}`, 'another tenant, same voucher');
      await refused(`${mac} ${Number(expires) + 10}\t${text}`, 'a later expiry');
      await refused(`${mac}\t${text}`, 'a voucher a field short');
      await refused(`${head} 1\t${text}`, 'a voucher a field long');
      // What only a holder of the scope key could make, made here with it: each well formed, each refused
      // by the rule it breaks (out of its scope's time, expired, too far ahead).
      const key = await loadScopeKey(t.db.systemDb);
      const line = (body: string, exp = expires) => `${createHmac('sha256', key).update(`ward-audit-event-v3\n${exp}\n${body}`, 'utf8').digest('hex')} ${exp}\t${body}`;
      assert.equal(await vouchedAsApp([line(text.replace(r.json.id as string, randomUUID()))]), '', 'the control: well formed and in time');
      const occurred = String(r.json.occurred_us);
      await refused(line(text.replace(occurred, String(Number(occurred) - 3_600_000_000))), 'a backdated event');
      await refused(line(text.replace(occurred, String(Number(occurred) + 60_000_000))), 'an event after its scope expired');
      const past = String(Math.floor(Date.now() / 1000) - 5);
      await refused(line(text.replace(occurred, String((Number(past) - 10) * 1_000_000)), past), 'an expired scope');
      const ahead = String(Math.floor(Date.now() / 1000) + 120);
      await refused(line(text.replace(occurred, String((Number(ahead) - 10) * 1_000_000)), ahead), 'an expiry too far ahead');
      // A good record in the same batch is refused with the forged one: all or nothing.
      const good = await vouched(event(711));
      assert.equal(await vouchedAsApp([good.line!, `${'0'.repeat(64)} ${expires}\t${text}`]), 'WD001');
      assert.equal(await eventsWhere("metadata->>'n' = '711'", []), '0');
      assert.equal(await eventsWhere("metadata->>'n' = '710'", []), '1', 'only the control');
    });

    test('the server vouches only for an event of its transaction\'s own tenant and actor', async () => {
      await assert.rejects(vouched(event(720, { actorId: OTHER })), { code: 'AUDIT_WRITE_FAILED' });
      await assert.rejects(vouched(event(721, { tenantId: '1b000000-0000-4000-8000-00000000a0d1' as never })), { code: 'AUDIT_WRITE_FAILED' });
    });

    test("0073's ward_audit_event_issue (the drill's) answers through 0098's one statement: the same MAC rules, a MAC the batch accepts, no MAC outside the scope", async () => {
      const json = (over: Record<string, unknown> = {}) => ({ id: randomUUID(), tenant_id: A, actor_kind: 'human', actor_id: AGENT, action: 'patient.view', outcome: 'success', metadata: { n: 650 }, ...over });
      const viaIssue = (e: Record<string, unknown>) => t.db.scoped(scope, async (tx) => ({
        json: { ...e, ...(await tx.query<Record<string, unknown>>('SELECT occurred_us, issuer_pid, expires, mac FROM ward_audit_event_issue($1::jsonb)', [JSON.stringify(e)])).rows[0] },
      }));
      const r = await viaIssue(json());
      assert.match(String(r.json.mac), /^[0-9a-f]{64}$/);
      assert.equal(typeof r.json.issuer_pid, 'number');
      assert.equal(await batchAsApp([r]), '');
      assert.equal(await eventsWhere("metadata->>'n' = '650'", []), '1');
      await assert.rejects(viaIssue(json({ actor_id: OTHER })), { code: 'WD001' });
    });

    test('ward_app calling the batch function with a forged, tampered, expired or other-connection MAC is refused (WD001)', async () => {
      const r = await issue(event(700));
      const refused = async (json: Record<string, unknown>, why: string) => assert.equal(await batchAsApp([{ json }]), 'WD001', why);
      await refused({ ...r.json, mac: '0'.repeat(64) }, 'a forged MAC');
      await refused({ ...r.json, actor_id: OTHER }, 'another actor');
      await refused({ ...r.json, decision: 'deny', outcome: 'denied' }, 'another decision');
      await refused({ ...r.json, occurred_us: String(BigInt(r.json.occurred_us as string) - 3_600_000_000n) }, 'a backdated event');
      await refused({ ...r.json, expires: String(Number(r.json.expires) + 3600) }, 'a later expiry');
      await refused({ ...r.json, issuer_pid: (r.json.issuer_pid as number) + 1 }, 'another connection');
      // Expired: a MAC that verifies over an expiry already past (made here with the owner's rights).
      const expires = Math.floor(Date.now() / 1000) - 5;
      const expired = await t.superuser(async (tx) => (await tx.query<{ mac: string }>(
        'SELECT ward_audit_record_mac(jsonb_populate_record(NULL::ward_audit_record, $1::jsonb), $2, $3, k.inner_key, k.outer_key) AS mac FROM ward_scope_keys k WHERE k.id = 1',
        [JSON.stringify(r.json), r.json.issuer_pid, expires])).rows[0]!.mac);
      await refused({ ...r.json, expires: String(expires), mac: expired }, 'an expired MAC');
      // A good record in the same batch is refused with the forged one: all or nothing.
      assert.equal(await batchAsApp([r, { json: { ...r.json, id: randomUUID(), mac: '0'.repeat(64) } }]), 'WD001');
      assert.equal(await eventsWhere("metadata->>'n' = '700'", []), '0');
    });

    test('ward_app gets no MAC without a verified scope, with a scope MAC of another connection, or for another actor or tenant', async () => {
      const issueSql = ISSUE;
      const json = (over: Record<string, unknown> = {}) => JSON.stringify({ id: randomUUID(), tenant_id: A, actor_kind: 'human', actor_id: AGENT, action: 'patient.view', outcome: 'success', ...over });
      assert.equal(await sqlstateAsApp(t, issueSql, [json()]), 'WD001', 'no scope');
      const key = await loadScopeKey(t.db.systemDb);
      const settings = [A, 'Healthcare-PHI', AGENT, 'human'] as const;
      const withScopeOf = (pid: (own: number) => number) => async (tx: Tx) => {
        const own = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        await tx.query(`SELECT ${SET_SCOPE_SETTING}`, [macScope(settings, key, pid(own))]);
      };
      assert.equal(await sqlstateAsApp(t, issueSql, [json()], withScopeOf((own) => own)), '', 'its own verified scope (the control)');
      assert.equal(await sqlstateAsApp(t, issueSql, [json()], withScopeOf((own) => own + 1)), 'WD001', 'a scope MAC made for another connection');
      assert.equal(await sqlstateAsApp(t, issueSql, [json({ actor_id: OTHER })], withScopeOf((own) => own)), 'WD001', 'another actor');
      assert.equal(await sqlstateAsApp(t, issueSql, [json({ tenant_id: '1b000000-0000-4000-8000-00000000a0d1' })], withScopeOf((own) => own)), 'WD001', 'another tenant');
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
      const first = await issue(event(900));
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
      assert.ok(!bursts.some((b) => b.includes(statementName(ISSUE))), 'no MAC issued by the database');
      assert.ok(bursts.at(-1)!.includes('COMMIT'));
      assert.ok(!bursts.some((b) => b.includes(statementName(READ_ONLY_FROM_HERE))), 'the read-only switch is no statement of its own');
      assert.equal(bursts.length, 2, `round trips of a grouped read: ${bursts.length}`);
      assert.equal(await eventsWhere("metadata->>'n' = '991' AND outcome = 'success'", []), '1');
    });

    test('a grouped read whose MAC the database issues: the opening carries synchronous_commit off, the read-only switch no round trip of its own, and the MAC issue and COMMIT leave in one round trip', { skip: engine !== 'postgres' && 'PGlite has no wire: its statements are calls inside this process, so there are no round trips to count' }, async () => {
      await view(1000, { guard: guardIssuing }); // warm: statements prepared on some connection
      const tap = tapPostgresSockets();
      try {
        await view(1001, { guard: guardIssuing });
      } finally {
        tap.stop();
      }
      const bursts = tap.bursts((text) => text.includes('BEGIN; SET LOCAL ward.scope'));
      assert.ok(bursts[0]!.includes('SET LOCAL synchronous_commit = off'), 'the opening carries synchronous_commit off');
      assert.ok(!bursts.some((b) => b.includes("set_config('synchronous_commit'")), 'no statement of its own for it');
      const issue = statementName(ISSUE);
      const last = bursts.at(-1)!;
      assert.ok(last.includes(issue) && last.includes('COMMIT'), 'the MAC issue and the COMMIT leave together');
      assert.equal(bursts.filter((b) => b.includes(issue)).length, 1);
      // The opening with access state, the read-only switch and the load; the issue with the COMMIT.
      assert.equal(bursts.length, 2, `round trips of a grouped read: ${bursts.length}`);
      assert.equal(await eventsWhere("metadata->>'n' = '1001' AND outcome = 'success'", []), '1');
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

    test('a MAC issue that fails in the pipeline denies the read: nothing committed, nothing queued, the failure recorded', async () => {
      const before = writer.stats().records;
      const failed = "outcome = 'failure' AND reasons = ARRAY['AUDIT_WRITE_FAILED'] AND target_id = $1";
      const failedBefore = Number(await eventsWhere(failed, [PATIENT]));
      await t.superuser((tx) => tx.query('REVOKE EXECUTE ON FUNCTION ward_audit_event_mac(jsonb) FROM ward_app'));
      try {
        await assert.rejects(view(1200, { guard: guardIssuing }), { code: 'AUDIT_WRITE_FAILED' });
      } finally {
        await t.superuser((tx) => tx.query('GRANT EXECUTE ON FUNCTION ward_audit_event_mac(jsonb) TO ward_app'));
      }
      assert.equal(writer.stats().records, before, 'nothing reached the writer');
      assert.equal(await eventsWhere("metadata->>'n' = '1200'", []), '0');
      assert.equal(Number(await eventsWhere(failed, [PATIENT])), failedBefore + 1);
    });
  });
}
