/**
 * Access tokens whose signature and issuer, type and algorithm Ward has already verified, by their
 * exact text (R-WORK-2; issue 18's cost goal). A workload presents the same access token on every
 * request for its whole lifetime (10 minutes by default), and the ES256 verification of an unchanged
 * text with an unchanged key always gives the same answer; only what depends on the clock or on
 * state can change, and that is checked again on every request:
 * - the signing key must still be live (`byKid`, as for an uncached token: a key removed after its
 *   tokens' lifetime stops every token it signed);
 * - `nbf` and `exp` are compared with the request's clock exactly as `jose` compares them
 *   (no clock tolerance: `exp <= now` is expired, `nbf > now` is not yet valid);
 * - revocation, the workload's status and its grants are read from the database by the caller, never
 *   cached here.
 * Only a token that passed every check of `jwtVerify` is stored. Bounded, least recently used out; a
 * miss only costs a verification, it never accepts or refuses anything by itself.
 */
export interface VerifiedTokenCache<C> {
  /** The claims of `token` when it was verified before under the key `kid`, else undefined. */
  get(token: string): { kid: string; claims: C } | undefined;
  /** Records a token that passed verification with the key `kid`. */
  put(token: string, kid: string, claims: C): void;
  readonly size: number;
}

export function createVerifiedTokenCache<C>(maxTokens = 4096): VerifiedTokenCache<C> {
  const tokens = new Map<string, { kid: string; claims: C }>();
  return {
    get(token) {
      const hit = tokens.get(token);
      if (hit) {
        tokens.delete(token); // re-insert: Map order is the recency order
        tokens.set(token, hit);
      }
      return hit;
    },
    put(token, kid, claims) {
      tokens.delete(token);
      if (tokens.size >= maxTokens) tokens.delete(tokens.keys().next().value!);
      tokens.set(token, { kid, claims });
    },
    get size() {
      return tokens.size;
    },
  };
}

/** The outcome of `jose`'s time checks for a verified token at `now` (jwt_claims_set.js, tolerance 0). */
export function timeCheck(claims: { exp?: unknown; nbf?: unknown }, now: Date): 'ok' | 'expired' | 'not_yet_valid' {
  const seconds = Math.floor(now.getTime() / 1000);
  if (typeof claims.nbf === 'number' && claims.nbf > seconds) return 'not_yet_valid';
  if (typeof claims.exp === 'number' && claims.exp <= seconds) return 'expired';
  return 'ok';
}
