import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MeReply, WardError } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { describeMember } from '../../modules/identity/index.ts';
import { selfTransaction } from '../plugins/authenticate.ts';
import { protectBrowserRoutes } from './auth-request.ts';

/** GET /v1/me: who the session's member is, how they signed in, and from which device (access `self`). */
export async function meRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    protectBrowserRoutes(scope, { origin: deps.config.origin, clock: deps.clock });
    scope.get('/v1/me', { config: { access: { kind: 'self' } }, schema: { response: { 200: MeReply } } }, async (req) => {
      const { member, who } = await selfTransaction(req, deps.db, async (tx, who) => ({ member: await describeMember(tx, who.principal.id), who }));
      if (!member) throw new WardError('UNAUTHENTICATED');
      return {
        memberId: who.principal.id,
        email: member.email,
        status: who.principal.status ?? 'active',
        tenant: member.tenant,
        roles: [...who.principal.roles],
        scopes: [...who.principal.phiScopes],
        session: {
          authMethod: who.credential.authMethod,
          amr: who.credential.amr,
          mfa: who.credential.mfa,
          lastVerifiedAt: who.credential.lastVerifiedAt.toISOString(),
          expiresAt: who.credential.expiresAt.toISOString(),
        },
        device: { id: who.device.id, posture: who.device.posture },
      };
    });
  });
}
