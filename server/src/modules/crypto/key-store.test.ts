import { createMemoryKeyStore } from './key-store.ts';
import { runKeyStoreContract } from './test-support/key-store-contract.ts';

runKeyStoreContract('in-memory', () => createMemoryKeyStore());
