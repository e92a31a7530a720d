import { isPhiScope, isRole, isSudPart2Purpose, type Authenticated, type PhiScope, type Role } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import { NO_ELEVATION, type ElevationContext } from '../policy/index.ts';

/**
 * What the enforcement point reads about a request's principal on every request, live, in the
 * request's own transaction (R-ELEV-1, R-ELEV-2, R-GOV-5): whether a lock stops it, and which
 * approved elevations of the person are active now. Nothing runs on a schedule: an elevation is
 * active from its start to its expiry because each decision compares the clock with them, and the
 * database bounds the widened PHI scopes again with its own clock (0038_elevation.sql).
 * Workloads hold no elevations; an agent acting for a person gets none of the person's.
 */
export interface ActiveElevation {
  id: string;
  kind: 'jit' | 'breakglass';
  roles: Role[];
  phiScopes: PhiScope[];
  actions: string[];
  targetType: 'tenant' | 'patient' | 'call';
  targetId: string | null;
  expiresAt: Date;
}

export interface AccessState {
  /** The reason a lock stops this request (`locked:member`, `locked:workload`, `locked:device`), or null. */
  locked: string | null;
  elevations: ActiveElevation[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// One statement: the live locks on any identity the request carries, and the person's active elevations.
const READ_STATE = `SELECT
  (SELECT array_agg(DISTINCT l.target_kind) FROM locks l
    WHERE l.tenant_id = $1 AND l.unlocked_at IS NULL AND l.target_id = ANY ($2::uuid[])) AS locked,
  (SELECT json_agg(json_build_object('id', e.id, 'kind', e.kind, 'roles', e.roles, 'phiScopes', e.phi_scopes, 'actions', e.actions,
                                     'targetType', e.target_type, 'targetId', e.target_id, 'expiresAt', e.expires_at) ORDER BY e.starts_at DESC)
     FROM elevations e
    WHERE e.tenant_id = $1 AND e.member_id = $3 AND e.state = 'approved' AND e.starts_at <= $4 AND e.expires_at > $4) AS elevations`;
// The same, and from it on the transaction only reads (R-AUDIT-2: a grouped read; SET LOCAL transaction_read_only
// as a function, which the database accepts at any point of a transaction: only turning it off is refused).
const READ_STATE_THEN_READ_ONLY = `${READ_STATE}, set_config('transaction_read_only', 'on', true) AS read_only`;

interface ElevationJson {
  id: string;
  kind: 'jit' | 'breakglass';
  roles: string[];
  phiScopes: string[];
  actions: string[];
  targetType: ActiveElevation['targetType'];
  targetId: string | null;
  expiresAt: string;
}

/**
 * `thenReadOnly` (R-AUDIT-2, R-OPS-1): the statement also makes the rest of the transaction read-only,
 * for the guard's grouped reads, whose writes are all issued before it: one statement less per read.
 */
export async function readAccessState(tx: Tx, who: Authenticated, now: Date, opts: { thenReadOnly?: boolean } = {}): Promise<AccessState> {
  const { principal, device, delegation } = who;
  const identities = [principal.id, principal.onBehalfOf, delegation?.person.principal.id, device?.id, delegation?.person.device.id]
    .filter((id): id is string => typeof id === 'string' && UUID.test(id));
  const person = principal.kind === 'human' && UUID.test(principal.id) ? principal.id : null;
  const { rows } = await tx.query<{ locked: string[] | null; elevations: ElevationJson[] | null }>(opts.thenReadOnly ? READ_STATE_THEN_READ_ONLY : READ_STATE, [principal.tenantId, identities, person, now]);
  const row = rows[0];
  const locked = row?.locked?.length ? `locked:${[...row.locked].sort()[0]}` : null;
  const elevations = (row?.elevations ?? []).map((e) => ({
    id: e.id, kind: e.kind, roles: e.roles.filter(isRole), phiScopes: e.phiScopes.filter(isPhiScope), actions: e.actions,
    targetType: e.targetType, targetId: e.targetId, expiresAt: new Date(e.expiresAt),
  }));
  return { locked, elevations };
}

const CALL_TYPES: ReadonlySet<string> = new Set(['Call', 'Transcript']);

/**
 * What an elevation is matched against: the named target before loading, the resource after. A
 * recording is known by its own id; `callId` is its call, once the database has said the person's
 * elevation of that call covers it (elevationTarget).
 */
export interface ElevationTarget {
  type: string;
  id: string;
  callId?: string;
}

/**
 * Whether an elevation covers a resource (or, before loading, the named target): the tenant, one
 * patient, or one call with its transcript and its recordings.
 */
export function covers(e: ActiveElevation, target: ElevationTarget | null | undefined): boolean {
  if (e.targetType === 'tenant') return true;
  if (!target) return false;
  if (target.type === 'Recording') return e.targetType === 'call' && target.callId !== undefined && target.callId === e.targetId;
  if (target.id !== e.targetId) return false;
  return e.targetType === 'patient' ? target.type === 'Patient' : CALL_TYPES.has(target.type);
}

/**
 * The named target as elevations see it. A recording reached by its own id (/v1/recordings/:id) is
 * covered by an elevation of its call, like the call itself: when the person holds a live elevation
 * of some call, the database names the recording's call, and only if that elevation covers it
 * (ward_elevated_recording_call, 0041; row-level security would hide the recording before the scope
 * is widened). Anything else is returned as it is.
 */
export async function elevationTarget(tx: Tx, state: AccessState, target: ElevationTarget | null | undefined): Promise<ElevationTarget | undefined> {
  if (!target) return undefined;
  if (target.type !== 'Recording' || !UUID.test(target.id) || !state.elevations.some((e) => e.targetType === 'call')) return target;
  const { rows } = await tx.query<{ call_id: string | null }>('SELECT ward_elevated_recording_call($1) AS call_id', [target.id]);
  const callId = rows[0]?.call_id ?? null;
  return callId ? { type: target.type, id: target.id, callId } : target;
}

/** The loaded resource with what the named target learnt of it (a recording's call). */
export function asElevationTarget(resource: ElevationTarget, named: ElevationTarget | undefined): ElevationTarget {
  return named?.callId !== undefined && named.type === resource.type && named.id === resource.id ? { type: resource.type, id: resource.id, callId: named.callId } : resource;
}

/**
 * R-AUTHZ-7: the PHI scopes the covering elevations add to the transaction, beyond the standing
 * grants, named in `ward.elevated_scopes` for the database to verify (it adds only what a live,
 * approved elevation of this member grants). SUD-Part2 only with a Part 2 purpose, as for grants.
 */
export async function widenScope(tx: Tx, state: AccessState, who: Authenticated, target: ElevationTarget | null | undefined, purpose: string | null): Promise<PhiScope[]> {
  const granted = new Set(who.principal.phiScopes);
  const added = [...new Set(state.elevations.filter((e) => covers(e, target)).flatMap((e) => e.phiScopes))]
    .filter((s) => !granted.has(s) && (s !== 'SUD-Part2' || isSudPart2Purpose(purpose)));
  if (added.length) await tx.query("SELECT set_config('ward.elevated_scopes', $1, true)", [added.join(',')]);
  return added;
}

export interface Elevated {
  authenticated: Authenticated;
  context: ElevationContext;
  /** The elevations the decision is made under (none: the standing grants alone). */
  ids: string[];
  /** PHI-free facts for the access's audit event: every access under an elevation is marked. */
  audit: Record<string, string | boolean>;
}

/**
 * The principal as the policies see it for one resource and action: widened by the elevations that
 * cover the resource, exactly as far as they grant (their roles, scopes and named actions), with the
 * elevation's record for the context. Just-in-time elevations are preferred to break-glass, whose
 * stricter rules (read-only, step-up, justification) then apply only when break-glass alone covers it.
 */
export function elevate(who: Authenticated, resource: ElevationTarget, action: string, state: AccessState): Elevated {
  const covering = state.elevations.filter((e) => covers(e, resource));
  const jit = covering.filter((e) => e.kind === 'jit');
  const chosen = jit.length ? jit : covering;
  if (!chosen.length) return { authenticated: who, context: NO_ELEVATION, ids: [], audit: {} };
  const kind = chosen[0]!.kind;
  const principal = {
    ...who.principal,
    roles: [...new Set([...who.principal.roles, ...chosen.flatMap((e) => e.roles)])],
    phiScopes: [...new Set([...who.principal.phiScopes, ...chosen.flatMap((e) => e.phiScopes)])],
  };
  const ids = chosen.map((e) => e.id);
  return {
    authenticated: { ...who, principal },
    ids,
    context: { kind, id: ids[0]!, grantsAction: chosen.some((e) => e.actions.includes(action)) },
    audit: { elevation: ids.join(','), elevationKind: kind, ...(kind === 'breakglass' ? { breakGlass: true } : {}) },
  };
}
