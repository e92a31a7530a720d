/**
 * Why a proof of possession was refused: one reason per RFC 9449 check (§4.3), in the order the
 * verifier runs them. The reason goes to the audit trail (`device_proof_<reason>`) and to tests; the
 * client sees only DEVICE_PROOF_INVALID, or the `use_dpop_nonce` answer of §8 for `nonce`.
 */
export const PROOF_FAILURES = [
  'missing', // no DPoP header
  'multiple', // more than one DPoP header (§4.3 check 1)
  'malformed', // not a compact JWS, too large, or a header or payload that is not JSON (check 2)
  'typ', // typ is not dpop+jwt (check 4)
  'alg', // alg is not an allowed asymmetric algorithm (check 5)
  'jwk', // jwk is not a public key of the allowed type (check 7)
  'signature', // the signature does not verify with that jwk (check 6)
  'jti', // no jti, or not 16 to 128 characters
  'htm', // htm is not the request's method (check 8)
  'htu', // htu is not the request's URL without query and fragment (check 9)
  'iat', // iat is missing or outside the window around the server's clock (check 11)
  'ath', // ath does not hash the presented access token, or names one when none is presented (check 12)
  'nonce', // the server requires its nonce and this one is missing, unknown or old (check 10, §8)
  'replayed', // this key has already used this jti within the window (§11.1)
] as const;
export type ProofFailure = (typeof PROOF_FAILURES)[number];

export class ProofError extends Error {
  constructor(readonly reason: ProofFailure, options?: ErrorOptions) {
    super(`proof of possession refused: ${reason}`, options);
    this.name = 'ProofError';
  }
}
