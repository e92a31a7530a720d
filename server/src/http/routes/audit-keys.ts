import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

const Jwk = Type.Object(
  {
    kty: Type.Literal('OKP'),
    crv: Type.Literal('Ed25519'),
    x: Type.String(),
    kid: Type.String(),
    alg: Type.Literal('EdDSA'),
    use: Type.Literal('sig'),
  },
  { additionalProperties: false },
);
const Jwks = Type.Object({ keys: Type.Array(Jwk) }, { additionalProperties: false });

/**
 * GET /.well-known/ward-audit-keys: the public keys of every key that ever signed an audit tree head
 * (R-AUDIT-3), as a JWK Set (RFC 7517, OKP/Ed25519 per RFC 8037), so that auditors verify exports and
 * published heads without trusting Ward. Public: the keys are public, and no tenant data is served.
 */
export function auditKeyRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/.well-known/ward-audit-keys', { config: { access: { kind: 'public' } }, schema: { response: { 200: Jwks } } }, async (_req, reply) => {
    const ring = await deps.auditKeys.load();
    reply.header('cache-control', 'public, max-age=300');
    return { keys: ring.publicKeys.toJwks() };
  });
}
