// R-AUDIT-3, NIST AU-9: every tamper case is found, at the right seq, with the right reason.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHAIN_GENESIS, chainNext } from './hashes.ts';
import { eventLeafHash, type SealableEvent, type SealedEvent } from './event.ts';
import { createMemorySigningKeyStore } from './key-store.ts';
import type { KeyRing } from './keys.ts';
import { MerkleFrontier } from './tree.ts';
import { signTreeHead, type SignedTreeHead } from './tree-head.ts';
import { createVerifier, verifyEvents, type VerifyReport } from './verifier.ts';
import { sealAll, syntheticEvent, syntheticLog } from './test-events.ts';

const TENANT = 'tenant-a';

function headAt(events: readonly SealedEvent[], size: number, ring: KeyRing, tenantId = TENANT): SignedTreeHead {
  const frontier = new MerkleFrontier();
  for (const event of events.slice(0, size)) frontier.append(event.leafHash);
  return signTreeHead({ tenantId, treeSize: size, rootHash: frontier.root(), timestamp: '2025-03-01T10:00:00.000Z' }, ring.active);
}

async function setup() {
  const ring = await createMemorySigningKeyStore().load();
  const log = syntheticLog(TENANT, 20);
  const heads = [headAt(log, 8, ring), headAt(log, 20, ring)];
  return { ring, log, heads };
}

async function verify(events: readonly SealedEvent[], heads: readonly SignedTreeHead[], ring: KeyRing): Promise<VerifyReport> {
  return verifyEvents(events, { tenantId: TENANT, heads, publicKeys: ring.publicKeys });
}

function expectFailure(report: VerifyReport, code: string, seq: number): void {
  assert.equal(report.ok, false, 'verification should fail');
  if (!report.ok) assert.deepEqual({ code: report.code, seq: report.seq }, { code, seq }, report.detail);
}

/** Re-seals from `from` on, as an attacker who can write the table (but not sign) would. */
function reseal(events: SealableEvent[]): SealedEvent[] {
  return sealAll(events);
}

describe('audit verifier', () => {
  test('accepts an intact log and reports what the heads cover', async () => {
    const { ring, log, heads } = await setup();
    const report = await verify(log, heads, ring);
    assert.equal(report.ok, true);
    if (report.ok) {
      assert.equal(report.treeSize, 20);
      assert.equal(report.headsChecked, 2);
      assert.equal(report.signedSize, 20);
      assert.equal(report.chainHash, Buffer.from(log[19]!.chainHash).toString('base64url'));
    }
  });

  test('finds an altered field at its seq', async () => {
    const { ring, log, heads } = await setup();
    const tampered = log.map((e) => (e.seq === 5 ? { ...e, decision: 'allow' as const, actorId: 'someone-else' } : e));
    expectFailure(await verify(tampered, heads, ring), 'LEAF_MISMATCH', 5);
  });

  test('finds an altered field whose leaf hash was recomputed as a broken chain', async () => {
    const { ring, log, heads } = await setup();
    const tampered = log.map((e) => {
      if (e.seq !== 5) return e;
      const altered = { ...e, purpose: 'marketing' };
      return { ...altered, leafHash: eventLeafHash(altered) };
    });
    expectFailure(await verify(tampered, heads, ring), 'CHAIN_BROKEN', 5);
  });

  test('finds an altered field with leaf and chain recomputed at the first signed head after it', async () => {
    const { ring, log, heads } = await setup();
    const tampered = reseal(log.map((e) => (e.seq === 5 ? { ...e, targetId: 'another-patient' } : e)));
    expectFailure(await verify(tampered, heads, ring), 'HEAD_ROOT_MISMATCH', 8);
    const late = reseal(log.map((e) => (e.seq === 12 ? { ...e, targetId: 'another-patient' } : e)));
    expectFailure(await verify(late, heads, ring), 'HEAD_ROOT_MISMATCH', 20);
  });

  test('finds a deleted row as a gap at the missing seq', async () => {
    const { ring, log, heads } = await setup();
    expectFailure(await verify(log.filter((e) => e.seq !== 5), heads, ring), 'SEQ_GAP', 5);
    expectFailure(await verify(log.filter((e) => e.seq !== 5 && e.seq !== 6), heads, ring), 'SEQ_GAP', 5);
  });

  test('finds rows whose contents were swapped while their seqs stayed', async () => {
    const { ring, log, heads } = await setup();
    const swapped = log.map((e) => {
      if (e.seq === 5) return { ...log[5]!, seq: 5 };
      if (e.seq === 6) return { ...log[4]!, seq: 6 };
      return e;
    });
    expectFailure(await verify(swapped, heads, ring), 'LEAF_MISMATCH', 5);
  });

  test('finds rows delivered out of order, and duplicated rows', async () => {
    const { ring, log, heads } = await setup();
    const reordered = [...log];
    [reordered[4], reordered[5]] = [reordered[5]!, reordered[4]!];
    expectFailure(await verify(reordered, heads, ring), 'SEQ_ORDER', 5);
    const duplicated = [...log.slice(0, 6), log[5]!, ...log.slice(6)];
    expectFailure(await verify(duplicated, heads, ring), 'SEQ_ORDER', 7);
  });

  test('finds a forged row inserted in the middle, however it was hashed', async () => {
    const { ring, log, heads } = await setup();
    const forged: SealableEvent = { ...syntheticEvent(TENANT, 5), id: '00000000-0000-4000-8000-0000000f0f0f', actorId: 'ghost' };
    // Inserted with valid hashes of its own; the rows after it renumbered but not re-hashed.
    const forgedLeaf = eventLeafHash(forged);
    const forgedRow: SealedEvent = { ...forged, leafHash: forgedLeaf, chainHash: chainNext(log[3]!.chainHash, forgedLeaf) };
    const shifted = [...log.slice(0, 4), forgedRow, ...log.slice(4).map((e) => ({ ...e, seq: e.seq + 1 }))];
    expectFailure(await verify(shifted, heads, ring), 'LEAF_MISMATCH', 6);
    // Inserted with everything after it re-hashed: only the signed head can tell.
    const rewritten = reseal([...log.slice(0, 4), forged, ...log.slice(4).map((e) => ({ ...e, seq: e.seq + 1 }))]);
    expectFailure(await verify(rewritten, heads, ring), 'HEAD_ROOT_MISMATCH', 8);
    // Inserted with a seq that already exists.
    expectFailure(await verify([...log.slice(0, 5), forgedRow, ...log.slice(5)], heads, ring), 'SEQ_ORDER', 6);
    // A row with made-up hashes.
    const madeUp = log.map((e) => (e.seq === 5 ? { ...forged, leafHash: Buffer.alloc(32, 1), chainHash: Buffer.alloc(32, 2) } : e));
    expectFailure(await verify(madeUp, heads, ring), 'LEAF_MISMATCH', 5);
  });

  test('finds a row of another tenant put into this tenant’s log', async () => {
    const { ring, log, heads } = await setup();
    const foreign = syntheticLog('tenant-b', 5)[4]!;
    expectFailure(await verify(log.map((e) => (e.seq === 5 ? foreign : e)), heads, ring), 'LEAF_MISMATCH', 5);
  });

  test('finds a tail cut after a signed head at the first missing seq', async () => {
    const { ring, log, heads } = await setup();
    expectFailure(await verify(log.slice(0, 15), heads, ring), 'TAIL_TRUNCATED', 16);
    expectFailure(await verify([], heads, ring), 'TAIL_TRUNCATED', 1);
  });

  test('finds a head with a bad signature, from an unknown key, or for another tenant', async () => {
    const { ring, log, heads } = await setup();
    const badSignature = { ...heads[0]!, signature: heads[1]!.signature };
    expectFailure(await verify(log, [badSignature, heads[1]!], ring), 'HEAD_SIGNATURE_INVALID', 8);
    const stranger = await createMemorySigningKeyStore().load();
    expectFailure(await verify(log, [heads[0]!, headAt(log, 20, stranger)], ring), 'HEAD_UNKNOWN_KEY', 20);
    expectFailure(await verify(log, [headAt(log, 8, ring, 'tenant-b')], ring), 'HEAD_TENANT_MISMATCH', 8);
    const lyingRoot = signTreeHead({ tenantId: TENANT, treeSize: 8, rootHash: Buffer.alloc(32), timestamp: 'x' }, ring.active);
    expectFailure(await verify(log, [lyingRoot], ring), 'HEAD_ROOT_MISMATCH', 8);
  });

  test('reports the first failure by seq, not by kind', async () => {
    const { ring, log, heads } = await setup();
    const tampered = log.filter((e) => e.seq !== 15).map((e) => (e.seq === 3 ? { ...e, action: 'x' } : e));
    expectFailure(await verify(tampered, [{ ...heads[0]!, signature: heads[1]!.signature }, heads[1]!], ring), 'LEAF_MISMATCH', 3);
    expectFailure(await verify(log.slice(0, 6), [{ ...heads[0]!, signature: heads[1]!.signature }], ring), 'TAIL_TRUNCATED', 7);
  });

  test('verifies heads signed before and after a key rotation', async () => {
    const store = createMemorySigningKeyStore();
    const log = syntheticLog(TENANT, 20);
    const oldHead = headAt(log, 8, await store.load());
    const ring = await store.rotate();
    const report = await verify(log, [oldHead, headAt(log, 20, ring)], ring);
    assert.equal(report.ok, true);
  });

  test('checks the chain alone past the last signed head and says so', async () => {
    const { ring, log, heads } = await setup();
    const extended = syntheticLog(TENANT, 25);
    const report = await verify(extended, heads, ring);
    assert.ok(report.ok);
    assert.equal(report.treeSize, 25);
    assert.equal(report.signedSize, 20);
    const broken = extended.map((e) => (e.seq === 23 ? { ...e, chainHash: CHAIN_GENESIS } : e));
    expectFailure(await verify(broken, heads, ring), 'CHAIN_BROKEN', 23);
    assert.equal(log.length, 20);
  });

  test('stops taking events after the first failure', async () => {
    const { ring, log, heads } = await setup();
    const verifier = createVerifier({ tenantId: TENANT, heads, publicKeys: ring.publicKeys });
    assert.equal(verifier.push(log[0]!), true);
    assert.equal(verifier.push({ ...log[1]!, chainHash: CHAIN_GENESIS }), false);
    assert.equal(verifier.push(log[2]!), false);
    expectFailure(verifier.finish(), 'CHAIN_BROKEN', 2);
  });
});
