import { WardError } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import { compileFilter, page, type FilterRules } from './filter.ts';
import { syncRoles } from './lifecycle.ts';
import { patchOperations, valueEquals, type PatchOperation } from './patch.ts';
import { isUuid, MAX_PAGE, type ScimContext } from './users.ts';
import { attr, isObject, requiredString, SCHEMA, scimString } from './values.ts';

/**
 * SCIM Groups (RFC 7643 §4.2), R-AUTHN-5. A group gives nothing by itself, whatever its name (a
 * group called "Owner" is just a group): roles come only from the operator's explicit mapping
 * (`ward scim map-group`), and a membership change re-synchronises the member's roles in the
 * database (lifecycle.ts). DELETE retires the group (it answers 404 from then on) and ends the
 * roles it gave.
 */
interface GroupRow {
  id: string;
  display_name: string;
  external_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  members: { id: string; displayName: string }[];
}

const SELECT = `
SELECT g.id, g.display_name, g.external_id, g.created_at, g.updated_at, g.version,
       COALESCE((SELECT json_agg(json_build_object('id', m.id, 'displayName', m.display_name) ORDER BY m.display_name, m.id)
                   FROM scim_group_members gm JOIN members m ON m.id = gm.member_id WHERE gm.group_id = g.id), '[]'::json) AS members
  FROM scim_groups g WHERE g.deleted_at IS NULL`;

export const GROUP_FILTER: FilterRules = {
  attributes: { id: { caseExact: true }, displayname: { caseExact: false }, externalid: { caseExact: true }, 'members.value': { caseExact: true } },
  valuePaths: { members: { value: { caseExact: true } } },
};

export function toScimGroup(r: GroupRow, baseUrl: string, withMembers = true): Record<string, unknown> {
  return {
    schemas: [SCHEMA.group],
    id: r.id,
    ...(r.external_id !== null ? { externalId: r.external_id } : {}),
    displayName: r.display_name,
    ...(withMembers ? { members: r.members.map((m) => ({ value: m.id, display: m.displayName, $ref: `${baseUrl}/Users/${m.id}`, type: 'User' })) } : {}),
    meta: { resourceType: 'Group', created: r.created_at.toISOString(), lastModified: r.updated_at.toISOString(), location: `${baseUrl}/Groups/${r.id}`, version: `W/"${r.version}"` },
  };
}

async function readGroup(tx: Tx, id: string): Promise<GroupRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await tx.query<GroupRow>(`${SELECT} AND g.id = $1`, [id])).rows[0];
}

export async function groupExists(tx: Tx, id: string): Promise<boolean> {
  return (await readGroup(tx, id)) !== undefined;
}

/** `excludedAttributes=members` (Entra ID asks for it on its group lookups). */
function withMembers(excluded: string | undefined): boolean {
  return !(excluded ?? '').split(',').some((a) => a.trim().toLowerCase() === 'members');
}

export async function getGroup(ctx: ScimContext, id: string, q: { excludedAttributes?: string } = {}): Promise<Record<string, unknown>> {
  const r = await readGroup(ctx.tx, id);
  if (!r) throw new WardError('NOT_FOUND');
  return toScimGroup(r, ctx.baseUrl, withMembers(q.excludedAttributes));
}

export async function listGroups(ctx: ScimContext, q: { filter?: string; startIndex?: string; count?: string; excludedAttributes?: string }): Promise<Record<string, unknown>> {
  const matches = compileFilter(q.filter, GROUP_FILTER);
  const { rows } = await ctx.tx.query<GroupRow>(`${SELECT} ORDER BY g.created_at, g.id`);
  const all = rows.filter((r) => matches({
    id: r.id, displayname: r.display_name.toLowerCase(), externalid: r.external_id ?? undefined,
    'members.value': r.members.map((m) => m.id), members: r.members.map((m) => ({ value: m.id })),
  }));
  const { slice, startIndex } = page(all, q.startIndex, q.count, MAX_PAGE);
  const members = withMembers(q.excludedAttributes);
  return { schemas: [SCHEMA.listResponse], totalResults: all.length, startIndex, itemsPerPage: slice.length, Resources: slice.map((r) => toScimGroup(r, ctx.baseUrl, members)) };
}

/** Member ids from a `members` value list; each must be a provisioned member of this tenant. */
async function memberIds(tx: Tx, value: unknown): Promise<string[]> {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const ids = list.map((m) => (isObject(m) ? attr(m, 'value') : undefined));
  if (!ids.every((id): id is string => typeof id === 'string' && isUuid(id))) throw new WardError('SCIM_INVALID_VALUE', 'A member is named by the id of a provisioned user.');
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  if (unique.length === 0) return [];
  const { rows } = await tx.query<{ member_id: string }>('SELECT member_id FROM scim_users WHERE member_id = ANY ($1::uuid[]) AND deleted_at IS NULL', [unique]);
  if (rows.length !== unique.length) throw new WardError('SCIM_INVALID_VALUE', 'A member is named by the id of a provisioned user.');
  return unique;
}

async function assertUniqueName(tx: Tx, displayName: string, exceptId: string | null): Promise<void> {
  const { rows: same } = await tx.query('SELECT 1 FROM scim_groups WHERE lower(display_name) = lower($1) AND deleted_at IS NULL AND id IS DISTINCT FROM $2', [displayName, exceptId]);
  if (same.length > 0) throw new WardError('SCIM_UNIQUENESS');
}

/** Sets the group's members to `wanted` (or adds/removes), then re-synchronises every member whose groups changed. */
async function changeMembers(ctx: ScimContext, groupId: string, add: string[], remove: string[]): Promise<void> {
  const touched = new Set<string>();
  for (const id of add) {
    const { rowCount } = await ctx.tx.query(
      'INSERT INTO scim_group_members (tenant_id, group_id, member_id, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [ctx.tenantId, groupId, id, ctx.now]);
    if (rowCount > 0) touched.add(id);
  }
  if (remove.length > 0) {
    const { rows } = await ctx.tx.query<{ member_id: string }>('DELETE FROM scim_group_members WHERE group_id = $1 AND member_id = ANY ($2::uuid[]) RETURNING member_id', [groupId, remove]);
    for (const r of rows) touched.add(r.member_id);
  }
  for (const id of [...touched].sort()) await syncRoles(ctx, id);
}

async function currentMembers(tx: Tx, groupId: string): Promise<string[]> {
  return (await tx.query<{ member_id: string }>('SELECT member_id FROM scim_group_members WHERE group_id = $1', [groupId])).rows.map((r) => r.member_id);
}

async function touch(ctx: ScimContext, id: string): Promise<void> {
  await ctx.tx.query('UPDATE scim_groups SET updated_at = $2, version = version + 1 WHERE id = $1', [id, ctx.now]);
}

export async function createGroup(ctx: ScimContext, id: string, body: unknown): Promise<Record<string, unknown>> {
  if (!isObject(body)) throw new WardError('SCIM_INVALID_SYNTAX');
  const displayName = requiredString(attr(body, 'displayName'), 'displayName');
  await assertUniqueName(ctx.tx, displayName, null);
  const members = await memberIds(ctx.tx, attr(body, 'members'));
  await ctx.tx.query('INSERT INTO scim_groups (tenant_id, id, display_name, external_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)',
    [ctx.tenantId, id, displayName, scimString(attr(body, 'externalId'), 'externalId'), ctx.now]);
  await changeMembers(ctx, id, members, []);
  return getGroup(ctx, id);
}

export async function replaceGroup(ctx: ScimContext, id: string, body: unknown): Promise<Record<string, unknown>> {
  if (!isObject(body)) throw new WardError('SCIM_INVALID_SYNTAX');
  if (!(await readGroup(ctx.tx, id))) throw new WardError('NOT_FOUND');
  const displayName = requiredString(attr(body, 'displayName'), 'displayName');
  await assertUniqueName(ctx.tx, displayName, id);
  const wanted = await memberIds(ctx.tx, attr(body, 'members'));
  const now = await currentMembers(ctx.tx, id);
  await ctx.tx.query('UPDATE scim_groups SET display_name = $2, external_id = $3 WHERE id = $1', [id, displayName, scimString(attr(body, 'externalId'), 'externalId')]);
  await changeMembers(ctx, id, wanted.filter((m) => !now.includes(m)), now.filter((m) => !wanted.includes(m)));
  await touch(ctx, id);
  return getGroup(ctx, id);
}

async function applyGroupOperation(ctx: ScimContext, id: string, op: PatchOperation): Promise<void> {
  switch (op.path) {
    case 'displayname': {
      if (op.op === 'remove') throw new WardError('SCIM_MUTABILITY', 'A group keeps its displayName.');
      const displayName = requiredString(op.value, 'displayName');
      await assertUniqueName(ctx.tx, displayName, id);
      await ctx.tx.query('UPDATE scim_groups SET display_name = $2 WHERE id = $1', [id, displayName]);
      return;
    }
    case 'externalid':
      await ctx.tx.query('UPDATE scim_groups SET external_id = $2 WHERE id = $1', [id, op.op === 'remove' ? null : scimString(op.value, 'externalId')]);
      return;
    case 'members': {
      if (op.filter) {
        // Okta: {"op":"remove","path":"members[value eq \"<id>\"]"}.
        const one = valueEquals(op.filter);
        if (op.op !== 'remove' || one === null) throw new WardError('SCIM_INVALID_PATH');
        if (!isUuid(one)) throw new WardError('SCIM_NO_TARGET');
        await changeMembers(ctx, id, [], [one.toLowerCase()]);
        return;
      }
      if (op.op === 'add') return changeMembers(ctx, id, await memberIds(ctx.tx, op.value), []);
      if (op.op === 'remove') {
        // Entra ID: {"op":"Remove","path":"members","value":[{"value":"<id>"}]}; no value removes everyone.
        const list = op.value === undefined || op.value === null ? await currentMembers(ctx.tx, id) : valuesOf(op.value);
        return changeMembers(ctx, id, [], list);
      }
      const wanted = await memberIds(ctx.tx, op.value);
      const now = await currentMembers(ctx.tx, id);
      return changeMembers(ctx, id, wanted.filter((m) => !now.includes(m)), now.filter((m) => !wanted.includes(m)));
    }
    case 'id':
      // Okta's path-less replace repeats the id: the same id changes nothing.
      if (op.op === 'replace' && typeof op.value === 'string' && op.value.toLowerCase() === id) return;
      throw new WardError('SCIM_MUTABILITY');
    case 'meta':
    case 'schemas':
      throw new WardError('SCIM_MUTABILITY');
    default:
      throw new WardError('SCIM_INVALID_PATH');
  }
}

/** The ids of a remove's value list, well formed or refused (a member not in the group is simply not removed). */
function valuesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  const ids = list.map((m) => (isObject(m) ? attr(m, 'value') : undefined));
  if (!ids.every((v): v is string => typeof v === 'string')) throw new WardError('SCIM_INVALID_VALUE');
  return ids.filter(isUuid).map((v) => v.toLowerCase());
}

export async function patchGroup(ctx: ScimContext, id: string, body: unknown): Promise<Record<string, unknown> | null> {
  const operations = patchOperations(body, SCHEMA.group);
  if (!(await readGroup(ctx.tx, id))) throw new WardError('NOT_FOUND');
  for (const op of operations) await applyGroupOperation(ctx, id, op);
  await touch(ctx, id);
  return getGroup(ctx, id);
}

export async function deleteGroup(ctx: ScimContext, id: string): Promise<void> {
  if (!(await readGroup(ctx.tx, id))) throw new WardError('NOT_FOUND');
  await ctx.tx.query('UPDATE scim_groups SET deleted_at = $2, updated_at = $2, version = version + 1 WHERE id = $1', [id, ctx.now]);
  await changeMembers(ctx, id, [], await currentMembers(ctx.tx, id));
}
