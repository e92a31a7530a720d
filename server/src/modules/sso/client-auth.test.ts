import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as oidc from 'openid-client';
import { chooseClientAuth, keyAlgFor, keySuits } from './client-auth.ts';

const doc = (extra: Record<string, unknown> = {}) => ({ issuer: 'https://idp.example', ...extra }) as oidc.ServerMetadata;
const methods = (...m: string[]) => doc({ token_endpoint_auth_methods_supported: m });

test('R-AUTHN-2: auto takes client_secret_basic, then post, then client_secret_jwt, from what the document lists', () => {
  assert.equal(chooseClientAuth('auto', doc(), true), 'client_secret_basic'); // Discovery §3: the default when unlisted
  assert.equal(chooseClientAuth('auto', methods('client_secret_post', 'client_secret_basic'), true), 'client_secret_basic');
  assert.equal(chooseClientAuth('auto', methods('private_key_jwt', 'client_secret_post'), true), 'client_secret_post');
  assert.equal(chooseClientAuth('auto', methods('client_secret_jwt'), true), 'client_secret_jwt');
  assert.equal(chooseClientAuth('auto', methods('private_key_jwt'), true), 'private_key_jwt');
  assert.equal(chooseClientAuth('auto', methods('private_key_jwt', 'client_secret_basic'), false), 'private_key_jwt');
});

test('R-AUTHN-2: a method the document rules out is refused with SSO_ISSUER_INVALID; a secret method without a secret is USAGE', () => {
  assert.throws(() => chooseClientAuth('client_secret_basic', methods('client_secret_post'), true), { code: 'SSO_ISSUER_INVALID', message: /does not accept client_secret_basic .*lists client_secret_post/ });
  assert.throws(() => chooseClientAuth('client_secret_jwt', doc({ token_endpoint_auth_methods_supported: ['client_secret_jwt'], token_endpoint_auth_signing_alg_values_supported: ['HS512'] }), true), { code: 'SSO_ISSUER_INVALID' });
  assert.throws(() => chooseClientAuth('auto', methods('tls_client_auth', 'none'), true), { code: 'SSO_ISSUER_INVALID' });
  assert.throws(() => chooseClientAuth('client_secret_post', methods('client_secret_post'), false), { code: 'USAGE' });
  assert.throws(() => chooseClientAuth('auto', doc(), false), { code: 'USAGE' });
  // An unlisted document rules nothing out: the operator's choice stands.
  assert.equal(chooseClientAuth('client_secret_post', doc(), true), 'client_secret_post');
  assert.equal(chooseClientAuth('private_key_jwt', doc(), false), 'private_key_jwt');
});

test("R-AUTHN-2: a document's odd entries never reach the message as written", () => {
  assert.throws(() => chooseClientAuth('client_secret_basic', methods('<script>', 'client_secret_post'), true), (e: Error) => !e.message.includes('<script>'));
});

test('R-AUTHN-2: the private_key_jwt key type is ES256, else RS256, else PS256; RS256 when unlisted; a kept key must still be accepted', () => {
  assert.equal(keyAlgFor(doc()), 'RS256');
  assert.equal(keyAlgFor(doc({ token_endpoint_auth_signing_alg_values_supported: ['RS256', 'ES256'] })), 'ES256');
  assert.equal(keyAlgFor(doc({ token_endpoint_auth_signing_alg_values_supported: ['PS256', 'HS256'] })), 'PS256');
  assert.equal(keyAlgFor(doc({ token_endpoint_auth_signing_alg_values_supported: ['HS256'] })), null);
  assert.equal(keySuits({ kty: 'EC', alg: 'ES256' }, doc({ token_endpoint_auth_signing_alg_values_supported: ['ES256'] })), true);
  assert.equal(keySuits({ kty: 'EC', alg: 'ES256' }, doc({ token_endpoint_auth_signing_alg_values_supported: ['RS256'] })), false);
  assert.equal(keySuits({ kty: 'EC', alg: 'ES256' }, doc()), false);
  assert.equal(keySuits(null, doc()), false);
});
