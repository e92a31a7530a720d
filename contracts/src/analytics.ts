import { Type, type Static } from '@sinclair/typebox';

/**
 * Supervisor analytics without PHI (R-UX-1, R-DATA-3): aggregate counts only. A cell counting fewer
 * than `SMALL_CELL_MIN` people or events is suppressed by the server (`count: null`,
 * `suppressed: true`), and so is the next smallest cell of a series when one alone would be
 * recoverable from its total. Drill-down names members by a masked id only.
 */
export const SMALL_CELL_MIN = 11;

const closed = { additionalProperties: false } as const;
const Count = Type.Union([Type.Integer({ minimum: SMALL_CELL_MIN }), Type.Null()]);
const Cell = { count: Count, suppressed: Type.Boolean() };

export const AnalyticsReply = Type.Object(
  {
    minCell: Type.Literal(SMALL_CELL_MIN),
    /** Calls in the caller's PHI scopes by month (`2025-01`, UTC), with the median handle time of ended calls. */
    calls: Type.Array(Type.Object({ month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$' }), ...Cell, medianHandleSeconds: Type.Union([Type.Integer(), Type.Null()]) }, closed)),
    /** The same calls by who handled them (a person or the AI voice agent). */
    callsByHandler: Type.Array(Type.Object({ handledBy: Type.String(), ...Cell, medianHandleSeconds: Type.Union([Type.Integer(), Type.Null()]) }, closed)),
    /** AI drafts by kind and review status (pending, confirmed, edited, rejected). */
    aiDrafts: Type.Array(Type.Object({ kind: Type.String(), status: Type.String(), ...Cell }, closed)),
    /** Acceptance (confirmed) and edit ratios over reviewed drafts; null when a cell is suppressed or none was reviewed. */
    aiReview: Type.Object({ acceptance: Type.Union([Type.Number(), Type.Null()]), edited: Type.Union([Type.Number(), Type.Null()]) }, closed),
    /** Refusals of people by role: `step-up` (asked for a fresh passkey) or `denial` (any other refusal). */
    decisions: Type.Array(Type.Object({ role: Type.String(), kind: Type.Union([Type.Literal('step-up'), Type.Literal('denial')]), ...Cell }, closed)),
    /**
     * The same refusals by team: a team is the people who share a manager (the access reviewer a
     * SCIM manager or an Admin sets, R-GOV-1), named by the manager's masked id (`team …1a2b`), or
     * `no team`. Suppressed like every other series.
     */
    decisionsByTeam: Type.Array(Type.Object({ team: Type.String(), kind: Type.Union([Type.Literal('step-up'), Type.Literal('denial')]), ...Cell }, closed)),
  },
  closed,
);
export type AnalyticsReply = Static<typeof AnalyticsReply>;

/** One role's refusals by member, each named by a masked id (`…1a2b`). */
export const AnalyticsDrillReply = Type.Object(
  {
    role: Type.String(),
    minCell: Type.Literal(SMALL_CELL_MIN),
    members: Type.Array(Type.Object({ maskedId: Type.String({ pattern: '^…[0-9a-f]{4}$' }), stepUps: Count, denials: Count }, closed)),
    /** Members whose counts were all suppressed, counted only when there are at least SMALL_CELL_MIN of them. */
    suppressedMembers: Count,
  },
  closed,
);
export type AnalyticsDrillReply = Static<typeof AnalyticsDrillReply>;
