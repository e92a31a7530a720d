import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * Imported public keys and their RFC 7638 thumbprints. Each proof carries its key; importing it again
 * on every request cost a measurable share of the CPU under load, and a device sends the same key
 * every time. Kept by the key's coordinates (a P-256 key is its x and y), so that a known key costs
 * neither an import nor the thumbprint's hash (R-OPS-1). Bounded (least recently used out): a miss
 * only costs an import, it never refuses a proof.
 */
export interface ProofKeyCache {
  /** The key and its thumbprint; the thumbprint is computed from the JWK's required members only. */
  get(jwk: EcPublicJwk): { thumbprint: string; key: KeyObject };
  /** The key's thumbprint: the one kept with it when it is known, else computed (nothing imported). */
  thumbprint(jwk: EcPublicJwk): string;
}

/** A P-256 public key as the verifier has checked it (kty EC, crv P-256, 43-character x and y). */
export interface EcPublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** RFC 7638 §3.2: the required members of an EC key in lexicographic order, no whitespace; SHA-256, base64url. */
export function ecThumbprint(jwk: { crv: string; kty: string; x: string; y: string }): string {
  const canonical = `{"crv":${JSON.stringify(jwk.crv)},"kty":${JSON.stringify(jwk.kty)},"x":${JSON.stringify(jwk.x)},"y":${JSON.stringify(jwk.y)}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

export function createProofKeyCache(maxKeys = 10_000): ProofKeyCache {
  // The members joined by a character that base64url never holds: one id per key.
  const keys = new Map<string, { thumbprint: string; key: KeyObject }>();
  const idOf = (jwk: EcPublicJwk) => `${jwk.kty}:${jwk.crv}:${jwk.x}:${jwk.y}`;
  return {
    get(jwk) {
      const id = idOf(jwk);
      let entry = keys.get(id);
      if (entry) {
        keys.delete(id); // re-insert: Map order is the recency order
      } else {
        // Throws on a point that is not on the curve: the caller refuses the proof (jwk).
        const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
        entry = { thumbprint: ecThumbprint(jwk), key };
        if (keys.size >= maxKeys) keys.delete(keys.keys().next().value!);
      }
      keys.set(id, entry);
      return entry;
    },
    thumbprint(jwk) {
      return keys.get(idOf(jwk))?.thumbprint ?? ecThumbprint(jwk);
    },
  };
}
