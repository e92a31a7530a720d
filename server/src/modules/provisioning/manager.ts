import { WardError } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { PatchOperation } from './patch.ts';
import type { ScimContext } from './users.ts';
import { attr, isObject, SCHEMA } from './values.ts';

/**
 * R-GOV-1: the enterprise extension's `manager` (RFC 7643 §4.3) names who reviews a member's access.
 * Its `value` is the manager's `id` here (Entra ID resolves the reference to the target's id); Okta
 * may send the manager's externalId or userName instead, so those resolve too, when they name exactly
 * one member of the tenant. A manager Ward does not know (not provisioned yet, another tenant's) leaves
 * the member without one: their items then go to an Admin, and the change is audited as unresolved.
 * `ward_set_manager` (0037) takes the SCIM client from the verified scope and refuses a member as
 * their own manager.
 */

const ENTERPRISE = SCHEMA.enterpriseUser.toLowerCase();
const MAX_REFERENCE = 300;

/** `{value: x}` (RFC 7643), a bare string (Entra ID's PATCH), or null/absent/empty: no manager. */
export function managerReference(raw: unknown): string | null {
  const v = isObject(raw) ? attr(raw, 'value') : raw;
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v.length > MAX_REFERENCE) throw new WardError('SCIM_INVALID_VALUE', 'manager.value is a string.');
  return v.trim() === '' ? null : v.trim();
}

/** The manager a whole resource (POST, PUT) carries: absent means none (PUT replaces everything). */
export function managerOfResource(body: Record<string, unknown>): string | null {
  const ext = attr(body, SCHEMA.enterpriseUser);
  return isObject(ext) ? managerReference(attr(ext, 'manager')) : null;
}

/**
 * What a PATCH operation says about the manager: a new reference (or null to clear it), or undefined
 * when it does not touch the manager. Paths arrive lower case (patch.ts); a path-less operation's
 * extension arrives whole under its URN.
 */
export function managerOfOperation(op: PatchOperation): string | null | undefined {
  if (op.path === ENTERPRISE) {
    if (op.op === 'remove') return null;
    if (!isObject(op.value)) return undefined;
    const m = attr(op.value, 'manager');
    return m === undefined ? undefined : managerReference(m);
  }
  if (op.path === `${ENTERPRISE}:manager` || op.path === `${ENTERPRISE}:manager.value`) {
    return op.op === 'remove' ? null : managerReference(op.value);
  }
  return undefined;
}

/** The member a reference names in the tenant (row-level security confines the lookup), or null. */
async function resolve(ctx: ScimContext, reference: string): Promise<string | null> {
  const { rows } = await ctx.tx.query<{ id: string }>(
    `SELECT DISTINCT m.id FROM members m LEFT JOIN scim_users u ON u.member_id = m.id AND u.deleted_at IS NULL
      WHERE m.id::text = lower($1) OR u.external_id = $1 OR lower(u.user_name) = lower($1)
      LIMIT 2`,
    [reference],
  );
  return rows.length === 1 ? rows[0]!.id : null;
}

/** Sets the member's manager from the IdP's reference when it changed; audited as `member.manager`. */
export async function applyManager(ctx: ScimContext, memberId: string, reference: string | null, current: string | null): Promise<void> {
  const managerId = reference === null ? null : await resolve(ctx, reference);
  const target = managerId === memberId ? null : managerId;
  if (target === current) return;
  await ctx.tx.query('SELECT ward_set_manager($1, $2)', [memberId, target]).catch((e: unknown) =>
    rethrowRefusal(e, { not_found: 'SCIM_INVALID_VALUE', self_approval: 'SCIM_INVALID_VALUE', not_permitted: 'FORBIDDEN' }));
  await ctx.audit.append(ctx.tx, {
    tenantId: ctx.tenantId, actorKind: ctx.actor.kind, actorId: ctx.actor.id, action: 'member.manager', targetType: 'member', targetId: memberId,
    outcome: 'success', metadata: { via: 'scim', manager: target, ...(reference !== null && target === null ? { unresolved: true } : {}) },
  });
}
