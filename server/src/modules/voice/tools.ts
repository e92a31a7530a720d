import { WardError, type TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { FieldCipher } from '../crypto/index.ts';
import { findPatientsByLookup, getPatient } from '../phi/index.ts';
import type { ToolCall } from './call-binding.ts';

/**
 * The voice agent's work on a call (R-AI-6), each run by the guard after an allowing decision, in its
 * scoped transaction: row-level security filters every row, and the call has been checked to be the
 * agent's (and the patient the call's) by the Cedar forbid `mcp-call-binding`.
 */
export interface ToolContext {
  tx: Tx;
  tenantId: TenantId;
  call: ToolCall;
  agentId: string;
  cipher: FieldCipher;
  now: Date;
}

/** Failed verification attempts per call before the call is locked (R-AI-6, R-AUTHN-1 spirit). */
export const MAX_VERIFICATION_FAILURES = 3;
/** Failed find_patient look-ups per call before the call is locked: no date-of-birth oracle (0117). */
export const MAX_LOOKUP_FAILURES = 5;

export const CALLBACK_REASONS = ['scheduling', 'billing', 'results', 'prescription', 'other'] as const;
export const TRANSFER_REASONS = ['caller-request', 'verification-locked', 'clinical', 'out-of-scope', 'other'] as const;

/** "Maria" → "M."; the agent hears enough to address the caller, never the full name. */
const initial = (s: string | null | undefined) => (s ? `${[...s][0]!.toUpperCase()}.` : null);

/**
 * find_patient: the call's patient, if the phone and date of birth both match them; otherwise
 * `{ match: null }` whether or not someone else matches (no oracle for other patients). Each miss
 * counts on the call, and the fifth locks it (CALLER_VERIFICATION_LOCKED), so that the call's own
 * patient's date of birth cannot be guessed either; a miss is returned, so that it commits.
 */
export async function findPatientOnCall(c: ToolContext, args: { phone: string; dateOfBirth: string }): Promise<{ match: null | { patientHandle: string; initials: string; birthYear: string } }> {
  if (!c.call.patientId) return { match: null };
  const v = await verification(c);
  if (v.locked_at) throw new WardError('CALLER_VERIFICATION_LOCKED');
  const found = await findPatientsByLookup(c.tx, c.cipher, c.tenantId, { phone: args.phone }, { fields: ['dateOfBirth', 'givenName', 'familyName'] })
    .catch((e: unknown) => {
      if (e instanceof WardError && (e.code === 'BAD_REQUEST' || e.code === 'LOOKUP_VALUE_INVALID')) return [];
      throw e;
    });
  const p = found.find((x) => x.id === c.call.patientId && x.dateOfBirth === args.dateOfBirth);
  if (!p) {
    await c.tx.query(
      'UPDATE call_verifications SET lookup_failures = lookup_failures + 1, locked_at = CASE WHEN lookup_failures + 1 >= $3::int THEN $4::timestamptz ELSE locked_at END WHERE call_id = $1 AND tenant_id = $2',
      [c.call.id, c.tenantId, MAX_LOOKUP_FAILURES, c.now]);
    return { match: null };
  }
  return { match: { patientHandle: p.id, initials: `${initial(p.givenName)} ${initial(p.familyName)}`, birthYear: p.dateOfBirth!.slice(0, 4) } };
}

async function verification(c: ToolContext): Promise<{ failures: number; verified_at: Date | null; locked_at: Date | null }> {
  await c.tx.query('INSERT INTO call_verifications (call_id, tenant_id, phi_scope) VALUES ($1, $2, $3) ON CONFLICT (call_id) DO NOTHING', [c.call.id, c.tenantId, c.call.phiScope]);
  const { rows } = await c.tx.query<{ failures: number; verified_at: Date | null; locked_at: Date | null }>(
    'SELECT failures, verified_at, locked_at FROM call_verifications WHERE call_id = $1 AND tenant_id = $2 FOR UPDATE', [c.call.id, c.tenantId]);
  return rows[0]!;
}

/**
 * verify_caller: the caller states the patient's postal code; after 3 failures on one call the call
 * is locked (CALLER_VERIFICATION_LOCKED) and only a person can go on. A failure is returned, not
 * thrown, so that it commits with its audit row.
 */
export async function verifyCaller(c: ToolContext, args: { zip: string }): Promise<{ verified: boolean; attemptsLeft: number }> {
  const v = await verification(c);
  if (v.locked_at) throw new WardError('CALLER_VERIFICATION_LOCKED');
  if (v.verified_at) return { verified: true, attemptsLeft: MAX_VERIFICATION_FAILURES - v.failures };
  const p = await getPatient(c.tx, c.cipher, c.tenantId, c.call.patientId!, { fields: ['zip'] });
  const ok = p?.zip != null && p.zip.trim() === args.zip.trim();
  if (ok) {
    await c.tx.query('UPDATE call_verifications SET verified_at = $3 WHERE call_id = $1 AND tenant_id = $2', [c.call.id, c.tenantId, c.now]);
    return { verified: true, attemptsLeft: MAX_VERIFICATION_FAILURES - v.failures };
  }
  const failures = v.failures + 1;
  await c.tx.query('UPDATE call_verifications SET failures = $3::int, locked_at = CASE WHEN $3::int >= $4::int THEN $5::timestamptz END WHERE call_id = $1 AND tenant_id = $2',
    [c.call.id, c.tenantId, failures, MAX_VERIFICATION_FAILURES, c.now]);
  return { verified: false, attemptsLeft: Math.max(0, MAX_VERIFICATION_FAILURES - failures) };
}

/** PHI beyond the match needs a verified caller on this call (CALLER_NOT_VERIFIED). */
async function requireVerified(c: ToolContext): Promise<void> {
  const { rows } = await c.tx.query<{ verified_at: Date | null }>('SELECT verified_at FROM call_verifications WHERE call_id = $1 AND tenant_id = $2', [c.call.id, c.tenantId]);
  if (!rows[0]?.verified_at) throw new WardError('CALLER_NOT_VERIFIED');
}

export interface AppointmentView { appointmentId: string; startsAt: string; minutes: number; kind: string; status: string }

/** get_appointments: the verified patient's scheduled appointments from now on. */
export async function getAppointments(c: ToolContext, args: { patientHandle: string }): Promise<{ appointments: AppointmentView[] }> {
  await requireVerified(c);
  const { rows } = await c.tx.query<{ id: string; starts_at: Date; minutes: number; kind: string; status: string }>(
    `SELECT id, starts_at, minutes, kind, status FROM appointments
      WHERE tenant_id = $1 AND patient_id = $2 AND status = 'scheduled' AND starts_at >= $3 ORDER BY starts_at LIMIT 20`,
    [c.tenantId, args.patientHandle, c.now]);
  return { appointments: rows.map((r) => ({ appointmentId: r.id, startsAt: r.starts_at.toISOString(), minutes: r.minutes, kind: r.kind, status: r.status })) };
}

/** request_callback: a person calls the verified patient back, for a reason from a fixed list. */
export async function requestCallback(c: ToolContext, args: { patientHandle: string; reason: (typeof CALLBACK_REASONS)[number] }): Promise<{ callbackId: string }> {
  await requireVerified(c);
  const { rows } = await c.tx.query<{ id: string }>(
    `INSERT INTO callbacks (tenant_id, phi_scope, call_id, patient_id, reason, requested_by_workload, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [c.tenantId, c.call.phiScope, c.call.id, args.patientHandle, args.reason, c.agentId, c.now]);
  return { callbackId: rows[0]!.id };
}

/**
 * get_call_summary, redacted: what has happened on this call, in ids, counts and fixed codes only —
 * no name, number, date of birth or free text (R-DATA-2, minimum necessary).
 */
export async function callSummary(c: ToolContext): Promise<{ callId: string; patientIdentified: boolean; callerVerified: boolean; verificationLocked: boolean; callbacksRequested: number }> {
  const { rows } = await c.tx.query<{ verified_at: Date | null; locked_at: Date | null; callbacks: string }>(
    `SELECT v.verified_at, v.locked_at, (SELECT count(*) FROM callbacks b WHERE b.tenant_id = $1 AND b.call_id = $2) AS callbacks
       FROM (SELECT 1) one LEFT JOIN call_verifications v ON v.tenant_id = $1 AND v.call_id = $2`, [c.tenantId, c.call.id]);
  const r = rows[0]!;
  return { callId: c.call.id, patientIdentified: c.call.patientId !== null, callerVerified: r.verified_at !== null, verificationLocked: r.locked_at !== null, callbacksRequested: Number(r.callbacks) };
}

/** transfer_to_human: the call passes to a person; the agent's tools on it stop (`ofPrincipal` turns false). */
export async function transferToHuman(c: ToolContext, args: { reason: (typeof TRANSFER_REASONS)[number] }): Promise<{ transferred: true }> {
  await c.tx.query(`UPDATE calls SET transferred_at = $3, transfer_reason = $4, handled_by = 'agent' WHERE tenant_id = $1 AND id = $2`, [c.tenantId, c.call.id, c.now, args.reason]);
  return { transferred: true };
}
