import { createHash, randomBytes } from 'node:crypto';

/** An opaque bearer secret (session cookie, enrollment token): 256 random bits, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this hash of a secret is stored (R-SESS-1, R-AUTHN-3); the secret itself never is. */
export function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
