import { randomUUID } from 'node:crypto';
import { isPhiScope, isPurpose, isRole, WardError, type PhiScope, type Role } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';

/**
 * Just-in-time elevation (R-ELEV-1, R-AUTHZ-5). A person asks for what (roles, PHI scopes or named
 * actions), on what (the tenant, one patient, one call), why (a purpose code and a reason, encrypted
 * under the tenant's key before the transaction), for how long (at most the tenant's
 * `elevationMaxSeconds`, default 4 h). Others decide; the SECURITY DEFINER functions of
 * 0038_elevation.sql check every rule again with the acting person taken from the verified scope.
 * Each step runs inside an enforced route's transaction, whose audit event records it.
 */
export const ELEVATION_DEFAULT_MAX_SECONDS = 4 * 3600;
export const ELEVATION_MIN_SECONDS = 60;
export const REASON_MAX_CHARS = 2000;
/** Elevation, break-glass and lock actions are never granted by an elevation. */
const NOT_GRANTABLE = /^(elevation|breakglass|lock)\./;

export type ElevationTargetType = 'tenant' | 'patient' | 'call';

export interface ElevationAsk {
  /** The member whose powers it widens (default: the requester). */
  memberId: string;
  roles: readonly string[];
  phiScopes: readonly string[];
  actions: readonly string[];
  target: { type: ElevationTargetType; id?: string | null };
  purpose: string;
  durationSeconds: number;
}

/** A reason encrypted for the new elevation's row (its id is the additional data's row). */
export interface SealedReason {
  elevationId: string;
  reasonEnc: Buffer;
}

export type Encrypt = (tenantId: string, ref: { table: string; rowId: string; column: string }, text: string) => Promise<Buffer>;

/** Before the transaction: the new row's id and its reason, encrypted (R-DATA-1: the reason may hold PHI). */
export async function sealReason(encrypt: Encrypt, tenantId: string, reason: string): Promise<SealedReason> {
  const text = reason.trim();
  if (text.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length < 3 || text.length > REASON_MAX_CHARS) {
    throw new WardError('BAD_REQUEST', `A reason is at least three words and at most ${REASON_MAX_CHARS} characters.`);
  }
  const elevationId = randomUUID();
  return { elevationId, reasonEnc: await encrypt(tenantId, { table: 'elevations', rowId: elevationId, column: 'reason_enc' }, text) };
}

async function tenantSetting(tx: Tx, key: string, fallback: number): Promise<number> {
  const { rows } = await tx.query<{ value: string | null }>('SELECT settings->>$1 AS value FROM tenants', [key]);
  const n = Number(rows[0]?.value ?? fallback);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/** The checks the database makes again, first here with errors that say which rule. */
function checkAsk(ask: ElevationAsk, knownActions: ReadonlySet<string>, maxSeconds: number): { roles: Role[]; phiScopes: PhiScope[]; actions: string[] } {
  const roles = [...new Set(ask.roles)];
  const phiScopes = [...new Set(ask.phiScopes)];
  const actions = [...new Set(ask.actions)];
  if (!roles.every(isRole)) throw new WardError('BAD_REQUEST', 'roles names an unknown role.');
  if (!phiScopes.every(isPhiScope)) throw new WardError('BAD_REQUEST', 'phiScopes names an unknown PHI scope.');
  if (!actions.every((a) => knownActions.has(a) && !NOT_GRANTABLE.test(a))) throw new WardError('BAD_REQUEST', 'actions names an action that does not exist or cannot be granted.');
  if (roles.length + phiScopes.length + actions.length === 0) throw new WardError('BAD_REQUEST', 'An elevation names at least one role, PHI scope or action.');
  if ((ask.target.type === 'tenant') !== !ask.target.id) throw new WardError('BAD_REQUEST', 'A patient or call target names its id; the tenant target none.');
  if (!isPurpose(ask.purpose)) throw new WardError('BAD_REQUEST', 'purpose is a purpose-of-use code such as TREAT.');
  if (!Number.isSafeInteger(ask.durationSeconds) || ask.durationSeconds < ELEVATION_MIN_SECONDS) throw new WardError('BAD_REQUEST', `An elevation lasts at least ${ELEVATION_MIN_SECONDS} seconds.`);
  if (ask.durationSeconds > maxSeconds) throw new WardError('ELEVATION_TOO_LONG', undefined, { reasons: ['elevation_too_long'] });
  return { roles: roles as Role[], phiScopes: phiScopes as PhiScope[], actions };
}

export interface RequestedElevation {
  elevationId: string;
  state: 'pending';
  approvalsRequired: number;
}

export async function requestElevationInTx(tx: Tx, ask: ElevationAsk, sealed: SealedReason, knownActions: ReadonlySet<string>, now: Date): Promise<RequestedElevation> {
  const max = Math.min(await tenantSetting(tx, 'elevationMaxSeconds', ELEVATION_DEFAULT_MAX_SECONDS), 86400);
  const { roles, phiScopes, actions } = checkAsk(ask, knownActions, max);
  try {
    const { rows } = await tx.query<{ needed: number }>(
      'SELECT ward_elevation_request($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS needed',
      [sealed.elevationId, ask.memberId, roles, phiScopes, actions, ask.target.type, ask.target.id ?? null, ask.purpose, sealed.reasonEnc, ask.durationSeconds, now]);
    return { elevationId: sealed.elevationId, state: 'pending', approvalsRequired: Number(rows[0]!.needed) };
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', not_found: 'NOT_FOUND' });
  }
}

export interface ElevationDecision {
  elevationId: string;
  state: 'pending' | 'approved' | 'denied';
}

/** One approval or denial (the route decided `elevation.decide` on the member it widens). */
export async function decideElevationInTx(tx: Tx, input: { elevationId: string; deciderId: string; approve: boolean }, now: Date): Promise<ElevationDecision> {
  const { rows } = await tx.query<{ requested_by: string; member_id: string; state: string }>(
    "SELECT requested_by, member_id, state FROM elevations WHERE id = $1 AND kind = 'jit'", [input.elevationId]);
  const e = rows[0];
  if (!e) throw new WardError('NOT_FOUND');
  // R-AUTHZ-5: stated here with its own reason; the database refuses it again (WD002).
  if (e.requested_by === input.deciderId) throw new WardError('ELEVATION_SELF_APPROVAL', undefined, { reasons: ['self_approval'] });
  if (e.member_id === input.deciderId) throw new WardError('ELEVATION_SELF_APPROVAL', undefined, { reasons: ['own_widening'] });
  if (e.state !== 'pending') throw new WardError('ELEVATION_NOT_PENDING');
  try {
    const { rows: [r] } = await tx.query<{ state: ElevationDecision['state'] }>('SELECT ward_elevation_decide($1, $2, $3) AS state', [input.elevationId, input.approve, now]);
    return { elevationId: input.elevationId, state: r!.state };
  } catch (e2) {
    return rethrowRefusal(e2, { not_permitted: 'FORBIDDEN', self_approval: 'ELEVATION_SELF_APPROVAL', not_found: 'NOT_FOUND', already_decided: 'ELEVATION_NOT_PENDING' });
  }
}

export async function revokeElevationInTx(tx: Tx, elevationId: string, now: Date): Promise<{ elevationId: string; state: 'revoked' }> {
  try {
    await tx.query('SELECT ward_elevation_revoke($1, $2)', [elevationId, now]);
    return { elevationId, state: 'revoked' };
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', not_found: 'NOT_FOUND', already_decided: 'ELEVATION_NOT_PENDING' });
  }
}

/** The member an elevation widens, for the routes' decisions (RLS hides other tenants' rows: 404). */
export async function elevationMember(tx: Tx, elevationId: string): Promise<string | null> {
  const { rows } = await tx.query<{ member_id: string }>('SELECT member_id FROM elevations WHERE id = $1', [elevationId]);
  return rows[0]?.member_id ?? null;
}

export interface ElevationView {
  id: string;
  kind: 'jit' | 'breakglass';
  memberId: string;
  requestedBy: string;
  roles: string[];
  phiScopes: string[];
  actions: string[];
  targetType: ElevationTargetType;
  targetId: string | null;
  purpose: string;
  durationSeconds: number;
  approvalsRequired: number;
  approvals: number;
  /** `active` and `expired` are read from the clock: an approved elevation past its expiry is expired, with no job. */
  state: 'pending' | 'active' | 'expired' | 'denied' | 'revoked';
  requestedAt: string;
  startsAt: string | null;
  expiresAt: string | null;
  review: { dueAt: string; reviewedAt: string | null; outcome: string | null; overdue: boolean } | null;
}

interface Row {
  id: string; kind: 'jit' | 'breakglass'; member_id: string; requested_by: string; roles: string[]; phi_scopes: string[]; actions: string[];
  target_type: ElevationTargetType; target_id: string | null; purpose: string; duration_seconds: number; approvals_required: number;
  approvals: number; state: string; requested_at: Date; starts_at: Date | null; expires_at: Date | null;
  due_at: Date | null; reviewed_at: Date | null; outcome: string | null;
}

export const LIST_ELEVATIONS = `SELECT e.id, e.kind, e.member_id, e.requested_by, e.roles, e.phi_scopes, e.actions, e.target_type, e.target_id, e.purpose,
         e.duration_seconds, e.approvals_required, e.state, e.requested_at, e.starts_at, e.expires_at,
         (SELECT count(*)::int FROM elevation_approvals a WHERE a.elevation_id = e.id AND a.decision = 'approve') AS approvals,
         r.due_at, r.reviewed_at, r.outcome
    FROM elevations e LEFT JOIN breakglass_reviews r ON r.elevation_id = e.id
   WHERE e.tenant_id = $1 AND ($2::uuid IS NULL OR e.member_id = $2 OR e.requested_by = $2)
   ORDER BY e.requested_at DESC, e.id LIMIT 500`;

export function elevationView(r: Row, now: Date): ElevationView {
  const state = r.state === 'approved' ? (r.expires_at && r.expires_at > now ? 'active' : 'expired') : (r.state as ElevationView['state']);
  return {
    id: r.id, kind: r.kind, memberId: r.member_id, requestedBy: r.requested_by, roles: r.roles, phiScopes: r.phi_scopes, actions: r.actions,
    targetType: r.target_type, targetId: r.target_id, purpose: r.purpose, durationSeconds: r.duration_seconds,
    approvalsRequired: r.approvals_required, approvals: r.approvals, state,
    requestedAt: r.requested_at.toISOString(), startsAt: r.starts_at?.toISOString() ?? null, expiresAt: r.expires_at?.toISOString() ?? null,
    review: r.due_at ? { dueAt: r.due_at.toISOString(), reviewedAt: r.reviewed_at?.toISOString() ?? null, outcome: r.outcome, overdue: !r.reviewed_at && r.due_at <= now } : null,
  };
}

/**
 * The tenant's elevations (newest first), for a person who decides or reviews them (Owner, Admin,
 * Manager, Auditor), else only those the person asked for or that widen them. `onlyMemberId` null: all.
 */
export async function listElevations(tx: Tx, tenantId: string, onlyMemberId: string | null, now: Date): Promise<ElevationView[]> {
  const { rows } = await tx.query<Row>(LIST_ELEVATIONS, [tenantId, onlyMemberId]);
  return rows.map((r) => elevationView(r, now));
}
