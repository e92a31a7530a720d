import type { Tx } from '../../db/types.ts';

/**
 * The tenant's SCIM tokens from the admin console (R-AUTHN-5, R-UX-1), inside an Owner's or Admin's
 * guarded transaction, listed without their secret. A new one takes two people (R-AUTHZ-5, 0095):
 * scim-token-requests.ts.
 */
export interface ScimTokenRow {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export async function listScimTokens(tx: Tx): Promise<{ clientId: string | null; status: string | null; tokens: ScimTokenRow[] }> {
  const { rows: w } = await tx.query<{ id: string; client_id: string; status: string }>("SELECT id, client_id, status FROM workloads WHERE role = 'ScimProvisioner'");
  if (!w[0]) return { clientId: null, status: null, tokens: [] };
  const { rows } = await tx.query<{ id: string; created_at: Date; expires_at: Date; revoked_at: Date | null; last_used_at: Date | null }>(
    'SELECT id, created_at, expires_at, revoked_at, last_used_at FROM scim_tokens WHERE workload_id = $1 ORDER BY created_at DESC, id LIMIT 50', [w[0].id]);
  return {
    clientId: w[0].client_id, status: w[0].status,
    tokens: rows.map((r) => ({ id: r.id, createdAt: new Date(r.created_at), expiresAt: new Date(r.expires_at), revokedAt: r.revoked_at ? new Date(r.revoked_at) : null, lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null })),
  };
}
