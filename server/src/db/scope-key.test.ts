import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { scopeSettings } from './scope.ts';
import { beginScopeSql, macScopeSettings, SCOPE_MAC_SECONDS, scopeLiteral } from './scope-key.ts';

const KEY = Buffer.alloc(64, 7);
const SCOPE = { tenantId: '0a000000-0000-4000-8000-000000000000', phiScopes: ['Healthcare-PHI', 'Dental'] as const, actorId: 'member-1', actorKind: 'human' as const };

test('the scope MAC covers tenant, scopes, actor, backend pid and an expiry 30 s ahead (R-AUTHZ-7)', () => {
  const now = 1_700_000_000_500;
  const [tenant, scopes, actor, kind, expires, mac] = macScopeSettings(scopeSettings({ ...SCOPE, phiScopes: [...SCOPE.phiScopes] }), KEY, 4242, now);
  assert.equal(expires, String(1_700_000_000 + SCOPE_MAC_SECONDS));
  const expected = createHmac('sha256', KEY).update(['ward-scope-v1', tenant, scopes, actor, kind, '4242', expires].join('\n')).digest('hex');
  assert.equal(mac, expected);
  assert.notEqual(macScopeSettings(scopeSettings({ ...SCOPE, phiScopes: [...SCOPE.phiScopes] }), KEY, 4243, now)[5], mac, 'another connection, another MAC');
});

test('an actor id with a control character, or a connection without a pid, is refused before the database', () => {
  assert.throws(() => scopeSettings({ ...SCOPE, phiScopes: [], actorId: 'a\nb' }), { code: 'SCOPE_INVALID' });
  assert.throws(() => macScopeSettings(scopeSettings({ ...SCOPE, phiScopes: [] }), KEY, 0), { code: 'SCOPE_INVALID' });
});

test('a scope value is quoted as E-string, a quote and a backslash doubled, a control character refused (R-AUTHZ-7)', () => {
  assert.equal(scopeLiteral("o'brien\\x"), "E'o''brien\\\\x'");
  assert.equal(scopeLiteral(''), "E''");
  assert.equal(scopeLiteral("'; SELECT 1; --"), "E'''; SELECT 1; --'");
  for (const bad of ['a\nb', 'a\u0000', 'a\rb', '\u007f']) assert.throws(() => scopeLiteral(bad), { code: 'SCOPE_INVALID' });
});

test('BEGIN and the six scope settings leave as one message of SET LOCALs (R-OPS-1)', () => {
  const values = macScopeSettings(scopeSettings({ ...SCOPE, phiScopes: [...SCOPE.phiScopes], actorId: "o'brien" }), KEY, 4242, 1_700_000_000_500);
  const sql = beginScopeSql(values);
  assert.match(sql, /^BEGIN; SET LOCAL ward\.tenant_id = E'0a000000-0000-4000-8000-000000000000'; SET LOCAL ward\.phi_scopes = E'Healthcare-PHI,Dental'; SET LOCAL ward\.actor_id = E'o''brien'; SET LOCAL ward\.actor_kind = E'human'; SET LOCAL ward\.scope_expires = E'1700000030'; SET LOCAL ward\.scope_mac = E'[0-9a-f]{64}'$/);
  assert.throws(() => beginScopeSql(values.slice(0, 5)), { code: 'SCOPE_INVALID' });
});
