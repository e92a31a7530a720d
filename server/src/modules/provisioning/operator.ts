import { randomUUID } from 'node:crypto';
import { isRole, WardError, type Role } from '@ward/contracts';
import type { Db, SystemDb } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { newSecret, secretHash } from '../sessions/index.ts';
import { syncRoles } from './lifecycle.ts';

/**
 * The tenant's SCIM client (R-AUTHN-5, R-WORK-1): a registered `service` workload with the one role
 * ScimProvisioner and no keys (so the OAuth token endpoint gives it nothing), driven by static bearer
 * tokens because that is what IdPs send. A token is valid on /scim/v2 only, for at most a year (a
 * documented exception to short-lived workload tokens, docs/sso.md), stored by hash. Registering
 * again rotates: a new token, the old ones still valid until `revokeOld` ends them (so that the
 * IdP's configuration can change first). `ward workload disable` ends the client altogether.
 */
export const SCIM_CLIENT_NAME = 'scim-provisioner';
export const SCIM_TOKEN_PREFIX = 'ward_scim_';
export const MAX_SCIM_TOKEN_DAYS = 365;
const OPERATOR = { actorKind: 'system', actorId: 'system:cli' } as const;

export interface IssuedScimToken {
  token: string;
  workloadId: string;
  clientId: string;
  expiresAt: Date;
  revoked: number;
  registered: boolean;
}

export async function issueScimToken(
  systemDb: SystemDb,
  deps: { audit: AuditLog },
  input: { tenantId: string; days?: number; revokeOld: boolean },
  now: Date,
): Promise<IssuedScimToken> {
  const days = input.days ?? MAX_SCIM_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_SCIM_TOKEN_DAYS) throw new WardError('USAGE', `--days is 1 to ${MAX_SCIM_TOKEN_DAYS}.`);
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  return systemDb.transaction(async (tx) => {
    let registered = false;
    let { rows } = await tx.query<{ id: string; client_id: string; status: string }>(
      "SELECT id, client_id, status FROM workloads WHERE tenant_id = $1 AND role = 'ScimProvisioner' FOR UPDATE", [input.tenantId]);
    if (!rows[0]) {
      const id = randomUUID();
      const clientId = `wl_${Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url')}`;
      ({ rows } = await tx.query<{ id: string; client_id: string; status: string }>(
        `INSERT INTO workloads (tenant_id, id, client_id, name, kind, role, jwks, max_token_seconds, created_at)
         VALUES ($1, $2, $3, $4, 'service', 'ScimProvisioner', '{"keys":[]}', 60, $5) RETURNING id, client_id, status`,
        [input.tenantId, id, clientId, SCIM_CLIENT_NAME, now]));
      registered = true;
      await deps.audit.append(tx, {
        tenantId: input.tenantId, ...OPERATOR, action: 'workload.create', targetType: 'workload', targetId: id, outcome: 'success',
        metadata: { clientId, kind: 'service', role: 'ScimProvisioner', scopes: '', keys: 0 },
      });
    }
    const client = rows[0]!;
    if (client.status !== 'active') {
      throw new WardError('CONFLICT', 'The SCIM client of this tenant is disabled; nothing was issued.');
    }
    let revoked = 0;
    if (input.revokeOld) {
      revoked = (await tx.query('UPDATE scim_tokens SET revoked_at = $2 WHERE workload_id = $1 AND revoked_at IS NULL', [client.id, now])).rowCount;
    }
    const token = `${SCIM_TOKEN_PREFIX}${newSecret()}`;
    const tokenId = randomUUID();
    await tx.query(
      'INSERT INTO scim_tokens (tenant_id, id, workload_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [input.tenantId, tokenId, client.id, secretHash(token), now, expiresAt]);
    await deps.audit.append(tx, {
      tenantId: input.tenantId, ...OPERATOR, action: 'scim.token.issue', targetType: 'workload', targetId: client.id, outcome: 'success',
      metadata: { tokenId, expiresAt: expiresAt.toISOString(), revokedTokens: revoked },
    });
    return { token, workloadId: client.id, clientId: client.client_id, expiresAt, revoked, registered };
  });
}

export interface ScimGroupSummary {
  id: string;
  displayName: string;
  members: number;
  roles: string[];
}

/** `ward scim groups`: the tenant's pushed groups, with their member counts and mapped roles. */
export async function listScimGroups(systemDb: SystemDb, tenantId: string): Promise<ScimGroupSummary[]> {
  const { rows } = await systemDb.query<{ id: string; display_name: string; members: number; roles: string[] }>(
    `SELECT g.id, g.display_name,
            (SELECT count(*)::int FROM scim_group_members gm WHERE gm.group_id = g.id) AS members,
            ARRAY(SELECT r.role FROM scim_group_roles r WHERE r.group_id = g.id ORDER BY r.role) AS roles
       FROM scim_groups g WHERE g.tenant_id = $1 AND g.deleted_at IS NULL ORDER BY lower(g.display_name), g.id`, [tenantId]);
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, members: r.members, roles: r.roles }));
}

/**
 * `ward scim map-group`: a group gives a role only through this explicit mapping (R-AUTHN-5), made by
 * the operator (or ended with `unmap`). The mapping is written by the operator's unscoped path; the
 * members' roles then follow it through ward_scim_sync_roles in the operator's verified scope, so that
 * Owner and Admin still wait for a second person. Returns each member's role changes.
 */
export async function mapGroup(
  deps: { db: Db; audit: AuditLog },
  input: { tenantId: string; groupId: string; role: Role; unmap: boolean },
  now: Date,
): Promise<{ changed: boolean; members: number; changes: { memberId: string; role: string; change: string }[] }> {
  if (!isRole(input.role)) throw new WardError('USAGE', '--role is one of Owner, Admin, Manager, Agent, Viewer, Auditor.');
  if (!/^[0-9a-f-]{36}$/i.test(input.groupId)) throw new WardError('USAGE', '--group-id is a group id as ward scim groups shows it.');
  const changed = await deps.db.systemDb.transaction(async (tx) => {
    const { rows: found } = await tx.query('SELECT 1 FROM scim_groups WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL', [input.tenantId, input.groupId]);
    if (found.length === 0) throw new WardError('NOT_FOUND', 'No group of this tenant has that id (ward scim groups shows them).');
    const { rowCount: n } = input.unmap
      ? await tx.query('DELETE FROM scim_group_roles WHERE group_id = $1 AND role = $2', [input.groupId, input.role])
      : await tx.query('INSERT INTO scim_group_roles (tenant_id, group_id, role, mapped_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [input.tenantId, input.groupId, input.role, now]);
    if (n > 0) {
      await deps.audit.append(tx, {
        tenantId: input.tenantId, ...OPERATOR, action: input.unmap ? 'scim.group.unmap' : 'scim.group.map', targetType: 'scim_group', targetId: input.groupId,
        outcome: 'success', metadata: { role: input.role },
      });
    }
    return n > 0;
  });
  const operator = { tenantId: input.tenantId, phiScopes: [], actorId: OPERATOR.actorId, actorKind: 'system' } as const;
  return deps.db.scoped(operator, async (tx) => {
    const { rows } = await tx.query<{ member_id: string }>('SELECT member_id FROM scim_group_members WHERE group_id = $1 ORDER BY member_id', [input.groupId]);
    const changes: { memberId: string; role: string; change: string }[] = [];
    const ctx = { tx, tenantId: input.tenantId, actor: { kind: 'system' as const, id: OPERATOR.actorId }, audit: deps.audit, now };
    for (const r of rows) for (const c of await syncRoles(ctx, r.member_id)) changes.push({ memberId: r.member_id, ...c });
    return { changed, members: rows.length, changes };
  });
}
