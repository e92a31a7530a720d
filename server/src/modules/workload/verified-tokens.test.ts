// R-WORK-2: the cache of verified access tokens decides time exactly as jose's jwtVerify does, so a
// token served from it is refused at the same second as one verified afresh; the cache is bounded.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { errors, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { createVerifiedTokenCache, timeCheck } from './verified-tokens.ts';

describe('verified access tokens', () => {
  test('timeCheck agrees with jwtVerify on exp and nbf at every instant around them', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const base = 1_800_000_000;
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: -3, max: 3 }), fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }), fc.integer({ min: -2_000, max: 2_000 }),
      async (expOffset, nbfOffset, atMs) => {
        const claims: Record<string, number> = { exp: base + expOffset };
        if (nbfOffset !== undefined) claims.nbf = base + nbfOffset;
        const token = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
        const now = new Date(base * 1000 + atMs);
        let expected: ReturnType<typeof timeCheck>;
        try {
          await jwtVerify(token, publicKey, { currentDate: now });
          expected = 'ok';
        } catch (e) {
          expected = e instanceof errors.JWTExpired ? 'expired' : 'not_yet_valid';
        }
        assert.equal(timeCheck(claims, now), expected);
      }), { numRuns: 200 });
  });

  test('holds at most its bound, the least recently used leaving first', () => {
    const cache = createVerifiedTokenCache<{ n: number }>(3);
    cache.put('a', 'k', { n: 1 });
    cache.put('b', 'k', { n: 2 });
    cache.put('c', 'k', { n: 3 });
    assert.equal(cache.get('a')?.claims.n, 1); // a is now the most recent
    cache.put('d', 'k', { n: 4 });
    assert.equal(cache.size, 3);
    assert.equal(cache.get('b'), undefined, 'b was the least recently used');
    assert.equal(cache.get('a')?.kid, 'k');
    assert.equal(cache.get('a.'), undefined, 'only the exact text is known');
  });
});
