import { Type } from '@sinclair/typebox';
import type { Tx } from '../../db/types.ts';
import type { ResourceRef } from '../../modules/access/index.ts';

/**
 * What many route files declared alike, once: a uuid path id, the caller's tenant as the resource a
 * Cedar decision is on, and the calling member as the actor a module's SECURITY DEFINER call names.
 */
export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/**
 * The caller's own tenant (R-AUTHZ-1: a decision on tenant-wide actions); `attributes` are facts the
 * policies read from what was loaded, never PHI (e.g. `changeProposedByPrincipal`, R-AUTHZ-5).
 */
export function tenantOf(who: { principal: { tenantId: string } }, attributes?: ResourceRef['attributes']): ResourceRef {
  const tenant = who.principal.tenantId;
  return attributes ? { type: 'Tenant', id: tenant, tenant, attributes } : { type: 'Tenant', id: tenant, tenant };
}

/** The calling member as a module's actor (the database takes the verified one from the scope again). */
export const actorOf = (who: { principal: { tenantId: string; id: string } }) => ({ tenantId: who.principal.tenantId, memberId: who.principal.id });

/**
 * A member of the caller's tenant as the resource of a decision on them (`member.manage`, `grant.*`),
 * with the roles they hold, so that the policies can tell an Owner (R-AUTHZ-5:
 * `sod-owner-manages-owners`); null when row-level security hides them (another tenant: 404).
 * `attributes` are the request's facts (`grantRole`, `grantProposedByPrincipal`, …), never PHI.
 */
export async function memberResource(tx: Tx, memberId: string, who: { principal: { tenantId: string } }, attributes: ResourceRef['attributes'] = {}): Promise<ResourceRef | null> {
  const { rows } = await tx.query<{ id: string; roles: string[] }>(
    'SELECT m.id, ARRAY(SELECT r.role FROM member_roles r WHERE r.member_id = m.id ORDER BY r.role) AS roles FROM members m WHERE m.id = $1', [memberId]);
  const m = rows[0];
  return m ? { type: 'Member', id: m.id, tenant: who.principal.tenantId, attributes: { ...attributes, roles: m.roles } } : null;
}
