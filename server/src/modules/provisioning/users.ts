import { randomUUID } from 'node:crypto';
import { ERROR_CODES, WardError } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { emailRefusal } from '../identity/index.ts';
import { compileFilter, page, type FilterRules } from './filter.ts';
import { deprovisionMember, reactivateMember, syncRoles } from './lifecycle.ts';
import { applyManager, managerOfOperation, managerOfResource } from './manager.ts';
import { patchOperations, type PatchOperation } from './patch.ts';
import { attr, isObject, requiredString, SCHEMA, scimBoolean, scimString } from './values.ts';

/**
 * SCIM Users (RFC 7643 §4.1) over Ward's members (R-AUTHN-5). A provisioned member is a member row
 * with its SCIM attributes beside it; it starts `invited`, with no role, no PHI scope and no
 * enrollment link (R-AUTHN-3: the link follows identity proofing, proofing.ts). Only members the IdP
 * provisioned are visible here. `active: false` and DELETE deactivate (lifecycle.ts: every session
 * ends at once); rows are never deleted, since the audit trail refers to them.
 */
export interface ScimContext {
  tx: Tx;
  tenantId: string;
  /** The SCIM client (a `service` workload): the actor of every change. */
  actor: { kind: 'service' | 'system'; id: string };
  audit: AuditLog;
  now: Date;
  /** The absolute URL of /scim/v2, for `meta.location`. */
  baseUrl: string;
}

interface UserFields {
  userName: string;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string;
  email: string;
  active: boolean;
}

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  status: string;
  created_at: Date;
  user_name: string;
  external_id: string | null;
  given_name: string | null;
  family_name: string | null;
  active: boolean;
  updated_at: Date;
  version: number;
  manager_id: string | null;
  groups: { id: string; displayName: string }[];
}

const SELECT = `
SELECT m.id, m.email, m.display_name, m.status, m.created_at, u.user_name, u.external_id, u.given_name, u.family_name,
       u.active, u.updated_at, u.version, m.manager_id,
       COALESCE((SELECT json_agg(json_build_object('id', g.id, 'displayName', g.display_name) ORDER BY g.display_name)
                   FROM scim_group_members gm JOIN scim_groups g ON g.id = gm.group_id AND g.deleted_at IS NULL
                  WHERE gm.member_id = m.id), '[]'::json) AS groups
  FROM scim_users u JOIN members m ON m.id = u.member_id
 WHERE u.deleted_at IS NULL`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_PAGE = 200;

/** `emails.value eq "…"` compares the address's normal form (identity/email.ts) with the stored one. */
function foldEmail(value: string, op: string): string {
  const email = op === 'eq' || op === 'ne' ? emailRefusal(value) : null;
  return email !== null && typeof email !== 'string' ? email.email : value.normalize('NFKC').toLowerCase();
}

const EMAIL_VALUE = { caseExact: false, fold: foldEmail };

export const USER_FILTER: FilterRules = {
  attributes: {
    id: { caseExact: true }, username: { caseExact: false }, externalid: { caseExact: true }, displayname: { caseExact: false },
    'emails.value': EMAIL_VALUE, active: { caseExact: false }, 'name.givenname': { caseExact: false }, 'name.familyname': { caseExact: false },
  },
  valuePaths: { emails: { value: EMAIL_VALUE, type: { caseExact: false }, primary: { caseExact: false } } },
};

export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** What a SCIM reader sees as `active`: deactivated by the IdP, or disabled by Ward (the inactivity rule). */
function isActive(r: UserRow): boolean {
  return r.active && r.status !== 'disabled';
}

export function toScimUser(r: UserRow, baseUrl: string): Record<string, unknown> {
  const formatted = [r.given_name, r.family_name].filter(Boolean).join(' ');
  return {
    schemas: r.manager_id ? [SCHEMA.user, SCHEMA.enterpriseUser] : [SCHEMA.user],
    id: r.id,
    ...(r.external_id !== null ? { externalId: r.external_id } : {}),
    userName: r.user_name,
    name: { ...(r.given_name !== null ? { givenName: r.given_name } : {}), ...(r.family_name !== null ? { familyName: r.family_name } : {}), ...(formatted ? { formatted } : {}) },
    displayName: r.display_name,
    emails: [{ value: r.email, type: 'work', primary: true }],
    active: isActive(r),
    groups: r.groups.map((g) => ({ value: g.id, display: g.displayName, $ref: `${baseUrl}/Groups/${g.id}` })),
    // R-GOV-1: the access reviewer the IdP (or an Admin) named (manager.ts).
    ...(r.manager_id ? { [SCHEMA.enterpriseUser]: { manager: { value: r.manager_id } } } : {}),
    meta: { resourceType: 'User', created: r.created_at.toISOString(), lastModified: r.updated_at.toISOString(), location: `${baseUrl}/Users/${r.id}`, version: `W/"${r.version}"` },
  };
}

function filterView(r: UserRow): Record<string, unknown> {
  const lower = (v: string | null) => (v === null ? undefined : v.toLowerCase());
  return {
    id: r.id, username: lower(r.user_name), externalid: r.external_id ?? undefined, displayname: lower(r.display_name),
    'emails.value': [r.email], emails: [{ value: r.email, type: 'work', primary: true }], active: isActive(r),
    'name.givenname': lower(r.given_name), 'name.familyname': lower(r.family_name),
  };
}

/** The primary e-mail: the one marked primary, else the first of type work, else the first; else userName if it is an address. */
function primaryEmail(emails: unknown, userName: string): string {
  let chosen: unknown;
  if (emails !== undefined && emails !== null) {
    if (!Array.isArray(emails)) throw new WardError('SCIM_INVALID_VALUE', 'emails is a list.');
    const entries = emails.filter(isObject);
    const primary = entries.find((e) => attr(e, 'primary') !== undefined && scimBoolean(attr(e, 'primary')))
      ?? entries.find((e) => String(attr(e, 'type') ?? '').toLowerCase() === 'work') ?? entries[0];
    chosen = primary ? attr(primary, 'value') : undefined;
    // An entry whose value is not a string is refused, not replaced by userName behind the IdP's back.
    if (primary && typeof chosen !== 'string') throw new WardError('SCIM_INVALID_VALUE', 'An e-mail value is a string.');
  }
  // The one normal form (identity/email.ts): two spellings of an address are one member, and an
  // address with invisible or look-alike characters is refused (invalidValue, the reason in the log).
  const email = emailRefusal(typeof chosen === 'string' ? chosen : userName);
  if (typeof email === 'string') {
    throw new WardError('SCIM_INVALID_VALUE', email === 'not_an_address' ? 'A user needs an e-mail address (emails, or a userName that is one).' : ERROR_CODES.EMAIL_INVALID.message, { reasons: [email] });
  }
  return email.email;
}

/** A User resource as POST and PUT send it. */
export function userFields(body: unknown): UserFields {
  if (!isObject(body)) throw new WardError('SCIM_INVALID_SYNTAX');
  const userName = requiredString(attr(body, 'userName'), 'userName');
  const name = attr(body, 'name');
  const n = isObject(name) ? name : {};
  const givenName = scimString(attr(n, 'givenName'), 'name.givenName', 200);
  const familyName = scimString(attr(n, 'familyName'), 'name.familyName', 200);
  const displayName = scimString(attr(body, 'displayName'), 'displayName', 200)
    ?? scimString(attr(n, 'formatted'), 'name.formatted', 200)
    ?? ([givenName, familyName].filter(Boolean).join(' ') || userName.split('@')[0]!);
  const active = attr(body, 'active');
  return {
    userName, externalId: scimString(attr(body, 'externalId'), 'externalId'), givenName, familyName, displayName,
    email: primaryEmail(attr(body, 'emails'), userName), active: active === undefined || active === null ? true : scimBoolean(active),
  };
}

async function readUser(tx: Tx, id: string): Promise<UserRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await tx.query<UserRow>(`${SELECT} AND u.member_id = $1`, [id])).rows[0];
}

/** For the guard's load step: the provisioned member, if this tenant has it (RLS hides the others). */
export async function provisionedMemberExists(tx: Tx, id: string): Promise<boolean> {
  return isUuid(id) && (await tx.query('SELECT 1 FROM scim_users WHERE member_id = $1 AND deleted_at IS NULL', [id])).rows.length > 0;
}

export async function getUser(ctx: ScimContext, id: string): Promise<Record<string, unknown>> {
  const r = await readUser(ctx.tx, id);
  if (!r) throw new WardError('NOT_FOUND');
  return toScimUser(r, ctx.baseUrl);
}

export async function listUsers(ctx: ScimContext, q: { filter?: string; startIndex?: string; count?: string }): Promise<Record<string, unknown>> {
  const matches = compileFilter(q.filter, USER_FILTER);
  const { rows } = await ctx.tx.query<UserRow>(`${SELECT} ORDER BY m.created_at, m.id`);
  const all = rows.filter((r) => matches(filterView(r)));
  const { slice, startIndex } = page(all, q.startIndex, q.count, MAX_PAGE);
  return { schemas: [SCHEMA.listResponse], totalResults: all.length, startIndex, itemsPerPage: slice.length, Resources: slice.map((r) => toScimUser(r, ctx.baseUrl)) };
}

async function assertUnique(tx: Tx, fields: UserFields, exceptId: string | null): Promise<void> {
  const { rows: names } = await tx.query('SELECT 1 FROM scim_users WHERE lower(user_name) = lower($1) AND deleted_at IS NULL AND member_id IS DISTINCT FROM $2', [fields.userName, exceptId]);
  // A member Ward created without SCIM keeps its address: the IdP does not take over an account by e-mail.
  const { rows: emails } = await tx.query('SELECT 1 FROM members WHERE email = $1 AND id IS DISTINCT FROM $2', [fields.email, exceptId]);
  if (names.length > 0 || emails.length > 0) throw new WardError('SCIM_UNIQUENESS');
}

export async function createUser(ctx: ScimContext, id: string, body: unknown): Promise<Record<string, unknown>> {
  const f = userFields(body);
  await assertUnique(ctx.tx, f, null);
  await ctx.tx.query(
    `INSERT INTO members (id, tenant_id, email, display_name, status, created_at, disabled_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [id, ctx.tenantId, f.email, f.displayName, f.active ? 'invited' : 'disabled', ctx.now, f.active ? null : ctx.now]);
  await ctx.tx.query(
    `INSERT INTO scim_users (tenant_id, member_id, user_name, external_id, given_name, family_name, active, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
    [ctx.tenantId, id, f.userName, f.externalId, f.givenName, f.familyName, f.active, ctx.now]);
  await ctx.audit.append(ctx.tx, {
    tenantId: ctx.tenantId, actorKind: ctx.actor.kind, actorId: ctx.actor.id, action: 'member.provision', targetType: 'member', targetId: id,
    outcome: 'success', metadata: { via: 'scim', active: f.active },
  });
  const manager = managerOfResource(body as Record<string, unknown>);
  if (manager !== null) await applyManager(ctx, id, manager, null);
  return getUser(ctx, id);
}

/** `manager`: the IdP's new reference (null clears it), or undefined when the request leaves it alone. */
async function writeUser(ctx: ScimContext, before: UserRow, f: UserFields, manager?: string | null): Promise<Record<string, unknown>> {
  await assertUnique(ctx.tx, f, before.id);
  await ctx.tx.query('UPDATE members SET email = $2, display_name = $3 WHERE id = $1', [before.id, f.email, f.displayName]);
  await ctx.tx.query(
    `UPDATE scim_users SET user_name = $2, external_id = $3, given_name = $4, family_name = $5, active = $6, updated_at = $7, version = version + 1
      WHERE member_id = $1`,
    [before.id, f.userName, f.externalId, f.givenName, f.familyName, f.active, ctx.now]);
  if (before.active && !f.active) await deprovisionMember(ctx, before.id, 'scim_deactivated');
  else if (!before.active && f.active) await reactivateMember(ctx, before.id);
  if (manager !== undefined) await applyManager(ctx, before.id, manager, before.manager_id);
  return getUser(ctx, before.id);
}

/** PUT: the whole resource (RFC 7644 §3.5.1); `id` is the URL's. */
export async function replaceUser(ctx: ScimContext, id: string, body: unknown): Promise<Record<string, unknown>> {
  const before = await readUser(ctx.tx, id);
  if (!before) throw new WardError('NOT_FOUND');
  const f = userFields(body);
  return writeUser(ctx, before, f, managerOfResource(body as Record<string, unknown>));
}

function fieldsOf(r: UserRow): UserFields {
  return { userName: r.user_name, externalId: r.external_id, givenName: r.given_name, familyName: r.family_name, displayName: r.display_name, email: r.email, active: r.active };
}

/** Attributes Ward does not keep: accepted and ignored, so that an IdP's full profile does not fail a PATCH. */
const IGNORED = /^(title|locale|preferredlanguage|nickname|profileurl|timezone|usertype|phonenumbers|addresses|photos|ims|x509certificates|entitlements|roles|name\.middlename|name\.honorificprefix|name\.honorificsuffix|urn:.*)$/;

function applyUserOperation(f: UserFields, op: PatchOperation): void {
  const value = op.op === 'remove' ? null : op.value;
  switch (op.path) {
    case 'active':
      if (op.op === 'remove') throw new WardError('SCIM_MUTABILITY', 'active cannot be removed.');
      f.active = scimBoolean(value);
      return;
    case 'username':
      f.userName = requiredString(value, 'userName');
      return;
    case 'externalid':
      f.externalId = scimString(value, 'externalId');
      return;
    case 'displayname':
      f.displayName = scimString(value, 'displayName', 200) ?? f.displayName;
      return;
    case 'name.givenname':
      f.givenName = scimString(value, 'name.givenName', 200);
      return;
    case 'name.familyname':
      f.familyName = scimString(value, 'name.familyName', 200);
      return;
    case 'name.formatted':
      return;
    case 'name': {
      const n = isObject(value) ? value : {};
      if (attr(n, 'givenName') !== undefined || op.op !== 'add') f.givenName = scimString(attr(n, 'givenName'), 'name.givenName', 200);
      if (attr(n, 'familyName') !== undefined || op.op !== 'add') f.familyName = scimString(attr(n, 'familyName'), 'name.familyName', 200);
      return;
    }
    case 'emails':
      if (op.op === 'remove') throw new WardError('SCIM_MUTABILITY', 'A user keeps an e-mail address.');
      // `emails[type eq "work"].value` (Entra ID) or the whole list: Ward keeps the one primary address.
      f.email = op.filter ? primaryEmail([{ value, primary: true }], f.userName) : primaryEmail(value, f.userName);
      return;
    case 'id':
    case 'meta':
    case 'schemas':
      throw new WardError('SCIM_MUTABILITY');
    default:
      if (IGNORED.test(op.path)) return;
      throw new WardError('SCIM_INVALID_PATH');
  }
}

export async function patchUser(ctx: ScimContext, id: string, body: unknown): Promise<Record<string, unknown>> {
  const operations = patchOperations(body, SCHEMA.user);
  const before = await readUser(ctx.tx, id);
  if (!before) throw new WardError('NOT_FOUND');
  const f = fieldsOf(before);
  let manager: string | null | undefined;
  for (const op of operations) {
    const m = managerOfOperation(op);
    if (m !== undefined) manager = m;
    else applyUserOperation(f, op);
  }
  return writeUser(ctx, before, f, manager);
}

/**
 * DELETE (R-AUTHN-5): deactivates at once; the rows stay for the audit trail and the resource answers
 * 404 from then on (RFC 7644 §3.6). Its e-mail address stays taken by the disabled member.
 */
export async function deleteUser(ctx: ScimContext, id: string): Promise<void> {
  const before = await readUser(ctx.tx, id);
  if (!before) throw new WardError('NOT_FOUND');
  // Out of its groups first, so that the roles they gave end too (audited as member.role.revoke).
  await ctx.tx.query('DELETE FROM scim_group_members WHERE member_id = $1', [id]);
  await syncRoles(ctx, id);
  await ctx.tx.query('UPDATE scim_users SET active = false, deleted_at = $2, updated_at = $2, version = version + 1 WHERE member_id = $1', [id, ctx.now]);
  if (before.active) await deprovisionMember(ctx, id, 'scim_deleted');
}

export function newMemberId(): string {
  return randomUUID();
}
