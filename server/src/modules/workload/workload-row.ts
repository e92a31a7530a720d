import type { PhiScope, WorkloadRole } from '@ward/contracts';
import type { DataScope, Tx } from '../../db/types.ts';
import type { WorkloadKind } from './registry.ts';

/** A workload as authentication reads it, in its own tenant's scope (R-WORK-1). */
export interface WorkloadRow {
  id: string;
  client_id: string;
  kind: WorkloadKind;
  role: WorkloadRole;
  status: 'active' | 'disabled';
  jwks: { keys: Record<string, unknown>[] };
  max_token_seconds: number;
  scopes: PhiScope[];
  is_revoked: boolean;
  /** R-GOV-5: a live lock stops the workload (`ward lock --workload`): no token is issued to it. */
  is_locked: boolean;
}

/**
 * A workload as the token link of the chain reads it (0032, 0116: ward_auth_workload_state), with the
 * last time a client key left its set: a token issued before then is dead (R-WORK-2).
 */
export type WorkloadState = Pick<WorkloadRow, 'id' | 'kind' | 'role' | 'status' | 'scopes' | 'is_revoked'> & { keys_removed_at: Date | null };

/** One statement: the workload, its PHI scopes, whether the token `jti` was revoked (RFC 7009), and whether a lock stops it. */
const READ = `
SELECT w.id, w.client_id, w.kind, w.role, w.status, w.jwks, w.max_token_seconds,
       ARRAY(SELECT s.phi_scope FROM workload_phi_scopes s WHERE s.workload_id = w.id ORDER BY s.phi_scope) AS scopes,
       EXISTS (SELECT 1 FROM workload_token_revocations r WHERE r.jti = $2) AS is_revoked,
       EXISTS (SELECT 1 FROM locks l WHERE l.target_kind = 'workload' AND l.target_id = w.id AND l.unlocked_at IS NULL) AS is_locked
  FROM workloads w WHERE w.client_id = $1`;

export function workloadScope(tenantId: string, actor: { id: string; kind: WorkloadKind }): DataScope {
  return { tenantId, phiScopes: [], actorId: actor.id, actorKind: actor.kind };
}

export async function readWorkload(tx: Tx, clientId: string, tokenJti: string | null): Promise<WorkloadRow | undefined> {
  return (await tx.query<WorkloadRow>(READ, [clientId, tokenJti ?? ''])).rows[0];
}

/** An AI agent workload of the scope's tenant by its client_id (RLS hides other tenants'): its id, or null. */
export async function findAgentWorkload(tx: Tx, clientId: string): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>("SELECT id FROM workloads WHERE client_id = $1 AND kind = 'ai_agent' AND status = 'active'", [clientId]);
  return rows[0]?.id ?? null;
}
