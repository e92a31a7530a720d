import { hash, randomBytes } from 'node:crypto';

/** An opaque bearer secret (session cookie, enrollment token): 256 random bits, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Only this hash of a secret is stored (R-SESS-1, R-AUTHN-3); the secret itself never is. SHA-256 of its
 * UTF-8 bytes by the one-shot `crypto.hash` (no Hash object per call; every authenticated request
 * hashes its cookie: R-OPS-1).
 */
export function secretHash(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}
