import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import { scopeSettings } from './scope.ts';
import { beginScopeSql, macScope, SCOPE_MAC_SECONDS, scopeLiteral } from './scope-key.ts';

const KEY = Buffer.alloc(64, 7);
const T = '0a000000-0000-4000-8000-000000000000';
const SCOPE = { tenantId: T, phiScopes: ['Healthcare-PHI', 'Dental'] as const, actorId: 'member-1', actorKind: 'human' as const };
const settings = (over: object = {}) => scopeSettings({ ...SCOPE, phiScopes: [...SCOPE.phiScopes], ...over });

test('the scope MAC covers tenant, PHI keys, actor, backend pid and an expiry 30 s ahead (R-AUTHZ-7, 0099, 0103)', () => {
  const now = 1_700_000_000_500;
  const value = macScope(settings(), KEY, 4242, now);
  const expires = String(1_700_000_000 + SCOPE_MAC_SECONDS);
  const covered = `\n${T}\n${T}/Healthcare-PHI,${T}/Dental\n${T}/human:member-1\n${expires}`;
  const pid = Buffer.from([0, 0, 0, 0, 0, 0, 0x10, 0x92]); // 4242, eight bytes big-endian, as int8send(pg_backend_pid()) gives it
  const innerBlock = Buffer.from(KEY.map((b) => b ^ 0x36)); // ward_scope_keys.inner_key
  const expected = createHash('sha256').update(Buffer.concat([innerBlock, Buffer.from(`ward-scope-v3${covered}`, 'utf8'), pid])).digest('hex');
  assert.equal(value, expected + covered);
  const hmacOf0099 = createHmac('sha256', KEY).update(Buffer.concat([Buffer.from(`ward-scope-v2${covered}`, 'utf8'), pid.subarray(4)])).digest('hex');
  assert.notEqual(value.slice(0, 64), hmacOf0099, 'not the MAC of 0099');
  assert.notEqual(macScope(settings(), KEY, 4243, now).slice(0, 64), expected, 'another connection, another MAC');
  assert.equal(macScope(settings({ phiScopes: [] }), KEY, 4242, now).split('\n')[2], '', 'no PHI scope, no key');
});

test('the MAC is the same for values near and past the end of the reused message buffer, multibyte actors included (R-AUTHZ-7, R-OPS-1)', () => {
  const now = 1_700_000_000_500;
  const innerBlock = Buffer.from(KEY.map((b) => b ^ 0x36));
  const pid = Buffer.from([0, 0, 0, 0, 0, 0, 0x10, 0x92]);
  for (const length of [1, 700, 780, 800, 820, 850, 900, 950, 1000, 5000]) {
    for (const unit of ['a', 'é', '€', '😀']) {
      const actorId = unit.repeat(Math.ceil(length / unit.length)).slice(0, length).replace(/\uD83D$/, 'a');
      const value = macScope(settings({ actorId }), KEY, 4242, now);
      const covered = value.slice(64);
      const expected = createHash('sha256').update(Buffer.concat([innerBlock, Buffer.from(`ward-scope-v3${covered}`, 'utf8'), pid])).digest('hex');
      assert.equal(value.slice(0, 64), expected, `actor of ${length} × ${unit}`);
      assert.ok(covered.endsWith(`/human:${actorId}\n${1_700_000_000 + SCOPE_MAC_SECONDS}`));
    }
  }
});

test('an actor id with a control character, or a connection without a pid, is refused before the database', () => {
  assert.throws(() => scopeSettings({ ...SCOPE, phiScopes: [], actorId: 'a\nb' }), { code: 'SCOPE_INVALID' });
  assert.throws(() => macScope(settings({ phiScopes: [] }), KEY, 0), { code: 'SCOPE_INVALID' });
  assert.throws(() => macScope(settings({ phiScopes: [] }), KEY, 2 ** 31), { code: 'SCOPE_INVALID' });
  assert.throws(() => macScope(settings({ phiScopes: [] }), Buffer.alloc(32, 7), 4242), { code: 'DB_SCOPE_KEY_UNAVAILABLE' });
});

test('a scope value is quoted as E-string, a quote and a backslash doubled, a newline written \\n, another control character refused (R-AUTHZ-7)', () => {
  assert.equal(scopeLiteral("o'brien\\x"), "E'o''brien\\\\x'");
  assert.equal(scopeLiteral(''), "E''");
  assert.equal(scopeLiteral("'; SELECT 1; --"), "E'''; SELECT 1; --'");
  assert.equal(scopeLiteral('a\nb\\n'), "E'a\\nb\\\\n'");
  for (const bad of ['a\u0000', 'a\rb', 'a\tb', '\u007f']) assert.throws(() => scopeLiteral(bad), { code: 'SCOPE_INVALID' });
});

test('BEGIN and the scope leave as one message with one SET LOCAL (R-OPS-1)', () => {
  const value = macScope(settings({ actorId: "o'brien" }), KEY, 4242, 1_700_000_000_500);
  const sql = beginScopeSql(value);
  assert.match(sql, new RegExp(`^BEGIN; SET LOCAL ward\\.scope = E'[0-9a-f]{64}\\\\n${T}\\\\n${T}/Healthcare-PHI,${T}/Dental\\\\n${T}/human:o''brien\\\\n1700000030'$`));
  assert.match(beginScopeSql(value, { asyncCommit: true }), /'; SET LOCAL synchronous_commit = off$/);
});
