import { Type } from '@sinclair/typebox';
import { literalUnion, PhiScopeSchema, PurposeSchema, RoleSchema, WardError, type Authenticated, type Role, type TenantId } from '@ward/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { Tx } from '../../db/types.ts';
import type { ResourceRef } from '../../modules/access/index.ts';
import {
  BREAKGLASS_MAX_SECONDS, decideElevationInTx, elevationMember, listElevations, listLocks, LOCK_TARGETS, lockInTx, openBreakGlassInTx, requestElevationInTx,
  resolveLockTarget, REVIEW_OUTCOMES, reviewBreakGlassInTx, reviewMember, revokeElevationInTx, sealReason, setBreakGlassMemberInTx, unlockInTx,
  type SealedReason,
} from '../../modules/elevation/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { IdParams, tenantOf, Uuid } from './common.ts';

/**
 * Elevation, break-glass and locks over the API (R-ELEV-1, R-ELEV-2, R-AUTHZ-5, R-GOV-5;
 * docs/elevation.md). Every route goes through the one enforcement point, people only (a workload's
 * token is refused here and by Cedar's elevation-people-only), and every change goes through the
 * database's SECURITY DEFINER functions, which check the rules again with the acting person taken
 * from the verified scope. Reasons are encrypted before the transaction opens and never returned.
 */
const Reason = Type.String({ minLength: 1, maxLength: 2000 });
const ElevationTarget = Type.Object({ type: literalUnion(['tenant', 'patient', 'call'] as const), id: Type.Optional(Uuid) }, { additionalProperties: false });

const RequestBody = Type.Object({
  memberId: Type.Optional(Uuid),
  roles: Type.Optional(Type.Array(RoleSchema, { maxItems: 6 })),
  phiScopes: Type.Optional(Type.Array(PhiScopeSchema, { maxItems: 4 })),
  actions: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32 })),
  target: ElevationTarget,
  purpose: PurposeSchema,
  reason: Reason,
  durationSeconds: Type.Integer({ minimum: 60, maximum: 86400 }),
}, { additionalProperties: false });
const Requested = Type.Object({ elevationId: Uuid, state: Type.String(), approvalsRequired: Type.Integer() }, { additionalProperties: false });
const Decided = Type.Object({ elevationId: Uuid, state: Type.String() }, { additionalProperties: false });

const ElevationItem = Type.Object({
  id: Uuid, kind: Type.String(), memberId: Uuid, requestedBy: Uuid, roles: Type.Array(Type.String()), phiScopes: Type.Array(Type.String()),
  actions: Type.Array(Type.String()), targetType: Type.String(), targetId: Type.Union([Uuid, Type.Null()]), purpose: Type.String(),
  durationSeconds: Type.Integer(), approvalsRequired: Type.Integer(), approvals: Type.Integer(), state: Type.String(),
  requestedAt: Type.String(), startsAt: Type.Union([Type.String(), Type.Null()]), expiresAt: Type.Union([Type.String(), Type.Null()]),
  review: Type.Union([Type.Null(), Type.Object({ dueAt: Type.String(), reviewedAt: Type.Union([Type.String(), Type.Null()]), outcome: Type.Union([Type.String(), Type.Null()]), overdue: Type.Boolean() }, { additionalProperties: false })]),
}, { additionalProperties: false });

const BreakGlassBody = Type.Object({
  target: Type.Object({ type: literalUnion(['patient', 'call'] as const), id: Uuid }, { additionalProperties: false }),
  reason: Reason,
  durationSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: BREAKGLASS_MAX_SECONDS })),
}, { additionalProperties: false });
const BreakGlassOpened = Type.Object({ elevationId: Uuid, phiScope: Type.String(), expiresAt: Type.String(), reviewDueAt: Type.String() }, { additionalProperties: false });
const ReviewBody = Type.Object({ outcome: literalUnion(REVIEW_OUTCOMES) }, { additionalProperties: false });
const Reviewed = Type.Object({ elevationId: Uuid, outcome: Type.String(), reviewedAt: Type.String() }, { additionalProperties: false });
const Listed = Type.Object({ memberId: Uuid, allowed: Type.Boolean() }, { additionalProperties: false });

const LockBody = Type.Object({
  member: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })),
  workload: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  device: Type.Optional(Uuid),
  detection: Type.Optional(Uuid),
}, { additionalProperties: false });
const LockItem = Type.Object({
  id: Uuid, targetKind: literalUnion(LOCK_TARGETS), targetId: Uuid, detectionId: Type.Union([Type.String(), Type.Null()]), lockedBy: Type.String(),
  lockedAt: Type.String(), unlockedBy: Type.Union([Uuid, Type.Null()]), unlockedAt: Type.Union([Type.String(), Type.Null()]),
  containmentId: Type.Union([Uuid, Type.Null()]),
}, { additionalProperties: false });

const memberRef = (who: Authenticated, id: string | null): ResourceRef | null => (id ? { type: 'Member', id, tenant: who.principal.tenantId } : null);

/** The member, if they are in the caller's tenant (row-level security hides the others: 404). */
async function loadMember(tx: Tx, memberId: string, who: Authenticated): Promise<ResourceRef | null> {
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM members WHERE id = $1', [memberId]);
  return memberRef(who, rows[0]?.id ?? null);
}

/** Who decides or reviews elevations sees the tenant's; anyone else their own. */
const SEES_ALL: readonly Role[] = ['Owner', 'Admin', 'Manager', 'Auditor'];

/** A refusal the module returned (so that its escalation commits) is thrown here, after the commit. */
const replyOrRefuse = <T>(_reply: FastifyReply, r: T | WardError) => {
  if (r instanceof WardError) throw r;
  return r;
};

export function elevationRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const sealed = new WeakMap<FastifyRequest, SealedReason>();
  const seal = async (req: FastifyRequest, who: Authenticated, reason: string) => {
    sealed.set(req, await sealReason((tenantId, ref, text) => deps.cipher.encryptField(tenantId as TenantId, ref, text), who.principal.tenantId, reason));
  };
  const sealedOf = (req: FastifyRequest) => {
    const s = sealed.get(req);
    if (!s) throw new WardError('INTERNAL');
    return s;
  };
  const knownActions = new Set(deps.pdp.actions.keys());
  // People only, through their own session: workloads never request, decide, open or lock.
  const people = { credentials: ['session'] as const };

  enforcedRoute(app, deps, {
    ...people,
    method: 'POST',
    url: '/v1/elevations',
    action: 'elevation.request',
    status: 201,
    schema: { summary: 'Ask for a just-in-time elevation: roles, PHI scopes or named actions, on the tenant, a patient or a call, for a time (docs/elevation.md)', body: RequestBody, response: { 201: Requested } },
    before: (req, who) => seal(req, who, req.body.reason),
    load: (tx, req, who) => loadMember(tx, req.body.memberId ?? who.principal.id, who),
    handle: (tx, { who }, req) => requestElevationInTx(tx, {
      memberId: req.body.memberId ?? who.principal.id, roles: req.body.roles ?? [], phiScopes: req.body.phiScopes ?? [], actions: req.body.actions ?? [],
      target: req.body.target, purpose: req.body.purpose, durationSeconds: req.body.durationSeconds,
    }, sealedOf(req), knownActions, deps.clock.now()),
    auditMetadata: (r) => ({ elevationId: r.elevationId, state: r.state, approvalsRequired: r.approvalsRequired, reasonEncrypted: true }),
  });

  for (const verb of ['approve', 'deny'] as const) {
    enforcedRoute(app, deps, {
      ...people,
      method: 'POST',
      url: `/v1/elevations/:id/${verb}`,
      action: 'elevation.decide',
      schema: { summary: verb === 'approve' ? 'Approve an elevation (never your own request or widening)' : 'Deny an elevation', params: IdParams, response: { 200: Decided } },
      target: (req) => ({ type: 'Elevation', id: req.params.id }),
      // The resource is the member the elevation widens: Cedar refuses their own decision.
      load: async (tx, req, who) => memberRef(who, await elevationMember(tx, req.params.id)),
      handle: (tx, { who }, req) => decideElevationInTx(tx, { elevationId: req.params.id, deciderId: who.principal.id, approve: verb === 'approve' }, deps.clock.now()),
      auditMetadata: (r) => ({ elevationId: r.elevationId, decision: verb, state: r.state }),
    });
  }

  enforcedRoute(app, deps, {
    ...people,
    method: 'POST',
    url: '/v1/elevations/:id/revoke',
    action: 'elevation.revoke',
    schema: { summary: 'Revoke an elevation early', params: IdParams, response: { 200: Decided } },
    target: (req) => ({ type: 'Elevation', id: req.params.id }),
    load: async (tx, req, who) => memberRef(who, await elevationMember(tx, req.params.id)),
    handle: (tx, _ctx, req) => revokeElevationInTx(tx, req.params.id, deps.clock.now()),
    auditMetadata: (r) => ({ elevationId: r.elevationId, state: r.state }),
  });

  enforcedRoute(app, deps, {
    ...people,
    method: 'GET',
    url: '/v1/elevations',
    action: 'elevation.list',
    schema: { summary: 'Elevations and break-glass accesses with their state (active and expired read from the clock) and reviews', response: { 200: Type.Object({ elevations: Type.Array(ElevationItem) }, { additionalProperties: false }) } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, { who }) => {
      const all = who.principal.roles.some((r) => (SEES_ALL as readonly string[]).includes(r));
      return { elevations: await listElevations(tx, who.principal.tenantId, all ? null : who.principal.id, deps.clock.now()) };
    },
    auditMetadata: (r) => ({ count: r.elevations.length }),
  });

  enforcedRoute(app, deps, {
    ...people,
    method: 'POST',
    url: '/v1/break-glass',
    action: 'breakglass.open',
    status: 201,
    schema: { summary: 'Break the glass: immediate read-only access to one patient or call, alerted and reviewed (R-ELEV-2)', body: BreakGlassBody, response: { 201: BreakGlassOpened } },
    target: (req) => ({ type: req.body.target.type === 'patient' ? 'Patient' : 'Call', id: req.body.target.id }),
    before: (req, who) => seal(req, who, req.body.reason),
    // The member may hold no grant of the record's scope, so it is not read here: the database finds
    // it in the verified tenant (0032) and refuses an id it does not hold (404).
    load: async (_tx, req, who) => ({ type: req.body.target.type === 'patient' ? 'Patient' : 'Call', id: req.body.target.id, tenant: who.principal.tenantId }),
    handle: (tx, { who }, req) => openBreakGlassInTx(tx, {
      tenantId: who.principal.tenantId, memberId: who.principal.id, target: req.body.target, purpose: req.headers['ward-purpose']?.toString() ?? null,
      durationSeconds: req.body.durationSeconds ?? BREAKGLASS_MAX_SECONDS, sealed: sealedOf(req),
    }, deps.clock.now()),
    reply: (reply, r) => {
      // R-GOV-5: a break-glass use, counted once its transaction (the access and its record) has committed.
      if (!(r instanceof WardError)) deps.metrics.breakGlassUse();
      return replyOrRefuse(reply, r);
    },
    auditMetadata: (r): Record<string, string | boolean> => (r instanceof WardError ? { refused: r.code } : { elevationId: r.elevationId, breakGlass: true, expiresAt: r.expiresAt, reviewDueAt: r.reviewDueAt, reasonEncrypted: true }),
  });

  enforcedRoute(app, deps, {
    ...people,
    method: 'POST',
    url: '/v1/break-glass/:id/review',
    action: 'breakglass.review',
    schema: { summary: 'Complete the post-hoc review of a break-glass access (a second person)', params: IdParams, body: ReviewBody, response: { 200: Reviewed } },
    target: (req) => ({ type: 'Elevation', id: req.params.id }),
    load: async (tx, req, who) => memberRef(who, await reviewMember(tx, req.params.id)),
    handle: (tx, { who }, req) => reviewBreakGlassInTx(tx, { elevationId: req.params.id, reviewerId: who.principal.id, outcome: req.body.outcome }, deps.clock.now()),
    auditMetadata: (r) => ({ elevationId: r.elevationId, outcome: r.outcome }),
  });

  for (const [method, allowed] of [['PUT', true], ['DELETE', false]] as const) {
    enforcedRoute(app, deps, {
      ...people,
      method,
      url: '/v1/break-glass/members/:id',
      action: 'breakglass.manage',
      schema: { summary: allowed ? 'Put a member on the break-glass list (an Owner)' : 'Take a member off the break-glass list (an Owner)', params: IdParams, response: { 200: Listed } },
      target: (req) => ({ type: 'Member', id: req.params.id }),
      load: (tx, req, who) => loadMember(tx, req.params.id, who),
      handle: (tx, _ctx, req) => setBreakGlassMemberInTx(tx, req.params.id, allowed, deps.clock.now()),
      auditMetadata: (r) => ({ allowed: r.allowed }),
    });
  }

  enforcedRoute(app, deps, {
    ...people,
    method: 'POST',
    url: '/v1/locks',
    action: 'lock.manage',
    status: 201,
    schema: { summary: 'Lock a member, workload or device: every request stops until a second person unlocks it', body: LockBody, response: { 201: LockItem } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, _ctx, req) => {
      const target = await resolveLockTarget(tx, { member: req.body.member, workload: req.body.workload, device: req.body.device });
      if (!target) throw new WardError('NOT_FOUND');
      return lockInTx(tx, target, req.body.detection ?? null, deps.clock.now());
    },
    auditMetadata: (r) => ({ op: 'lock', lockId: r.id, targetKind: r.targetKind, targetId: r.targetId, detectionId: r.detectionId, containmentId: r.containmentId }),
  });

  enforcedRoute(app, deps, {
    ...people,
    method: 'POST',
    url: '/v1/locks/:id/unlock',
    action: 'lock.manage',
    schema: { summary: 'Unlock (a second Owner or Admin)', params: IdParams, response: { 200: LockItem } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: (tx, _ctx, req) => unlockInTx(tx, req.params.id, deps.clock.now()),
    auditMetadata: (r) => ({ op: 'unlock', lockId: r.id, targetKind: r.targetKind, targetId: r.targetId }),
  });

  enforcedRoute(app, deps, {
    ...people,
    method: 'GET',
    url: '/v1/locks',
    action: 'lock.manage',
    schema: { summary: 'Locks, live and lifted, with the detection each names', response: { 200: Type.Object({ locks: Type.Array(LockItem) }, { additionalProperties: false }) } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => ({ locks: await listLocks(tx) }),
    auditMetadata: (r) => ({ count: r.locks.length }),
  });
}
