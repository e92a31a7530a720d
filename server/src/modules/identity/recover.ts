import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { WardError, type AuthRequest } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import { AUTH_LOOKUPS, type Tx } from '../../db/types.ts';
import { memberScope, revokeMemberSessions, secretHash, signInLockReason, sourceKey } from '../sessions/index.ts';
import { passkeyAmr, type CeremonyContext, type Failure, type SignedIn } from './ceremony.ts';
import { challengeOf, consumeChallenge } from './challenges.ts';

/**
 * The recovery link's ceremony (R-AUTHN-4, R-AUTHN-1): an approved recovery's one-time link (15
 * minutes) opens a registration ceremony; a verified registration with user verification stores the
 * new passkey, uses up the link, revokes every other passkey and every live session of the member,
 * makes the account `restricted` and issues a (restricted) session on this device, in one transaction.
 * The challenge is an `add_passkey` one, bound to the member and the device key.
 */
export function createRecoverCeremony(c: CeremonyContext) {
  const { deps } = c;

  async function recoveryOf(token: string): Promise<{ tenantId: string; memberId: string; recoveryId: string } | null> {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const [row] = await deps.db.authLookup<{ tenant_id: string; member_id: string; recovery_id: string }>(AUTH_LOOKUPS.recovery, [secretHash(token)]);
    return row ? { tenantId: row.tenant_id, memberId: row.member_id, recoveryId: row.recovery_id } : null;
  }

  /** Why the link cannot be used now (on the server's clock), or null; and whom it names. */
  async function linkProblem(tx: Tx, recoveryId: string, now: Date): Promise<{ problem: string | null; email: string; displayName: string }> {
    const { rows } = await tx.query<{ state: string; is_used: boolean; is_expired: boolean; email: string; display_name: string; status: string }>(
      `SELECT r.state, r.link_used_at IS NOT NULL AS is_used, r.link_expires_at <= $2 AS is_expired, m.email, m.display_name, m.status
         FROM member_recoveries r JOIN members m ON m.id = r.member_id WHERE r.id = $1`, [recoveryId, now]);
    const r = rows[0];
    if (!r) return { problem: 'link_unknown', email: '', displayName: '' };
    const problem = r.is_used ? 'link_used' : r.state !== 'approved' ? 'not_approved' : r.is_expired ? 'link_expired'
      : r.status !== 'active' && r.status !== 'restricted' ? 'member_inactive' : null;
    return { problem, email: r.email, displayName: r.display_name };
  }

  async function recoverOptions(req: AuthRequest, token: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    await deps.limits.perIp.hit(sourceKey(req.sourceIp));
    const key = await c.deviceKeyOf(req);
    const found = await recoveryOf(token);
    if (!found) {
      c.logUnattributed('auth.recover', 'link_unknown');
      throw new WardError('RECOVERY_LINK_INVALID');
    }
    await deps.limits.perMember.hit(`member:${found.memberId}`);
    const now = deps.clock.now();
    const state = await deps.db.scoped(memberScope(found.tenantId, found.memberId), async (tx) => {
      const s = await linkProblem(tx, found.recoveryId, now);
      if (s.problem) await deps.audit.append(tx, c.event(req, found.tenantId, found.memberId, 'auth.recover.options', 'failure', { reasons: [s.problem], targetType: 'recovery', targetId: found.recoveryId }));
      return s;
    });
    if (state.problem) throw new WardError('RECOVERY_LINK_INVALID');
    return c.creationOptions('add_passkey', key.thumbprint, { tenantId: found.tenantId, memberId: found.memberId, email: state.email, displayName: state.displayName });
  }

  async function recoverVerify(req: AuthRequest, token: string, response: RegistrationResponseJSON): Promise<SignedIn> {
    await deps.limits.perIp.hit(sourceKey(req.sourceIp));
    const key = await c.deviceKeyOf(req);
    const challenge = challengeOf(response);
    const issued = await consumeChallenge(deps.db, challenge, 'add_passkey', key.thumbprint);
    const found = await recoveryOf(token);
    if (!found) {
      if (issued?.tenantId && issued.memberId) await c.auditFailure(req, issued.tenantId, issued.memberId, 'auth.recover', 'link_unknown');
      else c.logUnattributed('auth.recover', 'link_unknown');
      throw new WardError('RECOVERY_LINK_INVALID');
    }
    await deps.limits.perMember.hit(`member:${found.memberId}`);
    const target = { targetType: 'recovery', targetId: found.recoveryId };
    if (!issued || issued.tenantId !== found.tenantId || issued.memberId !== found.memberId) {
      await c.auditFailure(req, found.tenantId, found.memberId, 'auth.recover', 'challenge_invalid', target);
      throw new WardError('WEBAUTHN_CHALLENGE_INVALID');
    }
    const now = deps.clock.now();
    const result = await deps.db.scoped(memberScope(found.tenantId, found.memberId), async (tx): Promise<SignedIn | Failure> => {
      const state = await linkProblem(tx, found.recoveryId, now);
      if (state.problem) return { failed: state.problem };
      const stored = await c.registerPasskey(tx, response, challenge, found, now);
      if ('failed' in stored) return stored;
      const { credentialRowId, backupEligible } = stored;
      let revokedPasskeys: number;
      try {
        // The link is used up, the other passkeys revoked and the account restricted, in SQL (0025).
        const { rows } = await tx.query<{ revoked: number }>('SELECT ward_recovery_register($1, $2, $3) AS revoked', [found.recoveryId, credentialRowId, now]);
        revokedPasskeys = rows[0]!.revoked;
      } catch (e) {
        return rethrowRefusal(e, { already_decided: 'RECOVERY_LINK_INVALID', not_found: 'RECOVERY_LINK_INVALID', not_permitted: 'RECOVERY_LINK_INVALID' });
      }
      // R-SESS-1, R-AUTHN-5: whoever held the lost device holds no session any more.
      const revokedSessions = await revokeMemberSessions(tx, found.memberId, now);
      const session = await deps.sessions.issue(tx, {
        tenantId: found.tenantId, memberId: found.memberId, authMethod: 'passkey', amr: passkeyAmr(backupEligible), mfa: true,
        deviceKey: { thumbprint: key.thumbprint, publicJwk: key.publicJwk }, sourceIp: req.sourceIp,
      });
      await deps.audit.append(tx, c.event(req, found.tenantId, found.memberId, 'auth.recover', 'success', {
        sessionId: session.sessionId, deviceId: session.deviceId, targetType: 'passkey', targetId: credentialRowId,
        metadata: { recoveryId: found.recoveryId, revokedPasskeys, revokedSessions, status: 'restricted', backupEligible, userVerified: true },
      }));
      return { token: session.token, sessionId: session.sessionId, memberId: found.memberId, tenantId: found.tenantId };
    }).catch(async (e: unknown) => {
      // R-GOV-5: a locked member or device gets no session; nothing of the ceremony was kept.
      const locked = signInLockReason(e);
      if (locked) await c.auditFailure(req, found.tenantId, found.memberId, 'auth.recover', locked, target);
      throw e;
    });
    if ('failed' in result) {
      await c.auditFailure(req, found.tenantId, found.memberId, 'auth.recover', result.failed, target);
      throw result.failed === 'response_invalid' ? new WardError('WEBAUTHN_VERIFICATION_FAILED') : new WardError('RECOVERY_LINK_INVALID');
    }
    return result;
  }

  return { recoverOptions, recoverVerify };
}
