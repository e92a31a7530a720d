import type { PhiGrantItem, PhiScope } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { DEFAULT_PROPOSAL_TTL_SECONDS, proposals, type ProposalActor } from './proposals.ts';

/**
 * PHI-scope grants by two people (R-AUTHZ-2, R-AUTHZ-5): an Owner or Admin proposes a scope for
 * another member, a second Owner or Admin (neither the proposer nor the member) approves, and only
 * then is the scope granted. Cedar decides each step as `grant.scope` (the approval carries
 * `grantProposedByPrincipal`, so `sod-scope-grant-second-person` refuses the proposer) and the
 * SECURITY DEFINER functions of 0053_phi_scope_grant_requests.sql check it all again with the actor
 * taken from the verified scope. Open proposals expire on their own, at most 7 days after.
 */
export const DEFAULT_PHI_GRANT_TTL_SECONDS = DEFAULT_PROPOSAL_TTL_SECONDS;

const phiGrants = proposals<'phiScope', PhiScope>({
  key: 'phiScope',
  select: `SELECT g.id, g.member_id, g.phi_scope AS object, g.state, g.proposed_by, g.proposed_at, g.expires_at, g.decided_by, g.decided_at,
                  p.email AS proposer_email, m.email AS member_email
             FROM phi_scope_grant_requests g
             LEFT JOIN members p ON p.id = g.proposed_by
             LEFT JOIN members m ON m.id = g.member_id`,
  propose: 'SELECT ward_phi_grant_propose($1, $2, $3, $4, $5)',
  approve: 'SELECT member_id, phi_scope AS object FROM ward_phi_grant_approve($1, $2)',
  cancel: 'SELECT ward_phi_grant_cancel($1, $2)',
  refusals: { not_permitted: 'FORBIDDEN', self_approval: 'GRANT_SELF_APPROVAL', not_found: 'NOT_FOUND', already_decided: 'GRANT_NOT_PENDING' },
  actions: { propose: 'member.phiScope.propose', grant: 'member.phiScope.grant', cancel: 'member.phiScope.cancel' },
  nextApprover: (_scope, proposer, member) => `a second Owner or Admin other than ${proposer} (who proposed it) and ${member}`,
});

export type PhiGrantActor = ProposalActor;

/** The tenant's proposals, newest first (row-level security keeps them to the caller's tenant). */
export const listPhiGrants = (tx: Tx, now: Date, opts?: { limit?: number }): Promise<PhiGrantItem[]> => phiGrants.list(tx, now, opts);

/** One proposal, or null when it is not in the caller's tenant (a 404 for the route). */
export const findPhiGrant = (tx: Tx, id: string, now: Date): Promise<PhiGrantItem | null> => phiGrants.find(tx, id, now);

/** An Owner or Admin proposes `phiScope` for another member; nothing is granted yet. */
export const proposePhiGrantInTx = (
  tx: Tx, deps: { audit: AuditLog }, input: { actor: PhiGrantActor; memberId: string; phiScope: PhiScope; ttlSeconds?: number }, now: Date,
): Promise<PhiGrantItem> => phiGrants.propose(tx, deps, { actor: input.actor, memberId: input.memberId, object: input.phiScope, ttlSeconds: input.ttlSeconds }, now);

/** The second person approves: the scope is granted in the same transaction. */
export const approvePhiGrantInTx = (tx: Tx, deps: { audit: AuditLog }, input: { actor: PhiGrantActor; grantId: string }, now: Date): Promise<PhiGrantItem> =>
  phiGrants.approve(tx, deps, input, now);

/** An open proposal is withdrawn (its proposer or another Owner or Admin, never its member). */
export const cancelPhiGrantInTx = (tx: Tx, deps: { audit: AuditLog }, input: { actor: PhiGrantActor; grantId: string }, now: Date): Promise<PhiGrantItem> =>
  phiGrants.cancel(tx, deps, input, now);
