/**
 * Unwrapped data keys in memory, so that a read costs one AES-GCM operation and no KMS call.
 * Bounded (least recently used tenants leave first), per tenant, with a TTL so that a key destroyed
 * or rotated by another process stops being used within `ttlSeconds`. Keys are Node KeyObjects:
 * their bytes live outside the JavaScript heap and never print.
 */
import type { KeyObject } from 'node:crypto';
import type { Clock, KeyPurpose } from './types.ts';

export interface KeyCacheOptions {
  /** How many tenants keep keys in memory at once (default 1,000). */
  maxTenants?: number;
  /** How long an unwrapped key or an active-version answer is trusted (default 300 s). */
  ttlSeconds?: number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

interface TenantKeys {
  keys: Map<string, Entry<KeyObject>>;
  active: Map<KeyPurpose, Entry<number>>;
}

export interface KeyCache {
  getKey(tenantId: string, purpose: KeyPurpose, version: number): KeyObject | undefined;
  setKey(tenantId: string, purpose: KeyPurpose, version: number, key: KeyObject): void;
  getActiveVersion(tenantId: string, purpose: KeyPurpose): number | undefined;
  setActiveVersion(tenantId: string, purpose: KeyPurpose, version: number): void;
  forgetTenant(tenantId: string): void;
  readonly tenantCount: number;
}

export function createKeyCache(clock: Clock, options: KeyCacheOptions = {}): KeyCache {
  const maxTenants = options.maxTenants ?? 1000;
  const ttlMs = (options.ttlSeconds ?? 300) * 1000;
  // A Map iterates in insertion order: re-inserting on use makes the first key the least recent.
  const tenants = new Map<string, TenantKeys>();
  // The tenant touched last is already the most recent: a read's fields ask for its key one after
  // another, and the delete and re-insert are skipped for them (R-OPS-1).
  let last: TenantKeys | undefined;

  function touch(tenantId: string, create: boolean): TenantKeys | undefined {
    let entry = tenants.get(tenantId);
    if (entry) {
      if (last !== entry) {
        tenants.delete(tenantId);
        tenants.set(tenantId, entry);
        last = entry;
      }
      return entry;
    }
    if (!create) return undefined;
    entry = { keys: new Map(), active: new Map() };
    tenants.set(tenantId, entry);
    last = entry;
    while (tenants.size > maxTenants) {
      const oldest = tenants.keys().next().value;
      if (oldest === undefined) break;
      tenants.delete(oldest);
    }
    return entry;
  }

  function fresh<K, T>(map: Map<K, Entry<T>>, key: K): T | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= clock.now().getTime()) {
      map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  const expiresAt = () => clock.now().getTime() + ttlMs;

  return {
    getKey(tenantId, purpose, version) {
      const entry = touch(tenantId, false);
      return entry && fresh(entry.keys, `${purpose}:${version}`);
    },
    setKey(tenantId, purpose, version, key) {
      touch(tenantId, true)!.keys.set(`${purpose}:${version}`, { value: key, expiresAt: expiresAt() });
    },
    getActiveVersion(tenantId, purpose) {
      const entry = touch(tenantId, false);
      return entry && fresh(entry.active, purpose);
    },
    setActiveVersion(tenantId, purpose, version) {
      touch(tenantId, true)!.active.set(purpose, { value: version, expiresAt: expiresAt() });
    },
    forgetTenant(tenantId) {
      tenants.delete(tenantId);
    },
    get tenantCount() {
      return tenants.size;
    },
  };
}
