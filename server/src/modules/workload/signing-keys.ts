import { constants, closeSync, fstatSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { WardError } from '@ward/contracts';

/**
 * The keys that sign Ward's access tokens (R-WORK-2): ES256, named by `kid` (the key's RFC 7638
 * thumbprint), in a JSON file outside the database (mode 0600, refused when others can read it).
 * Rotation (on a schedule, or `ward keys rotate-token-signing`) makes a new key active; a retired key
 * stays in the JWKS for as long as a token it signed can live (24 h at most), then it is removed.
 * The file also holds the secret that DPoP nonces are made from (RFC 9449 §8), so that every server
 * sharing the file accepts the nonces of the others.
 */
export const TOKEN_SIGNING_ALG = 'ES256';
/** No access token lives longer (R-WORK-2): a retired key is kept this long after its retirement. */
export const MAX_TOKEN_SECONDS = 86_400;

interface KeyFile {
  format: 'ward-token-signing-keys-v1';
  nonceSecret: string;
  keys: Array<{ kid: string; createdAt: string; retiredAt: string | null; privatePkcs8: string }>;
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

export function createTokenSigningKeys(opts: { path: string; clock: { now(): Date }; rotateAfterDays?: number }): TokenSigningKeys {
  const { path, clock } = opts;
  const rotateAfterMs = (opts.rotateAfterDays ?? 30) * 86_400_000;
  const invalid = (why: string, cause?: unknown) =>
    new WardError('TOKEN_SIGNING_KEYS_INVALID', undefined, { detail: `${path}: ${why}`, ...(cause ? { cause } : {}) });
  let cache: { mtimeMs: number; file: KeyFile; keys: TokenSigningKey[] } | null = null;
  // The file is looked at again at most every few seconds (another server's rotation), at once
  // when a token names a kid this server does not know, and after this server writes it.
  let checkedAt = 0;

  function readFile(): { file: KeyFile; mtimeMs: number } | null {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw invalid('it could not be opened', e);
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile() || (stat.mode & 0o077) !== 0) throw invalid('it must be a regular file readable by its owner only (chmod 600)');
      if (cache && cache.mtimeMs === stat.mtimeMs) return { file: cache.file, mtimeMs: stat.mtimeMs };
      const file = JSON.parse(readFileSync(fd, 'utf8')) as KeyFile;
      if (file.format !== 'ward-token-signing-keys-v1' || !Array.isArray(file.keys) || typeof file.nonceSecret !== 'string') throw invalid('unknown format');
      return { file, mtimeMs: stat.mtimeMs };
    } catch (e) {
      throw e instanceof WardError ? e : invalid('it is not JSON', e);
    } finally {
      closeSync(fd);
    }
  }

  function writeKeyFile(file: KeyFile): void {
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, path); // atomic: a reader sees the old file or the new one, never half of one
    checkedAt = 0;
  }

  async function toKeys(file: KeyFile): Promise<TokenSigningKey[]> {
    return Promise.all(file.keys.map(async (k) => {
      const privateKey = createPrivateKey({ key: Buffer.from(k.privatePkcs8, 'base64'), format: 'der', type: 'pkcs8' });
      const publicKey = createPublicKey(privateKey);
      const publicJwk = { ...(await exportJWK(publicKey)), kid: k.kid, alg: TOKEN_SIGNING_ALG, use: 'sig' };
      return { kid: k.kid, privateKey, publicKey, publicJwk, createdAt: new Date(k.createdAt), retiredAt: k.retiredAt ? new Date(k.retiredAt) : null };
    }));
  }

  async function newKeyEntry(now: Date): Promise<KeyFile['keys'][number]> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
    return { kid, createdAt: now.toISOString(), retiredAt: null, privatePkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64') };
  }

  async function current(): Promise<TokenSigningKey[]> {
    if (cache && Date.now() - checkedAt < 5_000) return cache.keys;
    checkedAt = Date.now();
    const read = readFile();
    if (read && cache && cache.mtimeMs === read.mtimeMs) return cache.keys;
    if (!read) {
      writeKeyFile({ format: 'ward-token-signing-keys-v1', nonceSecret: randomBytes(32).toString('base64'), keys: [await newKeyEntry(clock.now())] });
      return current();
    }
    cache = { ...read, keys: await toKeys(read.file) };
    return cache.keys;
  }

  async function rotate(): Promise<TokenSigningKey> {
    await current();
    const now = clock.now();
    const file = cache!.file;
    const keep = file.keys
      .map((k) => (k.retiredAt ? k : { ...k, retiredAt: now.toISOString() }))
      .filter((k) => now.getTime() - new Date(k.retiredAt!).getTime() < MAX_TOKEN_SECONDS * 1000);
    writeKeyFile({ ...file, keys: [await newKeyEntry(now), ...keep] });
    return (await current()).find((k) => k.retiredAt === null)!;
  }

  async function active(): Promise<TokenSigningKey> {
    const key = (await current()).find((k) => k.retiredAt === null);
    if (!key) throw invalid('no active key');
    if (clock.now().getTime() - key.createdAt.getTime() >= rotateAfterMs) return rotate();
    return key;
  }

  async function byKid(kid: string): Promise<TokenSigningKey | undefined> {
    const live = (keys: TokenSigningKey[]) => keys.find((k) => k.kid === kid && (k.retiredAt === null || clock.now().getTime() - k.retiredAt.getTime() < MAX_TOKEN_SECONDS * 1000));
    const found = live(await current());
    if (found) return found;
    checkedAt = 0;
    return live(await current());
  }

  return {
    active,
    byKid,
    rotate,
    async jwks() {
      const now = clock.now().getTime();
      return { keys: (await current()).filter((k) => k.retiredAt === null || now - k.retiredAt.getTime() < MAX_TOKEN_SECONDS * 1000).map((k) => k.publicJwk) };
    },
    nonceSecret() {
      if (!cache) throw invalid('not loaded');
      return Buffer.from(cache.file.nonceSecret, 'base64');
    },
  };
}
