import { randomUUID } from 'node:crypto';
import { WardError, type ErrorCode } from '@ward/contracts';
import { rethrowRefusal, type DefinerRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';

/**
 * Grants by two people (R-AUTHZ-5): one Owner or Admin proposes that a member receive something (a
 * PHI scope, 0053; a role, 0070), a second one approves, and only the approval grants it. The
 * SECURITY DEFINER functions named by a kind check every rule again with the actor taken from the
 * verified scope; this file reads the proposals, calls those functions and writes the audit events.
 * Open proposals expire on their own, at most 7 days after. The two-person changes that are not
 * about one member (a SCIM token, 0095; a PHI-scoped workload's key, 0096) use the same open time,
 * reading of expiry, refusals and wording (proposalTtl, proposalTimes, CHANGE_REFUSALS).
 */
export const DEFAULT_PROPOSAL_TTL_SECONDS = 72 * 3600;
export const MAX_PROPOSAL_TTL_SECONDS = 7 * 24 * 3600;

export type ProposalState = 'pending' | 'approved' | 'cancelled' | 'expired';

/** What a kind of proposal grants: its SQL (constants, one per kind), refusal codes and audit actions. */
export interface ProposalKind<K extends string> {
  /** The property the granted object goes by (`phiScope`, `role`), in items and audit metadata. */
  key: K;
  /** Selects g.id, g.member_id, g.object, g.state, … , proposer_email, member_email from the kind's table aliased g. */
  select: string;
  /** ($1 id, $2 member, $3 object, $4 expires_at, $5 now). */
  propose: string;
  /** ($1 id, $2 now) → member_id, object. */
  approve: string;
  /** ($1 id, $2 now). */
  cancel: string;
  refusals: Partial<Record<DefinerRefusal, ErrorCode>>;
  actions: { propose: string; grant: string; cancel: string };
  /** Who must approve an open proposal next, in words. */
  nextApprover: (object: string, proposer: string, member: string) => string;
}

interface Row {
  id: string; member_id: string; object: string; state: ProposalState; proposed_by: string; proposed_at: Date; expires_at: Date;
  decided_by: string | null; decided_at: Date | null; proposer_email: string | null; member_email: string | null;
}

export type ProposalItem<K extends string, V extends string> = {
  id: string; memberId: string; state: ProposalState; proposedBy: string; proposedAt: string; expiresAt: string;
  decidedBy: string | null; decidedAt: string | null; nextApprover: string | null;
} & Record<K, V>;

export interface ProposalActor { tenantId: string; memberId: string }

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

/** A proposal's open time in seconds: the default, or 1 to 168 hours (BAD_REQUEST otherwise). */
export function proposalTtl(ttlSeconds: number | undefined): number {
  const ttl = ttlSeconds ?? DEFAULT_PROPOSAL_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 3600 || ttl > MAX_PROPOSAL_TTL_SECONDS) throw new WardError('BAD_REQUEST', 'A proposal is open for 1 to 168 hours.');
  return ttl;
}

/**
 * A proposal row's state and dates as answered: an open proposal past its expiry reads as expired at
 * once (whether or not a later proposal marked it), decided when it expired.
 */
export function proposalTimes<S extends string>(r: { state: S; proposed_at: Date; expires_at: Date; decided_at: Date | null }, now: Date): { state: S | 'expired'; proposedAt: string; expiresAt: string; decidedAt: string | null } {
  const state: S | 'expired' = r.state === 'pending' && new Date(r.expires_at).getTime() <= now.getTime() ? 'expired' : r.state;
  return { state, proposedAt: iso(r.proposed_at)!, expiresAt: iso(r.expires_at)!, decidedAt: state === 'expired' && r.decided_at === null ? iso(r.expires_at) : iso(r.decided_at) };
}

/**
 * The reads of one table of tenant changes that wait for a second person (SCIM tokens, retention,
 * SSO): the newest 50 and one by id. `select` reads the table as `g`; `item` makes a row an answer.
 * Row-level security keeps both to the caller's tenant.
 */
export function changeProposalReads<R, I>(select: string, item: (r: R, now: Date) => I) {
  return {
    list: async (tx: Tx, now: Date): Promise<I[]> => (await tx.query<R>(`${select} ORDER BY g.proposed_at DESC, g.id LIMIT 50`)).rows.map((r) => item(r, now)),
    find: async (tx: Tx, id: string, now: Date): Promise<I | null> => {
      const { rows } = await tx.query<R>(`${select} WHERE g.id = $1`, [id]);
      return rows[0] ? item(rows[0], now) : null;
    },
  };
}

/** Who must approve an open change that is not about one member: any other Owner or Admin. */
export const secondOwnerOrAdmin = (proposerEmail: string | null) => `a second Owner or Admin other than ${proposerEmail ?? 'the proposer'} (who proposed it)`;

/** The definers' refusals of a two-person change as the API answers them (0095, 0096). */
export const CHANGE_REFUSALS: Partial<Record<DefinerRefusal, ErrorCode>> =
  { not_permitted: 'FORBIDDEN', self_approval: 'CHANGE_SELF_APPROVAL', not_found: 'NOT_FOUND', already_decided: 'CHANGE_NOT_PENDING' };

/** The reads and steps of one kind of proposal. */
export function proposals<K extends string, V extends string>(kind: ProposalKind<K>) {
  type Item = ProposalItem<K, V>;
  function item(r: Row, now: Date): Item {
    const times = proposalTimes(r, now);
    return {
      id: r.id, memberId: r.member_id, [kind.key]: r.object, ...times, proposedBy: r.proposed_by, decidedBy: r.decided_by,
      nextApprover: times.state === 'pending' ? kind.nextApprover(r.object, r.proposer_email ?? 'the proposer', r.member_email ?? 'the member') : null,
    } as Item;
  }

  /** The tenant's proposals, newest first (row-level security keeps them to the caller's tenant). */
  async function list(tx: Tx, now: Date, opts: { limit?: number } = {}): Promise<Item[]> {
    const { rows } = await tx.query<Row>(`${kind.select} ORDER BY g.proposed_at DESC, g.id LIMIT $1`, [Math.min(opts.limit ?? 200, 500)]);
    return rows.map((r) => item(r, now));
  }

  /** One proposal, or null when it is not in the caller's tenant (a 404 for the route). */
  async function find(tx: Tx, id: string, now: Date): Promise<Item | null> {
    const { rows } = await tx.query<Row>(`${kind.select} WHERE g.id = $1`, [id]);
    return rows[0] ? item(rows[0], now) : null;
  }

  const audit = (deps: { audit: AuditLog }, tx: Tx, actor: ProposalActor, action: string, memberId: string, metadata: Record<string, string | number>) =>
    deps.audit.append(tx, { tenantId: actor.tenantId, actorKind: 'human', actorId: actor.memberId, action, targetType: 'member', targetId: memberId, outcome: 'success', metadata });

  /** An Owner or Admin proposes `object` for another member; nothing is granted yet. */
  async function propose(tx: Tx, deps: { audit: AuditLog }, input: { actor: ProposalActor; memberId: string; object: V; ttlSeconds?: number }, now: Date): Promise<Item> {
    const ttl = proposalTtl(input.ttlSeconds);
    const id = randomUUID();
    try {
      await tx.query(kind.propose, [id, input.memberId, input.object, new Date(now.getTime() + ttl * 1000), now]);
    } catch (e) {
      return rethrowRefusal(e, kind.refusals);
    }
    await audit(deps, tx, input.actor, kind.actions.propose, input.memberId, { grantId: id, [kind.key]: input.object, ttlSeconds: ttl });
    return (await find(tx, id, now))!;
  }

  /** The second person approves: the object is granted in the same transaction. */
  async function approve(tx: Tx, deps: { audit: AuditLog }, input: { actor: ProposalActor; grantId: string }, now: Date): Promise<Item> {
    let granted: { member_id: string; object: string };
    try {
      granted = (await tx.query<{ member_id: string; object: string }>(kind.approve, [input.grantId, now])).rows[0]!;
    } catch (e) {
      return rethrowRefusal(e, kind.refusals);
    }
    await audit(deps, tx, input.actor, kind.actions.grant, granted.member_id, { grantId: input.grantId, [kind.key]: granted.object, approver: input.actor.memberId });
    return (await find(tx, input.grantId, now))!;
  }

  /** An open proposal is withdrawn (its proposer or another Owner or Admin, never its member). */
  async function cancel(tx: Tx, deps: { audit: AuditLog }, input: { actor: ProposalActor; grantId: string }, now: Date): Promise<Item> {
    try {
      await tx.query(kind.cancel, [input.grantId, now]);
    } catch (e) {
      return rethrowRefusal(e, kind.refusals);
    }
    const g = (await find(tx, input.grantId, now))!;
    await audit(deps, tx, input.actor, kind.actions.cancel, g.memberId, { grantId: g.id, [kind.key]: g[kind.key] });
    return g;
  }

  return { list, find, propose, approve, cancel };
}
