import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMemorySigningKeyStore, hashLeaf, MemoryLevelStore, MerkleTree, signTreeHead, toBase64Url } from '../../src/modules/audit/index.ts';
import { rootFromPath, verifyProof } from '../../../web/src/app/auditor/verify-proof.ts';

/**
 * R-AUDIT-3: the dashboard's in-browser check (WebCrypto only) agrees with the server's RFC 9162 tree
 * and signed tree heads: every leaf of trees of 1–33 leaves verifies, and a changed leaf, path, size,
 * root, tenant or signature does not.
 */
const leaf = (i: number) => hashLeaf(Buffer.from(`event ${i}`));

async function treeOf(size: number): Promise<MerkleTree> {
  const tree = MerkleTree.create(new MemoryLevelStore());
  for (let i = 0; i < size; i += 1) tree.append(leaf(i));
  await tree.flush();
  return tree;
}

describe("the dashboard's inclusion-proof check", () => {
  test('every leaf of trees of 1 to 33 leaves leads to the server root, and only with its own index', async () => {
    for (let size = 1; size <= 33; size += 1) {
      const tree = await treeOf(size);
      const root = tree.root();
      for (let i = 0; i < size; i += 1) {
        const path = await tree.inclusionProof(i, size);
        assert.deepEqual(Buffer.from((await rootFromPath(leaf(i), i, size, path))!), root, `size ${size}, leaf ${i}`);
        if (size > 1) {
          const other = await rootFromPath(leaf(i), (i + 1) % size, size, path);
          assert.ok(other === null || !Buffer.from(other).equals(root), `size ${size}, leaf ${i} at another index`);
        }
      }
    }
  });

  test('a head signed by the server verifies with the published key; any change is refused with its reason', async () => {
    const ring = await createMemorySigningKeyStore().load();
    const tree = await treeOf(13);
    const head = signTreeHead({ tenantId: 't1', treeSize: 13, rootHash: tree.root(), timestamp: '2026-12-06T04:00:00.000Z' }, ring.active);
    const keys = ring.publicKeys.toJwks();
    const proof = { seq: 6, leafHash: toBase64Url(leaf(5)), leafIndex: 5, proof: (await tree.inclusionProof(5, 13)).map((h) => toBase64Url(h)), head };
    assert.deepEqual(await verifyProof(proof, { tenantId: 't1', keys }), { ok: true, treeSize: 13, keyId: head.keyId });
    const flip = (s: string) => `${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
    const cases: Array<[string, typeof proof, string]> = [
      ['another leaf', { ...proof, leafHash: toBase64Url(leaf(6)) }, 'PATH_INVALID'],
      ['a changed path hash', { ...proof, proof: [flip(proof.proof[0]!), ...proof.proof.slice(1)] }, 'PATH_INVALID'],
      ['another tree size (the signature covers it)', { ...proof, head: { ...head, treeSize: 14 } }, 'HEAD_SIGNATURE_INVALID'],
      ['a smaller tree size', { ...proof, head: { ...head, treeSize: 5 } }, 'PATH_INVALID'],
      ['another timestamp', { ...proof, head: { ...head, timestamp: '2026-12-06T04:00:01.000Z' } }, 'HEAD_SIGNATURE_INVALID'],
      ['a changed signature', { ...proof, head: { ...head, signature: flip(head.signature) } }, 'HEAD_SIGNATURE_INVALID'],
      ['an unknown key', { ...proof, head: { ...head, keyId: 'no-such-key' } }, 'HEAD_UNKNOWN_KEY'],
    ];
    for (const [name, p, reason] of cases) assert.deepEqual(await verifyProof(p, { tenantId: 't1', keys }), { ok: false, reason }, name);
    assert.deepEqual(await verifyProof(proof, { tenantId: 't2', keys }), { ok: false, reason: 'HEAD_OTHER_TENANT' });
  });
});
