/**
 * The KeyStore contract (STYLE.md: one suite for every storage implementation). The in-memory
 * store runs it in key-store.test.ts; the database's store runs the same function.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TenantId } from '@ward/contracts';
import type { KeyStore, WrappedKeyRecord } from '../types.ts';

const tenant = (id: string) => id as TenantId;

function record(over: Partial<WrappedKeyRecord>): WrappedKeyRecord {
  return {
    tenantId: tenant('t-contract'),
    purpose: 'data',
    version: 1,
    wrappedKey: Buffer.from('wrapped-1'),
    kekId: 'kek-1',
    createdAt: new Date('2025-01-01T00:00:00Z'),
    state: 'active',
    ...over,
  };
}

export function runKeyStoreContract(name: string, makeStore: () => Promise<KeyStore> | KeyStore): void {
  describe(`KeyStore contract: ${name}`, () => {
    test('returns what was put, by version and as the active key', async () => {
      const store = await makeStore();
      await store.putDataKey(record({}));
      const got = await store.getDataKey(tenant('t-contract'), 'data', 1);
      assert.deepEqual(got, record({}));
      assert.deepEqual(await store.getActiveDataKey(tenant('t-contract'), 'data'), record({}));
      assert.equal(await store.getActiveDataKey(tenant('t-contract'), 'index'), undefined);
      assert.equal(await store.getDataKey(tenant('t-other'), 'data', 1), undefined);
    });

    test('rejects a second record with the same tenant, purpose and version as a conflict', async () => {
      const store = await makeStore();
      await store.putDataKey(record({}));
      await assert.rejects(store.putDataKey(record({ wrappedKey: Buffer.from('other') })), { code: 'CONFLICT' });
    });

    test('turns the previous active key retiring when a new active version is put', async () => {
      const store = await makeStore();
      await store.putDataKey(record({}));
      await store.putDataKey(record({ purpose: 'index' }));
      await store.putDataKey(record({ version: 2, wrappedKey: Buffer.from('wrapped-2') }));
      assert.equal((await store.getActiveDataKey(tenant('t-contract'), 'data'))?.version, 2);
      assert.equal((await store.getDataKey(tenant('t-contract'), 'data', 1))?.state, 'retiring');
      assert.equal((await store.getDataKey(tenant('t-contract'), 'index', 1))?.state, 'active');
    });

    test('updates the wrapped key, KEK id and state of a version', async () => {
      const store = await makeStore();
      await store.putDataKey(record({}));
      await store.updateDataKey(record({ wrappedKey: Buffer.from('rewrapped'), kekId: 'kek-2' }));
      const got = await store.getDataKey(tenant('t-contract'), 'data', 1);
      assert.deepEqual([got?.wrappedKey.toString(), got?.kekId, got?.state], ['rewrapped', 'kek-2', 'active']);
    });

    test('lists every version of a tenant, oldest first, and no other tenant', async () => {
      const store = await makeStore();
      await store.putDataKey(record({ tenantId: tenant('t-elsewhere') }));
      await store.putDataKey(record({}));
      await store.putDataKey(record({ version: 2 }));
      const listed = await store.listDataKeys(tenant('t-contract'));
      assert.deepEqual(listed.map((r) => [r.tenantId, r.version, r.state]), [
        ['t-contract', 1, 'retiring'],
        ['t-contract', 2, 'active'],
      ]);
    });
  });
}
