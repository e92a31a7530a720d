// R-AUDIT-3, R-AUDIT-4: the parallel offline verifier over an export bundle file accepts exactly what
// the sequential one accepts and names the same first failure (worker threads, every leaf recomputed).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemorySigningKeyStore } from './key-store.ts';
import type { KeyRing } from './keys.ts';
import { MerkleFrontier } from './tree.ts';
import { signTreeHead } from './tree-head.ts';
import { eventLine, exportLines, verifyExport } from './export.ts';
import { chainNext, fromBase64Url, hashLeaf, toBase64Url } from './hashes.ts';
import { eventLeafHash, LEAF_FIELDS, type SealableEvent, type SealedEvent } from './event.ts';
import { sealAll, syntheticEvent, syntheticLog } from './test-events.ts';
import { verifyExportFile } from './verify-file.ts';

const TENANT = 'tenant-a';
const EVENTS = 400;
// Two or three events per block, so that block ends fall everywhere.
const SMALL = { workers: 2, blockBytes: 2048, minParallelBytes: 0 };

let dir: string;
let ring: KeyRing;
let lines: string[];

async function bundle(log: SealedEvent[], isHeadAt = (seq: number) => seq % 100 === 0): Promise<string[]> {
  const frontier = new MerkleFrontier();
  const heads = [];
  for (const event of log) {
    frontier.append(event.leafHash);
    if (isHeadAt(event.seq)) heads.push(signTreeHead({ tenantId: TENANT, treeSize: event.seq, rootHash: frontier.root(), timestamp: '2025-03-01T00:00:00.000Z' }, ring.active));
  }
  const out: string[] = [];
  for await (const line of exportLines({ tenantId: TENANT, exportedAt: '2025-03-02T00:00:00.000Z', publicKeys: ring.publicKeys, heads, events: log })) out.push(line);
  return out;
}

const pickLeafFields = (event: SealableEvent) => Object.fromEntries(LEAF_FIELDS.map((name) => [name, event[name]]));

let n = 0;
function write(content: string[]): string {
  const path = join(dir, `bundle-${(n += 1)}.jsonl`);
  writeFileSync(path, content.join('\n') + '\n');
  return path;
}

type EventRecord = { type: string; event: Record<string, unknown>; leafHash: string; chainHash: string };
function editEvent(seq: number, edit: (r: EventRecord) => void, from = lines): string[] {
  return from.map((line) => {
    const r = JSON.parse(line) as EventRecord;
    if (r.type !== 'event' || r.event.seq !== seq) return line;
    edit(r);
    return JSON.stringify(r);
  });
}

/** Both verifiers on the same file: the same report; returns the parallel one's mode. */
async function same(content: string[]): Promise<{ mode: string; report: unknown }> {
  const path = write(content);
  const sequential = await verifyExport(createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity }), ring.publicKeys);
  const { mode, ...parallel } = await verifyExportFile(path, ring.publicKeys, SMALL);
  assert.deepEqual(parallel, sequential);
  return { mode, report: parallel };
}

describe('verifyExportFile (worker threads)', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ward-verify-file-'));
    ring = await createMemorySigningKeyStore().load();
    lines = await bundle(syntheticLog(TENANT, EVENTS));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an intact bundle verifies on the workers, with the sequential report', async () => {
    const { mode, report } = await same(lines);
    assert.equal(mode, 'parallel');
    assert.equal((report as { treeSize: number }).treeSize, EVENTS);
    assert.equal((report as { headsChecked: number }).headsChecked, 4);
  });

  test('a small file, or workers: 0, is verified sequentially', async () => {
    const path = write(lines);
    assert.equal((await verifyExportFile(path, ring.publicKeys, { workers: 0 })).mode, 'sequential');
    assert.equal((await verifyExportFile(path, ring.publicKeys)).mode, 'sequential');
  });

  test('tampering anywhere fails with the first failing seq and code of the sequential verifier', async () => {
    const cases: [string[], string, number][] = [
      [editEvent(250, (r) => (r.event.decision = 'deny')), 'LEAF_MISMATCH', 250],
      [
        editEvent(77, (r) => {
          r.event.purpose = 'marketing';
          r.leafHash = eventLeafHash(r.event as unknown as SealedEvent).toString('base64url');
        }),
        'CHAIN_BROKEN',
        77,
      ],
      [lines.filter((l) => !l.includes('"seq":123,')), 'SEQ_GAP', 123],
      [lines.slice(0, -5), 'TAIL_TRUNCATED', 396],
    ];
    const swapped = [...lines];
    const at = swapped.findIndex((l) => l.includes('"seq":300,'));
    [swapped[at], swapped[at + 1]] = [swapped[at + 1]!, swapped[at]!];
    cases.push([swapped, 'SEQ_ORDER', 300]);
    for (const [content, code, seq] of cases) {
      const { mode, report } = await same(content);
      assert.equal(mode, 'sequential');
      assert.deepEqual([(report as { code: string }).code, (report as { seq: number }).seq], [code, seq]);
    }
  });

  test('a chain cut between two blocks is found: every later link re-made from a forged value', async () => {
    // Event k's stored chain is forged and every later chain hash follows from it, so that inside each
    // block all links hold; only the link into k fails. With 2–3 events a block, one of k = 150, 151
    // starts a block: the link checked across blocks must catch it.
    for (const k of [150, 151]) {
      let chain: Buffer = Buffer.alloc(32, 7);
      const forged = lines.map((line) => {
        const r = JSON.parse(line) as EventRecord;
        if (r.type !== 'event' || (r.event.seq as number) < k) return line;
        if ((r.event.seq as number) > k) chain = chainNext(chain, fromBase64Url(r.leafHash)!);
        r.chainHash = toBase64Url(chain);
        return JSON.stringify(r);
      });
      const { mode, report } = await same(forged);
      assert.equal(mode, 'sequential');
      assert.deepEqual([(report as { code: string }).code, (report as { seq: number }).seq], ['CHAIN_BROKEN', k]);
    }
  });

  test('heads: a wrong key, a head after the events and a carriage return go to the sequential verifier', async () => {
    const attacker = await createMemorySigningKeyStore().load();
    const foreign = lines.map((line) => {
      const r = JSON.parse(line) as { type: string; treeSize?: number };
      if (r.type !== 'head' || r.treeSize !== 200) return line;
      return JSON.stringify({ type: 'head', ...signTreeHead({ tenantId: TENANT, treeSize: 200, rootHash: fromBase64Url((r as unknown as { rootHash: string }).rootHash)!, timestamp: 'x' }, attacker.active) });
    });
    const unknownKey = await same(foreign);
    assert.deepEqual([(unknownKey.report as { code: string }).code, unknownKey.mode], ['HEAD_UNKNOWN_KEY', 'sequential']);
    const headLast = [...lines.filter((l) => !l.includes('"type":"head"')), ...lines.filter((l) => l.includes('"type":"head"'))];
    assert.equal(((await same(headLast)).report as { code: string }).code, 'EXPORT_MALFORMED');
    const crlf = await same([lines.slice(0, 200).join('\r\n'), ...lines.slice(200)]);
    assert.deepEqual([(crlf.report as { ok: boolean }).ok, crlf.mode], [true, 'sequential']);
  });

  test('lines edited in place, keeping the layout the exporter writes, are caught: altered, another tenant, re-sealed', async () => {
    const at = (seq: number) => lines.findIndex((l) => l.includes(`"seq":${seq},`));
    // A field altered in the line's bytes, hashes left alone.
    const altered = [...lines];
    altered[at(250)] = altered[at(250)]!.replace('"outcome":"success"', '"outcome":"failure"');
    assert.notEqual(altered[at(250)], lines[at(250)]);
    // A genuinely sealed event of another tenant, at the same seq, with its own valid hashes.
    const other = [...lines];
    other[at(120)] = eventLine(syntheticLog('tenant-b', 120)[119]!);
    // Re-sealed: event 250 altered, its leaf and every later chain hash recomputed (what a forger with
    // write access but no signing key can do): only the signed head catches it.
    const resealed = sealAll(syntheticLog(TENANT, EVENTS).map((e) => (e.seq === 250 ? { ...e, decision: 'deny' as const } : e))).map(eventLine);
    const forged = lines.map((l) => (l.startsWith('{"type":"event"') ? resealed[(JSON.parse(l) as EventRecord).event.seq as number - 1]! : l));
    for (const [content, code, seq] of [[altered, 'LEAF_MISMATCH', 250], [other, 'LEAF_MISMATCH', 120], [forged, 'HEAD_ROOT_MISMATCH', 300]] as const) {
      const { mode, report } = await same([...content]);
      assert.equal(mode, 'sequential');
      assert.deepEqual([(report as { code: string }).code, (report as { seq: number }).seq], [code, seq]);
    }
  });

  test('a change to any one field of an event, in the exporter\'s layout or any other, is caught at that seq', async () => {
    const seq = 250; // hashed in place on the workers (below the last head, 400)
    const original = syntheticLog(TENANT, EVENTS)[seq - 1]!;
    const changed = (value: unknown): unknown =>
      value === null ? 'x' : typeof value === 'string' ? `${value}x` : typeof value === 'number' ? value + 1 : Array.isArray(value) ? [...value, 'x'] : { ...(value as object), x: 1 };
    for (const field of LEAF_FIELDS) {
      const tampered = { ...original, [field]: changed(original[field]) } as SealedEvent;
      const inPlace = eventLine(tampered); // the event as its (altered) leaf text, the stored hashes kept
      const parsed = JSON.stringify({ type: 'event', event: pickLeafFields(tampered), leafHash: toBase64Url(original.leafHash), chainHash: toBase64Url(original.chainHash) });
      for (const line of [inPlace, parsed]) {
        const { mode, report } = await same(lines.map((l) => (l.includes(`"seq":${seq},`) && l.startsWith('{"type":"event"') ? line : l)));
        const expected = field === 'seq' ? ['SEQ_GAP', seq] : ['LEAF_MISMATCH', seq];
        assert.deepEqual([mode, (report as { code: string }).code, (report as { seq: number }).seq], ['sequential', ...expected], field);
      }
    }
    // The stored hashes themselves: one character of each.
    for (const key of ['leafHash', 'chainHash'] as const) {
      const line = eventLine({ ...original, [key]: Buffer.from(original[key]).fill(1, 0, 1) });
      const { report } = await same(lines.map((l) => (l.includes(`"seq":${seq},`) && l.startsWith('{"type":"event"') ? line : l)));
      assert.deepEqual([(report as { code: string }).code, (report as { seq: number }).seq], [key === 'leafHash' ? 'LEAF_MISMATCH' : 'CHAIN_BROKEN', seq], key);
    }
  });

  test('past the last signed head, a line whose made-up text hashes to its made-up leaf hash is parsed, not taken as a leaf', async () => {
    // Seqs 401 and 402 after the last head (400): their leaf and chain hashes are anyone's to compute.
    const last = syntheticLog(TENANT, EVENTS)[EVENTS - 1]!;
    const text = `not json,"seq":401,"tenantId":"${TENANT}"}`;
    const leaf = hashLeaf(Buffer.from(text));
    const chain = chainNext(last.chainHash, leaf);
    const made = `{"type":"event","event":${text},"leafHash":"${toBase64Url(leaf)}","chainHash":"${toBase64Url(chain)}"}`;
    const { mode, report } = await same([...lines, made]);
    assert.deepEqual([mode, (report as { code: string }).code], ['sequential', 'EXPORT_MALFORMED']);
  });

  test('a bundle written before events were written as their leaf text (any member order) still verifies on the workers', async () => {
    const old = lines.map((line) => {
      const r = JSON.parse(line) as EventRecord;
      if (r.type !== 'event') return line;
      // jsonb's member order (shorter keys first), not JCS's, and the event's fields in another order.
      const event = Object.fromEntries(Object.entries(r.event).reverse());
      event.metadata = r.event.metadata === null ? null : Object.fromEntries(Object.entries(r.event.metadata as object).reverse());
      return JSON.stringify({ type: 'event', event, leafHash: r.leafHash, chainHash: r.chainHash });
    });
    assert.notEqual(old[10], lines[10]);
    const { mode, report } = await same(old);
    assert.deepEqual([mode, (report as { ok: boolean }).ok], ['parallel', true]);
  });

  test('a seq key or a look-alike inside metadata does not mislead the reading of seq and tenant', async () => {
    const log = sealAll(
      Array.from({ length: 300 }, (_, i) => ({
        ...syntheticEvent(TENANT, i + 1),
        metadata: { seq: 1, note: ',"seq":7,"tenantId":"tenant-b"}', zz: i },
        targetId: `x","seq":9,`,
      })),
    );
    const { mode, report } = await same(await bundle(log));
    assert.deepEqual([mode, (report as { ok: boolean }).ok, (report as { treeSize: number }).treeSize], ['parallel', true, 300]);
  });

  test('heads at sizes that are not block or power-of-two boundaries, and events past the last head, fold into the same tree', async () => {
    const log = syntheticLog(TENANT, 450);
    const content = await bundle(log, (seq) => [1, 37, 256, 257, 399].includes(seq));
    for (const blockBytes of [2048, 65_536]) {
      const path = write(content);
      const { mode, ...report } = await verifyExportFile(path, ring.publicKeys, { ...SMALL, blockBytes });
      assert.equal(mode, 'parallel');
      assert.deepEqual(report, await verifyExport(content, ring.publicKeys));
      assert.deepEqual([report.ok, (report as { headsChecked: number }).headsChecked, (report as { signedSize: number }).signedSize], [true, 5, 399]);
    }
  });
});
