import { Type } from '@sinclair/typebox';
import { WardError, type Authenticated, type TenantId } from '@ward/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import {
  approveRecoveryInTx, liftRecoveryInTx, openRecoveryInTx, RECOVERY_NOTE_MAX_CHARS, RECOVERY_VERIFIED_BY, sealRecoveryNote,
  type RecoveryActor, type RecoveryDeps, type RecoveryStep, type SealedNote,
} from '../../modules/identity/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { IdParams, memberResource } from './common.ts';

/**
 * Lost-device recovery over the API (R-AUTHN-4, R-AUTHZ-5): open, approve and lift, each decided as
 * `member.manage` on the member through the one enforcement point, so each needs a step-up within
 * 300 s, MFA and a managed device, and nobody acts on their own account (Cedar); an Owner's
 * credentials are reset by Owners only (`sod-owner-manages-owners`). The two-person rule
 * (the approver is neither the opener nor the member; the lifter is not the member) is checked by the
 * module and again in SQL. No reply carries the recovery link: it goes to the member through notify.
 */
const OpenBody = Type.Object(
  {
    verifiedBy: Type.Union(RECOVERY_VERIFIED_BY.map((c) => Type.Literal(c))),
    note: Type.String({ minLength: 1, maxLength: RECOVERY_NOTE_MAX_CHARS }),
  },
  { additionalProperties: false },
);
const Step = Type.Object(
  {
    recoveryId: Type.String(),
    memberId: Type.String(),
    state: Type.Union([Type.Literal('opened'), Type.Literal('approved'), Type.Literal('registered'), Type.Literal('lifted')]),
    linkExpiresAt: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
const OpenSchema = { params: IdParams, body: OpenBody, response: { 201: Step } };
const StepSchema = { params: IdParams, response: { 200: Step } };

function actorOf(who: Authenticated, req: FastifyRequest): RecoveryActor {
  return {
    tenantId: who.principal.tenantId, memberId: who.principal.id, sourceIp: req.ip,
    sessionId: who.credential.kind === 'session' ? who.credential.id : null, deviceId: who.device?.id ?? null,
  };
}

/** A refusal the module audited is returned by the handler, so that its record commits; it is thrown here. */
const replyOrRefuse = (_reply: FastifyReply, r: RecoveryStep | WardError) => {
  if (r instanceof WardError) throw r;
  return r;
};
const auditStep = (r: RecoveryStep | WardError): Record<string, string> => (r instanceof WardError ? { refused: r.code } : { recoveryId: r.recoveryId, state: r.state });

export function recoveryRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const sealed = new WeakMap<FastifyRequest, SealedNote>();
  const recovery: RecoveryDeps = {
    audit: deps.audit,
    origin: deps.config.origin,
    sendLink: (input, now) => deps.notifier.sendRecoveryLink(input, now),
  };
  // People only, through their own session: a workload never opens, approves or lifts a recovery.
  const common = { method: 'POST' as const, action: 'member.manage', credentials: ['session'] as const, reply: replyOrRefuse, auditMetadata: auditStep };

  enforcedRoute(app, deps, {
    ...common,
    url: '/v1/members/:id/recovery',
    schema: OpenSchema,
    status: 201,
    target: (req) => ({ type: 'Member', id: req.params.id }),
    load: (tx, req, who) => memberResource(tx, req.params.id, who),
    // The note is encrypted before the access transaction opens (a tenant's first key may need the KMS).
    before: async (req, who) => {
      sealed.set(req, await sealRecoveryNote((tenantId, ref, text) => deps.cipher.encryptField(tenantId as TenantId, ref, text), who.principal.tenantId, req.body.note));
    },
    handle: (tx, { who }, req) => {
      const note = sealed.get(req);
      if (!note) throw new WardError('INTERNAL');
      return openRecoveryInTx(tx, recovery, { actor: actorOf(who, req), memberId: req.params.id, verifiedBy: req.body.verifiedBy, note }, deps.clock.now());
    },
  });

  enforcedRoute(app, deps, {
    ...common,
    url: '/v1/members/:id/recovery/approve',
    schema: StepSchema,
    target: (req) => ({ type: 'Member', id: req.params.id }),
    load: (tx, req, who) => memberResource(tx, req.params.id, who),
    handle: (tx, { who }, req) => approveRecoveryInTx(tx, recovery, { actor: actorOf(who, req), memberId: req.params.id }, deps.clock.now()),
  });

  enforcedRoute(app, deps, {
    ...common,
    url: '/v1/members/:id/recovery/lift',
    schema: StepSchema,
    target: (req) => ({ type: 'Member', id: req.params.id }),
    load: (tx, req, who) => memberResource(tx, req.params.id, who),
    handle: (tx, { who }, req) => liftRecoveryInTx(tx, recovery, { actor: actorOf(who, req), memberId: req.params.id }, deps.clock.now()),
  });
}
