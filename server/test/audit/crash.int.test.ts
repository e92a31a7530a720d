// R-AUDIT-2, R-AUDIT-3: crash safety. A process appending events and sealing is killed with SIGKILL
// in the middle of a burst; after a restart every event it saw committed is sealed, none twice, the
// seqs have no gap, and the trail verifies against the heads it had published.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { openEmbedded } from '../../src/db/pglite.ts';
import { createDirectoryHeadSink, readPublishedHeads } from '../../src/modules/audit/head-sink.ts';
import { createFileSigningKeyStore } from '../../src/modules/audit/key-store.ts';
import { createAuditSealer } from '../../src/modules/audit/sealer.ts';
import { verifyTenantLog } from '../../src/modules/audit/verify-db.ts';
import type { Db } from '../../src/db/types.ts';
import { ENGINES } from '../support/databases.ts';

const TENANT = '0c000000-0000-4000-8000-00000000c4a5';
const CHILD = new URL('./crash-child.ts', import.meta.url).pathname;

for (const { engine, open, skip } of ENGINES) {
  describe(`crash safety on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    test('kill -9 during a burst of appends and seals: every committed event is sealed after restart, and verify passes', async () => {
      const t = await open();
      const work = mkdtempSync(join(tmpdir(), 'ward-crash-'));
      const keyPath = join(work, 'keys', 'audit-signing-key.json');
      const headsDir = join(work, 'heads');
      let db: Db = t.db;
      let child: ChildProcess | undefined;
      try {
        await t.superuser((tx) => tx.query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'crash', 'Crash')", [TENANT]));
        if (engine === 'embedded') await t.db.close(); // one process owns a PGlite directory at a time

        child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
          env: { ...process.env, ...t.env, CRASH_TENANT: TENANT, CRASH_KEY_PATH: keyPath, CRASH_HEADS_DIR: headsDir },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        const committed = new Set<string>();
        let sealedBeforeKill = 0;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no burst seen: ${committed.size} committed, ${sealedBeforeKill} sealed`)), 180_000);
          child!.once('error', reject);
          child!.once('exit', (code) => reject(new Error(`the child exited early (${code})`)));
          createInterface({ input: child!.stdout! }).on('line', (line) => {
            if (line.startsWith('sealed ')) sealedBeforeKill += Number(line.slice(7));
            else committed.add(line);
            if (committed.size >= 300 && sealedBeforeKill > 0) {
              clearTimeout(timer);
              resolve();
            }
          });
        });
        child.removeAllListeners('exit');
        const exited = new Promise((r) => child!.once('exit', r));
        child.kill('SIGKILL');
        await exited;

        if (engine === 'embedded') db = await openEmbedded(t.env.WARD_DATA_DIR!); // the stale lock of the dead child is taken over
        const keys = createFileSigningKeyStore({ path: keyPath });
        const sealer = createAuditSealer({ systemDb: db.systemDb, keys, sinks: [createDirectoryHeadSink(headsDir)], holder: 'restarted' });
        // The dead child's lease (3 s) expires; then the restarted sealer seals what it left.
        let pass = await sealer.sealOnce();
        for (let i = 0; !pass.isLeader && i < 100; i += 1) {
          await new Promise((r) => setTimeout(r, 100));
          pass = await sealer.sealOnce();
        }
        assert.ok(pass.isLeader);
        await sealer.stop();

        const { rows } = await db.systemDb.query<{ id: string; seq: string | number | null }>(
          'SELECT e.id, s.seq FROM audit_events e LEFT JOIN audit_seals s ON s.event_id = e.id WHERE e.tenant_id = $1', [TENANT]);
        const byId = new Map(rows.map((r) => [r.id, r.seq]));
        for (const id of committed) assert.ok(byId.get(id) != null, `committed event ${id} is sealed`);
        const seqs = rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
        assert.deepEqual(seqs, Array.from({ length: rows.length }, (_, i) => i + 1), 'gap-free, each once');
        assert.ok(sealedBeforeKill > 0 && sealedBeforeKill < rows.length + 1);

        const { report } = await verifyTenantLog(db.systemDb, { tenantId: TENANT, publicKeys: (await keys.load()).publicKeys, headsDir });
        assert.ok(report.ok, JSON.stringify(report));
        assert.ok((await readPublishedHeads(headsDir, TENANT)).length > 0);
      } finally {
        if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
        if (db !== t.db) await db.close();
        await t.close().catch(() => {});
        rmSync(work, { recursive: true, force: true });
      }
    });
  });
}
