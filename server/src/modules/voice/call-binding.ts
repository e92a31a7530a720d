import type { TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { ResourceRef } from '../access/index.ts';

/**
 * The call a voice tool serves, as the guard's resource (R-AI-6). Row-level security hides a call of
 * another tenant or scope (null: NOT_FOUND). The attributes are what the Cedar forbid
 * `mcp-call-binding` reads: `ofPrincipal`, the call is handled by this agent and has not been handed
 * to a person; `patientOnCall`, present when the tool names a patient, that patient is the call's.
 * No PHI value: ids and booleans only.
 */
export interface ToolCall extends ResourceRef {
  type: 'Call';
  /** The call's patient, as the voice platform reported it; null when the caller is not identified. */
  patientId: string | null;
}

export async function loadToolCall(tx: Tx, tenantId: TenantId, callId: string, agentId: string, patientId?: string): Promise<ToolCall | null> {
  const { rows } = await tx.query<{ id: string; phi_scope: ToolCall['phiScope'] & string; patient_id: string | null; handled_by_workload: string | null; transferred_at: Date | null }>(
    'SELECT id, phi_scope, patient_id, handled_by_workload, transferred_at FROM calls WHERE tenant_id = $1 AND id = $2',
    [tenantId, callId]);
  const c = rows[0];
  if (!c) return null;
  const attributes: Record<string, boolean> = { ofPrincipal: c.handled_by_workload === agentId && c.transferred_at === null };
  if (patientId !== undefined) attributes.patientOnCall = c.patient_id !== null && c.patient_id === patientId;
  return { type: 'Call', id: c.id, tenant: tenantId, phiScope: c.phi_scope, patientId: c.patient_id, attributes };
}
