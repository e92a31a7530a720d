// The record literal a grouped read's audit record travels as (R-AUDIT-2, R-AUTHZ-7; issue 31; 0112;
// record-literal.ts), read back through PostgreSQL's own record_in: a property test over thousands of
// adversarial events (a seeded generator: quotes, backslashes, empty strings and 'NULL', parentheses,
// commas, braces, whitespace, newlines, tabs, non-ASCII, lone surrogates, NUL, long values, and values
// shaped like the fields of another tenant or actor). Every event the writer takes comes back with
// exactly the fields sent; every other one is refused when issued (AUDIT_WRITE_FAILED), fails only its
// own read, and no batch fails. Made with the scope key, the literals PostgreSQL refuses fail their
// whole batch with a stable SQLSTATE and nothing of it is written.
import assert from 'node:assert/strict';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { AuditEventInput, PhiScope } from '@ward/contracts';
import { AUTH_LOOKUPS, type DataScope } from '../../db/types.ts';
import { loadScopeKey } from '../../db/scope-key.ts';
import { checkedRecordLiteral, MAX_BATCH_BODY_BYTES, recordLiteral } from './record-literal.ts';
import { createAuditLog } from './append.ts';
import { batchArguments, createAuditWriter, type AuditWriter, type IssuedRecord } from './writer.ts';
import { POSTGRES_SKIP_REASON, postgresTestDatabase, postgresUrl, type TestDatabase } from '../../../test/support/databases.ts';
import { insertMember, insertTenant } from '../../../test/support/fixtures.ts';
import { prng } from '../../../test/support/prng.ts';

const A = '1a000000-0000-4000-8000-00000000f022';
const B = '1b000000-0000-4000-8000-00000000f022';
const AGENT = 'a1000000-0000-4000-8000-00000000f022';
const scope: DataScope = { tenantId: A, phiScopes: ['Healthcare-PHI'], actorId: AGENT, actorKind: 'human' };
const CASES = 3000;
const SEED = 0x31a0d17;

// Pieces a value is made of: record_in's and array_in's special characters, whitespace, NULL's
// spellings, non-ASCII, and the text of other fields (another tenant, an actor, a whole record's end).
const PIECES = [
  '"', '\\', '\\\\', '""', '\\"', '"\\', ',', '(', ')', '{', '}', '[1:2]=', ' ', '  ', '\t', '\n', '\r\n', '\r', '\v', '\f', "'", '$$',
  'NULL', 'null', '\\N', '', '\\x00', '\\x', '\\u0000', '\\ud800', 'E\'\\n\'', 'é', 'ß', '中文', '😀', '\u2028', '\uFEFF', '\u200B', '\u0001',
  '\u001f', '\u007f', '\u00a0', 'x', 'abc', '0', '-1', '1e400', `","${B}","`, `"),("${B}"`, `,"human","intruder",`, '")', '\\",\\"',
  '{"a":1}', '\\"}', `${B}`, '","allow","{}","{}",,,"success","{}")', 'human', ':', '/',
];
// Pieces PostgreSQL cannot hold as sent: a value with one must be refused when issued.
const REFUSED_PIECES = ['\u0000', '\uD800', '\uDC00', '\uDBFF', 'a\uD83D', '\uDE00b'];
// [address, as PostgreSQL's host() shows it, or null: refused when issued]
const ADDRESSES: Array<[string, string | null]> = [
  ['10.0.0.1', '10.0.0.1'], ['::1', '::1'], ['2001:DB8::1', '2001:db8::1'], ['::ffff:1.2.3.4', '::ffff:1.2.3.4'], ['1:0:0:0:0:0:0:1', '1::1'],
  ['fe80::1%eth0', null], ['10.0.0.1 ', null], [' 10.0.0.1', null], ['10.0.0', null], ['10.0.0.1/8', null], ['', null], ['"', null],
  ['01.2.3.4', null], ['1::2::3', null], ['10.0.0.1","x', null],
];

interface Case { event: AuditEventInput; id: string; ciphertext: Buffer | null; refused: boolean }

function cases(n: number, seed: number): Case[] {
  const rand = prng(seed); // a failing case is found again by its seed and number
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  let refused = false;
  const text = (): string => {
    if (chance(0.002)) return pick(PIECES).repeat(1 + Math.floor(rand() * 5_000)); // a long value
    let s = '';
    for (let k = Math.floor(rand() * 6); k > 0; k -= 1) s += pick(chance(0.002) ? REFUSED_PIECES : PIECES);
    return s;
  };
  const maybe = (): string | null => (chance(0.2) ? null : text());
  const uuid = (): string | null => {
    if (chance(0.3)) return null;
    if (chance(0.02)) return randomUUID().toUpperCase(); // the same uuid in capitals: taken, stored in small letters
    if (chance(0.01)) {
      refused = true;
      return pick([`{${randomUUID()}}`, ` ${randomUUID()}`, randomUUID().replace(/-/g, ''), `${randomUUID()}","${B}`, '']);
    }
    return randomUUID();
  };
  const json = (depth: number): unknown => {
    const r = rand();
    if (r < 0.4) return text();
    if (r < 0.55) return pick([0, -1, 1.5, 1e21, -0, 2 ** 53, 0.1 + 0.2, 1e-7]);
    if (r < 0.65) return pick([true, false, null]);
    if (depth > 2) return text();
    if (r < 0.8) return Array.from({ length: Math.floor(rand() * 3) }, () => json(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, () => [text(), json(depth + 1)]));
  };
  return Array.from({ length: n }, () => {
    refused = false;
    const [ip, shown] = chance(0.3) ? [null, null] : pick(ADDRESSES.filter(([, to]) => (to === null) === chance(0.05)));
    if (ip !== null && shown === null) refused = true;
    const decision = chance(0.02) ? pick(['maybe', 'ALLOW', '']) : pick(['allow', 'deny', null]);
    const outcome = chance(0.02) ? pick(['ok', 'success ', '']) : pick(['success', 'failure', 'denied']);
    if (decision !== null && decision !== 'allow' && decision !== 'deny') refused = true;
    if (!['success', 'failure', 'denied'].includes(outcome)) refused = true;
    const event: AuditEventInput = {
      tenantId: A, actorKind: 'human', actorId: AGENT, onBehalfOf: maybe(), sessionId: uuid(), deviceId: uuid(), sourceIp: ip,
      action: text(), targetType: maybe(), targetId: maybe(), phiScope: pick<PhiScope | null>(['Healthcare-PHI', 'SUD-Part2', null]),
      decision: decision as AuditEventInput['decision'], policyIds: Array.from({ length: Math.floor(rand() * 4) }, text),
      reasons: Array.from({ length: Math.floor(rand() * 4) }, text), purpose: maybe(), outcome: outcome as AuditEventInput['outcome'],
      metadata: (chance(0.1) ? Object.fromEntries(Array.from({ length: 3 }, () => [text(), text()])) : json(0)) as AuditEventInput['metadata'],
    };
    if (event.metadata === null || typeof event.metadata !== 'object' || Array.isArray(event.metadata)) event.metadata = { v: event.metadata as never };
    if (Buffer.byteLength(event.onBehalfOf ?? '') > 2_000) refused = true; // an index entry's bound
    // A text is refused for what it holds in the end (two halves of a pair side by side make one
    // character; a metadata key given twice keeps its last value).
    if (texts(event).some((x) => x.includes('\u0000') || !x.isWellFormed())) refused = true;
    const ciphertext = chance(0.5) ? null : Buffer.from(Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256)));
    return { event, id: randomUUID(), ciphertext, refused };
  });
}

/** Every text of an event: its fields, array elements, and metadata's keys and strings at any depth. */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...texts(v)]);
  return [];
}

/** The row as sent: every field in the form the query below reads it. */
function expected(c: Case, occurredUs: number): Record<string, unknown> {
  const e = c.event;
  const ip = e.sourceIp == null ? null : ADDRESSES.find(([a]) => a === e.sourceIp)![1];
  return {
    id: c.id, tenant_id: e.tenantId, occurred_us: String(occurredUs), actor_kind: e.actorKind, actor_id: e.actorId, on_behalf_of: e.onBehalfOf ?? null,
    session_id: e.sessionId?.toLowerCase() ?? null, device_id: e.deviceId?.toLowerCase() ?? null, ip, action: e.action, target_type: e.targetType ?? null,
    target_id: e.targetId ?? null, phi_scope: e.phiScope ?? null, decision: e.decision ?? null, policy_ids: e.policyIds ?? [], reasons: e.reasons ?? [],
    purpose: e.purpose ?? null, j: c.ciphertext?.toString('hex') ?? null, outcome: e.outcome, metadata: JSON.parse(JSON.stringify(e.metadata ?? {})),
  };
}

// Every field as text or JSON (arrays through to_jsonb, so that no client-side array parser is trusted).
const READ = `SELECT id::text, tenant_id::text, (extract(epoch FROM occurred_at) * 1000000)::bigint::text AS occurred_us, actor_kind, actor_id,
  on_behalf_of, session_id::text, device_id::text, host(source_ip) AS ip, action, target_type, target_id, phi_scope, decision,
  to_jsonb(policy_ids) AS policy_ids, to_jsonb(reasons) AS reasons, purpose, encode(justification_enc, 'hex') AS j, outcome, metadata
  FROM audit_events WHERE id = ANY($1::uuid[])`;

describe('the record literal of a grouped read, read back by PostgreSQL', { skip: postgresUrl ? false : POSTGRES_SKIP_REASON }, () => {
  let t: TestDatabase;
  let writer: AuditWriter;
  const count = (ids: readonly string[]) => t.superuser(async (tx) => Number((await tx.query<{ n: string }>('SELECT count(*) AS n FROM audit_events WHERE id = ANY($1::uuid[])', [ids])).rows[0]!.n));

  before(async () => {
    t = await postgresTestDatabase();
    await t.superuser(async (tx) => {
      await insertTenant(tx, A, 'literal-a');
      await insertTenant(tx, B, 'literal-b');
      await insertMember(tx, { id: AGENT, tenantId: A, email: 'agent@literal.test', roles: ['Agent'], scopes: ['Healthcare-PHI'] });
    });
    writer = createAuditWriter({ db: t.db });
  });
  after(async () => {
    await writer?.close();
    await t?.close();
  });

  test(`${CASES} adversarial events: each taken comes back with exactly its fields, each other refused when issued; no batch fails`, async () => {
    const all = cases(CASES, SEED);
    const issued = await t.db.scoped(scope, (tx) => Promise.all(all.map((c) => writer.issue(tx, c.event, { id: c.id, justificationCiphertext: c.ciphertext }).then(
      (r) => r,
      (e: { code?: string }) => {
        assert.equal(e.code, 'AUDIT_WRITE_FAILED');
        return null;
      },
    ))));
    const taken = all.flatMap((c, i) => {
      const r = issued[i];
      return r ? [{ c, r }] : [];
    });
    for (const [i, c] of all.entries()) assert.equal(issued[i] === null, c.refused, `case ${i} (seed ${SEED}) was ${issued[i] ? 'taken' : 'refused'}`);
    assert.ok(taken.length > CASES * 0.75 && taken.length < CASES, `taken ${taken.length} of ${CASES}: most, not all`);
    const batches = writer.stats().batches;
    await Promise.all(taken.map(({ r }) => writer.commit(r))); // a failed batch rejects here
    assert.ok(writer.stats().batches - batches >= Math.ceil(taken.length / 256), 'several batches');
    const rows = (await t.superuser((tx) => tx.query<Record<string, unknown>>(READ, [taken.map(({ c }) => c.id)]))).rows;
    const byId = new Map(rows.map((row) => [row.id as string, row]));
    assert.equal(rows.length, taken.length);
    for (const { c, r } of taken) assert.deepEqual(byId.get(c.id), expected(c, r.occurredUs), `case ${all.indexOf(c)} (seed ${SEED})`);
    assert.equal(await count(all.filter((c) => c.refused).map((c) => c.id)), 0, 'nothing of a refused event');
  });

  test('regressions: what PostgreSQL would refuse or change is refused when issued, and fails no batch (fail closed)', async () => {
    const base: AuditEventInput = { tenantId: A, actorKind: 'human', actorId: AGENT, action: 'patient.view', outcome: 'success' };
    const refusals: Array<[Partial<AuditEventInput>, string]> = [
      [{ metadata: { q: 'a\u0000b' } }, 'metadata_escape'], // JSON.stringify writes \u0000, which jsonb refuses (22P05)
      [{ metadata: { 'k\u0000': 1 } }, 'metadata_escape'],
      [{ metadata: { q: '\uD800' } }, 'metadata_escape'], // escaped by JSON.stringify, refused by jsonb (22P02)
      [{ targetId: 'x\uDC00' }, 'nul_or_lone_surrogate'], // would be stored as U+FFFD: another value
      [{ reasons: ['\uD83D'] }, 'nul_or_lone_surrogate'],
      [{ sourceIp: 'fe80::1%eth0' }, 'not_an_address'], // Node's isIP takes a zone; inet does not (22P02)
      [{ sessionId: 'not-a-uuid' }, 'not_a_uuid'],
      [{ outcome: 'ok' as never }, 'not_a_known_value'], // audit_events_outcome_check (23514)
      [{ onBehalfOf: 'x'.repeat(3_000) }, 'indexed_text_too_long'], // an index entry past 2,704 bytes (54000)
      [{ targetId: 'é'.repeat(Math.ceil(MAX_BATCH_BODY_BYTES / 2)) }, 'too_long'], // past the batch's 7-digit ranges (WD001)
    ];
    for (const [over, rule] of refusals) {
      assert.throws(() => checkedRecordLiteral({ ...base, ...over }, randomUUID(), Date.now() * 1000, null), { code: 'AUDIT_WRITE_FAILED', message: 'The audit record could not be written.' }, rule);
      try {
        checkedRecordLiteral({ ...base, ...over }, randomUUID(), Date.now() * 1000, null);
      } catch (e) {
        assert.equal((e as { detail?: string }).detail, `audit writer: ${rule}`);
      }
    }
    // Not refused: a backslash and the letters of an escape are data (JSON.stringify writes \\u0000).
    for (const metadata of [{ q: '\\u0000' }, { q: '\\ud800' }, { q: '\\\\u0000' }]) {
      assert.doesNotThrow(() => checkedRecordLiteral({ ...base, metadata }, randomUUID(), Date.now() * 1000, null));
    }
    // Issued beside a good record: the refused one fails at once, the good one's batch commits.
    const good = await t.db.scoped(scope, (tx) => writer.issue(tx, { ...base, metadata: { n: 1 } }));
    await assert.rejects(t.db.scoped(scope, (tx) => writer.issue(tx, { ...base, metadata: { q: '\u0000' } })), { code: 'AUDIT_WRITE_FAILED' });
    await writer.commit(good);
    assert.equal(await count([good.id]), 1);
  });

  test('a write\'s record (audit.append) with a lone surrogate is refused too, not stored as U+FFFD', async () => {
    const id = randomUUID();
    for (const over of [{ targetId: 'x\uD800' }, { reasons: ['\uDC00'] }, { purpose: 'a\uD83D' }]) {
      await assert.rejects(t.db.scoped(scope, (tx) => createAuditLog().append(tx, { tenantId: A, actorKind: 'human', actorId: AGENT, action: 'patient.update', outcome: 'success', ...over }, { id })), { code: 'AUDIT_WRITE_FAILED' });
    }
    await t.db.scoped(scope, (tx) => createAuditLog().append(tx, { tenantId: A, actorKind: 'human', actorId: AGENT, action: 'patient.update', outcome: 'success', targetId: 'x\uD83D\uDE00' }, { id }));
    assert.equal(await count([id]), 1, 'the control: a pair is one character');
  });

  test('literals larger than one batch can address are cut into several batches, each committed', async () => {
    const big = (n: number) => ({ tenantId: A, actorKind: 'human' as const, actorId: AGENT, action: 'patient.view', outcome: 'success' as const, targetId: String(n).repeat(1_500_000) });
    const records = await t.db.scoped(scope, (tx) => Promise.all([1, 2, 3].map((n) => writer.issue(tx, big(n)))));
    const batches = writer.stats().batches;
    await Promise.all(records.map((r) => writer.commit(r)));
    assert.equal(writer.stats().batches - batches, 2, '13.5 MB at most of literals a batch: two batches');
    assert.equal(await count(records.map((r) => r.id)), 3);
  });

  test('made with the scope key, a literal PostgreSQL refuses fails its whole batch with a stable SQLSTATE, and nothing of it is written', async () => {
    const key = await loadScopeKey(t.db.systemDb);
    const expires = String(Math.floor(Date.now() / 1000) + 25);
    const record = (text: string): Pick<IssuedRecord, 'voucher' | 'text'> => ({
      voucher: `${createHmac('sha256', key).update(`ward-audit-event-v4\n${expires}\n${text}`, 'utf8').digest('hex')} ${expires}`, text,
    });
    const base: AuditEventInput = { tenantId: A, actorKind: 'human', actorId: AGENT, action: 'patient.view', outcome: 'success' };
    const us = () => Date.now() * 1000;
    const asApp = (records: Array<Pick<IssuedRecord, 'voucher' | 'text'>>) =>
      t.asAppWithoutSettings(async (tx) => {
        await tx.query(AUTH_LOOKUPS.auditVouchedBatch, batchArguments(records));
        return '';
      }).catch((e: { code?: string }) => e.code ?? 'no-sqlstate');
    const goodId = randomUUID();
    const good = record(recordLiteral(base, goodId, us(), null));
    const bad: Array<[string, string, string]> = [
      ['a NUL escaped in the metadata', '22P05', recordLiteral({ ...base, metadata: { q: '\u0000' } }, randomUUID(), us(), null)],
      ['a lone surrogate escaped in the metadata', '22P02', recordLiteral({ ...base, metadata: { q: '\uD800' } }, randomUUID(), us(), null)],
      ['an address with a zone', '22P02', recordLiteral({ ...base, sourceIp: 'fe80::1%eth0' }, randomUUID(), us(), null)],
      ['a session that is no uuid', '22P02', recordLiteral({ ...base, sessionId: 'x' }, randomUUID(), us(), null)],
      ['an unknown outcome', '23514', recordLiteral({ ...base, outcome: 'ok' as never }, randomUUID(), us(), null)],
      // 0113: the domains refuse as the table's checks did.
      ['an unknown decision', '23514', recordLiteral({ ...base, decision: 'maybe' as never }, randomUUID(), us(), null)],
      ['an unknown PHI scope', '23514', recordLiteral({ ...base, phiScope: 'Dental ' as never }, randomUUID(), us(), null)],
      ['an unknown actor kind', '23514', recordLiteral({ ...base, actorKind: 'robot' as never }, randomUUID(), us(), null)],
      ['an index entry too large', '54000', recordLiteral({ ...base, onBehalfOf: randomBytes(3_000).toString('hex') }, randomUUID(), us(), null)],
      ['a field too many', '22P02', recordLiteral(base, randomUUID(), us(), null).replace(/\)$/, ',"x")')],
      ['a field too few', '22P02', recordLiteral(base, randomUUID(), us(), null).replace(/,"\{\}"\)$/, ')')],
      ['text after the record', '22P02', `${recordLiteral(base, randomUUID(), us(), null)}x`],
    ];
    for (const [why, state, text] of bad) assert.equal(await asApp([good, record(text)]), state, why);
    assert.equal(await count([goodId]), 0, 'nothing of the batches');
    assert.equal(await asApp([good]), '', 'the control: the good record alone');
    assert.equal(await count([goodId]), 1);
  });
});
