import { createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, importJWK, type CryptoKey } from 'jose';

/**
 * Imported public keys and their RFC 7638 thumbprints. Each proof carries its key; importing it again
 * on every request cost a measurable share of the CPU under load, and a device sends the same key
 * every time. Kept by the algorithm and the key's required members (a P-256 key is its x and y), so
 * that a known key costs neither an import nor the thumbprint's hash (R-OPS-1). Bounded (least
 * recently used out): a miss only costs an import, it never refuses a proof.
 */
export interface ProofKeyCache {
  /** The key and its thumbprint when the key is known for this algorithm; nothing is computed. */
  known(alg: string, jwk: ProofPublicJwk): ProofKey | undefined;
  /**
   * Imports the key for the algorithm and computes its thumbprint (jose, over the required members
   * only). An ES256 key becomes a node:crypto KeyObject (the verifier's fast path), any other a
   * WebCrypto key for jose. Rejects a key that is not valid (a point off the curve).
   */
  add(alg: string, jwk: ProofPublicJwk): Promise<ProofKey>;
}

export interface ProofKey {
  thumbprint: string;
  key: KeyObject | CryptoKey;
}

/** A public key as the verifier has checked it for its algorithm: its RFC 7638 required members only. */
export type ProofPublicJwk =
  | { kty: 'EC'; crv: 'P-256' | 'P-384' | 'P-521'; x: string; y: string }
  | { kty: 'RSA'; e: string; n: string }
  | { kty: 'OKP'; crv: 'Ed25519'; x: string };

/** The key's id in the cache: the members joined by a character that base64url never holds. */
function idOf(alg: string, jwk: ProofPublicJwk): string {
  return jwk.kty === 'RSA' ? `${alg}:RSA:${jwk.e}:${jwk.n}` : jwk.kty === 'EC' ? `${alg}:EC:${jwk.crv}:${jwk.x}:${jwk.y}` : `${alg}:OKP:${jwk.crv}:${jwk.x}`;
}

export function createProofKeyCache(maxKeys = 10_000): ProofKeyCache {
  const keys = new Map<string, ProofKey>();
  return {
    known(alg, jwk) {
      const id = idOf(alg, jwk);
      const entry = keys.get(id);
      if (entry) {
        keys.delete(id); // re-insert: Map order is the recency order
        keys.set(id, entry);
      }
      return entry;
    },
    async add(alg, jwk) {
      // Throws on a point that is not on the curve: the caller refuses the proof (jwk).
      const key = alg === 'ES256' ? createPublicKey({ key: { ...jwk }, format: 'jwk' }) : await importJWK({ ...jwk }, alg);
      if (key instanceof Uint8Array) throw new TypeError('a proof key is asymmetric');
      const entry = { thumbprint: await calculateJwkThumbprint(jwk), key };
      if (keys.size >= maxKeys) keys.delete(keys.keys().next().value!);
      keys.set(idOf(alg, jwk), entry);
      return entry;
    },
  };
}
