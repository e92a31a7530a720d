/**
 * Test databases with the demo data seeded and encrypted, on each of the ENGINES: the database key
 * store, a keyring in a temporary directory, and the field cipher, as deps.ts wires them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PhiScope, TenantId } from '@ward/contracts';
import { ENGINES, type TestDatabase } from '../support/databases.ts';
import type { DataScope } from '../../src/db/types.ts';
import { createDbKeyStore } from '../../src/modules/crypto/db-key-store.ts';
import { createFieldCipher, createKeyringKms, type FieldCipher, type KeyringKms } from '../../src/modules/crypto/index.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import type { DemoData } from '../../src/modules/demo/types.ts';

export const PHI_ENGINES = ENGINES;
export const ALL_SCOPES: PhiScope[] = ['Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental'];

export interface SeededWorld {
  database: TestDatabase;
  kms: KeyringKms;
  keyringDir: string;
  /** A fresh cipher (own key cache) over the same KMS and key store, as another server would have. */
  newCipher(opts?: { ttlSeconds?: number }): Promise<FieldCipher>;
  cipher: FieldCipher;
  data: DemoData;
  scope(tenantId: string): DataScope;
  close(): Promise<void>;
}

export async function openSeededWorld(open: () => Promise<TestDatabase>, seed = 1): Promise<SeededWorld> {
  const database = await open();
  const keyringDir = mkdtempSync(join(tmpdir(), 'ward-keyring-'));
  const kms = await createKeyringKms({ path: join(keyringDir, 'keyring.json') });
  const newCipher = async (opts: { ttlSeconds?: number } = {}) => {
    const keyStore = createDbKeyStore(database.db.systemDb, { engine: database.db.engine });
    await keyStore.load();
    return createFieldCipher({ kms, keyStore, cache: opts.ttlSeconds ? { ttlSeconds: opts.ttlSeconds } : undefined });
  };
  const cipher = await newCipher();
  const data = generateDemo(seed);
  await seedDemo(database.db.systemDb, data, { cipher });
  return {
    database, kms, keyringDir, newCipher, cipher, data,
    scope: (tenantId) => ({ tenantId, phiScopes: ALL_SCOPES, actorId: 'test:reader', actorKind: 'human' }),
    async close() {
      await database.close();
      rmSync(keyringDir, { recursive: true, force: true });
    },
  };
}

export const tid = (id: string) => id as TenantId;
