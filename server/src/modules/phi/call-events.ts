import { WardError, type PhiScope, type TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';

/**
 * The voice platform's call events (R-WORK-4), written after an allowing decision in the hook's own
 * scoped transaction: row-level security and the composite foreign keys keep every row in the
 * signer's tenant and granted scopes. No PHI value is carried: ids, times, durations, languages.
 */
export interface CallStarted {
  callId: string;
  phiScope: PhiScope;
  patientId: string | null;
  direction: 'inbound' | 'outbound';
  startedAt: Date;
  /** The AI voice agent workload handling the call; null when a person answers. */
  agentWorkloadId: string | null;
  reportedBy: string;
}

export async function recordCallStarted(tx: Tx, tenantId: TenantId, c: CallStarted): Promise<void> {
  const { rowCount } = await tx.query(
    `INSERT INTO calls (id, tenant_id, phi_scope, patient_id, direction, handled_by, handled_by_workload, reported_by_workload, started_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
    [c.callId, tenantId, c.phiScope, c.patientId, c.direction, c.agentWorkloadId ? 'ai_agent' : 'agent', c.agentWorkloadId, c.reportedBy, c.startedAt]);
  if (rowCount === 0) throw new WardError('CONFLICT', 'This call was reported before.');
}

/** A recording's metadata (its audio arrives by another path); one per call and id. */
export async function recordRecordingReady(tx: Tx, tenantId: TenantId, r: { recordingId: string; callId: string; phiScope: PhiScope; format: string; durationMs: number }): Promise<void> {
  const { rowCount } = await tx.query(
    `INSERT INTO recordings (id, tenant_id, phi_scope, call_id, format, duration_ms) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
    [r.recordingId, tenantId, r.phiScope, r.callId, r.format, r.durationMs]);
  if (rowCount === 0) throw new WardError('CONFLICT', 'This recording was reported before.');
}

/** A call's transcript is ready (its utterances arrive by another path); the transcript's id. */
export async function recordTranscriptReady(tx: Tx, tenantId: TenantId, t: { callId: string; phiScope: PhiScope; language: string }): Promise<{ transcriptId: string }> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO transcripts (tenant_id, phi_scope, call_id, language) VALUES ($1, $2, $3, $4) ON CONFLICT (call_id) DO NOTHING RETURNING id`,
    [tenantId, t.phiScope, t.callId, t.language]);
  if (!rows[0]) throw new WardError('CONFLICT', 'This transcript was reported before.');
  return { transcriptId: rows[0].id };
}

/** The AI agent workload handling a call (null: none, or a call this scope cannot see). For the MCP server. */
export async function callAgentOf(tx: Tx, tenantId: TenantId, callId: string): Promise<string | null> {
  const { rows } = await tx.query<{ handled_by_workload: string | null }>('SELECT handled_by_workload FROM calls WHERE tenant_id = $1 AND id = $2', [tenantId, callId]);
  return rows[0]?.handled_by_workload ?? null;
}
