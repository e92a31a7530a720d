import { randomUUID } from 'node:crypto';
import { WardError, type PhiGrantItem, type PhiScope } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';

/**
 * PHI-scope grants by two people (R-AUTHZ-2, R-AUTHZ-5): an Owner or Admin proposes a scope for
 * another member, a second Owner or Admin (neither the proposer nor the member) approves, and only
 * then is the scope granted. Cedar decides each step as `grant.scope` (the approval carries
 * `grantProposedByPrincipal`, so `sod-scope-grant-second-person` refuses the proposer) and the
 * SECURITY DEFINER functions of 0053_phi_scope_grant_requests.sql check it all again with the actor
 * taken from the verified scope. Open proposals expire on their own, at most 7 days after.
 */
export const DEFAULT_PHI_GRANT_TTL_SECONDS = 72 * 3600;
export const MAX_PHI_GRANT_TTL_SECONDS = 7 * 24 * 3600;

interface Row {
  id: string; member_id: string; phi_scope: PhiScope; state: PhiGrantItem['state']; proposed_by: string; proposed_at: Date; expires_at: Date;
  decided_by: string | null; decided_at: Date | null; proposer_email: string | null; member_email: string | null;
}

const SELECT = `SELECT g.id, g.member_id, g.phi_scope, g.state, g.proposed_by, g.proposed_at, g.expires_at, g.decided_by, g.decided_at,
                       p.email AS proposer_email, m.email AS member_email
                  FROM phi_scope_grant_requests g
                  LEFT JOIN members p ON p.id = g.proposed_by
                  LEFT JOIN members m ON m.id = g.member_id`;

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

function item(r: Row, now: Date): PhiGrantItem {
  // An open proposal past its expiry reads as expired at once, whether or not a later proposal marked it.
  const state = r.state === 'pending' && new Date(r.expires_at).getTime() <= now.getTime() ? 'expired' : r.state;
  return {
    id: r.id, memberId: r.member_id, phiScope: r.phi_scope, state, proposedBy: r.proposed_by, proposedAt: iso(r.proposed_at)!, expiresAt: iso(r.expires_at)!,
    decidedBy: r.decided_by, decidedAt: state === 'expired' && r.decided_at === null ? iso(r.expires_at) : iso(r.decided_at),
    nextApprover: state === 'pending'
      ? `a second Owner or Admin other than ${r.proposer_email ?? 'the proposer'} (who proposed it) and ${r.member_email ?? 'the member'}`
      : null,
  };
}

/** The tenant's proposals, newest first (row-level security keeps them to the caller's tenant). */
export async function listPhiGrants(tx: Tx, now: Date, opts: { limit?: number } = {}): Promise<PhiGrantItem[]> {
  const { rows } = await tx.query<Row>(`${SELECT} ORDER BY g.proposed_at DESC, g.id LIMIT $1`, [Math.min(opts.limit ?? 200, 500)]);
  return rows.map((r) => item(r, now));
}

/** One proposal, or null when it is not in the caller's tenant (a 404 for the route). */
export async function findPhiGrant(tx: Tx, id: string, now: Date): Promise<PhiGrantItem | null> {
  const { rows } = await tx.query<Row>(`${SELECT} WHERE g.id = $1`, [id]);
  return rows[0] ? item(rows[0], now) : null;
}

const REFUSALS = {
  not_permitted: 'FORBIDDEN', self_approval: 'GRANT_SELF_APPROVAL', not_found: 'NOT_FOUND', already_decided: 'GRANT_NOT_PENDING',
} as const;

export interface PhiGrantActor { tenantId: string; memberId: string }

/** An Owner or Admin proposes `phiScope` for another member; nothing is granted yet. */
export async function proposePhiGrantInTx(
  tx: Tx,
  deps: { audit: AuditLog },
  input: { actor: PhiGrantActor; memberId: string; phiScope: PhiScope; ttlSeconds?: number },
  now: Date,
): Promise<PhiGrantItem> {
  const ttl = input.ttlSeconds ?? DEFAULT_PHI_GRANT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 3600 || ttl > MAX_PHI_GRANT_TTL_SECONDS) throw new WardError('BAD_REQUEST', 'A proposal is open for 1 to 168 hours.');
  const id = randomUUID();
  try {
    await tx.query('SELECT ward_phi_grant_propose($1, $2, $3, $4, $5)', [id, input.memberId, input.phiScope, new Date(now.getTime() + ttl * 1000), now]);
  } catch (e) {
    return rethrowRefusal(e, REFUSALS);
  }
  await deps.audit.append(tx, {
    tenantId: input.actor.tenantId, actorKind: 'human', actorId: input.actor.memberId, action: 'member.phiScope.propose', targetType: 'member',
    targetId: input.memberId, outcome: 'success', metadata: { grantId: id, phiScope: input.phiScope, ttlSeconds: ttl },
  });
  return (await findPhiGrant(tx, id, now))!;
}

/** The second person approves: the scope is granted in the same transaction. */
export async function approvePhiGrantInTx(tx: Tx, deps: { audit: AuditLog }, input: { actor: PhiGrantActor; grantId: string }, now: Date): Promise<PhiGrantItem> {
  let granted: { member_id: string; phi_scope: string };
  try {
    const { rows } = await tx.query<{ member_id: string; phi_scope: string }>('SELECT member_id, phi_scope FROM ward_phi_grant_approve($1, $2)', [input.grantId, now]);
    granted = rows[0]!;
  } catch (e) {
    return rethrowRefusal(e, REFUSALS);
  }
  await deps.audit.append(tx, {
    tenantId: input.actor.tenantId, actorKind: 'human', actorId: input.actor.memberId, action: 'member.phiScope.grant', targetType: 'member',
    targetId: granted.member_id, outcome: 'success', metadata: { grantId: input.grantId, phiScope: granted.phi_scope, approver: input.actor.memberId },
  });
  return (await findPhiGrant(tx, input.grantId, now))!;
}

/** An open proposal is withdrawn (its proposer or another Owner or Admin, never its member). */
export async function cancelPhiGrantInTx(tx: Tx, deps: { audit: AuditLog }, input: { actor: PhiGrantActor; grantId: string }, now: Date): Promise<PhiGrantItem> {
  try {
    await tx.query('SELECT ward_phi_grant_cancel($1, $2)', [input.grantId, now]);
  } catch (e) {
    return rethrowRefusal(e, REFUSALS);
  }
  const g = (await findPhiGrant(tx, input.grantId, now))!;
  await deps.audit.append(tx, {
    tenantId: input.actor.tenantId, actorKind: 'human', actorId: input.actor.memberId, action: 'member.phiScope.cancel', targetType: 'member',
    targetId: g.memberId, outcome: 'success', metadata: { grantId: g.id, phiScope: g.phiScope },
  });
  return g;
}
