// R-AUDIT-3: Ed25519 signed tree heads, key ids, JWK export and rotation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { keyIdOf, publicKeyFromJwk, publicKeyJwk, PublicKeyRing } from './keys.ts';
import { createMemorySigningKeyStore } from './key-store.ts';
import { checkTreeHeadSignature, signTreeHead, treeHeadSigningBytes } from './tree-head.ts';

const root = createHash('sha256').update('root').digest();
const head = { tenantId: 'tenant-a', treeSize: 10, rootHash: root, timestamp: '2025-03-01T10:00:00.000Z' };

describe('signed tree heads', () => {
  test('sign domain-separated JCS bytes that a test can reproduce', async () => {
    const ring = await createMemorySigningKeyStore().load();
    const sth = signTreeHead(head, ring.active);
    const expected =
      'ward-sth-v1\n' +
      `{"keyId":"${ring.active.keyId}","rootHash":"${root.toString('base64url')}","tenantId":"tenant-a","timestamp":"2025-03-01T10:00:00.000Z","treeSize":10}`;
    assert.equal(treeHeadSigningBytes(sth).toString('utf8'), expected);
    assert.equal(checkTreeHeadSignature(sth, ring.publicKeys), 'ok');
  });

  test('fail when any signed field changes', async () => {
    const ring = await createMemorySigningKeyStore().load();
    const sth = signTreeHead(head, ring.active);
    const other = createHash('sha256').update('other').digest('base64url');
    for (const altered of [{ treeSize: 11 }, { tenantId: 'tenant-b' }, { rootHash: other }, { timestamp: '2025-03-01T10:00:01.000Z' }]) {
      assert.equal(checkTreeHeadSignature({ ...sth, ...altered }, ring.publicKeys), 'HEAD_SIGNATURE_INVALID', JSON.stringify(altered));
    }
    assert.equal(checkTreeHeadSignature({ ...sth, signature: 'not base64url!' }, ring.publicKeys), 'HEAD_SIGNATURE_INVALID');
    assert.equal(checkTreeHeadSignature({ ...sth, rootHash: 'short' }, ring.publicKeys), 'HEAD_SIGNATURE_INVALID');
  });

  test('report a head signed by a key outside the ring as unknown', async () => {
    const ring = await createMemorySigningKeyStore().load();
    const stranger = await createMemorySigningKeyStore().load();
    assert.equal(checkTreeHeadSignature(signTreeHead(head, stranger.active), ring.publicKeys), 'HEAD_UNKNOWN_KEY');
    // Claiming a known key id does not help a stranger's signature.
    const forged = { ...signTreeHead(head, stranger.active), keyId: ring.active.keyId };
    assert.equal(checkTreeHeadSignature(forged, ring.publicKeys), 'HEAD_SIGNATURE_INVALID');
  });

  test('keep verifying heads signed before a rotation with the old public key', async () => {
    const store = createMemorySigningKeyStore();
    const before = await store.load();
    const oldHead = signTreeHead(head, before.active);
    const after = await store.rotate();
    assert.notEqual(after.active.keyId, before.active.keyId);
    const newHead = signTreeHead({ ...head, treeSize: 20 }, after.active);
    assert.equal(checkTreeHeadSignature(oldHead, after.publicKeys), 'ok');
    assert.equal(checkTreeHeadSignature(newHead, after.publicKeys), 'ok');
    assert.equal(oldHead.keyId, before.active.keyId);
    // A verifier holding only the published JWKs verifies both.
    const published = PublicKeyRing.fromJwks(JSON.parse(JSON.stringify(after.publicKeys.toJwks())) as unknown[]);
    assert.deepEqual(published.keyIds.sort(), [before.active.keyId, after.active.keyId].sort());
    assert.equal(checkTreeHeadSignature(oldHead, published), 'ok');
  });
});

describe('key ids and JWKs', () => {
  test('derive the key id from the first 16 bytes of SHA-256 of the raw public key', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const jwk = publicKeyJwk(publicKey);
    const raw = Buffer.from(jwk.x, 'base64url');
    assert.equal(raw.length, 32);
    assert.equal(keyIdOf(publicKey), createHash('sha256').update(raw).digest().subarray(0, 16).toString('base64url'));
    assert.deepEqual(Object.keys(jwk).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    assert.equal(jwk.kty, 'OKP');
    assert.equal(jwk.crv, 'Ed25519');
  });

  test('refuse a JWK whose kid does not match its key, and one that is not Ed25519', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const jwk = publicKeyJwk(publicKey);
    assert.equal(keyIdOf(publicKeyFromJwk(jwk)), jwk.kid);
    assert.throws(() => publicKeyFromJwk({ ...jwk, kid: 'AAAAAAAAAAAAAAAAAAAAAA' }), TypeError);
    assert.throws(() => publicKeyFromJwk({ ...jwk, crv: 'X25519' }), TypeError);
    assert.throws(() => publicKeyFromJwk({ ...jwk, x: jwk.x.slice(1) }), TypeError);
  });
});
