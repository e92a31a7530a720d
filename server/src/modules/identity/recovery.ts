import { randomUUID } from 'node:crypto';
import { WardError, type AuditEventInput, type ErrorCode } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { newSecret, secretHash } from '../sessions/index.ts';

/**
 * Lost-device recovery (R-AUTHN-4, R-AUTHZ-5): two people, then a restricted state.
 * 1. An Owner or Admin opens a recovery for another member, recording how identity was re-verified
 *    (`verifiedBy`, a code) and a note, encrypted under the tenant's key (R-DATA-1) and never shown.
 * 2. A second Owner or Admin, neither the opener nor the member, approves; only then a one-time link
 *    (15 minutes, its hash alone stored) goes to the member's address through `notify`, never into a
 *    reply or a log.
 * 3. On the link the member registers a new passkey (recover.ts): the old passkeys and sessions are
 *    revoked and the account is `restricted` (no PHI: the authenticator and a Cedar forbid).
 * 4. The restriction is lifted by a second person, once the new passkey was used (a sign-in or a
 *    step-up) from a device whose posture is `managed`.
 * The writes are SECURITY DEFINER functions (0025_member_recovery.sql) that check the two-person rule
 * in SQL with the acting member taken from the verified scope; the checks here come first so that a
 * refusal is audited (and committed) with its own reason. Every step has its own audit action.
 */
export const RECOVERY_LINK_TTL_SECONDS = 15 * 60;
export const RECOVERY_VERIFIED_BY = ['video-call', 'manager-attestation', 'in-person', 'known-number-callback'] as const;
export type RecoveryVerifiedBy = (typeof RECOVERY_VERIFIED_BY)[number];
export const RECOVERY_NOTE_MAX_CHARS = 2000;

export interface RecoveryDeps {
  audit: AuditLog;
  origin: URL;
  /** Sends the link to the member's own address (modules/notify), before the approval commits. */
  sendLink(input: { to: string; link: string; expiresAt: Date }, now: Date): Promise<void>;
}

/** The person acting through their own session (the API), as the audit trail records them. */
export interface RecoveryActor {
  tenantId: string;
  memberId: string;
  sessionId: string | null;
  deviceId: string | null;
  sourceIp: string | null;
}

export interface RecoveryStep {
  recoveryId: string;
  memberId: string;
  state: 'opened' | 'approved' | 'registered' | 'lifted';
  linkExpiresAt?: string;
}

export function recoveryLink(origin: URL, token: string): string {
  // In the fragment, as enrollment links: never sent to the server by a page load, never in a log or Referer.
  return `${origin.origin}/recover#token=${token}`;
}

interface InProgress {
  id: string;
  state: RecoveryStep['state'];
  opened_by: string;
  email: string;
  trusted_device_id: string | null;
  is_device_managed: boolean;
  is_link_expired: boolean;
}

async function inProgress(tx: Tx, memberId: string, now: Date): Promise<InProgress | null> {
  const { rows } = await tx.query<InProgress>(
    `SELECT r.id, r.state, r.opened_by, m.email, r.trusted_device_id,
            COALESCE((SELECT d.posture = 'managed' FROM devices d WHERE d.id = r.trusted_device_id), false) AS is_device_managed,
            (r.state = 'approved' AND r.link_expires_at <= $2) AS is_link_expired
       FROM member_recoveries r JOIN members m ON m.id = r.member_id
      WHERE r.member_id = $1 AND r.state <> 'lifted'`, [memberId, now]);
  return rows[0] ?? null;
}

function recorder(tx: Tx, deps: { audit: AuditLog }, actor: RecoveryActor, memberId: string) {
  const base = { tenantId: actor.tenantId, actorKind: 'human' as const, actorId: actor.memberId, sessionId: actor.sessionId, deviceId: actor.deviceId, sourceIp: actor.sourceIp, targetType: 'member', targetId: memberId };
  return {
    ok: (action: string, metadata: AuditEventInput['metadata']) => deps.audit.append(tx, { ...base, action, outcome: 'success', metadata }),
    /** A refusal, audited in the caller's transaction and returned (not thrown) so that the record commits. */
    refuse: async (action: string, reason: string, code: ErrorCode, metadata: AuditEventInput['metadata'] = {}) => {
      await deps.audit.append(tx, { ...base, action, outcome: 'denied', reasons: [reason], metadata });
      return new WardError(code, undefined, { reasons: [reason] });
    },
  };
}

/** The note of a recovery to open, encrypted under the tenant's key and bound to the new row (R-DATA-1). */
export interface SealedNote {
  recoveryId: string;
  noteEnc: Buffer;
}

/**
 * Before the opening's transaction (a tenant's first key may need the KMS): the new row's id and the
 * opener's note encrypted for it (table, row and column are its additional data).
 */
export async function sealRecoveryNote(encrypt: (tenantId: string, ref: { table: string; rowId: string; column: string }, text: string) => Promise<Buffer>, tenantId: string, note: string): Promise<SealedNote> {
  const text = note.trim();
  if (text.length < 1 || text.length > RECOVERY_NOTE_MAX_CHARS) throw new WardError('BAD_REQUEST', `The note is 1 to ${RECOVERY_NOTE_MAX_CHARS} characters.`);
  const recoveryId = randomUUID();
  return { recoveryId, noteEnc: await encrypt(tenantId, { table: 'member_recoveries', rowId: recoveryId, column: 'note_enc' }, text) };
}

/** Step 1: an Owner or Admin opens a recovery for another member (the route decided `member.manage` with a step-up). */
export async function openRecoveryInTx(
  tx: Tx, deps: RecoveryDeps, input: { actor: RecoveryActor; memberId: string; verifiedBy: string; note: SealedNote }, now: Date,
): Promise<RecoveryStep | WardError> {
  if (!(RECOVERY_VERIFIED_BY as readonly string[]).includes(input.verifiedBy)) throw new WardError('BAD_REQUEST', `verifiedBy is one of ${RECOVERY_VERIFIED_BY.join(', ')}.`);
  const audit = recorder(tx, deps, input.actor, input.memberId);
  const current = await inProgress(tx, input.memberId, now);
  if (current && !current.is_link_expired) return audit.refuse('member.recovery.open', 'recovery_in_progress', 'RECOVERY_IN_PROGRESS', { recoveryId: current.id });
  const { recoveryId, noteEnc } = input.note;
  try {
    await tx.query('SELECT ward_recovery_open($1, $2, $3, $4, $5)', [recoveryId, input.memberId, input.verifiedBy, noteEnc, now]);
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', self_approval: 'FORBIDDEN', not_found: 'NOT_FOUND', already_decided: 'RECOVERY_IN_PROGRESS' });
  }
  await audit.ok('member.recovery.open', { recoveryId, verifiedBy: input.verifiedBy, noteEncrypted: true });
  return { recoveryId, memberId: input.memberId, state: 'opened' };
}

/**
 * Step 2: the second person approves; the link goes to the member's address through `notify` (sent
 * before the commit: no message, no approval) and is returned to no one.
 */
export async function approveRecoveryInTx(tx: Tx, deps: RecoveryDeps, input: { actor: RecoveryActor; memberId: string }, now: Date): Promise<RecoveryStep | WardError> {
  const audit = recorder(tx, deps, input.actor, input.memberId);
  const current = await inProgress(tx, input.memberId, now);
  if (!current || current.state !== 'opened') return audit.refuse('member.recovery.approve', 'no_recovery_awaiting_approval', 'RECOVERY_NOT_PENDING');
  const meta = { recoveryId: current.id, openedBy: current.opened_by };
  if (input.actor.memberId === input.memberId) return audit.refuse('member.recovery.approve', 'self_approval', 'RECOVERY_SELF_APPROVAL', meta);
  if (input.actor.memberId === current.opened_by) return audit.refuse('member.recovery.approve', 'opener_approval', 'RECOVERY_SELF_APPROVAL', meta);
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + RECOVERY_LINK_TTL_SECONDS * 1000);
  try {
    // The database checks it all again: the approver from the verified scope, enrolled, active Owner or Admin (0025).
    await tx.query('SELECT ward_recovery_approve($1, $2, $3, $4)', [current.id, secretHash(token), expiresAt, now]);
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', self_approval: 'RECOVERY_SELF_APPROVAL', not_found: 'NOT_FOUND', already_decided: 'RECOVERY_NOT_PENDING' });
  }
  await audit.ok('member.recovery.approve', { ...meta, linkExpiresAt: expiresAt.toISOString() });
  await deps.sendLink({ to: current.email, link: recoveryLink(deps.origin, token), expiresAt }, now);
  await audit.ok('member.recovery.link_sent', { recoveryId: current.id, channel: 'notify', linkExpiresAt: expiresAt.toISOString() });
  return { recoveryId: current.id, memberId: input.memberId, state: 'approved', linkExpiresAt: expiresAt.toISOString() };
}

/** Step 4: a second person lifts the restriction, once the new passkey was used from a managed device. */
export async function liftRecoveryInTx(tx: Tx, deps: { audit: AuditLog }, input: { actor: RecoveryActor; memberId: string }, now: Date): Promise<RecoveryStep | WardError> {
  const audit = recorder(tx, deps, input.actor, input.memberId);
  const current = await inProgress(tx, input.memberId, now);
  if (!current || current.state !== 'registered') return audit.refuse('member.recovery.lift', 'no_recovery_awaiting_lift', 'RECOVERY_NOT_PENDING');
  const meta = { recoveryId: current.id };
  if (input.actor.memberId === input.memberId) return audit.refuse('member.recovery.lift', 'self_lift', 'FORBIDDEN', meta);
  if (!current.trusted_device_id || !current.is_device_managed) return audit.refuse('member.recovery.lift', 'new_passkey_not_used_on_managed_device', 'RECOVERY_DEVICE_NOT_TRUSTED', meta);
  try {
    await tx.query('SELECT ward_recovery_lift($1, $2)', [current.id, now]);
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', self_approval: 'FORBIDDEN', not_found: 'NOT_FOUND', already_decided: 'RECOVERY_NOT_PENDING', device_not_trusted: 'RECOVERY_DEVICE_NOT_TRUSTED' });
  }
  await audit.ok('member.recovery.lift', { ...meta, trustedDeviceId: current.trusted_device_id });
  return { recoveryId: current.id, memberId: input.memberId, state: 'lifted' };
}

/**
 * After a sign-in or step-up of a restricted member: when the passkey is the recovery's new one and
 * the device is managed, the recovery records it (the condition of the lift) and the trail says so.
 */
export async function noteRecoveryPasskeyUse(
  tx: Tx, audit: AuditLog, use: { tenantId: string; memberId: string; credentialRowId: string; deviceId: string; sessionId: string; sourceIp: string }, now: Date,
): Promise<boolean> {
  const { rows } = await tx.query<{ recorded: boolean }>('SELECT ward_recovery_trusted_use($1, $2, $3) AS recorded', [use.credentialRowId, use.deviceId, now]);
  if (!rows[0]?.recorded) return false;
  await audit.append(tx, {
    tenantId: use.tenantId, actorKind: 'human', actorId: use.memberId, sessionId: use.sessionId, deviceId: use.deviceId, sourceIp: use.sourceIp,
    action: 'member.recovery.device_trusted', targetType: 'device', targetId: use.deviceId, outcome: 'success', metadata: { passkey: use.credentialRowId },
  });
  return true;
}
