import { randomUUID } from 'node:crypto';
import { WardError } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import { newSecret, secretHash } from '../sessions/index.ts';
import { MAX_SCIM_TOKEN_DAYS, SCIM_TOKEN_PREFIX } from './operator.ts';

/**
 * The tenant's SCIM tokens from the admin console (R-AUTHN-5, R-UX-1), inside an Owner's or Admin's
 * guarded transaction: listed without their secret; issued (and the live ones revoked, to rotate)
 * through `ward_scim_token_issue` (0058), which checks the actor and registers the SCIM client on
 * first use. The token is made here, stored by hash only, and answered once.
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

export interface ConsoleScimToken { token: string; tokenId: string; clientId: string; expiresAt: Date; revoked: number; registered: boolean }

export async function issueScimTokenAs(tx: Tx, input: { days?: number; revokeOld: boolean }, now: Date): Promise<ConsoleScimToken> {
  const days = input.days ?? MAX_SCIM_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_SCIM_TOKEN_DAYS) throw new WardError('BAD_REQUEST', `A SCIM token lasts 1 to ${MAX_SCIM_TOKEN_DAYS} days.`);
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  const token = `${SCIM_TOKEN_PREFIX}${newSecret()}`;
  const tokenId = randomUUID();
  const newClientId = `wl_${Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url')}`;
  const { rows } = await tx.query<{ workload_id: string; client_id: string; revoked: number; registered: boolean }>(
    'SELECT workload_id, client_id, revoked, registered FROM ward_scim_token_issue($1, $2, $3, $4, $5, $6, $7)',
    [tokenId, secretHash(token), expiresAt, input.revokeOld, randomUUID(), newClientId, now],
  ).catch((e: unknown) => rethrowRefusal(e, { not_permitted: 'FORBIDDEN', already_decided: new WardError('CONFLICT', 'The SCIM client of this tenant is disabled; nothing was issued.') }));
  const r = rows[0]!;
  return { token, tokenId, clientId: r.client_id, expiresAt, revoked: Number(r.revoked), registered: r.registered };
}
