// R-AUDIT-3, R-AUDIT-4: an export bundle verifies offline, and a tampered one does not.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemorySigningKeyStore } from './key-store.ts';
import { PublicKeyRing } from './keys.ts';
import { MerkleFrontier } from './tree.ts';
import { signTreeHead } from './tree-head.ts';
import { exportLines, verifyExport, type ExportReport } from './export.ts';
import { eventLeafHash, type SealedEvent } from './event.ts';
import { syntheticLog } from './test-events.ts';
import type { KeyRing } from './keys.ts';

const TENANT = 'tenant-a';

async function bundle(ring: KeyRing, log: SealedEvent[] = syntheticLog(TENANT, 30)): Promise<string[]> {
  const frontier = new MerkleFrontier();
  const heads = [];
  for (const event of log) {
    frontier.append(event.leafHash);
    if (event.seq % 10 === 0) {
      heads.push(signTreeHead({ tenantId: TENANT, treeSize: event.seq, rootHash: frontier.root(), timestamp: '2025-03-01T00:00:00.000Z' }, ring.active));
    }
  }
  const lines: string[] = [];
  for await (const line of exportLines({ tenantId: TENANT, exportedAt: '2025-03-02T00:00:00.000Z', publicKeys: ring.publicKeys, heads, events: log })) {
    lines.push(line);
  }
  return lines;
}

function expectFailure(report: ExportReport, code: string, seq?: number): void {
  assert.equal(report.ok, false);
  if (!report.ok) {
    assert.equal(report.code, code, report.detail);
    if (seq !== undefined && 'seq' in report) assert.equal(report.seq, seq);
  }
}

/** Edits the event line of `seq`. */
function editEvent(lines: string[], seq: number, edit: (record: { event: Record<string, unknown>; leafHash: string; chainHash: string }) => void): string[] {
  return lines.map((line) => {
    const record = JSON.parse(line) as { type: string; event: Record<string, unknown>; leafHash: string; chainHash: string };
    if (record.type !== 'event' || record.event.seq !== seq) return line;
    edit(record);
    return JSON.stringify(record);
  });
}

describe('export bundle', () => {
  test('round-trips: the bundle verifies offline with the published keys only', async () => {
    const ring = await createMemorySigningKeyStore().load();
    const lines = await bundle(ring);
    assert.equal(lines.filter((l) => l.includes('"type":"event"')).length, 30);
    const published = PublicKeyRing.fromJwks(ring.publicKeys.toJwks());
    const report = await verifyExport(lines, published);
    assert.equal(report.ok, true);
    if (report.ok) {
      assert.equal(report.treeSize, 30);
      assert.equal(report.headsChecked, 3);
    }
  });

  test('fails on an altered event field, a deleted event and a cut tail', async () => {
    const ring = await createMemorySigningKeyStore().load();
    const lines = await bundle(ring);
    expectFailure(await verifyExport(editEvent(lines, 12, (r) => (r.event.decision = 'deny')), ring.publicKeys), 'LEAF_MISMATCH', 12);
    const withoutSeq12 = editEvent(lines, 12, () => undefined).filter((l) => !l.includes('"seq":12,'));
    expectFailure(await verifyExport(withoutSeq12, ring.publicKeys), 'SEQ_GAP', 12);
    expectFailure(await verifyExport(lines.slice(0, -5), ring.publicKeys), 'TAIL_TRUNCATED', 26);
  });

  test('fails on a re-hashed and re-signed export whose keys are not the published ones', async () => {
    const ring = await createMemorySigningKeyStore().load();
    const attacker = await createMemorySigningKeyStore().load();
    const log = syntheticLog(TENANT, 30);
    log[4] = { ...log[4]!, actorId: 'someone-else' };
    // The attacker rebuilds every hash and signs with a key of their own, which they put in the file.
    const { sealAll } = await import('./test-events.ts');
    const forged = await bundle(attacker, sealAll(log));
    expectFailure(await verifyExport(forged, ring.publicKeys), 'HEAD_UNKNOWN_KEY', 10);
  });

  test('fails on a leaf hash edited to match an altered event', async () => {
    const ring = await createMemorySigningKeyStore().load();
    const lines = await bundle(ring);
    const edited = editEvent(lines, 3, (r) => {
      r.event.purpose = 'marketing';
      r.leafHash = eventLeafHash(r.event as unknown as SealedEvent).toString('base64url');
    });
    expectFailure(await verifyExport(edited, ring.publicKeys), 'CHAIN_BROKEN', 3);
  });

  test('reports malformed bundles by line', async () => {
    const ring = await createMemorySigningKeyStore().load();
    const lines = await bundle(ring);
    const report = await verifyExport([...lines.slice(0, 5), '{oops', ...lines.slice(5)], ring.publicKeys);
    assert.deepEqual(report.ok === false && 'line' in report ? [report.code, report.line] : report, ['EXPORT_MALFORMED', 6]);
    expectFailure(await verifyExport(lines.slice(1), ring.publicKeys), 'EXPORT_MALFORMED');
    expectFailure(await verifyExport([], ring.publicKeys), 'EXPORT_MALFORMED');
    const headLast = [...lines.filter((l) => !l.includes('"type":"head"')), ...lines.filter((l) => l.includes('"type":"head"'))];
    expectFailure(await verifyExport(headLast, ring.publicKeys), 'EXPORT_MALFORMED');
  });
});
