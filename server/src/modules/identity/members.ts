import type { MemberItem } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';

interface Row {
  id: string; email: string; display_name: string; status: MemberItem['status']; roles: MemberItem['roles']; phi_scopes: MemberItem['phiScopes'];
  passkeys: number; devices: number; managed: number; last_active_at: Date | null;
  inv_role: MemberItem['roles'][number] | null; inv_created_by: string | null; inv_by_email: string | null; inv_expires: Date | null;
  inv_consumed: Date | null; inv_requires: boolean | null; inv_approved: Date | null;
}

/**
 * The admin console's list of a tenant's members (R-UX-1, R-AUTHN-3, R-AUTHZ-5), read under the
 * caller's scoped transaction: row-level security keeps it to the caller's tenant. Workforce data
 * only (addresses, roles, scopes, counts of passkeys and devices); no patient table is read. Each
 * member's newest enrollment invitation says where it stands and, while it waits for the two-person
 * rule, who may approve it: an enrolled Owner or Admin other than the inviter and the invitee
 * (the database checks this again in ward_approve_enrollment, 0017).
 */
export async function listMembers(tx: Tx, now: Date): Promise<MemberItem[]> {
  const { rows } = await tx.query<Row>(
    `SELECT m.id, m.email, m.display_name, m.status, m.last_active_at,
            ARRAY(SELECT r.role FROM member_roles r WHERE r.member_id = m.id ORDER BY r.role) AS roles,
            ARRAY(SELECT s.phi_scope FROM member_phi_scopes s WHERE s.member_id = m.id ORDER BY s.phi_scope) AS phi_scopes,
            (SELECT count(*)::int FROM passkey_credentials c WHERE c.member_id = m.id AND c.revoked_at IS NULL) AS passkeys,
            (SELECT count(*)::int FROM devices d WHERE d.member_id = m.id) AS devices,
            (SELECT count(*)::int FROM devices d WHERE d.member_id = m.id AND d.posture = 'managed') AS managed,
            t.role AS inv_role, t.created_by AS inv_created_by, b.email AS inv_by_email, t.expires_at AS inv_expires,
            t.consumed_at AS inv_consumed, t.requires_approval AS inv_requires, t.approved_at AS inv_approved
       FROM members m
       LEFT JOIN LATERAL (
         SELECT e.role, e.created_by, e.expires_at, e.consumed_at, e.requires_approval, e.approved_at FROM enrollment_tokens e
          WHERE e.member_id = m.id AND e.purpose = 'enroll' ORDER BY e.created_at DESC LIMIT 1) t ON true
       LEFT JOIN members b ON b.id = t.created_by
      ORDER BY m.email`,
  );
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    status: r.status,
    roles: r.roles,
    phiScopes: r.phi_scopes,
    passkeys: r.passkeys,
    devices: { total: r.devices, managed: r.managed },
    lastActiveAt: r.last_active_at ? new Date(r.last_active_at).toISOString() : null,
    invitation: r.inv_expires === null ? null : invitation(r, now),
  }));
}

function invitation(r: Row, now: Date): NonNullable<MemberItem['invitation']> {
  const state: NonNullable<MemberItem['invitation']>['state'] = r.inv_consumed !== null ? 'enrolled'
    : new Date(r.inv_expires!).getTime() <= now.getTime() ? 'expired'
      : r.inv_requires && r.inv_approved === null ? 'awaiting approval' : 'awaiting enrollment';
  const notBy = r.inv_by_email ? ` other than ${r.inv_by_email} (who invited)` : '';
  return {
    role: r.inv_role,
    state,
    invitedBy: r.inv_created_by,
    expiresAt: new Date(r.inv_expires!).toISOString(),
    nextApprover: state === 'awaiting approval' ? `a second Owner or Admin${notBy}` : null,
  };
}
