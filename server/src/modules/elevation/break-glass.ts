import { isPurpose, WardError } from '@ward/contracts';
import { definerRefusal, rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import { enqueueAlert } from '../alerts/index.ts';
import type { SealedReason } from './requests.ts';

/**
 * Break-glass (R-ELEV-2): immediate, read-only emergency access to one patient or one call, for
 * members on the list an Owner keeps, for at most the tenant's `breakGlassMaxSeconds` (default and
 * ceiling 3600), with a mandatory reason (encrypted) and a step-up at the moment of use (Cedar:
 * step-up-breakglass, on the opening and on every access under it). It lifts nothing else: the tenant
 * boundary, MFA, device posture and the Part 2 purpose rule are Cedar forbids, and SUD records need a
 * Part 2 purpose to open at all. Opening raises a high-severity alert in the same transaction, every
 * access under it is marked in the audit trail (`breakGlass`, `elevation`), and a review by a second
 * person is due within `breakGlassReviewHours` (default 72). An overdue review escalates (a critical
 * alert, once) and blocks the member's next break-glass until it is completed.
 */
export const BREAKGLASS_MAX_SECONDS = 3600;
/** What break-glass lets through, on its one patient or call (breakglass-read-only forbids the rest). */
export const BREAKGLASS_ACTIONS = ['patient.view', 'patient.viewSensitive', 'caseNote.readFull', 'recording.listen', 'transcript.readRedacted', 'transcript.read'] as const;
export const REVIEW_OUTCOMES = ['appropriate', 'inappropriate'] as const;

export interface BreakGlassOpened {
  elevationId: string;
  phiScope: string;
  expiresAt: string;
  reviewDueAt: string;
}

/**
 * Overdue reviews of this member: each escalates once (a critical alert). Returns how many are
 * overdue; the caller refuses with BREAKGLASS_BLOCKED and lets this transaction commit.
 */
export async function escalateOverdueReviews(tx: Tx, tenantId: string, memberId: string, now: Date): Promise<number> {
  const { rows } = await tx.query<{ elevation_id: string; due_at: Date }>(
    'SELECT elevation_id, due_at FROM breakglass_reviews WHERE member_id = $1 AND reviewed_at IS NULL AND due_at <= $2', [memberId, now]);
  for (const r of rows) {
    const { rows: [e] } = await tx.query<{ escalated: boolean }>('SELECT ward_breakglass_escalate($1, $2) AS escalated', [r.elevation_id, now]);
    if (e?.escalated) {
      await enqueueAlert(tx, { tenantId, kind: 'breakglass.reviewOverdue', severity: 'critical', facts: { elevationId: r.elevation_id, memberId, dueAt: r.due_at.toISOString() } }, now);
    }
  }
  return rows.length;
}

export async function openBreakGlassInTx(
  tx: Tx,
  input: { tenantId: string; memberId: string; target: { type: 'patient' | 'call'; id: string }; purpose: string | null; durationSeconds: number; sealed: SealedReason },
  now: Date,
): Promise<BreakGlassOpened | WardError> {
  if (!input.purpose || !isPurpose(input.purpose)) throw new WardError('PURPOSE_REQUIRED', undefined, { reasons: ['purpose_required'] });
  const { rows: [listed] } = await tx.query<{ listed: boolean }>('SELECT EXISTS (SELECT 1 FROM breakglass_members WHERE member_id = $1) AS listed', [input.memberId]);
  if (!listed?.listed) throw new WardError('BREAKGLASS_NOT_ALLOWED', undefined, { reasons: ['not_on_breakglass_list'] });
  // Returned, not thrown: the escalation and its alert commit with the refusal's record.
  if (await escalateOverdueReviews(tx, input.tenantId, input.memberId, now)) return new WardError('BREAKGLASS_BLOCKED', undefined, { reasons: ['breakglass_review_overdue'] });
  const { rows: [setting] } = await tx.query<{ value: string | null }>("SELECT settings->>'breakGlassMaxSeconds' AS value FROM tenants");
  const max = Math.min(Number(setting?.value ?? BREAKGLASS_MAX_SECONDS) || BREAKGLASS_MAX_SECONDS, BREAKGLASS_MAX_SECONDS);
  if (!Number.isSafeInteger(input.durationSeconds) || input.durationSeconds < 60) throw new WardError('BAD_REQUEST', 'Break-glass lasts at least 60 seconds.');
  if (input.durationSeconds > max) throw new WardError('ELEVATION_TOO_LONG', undefined, { reasons: ['breakglass_too_long'] });
  let phiScope: string;
  try {
    const { rows } = await tx.query<{ scope: string }>('SELECT ward_breakglass_open($1, $2, $3, $4, $5, $6, $7, $8) AS scope',
      [input.sealed.elevationId, input.target.type, input.target.id, input.purpose, input.sealed.reasonEnc, input.durationSeconds, [...BREAKGLASS_ACTIONS], now]);
    phiScope = rows[0]!.scope;
  } catch (e) {
    // 42 CFR Part 2: an SUD record needs a Part 2 purpose, break-glass or not (WD007).
    if (String((e as { code?: unknown })?.code) === 'WD007') throw new WardError('PURPOSE_REQUIRED', undefined, { reasons: ['sud_part2_purpose'], cause: e });
    if (String((e as { code?: unknown })?.code) === 'WD006') throw new WardError('BREAKGLASS_BLOCKED', undefined, { reasons: ['breakglass_review_overdue'], cause: e });
    if (definerRefusal(e) === 'not_permitted') throw new WardError('BREAKGLASS_NOT_ALLOWED', undefined, { cause: e });
    return rethrowRefusal(e, { not_found: 'NOT_FOUND' });
  }
  const { rows: [opened] } = await tx.query<{ expires_at: Date; due_at: Date }>(
    'SELECT e.expires_at, r.due_at FROM elevations e JOIN breakglass_reviews r ON r.elevation_id = e.id WHERE e.id = $1', [input.sealed.elevationId]);
  // R-ELEV-2, R-MON-1: the alert commits with the access it reports.
  await enqueueAlert(tx, {
    tenantId: input.tenantId, kind: 'breakglass.opened', severity: 'high',
    facts: { elevationId: input.sealed.elevationId, memberId: input.memberId, targetType: input.target.type, targetId: input.target.id, phiScope, expiresAt: opened!.expires_at.toISOString() },
  }, now);
  return { elevationId: input.sealed.elevationId, phiScope, expiresAt: opened!.expires_at.toISOString(), reviewDueAt: opened!.due_at.toISOString() };
}

/** The member a break-glass review concerns (the route decides `breakglass.review` on them). */
export async function reviewMember(tx: Tx, elevationId: string): Promise<string | null> {
  const { rows } = await tx.query<{ member_id: string }>('SELECT member_id FROM breakglass_reviews WHERE elevation_id = $1', [elevationId]);
  return rows[0]?.member_id ?? null;
}

export async function reviewBreakGlassInTx(tx: Tx, input: { elevationId: string; reviewerId: string; outcome: string }, now: Date): Promise<{ elevationId: string; outcome: string; reviewedAt: string }> {
  if (!(REVIEW_OUTCOMES as readonly string[]).includes(input.outcome)) throw new WardError('BAD_REQUEST', `outcome is one of ${REVIEW_OUTCOMES.join(', ')}.`);
  try {
    await tx.query('SELECT ward_breakglass_review($1, $2, $3)', [input.elevationId, input.outcome, now]);
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', self_approval: 'ELEVATION_SELF_APPROVAL', not_found: 'NOT_FOUND', already_decided: 'ELEVATION_NOT_PENDING' });
  }
  return { elevationId: input.elevationId, outcome: input.outcome, reviewedAt: now.toISOString() };
}

/** An Owner puts a member on the break-glass list, or takes them off. */
export async function setBreakGlassMemberInTx(tx: Tx, memberId: string, allowed: boolean, now: Date): Promise<{ memberId: string; allowed: boolean }> {
  try {
    await tx.query('SELECT ward_breakglass_member_set($1, $2, $3)', [memberId, allowed, now]);
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', self_approval: 'FORBIDDEN', not_found: 'NOT_FOUND' });
  }
  return { memberId, allowed };
}
