import { isRole, WardError, type Role } from '@ward/contracts';
import type { Db, SystemDb, Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { memberScope, newSecret, secretHash } from '../sessions/index.ts';
import { normalEmail } from './email.ts';
import { grantFirstOwner, grantRole, PRIVILEGED_ROLES, type Actor } from './grants.ts';

/**
 * R-AUTHN-3: controlled enrollment. A member gets a first passkey only through a one-time link that
 * expires (24 h by default); only the token's hash is stored; opening the page consumes nothing, a
 * successful registration does. An Owner or Admin invitation needs a second Owner's or Admin's
 * approval (two-person rule, R-AUTHZ-5), except a new tenant's first Owner. New members hold no PHI
 * scope and one role, granted by the invitation (or its approval), never by enrolling.
 */
export const DEFAULT_ENROLLMENT_TTL_SECONDS = 24 * 60 * 60;

export type { Actor } from './grants.ts';

/** An invitation as its maker sees it. `link` is for the notifier or the operator, never an API reply. */
export interface Invitation {
  memberId: string;
  email: string;
  link: string;
  expiresAt: Date;
  requiresApproval: boolean;
}

export function enrollmentLink(origin: URL, token: string): string {
  // The token travels in the fragment: never sent to the server by a page load, never in a log or Referer.
  return `${origin.origin}/enroll#token=${token}`;
}

async function issueToken(tx: Tx, at: { tenantId: string; memberId: string; role: Role; createdBy: string | null; requiresApproval: boolean; expiresAt: Date; now: Date }): Promise<{ token: string; tokenId: string }> {
  const token = newSecret();
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO enrollment_tokens (tenant_id, member_id, token_hash, purpose, created_by, created_at, expires_at, role, requires_approval)
     VALUES ($1, $2, $3, 'enroll', $4, $5, $6, $7, $8) RETURNING id`,
    [at.tenantId, at.memberId, secretHash(token), at.createdBy, at.now, at.expiresAt, at.role, at.requiresApproval]);
  return { token, tokenId: rows[0]!.id };
}

/**
 * R-AUTHN-3: a first-enrollment link for an existing member without a passkey (a member the IdP
 * provisioned, after identity proofing: modules/provisioning). Earlier unused links of the member
 * end. An Owner or Admin role waits for the second person's approval, as an invitation does.
 */
export async function issueEnrollmentLinkInTx(
  tx: Tx,
  deps: { origin: URL },
  input: { tenantId: string; memberId: string; role: Role; createdBy: string | null; ttlSeconds?: number },
  now: Date,
): Promise<{ link: string; tokenId: string; expiresAt: Date; requiresApproval: boolean }> {
  const expiresAt = new Date(now.getTime() + (input.ttlSeconds ?? DEFAULT_ENROLLMENT_TTL_SECONDS) * 1000);
  const requiresApproval = PRIVILEGED_ROLES.includes(input.role);
  await tx.query('UPDATE enrollment_tokens SET consumed_at = $2 WHERE member_id = $1 AND consumed_at IS NULL', [input.memberId, now]);
  const { token, tokenId } = await issueToken(tx, { tenantId: input.tenantId, memberId: input.memberId, role: input.role, createdBy: input.createdBy, requiresApproval, expiresAt, now });
  return { link: enrollmentLink(deps.origin, token), tokenId, expiresAt, requiresApproval };
}

/** `ward tenant create`: the tenant and its first Owner's enrollment link (no approval: no one else exists). */
export async function createTenant(
  deps: { systemDb: SystemDb; audit: AuditLog; origin: URL },
  input: { slug: string; name: string; ownerEmail: string; actor: Actor; ttlSeconds?: number },
  now: Date,
): Promise<Invitation & { tenantId: string }> {
  const email = normalEmail(input.ownerEmail);
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.slug)) throw new WardError('BAD_REQUEST', 'The slug must be 2 to 63 lower-case letters, digits or dashes.');
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) throw new WardError('BAD_REQUEST', 'The name must be 1 to 200 characters.');
  const expiresAt = new Date(now.getTime() + (input.ttlSeconds ?? DEFAULT_ENROLLMENT_TTL_SECONDS) * 1000);
  return deps.systemDb.transaction(async (tx) => {
    const { rows: t } = await tx.query<{ id: string }>('INSERT INTO tenants (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING RETURNING id', [input.slug, name]);
    if (!t[0]) throw new WardError('CONFLICT', 'A tenant with this slug exists.');
    const tenantId = t[0].id;
    const { rows: m } = await tx.query<{ id: string }>(
      "INSERT INTO members (tenant_id, email, display_name, status, created_at) VALUES ($1, $2, $3, 'invited', $4) RETURNING id",
      [tenantId, email, email.split('@')[0], now]);
    const memberId = m[0]!.id;
    const { token, tokenId } = await issueToken(tx, { tenantId, memberId, role: 'Owner', createdBy: null, requiresApproval: false, expiresAt, now });
    await grantFirstOwner(tx, deps, { tenantId, memberId, actor: input.actor }, now);
    await deps.audit.append(tx, { tenantId, actorKind: input.actor.kind, actorId: input.actor.id, action: 'tenant.create', targetType: 'tenant', targetId: tenantId, outcome: 'success' });
    await deps.audit.append(tx, { tenantId, actorKind: input.actor.kind, actorId: input.actor.id, action: 'member.invite', targetType: 'member', targetId: memberId, outcome: 'success', metadata: { role: 'Owner', enrollmentId: tokenId, firstOwner: true } });
    return { tenantId, memberId, email, link: enrollmentLink(deps.origin, token), expiresAt, requiresApproval: false };
  });
}

/**
 * `ward member invite` and the admin API: a new member and a one-time link. An invitation creates a
 * member and nothing else: an existing member (of any status, with or without a passkey) is never
 * invited again, since a link for an existing account would let the inviter enroll their own
 * authenticator into it (a provisioned member's first passkey is identity proofing, R-AUTHN-3).
 * A role that needs no second person is granted here; an Owner or Admin role when approved.
 */
export async function inviteMember(
  deps: { db: Db; audit: AuditLog; origin: URL },
  input: InvitationInput,
  now: Date,
): Promise<Invitation> {
  return deps.db.scoped({ ...memberScope(input.tenantId, input.actor.id), actorKind: input.actor.kind }, (tx) => inviteMemberInTx(tx, deps, input, now));
}

export interface InvitationInput {
  tenantId: string;
  email: string;
  role: string;
  actor: Actor;
  /** The inviting member (the API's signed-in member; for the operator CLI, a claim). */
  invitedBy?: string | null;
  ttlSeconds?: number;
  /** The new member's id when the caller decided on it first (the API decides `grant.role` on it). */
  memberId?: string;
}

/**
 * The same, inside the caller's transaction: the admin API runs it as the handler of a `grant.role`
 * decision on the new member, so that the invitation and its decision commit together.
 */
export async function inviteMemberInTx(tx: Tx, deps: { audit: AuditLog; origin: URL }, input: InvitationInput, now: Date): Promise<Invitation> {
  if (!isRole(input.role)) throw new WardError('BAD_REQUEST', 'The role is not one of Owner, Admin, Manager, Agent, Viewer, Auditor.');
  const role = input.role;
  const email = normalEmail(input.email);
  const ttl = input.ttlSeconds ?? DEFAULT_ENROLLMENT_TTL_SECONDS;
  if (!(ttl > 0 && ttl <= 7 * 24 * 60 * 60)) throw new WardError('BAD_REQUEST', 'An enrollment link lives between 1 second and 7 days.');
  const expiresAt = new Date(now.getTime() + ttl * 1000);
  const requiresApproval = PRIVILEGED_ROLES.includes(role);
  const { rows: existing } = await tx.query<{ id: string }>('SELECT id FROM members WHERE email = $1', [email]);
  if (existing[0]) throw new WardError('MEMBER_EXISTS');
  const { rows } = await tx.query<{ id: string }>(
    "INSERT INTO members (id, tenant_id, email, display_name, status, created_at) VALUES (COALESCE($5::uuid, gen_random_uuid()), $1, $2, $3, 'invited', $4) RETURNING id",
    [input.tenantId, email, email.split('@')[0], now, input.memberId ?? null]);
  const memberId = rows[0]!.id;
  const invitedBy = input.invitedBy ?? null;
  const { token, tokenId } = await issueToken(tx, { tenantId: input.tenantId, memberId, role, createdBy: invitedBy, requiresApproval, expiresAt, now });
  await deps.audit.append(tx, {
    tenantId: input.tenantId, actorKind: input.actor.kind, actorId: input.actor.id, action: 'member.invite', targetType: 'member', targetId: memberId,
    outcome: 'success', metadata: { role, enrollmentId: tokenId, requiresApproval, invitedBy },
  });
  if (!requiresApproval) await grantRole(tx, deps, { tenantId: input.tenantId, memberId, role, grantedBy: invitedBy, actor: input.actor }, now);
  return { memberId, email, link: enrollmentLink(deps.origin, token), expiresAt, requiresApproval };
}

/**
 * R-UX-1, R-UX-2: each role's first screen, where a demo enrollment link lands once the passkey is
 * made (the dashboard's enrollment page follows `next` in the fragment, from this list only).
 */
export const ROLE_LANDING: Readonly<Record<Role, string>> = { Owner: '/admin', Admin: '/admin', Manager: '/supervisor', Agent: '/agent', Auditor: '/auditor', Viewer: '/' };

/** A demo enrollment link that lands on the role's first screen (`ward demo sign-in`). */
export function landingLink(link: string, role: Role): string {
  return ROLE_LANDING[role] === '/' ? link : `${link}&next=${ROLE_LANDING[role]}`;
}

/**
 * `ward demo sign-in`: a first-enrollment link for a demo member of `role` who holds no passkey yet,
 * so that someone trying Ward can sign in as each demo role. Only in a tenant the demo seed flagged
 * (`settings.demo`); the caller refuses it on PostgreSQL. The demo member already holds the role,
 * so no second person approves the link (the two-person rule governs granting a role, R-AUTHZ-5).
 */
export async function demoEnrollment(
  deps: { systemDb: SystemDb; audit: AuditLog; origin: URL },
  input: { slug: string; role: string; ttlSeconds?: number },
  now: Date,
): Promise<Invitation & { email: string }> {
  if (!isRole(input.role)) throw new WardError('BAD_REQUEST', 'The role is not one of Owner, Admin, Manager, Agent, Viewer, Auditor.');
  const role = input.role;
  const expiresAt = new Date(now.getTime() + (input.ttlSeconds ?? DEFAULT_ENROLLMENT_TTL_SECONDS) * 1000);
  return deps.systemDb.transaction(async (tx) => {
    const { rows: tenant } = await tx.query<{ id: string; demo: boolean }>("SELECT id, coalesce((settings->>'demo')::boolean, false) AS demo FROM tenants WHERE slug = $1", [input.slug]);
    if (!tenant[0]) throw new WardError('TENANT_NOT_FOUND');
    if (!tenant[0].demo) throw new WardError('FORBIDDEN', 'This tenant was not created by the demo seed: invite members with ward member invite.', { reasons: ['not_a_demo_tenant'] });
    const tenantId = tenant[0].id;
    const { rows: member } = await tx.query<{ id: string; email: string }>(
      `SELECT m.id, m.email FROM members m
        WHERE m.tenant_id = $1 AND m.status = 'active'
          AND EXISTS (SELECT 1 FROM member_roles r WHERE r.member_id = m.id AND r.role = $2)
          AND NOT EXISTS (SELECT 1 FROM passkey_credentials c WHERE c.member_id = m.id AND c.revoked_at IS NULL)
        ORDER BY (SELECT count(*) FROM member_roles r WHERE r.member_id = m.id), m.email LIMIT 1`,
      [tenantId, role]);
    if (!member[0]) throw new WardError('NOT_FOUND', `Every demo ${role} of this tenant has enrolled already: sign in at /sign-in.`, { reasons: ['no_unenrolled_demo_member'] });
    const memberId = member[0].id;
    await tx.query('UPDATE enrollment_tokens SET consumed_at = $2 WHERE member_id = $1 AND consumed_at IS NULL', [memberId, now]);
    const { token, tokenId } = await issueToken(tx, { tenantId, memberId, role, createdBy: null, requiresApproval: false, expiresAt, now });
    await deps.audit.append(tx, {
      tenantId, actorKind: 'system', actorId: 'system:cli', action: 'member.invite', targetType: 'member', targetId: memberId,
      outcome: 'success', metadata: { role, enrollmentId: tokenId, requiresApproval: false, demo: true },
    });
    return { memberId, email: member[0].email, link: enrollmentLink(deps.origin, token), expiresAt, requiresApproval: false };
  });
}
