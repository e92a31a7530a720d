import { after, describe } from 'node:test';
import { randomUUID } from 'node:crypto';
import type { TenantId } from '@ward/contracts';
import { PHI_ENGINES } from '../../../test/phi/phi-database.ts';
import type { TestDatabase } from '../../../test/support/databases.ts';
import { createDbKeyStore } from './db-key-store.ts';
import type { KeyStore, WrappedKeyRecord } from './types.ts';
import { runKeyStoreContract } from './test-support/key-store-contract.ts';

/**
 * The database KeyStore passes the same contract as the in-memory one, on both engines. The
 * contract names tenants 't-contract', 't-other'…; tenant_keys references real tenants, so each
 * store gets fresh tenant rows and translates those names to their ids (storage is untouched).
 */
for (const engine of PHI_ENGINES) {
  describe(`database key store (${engine.engine})`, { skip: engine.skip }, () => {
    let database: TestDatabase | undefined;
    after(async () => database?.close());

    runKeyStoreContract(engine.engine, async () => {
      database ??= await engine.open();
      const store = createDbKeyStore(database.db.systemDb, { engine: database.db.engine });
      await store.load();
      const ids = new Map<string, string>();
      const names = new Map<string, string>();
      for (const name of ['t-contract', 't-other', 't-elsewhere']) {
        const id = randomUUID();
        ids.set(name, id);
        names.set(id, name);
        await database.db.systemDb.query('INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)', [id, `k${id.slice(0, 8)}`, name]);
      }
      const toDb = (t: TenantId) => (ids.get(t) ?? t) as TenantId;
      const back = (r: WrappedKeyRecord | undefined) => r && { ...r, tenantId: (names.get(r.tenantId) ?? r.tenantId) as TenantId };
      const translated: KeyStore = {
        getActiveDataKey: async (t, p) => back(await store.getActiveDataKey(toDb(t), p)),
        getDataKey: async (t, p, v) => back(await store.getDataKey(toDb(t), p, v)),
        putDataKey: (r) => store.putDataKey({ ...r, tenantId: toDb(r.tenantId) }),
        updateDataKey: (r) => store.updateDataKey({ ...r, tenantId: toDb(r.tenantId) }),
        listDataKeys: async (t) => (await store.listDataKeys(toDb(t))).map((r) => back(r)!),
      };
      return translated;
    });
  });
}
