import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { WardError, type AuditEventInput, type Authenticated, type AuthRequest } from '@ward/contracts';
import type { Logger } from '../../logging.ts';
import type { Clock } from '../../deps.ts';
import { AUTH_LOOKUPS, type Db, type Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/append.ts';
import { memberScope } from '../sessions/authenticator.ts';
import { ProofError, type ProofVerifier, type ReplayStore, type VerifiedProof } from '../proof/index.ts';
import { createRateLimiter } from '../sessions/rate-limit.ts';
import { secretHash } from '../sessions/secrets.ts';
import { ensureDevice, markVerified, startSession } from '../sessions/sessions.ts';
import { challengeOf, CHALLENGE_TTL_SECONDS, consumeChallenge, storeChallenge, type CeremonyPurpose } from './challenges.ts';

/**
 * The passkey ceremonies (R-AUTHN-1, R-AUTHN-3, R-SESS-3), WebAuthn Level 3 through SimpleWebAuthn:
 * discoverable credentials, user verification required, the origin and RP ID from WARD_ORIGIN,
 * challenges single-use and bound to the device key, the signature counter checked after the
 * signature (a counter that does not increase flags the passkey as possibly cloned and refuses it),
 * backup flags recorded. Every success and failure is audited in the transaction that decides it;
 * a failure before any tenant is known (an unknown credential or challenge) goes to the log only.
 */
export interface CeremonyDeps {
  db: Db;
  audit: AuditLog;
  clock: Clock;
  origin: URL;
  logger: Logger;
  proofs: ProofVerifier;
  replays: ReplayStore;
  /** Ceremony requests per source address per minute (default 100) and verifications per member per 5 minutes (default 20). */
  limits?: { perIpPerMinute?: number; perMemberPer5Minutes?: number };
}

export interface SignedIn {
  token: string;
  sessionId: string;
  memberId: string;
  tenantId: string;
}

type Failure = { failed: string; memberId?: string; deviceId?: string | null };

/** The WebAuthn user handle of a member: the 16 bytes of its uuid, never an e-mail (no PII on authenticators). */
export function userHandleOf(memberId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(memberId.replace(/-/g, ''), 'hex'));
}

const userHandleText = (memberId: string) => Buffer.from(userHandleOf(memberId)).toString('base64url');

export function createPasskeyCeremonies(deps: CeremonyDeps) {
  const rpID = deps.origin.hostname;
  const expectedOrigin = deps.origin.origin;
  const perIp = createRateLimiter({ clock: deps.clock, limit: deps.limits?.perIpPerMinute ?? 100, windowSeconds: 60 });
  const perMember = createRateLimiter({ clock: deps.clock, limit: deps.limits?.perMemberPer5Minutes ?? 20, windowSeconds: 300 });

  /** R-SESS-4: the ceremonies run before any session, so the proof's jti is spent on its own. */
  async function deviceKeyOf(req: AuthRequest): Promise<VerifiedProof> {
    try {
      const proof = await deps.proofs.verify(req.headers.dpop, { method: req.method, url: req.url });
      await deps.replays.spendAlone(proof, deps.clock.now());
      return proof;
    } catch (e) {
      if (e instanceof ProofError) throw new WardError('DEVICE_PROOF_INVALID', undefined, { cause: e });
      throw e;
    }
  }

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

  // ---- Enrollment (R-AUTHN-3): the invitation's token opens a registration ceremony.

  async function enrollmentOf(token: string): Promise<{ tenantId: string; memberId: string; tokenId: string } | null> {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const [row] = await deps.db.authLookup<{ tenant_id: string; member_id: string; token_id: string }>(AUTH_LOOKUPS.enrollment, [secretHash(token)]);
    return row ? { tenantId: row.tenant_id, memberId: row.member_id, tokenId: row.token_id } : null;
  }

  const TOKEN_STATE = `
    SELECT t.expires_at > $2 AS is_live, t.consumed_at IS NULL AS is_unused, (NOT t.requires_approval OR t.approved_at IS NOT NULL) AS is_approved,
           m.email, m.display_name, m.status,
           EXISTS (SELECT 1 FROM passkey_credentials c WHERE c.member_id = m.id AND c.revoked_at IS NULL) AS has_passkey
      FROM enrollment_tokens t JOIN members m ON m.id = t.member_id WHERE t.id = $1`;

  async function tokenProblem(tx: Tx, tokenId: string, now: Date): Promise<{ problem: string | null; email: string; displayName: string }> {
    const { rows } = await tx.query<{ is_live: boolean; is_unused: boolean; is_approved: boolean; email: string; display_name: string; status: string; has_passkey: boolean }>(TOKEN_STATE, [tokenId, now]);
    const r = rows[0];
    if (!r) return { problem: 'token_unknown', email: '', displayName: '' };
    const problem = !r.is_unused ? 'token_used' : !r.is_live ? 'token_expired' : !r.is_approved ? 'approval_pending'
      : r.has_passkey ? 'member_has_passkey' : r.status === 'disabled' ? 'member_disabled' : null;
    return { problem, email: r.email, displayName: r.display_name };
  }

  function enrollmentError(problem: string): WardError {
    return new WardError(problem === 'approval_pending' ? 'ENROLLMENT_APPROVAL_PENDING' : 'ENROLLMENT_INVALID');
  }

  async function enrollOptions(req: AuthRequest, token: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    perIp.hit(`ip:${req.sourceIp}`);
    const key = await deviceKeyOf(req);
    const found = await enrollmentOf(token);
    if (!found) {
      logUnattributed('auth.enroll', 'token_unknown_used_or_expired');
      throw new WardError('ENROLLMENT_INVALID');
    }
    perMember.hit(`member:${found.memberId}`);
    const now = deps.clock.now();
    const state = await deps.db.scoped(memberScope(found.tenantId, found.memberId), async (tx) => {
      const s = await tokenProblem(tx, found.tokenId, now);
      if (s.problem) await deps.audit.append(tx, event(req, found.tenantId, found.memberId, 'auth.enroll.options', 'failure', { reasons: [s.problem], targetType: 'enrollment', targetId: found.tokenId }));
      return s;
    });
    if (state.problem) throw enrollmentError(state.problem);
    const options = await generateRegistrationOptions({
      rpName: 'Ward',
      rpID,
      userName: state.email,
      userID: userHandleOf(found.memberId),
      userDisplayName: state.displayName,
      timeout: CHALLENGE_TTL_SECONDS * 1000,
      attestationType: 'none',
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
    await storeChallenge(deps.db, options.challenge, { purpose: 'enroll', thumbprint: key.thumbprint, tenantId: found.tenantId, memberId: found.memberId });
    return options;
  }

  async function enrollVerify(req: AuthRequest, token: string, response: RegistrationResponseJSON): Promise<SignedIn> {
    perIp.hit(`ip:${req.sourceIp}`);
    const key = await deviceKeyOf(req);
    const challenge = challengeOf(response);
    const issued = await consumeChallenge(deps.db, challenge, 'enroll', key.thumbprint);
    const found = await enrollmentOf(token);
    if (!found) {
      if (issued?.tenantId && issued.memberId) await auditFailure(req, issued.tenantId, issued.memberId, 'auth.enroll', 'token_unknown_used_or_expired');
      else logUnattributed('auth.enroll', 'token_unknown_used_or_expired');
      throw new WardError('ENROLLMENT_INVALID');
    }
    perMember.hit(`member:${found.memberId}`);
    if (!issued || issued.tenantId !== found.tenantId || issued.memberId !== found.memberId) {
      await auditFailure(req, found.tenantId, found.memberId, 'auth.enroll', 'challenge_invalid');
      throw new WardError('WEBAUTHN_CHALLENGE_INVALID');
    }
    const now = deps.clock.now();
    const result = await deps.db.scoped(memberScope(found.tenantId, found.memberId), async (tx): Promise<SignedIn | Failure> => {
      const state = await tokenProblem(tx, found.tokenId, now);
      if (state.problem) return { failed: state.problem };
      let verification;
      try {
        verification = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin, expectedRPID: rpID, requireUserVerification: true });
      } catch {
        return { failed: 'response_invalid' };
      }
      if (!verification.verified || !verification.registrationInfo.userVerified) return { failed: 'response_invalid' };
      const info = verification.registrationInfo;
      const { rows: consumed } = await tx.query<{ role: string | null; created_by: string | null }>(
        `UPDATE enrollment_tokens SET consumed_at = $2
          WHERE id = $1 AND consumed_at IS NULL AND expires_at > $2 AND (NOT requires_approval OR approved_at IS NOT NULL)
          RETURNING role, created_by`, [found.tokenId, now]);
      if (!consumed[0]) return { failed: 'token_used' };
      // Any other outstanding link of this member stops working too.
      await tx.query('UPDATE enrollment_tokens SET consumed_at = $2 WHERE member_id = $1 AND consumed_at IS NULL', [found.memberId, now]);
      const { rows: cred } = await tx.query<{ id: string }>(
        `INSERT INTO passkey_credentials (tenant_id, member_id, credential_id, public_key, sign_count, transports, backup_eligible, backup_state, name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'Passkey', $9)
         ON CONFLICT (credential_id) DO NOTHING RETURNING id`,
        [found.tenantId, found.memberId, info.credential.id, Buffer.from(info.credential.publicKey), info.credential.counter,
          info.credential.transports ?? [], info.credentialDeviceType === 'multiDevice', info.credentialBackedUp, now]);
      if (!cred[0]) return { failed: 'credential_exists' };
      if (consumed[0].role) {
        await tx.query('INSERT INTO member_roles (tenant_id, member_id, role, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
          [found.tenantId, found.memberId, consumed[0].role, consumed[0].created_by, now]);
      }
      await tx.query("UPDATE members SET status = 'active', last_active_at = $2 WHERE id = $1 AND status IN ('invited', 'active')", [found.memberId, now]);
      const { deviceId } = await ensureDevice(tx, deps.audit, { tenantId: found.tenantId, memberId: found.memberId, thumbprint: key.thumbprint, publicJwk: key.publicJwk, sourceIp: req.sourceIp }, now);
      const amr = info.credentialDeviceType === 'multiDevice' ? ['swk', 'user'] : ['hwk', 'user'];
      const session = await startSession(tx, { tenantId: found.tenantId, memberId: found.memberId, deviceId, amr, sourceIp: req.sourceIp }, now);
      await deps.audit.append(tx, event(req, found.tenantId, found.memberId, 'auth.enroll', 'success', {
        sessionId: session.sessionId, deviceId, targetType: 'passkey', targetId: cred[0].id,
        metadata: { role: consumed[0].role, backupEligible: info.credentialDeviceType === 'multiDevice', backupState: info.credentialBackedUp, userVerified: true },
      }));
      return { token: session.token, sessionId: session.sessionId, memberId: found.memberId, tenantId: found.tenantId };
    });
    if ('failed' in result) {
      await auditFailure(req, found.tenantId, found.memberId, 'auth.enroll', result.failed, { targetType: 'enrollment', targetId: found.tokenId });
      throw result.failed === 'response_invalid' ? new WardError('WEBAUTHN_VERIFICATION_FAILED') : enrollmentError(result.failed);
    }
    return result;
  }

  // ---- Sign-in and step-up (R-AUTHN-1, R-SESS-3): one assertion check for both.

  const LOAD_CREDENTIAL = `
    SELECT c.id, c.member_id, c.credential_id, c.public_key, c.sign_count::text AS sign_count, c.possibly_cloned, m.status
      FROM passkey_credentials c JOIN members m ON m.id = c.member_id
     WHERE c.id = $1 AND c.revoked_at IS NULL`;
  // The counter moves forward atomically; zero stays allowed only for authenticators without one.
  const ADVANCE_COUNTER = `
    UPDATE passkey_credentials SET sign_count = $2, backup_state = $3, last_used_at = $4
     WHERE id = $1 AND revoked_at IS NULL AND NOT possibly_cloned AND (sign_count < $2 OR ($2 = 0 AND sign_count = 0))
    RETURNING backup_eligible`;

  async function checkAssertion(
    tx: Tx, response: AuthenticationResponseJSON, challenge: string, credentialRowId: string, memberId: string, now: Date,
  ): Promise<{ credentialId: string; backupEligible: boolean; backupState: boolean } | Failure> {
    const { rows } = await tx.query<{ id: string; member_id: string; credential_id: string; public_key: Uint8Array; sign_count: string; possibly_cloned: boolean; status: string }>(
      LOAD_CREDENTIAL, [credentialRowId]);
    const c = rows[0];
    if (!c || c.member_id !== memberId) return { failed: 'credential_unknown' };
    if (c.possibly_cloned) return { failed: 'credential_possibly_cloned' };
    if (c.status !== 'active' && c.status !== 'restricted') return { failed: 'member_inactive' };
    // Discoverable credentials: the user handle must name the credential's owner (R-AUTHN-1).
    if (response.response.userHandle !== userHandleText(memberId)) return { failed: 'user_handle_mismatch' };
    let verification;
    try {
      verification = await verifyAuthenticationResponse({
        response, expectedChallenge: challenge, expectedOrigin, expectedRPID: rpID, requireUserVerification: true,
        // The counter is checked below, after the signature, so that only a valid signature can flag a clone.
        credential: { id: c.credential_id, publicKey: new Uint8Array(c.public_key), counter: 0 },
      });
    } catch {
      return { failed: 'response_invalid' };
    }
    if (!verification.verified || !verification.authenticationInfo.userVerified) return { failed: 'response_invalid' };
    const info = verification.authenticationInfo;
    const { rows: advanced } = await tx.query<{ backup_eligible: boolean }>(ADVANCE_COUNTER, [c.id, info.newCounter, info.credentialBackedUp, now]);
    if (!advanced[0]) {
      // R-AUTHN-1: a signed counter that did not increase: two authenticators hold this key.
      await tx.query('UPDATE passkey_credentials SET possibly_cloned = true WHERE id = $1', [c.id]);
      return { failed: 'counter_not_increased' };
    }
    return { credentialId: c.id, backupEligible: advanced[0].backup_eligible, backupState: info.credentialBackedUp };
  }

  async function requestOptions(purpose: CeremonyPurpose, thumbprint: string, bound: { tenantId: string; memberId: string; sessionId: string } | null, allow: string[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({
      rpID,
      userVerification: 'required',
      timeout: CHALLENGE_TTL_SECONDS * 1000,
      // No transport hints: a hint that differs from the authenticator's stalls the browser.
      allowCredentials: allow.map((id) => ({ id })),
    });
    await storeChallenge(deps.db, options.challenge, { purpose, thumbprint, ...bound });
    return options;
  }

  async function signInOptions(req: AuthRequest): Promise<PublicKeyCredentialRequestOptionsJSON> {
    perIp.hit(`ip:${req.sourceIp}`);
    const key = await deviceKeyOf(req);
    return requestOptions('sign_in', key.thumbprint, null, []);
  }

  async function credentialOf(response: AuthenticationResponseJSON): Promise<{ tenantId: string; memberId: string; credentialRowId: string } | null> {
    if (typeof response?.id !== 'string' || response.id.length > 1024) return null;
    const [row] = await deps.db.authLookup<{ tenant_id: string; member_id: string; credential_row_id: string }>(AUTH_LOOKUPS.credential, [response.id]);
    return row ? { tenantId: row.tenant_id, memberId: row.member_id, credentialRowId: row.credential_row_id } : null;
  }

  async function signInVerify(req: AuthRequest, response: AuthenticationResponseJSON): Promise<SignedIn> {
    perIp.hit(`ip:${req.sourceIp}`);
    const key = await deviceKeyOf(req);
    const challenge = challengeOf(response);
    const issued = await consumeChallenge(deps.db, challenge, 'sign_in', key.thumbprint);
    const found = await credentialOf(response);
    if (!found) {
      logUnattributed('auth.sign_in', issued ? 'credential_unknown' : 'credential_unknown_and_challenge_invalid');
      throw new WardError('WEBAUTHN_VERIFICATION_FAILED');
    }
    perMember.hit(`member:${found.memberId}`);
    if (!issued) {
      await auditFailure(req, found.tenantId, found.memberId, 'auth.sign_in', 'challenge_invalid', { targetType: 'passkey', targetId: found.credentialRowId });
      throw new WardError('WEBAUTHN_CHALLENGE_INVALID');
    }
    const now = deps.clock.now();
    const result = await deps.db.scoped(memberScope(found.tenantId, found.memberId), async (tx): Promise<SignedIn | Failure> => {
      const checked = await checkAssertion(tx, response, challenge, found.credentialRowId, found.memberId, now);
      if ('failed' in checked) {
        // Audited in this transaction, so that a clone flag and its record commit together.
        await deps.audit.append(tx, event(req, found.tenantId, found.memberId, 'auth.sign_in', 'failure', { reasons: [checked.failed], targetType: 'passkey', targetId: found.credentialRowId }));
        return checked;
      }
      await tx.query('UPDATE members SET last_active_at = $2 WHERE id = $1', [found.memberId, now]);
      const { deviceId } = await ensureDevice(tx, deps.audit, { tenantId: found.tenantId, memberId: found.memberId, thumbprint: key.thumbprint, publicJwk: key.publicJwk, sourceIp: req.sourceIp }, now);
      const amr = checked.backupEligible ? ['swk', 'user'] : ['hwk', 'user'];
      const session = await startSession(tx, { tenantId: found.tenantId, memberId: found.memberId, deviceId, amr, sourceIp: req.sourceIp }, now);
      await deps.audit.append(tx, event(req, found.tenantId, found.memberId, 'auth.sign_in', 'success', {
        sessionId: session.sessionId, deviceId, targetType: 'passkey', targetId: checked.credentialId,
        metadata: { backupEligible: checked.backupEligible, backupState: checked.backupState, userVerified: true },
      }));
      return { token: session.token, sessionId: session.sessionId, memberId: found.memberId, tenantId: found.tenantId };
    });
    if ('failed' in result) throw new WardError('WEBAUTHN_VERIFICATION_FAILED');
    return result;
  }

  async function stepUpOptions(req: AuthRequest, auth: Authenticated): Promise<PublicKeyCredentialRequestOptionsJSON> {
    perIp.hit(`ip:${req.sourceIp}`);
    perMember.hit(`member:${auth.principal.id}`);
    const credentials = await deps.db.scoped(memberScope(auth.principal.tenantId, auth.principal.id), async (tx) =>
      (await tx.query<{ credential_id: string }>('SELECT credential_id FROM passkey_credentials WHERE member_id = $1 AND revoked_at IS NULL AND NOT possibly_cloned', [auth.principal.id])).rows);
    if (credentials.length === 0) throw new WardError('WEBAUTHN_VERIFICATION_FAILED');
    return requestOptions('step_up', auth.device!.thumbprint, { tenantId: auth.principal.tenantId, memberId: auth.principal.id, sessionId: auth.session.id }, credentials.map((c) => c.credential_id));
  }

  async function stepUpVerify(req: AuthRequest, auth: Authenticated, response: AuthenticationResponseJSON): Promise<{ lastVerifiedAt: Date }> {
    perIp.hit(`ip:${req.sourceIp}`);
    perMember.hit(`member:${auth.principal.id}`);
    const { tenantId, id: memberId } = auth.principal;
    const audited = { sessionId: auth.session.id, deviceId: auth.device?.id ?? null };
    const challenge = challengeOf(response);
    const issued = await consumeChallenge(deps.db, challenge, 'step_up', auth.device!.thumbprint);
    if (!issued || issued.sessionId !== auth.session.id || issued.memberId !== memberId) {
      await auditFailure(req, tenantId, memberId, 'auth.step_up', 'challenge_invalid', audited);
      throw new WardError('WEBAUTHN_CHALLENGE_INVALID');
    }
    const found = await credentialOf(response);
    const now = deps.clock.now();
    const result = await deps.db.scoped(memberScope(tenantId, memberId), async (tx): Promise<{ lastVerifiedAt: Date } | Failure> => {
      const checked = found && found.memberId === memberId && found.tenantId === tenantId
        ? await checkAssertion(tx, response, challenge, found.credentialRowId, memberId, now)
        : { failed: 'credential_unknown' };
      if ('failed' in checked) {
        await deps.audit.append(tx, event(req, tenantId, memberId, 'auth.step_up', 'failure', { ...audited, reasons: [checked.failed] }));
        return checked;
      }
      await markVerified(tx, auth.session.id, now);
      await deps.audit.append(tx, event(req, tenantId, memberId, 'auth.step_up', 'success', { ...audited, targetType: 'passkey', targetId: checked.credentialId }));
      return { lastVerifiedAt: now };
    });
    if ('failed' in result) throw new WardError('WEBAUTHN_VERIFICATION_FAILED');
    return result;
  }

  return { enrollOptions, enrollVerify, signInOptions, signInVerify, stepUpOptions, stepUpVerify };
}

export type PasskeyCeremonies = ReturnType<typeof createPasskeyCeremonies>;
