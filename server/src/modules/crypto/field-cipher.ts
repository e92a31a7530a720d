/**
 * Envelope encryption of PHI fields (R-DATA-1): each tenant has versioned data keys (purpose
 * `data`) and blind-index keys (purpose `index`), stored wrapped in a KeyStore and unwrapped by
 * the tenant's key-encryption key in the KMS. Callers encrypt and decrypt one field at a time, so a
 * response decrypts only the fields it carries (DESIGN.md step 4); unwrapped keys stay in a bounded
 * in-memory cache, so a read costs one AES-GCM operation and no KMS call.
 *
 * R-DATA-4: errors name the tenant, table and column, never a value; the underlying crypto error
 * (which carries no data either) is kept as `cause`.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { WardError, isWardError, type TenantId } from '@ward/contracts';
import { openField, readHeader, sealField } from './envelope.ts';
import { computeBlindIndex, normaliseLookupValue, type LookupField, type NormaliseOptions } from './blind-index.ts';
import { createKeyCache, type KeyCacheOptions } from './key-cache.ts';
import { systemClock, type Clock, type FieldRef, type KeyPurpose, type KeyStore, type Kms, type WrappedKeyRecord } from './types.ts';

export interface FieldCipherDeps {
  kms: Kms;
  keyStore: KeyStore;
  clock?: Clock;
  cache?: KeyCacheOptions;
  lookup?: NormaliseOptions;
}

export type FieldCipher = ReturnType<typeof createFieldCipher>;

const destroyed = (tenantId: TenantId) => new WardError('KEY_DESTROYED', undefined, { detail: `The keys of tenant ${tenantId} were destroyed.` });
const where = (tenantId: TenantId, ref: FieldRef) => `tenant ${tenantId}, ${ref.table}.${ref.column}`;

function checkRef(ref: FieldRef): void {
  for (const part of [ref?.table, ref?.rowId, ref?.column]) {
    if (typeof part !== 'string' || part.length === 0) throw new WardError('BAD_REQUEST', 'A field reference needs a table, a row id and a column.');
  }
}

export function createFieldCipher(deps: FieldCipherDeps) {
  const { kms, keyStore } = deps;
  const clock = deps.clock ?? systemClock;
  const cache = createKeyCache(clock, deps.cache);
  // One KMS call per missing key even when many requests miss at once.
  const inFlight = new Map<string, Promise<{ version: number; key: KeyObject }>>();
  // Tenants shredded by this process: an unwrap that was already under way must not re-cache a key.
  const shredded = new Set<string>();

  function once(id: string, load: () => Promise<{ version: number; key: KeyObject }>) {
    let pending = inFlight.get(id);
    if (!pending) {
      pending = load().finally(() => inFlight.delete(id));
      inFlight.set(id, pending);
    }
    return pending;
  }

  async function unwrapRecord(record: WrappedKeyRecord): Promise<KeyObject> {
    const plaintext = await kms.unwrap(record.tenantId, record.kekId, record.wrappedKey);
    const key = createSecretKey(plaintext);
    plaintext.fill(0);
    if (shredded.has(record.tenantId)) throw destroyed(record.tenantId);
    cache.setKey(record.tenantId, record.purpose, record.version, key);
    return key;
  }

  async function keyVersion(tenantId: TenantId, purpose: KeyPurpose, version: number): Promise<KeyObject> {
    const cached = cache.getKey(tenantId, purpose, version);
    if (cached) return cached;
    const loaded = await once(`${tenantId}\0${purpose}\0${version}`, async () => {
      const record = await keyStore.getDataKey(tenantId, purpose, version);
      if (!record) throw new WardError('KEY_NOT_FOUND', `Tenant ${tenantId} has no ${purpose} key version ${version}.`);
      return { version, key: await unwrapRecord(record) };
    });
    return loaded.key;
  }

  /** Creates version `version` from a fresh KMS data key; `active` demotes the previous one. */
  async function addVersion(tenantId: TenantId, purpose: KeyPurpose, version: number) {
    await kms.createTenantKey(tenantId);
    const generated = await kms.generateDataKey(tenantId);
    const record: WrappedKeyRecord = {
      tenantId, purpose, version, wrappedKey: generated.wrapped, kekId: generated.kekId, createdAt: clock.now(), state: 'active',
    };
    await keyStore.putDataKey(record);
    const key = createSecretKey(generated.plaintext);
    generated.plaintext.fill(0);
    if (shredded.has(tenantId)) throw destroyed(tenantId);
    cache.setKey(tenantId, purpose, version, key);
    cache.setActiveVersion(tenantId, purpose, version);
    return { version, key };
  }

  async function activeKey(tenantId: TenantId, purpose: KeyPurpose): Promise<{ version: number; key: KeyObject }> {
    const version = cache.getActiveVersion(tenantId, purpose);
    if (version !== undefined) return { version, key: await keyVersion(tenantId, purpose, version) };
    return once(`${tenantId}\0${purpose}\0active`, async () => {
      const record = await keyStore.getActiveDataKey(tenantId, purpose);
      if (record) {
        cache.setActiveVersion(tenantId, purpose, record.version);
        return { version: record.version, key: cache.getKey(tenantId, purpose, record.version) ?? (await unwrapRecord(record)) };
      }
      // First use: provision version 1. Another process may win the race (CONFLICT); use its key.
      try {
        return await addVersion(tenantId, purpose, 1);
      } catch (e) {
        if (!isWardError(e) || e.code !== 'CONFLICT') throw e;
        const winner = await keyStore.getActiveDataKey(tenantId, purpose);
        if (!winner) throw e;
        cache.setActiveVersion(tenantId, purpose, winner.version);
        return { version: winner.version, key: await unwrapRecord(winner) };
      }
    });
  }

  async function decryptPlaintext(tenantId: TenantId, ref: FieldRef, ciphertext: Buffer): Promise<Buffer> {
    checkRef(ref);
    const header = Buffer.isBuffer(ciphertext) ? readHeader(ciphertext) : 'too-short';
    if (typeof header === 'string') throw new WardError('DECRYPT_FAILED', `The ciphertext for ${where(tenantId, ref)} is malformed (${header}).`);
    // A cached key is used at once: no promise per field (a read opens several; R-OPS-1).
    const key = cache.getKey(tenantId, 'data', header.keyVersion) ?? (await keyVersion(tenantId, 'data', header.keyVersion));
    try {
      return openField(key, tenantId, ref, ciphertext);
    } catch (cause) {
      throw new WardError(
        'DECRYPT_FAILED',
        `The ciphertext for ${where(tenantId, ref)} did not authenticate (another cell's, another tenant's, or altered).`,
        { cause },
      );
    }
  }

  async function rotate(tenantId: TenantId, purpose: KeyPurpose) {
    const versions = (await keyStore.listDataKeys(tenantId)).filter((r) => r.purpose === purpose).map((r) => r.version);
    const previousVersion = versions.length > 0 ? Math.max(...versions) : undefined;
    const { version } = await addVersion(tenantId, purpose, (previousVersion ?? 0) + 1);
    return { version, previousVersion };
  }

  return {
    /** R-DATA-1: AES-256-GCM under the tenant's active data key, bound to its cell. */
    async encryptField(tenantId: TenantId, ref: FieldRef, plaintext: string | Buffer): Promise<Buffer> {
      checkRef(ref);
      if (typeof plaintext !== 'string' && !Buffer.isBuffer(plaintext)) {
        throw new WardError('BAD_REQUEST', `The value for ${where(tenantId, ref)} must be a string or bytes.`);
      }
      const { version, key } = await activeKey(tenantId, 'data');
      return sealField(key, version, tenantId, ref, typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext);
    },

    /** Returns PHI in the clear: call it only for the fields a permitted response carries. */
    decryptPlaintext,

    async decryptPlaintextString(tenantId: TenantId, ref: FieldRef, ciphertext: Buffer): Promise<string> {
      return (await decryptPlaintext(tenantId, ref, ciphertext)).toString('utf8');
    },

    /**
     * Rotation job step: the same value under the active data key. Returns the very same Buffer
     * when it is already under the active version, so `result === ciphertext` means "no write".
     */
    async reencrypt(tenantId: TenantId, ref: FieldRef, ciphertext: Buffer): Promise<Buffer> {
      const header = readHeader(ciphertext);
      const active = await activeKey(tenantId, 'data');
      if (typeof header !== 'string' && header.keyVersion === active.version) return ciphertext;
      const plaintext = await decryptPlaintext(tenantId, ref, ciphertext);
      try {
        return sealField(active.key, active.version, tenantId, ref, plaintext);
      } finally {
        plaintext.fill(0);
      }
    },

    /**
     * The blind index of a lookup value under the active index key (store it beside the
     * ciphertext; look up with it). During an index key rotation, look up with `blindIndexCandidates`.
     */
    async blindIndex(tenantId: TenantId, field: LookupField, value: string): Promise<Buffer> {
      const normalised = normaliseLookupValue(field, value, deps.lookup);
      const { version, key } = await activeKey(tenantId, 'index');
      return computeBlindIndex(key, version, field, normalised);
    },

    /** One index per index key version not yet retired, active first: `WHERE idx = ANY($1)`. */
    async blindIndexCandidates(tenantId: TenantId, field: LookupField, value: string): Promise<Buffer[]> {
      const normalised = normaliseLookupValue(field, value, deps.lookup);
      const active = await activeKey(tenantId, 'index');
      const out = [computeBlindIndex(active.key, active.version, field, normalised)];
      for (const r of await keyStore.listDataKeys(tenantId)) {
        if (r.purpose !== 'index' || r.state !== 'retiring' || r.version === active.version) continue;
        out.push(computeBlindIndex(await keyVersion(tenantId, 'index', r.version), r.version, field, normalised));
      }
      return out;
    },

    /** Creates the tenant's KEK and first data and index keys (idempotent). */
    async provisionTenant(tenantId: TenantId): Promise<void> {
      await kms.createTenantKey(tenantId);
      await activeKey(tenantId, 'data');
      await activeKey(tenantId, 'index');
    },

    /**
     * R-DATA-1: a new data key version becomes active; the old one turns `retiring` and still
     * decrypts while the rotation job calls `reencrypt` row by row, then `retireDataKey`.
     */
    rotateDataKey: (tenantId: TenantId) => rotate(tenantId, 'data'),
    /** Same for blind indexes: stored indexes are recomputed from the decrypted values. */
    rotateIndexKey: (tenantId: TenantId) => rotate(tenantId, 'index'),

    /** Marks a `retiring` version `retired` once the job left no ciphertext under it. */
    async retireDataKey(tenantId: TenantId, purpose: KeyPurpose, version: number): Promise<void> {
      const record = await keyStore.getDataKey(tenantId, purpose, version);
      if (!record) throw new WardError('KEY_NOT_FOUND', `Tenant ${tenantId} has no ${purpose} key version ${version}.`);
      if (record.state === 'active') throw new WardError('CONFLICT', `The active ${purpose} key of tenant ${tenantId} cannot be retired.`);
      await keyStore.updateDataKey({ ...record, state: 'retired' });
    },

    /**
     * R-DATA-1: rotates the tenant's key-encryption key and rewraps every data and index key under
     * it. Data keys do not change, so no ciphertext is touched.
     */
    async rotateKeyEncryptionKey(tenantId: TenantId): Promise<{ kekId: string; rewrapped: number }> {
      const { kekId } = await kms.rotateTenantKey(tenantId);
      let rewrapped = 0;
      for (const record of await keyStore.listDataKeys(tenantId)) {
        const plaintext = await kms.unwrap(tenantId, record.kekId, record.wrappedKey);
        try {
          const wrapped = await kms.wrap(tenantId, plaintext);
          await keyStore.updateDataKey({ ...record, wrappedKey: wrapped.wrapped, kekId: wrapped.kekId });
          rewrapped += 1;
        } finally {
          plaintext.fill(0);
        }
      }
      return { kekId, rewrapped };
    },

    /**
     * Crypto-shredding (R-DATA-1, R-DATA-5): destroys the tenant's key-encryption key in the KMS and
     * drops its keys from this process's cache. Every copy of its ciphertext, in dumps and backups
     * too, is unreadable from then on. Other processes drop their cached keys within the cache TTL.
     */
    async destroyTenant(tenantId: TenantId): Promise<void> {
      shredded.add(tenantId);
      cache.forgetTenant(tenantId);
      await kms.destroyTenantKey(tenantId);
    },

    /** Drops the tenant's cached keys (e.g. when told another process destroyed or rotated them). */
    forgetTenant(tenantId: TenantId): void {
      cache.forgetTenant(tenantId);
    },
  };
}
