import type { Tx } from '../../db/types.ts';

/**
 * The passkey ceremonies' SQL (R-AUTHN-1, R-AUTHN-3), in one place: each function is one statement in
 * the caller's scoped transaction. The ceremonies themselves (enroll.ts, sign-in.ts, step-up.ts) hold
 * no SQL.
 */
export interface EnrollmentState {
  isLive: boolean;
  isUnused: boolean;
  isApproved: boolean;
  email: string;
  displayName: string;
  status: string;
  hasPasskey: boolean;
}

export interface StoredCredential {
  id: string;
  memberId: string;
  credentialId: string;
  publicKey: Uint8Array;
  possiblyCloned: boolean;
  memberStatus: string;
}

export interface NewCredential {
  tenantId: string;
  memberId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  backupEligible: boolean;
  backupState: boolean;
}

export const passkeyStore = {
  async enrollmentState(tx: Tx, tokenId: string, now: Date): Promise<EnrollmentState | null> {
    const { rows } = await tx.query<{ is_live: boolean; is_unused: boolean; is_approved: boolean; email: string; display_name: string; status: string; has_passkey: boolean }>(
      `SELECT t.expires_at > $2 AS is_live, t.consumed_at IS NULL AS is_unused, (NOT t.requires_approval OR t.approved_at IS NOT NULL) AS is_approved,
              m.email, m.display_name, m.status,
              EXISTS (SELECT 1 FROM passkey_credentials c WHERE c.member_id = m.id AND c.revoked_at IS NULL) AS has_passkey
         FROM enrollment_tokens t JOIN members m ON m.id = t.member_id WHERE t.id = $1`, [tokenId, now]);
    const r = rows[0];
    return r ? { isLive: r.is_live, isUnused: r.is_unused, isApproved: r.is_approved, email: r.email, displayName: r.display_name, status: r.status, hasPasskey: r.has_passkey } : null;
  },

  /** Consumes the token if it is still live, unused and approved; its role and inviter, or null. */
  async consumeEnrollment(tx: Tx, tokenId: string, memberId: string, now: Date): Promise<{ role: string | null; createdBy: string | null } | null> {
    const { rows } = await tx.query<{ role: string | null; created_by: string | null }>(
      `UPDATE enrollment_tokens SET consumed_at = $2
        WHERE id = $1 AND consumed_at IS NULL AND expires_at > $2 AND (NOT requires_approval OR approved_at IS NOT NULL)
        RETURNING role, created_by`, [tokenId, now]);
    if (!rows[0]) return null;
    // Any other outstanding link of this member stops working too.
    await tx.query('UPDATE enrollment_tokens SET consumed_at = $2 WHERE member_id = $1 AND consumed_at IS NULL', [memberId, now]);
    return { role: rows[0].role, createdBy: rows[0].created_by };
  },

  /** The new credential's row id, or null when the credential id is already registered. */
  async insertCredential(tx: Tx, c: NewCredential, now: Date): Promise<string | null> {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO passkey_credentials (tenant_id, member_id, credential_id, public_key, sign_count, transports, backup_eligible, backup_state, name, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'Passkey', $9)
       ON CONFLICT (credential_id) DO NOTHING RETURNING id`,
      [c.tenantId, c.memberId, c.credentialId, Buffer.from(c.publicKey), c.counter, c.transports, c.backupEligible, c.backupState, now]);
    return rows[0]?.id ?? null;
  },

  async activateMember(tx: Tx, memberId: string, now: Date): Promise<void> {
    await tx.query("UPDATE members SET status = 'active', last_active_at = $2 WHERE id = $1 AND status IN ('invited', 'active')", [memberId, now]);
  },

  async touchMember(tx: Tx, memberId: string, now: Date): Promise<void> {
    await tx.query('UPDATE members SET last_active_at = $2 WHERE id = $1', [memberId, now]);
  },

  async loadCredential(tx: Tx, credentialRowId: string): Promise<StoredCredential | null> {
    const { rows } = await tx.query<{ id: string; member_id: string; credential_id: string; public_key: Uint8Array; possibly_cloned: boolean; status: string }>(
      `SELECT c.id, c.member_id, c.credential_id, c.public_key, c.possibly_cloned, m.status
         FROM passkey_credentials c JOIN members m ON m.id = c.member_id
        WHERE c.id = $1 AND c.revoked_at IS NULL`, [credentialRowId]);
    const c = rows[0];
    return c ? { id: c.id, memberId: c.member_id, credentialId: c.credential_id, publicKey: new Uint8Array(c.public_key), possiblyCloned: c.possibly_cloned, memberStatus: c.status } : null;
  },

  /**
   * The counter moves forward atomically; zero stays allowed only for authenticators without one.
   * Null when it did not move (the caller flags a clone), else whether the credential is backup-eligible.
   */
  async advanceCounter(tx: Tx, credentialRowId: string, counter: number, backupState: boolean, now: Date): Promise<{ backupEligible: boolean } | null> {
    const { rows } = await tx.query<{ backup_eligible: boolean }>(
      `UPDATE passkey_credentials SET sign_count = $2, backup_state = $3, last_used_at = $4
        WHERE id = $1 AND revoked_at IS NULL AND NOT possibly_cloned AND (sign_count < $2 OR ($2 = 0 AND sign_count = 0))
       RETURNING backup_eligible`, [credentialRowId, counter, backupState, now]);
    return rows[0] ? { backupEligible: rows[0].backup_eligible } : null;
  },

  async flagPossiblyCloned(tx: Tx, credentialRowId: string): Promise<void> {
    await tx.query('UPDATE passkey_credentials SET possibly_cloned = true WHERE id = $1', [credentialRowId]);
  },

  /** The WebAuthn credential ids a member may step up with. */
  async usableCredentialIds(tx: Tx, memberId: string): Promise<string[]> {
    const { rows } = await tx.query<{ credential_id: string }>(
      'SELECT credential_id FROM passkey_credentials WHERE member_id = $1 AND revoked_at IS NULL AND NOT possibly_cloned', [memberId]);
    return rows.map((r) => r.credential_id);
  },
};
