import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { WardError, type AuthRequest } from '@ward/contracts';
import { markVerified, memberScope, sourceKey } from '../sessions/index.ts';
import type { CeremonyContext, Failure } from './ceremony.ts';
import { challengeOf, consumeChallenge } from './challenges.ts';
import { passkeyStore } from './passkey-store.ts';
import { noteRecoveryPasskeyUse } from './recovery.ts';

/** Who steps up: a person's browser session and the device key it is bound to. */
export interface StepUpCaller {
  tenantId: string;
  memberId: string;
  sessionId: string;
  deviceId: string;
  thumbprint: string;
}

/**
 * Step-up (R-SESS-3): a fresh user verification on the current session, with one of the member's own
 * passkeys, from the device the session is bound to; it moves `last_verified_at`.
 */
export function createStepUpCeremony(c: CeremonyContext) {
  const { deps } = c;

  async function stepUpOptions(req: AuthRequest, who: StepUpCaller): Promise<PublicKeyCredentialRequestOptionsJSON> {
    await deps.limits.perIp.hit(sourceKey(req.sourceIp));
    await deps.limits.perMember.hit(`member:${who.memberId}`);
    const credentials = await deps.db.scoped(memberScope(who.tenantId, who.memberId), (tx) => passkeyStore.usableCredentialIds(tx, who.memberId));
    if (credentials.length === 0) throw new WardError('WEBAUTHN_VERIFICATION_FAILED');
    return c.requestOptions('step_up', who.thumbprint, { tenantId: who.tenantId, memberId: who.memberId, sessionId: who.sessionId }, credentials);
  }

  async function stepUpVerify(req: AuthRequest, who: StepUpCaller, response: AuthenticationResponseJSON): Promise<{ lastVerifiedAt: Date }> {
    await deps.limits.perIp.hit(sourceKey(req.sourceIp));
    await deps.limits.perMember.hit(`member:${who.memberId}`);
    const { tenantId, memberId } = who;
    const audited = { sessionId: who.sessionId, deviceId: who.deviceId };
    const challenge = challengeOf(response);
    const issued = await consumeChallenge(deps.db, challenge, 'step_up', who.thumbprint);
    if (!issued || issued.sessionId !== who.sessionId || issued.memberId !== memberId) {
      await c.auditFailure(req, tenantId, memberId, 'auth.step_up', 'challenge_invalid', audited);
      throw new WardError('WEBAUTHN_CHALLENGE_INVALID');
    }
    const found = await c.credentialOf(response);
    const now = deps.clock.now();
    const result = await deps.db.scoped(memberScope(tenantId, memberId), async (tx): Promise<{ lastVerifiedAt: Date } | Failure> => {
      const checked = found && found.memberId === memberId && found.tenantId === tenantId
        ? await c.checkAssertion(tx, response, challenge, found.credentialRowId, memberId, now)
        : { failed: 'credential_unknown' };
      if ('failed' in checked) {
        await deps.audit.append(tx, c.event(req, tenantId, memberId, 'auth.step_up', 'failure', { ...audited, reasons: [checked.failed] }));
        return checked;
      }
      // R-AUTHN-2: a passkey with user verification is two factors: an SSO session without MFA gains it here.
      await markVerified(tx, who.sessionId, now, { mfa: true });
      await deps.audit.append(tx, c.event(req, tenantId, memberId, 'auth.step_up', 'success', { ...audited, targetType: 'passkey', targetId: checked.credentialId }));
      // R-AUTHN-4: a restricted member's new passkey used from a managed device (the condition of the lift).
      if (checked.memberStatus === 'restricted') {
        await noteRecoveryPasskeyUse(tx, deps.audit, { tenantId, memberId, credentialRowId: checked.credentialId, deviceId: who.deviceId, sessionId: who.sessionId, sourceIp: req.sourceIp }, now);
      }
      return { lastVerifiedAt: now };
    });
    if ('failed' in result) throw new WardError('WEBAUTHN_VERIFICATION_FAILED');
    return result;
  }

  return { stepUpOptions, stepUpVerify };
}
