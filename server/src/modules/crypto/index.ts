/**
 * The crypto module's public face (R-DATA-1, R-DATA-4, R-DATA-5): envelope encryption of PHI
 * fields, blind indexes for exact-match lookups, key rotation and crypto-shredding.
 * docs/encryption.md describes the formats and the operations around them.
 */
export type { Kms, KeyStore, WrappedKeyRecord, KeyPurpose, KeyState, FieldRef, Clock } from './types.ts';
export { createKeyringKms, type KeyringKms, type KeyringKmsOptions } from './keyring-kms.ts';
export { createAwsKms, type AwsKmsOptions } from './aws-kms.ts';
export { createMemoryKeyStore } from './key-store.ts';
export { createDbKeyStore, type DbKeyStore } from './db-key-store.ts';
export { createFieldCipher, type FieldCipher, type FieldCipherDeps } from './field-cipher.ts';
export type { KeyCacheOptions } from './key-cache.ts';
export {
  LOOKUP_FIELDS,
  BLIND_INDEX_BYTES,
  isLookupField,
  normaliseLookupValue,
  type LookupField,
  type NormaliseOptions,
} from './blind-index.ts';
export { FORMAT_VERSION, HEADER_BYTES, OVERHEAD_BYTES, readHeader } from './envelope.ts';
