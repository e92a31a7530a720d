import { WardError, type ErrorCode } from '@ward/contracts';

/**
 * Refusals of the SECURITY DEFINER grant and approval functions (0017_definer_grants.sql,
 * 0025_member_recovery.sql: WD005, a recovery's new passkey not yet used from a managed device) carry
 * SQLSTATEs of class WD; each call site names the error its caller sees for each.
 */
export type DefinerRefusal = 'not_permitted' | 'self_approval' | 'not_found' | 'already_decided' | 'device_not_trusted';
const SQLSTATES: Record<string, DefinerRefusal> = { WD001: 'not_permitted', WD002: 'self_approval', WD003: 'not_found', WD004: 'already_decided', WD005: 'device_not_trusted' };

/** The refusal a database error stands for, or null when it is something else. */
export function definerRefusal(e: unknown): DefinerRefusal | null {
  return SQLSTATES[String((e as { code?: unknown })?.code)] ?? null;
}

/** Rethrows a refusal as the WardError the caller maps it to; anything else unchanged. */
export function rethrowRefusal(e: unknown, codes: Partial<Record<DefinerRefusal, ErrorCode | WardError>>): never {
  const refusal = definerRefusal(e);
  const mapped = refusal ? codes[refusal] ?? 'FORBIDDEN' : null;
  if (mapped instanceof WardError) throw mapped;
  if (mapped) throw new WardError(mapped, undefined, { cause: e });
  throw e;
}
