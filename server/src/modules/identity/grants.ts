import { isPhiScope, WardError, type PhiScope, type Role } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Db, SystemTx, Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { memberScope, revokeMemberSessions } from '../sessions/index.ts';

/**
 * Who holds which role, and the second person of the two-person rule (R-AUTHZ-5, R-AUTHN-5): the
 * one store of grants and approvals, for the CLI and the API alike. A grant revokes the member's live
 * sessions at once; an approval completes a privileged invitation. The writes are SECURITY DEFINER
 * functions (0017_definer_grants.sql) that check the approvals and the separation of duties in the
 * database and take the acting member from the transaction's verified scope, never from an
 * argument: ward_app cannot write role or PHI-scope grants, or approvals, itself.
 */
/**
 * Roles whose invitation waits for a second Owner or Admin before the link works: Owner and Admin
 * (they administer), and Auditor (it reads the whole audit trail, R-AUTHZ-2) since 0070. A role added
 * to an existing member always takes a second person (role-grants.ts).
 */
export const PRIVILEGED_ROLES: readonly Role[] = ['Owner', 'Admin', 'Auditor'];

export interface Actor {
  kind: 'human' | 'system';
  id: string;
}

/**
 * Grants a role; every live session of the member ends (R-AUTHN-5: role changes revoke sessions).
 * The database refuses unless the scope's actor is the operator, or an active Owner or Admin other
 * than the member granting the role of the member's own open invitation (0070: an existing member's
 * roles change through a proposal and a second approval), and an Owner, Admin or Auditor invitation
 * was approved by a second person.
 */
export async function grantRole(
  tx: Tx,
  deps: { audit: AuditLog },
  g: { tenantId: string; memberId: string; role: Role; grantedBy: string | null; actor: Actor; metadata?: Record<string, string | boolean | null> },
  now: Date,
): Promise<void> {
  let granted: boolean;
  try {
    const { rows } = await tx.query<{ granted: boolean }>('SELECT ward_grant_role($1, $2, $3, $4) AS granted', [g.memberId, g.role, g.grantedBy, now]);
    granted = rows[0]!.granted;
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', self_approval: 'FORBIDDEN', not_found: 'NOT_FOUND' });
  }
  if (granted) await recordGrant(tx, deps, g, now);
}

/** A new tenant's first Owner, granted by the operator with owner rights (`ward tenant create`): no one else exists to approve. */
export async function grantFirstOwner(tx: SystemTx, deps: { audit: AuditLog }, g: { tenantId: string; memberId: string; actor: Actor }, now: Date): Promise<void> {
  await tx.query("INSERT INTO member_roles (tenant_id, member_id, role, granted_by, granted_at) VALUES ($1, $2, 'Owner', NULL, $3)", [g.tenantId, g.memberId, now]);
  await recordGrant(tx, deps, { ...g, role: 'Owner', grantedBy: null, metadata: { firstOwner: true } }, now);
}

async function recordGrant(
  tx: Tx,
  deps: { audit: AuditLog },
  g: { tenantId: string; memberId: string; role: Role; grantedBy: string | null; actor: Actor; metadata?: Record<string, string | boolean | null> },
  now: Date,
): Promise<void> {
  const revokedSessions = await revokeMemberSessions(tx, g.memberId, now);
  await deps.audit.append(tx, {
    tenantId: g.tenantId, actorKind: g.actor.kind, actorId: g.actor.id, action: 'member.role.grant', targetType: 'member', targetId: g.memberId,
    outcome: 'success', metadata: { role: g.role, grantedBy: g.grantedBy, revokedSessions, ...g.metadata },
  });
}

/**
 * R-AUTHZ-5: the scope's actor (an active Owner or Admin, never for themselves, or the operator)
 * grants a member a PHI scope; false when the member held it already.
 */
export async function grantPhiScope(tx: Tx, memberId: string, phiScope: PhiScope, now: Date): Promise<boolean> {
  if (!isPhiScope(phiScope)) throw new WardError('BAD_REQUEST', 'The PHI scope is not one of Healthcare-PHI, BehavioralHealth-PHI, SUD-Part2, Dental.');
  try {
    const { rows } = await tx.query<{ granted: boolean }>('SELECT ward_grant_phi_scope($1, $2, $3) AS granted', [memberId, phiScope, now]);
    return rows[0]!.granted;
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', self_approval: 'FORBIDDEN', not_found: 'NOT_FOUND' });
  }
}

/**
 * The second person approves a pending Owner or Admin invitation, which grants its role. `approver`
 * is the approving member: through the API, the signed-in member themself (`actor` human, step-up
 * decided by the route); through the operator CLI, a member the operator names, recorded only as a
 * claim while the approval is the operator's (`actor` system). Either way the named approver must be
 * an active, enrolled Owner or Admin who is neither the inviter nor the invitee. A refusal is
 * returned (audited in `tx`), not thrown, so that a caller owning the transaction can commit it.
 */
export async function approveInvitationInTx(
  tx: Tx,
  deps: { audit: AuditLog },
  input: { tenantId: string; memberId: string; approverMemberId: string; actor: Actor },
  now: Date,
): Promise<{ memberId: string; role: Role } | WardError> {
  const isOperator = input.actor.kind === 'system';
  const who: Record<string, string> = isOperator ? { approverClaim: input.approverMemberId } : { approver: input.approverMemberId };
  const { rows: approver } = await tx.query<{ ok: boolean }>(
    `SELECT m.status = 'active'
            AND EXISTS (SELECT 1 FROM member_roles r WHERE r.member_id = m.id AND r.role IN ('Owner', 'Admin'))
            AND EXISTS (SELECT 1 FROM passkey_credentials c WHERE c.member_id = m.id AND c.revoked_at IS NULL) AS ok
       FROM members m WHERE m.id = $1`, [input.approverMemberId]);
  const { rows: pending } = await tx.query<{ id: string; member_id: string; created_by: string | null; role: Role }>(
    `SELECT id, member_id, created_by, role FROM enrollment_tokens
      WHERE member_id = $1 AND requires_approval AND approved_at IS NULL AND consumed_at IS NULL AND expires_at > $2`, [input.memberId, now]);
  const p = pending[0];
  const refuse = async (reason: string, code: 'FORBIDDEN' | 'NOT_FOUND' | 'ENROLLMENT_SELF_APPROVAL') => {
    await deps.audit.append(tx, {
      tenantId: input.tenantId, actorKind: input.actor.kind, actorId: input.actor.id, action: 'member.invite.approve', targetType: 'member',
      targetId: input.memberId, outcome: 'denied', reasons: [reason], metadata: who,
    });
    return new WardError(code, undefined, { reasons: [reason] });
  };
  if (!p) return refuse('no_pending_invitation', 'NOT_FOUND');
  if (p.created_by === input.approverMemberId || p.member_id === input.approverMemberId) return refuse('self_approval', 'ENROLLMENT_SELF_APPROVAL');
  if (!approver[0]?.ok) return refuse('approver_not_enrolled_owner_or_admin', 'FORBIDDEN');
  // The database checks all of this again, with the approver taken from the verified scope (0017).
  try {
    await tx.query('SELECT token_id FROM ward_approve_enrollment($1, $2, $3)', [p.member_id, isOperator ? input.approverMemberId : null, now]);
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', self_approval: 'ENROLLMENT_SELF_APPROVAL', not_found: 'NOT_FOUND' });
  }
  await deps.audit.append(tx, {
    tenantId: input.tenantId, actorKind: input.actor.kind, actorId: input.actor.id, action: 'member.invite.approve', targetType: 'member',
    targetId: p.member_id, outcome: 'success', metadata: { ...who, enrollmentId: p.id, role: p.role },
  });
  await grantRole(tx, deps, { tenantId: input.tenantId, memberId: p.member_id, role: p.role, grantedBy: p.created_by, actor: input.actor, metadata: who }, now);
  return { memberId: p.member_id, role: p.role };
}

/** The same in a transaction of its own (the operator CLI): a refusal is committed, then thrown. */
export async function approveInvitation(
  deps: { db: Db; audit: AuditLog },
  input: { tenantId: string; memberId: string; approverMemberId: string; actor: Actor },
  now: Date,
): Promise<{ memberId: string; role: Role }> {
  const result = await deps.db.scoped({ ...memberScope(input.tenantId, input.actor.id), actorKind: input.actor.kind }, (tx) => approveInvitationInTx(tx, deps, input, now));
  if (result instanceof WardError) throw result;
  return result;
}
