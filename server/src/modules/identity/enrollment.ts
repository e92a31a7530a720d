import { isRole, WardError, type Role } from '@ward/contracts';
import type { Db, SystemDb, Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/append.ts';
import { memberScope } from '../sessions/authenticator.ts';
import { newSecret, secretHash } from '../sessions/secrets.ts';

/**
 * R-AUTHN-3: controlled enrollment. A member gets a first passkey only through a one-time link that
 * expires (24 h by default); only the token's hash is stored; opening the page consumes nothing, a
 * successful registration does. An Owner or Admin invitation needs a second Owner's or Admin's
 * approval (two-person rule, R-AUTHZ-5), except a new tenant's first Owner. New members hold no PHI
 * scope: the link grants one role and nothing else.
 */
export const DEFAULT_ENROLLMENT_TTL_SECONDS = 24 * 60 * 60;
const PRIVILEGED: readonly Role[] = ['Owner', 'Admin'];
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export interface Actor {
  kind: 'human' | 'system';
  id: string;
}

export interface Invitation {
  memberId: string;
  link: string;
  expiresAt: Date;
  requiresApproval: boolean;
}

function normalEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e)) throw new WardError('BAD_REQUEST', 'The e-mail address is not valid.');
  return e;
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
    await deps.audit.append(tx, { tenantId, actorKind: input.actor.kind, actorId: input.actor.id, action: 'tenant.create', targetType: 'tenant', targetId: tenantId, outcome: 'success' });
    await deps.audit.append(tx, { tenantId, actorKind: input.actor.kind, actorId: input.actor.id, action: 'member.invite', targetType: 'member', targetId: memberId, outcome: 'success', metadata: { role: 'Owner', enrollmentId: tokenId, firstOwner: true } });
    return { tenantId, memberId, link: enrollmentLink(deps.origin, token), expiresAt, requiresApproval: false };
  });
}

/**
 * `ward member invite` and the admin API: a member without a passkey (created when new) and a
 * one-time link. Refused for a member who holds a passkey (that is the recovery flow, R-AUTHN-4).
 */
export async function inviteMember(
  deps: { db: Db; audit: AuditLog; origin: URL },
  input: { tenantId: string; email: string; role: string; actor: Actor; invitedBy?: string | null; ttlSeconds?: number },
  now: Date,
): Promise<Invitation> {
  return deps.db.scoped({ ...memberScope(input.tenantId, input.actor.id), actorKind: input.actor.kind }, (tx) => inviteMemberInTx(tx, deps, input, now));
}

/**
 * The same, inside the caller's transaction: the admin API runs it as the handler of a
 * `member.manage` decision, so that the invitation and its decision commit together.
 */
export async function inviteMemberInTx(
  tx: Tx,
  deps: { audit: AuditLog; origin: URL },
  input: { tenantId: string; email: string; role: string; actor: Actor; invitedBy?: string | null; ttlSeconds?: number },
  now: Date,
): Promise<Invitation> {
  if (!isRole(input.role)) throw new WardError('BAD_REQUEST', 'The role is not one of Owner, Admin, Manager, Agent, Viewer, Auditor.');
  const role = input.role;
  const email = normalEmail(input.email);
  const ttl = input.ttlSeconds ?? DEFAULT_ENROLLMENT_TTL_SECONDS;
  if (!(ttl > 0 && ttl <= 7 * 24 * 60 * 60)) throw new WardError('BAD_REQUEST', 'An enrollment link lives between 1 second and 7 days.');
  const expiresAt = new Date(now.getTime() + ttl * 1000);
  const requiresApproval = PRIVILEGED.includes(role);
  const { rows: existing } = await tx.query<{ id: string; status: string; has_passkey: boolean }>(
    `SELECT m.id, m.status, EXISTS (SELECT 1 FROM passkey_credentials c WHERE c.member_id = m.id AND c.revoked_at IS NULL) AS has_passkey
       FROM members m WHERE m.email = $1`, [email]);
  let memberId = existing[0]?.id;
  if (existing[0]?.has_passkey) throw new WardError('MEMBER_HAS_PASSKEY');
  if (existing[0]?.status === 'disabled') throw new WardError('CONFLICT', 'The member is disabled.');
  if (!memberId) {
    const { rows } = await tx.query<{ id: string }>(
      "INSERT INTO members (tenant_id, email, display_name, status, created_at) VALUES ($1, $2, $3, 'invited', $4) RETURNING id",
      [input.tenantId, email, email.split('@')[0], now]);
    memberId = rows[0]!.id;
  }
  // A new link replaces the member's earlier ones.
  await tx.query('UPDATE enrollment_tokens SET consumed_at = $2 WHERE member_id = $1 AND consumed_at IS NULL', [memberId, now]);
  const { token, tokenId } = await issueToken(tx, { tenantId: input.tenantId, memberId, role, createdBy: input.invitedBy ?? null, requiresApproval, expiresAt, now });
  await deps.audit.append(tx, {
    tenantId: input.tenantId, actorKind: input.actor.kind, actorId: input.actor.id, action: 'member.invite', targetType: 'member', targetId: memberId,
    outcome: 'success', metadata: { role, enrollmentId: tokenId, requiresApproval, invitedBy: input.invitedBy ?? null },
  });
  return { memberId, link: enrollmentLink(deps.origin, token), expiresAt, requiresApproval };
}

/**
 * The second person of the two-person rule: an active Owner or Admin holding a passkey, who is
 * neither the inviter nor the invitee, approves the member's pending Owner or Admin invitation.
 */
export async function approveInvitation(
  deps: { db: Db; audit: AuditLog },
  input: { tenantId: string; email: string; approverMemberId: string; actor: Actor },
  now: Date,
): Promise<{ memberId: string }> {
  const email = normalEmail(input.email);
  // A refusal is audited in the same transaction, which then commits; the error is thrown after.
  const result = await deps.db.scoped({ ...memberScope(input.tenantId, input.actor.id), actorKind: input.actor.kind }, async (tx) => {
    const { rows: approver } = await tx.query<{ ok: boolean }>(
      `SELECT m.status = 'active'
              AND EXISTS (SELECT 1 FROM member_roles r WHERE r.member_id = m.id AND r.role IN ('Owner', 'Admin'))
              AND EXISTS (SELECT 1 FROM passkey_credentials c WHERE c.member_id = m.id AND c.revoked_at IS NULL) AS ok
         FROM members m WHERE m.id = $1`, [input.approverMemberId]);
    const { rows: pending } = await tx.query<{ id: string; member_id: string; created_by: string | null }>(
      `SELECT t.id, t.member_id, t.created_by FROM enrollment_tokens t JOIN members m ON m.id = t.member_id
        WHERE m.email = $1 AND t.requires_approval AND t.approved_at IS NULL AND t.consumed_at IS NULL AND t.expires_at > $2`, [email, now]);
    const p = pending[0];
    const fail = async (reason: string, code: 'FORBIDDEN' | 'NOT_FOUND' | 'ENROLLMENT_SELF_APPROVAL') => {
      await deps.audit.append(tx, { tenantId: input.tenantId, actorKind: input.actor.kind, actorId: input.actor.id, action: 'member.invite.approve', targetType: 'member', targetId: p?.member_id ?? null, outcome: 'denied', reasons: [reason], metadata: { approver: input.approverMemberId } });
      return new WardError(code, undefined, { reasons: [reason] });
    };
    if (!p) return fail('no_pending_invitation', 'NOT_FOUND');
    if (p.created_by === input.approverMemberId || p.member_id === input.approverMemberId) return fail('self_approval', 'ENROLLMENT_SELF_APPROVAL');
    if (!approver[0]?.ok) return fail('approver_not_enrolled_owner_or_admin', 'FORBIDDEN');
    await tx.query('UPDATE enrollment_tokens SET approved_by = $2, approved_at = $3 WHERE id = $1', [p.id, input.approverMemberId, now]);
    await deps.audit.append(tx, { tenantId: input.tenantId, actorKind: input.actor.kind, actorId: input.actor.id, action: 'member.invite.approve', targetType: 'member', targetId: p.member_id, outcome: 'success', metadata: { approver: input.approverMemberId, enrollmentId: p.id } });
    return { memberId: p.member_id };
  });
  if (result instanceof WardError) throw result;
  return result;
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
