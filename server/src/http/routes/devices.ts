import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { claimDeviceBinding, issueBindingCode } from '../../modules/sessions/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { tenantOf } from './common.ts';
import { selfTransaction } from '../plugins/authenticate.ts';
import { protectBrowserRoutes } from './auth-request.ts';
import { BindingClaim, BindingClaimed } from './hooks.ts';

/**
 * Device binding (R-SESS-4; docs/integrations.md): the person's browser asks for a one-time code for
 * its own device (`self`), and an Admin claims it for the MDM's device id (`device.bind`, through the
 * enforcement point: MFA, a managed device and a recent verification, audited). The MDM integration
 * claims the same way by a signed hook (`POST /v1/hooks/posture/bind`).
 */
const BindingCode = Type.Object({ code: Type.String(), expiresAt: Type.String() }, { additionalProperties: false });

export async function deviceRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): Promise<void> {
  await app.register(async (scope) => {
    protectBrowserRoutes(scope, { origin: deps.config.origin, clock: deps.clock });
    scope.post('/v1/me/device/binding-code', {
      config: { access: { kind: 'self' } },
      schema: { summary: "A one-time code that binds this browser's device to its MDM record (10 minutes)", response: { 201: BindingCode } },
    }, async (req, reply) => {
      const issued = await selfTransaction(req, deps.db, (tx, who) =>
        issueBindingCode(tx, deps.audit, { tenantId: who.principal.tenantId, deviceId: who.device.id, memberId: who.principal.id }, deps.clock.now()));
      reply.status(201).header('cache-control', 'no-store');
      return { code: issued.code, expiresAt: issued.expiresAt.toISOString() };
    });
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/devices/bindings',
    action: 'device.bind',
    credentials: ['session'],
    schema: { summary: "Bind a member's device to the MDM's device id by the code its browser showed", body: BindingClaim, response: { 201: BindingClaimed } },
    status: 201,
    load: async (_tx, _req, who) => tenantOf(who),
    async handle(tx, { who }, req) {
      const b = req.body;
      const { deviceId } = await claimDeviceBinding(tx, { tenantId: who.principal.tenantId, code: b.code, mdmDeviceId: b.mdmDeviceId, actor: { kind: 'human', id: who.principal.id } }, deps.clock.now());
      return { deviceId, mdmDeviceId: b.mdmDeviceId };
    },
    auditMetadata: (r) => ({ deviceId: r.deviceId, mdmDeviceId: r.mdmDeviceId }),
  });
}
