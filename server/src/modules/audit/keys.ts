/**
 * Ed25519 signing keys for signed tree heads (R-AUDIT-3; NIST AU-9, AU-10): key ids, a ring of public
 * keys that outlives rotation, and JWK export (RFC 8037, OKP/Ed25519) for a `/.well-known` endpoint.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { fromBase64Url, sha256 } from './hashes.ts';

/** RFC 8037 §2 public key, with the key id and intended use. */
export interface PublicKeyJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface SigningKey {
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** What a signer holds: one active signing key and every public key it ever signed with. */
export interface KeyRing {
  readonly active: SigningKey;
  readonly publicKeys: PublicKeyRing;
}

export function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new TypeError('not an Ed25519 public key');
  return Buffer.from(jwk.x, 'base64url');
}

/** The key id: base64url of the first 16 bytes of SHA-256 of the raw 32-byte public key. */
export function keyIdOf(publicKey: KeyObject): string {
  return sha256(rawPublicKey(publicKey)).subarray(0, 16).toString('base64url');
}

export function publicKeyJwk(publicKey: KeyObject): PublicKeyJwk {
  return { kty: 'OKP', crv: 'Ed25519', x: rawPublicKey(publicKey).toString('base64url'), kid: keyIdOf(publicKey), alg: 'EdDSA', use: 'sig' };
}

/** The public keys a verifier trusts, by key id. A JWK whose kid is not its key's id is refused. */
export class PublicKeyRing {
  readonly #keys = new Map<string, KeyObject>();

  constructor(publicKeys: Iterable<KeyObject> = []) {
    for (const key of publicKeys) this.add(key);
  }

  static fromJwks(jwks: readonly unknown[]): PublicKeyRing {
    const ring = new PublicKeyRing();
    for (const jwk of jwks) ring.add(publicKeyFromJwk(jwk));
    return ring;
  }

  add(publicKey: KeyObject): void {
    if (publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'ed25519') throw new TypeError('not an Ed25519 public key');
    this.#keys.set(keyIdOf(publicKey), publicKey);
  }

  get(keyId: string): KeyObject | undefined {
    return this.#keys.get(keyId);
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  toJwks(): PublicKeyJwk[] {
    return [...this.#keys.values()].map(publicKeyJwk);
  }
}

/** Reads an OKP/Ed25519 JWK; throws TypeError when it is not one or its kid does not match its key. */
export function publicKeyFromJwk(value: unknown): KeyObject {
  const jwk = value as Partial<PublicKeyJwk> | null;
  if (jwk === null || typeof jwk !== 'object' || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new TypeError('not an OKP/Ed25519 JWK');
  }
  const raw = fromBase64Url(jwk.x);
  if (raw === null || raw.length !== 32) throw new TypeError('x is not a 32-byte base64url value');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  if (jwk.kid !== undefined && jwk.kid !== keyIdOf(key)) throw new TypeError('kid does not match the key');
  return key;
}
