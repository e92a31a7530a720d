import { constants, closeSync, fstatSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { WardError } from '@ward/contracts';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

/**
 * Ward's own key for signing outbound alert webhooks (RFC 9421, R-MON-1, R-WORK-4): ES256
 * (`ecdsa-p256-sha256`), in a file outside the database (0600, refused when others can read it),
 * published in /.well-known/jwks.json under its own `kid` (`ward-alerts-…`, never a token key's), so
 * that a receiver verifies an alert with the key Ward publishes.
 */
export interface AlertSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

interface KeyFile {
  format: 'ward-alert-signing-key-v1';
  privatePkcs8: string;
}

function invalid(path: string, why: string, cause?: unknown): WardError {
  return new WardError('CONFIG_INVALID', undefined, { detail: `${path}: ${why}`, ...(cause ? { cause } : {}) });
}

function readKeyFile(path: string): KeyFile | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw invalid(path, 'it could not be opened', e);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || (stat.mode & 0o077) !== 0) throw invalid(path, 'it must be a regular file readable by its owner only (chmod 600)');
    const file = JSON.parse(readFileSync(fd, 'utf8')) as KeyFile;
    if (file.format !== 'ward-alert-signing-key-v1' || typeof file.privatePkcs8 !== 'string') throw invalid(path, 'unknown format');
    return file;
  } catch (e) {
    throw e instanceof WardError ? e : invalid(path, 'it is not JSON', e);
  } finally {
    closeSync(fd);
  }
}

/** Loads the key, creating it on first use (atomically: a reader sees no file or a whole one). */
export async function loadAlertSigningKey(path: string): Promise<AlertSigningKey> {
  let file = readKeyFile(path);
  if (!file) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    file = { format: 'ward-alert-signing-key-v1', privatePkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64') };
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, path);
  }
  const privateKey = createPrivateKey({ key: Buffer.from(file.privatePkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  const jwk = await exportJWK(createPublicKey(privateKey));
  const kid = `ward-alerts-${(await calculateJwkThumbprint(jwk)).slice(0, 22)}`;
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'ES256', use: 'sig' } };
}

/**
 * The key, loaded (or created) on first use and kept: a server reads it when it publishes its JWKS or
 * sends an alert, never a CLI command that needs neither (`ward migrate` before the data directory exists).
 */
export function alertSigningKeyLoader(path: string): () => Promise<AlertSigningKey> {
  let loaded: Promise<AlertSigningKey> | undefined;
  return () => {
    loaded ??= loadAlertSigningKey(path).catch((e: unknown) => {
      loaded = undefined;
      throw e;
    });
    return loaded;
  };
}
