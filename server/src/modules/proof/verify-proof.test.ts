// R-SESS-4, R-WORK-2: the proof-of-possession verifier's failure table (RFC 9449 §4.3), with a
// frozen clock: every check refuses with its own reason, and a proof that passes them all yields the
// key's thumbprint. The replay check runs against the real store on the embedded database.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { constants, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, CompactSign, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { embeddedTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import {
  accessTokenHash, createNonceSource, createProofKeyCache, createProofVerifier, createReplayStore, DEVICE_PROOF_ALGORITHMS,
  PROOF_ALGORITHMS, PROOF_FAILURES, ProofError, pruneSpentProofs, type ProofFailure,
} from './index.ts';

const NOW = new Date('2026-12-05T12:00:00Z');
const clock = { now: () => NOW };
const nowSeconds = NOW.getTime() / 1000;
const URL_ = 'https://ward.example/v1/patients/123';
const TOKEN = 'access-token-abc';

interface Proof {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** Sign with this key instead of the one the header names. */
  signWith?: CryptoKey;
  /** The raw payload bytes instead of the JSON claims. */
  rawPayload?: Uint8Array;
}

let key: CryptoKey;
let jwk: JWK;
let otherKey: CryptoKey;
/** A key pair for every algorithm but ES256 (`key` and `jwk`), generated once. */
const pairs = new Map<string, { privateKey: CryptoKey; jwk: JWK }>();

async function sign(p: Proof = {}): Promise<string> {
  const claims = { htm: 'GET', htu: URL_, iat: nowSeconds, jti: randomUUID(), ...p.claims };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete (claims as Record<string, unknown>)[k];
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk, ...p.header };
  const payload = p.rawPayload ?? new TextEncoder().encode(JSON.stringify(claims));
  const signer = p.signWith ?? (header.alg === 'ES256' ? key : pairs.get(header.alg as string)!.privateKey);
  return new CompactSign(payload).setProtectedHeader(header as never).sign(signer);
}

/** A good proof under a header a JWS library would refuse to sign, signed with WebCrypto directly. */
async function signAnyHeader(header: Record<string, unknown>): Promise<string> {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify({ htm: 'GET', htu: URL_, iat: nowSeconds, jti: randomUUID() })).toString('base64url')}`;
  const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, Buffer.from(input));
  return `${input}.${Buffer.from(sig).toString('base64url')}`;
}

const rsaPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsa = rsaPair();
/** A good proof naming `rsa`'s public key under `alg`, signed by `signer` with the padding of `signedAs` (node:crypto, past jose's checks). */
function signRsa(alg: string, signedAs: 'RS256' | 'PS256', signer: KeyObject): string {
  const header = { typ: 'dpop+jwt', alg, jwk: rsa.publicKey.export({ format: 'jwk' }) };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify({ htm: 'GET', htu: URL_, iat: nowSeconds, jti: randomUUID() })).toString('base64url')}`;
  const padding = signedAs === 'PS256' ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : {};
  return `${input}.${cryptoSign('sha256', Buffer.from(input), { key: signer, ...padding }).toString('base64url')}`;
}

/** The proof with the last bit of its signature's r ‖ s flipped. */
function flipLastSignatureBit(proof: string): string {
  const [h, p, s] = proof.split('.') as [string, string, string];
  const sig = Buffer.from(s, 'base64url');
  sig[sig.length - 1]! ^= 1;
  return `${h}.${p}.${sig.toString('base64url')}`;
}

/** The proof with its signature re-encoded as an ASN.1 DER ECDSA-Sig-Value (what P-256 signers also emit). */
function asDerSignature(proof: string): string {
  const [h, p, s] = proof.split('.') as [string, string, string];
  const raw = Buffer.from(s, 'base64url');
  const int = (b: Buffer) => {
    let v = b;
    while (v.length > 1 && v[0] === 0 && v[1]! < 0x80) v = v.subarray(1);
    if (v[0]! >= 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02, v.length]), v]);
  };
  const body = Buffer.concat([int(raw.subarray(0, 32)), int(raw.subarray(32))]);
  return `${h}.${p}.${Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('base64url')}`;
}

const nonces = () => createNonceSource({ secret: new Uint8Array(32).fill(7), clock });
const verifier = createProofVerifier({ clock, keys: createProofKeyCache() });
const withNonces = createProofVerifier({ clock, keys: createProofKeyCache(), nonces: nonces() });
const deviceVerifier = createProofVerifier({ clock, keys: createProofKeyCache(), algorithms: DEVICE_PROOF_ALGORITHMS });
/** An RSA modulus of `bits` bits (top bit set), base64url: never imported, only measured. */
const modulusOf = (bits: number) => { const n = randomBytes(Math.ceil(bits / 8)); n[0] = 0x80 >> ((8 - (bits % 8)) % 8); return n.toString('base64url'); };

before(async () => {
  const pair = await generateKeyPair('ES256');
  key = pair.privateKey;
  const full = await exportJWK(pair.publicKey);
  jwk = { kty: full.kty, crv: full.crv, x: full.x, y: full.y };
  otherKey = (await generateKeyPair('ES256')).privateKey;
  for (const alg of PROOF_ALGORITHMS.filter((a) => a !== 'ES256')) {
    const pair = await generateKeyPair(alg, { crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
    pairs.set(alg, { privateKey: pair.privateKey, jwk: await exportJWK(pair.publicKey) });
  }
});

/** Each row: what is wrong with the proof, and the one reason it must be refused with. */
const TABLE: { name: string; header: () => Promise<string | string[] | undefined>; expect: ProofFailure; accessToken?: string; verifier?: typeof verifier }[] = [
  { name: 'no DPoP header', header: async () => undefined, expect: 'missing' },
  { name: 'an empty DPoP header', header: async () => '', expect: 'missing' },
  { name: 'two DPoP headers', header: async () => [await sign(), await sign()], expect: 'multiple' },
  { name: 'two proofs joined in one header', header: async () => `${await sign()}, ${await sign()}`, expect: 'multiple' },
  { name: 'not a compact JWS', header: async () => 'a.b', expect: 'malformed' },
  { name: 'a header that is not JSON', header: async () => `${Buffer.from('{no').toString('base64url')}.e30.c2ln`, expect: 'malformed' },
  { name: 'a proof over 4096 characters', header: async () => sign({ claims: { pad: 'x'.repeat(4096) } }), expect: 'malformed' },
  { name: 'a payload that is not JSON', header: async () => sign({ rawPayload: new TextEncoder().encode('not json') }), expect: 'malformed' },
  { name: 'a payload that is a JSON array', header: async () => sign({ rawPayload: new TextEncoder().encode('[1]') }), expect: 'malformed' },
  { name: 'typ JWT', header: async () => sign({ header: { typ: 'JWT' } }), expect: 'typ' },
  { name: 'no typ', header: async () => sign({ header: { typ: undefined } }), expect: 'typ' },
  { name: 'alg ES384 for a device proof (ES256 only)', header: async () => sign({ header: { alg: 'ES384', jwk: pairs.get('ES384')!.jwk } }), verifier: deviceVerifier, expect: 'alg' },
  { name: 'alg RS256 for a device proof (ES256 only)', header: async () => sign({ header: { alg: 'RS256', jwk: pairs.get('RS256')!.jwk } }), verifier: deviceVerifier, expect: 'alg' },
  { name: 'alg HS512', header: async () => `${Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'HS512', jwk })).toString('base64url')}.e30.c2ln`, expect: 'alg' },
  { name: 'alg ES256K', header: async () => `${Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256K', jwk })).toString('base64url')}.e30.c2ln`, expect: 'alg' },
  { name: 'alg RSA1_5 (an encryption algorithm)', header: async () => `${Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'RSA1_5', jwk })).toString('base64url')}.e30.c2ln`, expect: 'alg' },
  { name: 'alg none', header: async () => `${Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'none', jwk })).toString('base64url')}.e30.`, expect: 'alg' },
  { name: 'alg HS256', header: async () => `${Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'HS256', jwk })).toString('base64url')}.e30.c2ln`, expect: 'alg' },
  { name: 'no jwk', header: async () => sign({ header: { jwk: undefined } }), expect: 'jwk' },
  { name: 'a jwk with its private part', header: async () => sign({ header: { jwk: { ...jwk, d: 'A'.repeat(43) } } }), expect: 'jwk' },
  { name: 'an RSA jwk', header: async () => sign({ header: { jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } } }), expect: 'jwk' },
  { name: 'a P-256 jwk for ES384', header: async () => sign({ header: { alg: 'ES384', jwk } }), expect: 'jwk' },
  { name: 'a P-384 jwk for ES512', header: async () => sign({ header: { alg: 'ES512', jwk: pairs.get('ES384')!.jwk } }), expect: 'jwk' },
  { name: 'an EC jwk for RS256', header: async () => sign({ header: { alg: 'RS256', jwk } }), expect: 'jwk' },
  { name: 'an X25519 jwk for EdDSA', header: async () => sign({ header: { alg: 'EdDSA', jwk: { ...pairs.get('EdDSA')!.jwk, crv: 'X25519' } } }), expect: 'jwk' },
  { name: 'an RSA jwk with its private part', header: async () => sign({ header: { alg: 'PS256', jwk: { ...pairs.get('PS256')!.jwk, p: 'AQAB' } } }), expect: 'jwk' },
  { name: 'an RSA modulus of 1024 bits', header: async () => sign({ header: { alg: 'RS256', jwk: generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }) } }), expect: 'jwk' },
  { name: 'an RSA modulus of 2047 bits', header: async () => sign({ header: { alg: 'RS256', jwk: { kty: 'RSA', e: 'AQAB', n: modulusOf(2047) } } }), expect: 'jwk' },
  { name: 'an RSA modulus of 8200 bits', header: async () => sign({ header: { alg: 'RS256', jwk: { kty: 'RSA', e: 'AQAB', n: modulusOf(8200) } } }), expect: 'jwk' },
  { name: 'an RSA exponent of 64 bits', header: async () => sign({ header: { alg: 'RS256', jwk: { ...pairs.get('RS256')!.jwk, e: 'AQAAAAAAAAE' } } }), expect: 'jwk' },
  { name: 'a jwk whose point is not on the curve', header: async () => sign({ header: { jwk: { ...jwk, y: jwk.x } } }), expect: 'jwk' },
  { name: 'a signature by another key', header: async () => sign({ signWith: otherKey }), expect: 'signature' },
  { name: 'a signature with one bit changed', header: async () => flipLastSignatureBit(await sign()), expect: 'signature' },
  { name: 'an RS256 signature by another key', header: async () => signRsa('RS256', 'RS256', rsaPair().privateKey), expect: 'signature' },
  { name: 'an RS256 signature under a PS256 header', header: async () => signRsa('PS256', 'RS256', rsa.privateKey), expect: 'signature' },
  { name: 'a PS256 signature under an RS256 header', header: async () => signRsa('RS256', 'PS256', rsa.privateKey), expect: 'signature' },
  { name: 'an Ed25519 signature with one bit changed', header: async () => flipLastSignatureBit(await sign({ header: { alg: 'Ed25519', jwk: pairs.get('Ed25519')!.jwk } })), expect: 'signature' },
  { name: 'an ES384 signature with one bit changed', header: async () => flipLastSignatureBit(await sign({ header: { alg: 'ES384', jwk: pairs.get('ES384')!.jwk } })), expect: 'signature' },
  { name: 'a critical header parameter under PS256', header: async () => sign({ header: { alg: 'PS256', jwk: pairs.get('PS256')!.jwk, crit: ['b64'], b64: true } }), expect: 'signature' },
  { name: 'the signature in DER encoding', header: async () => asDerSignature(await sign()), expect: 'signature' },
  { name: 'a payload that is not base64url', header: async () => { const [h, p, s] = (await sign()).split('.'); return `${h}.${p}*.${s}`; }, expect: 'signature' },
  { name: 'a critical header parameter', header: async () => signAnyHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk, crit: ['exp'], exp: nowSeconds + 60 }), expect: 'signature' },
  { name: 'an unencoded payload (b64)', header: async () => sign({ header: { crit: ['b64'], b64: true } }), expect: 'signature' },
  { name: 'no jti', header: async () => sign({ claims: { jti: undefined } }), expect: 'jti' },
  { name: 'a jti of 15 characters', header: async () => sign({ claims: { jti: 'x'.repeat(15) } }), expect: 'jti' },
  { name: 'a jti of 129 characters', header: async () => sign({ claims: { jti: 'x'.repeat(129) } }), expect: 'jti' },
  { name: 'htm POST for a GET', header: async () => sign({ claims: { htm: 'POST' } }), expect: 'htm' },
  { name: 'htm in lower case', header: async () => sign({ claims: { htm: 'get' } }), expect: 'htm' },
  { name: 'htu of another path', header: async () => sign({ claims: { htu: 'https://ward.example/v1/patients/124' } }), expect: 'htu' },
  { name: 'htu of another origin', header: async () => sign({ claims: { htu: 'https://evil.example/v1/patients/123' } }), expect: 'htu' },
  { name: 'htu that is no URL', header: async () => sign({ claims: { htu: 'not a url' } }), expect: 'htu' },
  { name: 'no htu', header: async () => sign({ claims: { htu: undefined } }), expect: 'htu' },
  { name: 'iat 61 s in the past', header: async () => sign({ claims: { iat: nowSeconds - 61 } }), expect: 'iat' },
  { name: 'iat 61 s in the future', header: async () => sign({ claims: { iat: nowSeconds + 61 } }), expect: 'iat' },
  { name: 'iat as a string', header: async () => sign({ claims: { iat: String(nowSeconds) } }), expect: 'iat' },
  { name: 'no iat', header: async () => sign({ claims: { iat: undefined } }), expect: 'iat' },
  { name: 'an ath with no access token presented', header: async () => sign({ claims: { ath: accessTokenHash(TOKEN) } }), expect: 'ath' },
  { name: 'no ath with an access token', header: async () => sign(), accessToken: TOKEN, expect: 'ath' },
  { name: 'an ath of another token', header: async () => sign({ claims: { ath: accessTokenHash('another') } }), accessToken: TOKEN, expect: 'ath' },
  { name: 'no nonce where the server requires one', header: async () => sign(), verifier: withNonces, expect: 'nonce' },
  { name: 'a nonce the server never issued', header: async () => sign({ claims: { nonce: 'A'.repeat(43) } }), verifier: withNonces, expect: 'nonce' },
  {
    name: 'a nonce two steps old', verifier: withNonces, expect: 'nonce',
    header: async () => sign({ claims: { nonce: createNonceSource({ secret: new Uint8Array(32).fill(7), clock: { now: () => new Date(NOW.getTime() - 120_000) } }).current() } }),
  },
];

describe('the proof-of-possession verifier (RFC 9449 §4.3), frozen clock', () => {
  for (const row of TABLE) {
    test(`refuses ${row.name} with "${row.expect}"`, async () => {
      const v = row.verifier ?? verifier;
      await assert.rejects(v.verify(await row.header(), { method: 'GET', url: `${URL_}?q=1`, accessToken: row.accessToken }), (e: unknown) => {
        assert.ok(e instanceof ProofError, `a ProofError, not ${String(e)}`);
        assert.equal(e.reason, row.expect);
        assert.equal(e.message, `proof of possession refused: ${row.expect}`);
        return true;
      });
    });
  }

  test('every failure reason but "replayed" has a row in the table (replayed is spent in the store below)', () => {
    const covered = new Set(TABLE.map((r) => r.expect));
    assert.deepEqual(PROOF_FAILURES.filter((f) => !covered.has(f)), ['replayed']);
  });

  test('accepts a good proof at the edges of the window, ignoring the query, and names the key', async () => {
    for (const iat of [nowSeconds - 60, nowSeconds + 60]) {
      const proof = await verifier.verify(await sign({ claims: { iat } }), { method: 'get', url: `${URL_}?page=2#x` });
      assert.equal(proof.thumbprint, await calculateJwkThumbprint(jwk));
      assert.equal(proof.usableUntil.getTime(), (iat + 60) * 1000);
      assert.equal(proof.replayKey.length, 32);
    }
  });

  test('compares htu as RFC 3986 §6.2.2 and §6.2.3 normalize it: case of scheme, host and encodings, default port, unreserved characters', async () => {
    const same: [htu: string, url: string][] = [
      ['HTTPS://Ward.Example/v1/patients/123', URL_],
      ['https://ward.example:443/v1/patients/123', URL_],
      ['https://ward.example/v1/patients/123#top', `${URL_}?a=1`],
      ['https://ward.example/v1/patients/%7E123', 'https://ward.example/v1/patients/~123'],
      ['https://ward.example/v1/patients/%41bc', 'https://ward.example/v1/patients/Abc'],
      ['https://ward.example/v1/patients/a%2fb', 'https://ward.example/v1/patients/a%2Fb'],
      ['https://ward.example/v1/./patients/x/../123', URL_],
      ['http://localhost:80/mcp', 'http://localhost/mcp'],
      ['https://ward.example/v1/patients/%31%323', URL_],
    ];
    for (const [htu, url] of same) await verifier.verify(await sign({ claims: { htu } }), { method: 'GET', url });
    const other: [htu: string, url: string][] = [
      ['https://ward.example/V1/patients/123', URL_],
      ['http://ward.example/v1/patients/123', URL_],
      ['https://ward.example:8443/v1/patients/123', URL_],
      ['https://ward.example/v1/patients/123/', URL_],
      ['https://ward.example/v1/patients%2F123', URL_],
    ];
    for (const [htu, url] of other) {
      await assert.rejects(verifier.verify(await sign({ claims: { htu } }), { method: 'GET', url }), (e: unknown) => e instanceof ProofError && e.reason === 'htu', htu);
    }
  });

  test('accepts a jwk with the optional members WebCrypto and libraries export (ext, key_ops, alg, use, kid), named by its required members only', async () => {
    for (const alg of ['ES256', 'RS256', 'Ed25519'] as const) {
      const bare = alg === 'ES256' ? jwk : pairs.get(alg)!.jwk;
      const dressed = { ...bare, ext: true, key_ops: ['verify'], alg, use: 'sig', kid: 'k-1' };
      const proof = await verifier.verify(await sign({ header: { alg, jwk: dressed } }), { method: 'GET', url: URL_ });
      assert.equal(proof.thumbprint, await calculateJwkThumbprint(bare), alg);
    }
  });

  test('accepts the jti of every common generator: a UUID, base64url of 12 to 96 bytes, hex, a nanoid', async () => {
    const jtis = [randomUUID(), randomBytes(12).toString('base64url'), randomBytes(16).toString('base64url'), randomBytes(32).toString('base64url'),
      randomBytes(96).toString('base64url'), randomBytes(16).toString('hex'), randomBytes(64).toString('hex'), 'V1StGXR8_Z5jdHi6B-myT'];
    for (const jti of jtis) await verifier.verify(await sign({ claims: { jti } }), { method: 'GET', url: URL_ });
  });

  test('accepts the ath of the presented token and a nonce of this step or the one before', async () => {
    await verifier.verify(await sign({ claims: { ath: accessTokenHash(TOKEN) } }), { method: 'GET', url: URL_, accessToken: TOKEN });
    const previous = createNonceSource({ secret: new Uint8Array(32).fill(7), clock: { now: () => new Date(NOW.getTime() - 60_000) } }).current();
    for (const nonce of [nonces().current(), previous]) await withNonces.verify(await sign({ claims: { nonce } }), { method: 'GET', url: URL_ });
  });

  test('accepts every algorithm it lists, with the key\'s RFC 7638 thumbprint as jose computes it; device proofs ES256 only', async () => {
    for (const alg of PROOF_ALGORITHMS.filter((a) => a !== 'ES256')) {
      const { jwk: full } = pairs.get(alg)!;
      const proof = await verifier.verify(await sign({ header: { alg, jwk: full } }), { method: 'GET', url: URL_ });
      assert.equal(proof.thumbprint, await calculateJwkThumbprint(full), alg);
      // Known now: verified again from the cache, and claimed before verifying.
      const again = await sign({ header: { alg, jwk: full } });
      assert.equal(verifier.claimedThumbprint(again), proof.thumbprint, alg);
      assert.equal((await verifier.verify(again, { method: 'GET', url: URL_ })).thumbprint, proof.thumbprint, alg);
    }
    assert.deepEqual([...DEVICE_PROOF_ALGORITHMS], ['ES256']);
    await deviceVerifier.verify(await sign(), { method: 'GET', url: URL_ });
  });

  test('imports a key once and serves it, with its thumbprint, by its algorithm and members after', async () => {
    const cache = createProofKeyCache(2);
    const members = { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! } as const;
    assert.equal(cache.known('ES256', members), undefined, 'an unknown key: nothing computed, nothing imported');
    const first = await cache.add('ES256', members);
    assert.equal(first.thumbprint, await calculateJwkThumbprint(jwk));
    assert.equal(cache.known('ES256', { ...members }), first);
    assert.equal(cache.known('ES384', members), undefined, 'a key is known for its algorithm only');
    await cache.add('ES256', { ...members, x: pairs.get('ES384')!.jwk.x!.slice(0, 43) }).then(() => assert.fail('a point off the curve'), () => {});
  });

  test('names the key a proof claims before verifying it once it is known, and nothing for a header that is no proof', async () => {
    const fresh = createProofVerifier({ clock, keys: createProofKeyCache() });
    const good = await sign();
    assert.equal(fresh.claimedThumbprint(good), null, 'a key never verified: no claim (the lookup waits for verify)');
    const claimed = (await fresh.verify(good, { method: 'GET', url: URL_ })).thumbprint;
    assert.equal(claimed, await calculateJwkThumbprint(jwk));
    // A forged proof naming the key claims it too: the claim is only ever a hint, verify decides.
    const forged = await sign({ signWith: otherKey });
    assert.equal(fresh.claimedThumbprint(forged), claimed);
    await assert.rejects(fresh.verify(forged, { method: 'GET', url: URL_ }), (e: unknown) => e instanceof ProofError && e.reason === 'signature');
    for (const header of [undefined, '', 'a.b', [good, good], `${good},${good}`, await sign({ header: { jwk: { kty: 'EC', crv: 'P-256' } } })]) {
      assert.equal(fresh.claimedThumbprint(header), null);
    }
  });
});

describe('the replay store (RFC 9449 §11.1) on the embedded database', () => {
  let t: TestDatabase;
  before(async () => {
    t = await embeddedTestDatabase();
  });
  after(async () => t?.close());

  test('refuses a jti spent before with "replayed", in a request transaction and alone', async () => {
    const store = createReplayStore(t.db);
    const proof = await verifier.verify(await sign(), { method: 'GET', url: URL_ });
    const scope = { tenantId: '0a000000-0000-4000-8000-000000000000', phiScopes: [], actorId: 'x', actorKind: 'human' } as const;
    await t.db.scoped(scope, (tx) => store.spend(tx, proof, NOW));
    await assert.rejects(store.spendAlone(proof, NOW), (e: unknown) => e instanceof ProofError && e.reason === 'replayed');
    await assert.rejects(t.db.scoped(scope, (tx) => store.spend(tx, proof, NOW)), (e: unknown) => e instanceof ProofError && e.reason === 'replayed');
  });

  test('a jti whose request rolled back is unspent', async () => {
    const store = createReplayStore(t.db);
    const proof = await verifier.verify(await sign(), { method: 'GET', url: URL_ });
    const scope = { tenantId: '0a000000-0000-4000-8000-000000000000', phiScopes: [], actorId: 'x', actorKind: 'human' } as const;
    await assert.rejects(t.db.scoped(scope, async (tx) => {
      await store.spend(tx, proof, NOW);
      throw new Error('the handler failed');
    }), /the handler failed/);
    await store.spendAlone(proof, NOW);
  });

  test('keeps no ceiling: ids past their window are removed in batches, live ones and those within the grace stay (0040)', async () => {
    const store = createReplayStore(t.db);
    const count = async () => (await t.superuser((tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM proof_replays'))).rows[0]!.n;
    const id = (usableUntil: Date) => ({ replayKey: randomBytes(32), usableUntil });
    const dbNow = new Date((await t.superuser((tx) => tx.query<{ now: Date }>('SELECT now() AS now'))).rows[0]!.now);
    const expired = Array.from({ length: 45 }, () => id(new Date(dbNow.getTime() - 3600_000)));
    const withinGrace = id(new Date(dbNow.getTime() - 60_000));
    const live = id(new Date(dbNow.getTime() + 3600_000));
    for (const e of [...expired, withinGrace, live]) await store.spendAlone(e, dbNow);
    const before = await count();
    const removed = await pruneSpentProofs(t.db.systemDb, { batch: 20 });
    assert.ok(removed >= 45, `batches of 20 until fewer are left (${removed})`);
    assert.equal(await count(), before - removed);
    const stale = await t.superuser((tx) => tx.query<{ n: number }>("SELECT count(*)::int AS n FROM proof_replays WHERE usable_until < now() - interval '5 minutes'"));
    assert.equal(stale.rows[0]!.n, 0);
    await assert.rejects(store.spendAlone(live, dbNow), (e: unknown) => e instanceof ProofError && e.reason === 'replayed');
    await assert.rejects(store.spendAlone(withinGrace, new Date(withinGrace.usableUntil.getTime() - 1000)), (e: unknown) => e instanceof ProofError && e.reason === 'replayed');
    assert.equal(await pruneSpentProofs(t.db.systemDb), 0);
  });

});
