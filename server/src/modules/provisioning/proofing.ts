import { randomUUID } from 'node:crypto';
import { WardError, type Role, type TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import type { FieldCipher } from '../crypto/index.ts';
import { issueEnrollmentLinkInTx } from '../identity/index.ts';

/**
 * R-AUTHN-3: a provisioned member's first passkey only after identity proofing. An Owner or Admin
 * records how the person's identity was proofed (a method code, and a note encrypted under the
 * tenant's key, R-DATA-1) through the API, as `member.manage` with a recent user verification
 * (step-up); only then is a one-time enrollment link issued, and it goes to the member's address
 * through the notifier, never in a response. The account starts with no PHI. When the member's
 * groups map to Owner or Admin, the link waits for a second person's approval (R-AUTHZ-5).
 */
export const ID_PROOFING_METHODS = ['in_person_document', 'remote_video_document', 'hr_onboarding_record', 'manager_attestation'] as const;
export type IdProofingMethod = (typeof ID_PROOFING_METHODS)[number];

export interface IdProofingResult {
  memberId: string;
  proofingId: string;
  email: string;
  link: string;
  expiresAt: Date;
  requiresApproval: boolean;
}

/** The note, encrypted under the tenant's key for the proofing row it will be (R-DATA-1); outside any transaction. */
export async function sealIdProofingNote(cipher: FieldCipher, tenantId: string, note: string): Promise<{ proofingId: string; noteEnc: Buffer }> {
  const proofingId = randomUUID();
  return { proofingId, noteEnc: await cipher.encryptField(tenantId as TenantId, { table: 'id_proofings', rowId: proofingId, column: 'note_enc' }, note) };
}

export async function recordIdProofing(
  tx: Tx,
  deps: { audit: AuditLog; origin: URL },
  input: { tenantId: string; memberId: string; method: string; note: { proofingId: string; noteEnc: Buffer }; recordedBy: string },
  now: Date,
): Promise<IdProofingResult> {
  if (!(ID_PROOFING_METHODS as readonly string[]).includes(input.method)) throw new WardError('BAD_REQUEST', `The method is one of ${ID_PROOFING_METHODS.join(', ')}.`);
  const { rows } = await tx.query<{ email: string; status: string; passkeys: number; roles: Role[] }>(
    `SELECT m.email, m.status,
            (SELECT count(*)::int FROM passkey_credentials c WHERE c.member_id = m.id AND c.revoked_at IS NULL) AS passkeys,
            ARRAY(SELECT DISTINCT gr.role FROM scim_group_members gm JOIN scim_groups g ON g.id = gm.group_id AND g.deleted_at IS NULL
                   JOIN scim_group_roles gr ON gr.group_id = gm.group_id WHERE gm.member_id = m.id) AS roles
       FROM members m JOIN scim_users u ON u.member_id = m.id AND u.deleted_at IS NULL WHERE m.id = $1`, [input.memberId]);
  const m = rows[0];
  if (!m || m.status !== 'invited' || m.passkeys > 0) throw new WardError('ID_PROOFING_NOT_APPLICABLE');
  const { proofingId, noteEnc } = input.note;
  await tx.query('INSERT INTO id_proofings (tenant_id, id, member_id, method, note_enc, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [input.tenantId, proofingId, input.memberId, input.method, noteEnc, input.recordedBy, now]);
  // The link names the most privileged mapped role; Owner and Admin wait for the second person.
  const role: Role = m.roles.includes('Owner') ? 'Owner' : m.roles.includes('Admin') ? 'Admin' : m.roles[0] ?? 'Viewer';
  const issued = await issueEnrollmentLinkInTx(tx, { origin: deps.origin }, { tenantId: input.tenantId, memberId: input.memberId, role, createdBy: input.recordedBy }, now);
  await deps.audit.append(tx, {
    tenantId: input.tenantId, actorKind: 'human', actorId: input.recordedBy, action: 'member.id_proofing', targetType: 'member', targetId: input.memberId,
    outcome: 'success', metadata: { method: input.method, proofingId, enrollmentId: issued.tokenId, role, requiresApproval: issued.requiresApproval },
  });
  return { memberId: input.memberId, proofingId, email: m.email, link: issued.link, expiresAt: issued.expiresAt, requiresApproval: issued.requiresApproval };
}
