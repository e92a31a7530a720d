import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { WardError, type TenantId } from '@ward/contracts';
import { AUTH_LOOKUPS, type Db } from '../../db/types.ts';
import type { Kms } from '../crypto/index.ts';

/**
 * The keys that sign Ward's access tokens (R-WORK-2): ES256, named by `kid` (the key's RFC 7638
 * thumbprint), kept in PostgreSQL (0027_token_signing_keys.sql) so that every Ward server on the
 * database signs and verifies with the same keys. Each private key is sealed with AES-256-GCM under a
 * data key the KMS wraps with the platform's key-encryption key (R-DATA-1): a dump of the database
 * holds nothing usable. Rotation (on a schedule, or `ward keys rotate-token-signing`) makes a new key
 * active; a retired key stays in the JWKS for as long as a token it signed can live (24 h at most),
 * then it is removed. The secret that DPoP nonces are made from (RFC 9449 §8) is stored the same
 * way, so that every server accepts the nonces of the others.
 */
export const TOKEN_SIGNING_ALG = 'ES256';
/** No access token lives longer (R-WORK-2): a retired key is kept this long after its retirement. */
export const MAX_TOKEN_SECONDS = 86_400;

/** The KMS's key-encryption key for platform-wide secrets: a tenant id no tenant can have. */
export const PLATFORM_KEK_TENANT = '00000000-0000-0000-0000-000000000000' as TenantId;
/** How often a server looks for another server's rotation (and at once for a kid it does not know). */
const RECHECK_MS = 5_000;

interface KeyRow {
  kid: string;
  purpose: 'signing' | 'nonce';
  created_at: Date;
  retired_at: Date | null;
  kek_id: string;
  wrapped_key: Buffer;
  sealed: Buffer;
}

export interface TokenSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
}

export interface TokenSigningKeys {
  /** The key that signs new tokens; rotates first when it is older than the rotation period. */
  active(): Promise<TokenSigningKey>;
  /** A key by kid, active or retired within the token lifetime; undefined when unknown. */
  byKid(kid: string): Promise<TokenSigningKey | undefined>;
  /** The public keys (RFC 7517), for /.well-known/jwks.json. */
  jwks(): Promise<{ keys: JWK[] }>;
  /** A new active key now; the previous one is retired (it still verifies the tokens it signed). */
  rotate(): Promise<TokenSigningKey>;
  nonceSecret(): Uint8Array;
}

export function createTokenSigningKeys(opts: { db: Pick<Db, 'authLookup'>; kms: Kms; clock: { now(): Date }; rotateAfterDays?: number }): TokenSigningKeys {
  const { db, kms, clock } = opts;
  const rotateAfterMs = (opts.rotateAfterDays ?? 30) * 86_400_000;
  const invalid = (why: string, cause?: unknown) => new WardError('TOKEN_SIGNING_KEYS_INVALID', undefined, { detail: why, ...(cause ? { cause } : {}) });
  /** Opened keys by kid (a key never changes once stored; only its retirement does). */
  const opened = new Map<string, { privateKey: KeyObject; publicKey: KeyObject; publicJwk: JWK; secret: Buffer }>();
  let cache: { keys: TokenSigningKey[]; nonceSecret: Buffer } | null = null;
  let checkedAt = 0;

  const aad = (kid: string, purpose: string) => Buffer.from(`ward-token-key/v1\n${purpose}\n${kid}`, 'utf8');

  async function seal(kid: string, purpose: 'signing' | 'nonce', secret: Buffer): Promise<{ kekId: string; wrapped: Buffer; sealed: Buffer }> {
    await kms.createTenantKey(PLATFORM_KEK_TENANT);
    const dataKey = await kms.generateDataKey(PLATFORM_KEK_TENANT);
    try {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', dataKey.plaintext, iv);
      cipher.setAAD(aad(kid, purpose));
      const sealed = Buffer.concat([iv, cipher.update(secret), cipher.final(), cipher.getAuthTag()]);
      return { kekId: dataKey.kekId, wrapped: dataKey.wrapped, sealed };
    } finally {
      dataKey.plaintext.fill(0);
    }
  }

  async function open(row: KeyRow): Promise<Buffer> {
    const dataKey = await kms.unwrap(PLATFORM_KEK_TENANT, row.kek_id, row.wrapped_key);
    try {
      const decipher = createDecipheriv('aes-256-gcm', dataKey, row.sealed.subarray(0, 12));
      decipher.setAAD(aad(row.kid, row.purpose));
      decipher.setAuthTag(row.sealed.subarray(row.sealed.length - 16));
      return Buffer.concat([decipher.update(row.sealed.subarray(12, row.sealed.length - 16)), decipher.final()]);
    } catch (e) {
      throw invalid(`token key ${row.kid} does not open`, e);
    } finally {
      dataKey.fill(0);
    }
  }

  async function put(purpose: 'signing' | 'nonce', rotateBefore: Date | null): Promise<void> {
    let kid: string;
    let secret: Buffer;
    if (purpose === 'signing') {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      kid = await calculateJwkThumbprint(await exportJWK(pair.publicKey));
      secret = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
    } else {
      kid = `nonce-${randomBytes(12).toString('base64url')}`;
      secret = randomBytes(32);
    }
    const s = await seal(kid, purpose, secret);
    await db.authLookup(AUTH_LOOKUPS.tokenKeyPut, [kid, purpose, clock.now(), s.kekId, s.wrapped, s.sealed, rotateBefore, MAX_TOKEN_SECONDS]);
    checkedAt = 0;
  }

  async function load(): Promise<{ keys: TokenSigningKey[]; nonceSecret: Buffer }> {
    const rows = await db.authLookup<KeyRow>(AUTH_LOOKUPS.tokenKeysRead, [clock.now(), MAX_TOKEN_SECONDS]);
    const keys: TokenSigningKey[] = [];
    let nonceSecret: Buffer | null = null;
    for (const row of rows) {
      let o = opened.get(row.kid);
      if (!o) {
        const secret = await open(row);
        if (row.purpose === 'signing') {
          const privateKey = createPrivateKey({ key: secret, format: 'der', type: 'pkcs8' });
          const publicKey = createPublicKey(privateKey);
          o = { privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), kid: row.kid, alg: TOKEN_SIGNING_ALG, use: 'sig' }, secret: Buffer.alloc(0) };
        } else {
          o = { privateKey: undefined as never, publicKey: undefined as never, publicJwk: {}, secret };
        }
        opened.set(row.kid, o);
      }
      if (row.purpose === 'nonce') {
        if (row.retired_at === null) nonceSecret = o.secret;
        continue;
      }
      keys.push({ kid: row.kid, privateKey: o.privateKey, publicKey: o.publicKey, publicJwk: o.publicJwk, createdAt: row.created_at, retiredAt: row.retired_at });
    }
    if (!nonceSecret) {
      await put('nonce', null);
      return load();
    }
    if (!keys.some((k) => k.retiredAt === null)) {
      await put('signing', null);
      return load();
    }
    return { keys, nonceSecret };
  }

  async function current(): Promise<TokenSigningKey[]> {
    if (cache && Date.now() - checkedAt < RECHECK_MS) return cache.keys;
    cache = await load();
    checkedAt = Date.now();
    return cache.keys;
  }

  async function rotate(): Promise<TokenSigningKey> {
    await put('signing', new Date(clock.now().getTime() + 1));
    return (await current()).find((k) => k.retiredAt === null)!;
  }

  async function active(): Promise<TokenSigningKey> {
    const key = (await current()).find((k) => k.retiredAt === null);
    if (!key) throw invalid('no active key');
    if (clock.now().getTime() - key.createdAt.getTime() >= rotateAfterMs) {
      // Only a key still older than the period is retired: several servers rotating at once make one new key.
      await put('signing', new Date(clock.now().getTime() - rotateAfterMs + 1));
      return (await current()).find((k) => k.retiredAt === null)!;
    }
    return key;
  }

  const isLive = (k: TokenSigningKey) => k.retiredAt === null || clock.now().getTime() - k.retiredAt.getTime() < MAX_TOKEN_SECONDS * 1000;

  async function byKid(kid: string): Promise<TokenSigningKey | undefined> {
    const found = (await current()).find((k) => k.kid === kid && isLive(k));
    if (found) return found;
    checkedAt = 0;
    return (await current()).find((k) => k.kid === kid && isLive(k));
  }

  return {
    active,
    byKid,
    rotate,
    async jwks() {
      return { keys: (await current()).filter(isLive).map((k) => k.publicJwk) };
    },
    nonceSecret() {
      if (!cache) throw invalid('not loaded');
      return cache.nonceSecret;
    },
  };
}
