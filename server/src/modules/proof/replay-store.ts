import { AUTH_LOOKUPS, type Db, type Tx } from '../../db/types.ts';
import { ProofError } from './failures.ts';
import type { VerifiedProof } from './verify-proof.ts';

/**
 * RFC 9449 §11.1: a proof's jti is spent once, across every Ward server on the database (0011). In a
 * request that has a transaction, the jti is spent in it: the write commits with the request's audit
 * record and costs no commit of its own; a concurrent replay waits on the row and is then refused.
 * If that transaction rolls back, nothing it did stands, and the jti is unspent with it.
 * The spend is one insert into the primary key (0040); expired ids are removed in batches by
 * `pruneSpentProofs`, on a timer in every server (docs/threat-model.md, "Spent proof ids").
 */
export interface ReplayStore {
  /** Spends the proof's jti in `tx`; throws ProofError('replayed') when it was spent before. */
  spend(tx: Tx, proof: SpendableId, now: Date): Promise<void>;
  /** The same, in a transaction of its own, for requests with no transaction to join. */
  spendAlone(proof: SpendableId, now: Date): Promise<void>;
}

/** What is spent: a proof's replay key, or a client assertion's (RFC 7523 §3 item 7), until it is no longer acceptable. */
export type SpendableId = Pick<VerifiedProof, 'replayKey' | 'usableUntil'>;

const SPEND = AUTH_LOOKUPS.proofUse;

function check(row: { is_fresh: boolean } | undefined): void {
  if (row?.is_fresh !== true) throw new ProofError('replayed');
}

export function createReplayStore(db: Pick<Db, 'authLookup'>): ReplayStore {
  return {
    async spend(tx, proof, now) {
      const { rows } = await tx.query<{ is_fresh: boolean }>(SPEND, [proof.replayKey, proof.usableUntil, now]);
      check(rows[0]);
    },
    async spendAlone(proof, now) {
      check((await db.authLookup<{ is_fresh: boolean }>(SPEND, [proof.replayKey, proof.usableUntil, now]))[0]);
    },
  };
}

