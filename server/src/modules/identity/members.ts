import type { MemberItem } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';

interface Row {
  id: string; email: string; display_name: string; status: MemberItem['status']; roles: MemberItem['roles']; phi_scopes: MemberItem['phiScopes'];
  passkeys: number; devices: number; managed: number; last_active_at: Date | null;
  inv_role: MemberItem['roles'][number] | null; inv_created_by: string | null; inv_by_email: string | null; inv_expires: Date | null;
  inv_consumed: Date | null; inv_requires: boolean | null; inv_approved: Date | null;
  rec_state: 'opened' | 'approved' | 'registered' | null; rec_verified_by: string | null; rec_opened_by: string | null; rec_by_email: string | null;
  rec_opened_at: Date | null; rec_trusted: boolean | null;
  provisioned: boolean; proof_method: string | null; proof_at: Date | null; proof_by: string | null;
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
            t.consumed_at AS inv_consumed, t.requires_approval AS inv_requires, t.approved_at AS inv_approved,
            rc.state AS rec_state, rc.verified_by AS rec_verified_by, rc.opened_by AS rec_opened_by, ob.email AS rec_by_email,
            rc.opened_at AS rec_opened_at, rc.trusted_at IS NOT NULL AS rec_trusted,
            EXISTS (SELECT 1 FROM scim_users u WHERE u.member_id = m.id AND u.deleted_at IS NULL) AS provisioned,
            pf.method AS proof_method, pf.recorded_at AS proof_at, pf.recorded_by AS proof_by
       FROM members m
       LEFT JOIN LATERAL (
         SELECT p.method, p.recorded_at, p.recorded_by FROM id_proofings p WHERE p.member_id = m.id ORDER BY p.recorded_at DESC LIMIT 1) pf ON true
       LEFT JOIN LATERAL (
         SELECT e.role, e.created_by, e.expires_at, e.consumed_at, e.requires_approval, e.approved_at FROM enrollment_tokens e
          WHERE e.member_id = m.id AND e.purpose = 'enroll' ORDER BY e.created_at DESC LIMIT 1) t ON true
       LEFT JOIN members b ON b.id = t.created_by
       LEFT JOIN member_recoveries rc ON rc.member_id = m.id AND rc.state <> 'lifted'
       LEFT JOIN members ob ON ob.id = rc.opened_by
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
    provisioned: r.provisioned,
    idProofing: r.proof_method === null ? null : { method: r.proof_method, recordedAt: new Date(r.proof_at!).toISOString(), recordedBy: r.proof_by! },
    proofingNeeded: r.provisioned && r.proof_method === null && r.passkeys === 0 && r.status === 'invited',
    recovery: r.rec_state === null ? null : recovery(r),
  }));
}

/** Where a recovery stands and who acts next (R-AUTHN-4; the database checks each step again, 0025). */
function recovery(r: Row): NonNullable<MemberItem['recovery']> {
  const notBy = r.rec_by_email ? ` other than ${r.rec_by_email} (who opened it)` : '';
  const next = r.rec_state === 'opened' ? `a second Owner or Admin${notBy} approves; the link then goes to the member`
    : r.rec_state === 'approved' ? 'the member registers a new passkey with the link (15 minutes)'
      : r.rec_trusted ? 'an Owner or Admin other than the member lifts the restriction'
        : 'the member uses the new passkey from a managed device; then an Owner or Admin lifts the restriction';
  return {
    state: r.rec_state!, verifiedBy: r.rec_verified_by!, openedBy: r.rec_opened_by!, openedAt: new Date(r.rec_opened_at!).toISOString(),
    trustedUse: r.rec_trusted === true, next,
  };
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
