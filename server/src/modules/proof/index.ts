/** Proof of possession (RFC 9449; R-SESS-4, R-WORK-2): one verifier for device proofs and DPoP-bound tokens. */
export { PROOF_FAILURES, ProofError, type ProofFailure } from './failures.ts';
export { createProofKeyCache, type ProofKey, type ProofKeyCache, type ProofPublicJwk } from './key-cache.ts';
export { createNonceSource, type NonceSource } from './nonce.ts';
export { proveDevice } from './prove-device.ts';
export { createReplayStore, type ReplayStore, type SpendableId } from './replay-store.ts';
export { pruneSpentProofs } from './job-replay-prune.ts';
export {
  accessTokenHash, createProofVerifier, DEVICE_PROOF_ALGORITHMS, DPOP_CHALLENGE_ALGS, PROOF_ALGORITHMS, PROOF_MAX_LENGTH, PROOF_RSA_BITS, PROOF_WINDOW_SECONDS, proofTargetUrl,
  type ProofExpectation, type ProofVerifier, type VerifiedProof,
} from './verify-proof.ts';
