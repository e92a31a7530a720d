// R-AUDIT-3: the sealer's hashes of a batch (leaves written into one buffer, the chain after them) are
// exactly the leaf hashes and chain links of each event computed one by one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leafText, sealableFromRow, type AuditEventRow } from './event.ts';
import { CHAIN_GENESIS, chainNext, HASH_BYTES, hashLeafText } from './hashes.ts';
import { sealRows, type RowToSeal } from './seal-rows.ts';

const row = (i: number): RowToSeal => ({
  id: `8e7c2d40-0000-4000-8000-${String(i).padStart(12, '0')}`,
  tenant_id: '0a000000-0000-4000-8000-00000000a0d1',
  occurred_at: `2026-12-06T10:00:00.${String(i).padStart(6, '0')}Z`,
  actor_kind: 'human',
  actor_id: `member-${i % 3}`,
  on_behalf_of: i % 4 === 0 ? 'member-9' : null,
  session_id: null,
  device_id: i % 2 === 0 ? 'd1' : null,
  source_ip: i % 5 === 0 ? '10.0.0.1' : null,
  action: 'patient.view',
  target_type: 'patient',
  target_id: `p-${i}`,
  phi_scope: 'Healthcare-PHI',
  decision: i % 7 === 0 ? 'deny' : 'allow',
  policy_ids: ['permit-agent'],
  reasons: i % 7 === 0 ? ['outside "scope" é'] : null,
  purpose: null,
  justification_enc: i % 3 === 0 ? Buffer.from([0xfb, 0xff, i & 0xff]) : null,
  outcome: 'success',
  metadata: { n: i, ratio: 1.5, label: 'é\u20ac', nested: { z: [1e21, -0] } },
});

test('sealRows gives each event its leaf hash and chain link, as computed one by one, from any seq and chain', () => {
  const rows = Array.from({ length: 40 }, (_, i) => row(i));
  const one = (r: RowToSeal, seq: number) => hashLeafText(leafText(sealableFromRow({ ...r, seq } as AuditEventRow)));
  for (const [from, to, firstSeq] of [[0, 40, 1], [3, 17, 90], [10, 10, 5]] as const) {
    let chain: Buffer = from === 0 ? CHAIN_GENESIS : Buffer.alloc(HASH_BYTES, 7);
    const seals = sealRows(rows, from, to, firstSeq, chain);
    assert.equal(seals.ids, rows.slice(from, to).map((r) => r.id).join(','));
    for (let i = 0; i < to - from; i += 1) {
      const leaf = one(rows[from + i]!, firstSeq + i);
      chain = chainNext(chain, leaf);
      assert.deepEqual(seals.leaves.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES), leaf, `leaf ${i}`);
      assert.deepEqual(seals.chains.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES), chain, `chain ${i}`);
    }
    assert.deepEqual(seals.chain, chain);
  }
});

test('sealRows refuses a row that cannot be canonicalised (fail closed)', () => {
  assert.throws(() => sealRows([{ ...row(1), action: 5 as unknown as string }], 0, 1, 1, CHAIN_GENESIS), TypeError);
});
