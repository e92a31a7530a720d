import type { Deps } from '../../src/deps.ts';

/**
 * The reasons recorded with `actorId`'s audited denials of `action` (R-AUDIT-1: a denial is recorded
 * with the policies that decided it), e.g. `forbid:sod-change-second-person`.
 */
export async function denialReasons(deps: Pick<Deps, 'db'>, action: string, actorId: string): Promise<string[]> {
  const { rows } = await deps.db.systemDb.query<{ reasons: string[] }>(
    "SELECT reasons FROM audit_events WHERE action = $1 AND actor_id = $2 AND decision = 'deny'", [action, actorId]);
  return rows.flatMap((r) => r.reasons);
}
