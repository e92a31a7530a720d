import { WardError, type Authenticated, type AuthRequest, type TenantId } from '@ward/contracts';
import { AUTH_LOOKUPS, type Db, type DataScope } from '../../db/types.ts';
import type { Authentication, Authenticator } from '../access/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { secretHash } from '../sessions/index.ts';
import { SCIM_TOKEN_PREFIX } from './operator.ts';

/**
 * The SCIM link of the authentication chain (DESIGN.md step 1; R-AUTHN-5): a third credential
 * kind, presented only on /scim/v2 and valid nowhere else. `Authorization: Bearer ward_scim_…` is
 * looked up by its hash (a SECURITY DEFINER lookup: live tokens only), then one scoped read checks
 * that the tenant's SCIM client is active. Any refusal is SCIM_TOKEN_INVALID (401, in SCIM's error
 * format); the refusal of a known client is audited in its tenant. `settle` records the use (the
 * inactivity rule, R-GOV-2), at most once a minute.
 */
export const SCIM_BASE_PATH = '/scim/v2';
const BEARER = /^Bearer +(ward_scim_[A-Za-z0-9_-]{43})$/i;

export function isScimPath(url: string): boolean {
  let path: string;
  try {
    path = new URL(url, 'http://x').pathname;
  } catch {
    return false;
  }
  return path === SCIM_BASE_PATH || path.startsWith(`${SCIM_BASE_PATH}/`);
}

export function scimClientScope(tenantId: string, workloadId: string): DataScope {
  return { tenantId, phiScopes: [], actorId: workloadId, actorKind: 'service' };
}

const READ = `
SELECT w.status, w.role, t.expires_at, t.created_at, t.revoked_at IS NOT NULL AS is_revoked
  FROM scim_tokens t JOIN workloads w ON w.id = t.workload_id WHERE t.id = $1`;

export function createScimAuthenticator(deps: { db: Db; audit: AuditLog; clock: { now(): Date } }): Authenticator {
  const refusal = () => new WardError('SCIM_TOKEN_INVALID', undefined, { headers: { 'www-authenticate': 'Bearer realm="ward-scim"' } });

  async function authenticate(req: AuthRequest): Promise<Authentication> {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match || !match[1]!.startsWith(SCIM_TOKEN_PREFIX)) throw refusal();
    const [found] = await deps.db.authLookup<{ tenant_id: string; workload_id: string; token_id: string }>(AUTH_LOOKUPS.scimToken, [secretHash(match[1]!)]);
    if (!found) throw refusal();
    const now = deps.clock.now();
    const scope = scimClientScope(found.tenant_id, found.workload_id);
    const row = await deps.db.scoped(scope, async (tx) => {
      const { rows } = await tx.query<{ status: string; role: string; expires_at: Date; created_at: Date; is_revoked: boolean }>(READ, [found.token_id]);
      const r = rows[0];
      const reason = !r ? 'token_gone' : r.status !== 'active' ? 'client_disabled' : r.role !== 'ScimProvisioner' ? 'not_a_scim_client' : r.is_revoked ? 'token_revoked' : r.expires_at <= now ? 'token_expired' : null;
      if (reason) {
        await deps.audit.append(tx, {
          tenantId: found.tenant_id, actorKind: 'service', actorId: found.workload_id, sourceIp: req.sourceIp, action: 'scim.request.refused',
          targetType: 'workload', targetId: found.workload_id, outcome: 'denied', reasons: [reason], metadata: { tokenId: found.token_id },
        });
        return null;
      }
      return r!;
    });
    if (!row) throw refusal();
    const authenticated: Authenticated = {
      principal: { kind: 'service', id: found.workload_id, tenantId: found.tenant_id as TenantId, roles: ['ScimProvisioner'], phiScopes: [] },
      credential: { kind: 'scim_token', id: found.token_id, authMethod: 'scim_bearer', amr: [], mfa: false, lastVerifiedAt: row.created_at, expiresAt: row.expires_at },
    };
    return {
      authenticated,
      async settle(tx) {
        // R-GOV-2: the client's last use, at most once a minute (most requests write nothing); the
        // workload's with it, in one statement issued at once (settle's contract: authentication.ts).
        await tx.query(
          `WITH used AS (UPDATE scim_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '60 seconds') RETURNING 1)
           UPDATE workloads SET last_used_at = $2 WHERE id = $3 AND EXISTS (SELECT 1 FROM used)`, [found.token_id, now, found.workload_id]);
      },
    };
  }

  return {
    credential: 'scim',
    presents: (req) => isScimPath(req.url) && req.headers.authorization !== undefined,
    authenticate,
  };
}
