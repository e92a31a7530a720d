import { WardError, type MemberStatusChanged } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { revokeMemberSessions } from '../sessions/index.ts';

/**
 * An Owner or Admin disables a member, or enables them again, from the admin console (R-AUTHN-5,
 * R-SESS-1). Disabling takes access away, so one person does it, at once: the status is set, every
 * live session ends and unused enrollment links are spent in the same transaction, and the session
 * authenticator refuses the member's next request (a disabled member's session is inactive). Enabling
 * restores the status the member would otherwise have (`restricted` while a lost-device recovery
 * awaits its lift, `invited` without a passkey), and is never done by the member themself (Cedar's
 * sod-no-self-grant on member.manage). Audited as `member.disable` / `member.enable`.
 */
export async function disableMemberInTx(tx: Tx, deps: { audit: AuditLog }, input: { tenantId: string; actorId: string; memberId: string }, now: Date): Promise<MemberStatusChanged> {
  await refuseDisablingTheLastOwner(tx, input.memberId);
  const { rows } = await tx.query<{ id: string }>("UPDATE members SET status = 'disabled', disabled_at = $2 WHERE id = $1 AND status <> 'disabled' RETURNING id", [input.memberId, now]);
  if (!rows[0]) throw new WardError('CONFLICT', 'The member is disabled already.', { reasons: ['already_disabled'] });
  const revokedSessions = await revokeMemberSessions(tx, input.memberId, now);
  const { rowCount: spentLinks } = await tx.query('UPDATE enrollment_tokens SET consumed_at = $2 WHERE member_id = $1 AND consumed_at IS NULL', [input.memberId, now]);
  await deps.audit.append(tx, {
    tenantId: input.tenantId, actorKind: 'human', actorId: input.actorId, action: 'member.disable', targetType: 'member', targetId: input.memberId,
    outcome: 'success', metadata: { revokedSessions, spentLinks },
  });
  return { memberId: input.memberId, status: 'disabled', revokedSessions };
}

export async function enableMemberInTx(tx: Tx, deps: { audit: AuditLog }, input: { tenantId: string; actorId: string; memberId: string }, now: Date): Promise<MemberStatusChanged> {
  const { rows } = await tx.query<{ status: MemberStatusChanged['status'] }>(
    `UPDATE members m SET status = CASE WHEN EXISTS (SELECT 1 FROM member_recoveries r WHERE r.member_id = m.id AND r.state = 'registered') THEN 'restricted'
                                       WHEN EXISTS (SELECT 1 FROM passkey_credentials c WHERE c.member_id = m.id AND c.revoked_at IS NULL) THEN 'active'
                                       ELSE 'invited' END, disabled_at = NULL
      WHERE m.id = $1 AND m.status = 'disabled' RETURNING m.status`, [input.memberId]);
  if (!rows[0]) throw new WardError('CONFLICT', 'The member is not disabled.', { reasons: ['not_disabled'] });
  await deps.audit.append(tx, {
    tenantId: input.tenantId, actorKind: 'human', actorId: input.actorId, action: 'member.enable', targetType: 'member', targetId: input.memberId,
    outcome: 'success', metadata: { status: rows[0].status },
  });
  return { memberId: input.memberId, status: rows[0].status, revokedSessions: 0 };
}

/**
 * A tenant keeps an active Owner (R-AUTHZ-5): an Owner is not disabled when no other Owner is active.
 * It waits first on the lock that removing an Owner's role takes (`ward_revoke_role`, 0070), so two
 * Owners disabling each other, or one disabling while the other removes their role, are serialised
 * and the second reads what the first committed; the operator can still disable a last Owner from
 * the command line. Row-level security shows only the caller's tenant.
 */
async function refuseDisablingTheLastOwner(tx: Tx, memberId: string): Promise<void> {
  const { rows } = await tx.query<{ owner: boolean }>("SELECT EXISTS (SELECT 1 FROM member_roles WHERE member_id = $1 AND role = 'Owner') AS owner", [memberId]);
  if (!rows[0]?.owner) return;
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('ward_revoke_role:' || ward_scope_tenant()::text))");
  const { rows: others } = await tx.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM member_roles r JOIN members m ON m.id = r.member_id AND m.status = 'active' WHERE r.role = 'Owner' AND r.member_id <> $1", [memberId]);
  if (others[0]!.n === 0) throw new WardError('CONFLICT', 'The tenant would be left without an active Owner.', { reasons: ['last_owner'] });
}
