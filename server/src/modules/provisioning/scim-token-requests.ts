import { randomUUID } from 'node:crypto';
import { WardError, type ScimTokenIssued, type ScimTokenRequestItem } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { CHANGE_REFUSALS as REFUSALS, changeProposalReads, proposalTimes, proposalTtl, secondOwnerOrAdmin } from '../identity/index.ts';
import { newSecret, secretHash } from '../sessions/index.ts';
import { MAX_SCIM_TOKEN_DAYS, SCIM_TOKEN_PREFIX } from './operator.ts';

/**
 * SCIM tokens from the admin console by two people (R-AUTHZ-5, R-ELEV-1, R-AUTHN-5): an Owner or
 * Admin proposes one (its lifetime, whether the live tokens end); a second one approves it through
 * their own session, and only then is the token made here, stored by hash through
 * `ward_scim_token_approve` (0095) and answered once, to the approver. The SECURITY DEFINER functions
 * check every rule again with the actor taken from the verified scope. The operator's one-step path
 * is `ward scim token` (operator.ts).
 */
interface Row {
  id: string; days: number; revoke_old: boolean; state: ScimTokenRequestItem['state']; proposed_by: string; proposed_at: Date; expires_at: Date;
  decided_by: string | null; decided_at: Date | null; token_id: string | null; proposer_email: string | null;
}

const SELECT = `SELECT g.id, g.days, g.revoke_old, g.state, g.proposed_by, g.proposed_at, g.expires_at, g.decided_by, g.decided_at, g.token_id,
  (SELECT m.email FROM members m WHERE m.id = g.proposed_by) AS proposer_email FROM scim_token_requests g`;
function item(r: Row, now: Date): ScimTokenRequestItem {
  const times = proposalTimes(r, now);
  return {
    id: r.id, days: Number(r.days), revokeOld: r.revoke_old, ...times, proposedBy: r.proposed_by, decidedBy: r.decided_by, tokenId: r.token_id,
    nextApprover: times.state === 'pending' ? secondOwnerOrAdmin(r.proposer_email) : null,
  };
}

const reads = changeProposalReads<Row, ScimTokenRequestItem>(SELECT, item);
/** The tenant's SCIM token proposals, newest first, and one by id (row-level security keeps them to the caller's tenant). */
export const listScimTokenRequests = reads.list;
export const findScimTokenRequest = reads.find;

export interface ScimActor { tenantId: string; memberId: string }
const audit = (deps: { audit: AuditLog }, tx: Tx, actor: ScimActor, action: string, metadata: Record<string, string | number | boolean>) =>
  deps.audit.append(tx, { tenantId: actor.tenantId, actorKind: 'human', actorId: actor.memberId, action, targetType: 'tenant', targetId: actor.tenantId, outcome: 'success', metadata });

/** An Owner or Admin proposes a SCIM token; nothing is made yet. */
export async function proposeScimToken(tx: Tx, deps: { audit: AuditLog }, input: { actor: ScimActor; days?: number; revokeOld: boolean; ttlSeconds?: number }, now: Date): Promise<ScimTokenRequestItem> {
  const days = input.days ?? MAX_SCIM_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_SCIM_TOKEN_DAYS) throw new WardError('BAD_REQUEST', `A SCIM token lasts 1 to ${MAX_SCIM_TOKEN_DAYS} days.`);
  const ttl = proposalTtl(input.ttlSeconds);
  const id = randomUUID();
  await tx.query('SELECT ward_scim_token_propose($1, $2, $3, $4, $5)', [id, days, input.revokeOld, new Date(now.getTime() + ttl * 1000), now])
    .catch((e: unknown) => rethrowRefusal(e, REFUSALS));
  await audit(deps, tx, input.actor, 'scim.token.propose', { requestId: id, days, revokeOld: input.revokeOld, ttlSeconds: ttl });
  return (await findScimTokenRequest(tx, id, now))!;
}

/** The second person approves: the token is made, stored by hash and answered once, in this transaction. */
export async function approveScimToken(tx: Tx, deps: { audit: AuditLog }, input: { actor: ScimActor; requestId: string }, now: Date): Promise<{ request: ScimTokenRequestItem; issued: ScimTokenIssued }> {
  const token = `${SCIM_TOKEN_PREFIX}${newSecret()}`;
  const tokenId = randomUUID();
  const newClientId = `wl_${Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url')}`;
  const { rows } = await tx.query<{ client_id: string; expires_at: Date; revoked: number; registered: boolean }>(
    'SELECT client_id, expires_at, revoked, registered FROM ward_scim_token_approve($1, $2, $3, $4, $5, $6)',
    [input.requestId, tokenId, secretHash(token), randomUUID(), newClientId, now],
  ).catch((e: unknown) => rethrowRefusal(e, REFUSALS));
  const r = rows[0]!;
  const issued = { token, tokenId, clientId: r.client_id, expiresAt: new Date(r.expires_at).toISOString(), revoked: Number(r.revoked), registered: r.registered };
  // R-MON-1: the token itself never reaches the trail.
  await audit(deps, tx, input.actor, 'scim.token.issue', { requestId: input.requestId, tokenId, clientId: issued.clientId, revokedTokens: issued.revoked, approver: input.actor.memberId });
  return { request: (await findScimTokenRequest(tx, input.requestId, now))!, issued };
}

/** An open proposal is withdrawn (its proposer or another Owner or Admin). */
export async function cancelScimToken(tx: Tx, deps: { audit: AuditLog }, input: { actor: ScimActor; requestId: string }, now: Date): Promise<ScimTokenRequestItem> {
  await tx.query('SELECT ward_scim_token_cancel($1, $2)', [input.requestId, now]).catch((e: unknown) => rethrowRefusal(e, REFUSALS));
  await audit(deps, tx, input.actor, 'scim.token.cancel', { requestId: input.requestId });
  return (await findScimTokenRequest(tx, input.requestId, now))!;
}
