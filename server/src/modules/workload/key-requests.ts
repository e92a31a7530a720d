import { randomUUID } from 'node:crypto';
import type { WorkloadKeyRequestItem } from '@ward/contracts';
import type { JSONWebKeySet } from 'jose';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { CHANGE_REFUSALS as REFUSALS, proposalTimes, proposalTtl, secondOwnerOrAdmin } from '../identity/index.ts';
import { keysOf, nextKeySet } from './console-keys.ts';

/**
 * New keys for a workload with a PHI scope by two people (R-AUTHZ-5, R-ELEV-1, R-WORK-2): an Owner or
 * Admin proposes a public key (the set it makes is checked here: public keys only, 1 to 5); a second
 * one approves it through their own session, and only then does `ward_workload_key_approve` (0096)
 * install the set, if the workload's set is still the one the proposal named. Revoking a key stays one
 * person's act (console-keys.ts); the operator's one-step path is `ward workload rotate-keys`.
 */
interface Row {
  id: string; client_id: string; name: string; jwks: JSONWebKeySet; state: WorkloadKeyRequestItem['state']; proposed_by: string; proposed_at: Date;
  expires_at: Date; decided_by: string | null; decided_at: Date | null; proposer_email: string | null;
}

const SELECT = `SELECT g.id, w.client_id, w.name, g.jwks, g.state, g.proposed_by, g.proposed_at, g.expires_at, g.decided_by, g.decided_at,
  (SELECT m.email FROM members m WHERE m.id = g.proposed_by) AS proposer_email FROM workload_key_requests g JOIN workloads w ON w.id = g.workload_id`;
async function item(r: Row, now: Date): Promise<WorkloadKeyRequestItem> {
  const times = proposalTimes(r, now);
  return {
    id: r.id, clientId: r.client_id, workloadName: r.name, keys: await keysOf(r.jwks), ...times, proposedBy: r.proposed_by, decidedBy: r.decided_by,
    nextApprover: times.state === 'pending' ? secondOwnerOrAdmin(r.proposer_email) : null,
  };
}

/** The tenant's workload key proposals, newest first (row-level security keeps them to the caller's tenant). */
export async function listWorkloadKeyRequests(tx: Tx, now: Date): Promise<WorkloadKeyRequestItem[]> {
  return Promise.all((await tx.query<Row>(`${SELECT} ORDER BY g.proposed_at DESC, g.id LIMIT 50`)).rows.map((r) => item(r, now)));
}

export async function findWorkloadKeyRequest(tx: Tx, id: string, now: Date): Promise<WorkloadKeyRequestItem | null> {
  const { rows } = await tx.query<Row>(`${SELECT} WHERE g.id = $1`, [id]);
  return rows[0] ? item(rows[0], now) : null;
}

export interface KeyActor { tenantId: string; memberId: string }
const audit = (deps: { audit: AuditLog }, tx: Tx, actor: KeyActor, action: string, clientId: string, metadata: Record<string, string | number>) =>
  deps.audit.append(tx, { tenantId: actor.tenantId, actorKind: 'human', actorId: actor.memberId, action, targetType: 'workload', targetId: clientId, outcome: 'success', metadata });

/** An Owner or Admin proposes a public key for a workload; nothing changes yet. */
export async function proposeWorkloadKey(tx: Tx, deps: { audit: AuditLog }, input: { actor: KeyActor; clientId: string; jwk: unknown; ttlSeconds?: number }, now: Date): Promise<WorkloadKeyRequestItem> {
  const ttl = proposalTtl(input.ttlSeconds);
  const { current, next } = await nextKeySet(tx, input.clientId, { kind: 'add', jwk: input.jwk });
  const id = randomUUID();
  await tx.query('SELECT ward_workload_key_propose($1, $2, $3, $4, $5, $6)',
    [id, input.clientId, JSON.stringify(current.jwks), JSON.stringify(next), new Date(now.getTime() + ttl * 1000), now])
    .catch((e: unknown) => rethrowRefusal(e, REFUSALS));
  const made = (await findWorkloadKeyRequest(tx, id, now))!;
  await audit(deps, tx, input.actor, 'workload.key.propose', input.clientId, { requestId: id, keys: made.keys.length, thumbprints: made.keys.map((k) => k.thumbprint).join(' '), ttlSeconds: ttl });
  return made;
}

/** The second person approves: the proposed set is installed in the same transaction. */
export async function approveWorkloadKey(tx: Tx, deps: { audit: AuditLog }, input: { actor: KeyActor; requestId: string }, now: Date): Promise<WorkloadKeyRequestItem> {
  const { rows } = await tx.query<{ client_id: string }>('SELECT ward_workload_key_approve($1, $2) AS client_id', [input.requestId, now])
    .catch((e: unknown) => rethrowRefusal(e, REFUSALS));
  const done = (await findWorkloadKeyRequest(tx, input.requestId, now))!;
  await audit(deps, tx, input.actor, 'workload.key.approve', rows[0]!.client_id, { requestId: input.requestId, thumbprints: done.keys.map((k) => k.thumbprint).join(' '), approver: input.actor.memberId });
  return done;
}

/** An open proposal is withdrawn (its proposer or another Owner or Admin). */
export async function cancelWorkloadKey(tx: Tx, deps: { audit: AuditLog }, input: { actor: KeyActor; requestId: string }, now: Date): Promise<WorkloadKeyRequestItem> {
  await tx.query('SELECT ward_workload_key_cancel($1, $2)', [input.requestId, now]).catch((e: unknown) => rethrowRefusal(e, REFUSALS));
  const done = (await findWorkloadKeyRequest(tx, input.requestId, now))!;
  await audit(deps, tx, input.actor, 'workload.key.cancel', done.clientId, { requestId: input.requestId });
  return done;
}
