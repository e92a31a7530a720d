import type {
  AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { type AuditEventInput, type AuthRequest } from '@ward/contracts';
import type { Logger } from '../../logging.ts';
import { AUTH_LOOKUPS, type Db, type Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { proveDevice, type ProofVerifier, type ReplayStore, type VerifiedProof } from '../proof/index.ts';
import { memberScope, type RateLimiter, type Sessions } from '../sessions/index.ts';
import { CHALLENGE_TTL_SECONDS, storeChallenge, type CeremonyPurpose } from './challenges.ts';
import { passkeyStore } from './passkey-store.ts';

/**
 * SimpleWebAuthn is loaded with the first ceremony, not with the server (some seventy modules that
 * every process building the app paid for at start); a failure to load it fails the ceremony.
 */
let webauthnModule: Promise<typeof import('@simplewebauthn/server')> | undefined;
const webauthn = () => (webauthnModule ??= import('@simplewebauthn/server'));

/**
 * What the three passkey ceremonies (enroll.ts, sign-in.ts, step-up.ts) share (R-AUTHN-1): WebAuthn
 * Level 3 through SimpleWebAuthn, discoverable credentials, user verification required, the origin and
 * RP ID from WARD_ORIGIN, challenges single-use and bound to the device key, the signature counter
 * checked after the signature. Every success and failure is audited in the transaction that decides
 * it; a failure before any tenant is known goes to the log only.
 */
export interface CeremonyDeps {
  db: Db;
  audit: AuditLog;
  clock: { now(): Date };
  origin: URL;
  logger: Logger;
  proofs: ProofVerifier;
  replays: ReplayStore;
  sessions: Sessions;
  /** Ceremony requests per source address per minute and verifications per member per 5 minutes (R-MON-1). */
  limits: { perIp: RateLimiter; perMember: RateLimiter };
}

export interface SignedIn {
  token: string;
  sessionId: string;
  memberId: string;
  tenantId: string;
}

export type Failure = { failed: string };

/** The WebAuthn user handle of a member: the 16 bytes of its uuid, never an e-mail (no PII on authenticators). */
export function userHandleOf(memberId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(memberId.replace(/-/g, ''), 'hex'));
}

const userHandleText = (memberId: string) => Buffer.from(userHandleOf(memberId)).toString('base64url');

/** RFC 8176 amr of a passkey with user verification: hardware-bound, or a synced (software) key. */
export const passkeyAmr = (backupEligible: boolean): string[] => (backupEligible ? ['swk', 'user'] : ['hwk', 'user']);

export function createCeremonyContext(deps: CeremonyDeps) {
  const rpID = deps.origin.hostname;
  const expectedOrigin = deps.origin.origin;

  /** R-SESS-4: a ceremony runs before any session, so its proof's jti is spent on its own. */
  const deviceKeyOf = (req: AuthRequest): Promise<VerifiedProof> => proveDevice(deps, req);

  function event(req: AuthRequest, tenantId: string, memberId: string, action: string, outcome: AuditEventInput['outcome'], extra: Partial<AuditEventInput> = {}): AuditEventInput {
    return { tenantId, actorKind: 'human', actorId: memberId, sourceIp: req.sourceIp, action, outcome, ...extra };
  }

  /** A failure of a ceremony whose tenant is known, audited in a transaction of its own. */
  async function auditFailure(req: AuthRequest, tenantId: string, memberId: string, action: string, reason: string, extra: Partial<AuditEventInput> = {}): Promise<void> {
    await deps.db.scoped(memberScope(tenantId, memberId), (tx) => deps.audit.append(tx, event(req, tenantId, memberId, action, 'failure', { reasons: [reason], ...extra })));
  }

  /** A failure before any tenant is known: no audit table to write to, so the log (no secrets). */
  function logUnattributed(action: string, reason: string): void {
    deps.logger.warn({ securityEvent: action, reason }, 'authentication ceremony refused before a tenant was known');
  }

  async function credentialOf(response: AuthenticationResponseJSON): Promise<{ tenantId: string; memberId: string; credentialRowId: string } | null> {
    if (typeof response?.id !== 'string' || response.id.length > 1024) return null;
    const [row] = await deps.db.authLookup<{ tenant_id: string; member_id: string; credential_row_id: string }>(AUTH_LOOKUPS.credential, [response.id]);
    return row ? { tenantId: row.tenant_id, memberId: row.member_id, credentialRowId: row.credential_row_id } : null;
  }

  /** Sign-in and step-up: one assertion check for both. */
  async function checkAssertion(
    tx: Tx, response: AuthenticationResponseJSON, challenge: string, credentialRowId: string, memberId: string, now: Date,
  ): Promise<{ credentialId: string; backupEligible: boolean; backupState: boolean; memberStatus: string } | Failure> {
    const c = await passkeyStore.loadCredential(tx, credentialRowId);
    if (!c || c.memberId !== memberId) return { failed: 'credential_unknown' };
    if (c.possiblyCloned) return { failed: 'credential_possibly_cloned' };
    if (c.memberStatus !== 'active' && c.memberStatus !== 'restricted') return { failed: 'member_inactive' };
    // Discoverable credentials: the user handle must name the credential's owner (R-AUTHN-1).
    if (response.response.userHandle !== userHandleText(memberId)) return { failed: 'user_handle_mismatch' };
    let verification;
    try {
      verification = await (await webauthn()).verifyAuthenticationResponse({
        response, expectedChallenge: challenge, expectedOrigin, expectedRPID: rpID, requireUserVerification: true,
        // The counter is checked below, after the signature, so that only a valid signature can flag a clone.
        credential: { id: c.credentialId, publicKey: new Uint8Array(c.publicKey), counter: 0 },
      });
    } catch {
      return { failed: 'response_invalid' };
    }
    if (!verification.verified || !verification.authenticationInfo.userVerified) return { failed: 'response_invalid' };
    const info = verification.authenticationInfo;
    const advanced = await passkeyStore.advanceCounter(tx, c.id, info.newCounter, info.credentialBackedUp, now);
    if (!advanced) {
      // R-AUTHN-1: a signed counter that did not increase: two authenticators hold this key.
      await passkeyStore.flagPossiblyCloned(tx, c.id);
      return { failed: 'counter_not_increased' };
    }
    return { credentialId: c.id, backupEligible: advanced.backupEligible, backupState: info.credentialBackedUp, memberStatus: c.memberStatus };
  }

  async function requestOptions(purpose: CeremonyPurpose, thumbprint: string, bound: { tenantId: string; memberId: string; sessionId: string } | null, allow: string[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await (await webauthn()).generateAuthenticationOptions({
      rpID,
      userVerification: 'required',
      timeout: CHALLENGE_TTL_SECONDS * 1000,
      // No transport hints: a hint that differs from the authenticator's stalls the browser.
      allowCredentials: allow.map((id) => ({ id })),
    });
    await storeChallenge(deps.db, options.challenge, { purpose, thumbprint, ...bound });
    return options;
  }

  /** Enrollment and recovery: registration options for one member, the challenge bound to them and the device key. */
  async function creationOptions(purpose: 'enroll' | 'add_passkey', thumbprint: string, who: { tenantId: string; memberId: string; email: string; displayName: string }): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const options = await (await webauthn()).generateRegistrationOptions({
      rpName: 'Ward',
      rpID,
      userName: who.email,
      userID: userHandleOf(who.memberId),
      userDisplayName: who.displayName,
      timeout: CHALLENGE_TTL_SECONDS * 1000,
      attestationType: 'none',
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
    await storeChallenge(deps.db, options.challenge, { purpose, thumbprint, tenantId: who.tenantId, memberId: who.memberId });
    return options;
  }

  /**
   * Enrollment and recovery: a verified registration with user verification, the passkey stored; its
   * row id. `gate` runs between the verification and the store (enrollment consumes its link there,
   * so that a failed verification leaves the link usable) and may refuse with a reason.
   */
  async function registerPasskey(
    tx: Tx, response: RegistrationResponseJSON, challenge: string, who: { tenantId: string; memberId: string }, now: Date,
    gate: () => Promise<string | null> = async () => null,
  ): Promise<{ credentialRowId: string; backupEligible: boolean; backupState: boolean } | Failure> {
    let verification;
    try {
      verification = await (await webauthn()).verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin, expectedRPID: rpID, requireUserVerification: true });
    } catch {
      return { failed: 'response_invalid' };
    }
    if (!verification.verified || !verification.registrationInfo.userVerified) return { failed: 'response_invalid' };
    const info = verification.registrationInfo;
    const refused = await gate();
    if (refused) return { failed: refused };
    const backupEligible = info.credentialDeviceType === 'multiDevice';
    const credentialRowId = await passkeyStore.insertCredential(tx, {
      tenantId: who.tenantId, memberId: who.memberId, credentialId: info.credential.id, publicKey: info.credential.publicKey,
      counter: info.credential.counter, transports: info.credential.transports ?? [], backupEligible, backupState: info.credentialBackedUp,
    }, now);
    return credentialRowId ? { credentialRowId, backupEligible, backupState: info.credentialBackedUp } : { failed: 'credential_exists' };
  }

  return { deps, rpID, expectedOrigin, deviceKeyOf, event, auditFailure, logUnattributed, credentialOf, checkAssertion, requestOptions, creationOptions, registerPasskey };
}

export type CeremonyContext = ReturnType<typeof createCeremonyContext>;
