import { WardError } from '@ward/contracts';
import { AUTH_LOOKUPS, type Db } from '../../db/types.ts';
import { secretHash } from '../sessions/index.ts';

/**
 * R-AUTHN-1: WebAuthn challenges are stored server-side by hash (0005), bound to the device key that
 * asked for them, expire within 5 minutes, and are consumed (deleted) before the response is verified.
 */
export type CeremonyPurpose = 'enroll' | 'sign_in' | 'step_up' | 'add_passkey';
export const CHALLENGE_TTL_SECONDS = 300;

export interface IssuedFor {
  purpose: CeremonyPurpose;
  thumbprint: string;
  tenantId?: string | null;
  memberId?: string | null;
  sessionId?: string | null;
}

export async function storeChallenge(db: Db, challenge: string, at: IssuedFor): Promise<void> {
  await db.authLookup(AUTH_LOOKUPS.challengeIssue, [
    secretHash(challenge), at.purpose, at.thumbprint, at.tenantId ?? null, at.memberId ?? null, at.sessionId ?? null, CHALLENGE_TTL_SECONDS,
  ]);
}

/** The challenge a client's response answers, read from its clientDataJSON (verified later). */
export function challengeOf(response: unknown): string {
  try {
    const clientDataJSON = (response as { response: { clientDataJSON: string } }).response.clientDataJSON;
    const parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    if (typeof parsed.challenge === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(parsed.challenge)) return parsed.challenge;
  } catch {
    // fall through
  }
  throw new WardError('BAD_REQUEST');
}

export interface ConsumedChallenge {
  tenantId: string | null;
  memberId: string | null;
  sessionId: string | null;
}

/**
 * Deletes the challenge whatever comes next, then checks it was issued for this purpose and device
 * key and has not expired. Null when it does not hold (unknown, used, expired, another device).
 */
export async function consumeChallenge(db: Db, challenge: string, purpose: CeremonyPurpose, thumbprint: string): Promise<ConsumedChallenge | null> {
  const [row] = await db.authLookup<{ tenant_id: string | null; member_id: string | null; session_id: string | null; device_thumbprint: string; is_expired: boolean }>(
    AUTH_LOOKUPS.challengeConsume, [secretHash(challenge), purpose]);
  if (!row || row.is_expired || row.device_thumbprint !== thumbprint) return null;
  return { tenantId: row.tenant_id, memberId: row.member_id, sessionId: row.session_id };
}
