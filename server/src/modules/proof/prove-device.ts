import { WardError, type AuthRequest } from '@ward/contracts';
import { ProofError } from './failures.ts';
import type { ReplayStore } from './replay-store.ts';
import type { ProofVerifier, VerifiedProof } from './verify-proof.ts';

/**
 * R-SESS-4: the device key behind a request that has no session yet (a passkey ceremony, an SSO
 * start or completion): its proof is verified and its jti spent on its own.
 */
export async function proveDevice(deps: { proofs: ProofVerifier; replays: ReplayStore; clock: { now(): Date } }, req: AuthRequest): Promise<VerifiedProof> {
  try {
    const proof = await deps.proofs.verify(req.headers.dpop, { method: req.method, url: req.url });
    await deps.replays.spendAlone(proof, deps.clock.now());
    return proof;
  } catch (e) {
    if (e instanceof ProofError) throw new WardError('DEVICE_PROOF_INVALID', undefined, { cause: e });
    throw e;
  }
}
