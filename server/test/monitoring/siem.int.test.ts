// R-AUDIT-4: sealed events stream as OCSF to a file or an HTTPS endpoint, per tenant in seq order, and
// resume after a restart with no gap and no duplicate, including after a crash between writing a
// batch and recording its cursor (a partial last line is cut, the written batch is not written again).
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadAlertSigningKey } from '../../src/modules/alerts/index.ts';
import { createAuditLog, createAuditSealer, createDirectoryHeadSink, createMemorySigningKeyStore, sealedEvents, toOcsfSealed, type AuditSealer } from '../../src/modules/audit/index.ts';
import { createEgressFetch, createEgressPolicy, parseEgressAllow } from '../../src/modules/egress/index.ts';
import { createFileSiemSink, createHttpSiemSink, createSiemStream } from '../../src/modules/monitoring/index.ts';
import { ENGINES, type TestDatabase } from '../support/databases.ts';

const A = '0a000000-0000-4000-8000-00000000051e';
const B = '0b000000-0000-4000-8000-00000000051e';
const postgres = ENGINES.find((e) => e.engine === 'postgres')!;
const audit = createAuditLog();

describe('the SIEM stream on PostgreSQL', { skip: postgres.skip }, () => {
  let t: TestDatabase;
  let sealer: AuditSealer;
  let dir: string;

  async function append(tenantId: string, n: number): Promise<void> {
    await t.db.scoped({ tenantId, phiScopes: [], actorId: 'member-1', actorKind: 'human' }, async (tx) => {
      for (let i = 0; i < n; i++) await audit.append(tx, { tenantId, actorKind: 'human', actorId: 'member-1', action: 'patient.list', outcome: 'success', metadata: { i } });
    });
    for (;;) if ((await sealer.sealOnce()).sealed === 0) break;
  }
  const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { metadata: { tenant_uid: string; sequence: number; uid: string }; unmapped: { ward: { seq: number; leaf_hash: string } } });
  const seqsOf = (records: ReturnType<typeof lines>, tenantId: string) => records.filter((r) => r.metadata.tenant_uid === tenantId).map((r) => r.metadata.sequence);
  const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  before(async () => {
    t = await postgres.open();
    dir = mkdtempSync(join(tmpdir(), 'ward-siem-'));
    sealer = createAuditSealer({ systemDb: t.db.systemDb, keys: createMemorySigningKeyStore(), sinks: [createDirectoryHeadSink(join(dir, 'heads'))] });
    await t.superuser((tx) => tx.query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'siem-a', 'A'), ($2, 'siem-b', 'B')", [A, B]));
  });
  after(async () => {
    await sealer?.stop();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a file gets every sealed event once, in seq order, across a restart and a crash between write and cursor', async () => {
    const file = join(dir, 'ocsf.jsonl');
    await append(A, 25);
    await append(B, 7);
    const first = createSiemStream({ systemDb: t.db.systemDb, sink: createFileSiemSink(file), batchSize: 10 });
    assert.deepEqual(await first.streamOnce(), { isLeader: true, delivered: 32 });
    assert.deepEqual(seqsOf(lines(file), A), upTo(25));
    assert.deepEqual(seqsOf(lines(file), B), upTo(7));
    const record = lines(file)[0]!;
    assert.equal(record.unmapped.ward.seq, record.metadata.sequence);
    assert.ok(record.unmapped.ward.leaf_hash.length > 0);
    await first.stop();

    // A restart: the stream resumes at the cursor.
    await append(A, 13);
    const second = createSiemStream({ systemDb: t.db.systemDb, sink: createFileSiemSink(file), batchSize: 10 });
    assert.equal((await second.streamOnce()).delivered, 13);
    await second.stop();
    assert.deepEqual(seqsOf(lines(file), A), upTo(38));

    // A crash after a batch reached the file but before its cursor moved, in the middle of the next write.
    await append(A, 5);
    const pending: object[] = [];
    for await (const e of sealedEvents(t.db.systemDb, A, { fromSeq: 39 })) pending.push(toOcsfSealed(e));
    await createFileSiemSink(file).deliver(A, pending.slice(0, 3) as never[]);
    appendFileSync(file, JSON.stringify(pending[3]).slice(0, 40));
    const third = createSiemStream({ systemDb: t.db.systemDb, sink: createFileSiemSink(file), batchSize: 10 });
    assert.deepEqual(await third.streamOnce(), { isLeader: true, delivered: 2 });
    await third.stop();
    const all = lines(file);
    assert.deepEqual(seqsOf(all, A), upTo(43));
    assert.deepEqual(seqsOf(all, B), upTo(7));
    assert.equal(new Set(all.map((r) => r.metadata.uid)).size, all.length, 'no event twice');
  });

  test('an HTTPS endpoint gets signed batches through the egress policy; a refusal is retried; a restart resumes', async () => {
    const received: { tenantId: string; firstSeq: number; lastSeq: number; records: { metadata: { sequence: number } }[]; signed: boolean }[] = [];
    let refuse = 1;
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (refuse-- > 0) return void res.writeHead(503).end();
        received.push({ ...JSON.parse(Buffer.concat(chunks).toString('utf8')), signed: typeof req.headers['signature'] === 'string' && typeof req.headers['signature-input'] === 'string' });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ocsf`);
      const egress = createEgressFetch(createEgressPolicy({ allow: parseEgressAllow('127.0.0.1') }));
      const key = await loadAlertSigningKey(join(dir, 'alert-key.json'));
      const sink = () => createHttpSiemSink({ url, egress, key: async () => key, clock: { now: () => new Date() } });
      const stream = createSiemStream({ systemDb: t.db.systemDb, sink: sink(), batchSize: 20 });
      await assert.rejects(stream.streamOnce(), { code: 'SERVICE_UNAVAILABLE' });
      assert.equal((await stream.streamOnce()).delivered, 43 + 7);
      await stream.stop();
      await append(B, 4);
      const again = createSiemStream({ systemDb: t.db.systemDb, sink: sink(), batchSize: 20 });
      assert.equal((await again.streamOnce()).delivered, 4);
      await again.stop();
      const seqs = (tenantId: string) => received.filter((b) => b.tenantId === tenantId).flatMap((b) => b.records.map((r) => r.metadata.sequence));
      assert.deepEqual(seqs(A), upTo(43));
      assert.deepEqual(seqs(B), upTo(11));
      assert.ok(received.every((b) => b.signed && b.firstSeq === b.records[0]!.metadata.sequence));
    } finally {
      server.close();
    }
  });
});
