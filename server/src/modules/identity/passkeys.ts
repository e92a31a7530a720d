import { WardError } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { revokeMemberSessions } from '../sessions/index.ts';

/** R-AUTHN-1: a member's passkeys: list, name, revoke, but never the last one (that would lock them out). */
export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backupEligible: boolean;
  backupState: boolean;
  possiblyCloned: boolean;
}

export async function listPasskeys(tx: Tx, memberId: string): Promise<PasskeySummary[]> {
  const { rows } = await tx.query<{ id: string; name: string | null; created_at: Date; last_used_at: Date | null; backup_eligible: boolean; backup_state: boolean; possibly_cloned: boolean }>(
    `SELECT id, name, created_at, last_used_at, backup_eligible, backup_state, possibly_cloned
       FROM passkey_credentials WHERE member_id = $1 AND revoked_at IS NULL ORDER BY created_at, id`, [memberId]);
  return rows.map((r) => ({
    id: r.id, name: r.name ?? 'Passkey', createdAt: new Date(r.created_at).toISOString(), lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
    backupEligible: r.backup_eligible, backupState: r.backup_state, possiblyCloned: r.possibly_cloned,
  }));
}

type Who = { tenantId: string; memberId: string; sessionId: string; deviceId: string | null; sourceIp: string };

export async function renamePasskey(tx: Tx, audit: AuditLog, who: Who, passkeyId: string, name: string): Promise<void> {
  const clean = name.trim();
  if (clean.length < 1 || clean.length > 64) throw new WardError('BAD_REQUEST', 'A passkey name has 1 to 64 characters.');
  const { rowCount } = await tx.query('UPDATE passkey_credentials SET name = $3 WHERE id = $1 AND member_id = $2 AND revoked_at IS NULL', [passkeyId, who.memberId, clean]);
  if (rowCount !== 1) throw new WardError('NOT_FOUND');
  await audit.append(tx, { tenantId: who.tenantId, actorKind: 'human', actorId: who.memberId, sessionId: who.sessionId, deviceId: who.deviceId, sourceIp: who.sourceIp, action: 'passkey.rename', targetType: 'passkey', targetId: passkeyId, outcome: 'success' });
}

/**
 * Revokes one passkey of the member, refused when it is the member's last usable one. Every other
 * live session of the member ends with it (R-SESS-1): a session does not record which passkey opened
 * it, and the one revoked may be a lost device's whose browser still holds a session; the session
 * that revoked it (verified within the last minutes) goes on.
 */
export async function revokePasskey(tx: Tx, audit: AuditLog, who: Who, passkeyId: string, now: Date): Promise<'revoked' | 'last_one' | 'not_found'> {
  // Lock the member's passkeys so that two concurrent revocations cannot both pass the count.
  const { rows } = await tx.query<{ id: string }>(
    'SELECT id FROM passkey_credentials WHERE member_id = $1 AND revoked_at IS NULL ORDER BY id FOR UPDATE', [who.memberId]);
  const base = { tenantId: who.tenantId, actorKind: 'human' as const, actorId: who.memberId, sessionId: who.sessionId, deviceId: who.deviceId, sourceIp: who.sourceIp, action: 'passkey.revoke', targetType: 'passkey', targetId: passkeyId };
  if (!rows.some((r) => r.id === passkeyId)) return 'not_found';
  if (rows.length < 2) {
    await audit.append(tx, { ...base, outcome: 'denied', reasons: ['last_passkey'] });
    return 'last_one';
  }
  await tx.query('UPDATE passkey_credentials SET revoked_at = $3 WHERE id = $1 AND member_id = $2', [passkeyId, who.memberId, now]);
  const revokedSessions = await revokeMemberSessions(tx, who.memberId, now, who.sessionId);
  await audit.append(tx, { ...base, outcome: 'success', metadata: { revokedSessions } });
  return 'revoked';
}
