import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * Imported public keys by RFC 7638 thumbprint. Each proof carries its key; importing it again on every
 * request cost a measurable share of the CPU under load, and a device sends the same key every time.
 * Bounded (least recently used out): a miss only costs an import, it never refuses a proof.
 */
export interface ProofKeyCache {
  /** The key and its thumbprint; the thumbprint is computed from the JWK's required members only. */
  get(jwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string }): { thumbprint: string; key: KeyObject };
}

/** RFC 7638 §3.2: the required members of an EC key in lexicographic order, no whitespace; SHA-256, base64url. */
export function ecThumbprint(jwk: { crv: string; kty: string; x: string; y: string }): string {
  const canonical = `{"crv":${JSON.stringify(jwk.crv)},"kty":${JSON.stringify(jwk.kty)},"x":${JSON.stringify(jwk.x)},"y":${JSON.stringify(jwk.y)}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

export function createProofKeyCache(maxKeys = 10_000): ProofKeyCache {
  const keys = new Map<string, KeyObject>();
  return {
    get(jwk) {
      const thumbprint = ecThumbprint(jwk);
      let key = keys.get(thumbprint);
      if (key) {
        keys.delete(thumbprint); // re-insert: Map order is the recency order
      } else {
        // Throws on a point that is not on the curve: the caller refuses the proof (jwk).
        key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
        if (keys.size >= maxKeys) keys.delete(keys.keys().next().value!);
      }
      keys.set(thumbprint, key);
      return { thumbprint, key };
    },
  };
}
