import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { WardError, type AuthRequest } from '@ward/contracts';
import { AUTH_LOOKUPS, type Tx } from '../../db/types.ts';
import { memberScope, secretHash, signInLockReason, sourceKey } from '../sessions/index.ts';
import { passkeyAmr, type CeremonyContext, type Failure, type SignedIn } from './ceremony.ts';
import { challengeOf, consumeChallenge } from './challenges.ts';
import { passkeyStore } from './passkey-store.ts';

/**
 * Enrollment (R-AUTHN-3, R-AUTHN-1): the invitation's one-time token opens a registration ceremony;
 * a verified registration with user verification stores the passkey, consumes the link, activates
 * the member and issues the first session, in one transaction. It grants nothing: roles are granted
 * when the invitation is decided (or approved), never by enrolling (identity/grants.ts).
 */
export function createEnrollCeremony(c: CeremonyContext) {
  const { deps } = c;

  async function enrollmentOf(token: string): Promise<{ tenantId: string; memberId: string; tokenId: string } | null> {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const [row] = await deps.db.authLookup<{ tenant_id: string; member_id: string; token_id: string }>(AUTH_LOOKUPS.enrollment, [secretHash(token)]);
    return row ? { tenantId: row.tenant_id, memberId: row.member_id, tokenId: row.token_id } : null;
  }

  async function tokenProblem(tx: Tx, tokenId: string, now: Date): Promise<{ problem: string | null; email: string; displayName: string }> {
    const r = await passkeyStore.enrollmentState(tx, tokenId, now);
    if (!r) return { problem: 'token_unknown', email: '', displayName: '' };
    const problem = !r.isUnused ? 'token_used' : !r.isLive ? 'token_expired' : !r.isApproved ? 'approval_pending'
      : r.hasPasskey ? 'member_has_passkey' : r.status === 'disabled' ? 'member_disabled' : null;
    return { problem, email: r.email, displayName: r.displayName };
  }

  function enrollmentError(problem: string): WardError {
    return new WardError(problem === 'approval_pending' ? 'ENROLLMENT_APPROVAL_PENDING' : 'ENROLLMENT_INVALID');
  }

  async function enrollOptions(req: AuthRequest, token: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    await deps.limits.perIp.hit(sourceKey(req.sourceIp));
    const key = await c.deviceKeyOf(req);
    const found = await enrollmentOf(token);
    if (!found) {
      c.logUnattributed('auth.enroll', 'token_unknown_used_or_expired');
      throw new WardError('ENROLLMENT_INVALID');
    }
    await deps.limits.perMember.hit(`member:${found.memberId}`);
    const now = deps.clock.now();
    const state = await deps.db.scoped(memberScope(found.tenantId, found.memberId), async (tx) => {
      const s = await tokenProblem(tx, found.tokenId, now);
      if (s.problem) await deps.audit.append(tx, c.event(req, found.tenantId, found.memberId, 'auth.enroll.options', 'failure', { reasons: [s.problem], targetType: 'enrollment', targetId: found.tokenId }));
      return s;
    });
    if (state.problem) throw enrollmentError(state.problem);
    return c.creationOptions('enroll', key.thumbprint, { tenantId: found.tenantId, memberId: found.memberId, email: state.email, displayName: state.displayName });
  }

  async function enrollVerify(req: AuthRequest, token: string, response: RegistrationResponseJSON): Promise<SignedIn> {
    await deps.limits.perIp.hit(sourceKey(req.sourceIp));
    const key = await c.deviceKeyOf(req);
    const challenge = challengeOf(response);
    const issued = await consumeChallenge(deps.db, challenge, 'enroll', key.thumbprint);
    const found = await enrollmentOf(token);
    if (!found) {
      if (issued?.tenantId && issued.memberId) await c.auditFailure(req, issued.tenantId, issued.memberId, 'auth.enroll', 'token_unknown_used_or_expired');
      else c.logUnattributed('auth.enroll', 'token_unknown_used_or_expired');
      throw new WardError('ENROLLMENT_INVALID');
    }
    await deps.limits.perMember.hit(`member:${found.memberId}`);
    if (!issued || issued.tenantId !== found.tenantId || issued.memberId !== found.memberId) {
      await c.auditFailure(req, found.tenantId, found.memberId, 'auth.enroll', 'challenge_invalid');
      throw new WardError('WEBAUTHN_CHALLENGE_INVALID');
    }
    const now = deps.clock.now();
    const result = await deps.db.scoped(memberScope(found.tenantId, found.memberId), async (tx): Promise<SignedIn | Failure> => {
      const state = await tokenProblem(tx, found.tokenId, now);
      if (state.problem) return { failed: state.problem };
      let consumed: { role: string | null } | null = null;
      const stored = await c.registerPasskey(tx, response, challenge, found, now, async () => {
        consumed = await passkeyStore.consumeEnrollment(tx, found.tokenId, found.memberId, now);
        return consumed ? null : 'token_used';
      });
      if ('failed' in stored) return stored;
      const { credentialRowId, backupEligible, backupState } = stored;
      await passkeyStore.activateMember(tx, found.memberId, now);
      // R-AUTHN-1, R-AUTHN-2: a passkey with user verification is two factors (possession and inherence).
      const session = await deps.sessions.issue(tx, {
        tenantId: found.tenantId, memberId: found.memberId, authMethod: 'passkey', amr: passkeyAmr(backupEligible), mfa: true,
        deviceKey: { thumbprint: key.thumbprint, publicJwk: key.publicJwk }, sourceIp: req.sourceIp,
      });
      await deps.audit.append(tx, c.event(req, found.tenantId, found.memberId, 'auth.enroll', 'success', {
        sessionId: session.sessionId, deviceId: session.deviceId, targetType: 'passkey', targetId: credentialRowId,
        metadata: { role: (consumed as { role: string | null } | null)?.role ?? null, backupEligible, backupState, userVerified: true },
      }));
      return { token: session.token, sessionId: session.sessionId, memberId: found.memberId, tenantId: found.tenantId };
    }).catch(async (e: unknown) => {
      // R-GOV-5: a locked member or device gets no session; nothing of the ceremony was kept.
      const locked = signInLockReason(e);
      if (locked) await c.auditFailure(req, found.tenantId, found.memberId, 'auth.enroll', locked, { targetType: 'enrollment', targetId: found.tokenId });
      throw e;
    });
    if ('failed' in result) {
      await c.auditFailure(req, found.tenantId, found.memberId, 'auth.enroll', result.failed, { targetType: 'enrollment', targetId: found.tokenId });
      throw result.failed === 'response_invalid' ? new WardError('WEBAUTHN_VERIFICATION_FAILED') : enrollmentError(result.failed);
    }
    return result;
  }

  return { enrollOptions, enrollVerify };
}
