import { Type } from '@sinclair/typebox';
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
