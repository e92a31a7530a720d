// R-WORK-2, RFC 6749 §3.3: what a token request's scope grants, and how the resource server reads it back.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OAuthError } from './oauth-error.ts';
import { grantScope, scopeClaim } from './token-scope.ts';

describe('token scope', () => {
  test('PHI scopes narrow the token to those held; other scope tokens are ignored; the response names the grant', () => {
    const held = ['Dental', 'Healthcare-PHI'] as const;
    assert.deepEqual(grantScope(undefined, held), { narrowedTo: null });
    assert.deepEqual(grantScope('openid mcp:tools', held), { narrowedTo: null, response: 'Healthcare-PHI Dental' });
    assert.deepEqual(grantScope('Dental', held), { narrowedTo: ['Dental'], response: 'Dental' });
    assert.deepEqual(grantScope(' Dental  SUD-Part2 profile ', held), { narrowedTo: ['Dental'], response: 'Dental' });
    assert.deepEqual(grantScope('Dental', []), { narrowedTo: null });
    assert.deepEqual(grantScope('openid', []), { narrowedTo: null });
  });

  test('invalid_scope: a value that is not scope tokens, or PHI scopes none of which is held', () => {
    for (const bad of ['SUD-Part2', 'a"b', 'tab\there', ' ', 'x'.repeat(1025)]) {
      assert.throws(() => grantScope(bad, ['Healthcare-PHI']), (e: unknown) => e instanceof OAuthError && e.error === 'invalid_scope', JSON.stringify(bad));
    }
  });

  test('the scope claim is read back only as PHI scopes', () => {
    assert.equal(scopeClaim(undefined), null);
    assert.deepEqual(scopeClaim('Healthcare-PHI Dental'), ['Healthcare-PHI', 'Dental']);
    for (const bad of ['openid', '', 7, 'Dental ']) assert.equal(scopeClaim(bad), undefined, JSON.stringify(bad));
  });
});
