/**
 * Retention policies and legal holds (R-DATA-5), written by tenant administrators inside
 * `db.scoped` (row-level security on tenant_id). A hold is released, never deleted, and only by two
 * people (requests.ts); a policy is written by the SECURITY DEFINER functions of 0118 only.
 */
import { WardError, type TenantId } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';

export const RETENTION_ARTIFACTS = ['recordings', 'transcripts', 'ai_drafts', 'case_notes'] as const;
export type RetentionArtifact = (typeof RETENTION_ARTIFACTS)[number];
export type RetentionAction = 'delete' | 'deidentify';

export interface RetentionPolicy {
  artifact: RetentionArtifact;
  action: RetentionAction;
  afterDays: number;
}

/** Throws BAD_REQUEST unless the policy is one the table takes. */
export function checkRetentionPolicy(policy: RetentionPolicy): void {
  if (!RETENTION_ARTIFACTS.includes(policy.artifact)) throw new WardError('BAD_REQUEST', 'Unknown retention artifact.');
  if (policy.action !== 'delete' && policy.action !== 'deidentify') throw new WardError('BAD_REQUEST', 'The retention action is delete or deidentify.');
  if (policy.artifact === 'recordings' && policy.action !== 'delete') throw new WardError('BAD_REQUEST', 'Recordings can only be deleted.');
  if (!Number.isInteger(policy.afterDays) || policy.afterDays < 1 || policy.afterDays > 36500) throw new WardError('BAD_REQUEST', 'Retention is 1 to 36,500 days.');
}

/**
 * One step (R-DATA-5, R-AUTHZ-5): an Owner or Admin lengthens a policy; the operator (a system actor)
 * sets any. A shortening by a person is RETENTION_NEEDS_APPROVAL: it is proposed (requests.ts) and a
 * second Owner or Admin approves it. `ward_retention_policy_set` (0118) checks both again with the
 * actor taken from the verified scope, and writes who did it.
 */
export async function setRetentionPolicy(tx: Tx, policy: RetentionPolicy, now: Date): Promise<void> {
  checkRetentionPolicy(policy);
  await tx.query('SELECT ward_retention_policy_set($1, $2, $3, $4)', [policy.artifact, policy.action, policy.afterDays, now])
    .catch((e: unknown) => rethrowRefusal(e, { not_permitted: 'RETENTION_NEEDS_APPROVAL' }));
}

/** A legal hold on a patient or a call: retention skips everything about it until released. */
export async function placeLegalHold(
  tx: Tx,
  tenantId: TenantId,
  hold: ({ patientId: string; callId?: undefined } | { callId: string; patientId?: undefined }) & { matter: string; by: string },
): Promise<{ id: string }> {
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO legal_holds (tenant_id, patient_id, call_id, matter, placed_by) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [tenantId, hold.patientId ?? null, hold.callId ?? null, hold.matter, hold.by],
  );
  return { id: rows[0]!.id };
}

export interface RetentionPolicyRow extends RetentionPolicy {
  updatedBy: string;
  updatedAt: Date;
}

/** The transaction tenant's retention policies (row-level security keeps it to that tenant). */
export async function listRetentionPolicies(tx: Tx): Promise<RetentionPolicyRow[]> {
  const { rows } = await tx.query<{ artifact: RetentionArtifact; action: RetentionAction; after_days: number; updated_by: string; updated_at: Date }>(
    'SELECT artifact, action, after_days, updated_by, updated_at FROM retention_policies ORDER BY artifact',
  );
  return rows.map((r) => ({ artifact: r.artifact, action: r.action, afterDays: Number(r.after_days), updatedBy: r.updated_by, updatedAt: new Date(r.updated_at) }));
}

export interface LegalHold {
  id: string;
  targetType: 'patient' | 'call';
  targetId: string;
  matter: string;
  placedBy: string;
  placedAt: Date;
  releasedBy: string | null;
  releasedAt: Date | null;
}

/** The transaction tenant's legal holds, live ones first, then the newest released (at most 200); or the one with `id`. */
export async function listLegalHolds(tx: Tx, only: { id?: string } = {}): Promise<LegalHold[]> {
  const { rows } = await tx.query<{ id: string; patient_id: string | null; call_id: string | null; matter: string; placed_by: string; placed_at: Date; released_by: string | null; released_at: Date | null }>(
    `SELECT id, patient_id, call_id, matter, placed_by, placed_at, released_by, released_at FROM legal_holds
      WHERE ($1::uuid IS NULL OR id = $1::uuid)
      ORDER BY released_at IS NOT NULL, COALESCE(released_at, placed_at) DESC, id LIMIT 200`,
    [only.id ?? null],
  );
  return rows.map((r) => ({
    id: r.id, targetType: r.patient_id ? 'patient' : 'call', targetId: (r.patient_id ?? r.call_id)!, matter: r.matter, placedBy: r.placed_by,
    placedAt: new Date(r.placed_at), releasedBy: r.released_by, releasedAt: r.released_at ? new Date(r.released_at) : null,
  }));
}
