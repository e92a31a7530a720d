// R-AUDIT-2, R-AUDIT-3: the sealer on both engines. Events committed with their access get gap-free
// per-tenant seqs (rows of audit_seals, 0085; the events are never updated) in the order of their
// transactions, chained, in the tree and under a signed head published outside the database;
// `verifyTenantLog` passes after traffic and names the first bad seq after each tampering.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import pg from 'pg';
import type { Tx } from '../../src/db/types.ts';
import { createAuditLog } from '../../src/modules/audit/append.ts';
import { createDirectoryHeadSink, readPublishedHeads } from '../../src/modules/audit/head-sink.ts';
import { createMemorySigningKeyStore } from '../../src/modules/audit/key-store.ts';
import { verifyInclusion } from '../../src/modules/audit/merkle.ts';
import { inclusionProofOf } from '../../src/modules/audit/proof.ts';
import { inclusionProofs } from '../../src/modules/audit/proofs.ts';
import { createAuditSealer, type AuditSealer } from '../../src/modules/audit/sealer.ts';
import { verifyTenantLog } from '../../src/modules/audit/verify-db.ts';
import { refused } from '../support/fixtures.ts';
import { ENGINES, type TestDatabase } from '../support/databases.ts';

const A = '0a000000-0000-4000-8000-00000000a0d1';
const B = '0b000000-0000-4000-8000-00000000a0d1';
const audit = createAuditLog();
const scope = (tenantId: string) => ({ tenantId, phiScopes: ['Healthcare-PHI'] as const, actorId: 'member-1', actorKind: 'human' as const });

async function appendEvents(t: TestDatabase, tenantId: string, n: number, action = 'patient.view'): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await t.db.scoped({ ...scope(tenantId), phiScopes: ['Healthcare-PHI'] }, (tx) =>
      audit.append(tx, {
        tenantId,
        actorKind: 'human',
        actorId: 'member-1',
        sessionId: '5e550000-0000-4000-8000-000000000001',
        action,
        targetType: 'patient',
        targetId: `p-${i}`,
        phiScope: 'Healthcare-PHI',
        decision: 'allow',
        policyIds: ['permit-agent'],
        outcome: 'success',
        metadata: { n: i, ratio: 1.5, label: 'é', zero: 0 },
      }),
    );
  }
}


for (const { engine, open, skip } of ENGINES) {
  describe(`the audit sealer on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDatabase;
    let headsDir: string;
    let sealer: AuditSealer;
    const keys = createMemorySigningKeyStore();
    const newSealer = (opts: { batchSize?: number; holder?: string; leaseSeconds?: number; holdBackWaitMs?: number } = {}) =>
      // A pass's time budget is generous: on a loaded machine PGlite can take seconds per batch, and these tests count what one pass
      // seals; so is its wait for transactions of other tests' databases on the same server that hold events back (seal-order.ts).
      createAuditSealer({ systemDb: t.db.systemDb, keys, sinks: [createDirectoryHeadSink(headsDir)], batchSize: opts.batchSize ?? 7, holder: opts.holder,
        leaseSeconds: opts.leaseSeconds, maxPassMs: 120_000, holdBackWaitMs: opts.holdBackWaitMs ?? 60_000 });
    const seqOf = (tenantId: string, seq: number) => `(SELECT event_id FROM audit_seals WHERE tenant_id = '${tenantId}' AND seq = ${seq})`;
    const verify = async (tenantId: string, dir: string | undefined = headsDir) =>
      verifyTenantLog(t.db.systemDb, { tenantId, publicKeys: (await keys.load()).publicKeys, headsDir: dir, pageSize: 16 });

    before(async () => {
      t = await open();
      await t.superuser(async (tx) => {
        await tx.query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'seal-a', 'A'), ($2, 'seal-b', 'B')", [A, B]);
      });
    });
    after(async () => t?.close());
    beforeEach(async () => {
      headsDir = mkdtempSync(join(tmpdir(), 'ward-heads-'));
      await t.superuser(async (tx) => {
        for (const table of ['audit_tree_heads', 'audit_tree_nodes', 'audit_seals', 'audit_events', 'leases']) await tx.query(`DELETE FROM ${table}`);
      });
      sealer = newSealer();
    });
    afterEach(async () => {
      await sealer.stop();
      rmSync(headsDir, { recursive: true, force: true });
    });

    test('assigns each tenant gap-free seqs from 1, signs and publishes a head per batch, and verifies', async () => {
      await appendEvents(t, A, 20);
      await appendEvents(t, B, 5);
      const pass = await sealer.sealOnce();
      assert.deepEqual({ isLeader: pass.isLeader, sealed: pass.sealed, unpublished: pass.unpublished }, { isLeader: true, sealed: 25, unpublished: 0 });
      assert.equal(pass.heads, 3 /* A: 7, 14, 20 */ + 1 /* B: 5 */);
      await t.superuser(async (tx) => {
        for (const [tenant, n] of [[A, 20], [B, 5]] as const) {
          const { rows } = await tx.query<{ seq: string }>('SELECT s.seq FROM audit_seals s JOIN audit_events e ON e.id = s.event_id WHERE e.tenant_id = $1 ORDER BY s.seq', [tenant]);
          assert.deepEqual(rows.map((r) => Number(r.seq)), Array.from({ length: n }, (_, i) => i + 1));
        }
        const unpublished = await tx.query('SELECT 1 FROM audit_tree_heads WHERE published_at IS NULL');
        assert.equal(unpublished.rows.length, 0);
      });
      assert.deepEqual((await readPublishedHeads(headsDir, A)).map((h) => h.treeSize), [7, 14, 20]);
      for (const tenant of [A, B]) {
        const { report, unsealed } = await verify(tenant);
        assert.ok(report.ok, JSON.stringify(report));
        assert.equal(unsealed, 0);
      }
      // More traffic extends the same chain and tree.
      await appendEvents(t, A, 3);
      assert.equal((await sealer.sealOnce()).sealed, 3);
      const { report } = await verify(A);
      assert.deepEqual(report.ok && { treeSize: report.treeSize, signedSize: report.signedSize }, { treeSize: 23, signedSize: 23 });
    });

    test('proofs from the database (nodes stored from level 4 up, the levels below hashed from the leaves) verify against the signed heads, and a new sealer reopens the tree', async () => {
      await appendEvents(t, A, 40);
      await sealer.sealOnce();
      await t.superuser(async (tx) => {
        const { rows } = await tx.query<{ level: number }>('SELECT DISTINCT level FROM audit_tree_nodes WHERE tenant_id = $1', [A]);
        assert.deepEqual(rows.map((r) => Number(r.level)).sort(), [4, 5]);
        // 0108: the table holds no level below 4, even for the owner.
        await tx.query('SAVEPOINT below');
        await assert.rejects(tx.query('INSERT INTO audit_tree_nodes (tenant_id, level, node_index, hash) VALUES ($1, 3, 99, $2)', [A, Buffer.alloc(32)]), { code: '23514' });
        await tx.query('ROLLBACK TO SAVEPOINT below');
      });
      const check = async (size: number) => {
        for (let seq = 1; seq <= size; seq += 1) {
          const proof = await inclusionProofOf(t.db.systemDb, A, seq);
          assert.ok(proof !== null && proof.head.treeSize === size, `seq ${seq}`);
          const root = Buffer.from(proof.head.rootHash, 'base64url');
          assert.ok(verifyInclusion(Buffer.from(proof.leafHash, 'base64url'), seq - 1, size, proof.proof.map((p) => Buffer.from(p, 'base64url')), root), `seq ${seq}`);
        }
        const { head, proofs } = await inclusionProofs(t.db.systemDb, A, [1, 9, 16, 17, size]);
        for (const p of proofs) assert.ok(verifyInclusion(Buffer.from(p.leafHash, 'base64url'), p.leafIndex, head!.treeSize, p.path.map((x) => Buffer.from(x, 'base64url')), Buffer.from(head!.rootHash, 'base64url')));
      };
      await check(40);
      // A sealer without the tree in memory reopens its frontier from the database (levels 1–3 hashed from leaves).
      await sealer.stop();
      sealer = newSealer({ batchSize: 5 });
      await appendEvents(t, A, 11);
      assert.equal((await sealer.sealOnce()).sealed, 11);
      await check(51);
      assert.ok((await verify(A)).report.ok);
    });

    test('a second sealer finds the lease held and seals nothing; it takes over once the lease is released', async () => {
      await appendEvents(t, A, 3);
      assert.equal((await sealer.sealOnce()).isLeader, true);
      const other = newSealer({ holder: 'other-server' });
      await appendEvents(t, A, 2);
      assert.deepEqual(await other.sealOnce(), { isLeader: false, sealed: 0, heads: 0, unpublished: 0 });
      await sealer.stop();
      const pass = await other.sealOnce();
      assert.equal(pass.isLeader, true);
      assert.equal(pass.sealed, 2);
      // The first server comes back: its cached tree is stale, it must re-read and continue at seq 6.
      await other.stop();
      await appendEvents(t, A, 1);
      assert.equal((await sealer.sealOnce()).sealed, 1);
      assert.ok((await verify(A)).report.ok);
    });

    test('an expired lease is taken over', async () => {
      const short = newSealer({ holder: 'short', leaseSeconds: 1 });
      await appendEvents(t, A, 1);
      assert.equal((await short.sealOnce()).isLeader, true);
      // The lease must outlast one pass (a pass renews it as it ends), then lapse: poll, bounded, for
      // the takeover rather than sleeping a fixed time that a loaded machine may overrun.
      let tookOver = false;
      for (const deadline = Date.now() + 5_000; !tookOver && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 200));
        tookOver = (await sealer.sealOnce()).isLeader;
      }
      assert.equal(tookOver, true);
      assert.equal((await short.sealOnce()).isLeader, false);
    });

    test('a head whose publication failed is published by the next pass', async () => {
      let isDown = true;
      const flaky = { name: 'flaky', publish: async () => { if (isDown) throw new Error('down'); } };
      const s = createAuditSealer({ systemDb: t.db.systemDb, keys, sinks: [flaky, createDirectoryHeadSink(headsDir)], batchSize: 100 });
      await appendEvents(t, A, 2);
      assert.equal((await s.sealOnce()).unpublished, 1);
      assert.deepEqual(await readPublishedHeads(headsDir, A), []);
      isDown = false;
      assert.equal((await s.sealOnce()).unpublished, 0);
      assert.deepEqual((await readPublishedHeads(headsDir, A)).map((h) => h.treeSize), [2]);
      await s.stop();
    });

    test('the merge delay is measured per sealed event', async () => {
      await appendEvents(t, A, 4);
      await sealer.sealOnce();
      const delay = sealer.mergeDelay();
      assert.equal(delay.count, 4);
      assert.ok(delay.p99Ms >= 0 && delay.p99Ms < 60_000, JSON.stringify(delay));
    });

    describe('tampering, as a database superuser, is detected at the first bad seq', () => {
      beforeEach(async () => {
        await appendEvents(t, A, 50);
        await sealer.sealOnce();
        assert.ok((await verify(A)).report.ok);
      });
      const expectFailure = async (code: string, seq: number, dir?: string) => {
        const { report } = await verify(A, dir);
        assert.equal(report.ok, false, 'tampering went unnoticed');
        if (!report.ok) assert.deepEqual({ code: report.code, seq: report.seq }, { code, seq });
      };

      test('an altered field', async () => {
        await t.superuser((tx) => tx.query(`UPDATE audit_events SET action = 'x' WHERE id = ${seqOf(A, 42)}`));
        await expectFailure('LEAF_MISMATCH', 42);
      });
      test('a deleted row', async () => {
        await t.superuser((tx) => tx.query(`DELETE FROM audit_events WHERE id = ${seqOf(A, 42)}`));
        await expectFailure('SEQ_GAP', 42);
      });
      test('a deleted seal: the gap is named, and the event is not sealed again at a new seq', async () => {
        await t.superuser((tx) => tx.query('DELETE FROM audit_seals WHERE tenant_id = $1 AND seq = 42', [A]));
        await expectFailure('SEQ_GAP', 42);
        assert.equal((await sealer.sealOnce()).sealed, 0);
        assert.equal((await verify(A)).unsealed, 1);
      });
      test('deleted seals longer than a page of the reader: the gap is named at its first seq', async () => {
        await t.superuser((tx) => tx.query('DELETE FROM audit_seals WHERE tenant_id = $1 AND seq BETWEEN 12 AND 45', [A]));
        await expectFailure('SEQ_GAP', 12);
      });
      test('two seals swapped between their events', async () => {
        await t.superuser(async (tx) => {
          const ids = (await tx.query<{ seq: string; event_id: string }>('SELECT seq, event_id FROM audit_seals WHERE tenant_id = $1 AND seq IN (43, 44) ORDER BY seq', [A])).rows.map((r) => r.event_id);
          await tx.query('UPDATE audit_seals SET event_id = gen_random_uuid() WHERE tenant_id = $1 AND seq = 43', [A]);
          await tx.query('UPDATE audit_seals SET event_id = $2 WHERE tenant_id = $1 AND seq = 44', [A, ids[0]]);
          await tx.query('UPDATE audit_seals SET event_id = $2 WHERE tenant_id = $1 AND seq = 43', [A, ids[1]]);
        });
        await expectFailure('LEAF_MISMATCH', 43);
      });
      test("two rows' contents swapped", async () => {
        await t.superuser(async (tx) => {
          await tx.query(
            `UPDATE audit_events e SET target_id = o.target_id, metadata = o.metadata FROM audit_events o
              WHERE (e.id = ${seqOf(A, 10)} AND o.id = ${seqOf(A, 20)}) OR (e.id = ${seqOf(A, 20)} AND o.id = ${seqOf(A, 10)})`,
          );
        });
        await expectFailure('LEAF_MISMATCH', 10);
      });
      test('a forged row appended with made-up hashes', async () => {
        await t.superuser(async (tx) => {
          const { rows } = await tx.query<{ id: string }>("INSERT INTO audit_events (tenant_id, actor_kind, actor_id, action, outcome) VALUES ($1, 'human', 'member-1', 'patient.view', 'success') RETURNING id", [A]);
          await tx.query('INSERT INTO audit_seals (tenant_id, seq, event_id, leaf_hash, chain_hash, sealed_at) VALUES ($1, 51, $2, $3, $3, now())', [A, rows[0]!.id, Buffer.alloc(32, 7)]);
        });
        await expectFailure('LEAF_MISMATCH', 51);
      });
      test('a forged row inserted in the middle, later rows renumbered and re-hashed consistently', async () => {
        // The attacker slips an event in just before seq 30 (same transaction id, an earlier time), drops
        // every seal and re-seals everything with a fresh chain: the chain then holds, but the tree no
        // longer matches the signed heads.
        await t.superuser(async (tx) => {
          await tx.query(
            `INSERT INTO audit_events (tenant_id, xact, occurred_at, actor_kind, actor_id, action, outcome)
             SELECT $1, e.xact, e.occurred_at - interval '1 microsecond', 'human', 'member-1', 'patient.view', 'success' FROM audit_events e WHERE e.id = ${seqOf(A, 30)}`,
            [A],
          );
          await tx.query('DELETE FROM audit_seals WHERE tenant_id = $1', [A]);
          await tx.query('DELETE FROM audit_tree_nodes WHERE tenant_id = $1', [A]);
          await tx.query('DELETE FROM audit_tree_heads WHERE tenant_id = $1', [A]);
        });
        // Re-sealing with the stolen database alone (a new sealer; the key is not in the database).
        await sealer.stop();
        const resealer = createAuditSealer({ systemDb: t.db.systemDb, keys: createMemorySigningKeyStore(), sinks: [], batchSize: 1000, holder: 'attacker' });
        await resealer.sealOnce();
        await resealer.stop();
        const { report } = await verify(A);
        assert.equal(report.ok, false);
        if (!report.ok) assert.match(report.code, /^HEAD_(ROOT_MISMATCH|UNKNOWN_KEY)$/);
      });
      test('the tail cut after a signed head, the database heads removed too: the published heads catch it', async () => {
        await t.superuser(async (tx) => {
          await tx.query('DELETE FROM audit_events WHERE id IN (SELECT event_id FROM audit_seals WHERE tenant_id = $1 AND seq > 45)', [A]);
          await tx.query('DELETE FROM audit_seals WHERE tenant_id = $1 AND seq > 45', [A]);
          await tx.query('DELETE FROM audit_tree_heads WHERE tenant_id = $1', [A]);
        });
        await expectFailure('TAIL_TRUNCATED', 46);
        // Without the published heads the cut cannot be seen: that is why they are published.
        assert.ok((await verify(A, join(headsDir, 'missing'))).report.ok);
      });
      test('a malformed line in the heads file fails closed', async () => {
        const file = join(headsDir, `${A}.jsonl`);
        writeFileSync(file, `${readFileSync(file, 'utf8')}not json\n`);
        await expectFailure('HEAD_SIGNATURE_INVALID', 0);
      });
    });

    test('ward_app cannot write the sealing tables nor supply its transaction id or timestamps', async () => {
      await appendEvents(t, A, 2);
      await appendEvents(t, B, 1);
      await sealer.sealOnce();
      await t.db.scoped({ ...scope(A), phiScopes: ['Healthcare-PHI'] }, async (tx) => {
        // R-AUDIT-3: its own tenant's seals only, read-only.
        assert.deepEqual((await tx.query<{ tenant_id: string; seq: string }>('SELECT tenant_id, seq FROM audit_seals ORDER BY seq')).rows.map((r) => [r.tenant_id, Number(r.seq)]), [[A, 1], [A, 2]]);
        assert.equal(await refused(tx, "UPDATE audit_seals SET sealed_at = now()"), '42501');
        assert.equal(await refused(tx, 'DELETE FROM audit_seals'), '42501');
        assert.equal(await refused(tx, 'TRUNCATE audit_seals'), '42501');
        assert.equal(await refused(tx, 'INSERT INTO audit_seals (tenant_id, seq, event_id, leaf_hash, chain_hash, sealed_at) VALUES ($1, 3, gen_random_uuid(), $2, $2, now())', [A, Buffer.alloc(32)]), '42501');
        assert.ok((await tx.query('SELECT 1 FROM audit_tree_heads')).rows.length > 0, 'heads are readable in its own tenant');
        assert.equal(await refused(tx, "UPDATE audit_tree_heads SET root_hash = 'x'"), '42501');
        assert.equal(await refused(tx, 'DELETE FROM audit_tree_heads'), '42501');
        assert.equal(await refused(tx, "INSERT INTO audit_tree_heads (tenant_id, tree_size, root_hash, signed_at, key_id, signature) VALUES ($1, 99, 'r', 't', 'k', 's')", [A]), '42501');
        assert.equal(await refused(tx, 'UPDATE audit_tree_nodes SET hash = hash'), '42501');
        assert.equal(await refused(tx, 'DELETE FROM audit_tree_nodes'), '42501');
        assert.equal(await refused(tx, "INSERT INTO audit_tree_nodes (tenant_id, level, node_index, hash) VALUES ($1, 1, 99, $2)", [A, Buffer.alloc(32)]), '42501');
        assert.equal(await refused(tx, 'SELECT * FROM leases'), '42501');
        assert.equal(await refused(tx, "UPDATE leases SET holder = 'me'"), '42501');
        assert.equal(await refused(tx, "UPDATE audit_events SET action = 'x'"), '42501');
        assert.equal(await refused(tx, 'DELETE FROM audit_events'), '42501');
        assert.equal(await refused(tx, 'TRUNCATE audit_events'), '42501');
        assert.equal(await refused(tx, "INSERT INTO audit_events (tenant_id, xact, actor_kind, actor_id, action, outcome) VALUES ($1, '3', 'human', 'member-1', 'x', 'success')", [A]), '42501');
        assert.equal(await refused(tx, "INSERT INTO audit_events (tenant_id, occurred_at, actor_kind, actor_id, action, outcome) VALUES ($1, now() - interval '1 day', 'human', 'm', 'x', 'success')", [A]), '42501');
      });
    });

    test('events sealed before 0085 (xact 0, their times in any order) are never taken again', async () => {
      // Sealed in transaction order, the last one the earliest in time; then given xact 0, as 0085 leaves them.
      for (const seconds of [3, 2, 1]) {
        await t.superuser((tx) => tx.query(
          "INSERT INTO audit_events (tenant_id, occurred_at, actor_kind, actor_id, action, outcome) VALUES ($1, now() - make_interval(secs => $2), 'human', 'member-1', 'old', 'success')",
          [A, 100 + seconds]));
      }
      assert.equal((await sealer.sealOnce()).sealed, 3);
      await t.superuser((tx) => tx.query("UPDATE audit_events SET xact = '0' WHERE tenant_id = $1", [A]));
      assert.equal((await sealer.sealOnce()).sealed, 0);
      await appendEvents(t, A, 2);
      assert.equal((await sealer.sealOnce()).sealed, 2);
      const { report, unsealed } = await verify(A);
      assert.deepEqual({ ok: report.ok, size: report.ok && report.treeSize, unsealed }, { ok: true, size: 5, unsealed: 0 });
    });

    if (engine === 'postgres') {
      test('an open transaction holds back events committed after it took its id: none is skipped, none gets a seq below one sealed, an aborted one is never sealed; one of another database holds nothing back', async () => {
        await sealer.stop();
        const held = newSealer({ holder: 'held', holdBackWaitMs: 3_000 });
        const ownerUrl = t.env.WARD_MIGRATION_DATABASE_URL!;
        const [early, aborted] = [new pg.Client({ connectionString: ownerUrl }), new pg.Client({ connectionString: ownerUrl })];
        // Another database on the same server (the test server's own), with a transaction id older than every event here.
        const elsewhere = new pg.Client({ connectionString: process.env.WARD_TEST_DATABASE_URL });
        await early.connect();
        await aborted.connect();
        await elsewhere.connect();
        const insert = "INSERT INTO audit_events (tenant_id, actor_kind, actor_id, action, outcome) VALUES ($1, 'human', 'm', $2, 'success')";
        try {
          await elsewhere.query('BEGIN');
          await elsewhere.query('SELECT pg_current_xact_id()');
          assert.notEqual((await t.superuser((tx) => tx.query<{ db: string }>('SELECT current_database() AS db'))).rows[0]!.db,
            (await elsewhere.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db);
          await appendEvents(t, A, 1, 'before');
          await early.query('BEGIN');
          await early.query(insert, [A, 'early']);
          await aborted.query('BEGIN');
          await aborted.query(insert, [A, 'aborted']);
          await appendEvents(t, A, 2, 'later');
          assert.equal((await held.sealOnce()).sealed, 1, 'only the event committed before the open transactions');
          await aborted.query('ROLLBACK');
          assert.equal((await held.sealOnce()).sealed, 0, 'still held back by the open transaction');
          await early.query('COMMIT');
          assert.equal((await held.sealOnce()).sealed, 3);
        } finally {
          await elsewhere.query('ROLLBACK').catch(() => {});
          await Promise.all([early.end(), aborted.end(), elsewhere.end()]);
          await held.stop();
        }
        await t.superuser(async (tx) => {
          const { rows } = await tx.query<{ action: string; seq: string }>(
            'SELECT e.action, s.seq FROM audit_seals s JOIN audit_events e ON e.id = s.event_id WHERE s.tenant_id = $1 ORDER BY s.seq', [A]);
          assert.deepEqual(rows.map((r) => [r.action, Number(r.seq)]), [['before', 1], ['early', 2], ['later', 3], ['later', 4]]);
        });
        const { report, unsealed } = await verify(A);
        assert.deepEqual({ ok: report.ok, unsealed }, { ok: true, unsealed: 0 });
      });
    }
  });
}
