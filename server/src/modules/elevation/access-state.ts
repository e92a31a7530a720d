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

export async function readAccessState(tx: Tx, who: Authenticated, now: Date): Promise<AccessState> {
  const { principal, device, delegation } = who;
  const identities = [principal.id, principal.onBehalfOf, delegation?.person.principal.id, device?.id, delegation?.person.device.id]
    .filter((id): id is string => typeof id === 'string' && UUID.test(id));
  const person = principal.kind === 'human' && UUID.test(principal.id) ? principal.id : null;
  const { rows } = await tx.query<{ locked: string[] | null; elevations: ElevationJson[] | null }>(READ_STATE, [principal.tenantId, identities, person, now]);
  const row = rows[0];
  const locked = row?.locked?.length ? `locked:${[...row.locked].sort()[0]}` : null;
  const elevations = (row?.elevations ?? []).map((e) => ({
    id: e.id, kind: e.kind, roles: e.roles.filter(isRole), phiScopes: e.phiScopes.filter(isPhiScope), actions: e.actions,
    targetType: e.targetType, targetId: e.targetId, expiresAt: new Date(e.expiresAt),
  }));
  return { locked, elevations };
}

const CALL_TYPES: ReadonlySet<string> = new Set(['Call', 'Transcript']);

/** Whether an elevation covers a resource (or, before loading, the named target): the tenant, one patient, one call. */
export function covers(e: ActiveElevation, target: { type: string; id: string } | null | undefined): boolean {
  if (e.targetType === 'tenant') return true;
  if (!target || target.id !== e.targetId) return false;
  return e.targetType === 'patient' ? target.type === 'Patient' : CALL_TYPES.has(target.type);
}

/**
 * R-AUTHZ-7: the PHI scopes the covering elevations add to the transaction, beyond the standing
 * grants, named in `ward.elevated_scopes` for the database to verify (it adds only what a live,
 * approved elevation of this member grants). SUD-Part2 only with a Part 2 purpose, as for grants.
 */
export async function widenScope(tx: Tx, state: AccessState, who: Authenticated, target: { type: string; id: string } | null | undefined, purpose: string | null): Promise<PhiScope[]> {
  const granted = new Set(who.principal.phiScopes);
  const added = [...new Set(state.elevations.filter((e) => covers(e, target)).flatMap((e) => e.phiScopes))]
    .filter((s) => !granted.has(s) && (s !== 'SUD-Part2' || isSudPart2Purpose(purpose)));
  if (added.length) await tx.query("SELECT set_config('ward.elevated_scopes', $1, true)", [added.join(',')]);
  return added;
}

export interface Elevated {
  authenticated: Authenticated;
  context: ElevationContext;
  /** PHI-free facts for the access's audit event: every access under an elevation is marked. */
  audit: Record<string, string | boolean>;
}

/**
 * The principal as the policies see it for one resource and action: widened by the elevations that
 * cover the resource, exactly as far as they grant (their roles, scopes and named actions), with the
 * elevation's record for the context. Just-in-time elevations are preferred to break-glass, whose
 * stricter rules (read-only, step-up, justification) then apply only when break-glass alone covers it.
 */
export function elevate(who: Authenticated, resource: { type: string; id: string }, action: string, state: AccessState): Elevated {
  const covering = state.elevations.filter((e) => covers(e, resource));
  const jit = covering.filter((e) => e.kind === 'jit');
  const chosen = jit.length ? jit : covering;
  if (!chosen.length) return { authenticated: who, context: NO_ELEVATION, audit: {} };
  const kind = chosen[0]!.kind;
  const principal = {
    ...who.principal,
    roles: [...new Set([...who.principal.roles, ...chosen.flatMap((e) => e.roles)])],
    phiScopes: [...new Set([...who.principal.phiScopes, ...chosen.flatMap((e) => e.phiScopes)])],
  };
  const ids = chosen.map((e) => e.id);
  return {
    authenticated: { ...who, principal },
    context: { kind, id: ids[0]!, grantsAction: chosen.some((e) => e.actions.includes(action)) },
    audit: { elevation: ids.join(','), elevationKind: kind, ...(kind === 'breakglass' ? { breakGlass: true } : {}) },
  };
}
