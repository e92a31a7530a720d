// R-WORK-2, RFC 7523 §3: the client assertion checks with a frozen clock — what conforming clients send
// is accepted, what is stale, future, foreign or malformed is refused with its reason, and the replay
// store keeps an assertion's id exactly as long as the assertion is usable.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { ASSERTION_MAX_AGE_SECONDS, ASSERTION_SKEW_SECONDS, verifyClientAssertion } from './client-assertion.ts';

const CLIENT = 'wl_AAAAAAAAAAAAAAAAAAAAAA';
const ISSUER = 'https://ward.test';
const NOW = 1_800_000_000;

describe('client assertions (RFC 7523 §3)', async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256' }] };
  const sign = (claims: Record<string, unknown>, key: CryptoKey = privateKey) => {
    const all: Record<string, unknown> = { iss: CLIENT, sub: CLIENT, aud: ISSUER, iat: NOW, exp: NOW + 60, jti: 'a-unique-id', ...claims };
    for (const [k, v] of Object.entries(all)) if (v === undefined) delete all[k];
    return new SignJWT(all).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).sign(key);
  };
  const check = async (claims: Record<string, unknown>, atSeconds = NOW) =>
    verifyClientAssertion(await sign(claims), { clientId: CLIENT, jwks, audiences: [ISSUER, `${ISSUER}/oauth/token`], now: new Date(atSeconds * 1000) });
  const usableUntil = async (claims: Record<string, unknown>) => {
    const r = await check(claims);
    assert.ok(r.ok, JSON.stringify(claims));
    return r.assertion.usableUntil.getTime() / 1000;
  };

  test('the id is kept until the assertion can no longer be used: min(exp, creation + 5 min) plus the skew', async () => {
    assert.equal(await usableUntil({}), NOW + 60 + ASSERTION_SKEW_SECONDS);
    assert.equal(await usableUntil({ exp: NOW + 3600 }), NOW + ASSERTION_MAX_AGE_SECONDS + ASSERTION_SKEW_SECONDS);
    assert.equal(await usableUntil({ iat: undefined, nbf: NOW - 100, exp: NOW + 600 }), NOW - 100 + ASSERTION_MAX_AGE_SECONDS + ASSERTION_SKEW_SECONDS);
    assert.equal(await usableUntil({ iat: undefined, exp: NOW + 200 }), NOW + 200 + ASSERTION_SKEW_SECONDS);
  });

  test('an assertion created 5 minutes and the skew ago is the last one accepted', async () => {
    assert.equal((await check({ iat: NOW - 330, exp: NOW + 60 })).ok, true);
    assert.equal((await check({ iat: NOW - 331, exp: NOW + 60 })).ok, false);
    assert.equal((await check({ iat: NOW + 30, exp: NOW + 90 })).ok, true);
    assert.equal((await check({ iat: NOW + 31, exp: NOW + 90 })).ok, false);
  });

  test('refusals and their reasons', async () => {
    const other = (await generateKeyPair('ES256')).privateKey;
    const cases: [string, Record<string, unknown>, unknown][] = [
      ['a future iat', { iat: NOW + 120, exp: NOW + 300 }, 'iat'],
      ['a stale iat', { iat: NOW - 600, exp: NOW + 600 }, 'iat'],
      ['no iat nor nbf and a far exp', { iat: undefined, exp: NOW + 301 }, 'exp'],
      ['a jti that is not a string', { jti: 7 }, 'jti'],
      ['an empty jti', { jti: '' }, 'jti'],
      ['a jti of 257 characters', { jti: 'x'.repeat(257) }, 'jti'],
    ];
    for (const [name, claims, reason] of cases) {
      const r = await check(claims);
      assert.equal(r.ok, false, name);
      assert.equal(!r.ok && r.cause, reason, name);
    }
    for (const [name, claims] of [['expired', { iat: NOW - 100, exp: NOW - 31 }], ['another audience', { aud: 'https://elsewhere.test' }], ['no exp', { exp: undefined }], ['iss not the client', { iss: 'x' }]] as const) {
      assert.equal((await check(claims)).ok, false, name);
    }
    const foreign = await verifyClientAssertion(await sign({}, other), { clientId: CLIENT, jwks, audiences: [ISSUER], now: new Date(NOW * 1000) });
    assert.equal(foreign.ok, false, 'signed by another key');
  });

  test('the replay key is the jti when there is one, else the signed input', async () => {
    const a = await check({});
    const b = await check({ aud: [ISSUER, 'https://elsewhere.test'] });
    assert.ok(a.ok && b.ok);
    assert.deepEqual(a.assertion.replayKey, b.assertion.replayKey, 'one jti, one id');
    const noJti = await sign({ jti: undefined });
    const x = await verifyClientAssertion(noJti, { clientId: CLIENT, jwks, audiences: [ISSUER], now: new Date(NOW * 1000) });
    const resigned = await verifyClientAssertion(await sign({ jti: undefined }), { clientId: CLIENT, jwks, audiences: [ISSUER], now: new Date(NOW * 1000) });
    assert.ok(x.ok && resigned.ok);
    assert.deepEqual(x.assertion.replayKey, resigned.assertion.replayKey, 'the same claims signed again are the same assertion');
    const later = await check({ jti: undefined, iat: NOW - 1 });
    assert.ok(later.ok);
    assert.notDeepEqual(x.assertion.replayKey, later.assertion.replayKey);
  });
});
