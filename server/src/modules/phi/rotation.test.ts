import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openSeededWorld, PHI_ENGINES, tid, type SeededWorld } from '../../../test/phi/phi-database.ts';
import { createDbKeyStore } from '../crypto/db-key-store.ts';
import { getPatient, getTranscript } from './index.ts';
import { rotateTenantDataKey } from './rotation.ts';

for (const engine of PHI_ENGINES) {
  describe(`data-key rotation and shredding (${engine.engine})`, { skip: engine.skip }, () => {
    let w: SeededWorld;
    before(async () => {
      w = await openSeededWorld(engine.open);
    });
    after(async () => w?.close());

    test('rotates under concurrent reads with zero failed reads, then no cell carries the old version (R-DATA-1)', async () => {
      const tenant = w.data.tenants[0]!;
      const patients = w.data.patients.filter((p) => p.tenantId === tenant.id);
      const call = w.data.calls.find((c) => c.tenantId === tenant.id)!;
      const keyStore = createDbKeyStore(w.database.db.systemDb, { engine: w.database.db.engine });
      const keys = { list: async (t: typeof tenant.id) => (await keyStore.load(), keyStore.listDataKeys(tid(t))) };
      let done = false;
      let reads = 0;
      const failures: unknown[] = [];
      const reader = (async () => {
        for (let i = 0; !done; i += 1) {
          const p = patients[i % patients.length]!;
          try {
            const got = await w.database.db.scoped(w.scope(tenant.id), async (tx) => [
              await getPatient(tx, w.cipher, tid(tenant.id), p.id, { fields: ['givenName', 'dateOfBirth'] }),
              i % 10 === 0 ? await getTranscript(tx, w.cipher, tid(tenant.id), call.id) : null,
            ] as const);
            if (got[0]?.givenName !== p.givenName) failures.push('wrong value');
            reads += 1;
          } catch (e) {
            failures.push((e as { code?: string }).code ?? e);
          }
        }
      })();
      const started = Date.now();
      const result = await rotateTenantDataKey(w.database.db.systemDb, w.cipher, keys, tid(tenant.id), { batchSize: 200 });
      const seconds = (Date.now() - started) / 1000;
      done = true;
      await reader;
      assert.deepEqual(failures, []);
      assert.ok(reads > 0);
      assert.equal(result.version, 2);
      assert.deepEqual(result.retiredVersions, [1]);
      assert.ok(result.reencrypted > 5000 / 2, `re-encrypted ${result.reencrypted} cells in ${seconds} s`);
      const left = await w.database.superuser((tx) =>
        tx.query<{ n: number }>("SELECT count(*)::int AS n FROM utterances WHERE tenant_id = $1 AND get_byte(text_enc, 4) <> 2", [tenant.id]),
      );
      assert.equal(left.rows[0]?.n, 0);
      // A second run resumes nothing and rotates again; a fresh server (cold cache) reads version 2.
      const cold = await w.newCipher();
      const p = patients[0]!;
      const got = await w.database.db.scoped(w.scope(tenant.id), (tx) => getPatient(tx, cold, tid(tenant.id), p.id, { fields: ['familyName'] }));
      assert.equal(got?.familyName, p.familyName);
    });

    test('a shredded tenant is unreadable, also by a fresh process, while the other tenant is untouched (R-DATA-1, R-DATA-5)', async () => {
      const [shredded, kept] = w.data.tenants;
      const p = w.data.patients.find((x) => x.tenantId === shredded!.id)!;
      const q = w.data.patients.find((x) => x.tenantId === kept!.id)!;
      await w.cipher.destroyTenant(tid(shredded!.id));
      for (const cipher of [w.cipher, await w.newCipher()]) {
        await assert.rejects(
          w.database.db.scoped(w.scope(shredded!.id), (tx) => getPatient(tx, cipher, tid(shredded!.id), p.id, { fields: ['givenName'] })),
          { code: 'KEY_DESTROYED' },
        );
        const other = await w.database.db.scoped(w.scope(kept!.id), (tx) => getPatient(tx, cipher, tid(kept!.id), q.id, { fields: ['givenName'] }));
        assert.equal(other?.givenName, q.givenName);
      }
    });
  });
}
