// Stand-in for the proof verifier (bisection only): the key and claims are read from the proof,
// the thumbprint computed; the signature, method, URL and time are not checked. Everything else is
// the real module.
import { createHash } from 'node:crypto';
import type { ProofVerifier } from '../../../src/modules/proof/verify-proof.ts';

export * from '../../../src/modules/proof/verify-proof.ts';

process.stdout.write('bisect: device proofs are decoded, not verified\n');

const part = (proof: string, i: number) => JSON.parse(Buffer.from(proof.split('.')[i]!, 'base64url').toString('utf8')) as Record<string, unknown>;

const thumbprintOf = (header: string) => {
  const { crv, kty, x, y } = part(header, 0).jwk as { crv: string; kty: string; x: string; y: string };
  return { jwk: { crv, kty, x, y }, thumbprint: createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url') };
};

export function createProofVerifier(): ProofVerifier {
  return {
    claimedThumbprint: (header) => (typeof header === 'string' ? thumbprintOf(header).thumbprint : null),
    async verify(header) {
      if (typeof header !== 'string') throw new Error('bisect: one proof header expected');
      const { jwk: { crv, kty, x, y }, thumbprint } = thumbprintOf(header);
      const { jti, iat } = part(header, 1) as { jti: string; iat: number };
      return {
        thumbprint,
        publicJwk: { kty, crv, x, y },
        jti,
        replayKey: createHash('sha256').update(`${thumbprint}:${jti}`).digest(),
        usableUntil: new Date((iat + 60) * 1000),
      };
    },
  };
}
