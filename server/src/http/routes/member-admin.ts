import { Type } from '@sinclair/typebox';
import { DeviceRevoked, DevicesReply, MemberStatusChanged, WardError } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { lockInTx } from '../../modules/elevation/index.ts';
import { disableMemberInTx, enableMemberInTx } from '../../modules/identity/index.ts';
import { listDevices, revokeDeviceSessions, revokeMemberSessions } from '../../modules/sessions/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { IdParams, memberResource, tenantOf } from './common.ts';

/**
 * The admin console's members and devices (R-AUTHN-5, R-SESS-1, R-SESS-4, R-UX-1), people only,
 * through their own session and the one enforcement point:
 * - disable or enable a member: `member.manage` on the member (Owner, Admin; MFA, a managed device,
 *   a step-up within 300 s; never oneself; an Owner only by an Owner, `sod-owner-manages-owners`). A
 *   disabled member's sessions end at once and the next request of any of them is refused.
 * - end every session of a member and leave them active (a session feared stolen): `member.manage`
 *   on the member, as above; the member signs in again at once. Their own sessions a member ends
 *   themself (`POST /v1/me/sessions/revoke-others`, routes/auth.ts).
 * - the tenant's devices with their posture: `member.list` on the tenant.
 * - revoke a device: `lock.manage` on the tenant. Its live sessions end and a lock holds it (every
 *   request from it is refused, sign-ins too) until a second Owner or Admin unlocks it (the Locks
 *   card, `POST /v1/locks/{id}/unlock`).
 */

const SessionsRevoked = Type.Object({ memberId: Type.String({ format: 'uuid' }), revokedSessions: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });

export function memberAdminRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const people = { credentials: ['session'] as const };

  for (const verb of ['disable', 'enable'] as const) {
    enforcedRoute(app, deps, {
      ...people,
      method: 'POST',
      url: `/v1/members/:id/${verb}`,
      action: 'member.manage',
      schema: {
        summary: verb === 'disable' ? 'Disable a member: every live session ends at once' : 'Enable a disabled member again',
        params: IdParams, response: { 200: MemberStatusChanged },
      },
      target: (req) => ({ type: 'Member', id: req.params.id }),
      load: (tx, req, who) => memberResource(tx, req.params.id, who),
      handle: (tx, { who }, req) => (verb === 'disable' ? disableMemberInTx : enableMemberInTx)(
        tx, deps, { tenantId: who.principal.tenantId, actorId: who.principal.id, memberId: req.params.id }, deps.clock.now()),
      auditMetadata: (r) => ({ status: r.status, revokedSessions: r.revokedSessions }),
    });
  }

  enforcedRoute(app, deps, {
    ...people,
    method: 'POST',
    url: '/v1/members/:id/sessions/revoke',
    action: 'member.manage',
    schema: { summary: 'End every session of a member (they stay active and sign in again)', params: IdParams, response: { 200: SessionsRevoked } },
    target: (req) => ({ type: 'Member', id: req.params.id }),
    load: (tx, req, who) => memberResource(tx, req.params.id, who),
    async handle(tx, { who }, req) {
      const revokedSessions = await revokeMemberSessions(tx, req.params.id, deps.clock.now());
      await deps.audit.append(tx, {
        tenantId: who.principal.tenantId, actorKind: 'human', actorId: who.principal.id, action: 'member.sessions.revoke', targetType: 'member', targetId: req.params.id,
        outcome: 'success', metadata: { revokedSessions },
      });
      return { memberId: req.params.id, revokedSessions };
    },
    auditMetadata: (r) => ({ revokedSessions: r.revokedSessions }),
  });

  // No identifier in a query string (app.test): one member's devices are a path of their own.
  enforcedRoute(app, deps, {
    ...people,
    method: 'GET',
    url: '/v1/devices',
    action: 'member.list',
    schema: { summary: "The tenant's devices with the posture decisions use now, its source and checks", response: { 200: DevicesReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => ({ devices: await listDevices(tx, deps.clock.now()) }),
    auditMetadata: (r) => ({ count: r.devices.length }),
  });

  enforcedRoute(app, deps, {
    ...people,
    method: 'GET',
    url: '/v1/members/:id/devices',
    action: 'member.list',
    schema: { summary: "One member's devices with their posture", params: IdParams, response: { 200: DevicesReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, _ctx, req) => ({ devices: await listDevices(tx, deps.clock.now(), { memberId: req.params.id }) }),
    auditMetadata: (r) => ({ count: r.devices.length }),
  });

  enforcedRoute(app, deps, {
    ...people,
    method: 'POST',
    url: '/v1/devices/:id/revoke',
    action: 'lock.manage',
    schema: { summary: "Revoke a device: its sessions end and a lock holds it until a second Owner or Admin unlocks it", params: IdParams, response: { 200: DeviceRevoked } },
    target: (req) => ({ type: 'Device', id: req.params.id }),
    load: async (_tx, _req, who) => tenantOf(who),
    async handle(tx, { who }, req) {
      const now = deps.clock.now();
      const { rows } = await tx.query<{ id: string }>('SELECT id FROM devices WHERE id = $1', [req.params.id]);
      if (!rows[0]) throw new WardError('NOT_FOUND');
      const lock = await lockInTx(tx, { kind: 'device', id: req.params.id }, null, now);
      const revokedSessions = await revokeDeviceSessions(tx, req.params.id, now);
      await deps.audit.append(tx, {
        tenantId: who.principal.tenantId, actorKind: 'human', actorId: who.principal.id, action: 'device.revoke', targetType: 'device', targetId: req.params.id,
        outcome: 'success', metadata: { lockId: lock.id, revokedSessions },
      });
      return { deviceId: req.params.id, lockId: lock.id, revokedSessions };
    },
    auditMetadata: (r) => ({ lockId: r.lockId, revokedSessions: r.revokedSessions }),
  });
}
