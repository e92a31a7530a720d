import { WardError, type Authenticated } from '@ward/contracts';
import type { JWK } from 'jose';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { newSecret, secretHash } from './secrets.ts';
import { isNewDeviceTrusted, sessionSettings } from './settings.ts';

/** A proof-of-possession key: the device a session is bound to (R-SESS-4). */
export interface DeviceKey {
  thumbprint: string;
  publicJwk: JWK;
}

/** What every login method hands `issue`: who, how they proved it, and the device key it binds. */
export interface SessionStart {
  tenantId: string;
  memberId: string;
  authMethod: 'passkey' | 'oidc';
  /** RFC 8176 methods, e.g. ['hwk', 'user'] for a hardware-bound passkey with user verification. */
  amr: string[];
  /** R-AUTHN-2: whether this login proved multi-factor authentication; the login method decides. */
  mfa: boolean;
  deviceKey: DeviceKey;
  sourceIp: string;
  /**
   * R-SESS-3: when the person last proved who they are, if not at this sign-in (default: now, as a
   * passkey assertion with user verification does). An SSO sign-in passes the IdP's `auth_time`: an
   * IdP that answered from a session of its own authenticated no one now.
   */
  verifiedAt?: Date;
}

export interface IssuedSession {
  sessionId: string;
  deviceId: string;
  /** The opaque secret for the cookie; only its hash is stored. */
  token: string;
  expiresAt: Date;
}

/**
 * R-SESS-1: a server-side session row for any login method, bound to the member's device row for the
 * key (created on first use). The caller gets the opaque token for the cookie once; only its hash is
 * stored. The absolute lifetime and idle timeout are the tenant's, read at sign-in.
 */
export function createSessions(deps: { audit: AuditLog; clock: { now(): Date } }) {
  async function issue(tx: Tx, start: SessionStart): Promise<IssuedSession> {
    const now = deps.clock.now();
    const { rows: t } = await tx.query<{ settings: unknown }>('SELECT settings FROM tenants WHERE id = $1', [start.tenantId]);
    if (!t[0]) throw new WardError('UNAUTHENTICATED');
    const settings = sessionSettings(t[0].settings);
    // R-GOV-5 (0045): a live lock on the member, or on its device for this key, stops the sign-in
    // before anything is written; the caller's transaction rolls back and the caller audits the refusal.
    const { rows: lock } = await tx.query<{ locked: string | null }>('SELECT ward_sign_in_lock($1, $2) AS locked', [start.memberId, start.deviceKey.thumbprint]);
    if (lock.length !== 1) throw new WardError('UNAUTHENTICATED');
    if (lock[0]!.locked !== null) throw new WardError('LOCKED', undefined, { reasons: [`locked:${lock[0]!.locked}`] });
    const { deviceId } = await ensureDevice(tx, deps.audit, { tenantId: start.tenantId, memberId: start.memberId, ...start.deviceKey, sourceIp: start.sourceIp, trusted: isNewDeviceTrusted(settings, start.memberId) }, now);
    const token = newSecret();
    const expiresAt = new Date(now.getTime() + settings.absoluteLifetimeSeconds * 1000);
    // Never later than now: a verification is not made fresher than the sign-in that reports it.
    const verifiedAt = start.verifiedAt && start.verifiedAt < now ? start.verifiedAt : now;
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO sessions (tenant_id, member_id, token_hash, device_id, auth_method, amr, mfa, created_at, last_seen_at,
                             last_verified_at, expires_at, idle_timeout_seconds)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $11, $9, $10) RETURNING id`,
      [start.tenantId, start.memberId, secretHash(token), deviceId, start.authMethod, start.amr, start.mfa, now, expiresAt, settings.idleTimeoutSeconds, verifiedAt],
    );
    return { sessionId: rows[0]!.id, deviceId, token, expiresAt };
  }
  return { issue };
}

export type Sessions = ReturnType<typeof createSessions>;

/** R-GOV-5: the audit reason (`locked:member` or `locked:device`) when `issue` refused a locked sign-in. */
export function signInLockReason(e: unknown): string | null {
  return e instanceof WardError && e.code === 'LOCKED' && e.reasons[0]?.startsWith('locked:') ? e.reasons[0] : null;
}

/**
 * R-SESS-4: the member's device row for this key, created on first use with posture `unknown`, or
 * `managed` when the tenant trusts new devices automatically; the creation is audited either way.
 */
async function ensureDevice(
  tx: Tx,
  audit: AuditLog,
  at: { tenantId: string; memberId: string; thumbprint: string; publicJwk: JWK; sourceIp: string; trusted: boolean },
  now: Date,
): Promise<{ deviceId: string; isNew: boolean }> {
  const { rows: existing } = await tx.query<{ id: string }>(
    'UPDATE devices SET last_seen_at = $3 WHERE member_id = $1 AND thumbprint = $2 RETURNING id',
    [at.memberId, at.thumbprint, now],
  );
  if (existing[0]) return { deviceId: existing[0].id, isNew: false };
  const trusted = at.trusted;
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO devices (tenant_id, member_id, thumbprint, public_jwk, posture, posture_source, posture_updated_at, created_at, last_seen_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7) RETURNING id`,
    [at.tenantId, at.memberId, at.thumbprint, JSON.stringify(at.publicJwk), trusted ? 'managed' : 'unknown', trusted ? 'tenant:trustNewDevices' : null, now],
  );
  const deviceId = rows[0]!.id;
  await audit.append(tx, {
    tenantId: at.tenantId, actorKind: 'human', actorId: at.memberId, deviceId, sourceIp: at.sourceIp,
    action: 'device.enroll', targetType: 'device', targetId: deviceId, outcome: 'success',
    metadata: { posture: trusted ? 'managed' : 'unknown', autoTrusted: trusted },
  });
  return { deviceId, isNew: true };
}

/** Logout: the session row is revoked; the cookie no longer works on any request. */
export async function endSession(tx: Tx, sessionId: string, now: Date): Promise<void> {
  await tx.query('UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [sessionId, now]);
}

/**
 * R-SESS-1, R-AUTHN-5: revokes every live session of a member (role change, deactivation), or every
 * one but `exceptSessionId` (the session that revoked a passkey goes on); the next request of any of
 * them is refused, since every request reads the session row.
 */
export async function revokeMemberSessions(tx: Tx, memberId: string, now: Date, exceptSessionId?: string): Promise<number> {
  const { rowCount } = await tx.query('UPDATE sessions SET revoked_at = $2 WHERE member_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $3',
    [memberId, now, exceptSessionId ?? null]);
  return rowCount;
}

/**
 * R-SESS-3: a fresh user verification on this session. R-AUTHN-2: a verification that proves MFA (a
 * passkey with user verification, an IdP login with MFA) makes the session MFA from now on.
 */
export async function markVerified(tx: Tx, sessionId: string, now: Date, proved: { mfa: boolean } = { mfa: false }): Promise<void> {
  await tx.query('UPDATE sessions SET last_verified_at = $2, mfa = mfa OR $3 WHERE id = $1 AND revoked_at IS NULL', [sessionId, now, proved.mfa]);
}

/**
 * R-SESS-3: a route that needs "verified within N seconds" calls this; the page answers
 * STEP_UP_REQUIRED by running the re-verification ceremony and retrying. A session without MFA
 * (R-AUTHN-2: an IdP login with a password alone) has verified nothing a step-up stands for, however
 * recent: MFA_REQUIRED, which the page answers with a passkey step-up that makes the session MFA (as
 * the policy's `member-mfa` does for every enforced route).
 */
export function requireRecentVerification(auth: Authenticated, withinSeconds: number, now: Date): void {
  if (!auth.credential.mfa) throw new WardError('MFA_REQUIRED');
  const ageSeconds = (now.getTime() - auth.credential.lastVerifiedAt.getTime()) / 1000;
  if (!(ageSeconds <= withinSeconds)) throw new WardError('STEP_UP_REQUIRED');
}
