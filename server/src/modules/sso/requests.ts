import { randomUUID } from 'node:crypto';
import type { SsoChangeRequestItem } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { CHANGE_REFUSALS as REFUSALS, changeProposalReads, proposalTimes, proposalTtl, secondOwnerOrAdmin } from '../identity/index.ts';
import type { CheckedSsoChange } from './console.ts';
import { providerArgs, rethrowTaken } from './provider.ts';

/**
 * SSO connection changes by two people (R-AUTHN-2, R-AUTHZ-5, R-AUTHZ-7): another issuer or client
 * (or a first connection), and a disconnection, are proposed by one Owner or Admin and applied only
 * when a second one approves them through their own session. A connection is proposed after the same
 * checks as a one-step change (console.ts: discovery through the egress policy, the console's linking
 * rule, a new secret wrapped under the tenant's key-encryption key), so the proposal holds what the
 * connection would and never a secret in the clear. The SECURITY DEFINER functions of 0120 check every
 * rule again with the actor taken from the verified scope. The operator's one-step path stays
 * `ward sso configure`. Audited at proposal, approval and refusal.
 */
interface Row {
  id: string; kind: SsoChangeRequestItem['kind']; issuer: string | null; client_id: string | null; link_by: SsoChangeRequestItem['linkBy'];
  mfa_acr: string[] | null; client_auth: string | null; replaces_issuer: string | null; replaces_client: string | null; state: SsoChangeRequestItem['state'];
  proposed_by: string; proposed_at: Date; expires_at: Date; decided_by: string | null; decided_at: Date | null; proposer_email: string | null;
}

const SELECT = `SELECT g.id, g.kind, g.issuer, g.client_id, g.link_by, g.mfa_acr, g.client_auth, g.replaces_issuer, g.replaces_client, g.state,
  g.proposed_by, g.proposed_at, g.expires_at, g.decided_by, g.decided_at, (SELECT m.email FROM members m WHERE m.id = g.proposed_by) AS proposer_email
  FROM sso_change_requests g`;

function item(r: Row, now: Date): SsoChangeRequestItem {
  const times = proposalTimes(r, now);
  return {
    id: r.id, kind: r.kind, issuer: r.issuer, clientId: r.client_id, linkBy: r.link_by, mfaAcr: r.mfa_acr ?? [], clientAuth: r.client_auth,
    replacesIssuer: r.replaces_issuer, replacesClientId: r.replaces_client, ...times, proposedBy: r.proposed_by, decidedBy: r.decided_by,
    nextApprover: times.state === 'pending' ? secondOwnerOrAdmin(r.proposer_email) : null,
  };
}

const reads = changeProposalReads<Row, SsoChangeRequestItem>(SELECT, item);
/** The tenant's SSO proposals, newest first, and one by id (row-level security keeps them to the caller's tenant). */
export const listSsoRequests = reads.list;
export const findSsoRequest = reads.find;

export interface SsoActor { tenantId: string; memberId: string }
const audit = (deps: { audit: AuditLog }, tx: Tx, actor: SsoActor, action: string, r: SsoChangeRequestItem, extra: Record<string, string | number> = {}) =>
  deps.audit.append(tx, {
    tenantId: actor.tenantId, actorKind: 'human', actorId: actor.memberId, action, targetType: 'tenant', targetId: actor.tenantId, outcome: 'success',
    metadata: { requestId: r.id, kind: r.kind, issuer: r.issuer ?? 'none', clientId: r.clientId ?? 'none', replacesIssuer: r.replacesIssuer ?? 'none', ...extra },
  });

const NONE = [null, null, null, null, null, null, null, null, null];

async function propose(tx: Tx, deps: { audit: AuditLog }, actor: SsoActor, kind: SsoChangeRequestItem['kind'], args: unknown[], ttlSeconds: number | undefined, now: Date) {
  const ttl = proposalTtl(ttlSeconds);
  const id = randomUUID();
  await tx.query('SELECT ward_sso_change_propose($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)', [id, kind, ...args, new Date(now.getTime() + ttl * 1000), now])
    .catch((e: unknown) => rethrowRefusal(e, { ...REFUSALS, not_found: 'SSO_NOT_CONFIGURED' }));
  const r = (await findSsoRequest(tx, id, now))!;
  await audit(deps, tx, actor, 'sso.change.propose', r, { ttlSeconds: ttl });
  return r;
}

/** Phase 3 of a proposal: the checked connection proposed; nothing changes yet. */
export function proposeSsoConnection(tx: Tx, deps: { audit: AuditLog }, input: { actor: SsoActor; checked: CheckedSsoChange; ttlSeconds?: number }, now: Date): Promise<SsoChangeRequestItem> {
  return propose(tx, deps, input.actor, 'connect', providerArgs(input.checked.provider), input.ttlSeconds, now);
}

/** The removal of the tenant's connection proposed: members then sign in with passkeys only. */
export function proposeSsoDisconnect(tx: Tx, deps: { audit: AuditLog }, input: { actor: SsoActor; ttlSeconds?: number }, now: Date): Promise<SsoChangeRequestItem> {
  return propose(tx, deps, input.actor, 'disconnect', NONE, input.ttlSeconds, now);
}

/** The second person approves: the connection is written or removed, in this transaction. */
export async function approveSsoChange(tx: Tx, deps: { audit: AuditLog }, input: { actor: SsoActor; requestId: string }, now: Date): Promise<SsoChangeRequestItem> {
  await tx.query('SELECT ward_sso_change_approve($1, $2)', [input.requestId, now]).catch((e: unknown) => rethrowRefusal(e, REFUSALS)).catch(rethrowTaken);
  const r = (await findSsoRequest(tx, input.requestId, now))!;
  await audit(deps, tx, input.actor, 'sso.change.approve', r, { approver: input.actor.memberId, proposer: r.proposedBy });
  return r;
}

/** An open proposal refused by another Owner or Admin, or withdrawn by its proposer (cancelled). */
export async function refuseSsoChange(tx: Tx, deps: { audit: AuditLog }, input: { actor: SsoActor; requestId: string }, now: Date): Promise<SsoChangeRequestItem> {
  await tx.query('SELECT ward_sso_change_refuse($1, $2)', [input.requestId, now]).catch((e: unknown) => rethrowRefusal(e, REFUSALS));
  const r = (await findSsoRequest(tx, input.requestId, now))!;
  await audit(deps, tx, input.actor, r.state === 'refused' ? 'sso.change.refuse' : 'sso.change.cancel', r);
  return r;
}
