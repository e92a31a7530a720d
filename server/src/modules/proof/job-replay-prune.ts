/**
 * The spent-proof pruning job (R-SESS-4, R-WORK-2; 0040): every server removes proof ids past their
 * window in batches, so that a spend is one primary-key insert (docs/threat-model.md, "Spent proof ids").
 */
import type { SystemDb } from '../../db/types.ts';

const PRUNE = 'SELECT ward_proof_prune($1) AS removed';

/**
 * Removes proof ids past their window (by the database clock, with five minutes' grace; 0040), in
 * batches of `batch` until fewer are left; returns how many. Safe to run on several servers at once.
 */
export async function pruneSpentProofs(systemDb: Pick<SystemDb, 'query'>, opts: { batch?: number; maxBatches?: number } = {}): Promise<number> {
  const batch = opts.batch ?? 5000;
  const maxBatches = opts.maxBatches ?? 100;
  let removed = 0;
  for (let i = 0; i < maxBatches; i += 1) {
    const n = (await systemDb.query<{ removed: number }>(PRUNE, [batch])).rows[0]?.removed ?? 0;
    removed += n;
    if (n < batch) break;
  }
  return removed;
}
