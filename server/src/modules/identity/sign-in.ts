import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { WardError, type AuthRequest } from '@ward/contracts';
import { memberScope, signInLockReason, sourceKey } from '../sessions/index.ts';
import { passkeyAmr, type CeremonyContext, type Failure, type SignedIn } from './ceremony.ts';
import { challengeOf, consumeChallenge } from './challenges.ts';
import { passkeyStore } from './passkey-store.ts';
import { noteRecoveryPasskeyUse } from './recovery.ts';

/**
 * Sign-in (R-AUTHN-1): usernameless options, then a verified assertion with user verification issues
 * a session bound to the device key that asked for the challenge.
 */
export function createSignInCeremony(c: CeremonyContext) {
  const { deps } = c;

  async function signInOptions(req: AuthRequest): Promise<PublicKeyCredentialRequestOptionsJSON> {
    await deps.limits.perIp.hit(sourceKey(req.sourceIp));
    const key = await c.deviceKeyOf(req);
    return c.requestOptions('sign_in', key.thumbprint, null, []);
  }

  async function signInVerify(req: AuthRequest, response: AuthenticationResponseJSON): Promise<SignedIn> {
    await deps.limits.perIp.hit(sourceKey(req.sourceIp));
    const key = await c.deviceKeyOf(req);
    const challenge = challengeOf(response);
    const issued = await consumeChallenge(deps.db, challenge, 'sign_in', key.thumbprint);
    const found = await c.credentialOf(response);
    // An invalid challenge answers alike whether the credential id is known or not, so that the answer
    // never tells a credential id that exists from one that does not (docs/threat-model.md).
    if (!issued) {
      if (found) {
        await deps.limits.perMember.hit(`member:${found.memberId}`);
        await c.auditFailure(req, found.tenantId, found.memberId, 'auth.sign_in', 'challenge_invalid', { targetType: 'passkey', targetId: found.credentialRowId });
      } else c.logUnattributed('auth.sign_in', 'credential_unknown_and_challenge_invalid');
      throw new WardError('WEBAUTHN_CHALLENGE_INVALID');
    }
    if (!found) {
      c.logUnattributed('auth.sign_in', 'credential_unknown');
      throw new WardError('WEBAUTHN_VERIFICATION_FAILED');
    }
    await deps.limits.perMember.hit(`member:${found.memberId}`);
    const now = deps.clock.now();
    const result = await deps.db.scoped(memberScope(found.tenantId, found.memberId), async (tx): Promise<SignedIn | Failure> => {
      const checked = await c.checkAssertion(tx, response, challenge, found.credentialRowId, found.memberId, now);
      if ('failed' in checked) {
        // Audited in this transaction, so that a clone flag and its record commit together.
        await deps.audit.append(tx, c.event(req, found.tenantId, found.memberId, 'auth.sign_in', 'failure', { reasons: [checked.failed], targetType: 'passkey', targetId: found.credentialRowId }));
        return checked;
      }
      await passkeyStore.touchMember(tx, found.memberId, now);
      // R-AUTHN-1, R-AUTHN-2: a passkey with user verification is two factors (possession and inherence).
      const session = await deps.sessions.issue(tx, {
        tenantId: found.tenantId, memberId: found.memberId, authMethod: 'passkey', amr: passkeyAmr(checked.backupEligible), mfa: true,
        deviceKey: { thumbprint: key.thumbprint, publicJwk: key.publicJwk }, sourceIp: req.sourceIp,
      });
      await deps.audit.append(tx, c.event(req, found.tenantId, found.memberId, 'auth.sign_in', 'success', {
        sessionId: session.sessionId, deviceId: session.deviceId, targetType: 'passkey', targetId: checked.credentialId,
        metadata: { backupEligible: checked.backupEligible, backupState: checked.backupState, userVerified: true },
      }));
      // R-AUTHN-4: a restricted member's new passkey used from a managed device (the condition of the lift).
      if (checked.memberStatus === 'restricted') {
        await noteRecoveryPasskeyUse(tx, deps.audit, { tenantId: found.tenantId, memberId: found.memberId, credentialRowId: checked.credentialId, deviceId: session.deviceId, sessionId: session.sessionId, sourceIp: req.sourceIp }, now);
      }
      return { token: session.token, sessionId: session.sessionId, memberId: found.memberId, tenantId: found.tenantId };
    }).catch(async (e: unknown) => {
      // R-GOV-5: a locked member or device gets no session; nothing of the ceremony was kept.
      const locked = signInLockReason(e);
      if (locked) await c.auditFailure(req, found.tenantId, found.memberId, 'auth.sign_in', locked, { targetType: 'passkey', targetId: found.credentialRowId });
      throw e;
    });
    if ('failed' in result) throw new WardError('WEBAUTHN_VERIFICATION_FAILED');
    return result;
  }

  return { signInOptions, signInVerify };
}
