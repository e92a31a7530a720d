import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { revokeMemberSessions } from '../sessions/index.ts';

/**
 * Revocation at once (R-AUTHN-5, R-SESS-1). Every request reads the member's status and session row
 * (sessions/authenticator.ts), so a deactivation, a deletion or a lost role stops every live session
 * on its very next request: the status is set, the sessions are revoked and unused enrollment links
 * are spent, in the transaction of the change, audited as `member.deprovision` /
 * `member.role.revoke` with the SCIM client (or the inactivity job) as actor.
 */
export interface LifecycleContext {
  tx: Tx;
  tenantId: string;
  actor: { kind: 'service' | 'system'; id: string };
  audit: AuditLog;
  now: Date;
}

export async function deprovisionMember(ctx: LifecycleContext, memberId: string, reason: string): Promise<{ revokedSessions: number }> {
  await ctx.tx.query("UPDATE members SET status = 'disabled', disabled_at = $2 WHERE id = $1 AND status <> 'disabled'", [memberId, ctx.now]);
  const revokedSessions = await revokeMemberSessions(ctx.tx, memberId, ctx.now);
  const { rowCount: spentLinks } = await ctx.tx.query('UPDATE enrollment_tokens SET consumed_at = $2 WHERE member_id = $1 AND consumed_at IS NULL', [memberId, ctx.now]);
  await ctx.audit.append(ctx.tx, {
    tenantId: ctx.tenantId, actorKind: ctx.actor.kind, actorId: ctx.actor.id, action: 'member.deprovision', targetType: 'member', targetId: memberId,
    outcome: 'success', reasons: [reason], metadata: { revokedSessions, spentLinks },
  });
  return { revokedSessions };
}

/**
 * The IdP activates a member again: back to `active` with a passkey, else `invited` (proofing still
 * decides the link); `restricted` while a lost-device recovery awaits its lift (R-AUTHN-4: a disable
 * and re-enable does not lift a restriction, only a second person does).
 */
export async function reactivateMember(ctx: LifecycleContext, memberId: string): Promise<void> {
  await ctx.tx.query(
    `UPDATE members m SET status = CASE WHEN EXISTS (SELECT 1 FROM member_recoveries r WHERE r.member_id = m.id AND r.state = 'registered') THEN 'restricted'
                                       WHEN EXISTS (SELECT 1 FROM passkey_credentials c WHERE c.member_id = m.id AND c.revoked_at IS NULL)
                                       THEN 'active' ELSE 'invited' END, disabled_at = NULL
      WHERE m.id = $1 AND m.status = 'disabled'`, [memberId]);
  await ctx.audit.append(ctx.tx, {
    tenantId: ctx.tenantId, actorKind: ctx.actor.kind, actorId: ctx.actor.id, action: 'member.reactivate', targetType: 'member', targetId: memberId, outcome: 'success',
  });
}

/**
 * A provisioned member's roles follow its groups' explicit mappings (R-AUTHN-5, R-AUTHZ-5), in the
 * database (ward_scim_sync_roles, 0023): granted, revoked, or `approval_required` for an Owner or
 * Admin role that no second person approved. Any change ends the member's live sessions at once.
 */
export async function syncRoles(ctx: LifecycleContext, memberId: string): Promise<{ role: string; change: string }[]> {
  let changes: { role: string; change: string }[];
  try {
    ({ rows: changes } = await ctx.tx.query<{ role: string; change: string }>('SELECT role, change FROM ward_scim_sync_roles($1, $2)', [memberId, ctx.now]));
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', self_approval: 'FORBIDDEN', not_found: 'NOT_FOUND' });
  }
  const changed = changes.some((c) => c.change !== 'approval_required');
  const revokedSessions = changed ? await revokeMemberSessions(ctx.tx, memberId, ctx.now) : 0;
  for (const c of changes) {
    const base = { tenantId: ctx.tenantId, actorKind: ctx.actor.kind, actorId: ctx.actor.id, targetType: 'member', targetId: memberId };
    if (c.change === 'revoked') {
      await ctx.audit.append(ctx.tx, { ...base, action: 'member.role.revoke', outcome: 'success', metadata: { role: c.role, via: 'scim', revokedSessions } });
    } else if (c.change === 'granted') {
      await ctx.audit.append(ctx.tx, { ...base, action: 'member.role.grant', outcome: 'success', metadata: { role: c.role, via: 'scim', revokedSessions } });
    } else {
      // R-AUTHZ-5: Owner and Admin through a mapping wait for a second person (the approval of the member's invitation).
      await ctx.audit.append(ctx.tx, { ...base, action: 'member.role.grant', outcome: 'denied', reasons: ['second_person_required'], metadata: { role: c.role, via: 'scim' } });
    }
  }
  return changes;
}
