import { randomUUID } from 'node:crypto';
import type { RetentionChangeRequestItem } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { CHANGE_REFUSALS as REFUSALS, changeProposalReads, proposalTimes, proposalTtl, secondOwnerOrAdmin } from '../identity/index.ts';
import { checkRetentionPolicy, type RetentionPolicy } from './policies.ts';

/**
 * Retention changes by two people (R-DATA-5, R-AUTHZ-5, R-AUTHZ-7): a change that destroys PHI
 * sooner (a shorter period, a first policy, deletion in place of de-identification) or the release
 * of a legal hold is proposed by one Owner or Admin and applied only when a second one approves it
 * through their own session. The SECURITY DEFINER functions of 0118 check every rule again with the
 * actor taken from the verified scope: the proposer never approves, an expired proposal applies
 * nothing, a policy changed since the proposal is not overwritten. The retention job reads the
 * written policies only, never a proposal. Audited at proposal, approval and refusal.
 */
interface Row {
  id: string; kind: RetentionChangeRequestItem['kind']; artifact: RetentionChangeRequestItem['artifact']; action: RetentionChangeRequestItem['action'];
  after_days: number | null; expected_action: RetentionChangeRequestItem['action']; expected_days: number | null; hold_id: string | null; hold_matter: string | null;
  state: RetentionChangeRequestItem['state']; proposed_by: string; proposed_at: Date; expires_at: Date; decided_by: string | null; decided_at: Date | null;
  proposer_email: string | null;
}

const SELECT = `SELECT g.id, g.kind, g.artifact, g.action, g.after_days, g.expected_action, g.expected_days, g.hold_id,
  (SELECT h.matter FROM legal_holds h WHERE h.id = g.hold_id) AS hold_matter, g.state, g.proposed_by, g.proposed_at, g.expires_at,
  g.decided_by, g.decided_at, (SELECT m.email FROM members m WHERE m.id = g.proposed_by) AS proposer_email FROM retention_change_requests g`;
const num = (n: number | null) => (n === null ? null : Number(n));

function item(r: Row, now: Date): RetentionChangeRequestItem {
  const times = proposalTimes(r, now);
  return {
    id: r.id, kind: r.kind, artifact: r.artifact, action: r.action, afterDays: num(r.after_days), replacesAction: r.expected_action, replacesDays: num(r.expected_days),
    holdId: r.hold_id, holdMatter: r.hold_matter, ...times, proposedBy: r.proposed_by, decidedBy: r.decided_by,
    nextApprover: times.state === 'pending' ? secondOwnerOrAdmin(r.proposer_email) : null,
  };
}

const reads = changeProposalReads<Row, RetentionChangeRequestItem>(SELECT, item);
/** The tenant's retention proposals, newest first, and one by id (row-level security keeps them to the caller's tenant). */
export const listRetentionRequests = reads.list;
export const findRetentionRequest = reads.find;

export interface RetentionActor { tenantId: string; memberId: string }
const audit = (deps: { audit: AuditLog }, tx: Tx, actor: RetentionActor, action: string, r: RetentionChangeRequestItem, extra: Record<string, string | number> = {}) =>
  deps.audit.append(tx, {
    tenantId: actor.tenantId, actorKind: 'human', actorId: actor.memberId, action, outcome: 'success',
    ...(r.kind === 'policy' ? { targetType: 'retention_policy', targetId: r.artifact! } : { targetType: 'legal_hold', targetId: r.holdId! }),
    metadata: {
      requestId: r.id, kind: r.kind, ...extra,
      ...(r.kind === 'policy' ? { retentionAction: r.action!, afterDays: r.afterDays!, replacesDays: r.replacesDays ?? 'none' } : {}),
    },
  });

async function propose(tx: Tx, deps: { audit: AuditLog }, actor: RetentionActor, ttlSeconds: number | undefined, now: Date, call: (id: string, expiresAt: Date) => Promise<unknown>) {
  const ttl = proposalTtl(ttlSeconds);
  const id = randomUUID();
  await call(id, new Date(now.getTime() + ttl * 1000)).catch((e: unknown) => rethrowRefusal(e, REFUSALS));
  const r = (await findRetentionRequest(tx, id, now))!;
  await audit(deps, tx, actor, 'retention.change.propose', r, { ttlSeconds: ttl });
  return r;
}

/** An Owner or Admin proposes a policy (any; the console proposes those that shorten); nothing changes yet. */
export function proposeRetentionPolicy(tx: Tx, deps: { audit: AuditLog }, input: { actor: RetentionActor; policy: RetentionPolicy; ttlSeconds?: number }, now: Date): Promise<RetentionChangeRequestItem> {
  checkRetentionPolicy(input.policy);
  const { artifact, action, afterDays } = input.policy;
  return propose(tx, deps, input.actor, input.ttlSeconds, now, (id, expiresAt) =>
    tx.query('SELECT ward_retention_policy_propose($1, $2, $3, $4, $5, $6)', [id, artifact, action, afterDays, expiresAt, now]));
}

/** An Owner or Admin proposes to release a live legal hold; it holds until a second one approves. */
export function proposeHoldRelease(tx: Tx, deps: { audit: AuditLog }, input: { actor: RetentionActor; holdId: string; ttlSeconds?: number }, now: Date): Promise<RetentionChangeRequestItem> {
  return propose(tx, deps, input.actor, input.ttlSeconds, now, (id, expiresAt) =>
    tx.query('SELECT ward_legal_hold_release_propose($1, $2, $3, $4)', [id, input.holdId, expiresAt, now]));
}

/** The second person approves: the policy is written or the hold released, in this transaction. */
export async function approveRetentionChange(tx: Tx, deps: { audit: AuditLog }, input: { actor: RetentionActor; requestId: string }, now: Date): Promise<RetentionChangeRequestItem> {
  await tx.query('SELECT ward_retention_change_approve($1, $2)', [input.requestId, now]).catch((e: unknown) => rethrowRefusal(e, REFUSALS));
  const r = (await findRetentionRequest(tx, input.requestId, now))!;
  await audit(deps, tx, input.actor, 'retention.change.approve', r, { approver: input.actor.memberId, proposer: r.proposedBy });
  return r;
}

/** An open proposal refused by another Owner or Admin, or withdrawn by its proposer (cancelled). */
export async function refuseRetentionChange(tx: Tx, deps: { audit: AuditLog }, input: { actor: RetentionActor; requestId: string }, now: Date): Promise<RetentionChangeRequestItem> {
  await tx.query('SELECT ward_retention_change_refuse($1, $2)', [input.requestId, now]).catch((e: unknown) => rethrowRefusal(e, REFUSALS));
  const r = (await findRetentionRequest(tx, input.requestId, now))!;
  await audit(deps, tx, input.actor, r.state === 'refused' ? 'retention.change.refuse' : 'retention.change.cancel', r);
  return r;
}
