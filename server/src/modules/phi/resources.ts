/**
 * The attributes the policy decision needs (tenant, PHI scope, type, id), loaded without decrypting
 * anything (DESIGN.md step 3). Null when row-level security hides the row: the caller answers 404.
 */
import { WardError, type PhiScope, type TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { ResourceAttributes, ResourceType } from './types.ts';

// One static statement per type (no SQL is assembled at run time).
const SQL: Record<ResourceType, string> = {
  Patient: 'SELECT id, tenant_id, phi_scope FROM patients WHERE tenant_id = $1 AND id = $2',
  Call: 'SELECT id, tenant_id, phi_scope FROM calls WHERE tenant_id = $1 AND id = $2',
  Recording: 'SELECT id, tenant_id, phi_scope FROM recordings WHERE tenant_id = $1 AND id = $2',
  Transcript: 'SELECT id, tenant_id, phi_scope FROM transcripts WHERE tenant_id = $1 AND id = $2',
  AiDraft: 'SELECT id, tenant_id, phi_scope FROM ai_drafts WHERE tenant_id = $1 AND id = $2',
  CaseNote: 'SELECT id, tenant_id, phi_scope FROM case_notes WHERE tenant_id = $1 AND id = $2',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loadResourceAttributes(tx: Tx, tenantId: TenantId, type: ResourceType, id: string): Promise<ResourceAttributes | null> {
  const sql = SQL[type];
  if (!sql) throw new WardError('BAD_REQUEST', 'Unknown resource type.');
  if (!UUID.test(id)) return null; // not an id this tenant could have: 404, not a database error
  const { rows } = await tx.query<{ id: string; tenant_id: string; phi_scope: PhiScope }>(sql, [tenantId, id]);
  const r = rows[0];
  return r ? { type, id: r.id, tenant: r.tenant_id, phiScope: r.phi_scope } : null;
}
