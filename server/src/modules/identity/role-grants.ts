import type { Role, RoleGrantItem } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { revokeMemberSessions } from '../sessions/index.ts';
import { proposals, type ProposalActor } from './proposals.ts';

/**
 * Role changes of an existing member (R-AUTHZ-5, R-AUTHN-5). Adding a role takes two people, like a
 * PHI scope: an Owner or Admin proposes it, a second one (neither the proposer nor the member)
 * approves, and only the approval grants it; Owner and Admin are proposed and approved by Owners.
 * Cedar decides each step as `grant.role` (the approval carries `grantProposedByPrincipal`:
 * `sod-role-grant-second-person`) and the SECURITY DEFINER functions of 0070_role_grant_requests.sql
 * check it all again. Removing a role is immediate (least privilege; docs/authentication.md says why). Either
 * change ends the member's live sessions at once.
 */
const roleGrants = proposals<'role', Role>({
  key: 'role',
  select: `SELECT g.id, g.member_id, g.role AS object, g.state, g.proposed_by, g.proposed_at, g.expires_at, g.decided_by, g.decided_at,
                  p.email AS proposer_email, m.email AS member_email
             FROM role_grant_requests g
             LEFT JOIN members p ON p.id = g.proposed_by
             LEFT JOIN members m ON m.id = g.member_id`,
  propose: 'SELECT ward_role_grant_propose($1, $2, $3, $4, $5)',
  approve: 'SELECT member_id, role AS object FROM ward_role_grant_approve($1, $2)',
  cancel: 'SELECT ward_role_grant_cancel($1, $2)',
  refusals: { not_permitted: 'FORBIDDEN', self_approval: 'ROLE_GRANT_SELF_APPROVAL', not_found: 'NOT_FOUND', already_decided: 'ROLE_GRANT_NOT_PENDING' },
  actions: { propose: 'member.role.propose', grant: 'member.role.grant', cancel: 'member.role.cancel' },
  nextApprover: (role, proposer, member) =>
    `a second ${role === 'Owner' || role === 'Admin' ? 'Owner' : 'Owner or Admin'} other than ${proposer} (who proposed it) and ${member}`,
});

/** The tenant's role proposals, newest first (row-level security keeps them to the caller's tenant). */
export const listRoleGrants = (tx: Tx, now: Date, opts?: { limit?: number }): Promise<RoleGrantItem[]> => roleGrants.list(tx, now, opts);

/** One role proposal, or null when it is not in the caller's tenant. */
export const findRoleGrant = (tx: Tx, id: string, now: Date): Promise<RoleGrantItem | null> => roleGrants.find(tx, id, now);

/** An Owner or Admin proposes `role` for another member; nothing is granted yet. */
export const proposeRoleGrantInTx = (
  tx: Tx, deps: { audit: AuditLog }, input: { actor: ProposalActor; memberId: string; role: Role; ttlSeconds?: number }, now: Date,
): Promise<RoleGrantItem> => roleGrants.propose(tx, deps, { actor: input.actor, memberId: input.memberId, object: input.role, ttlSeconds: input.ttlSeconds }, now);

/** The second person approves: the role is granted and the member's live sessions end (R-AUTHN-5). */
export async function approveRoleGrantInTx(tx: Tx, deps: { audit: AuditLog }, input: { actor: ProposalActor; grantId: string }, now: Date): Promise<RoleGrantItem> {
  const g = await roleGrants.approve(tx, deps, input, now);
  await revokeMemberSessions(tx, g.memberId, now);
  return g;
}

/** An open role proposal is withdrawn (its proposer or another Owner or Admin, never its member). */
export const cancelRoleGrantInTx = (tx: Tx, deps: { audit: AuditLog }, input: { actor: ProposalActor; grantId: string }, now: Date): Promise<RoleGrantItem> =>
  roleGrants.cancel(tx, deps, input, now);

/**
 * Removes a role at once (least privilege, R-AUTHN-5): an enrolled Owner or Admin, an Owner for
 * Owner and Admin, never their own role, never the tenant's last active Owner. The member's live
 * sessions end in the same transaction.
 */
export async function revokeRoleInTx(
  tx: Tx, deps: { audit: AuditLog }, input: { actor: ProposalActor; memberId: string; role: Role }, now: Date,
): Promise<{ memberId: string; role: Role; revokedSessions: number }> {
  try {
    await tx.query('SELECT ward_revoke_role($1, $2, $3)', [input.memberId, input.role, now]);
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', self_approval: 'FORBIDDEN', not_found: 'NOT_FOUND', already_decided: 'LAST_OWNER' });
  }
  const revokedSessions = await revokeMemberSessions(tx, input.memberId, now);
  await deps.audit.append(tx, {
    tenantId: input.actor.tenantId, actorKind: 'human', actorId: input.actor.memberId, action: 'member.role.revoke', targetType: 'member', targetId: input.memberId,
    outcome: 'success', metadata: { role: input.role, revokedSessions },
  });
  return { memberId: input.memberId, role: input.role, revokedSessions };
}
