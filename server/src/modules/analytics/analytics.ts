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

/**
 * `suppress` within each group of cells whose total can be learnt elsewhere: refusals by role, by team
 * and by member add up, kind by kind, to the same totals (the role series gives a role's, and a team's
 * kind totals are the tenant's), so a lone withheld cell in one kind follows from another series' total
 * (a one-person team's 4 denials = the Agents' 18 less the other team's 14). Secondary suppression
 * therefore happens within the kind, not anywhere in the series.
 */
export function suppressWithin<R>(rows: readonly R[], group: (r: R) => string, count: (r: R) => number): Cell[] {
  const out: Cell[] = [];
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => groups.set(group(r), [...(groups.get(group(r)) ?? []), i]));
  for (const at of groups.values()) suppress(at.map((i) => count(rows[i]!))).forEach((c, j) => (out[at[j]!] = c));
  return out;
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
  // Within a status: the review ratios below scale to each status's total.
  const draftCells = suppressWithin(drafts.rows, (r) => r.status, (r) => r.n);
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
  const decisionCells = suppressWithin(decisions.rows, (r) => r.kind, (r) => r.n);
  // R-UX-1: by team, the people who share a manager (members.manager_id, R-GOV-1); masked manager ids only.
  const teams = await tx.query<{ manager_id: string | null; kind: 'step-up' | 'denial'; n: number }>(
    `SELECT m.manager_id::text AS manager_id, CASE WHEN 'step-up-required' = ANY (e.reasons) THEN 'step-up' ELSE 'denial' END AS kind, count(*)::int AS n
       FROM audit_events e JOIN members m ON m.id::text = e.actor_id
      WHERE e.actor_kind = 'human' AND e.decision = 'deny'
      GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2`,
  );
  const teamCells = suppressWithin(teams.rows, (r) => r.kind, (r) => r.n);
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
  // Each column adds up to the role's cell of /v1/analytics: a lone withheld member takes the next smallest with it.
  const stepUps = suppress(rows.rows.map((r) => r.step_ups));
  const denials = suppress(rows.rows.map((r) => r.denials));
  const shown = rows.rows.flatMap((r, i) => (stepUps[i]!.suppressed && denials[i]!.suppressed ? [] : [{ r, stepUps: stepUps[i]!.count, denials: denials[i]!.count }]));
  return {
    role,
    minCell: SMALL_CELL_MIN,
    members: shown.map((m) => ({ maskedId: maskedId(m.r.member_id), stepUps: m.stepUps, denials: m.denials })),
    suppressedMembers: kept(rows.rows.length - shown.length),
  };
}
