import { SMALL_CELL_MIN, type AnalyticsDrillReply, type AnalyticsReply } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';

/**
 * Supervisor analytics without PHI (R-UX-1, R-DATA-3): counts computed in the database under the
 * caller's scoped transaction (row-level security keeps calls and drafts to the caller's tenant and
 * PHI scopes, audit events to the tenant), then small cells suppressed here, before anything leaves.
 * No patient, phone number, transcript or draft text is read: only ids, times, kinds and statuses.
 */

interface Cell { count: number | null; suppressed: boolean }

/**
 * Primary suppression: a count under SMALL_CELL_MIN is withheld. Secondary: if a series then has
 * exactly one withheld cell, its total would give it away, so the next smallest cell goes too.
 */
export function suppress(counts: readonly number[]): Cell[] {
  const cells = counts.map((n) => (n < SMALL_CELL_MIN ? { count: null, suppressed: true } : { count: n, suppressed: false }));
  if (cells.filter((c) => c.suppressed).length === 1) {
    let smallest = -1;
    cells.forEach((c, i) => {
      if (!c.suppressed && (smallest < 0 || counts[i]! < counts[smallest]!)) smallest = i;
    });
    if (smallest >= 0) cells[smallest] = { count: null, suppressed: true };
  }
  return cells;
}

const kept = (n: number): number | null => (n < SMALL_CELL_MIN ? null : n);

/** A member's masked id: the last four hex digits of the UUID, never the name or address. */
export const maskedId = (id: string): string => `…${id.replace(/-/g, '').slice(-4).toLowerCase()}`;

export async function tenantAnalytics(tx: Tx): Promise<AnalyticsReply> {
  const median = 'round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - started_at)))::int AS median';
  const calls = await tx.query<{ month: string; n: number; median: number | null }>(
    `SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*)::int AS n, ${median} FROM calls GROUP BY 1 ORDER BY 1`,
  );
  const callCells = suppress(calls.rows.map((r) => r.n));
  const handlers = await tx.query<{ handled_by: string; n: number; median: number | null }>(
    `SELECT handled_by, count(*)::int AS n, ${median} FROM calls GROUP BY 1 ORDER BY 1`,
  );
  const handlerCells = suppress(handlers.rows.map((r) => r.n));
  const drafts = await tx.query<{ kind: string; status: string; n: number }>(
    'SELECT kind, status, count(*)::int AS n FROM ai_drafts GROUP BY 1, 2 ORDER BY 1, 2',
  );
  const draftCells = suppress(drafts.rows.map((r) => r.n));
  const reviewed = await tx.query<{ status: string; n: number }>(
    "SELECT status, count(*)::int AS n FROM ai_drafts WHERE status IN ('confirmed', 'edited', 'rejected') GROUP BY 1",
  );
  const reviewCells = suppress(reviewed.rows.map((r) => r.n));
  const total = reviewed.rows.reduce((s, r) => s + r.n, 0);
  const ratioOf = (status: string): number | null => {
    if (total === 0 || reviewCells.some((c) => c.suppressed)) return null;
    const row = reviewed.rows.find((r) => r.status === status);
    return Math.round(((row?.n ?? 0) / total) * 1000) / 1000;
  };
  const decisions = await tx.query<{ role: string; kind: 'step-up' | 'denial'; n: number }>(
    `SELECT r.role, CASE WHEN 'step-up-required' = ANY (e.reasons) THEN 'step-up' ELSE 'denial' END AS kind, count(*)::int AS n
       FROM audit_events e JOIN member_roles r ON r.member_id::text = e.actor_id
      WHERE e.actor_kind = 'human' AND e.decision = 'deny'
      GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const decisionCells = suppress(decisions.rows.map((r) => r.n));
  // R-UX-1: by team, the people who share a manager (members.manager_id, R-GOV-1); masked manager ids only.
  const teams = await tx.query<{ manager_id: string | null; kind: 'step-up' | 'denial'; n: number }>(
    `SELECT m.manager_id::text AS manager_id, CASE WHEN 'step-up-required' = ANY (e.reasons) THEN 'step-up' ELSE 'denial' END AS kind, count(*)::int AS n
       FROM audit_events e JOIN members m ON m.id::text = e.actor_id
      WHERE e.actor_kind = 'human' AND e.decision = 'deny'
      GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2`,
  );
  const teamCells = suppress(teams.rows.map((r) => r.n));
  return {
    minCell: SMALL_CELL_MIN,
    calls: calls.rows.map((r, i) => ({ month: r.month, ...callCells[i]!, medianHandleSeconds: callCells[i]!.suppressed ? null : r.median })),
    callsByHandler: handlers.rows.map((r, i) => ({ handledBy: r.handled_by, ...handlerCells[i]!, medianHandleSeconds: handlerCells[i]!.suppressed ? null : r.median })),
    aiDrafts: drafts.rows.map((r, i) => ({ kind: r.kind, status: r.status, ...draftCells[i]! })),
    aiReview: { acceptance: ratioOf('confirmed'), edited: ratioOf('edited') },
    decisions: decisions.rows.map((r, i) => ({ role: r.role, kind: r.kind, ...decisionCells[i]! })),
    decisionsByTeam: teams.rows.map((r, i) => ({ team: r.manager_id === null ? 'no team' : `team ${maskedId(r.manager_id)}`, kind: r.kind, ...teamCells[i]! })),
  };
}

/** Drill-down into one role's refusals: per member (masked id), each count suppressed under SMALL_CELL_MIN. */
export async function roleDecisions(tx: Tx, role: string): Promise<AnalyticsDrillReply> {
  const rows = await tx.query<{ member_id: string; step_ups: number; denials: number }>(
    `SELECT r.member_id::text AS member_id,
            count(*) FILTER (WHERE 'step-up-required' = ANY (e.reasons))::int AS step_ups,
            count(*) FILTER (WHERE NOT ('step-up-required' = ANY (e.reasons)))::int AS denials
       FROM audit_events e JOIN member_roles r ON r.member_id::text = e.actor_id AND r.role = $1
      WHERE e.actor_kind = 'human' AND e.decision = 'deny'
      GROUP BY 1 ORDER BY 1`,
    [role],
  );
  const shown = rows.rows.filter((r) => kept(r.step_ups) !== null || kept(r.denials) !== null);
  return {
    role,
    minCell: SMALL_CELL_MIN,
    members: shown.map((r) => ({ maskedId: maskedId(r.member_id), stepUps: kept(r.step_ups), denials: kept(r.denials) })),
    suppressedMembers: kept(rows.rows.length - shown.length),
  };
}
