import type { Tx } from '../../db/types.ts';
import type { EvidenceKey } from './mapping.ts';

/**
 * A tenant's live state for the compliance report (R-GOV-4): each figure now, and per day over the
 * last 90 days, read from the audit trail and the identity tables of that tenant. Counts only: no
 * identifier and no PHI leaves these queries (R-DATA-4).
 */
export const TREND_DAYS = 90;

export interface Figure {
  key: EvidenceKey;
  title: string;
  /** The figure today, as a number and as the report prints it. */
  value: number | null;
  display: string;
  /** What it counts, and where it comes from (the audit action or table). */
  definition: string;
  /** One value per day, oldest first (TREND_DAYS of them); null when the figure has no history. */
  trend: number[] | null;
  trendLabel?: string;
  /** `none`: the feature that would produce this figure is not built; the report says so. */
  source: 'audit' | 'tables' | 'verifier' | 'none';
  /** Secondary counts shown beside the figure (e.g. reviews of break-glass uses). */
  details?: Record<string, number | string>;
}

export interface TenantEvidence {
  tenant: { slug: string };
  generatedAt: string;
  window: { from: string; to: string; days: number };
  figures: Record<EvidenceKey, Figure>;
}

type Q = Pick<Tx, 'query'>;

/** The result of verifying the tenant's trail (modules/audit verifyTenantLog), as the report shows it. */
export interface VerificationSummary {
  ok: boolean;
  treeSize: number;
  headsChecked: number;
  unsealed: number;
  failure?: string;
}

function days(to: Date): string[] {
  const end = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
  return Array.from({ length: TREND_DAYS }, (_, i) => new Date(end - (TREND_DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** Daily counts of audit events matching `where` (with $1 the tenant, $2 the window's start). */
async function dailyEvents(q: Q, tenantId: string, from: Date, labels: string[], where: string): Promise<number[]> {
  const { rows } = await q.query<{ day: string; n: number }>(
    `SELECT to_char((occurred_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*)::int AS n
       FROM audit_events WHERE tenant_id = $1 AND occurred_at >= $2 AND (${where}) GROUP BY 1`,
    [tenantId, from],
  );
  const byDay = new Map(rows.map((r) => [r.day, r.n]));
  return labels.map((d) => byDay.get(d) ?? 0);
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const pct = (part: number, whole: number): number | null => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : null);
const pctText = (v: number | null): string => (v === null ? 'no data' : `${v}%`);

/** The audit conditions each figure counts (also used by the tests that check the report against the trail). */
export const EVIDENCE_SQL = {
  phiDenials: `decision = 'deny' AND phi_scope IS NOT NULL`,
  stepUpsVerified: `action = 'auth.step_up' AND outcome = 'success'`,
  stepUpsRequired: `decision = 'deny' AND 'step-up-required' = ANY (reasons)`,
  breakGlass: `action = 'breakglass.open' AND outcome = 'success' AND NOT metadata ? 'refused'`,
  breakGlassReviews: `action = 'breakglass.review' AND outcome = 'success' AND NOT metadata ? 'refused'`,
  inactiveDisabled: `action IN ('member.deprovision', 'workload.disable') AND 'inactive' = ANY (reasons)`,
  aiOutputsPassed: `action = 'ai.run' AND metadata->>'phase' = 'outcome' AND metadata->>'state' = 'ready'`,
  aiOutputsFailed: `action = 'ai.run' AND metadata->>'phase' = 'outcome' AND metadata->>'reason' = 'unscannable'`,
  // A review's row is its last decision's (ai.review, or caseNote.write[Restricted] when it wrote a
  // case note); each carries the outcome in metadata.review (routes/ai-review.ts).
  aiDraftReviews: `outcome = 'success' AND metadata ? 'aiDraft' AND metadata->>'review' IN ('confirmed', 'edited', 'rejected')`,
  aiDraftEdits: `outcome = 'success' AND metadata ? 'aiDraft' AND metadata->>'review' = 'edited'`,
  // Exports refused for want of a Part 2 consent (42 CFR 2.31), and the accountings read (ward disclosures).
  part2Refusals: `action = 'export.create' AND 'PART2_CONSENT_REQUIRED' = ANY (reasons)`,
  accountingsGiven: `action = 'disclosures.account' AND outcome = 'success'`,
} as const;

/**
 * R-GOV-1: access review completion from the campaigns' own rows (0037, 0044): of the items of the
 * campaigns started in the window, the share a reviewer attested (kept or revoked); beside it what
 * the deadline took (expired, and of those revoked), what is still pending, and the break-glass list
 * items. The trend counts attestations per day. The same rows are the campaigns' evidence export.
 */
async function accessReviewFigure(q: Q, tenantId: string, from: Date, labels: string[]): Promise<Figure> {
  const { rows: [c] } = await q.query<{ campaigns: number; open: number; items: number; kept: number; revoked: number; expired: number; expired_revoked: number; pending: number; unassigned: number; breakglass: number }>(
    `SELECT count(DISTINCT c.id)::int AS campaigns, count(DISTINCT c.id) FILTER (WHERE c.closed_at IS NULL)::int AS open,
            count(i.id)::int AS items,
            count(i.id) FILTER (WHERE i.decision = 'keep')::int AS kept,
            count(i.id) FILTER (WHERE i.decision = 'revoke')::int AS revoked,
            count(i.id) FILTER (WHERE i.decision = 'expired')::int AS expired,
            count(i.id) FILTER (WHERE i.decision = 'expired' AND i.revoked)::int AS expired_revoked,
            count(i.id) FILTER (WHERE i.decision IS NULL)::int AS pending,
            count(i.id) FILTER (WHERE i.reviewer_id IS NULL)::int AS unassigned,
            count(i.id) FILTER (WHERE i.entitlement_kind = 'list')::int AS breakglass
       FROM access_review_campaigns c LEFT JOIN access_review_items i ON i.campaign_id = c.id
      WHERE c.tenant_id = $1 AND c.started_at >= $2`,
    [tenantId, from],
  );
  const { rows: perDay } = await q.query<{ day: string; n: number }>(
    `SELECT to_char((i.decided_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*)::int AS n
       FROM access_review_items i WHERE i.tenant_id = $1 AND i.decided_at >= $2 AND i.decision IN ('keep', 'revoke') GROUP BY 1`,
    [tenantId, from],
  );
  const byDay = new Map(perDay.map((r) => [r.day, r.n]));
  const r = c ?? { campaigns: 0, open: 0, items: 0, kept: 0, revoked: 0, expired: 0, expired_revoked: 0, pending: 0, unassigned: 0, breakglass: 0 };
  const value = pct(r.kept + r.revoked, r.items);
  return {
    key: 'accessReviews', title: 'Access-review completion', value,
    display: r.campaigns === 0 ? 'no campaign in the window' : `${pctText(value)} attested (${r.kept + r.revoked} of ${r.items} items, ${r.campaigns} campaign${r.campaigns === 1 ? '' : 's'})`,
    definition: 'Items of the access review campaigns started in the last 90 days that a reviewer attested (kept or revoked, with a note), over all their items; '
      + 'items the deadline took are counted beside it (expired, and revoked automatically). From the campaigns\' tables, as their evidence export (ward review, GET /v1/reviews/campaigns/:id/evidence).',
    trend: labels.map((d) => byDay.get(d) ?? 0), trendLabel: 'attestations per day', source: r.campaigns === 0 ? 'none' : 'tables',
    details: {
      campaigns: r.campaigns, open: r.open, items: r.items, kept: r.kept, revoked: r.revoked,
      expired: r.expired, expiredRevoked: r.expired_revoked, pending: r.pending, unassigned: r.unassigned, breakGlassListItems: r.breakglass,
    },
  };
}

export async function collectEvidence(
  q: Q,
  tenant: { id: string; slug: string },
  opts: { now: Date; verification: VerificationSummary | null },
): Promise<TenantEvidence> {
  const labels = days(opts.now);
  const from = new Date(`${labels[0]}T00:00:00.000Z`);
  const ev = (where: string) => dailyEvents(q, tenant.id, from, labels, where);

  // Sign-ins: every session started in the window, and those whose sign-in proved MFA (R-AUTHN-2).
  const sessions = (await q.query<{ day: string; n: number; mfa: number }>(
    `SELECT to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*)::int AS n, count(*) FILTER (WHERE mfa)::int AS mfa
       FROM sessions WHERE tenant_id = $1 AND created_at >= $2 GROUP BY 1`,
    [tenant.id, from],
  )).rows;
  const sessionsByDay = new Map(sessions.map((r) => [r.day, r]));
  const mfaTrend = labels.map((d) => {
    const r = sessionsByDay.get(d);
    return r && r.n > 0 ? Math.round((1000 * r.mfa) / r.n) / 10 : 0;
  });
  const sessionsTotal = sum(sessions.map((r) => r.n));
  const sessionsMfa = sum(sessions.map((r) => r.mfa));

  // Passkey adoption (R-AUTHN-1): active members with a usable passkey, now and at the end of each day.
  const members = (await q.query<{ created_at: Date; first_passkey: Date | null; status: string }>(
    `SELECT m.created_at, m.status, (SELECT min(p.created_at) FROM passkey_credentials p WHERE p.tenant_id = m.tenant_id AND p.member_id = m.id AND p.revoked_at IS NULL) AS first_passkey
       FROM members m WHERE m.tenant_id = $1 AND m.status IN ('active', 'restricted')`,
    [tenant.id],
  )).rows;
  const active = members.filter((m) => m.status === 'active');
  const withPasskey = active.filter((m) => m.first_passkey !== null).length;
  const adoptionTrend = labels.map((d) => {
    const end = new Date(`${d}T23:59:59.999Z`).getTime();
    const existing = members.filter((m) => new Date(m.created_at).getTime() <= end);
    const adopted = existing.filter((m) => m.first_passkey !== null && new Date(m.first_passkey).getTime() <= end).length;
    return existing.length > 0 ? Math.round((1000 * adopted) / existing.length) / 10 : 0;
  });

  const [phiDenials, stepUpsVerified, stepUpsRequired, breakGlass, breakGlassReviews, inactiveDisabled, aiPassed, aiFailed, draftReviews, draftEdits] = await Promise.all([
    ev(EVIDENCE_SQL.phiDenials), ev(EVIDENCE_SQL.stepUpsVerified), ev(EVIDENCE_SQL.stepUpsRequired), ev(EVIDENCE_SQL.breakGlass), ev(EVIDENCE_SQL.breakGlassReviews),
    ev(EVIDENCE_SQL.inactiveDisabled), ev(EVIDENCE_SQL.aiOutputsPassed), ev(EVIDENCE_SQL.aiOutputsFailed), ev(EVIDENCE_SQL.aiDraftReviews), ev(EVIDENCE_SQL.aiDraftEdits),
  ]);
  // The accounting of disclosures (45 CFR 164.528; docs/disclosures.md): the tenant's disclosures
  // per day, with those of Part 2 records and the patients concerned, counted, never listed.
  const disclosureRows = (await q.query<{ day: string; n: number; part2: number }>(
    `SELECT to_char((disclosed_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*)::int AS n, count(*) FILTER (WHERE part2_consent_id IS NOT NULL)::int AS part2
       FROM disclosures WHERE tenant_id = $1 AND disclosed_at >= $2 GROUP BY 1`,
    [tenant.id, from],
  )).rows;
  const disclosuresByDay = new Map(disclosureRows.map((r) => [r.day, r.n]));
  const disclosureTrend = labels.map((d) => disclosuresByDay.get(d) ?? 0);
  const disclosuresTotal = sum(disclosureTrend);
  const { rows: [disclosureFacts] } = await q.query<{ patients: number; purposes: string | null; downloaded: number }>(
    `SELECT count(DISTINCT d.patient_id)::int AS patients,
            string_agg(DISTINCT d.purpose, ', ' ORDER BY d.purpose) AS purposes,
            count(*) FILTER (WHERE e.downloaded_at IS NOT NULL)::int AS downloaded
       FROM disclosures d LEFT JOIN exports e ON e.tenant_id = d.tenant_id AND e.id = d.export_id
      WHERE d.tenant_id = $1 AND d.disclosed_at >= $2`,
    [tenant.id, from],
  );
  const [part2Refusals, accountingsGiven] = await Promise.all([ev(EVIDENCE_SQL.part2Refusals), ev(EVIDENCE_SQL.accountingsGiven)]);
  const reviews = await accessReviewFigure(q, tenant.id, from, labels);
  const aiTotal = sum(aiPassed) + sum(aiFailed);
  const aiTrend = labels.map((_, i) => (aiPassed[i]! + aiFailed[i]! > 0 ? Math.round((1000 * aiPassed[i]!) / (aiPassed[i]! + aiFailed[i]!)) / 10 : 0));
  const v = opts.verification;

  const figures: Record<EvidenceKey, Figure> = {
    mfaCoverage: {
      key: 'mfaCoverage', title: 'MFA coverage', value: pct(sessionsMfa, sessionsTotal), display: pctText(pct(sessionsMfa, sessionsTotal)),
      definition: 'Sessions started in the last 90 days whose sign-in proved MFA (passkey with user verification, or SSO amr/acr), over all sessions started.',
      trend: mfaTrend, trendLabel: '% of the day\'s sessions', source: 'tables', details: { sessions: sessionsTotal, withMfa: sessionsMfa },
    },
    passkeyAdoption: {
      key: 'passkeyAdoption', title: 'Passkey adoption', value: pct(withPasskey, active.length), display: pctText(pct(withPasskey, active.length)),
      definition: 'Active members with at least one passkey that is not revoked, over all active members.',
      trend: adoptionTrend, trendLabel: '% of members at the end of the day', source: 'tables', details: { activeMembers: active.length, withPasskey },
    },
    accessReviews: reviews,
    phiDenials: {
      key: 'phiDenials', title: 'PHI denials', value: sum(phiDenials), display: String(sum(phiDenials)),
      definition: 'Decisions that denied an action on a PHI resource (audit events with decision deny and a PHI scope), last 90 days.',
      trend: phiDenials, trendLabel: 'denials per day', source: 'audit',
    },
    stepUps: {
      key: 'stepUps', title: 'Step-ups', value: sum(stepUpsVerified), display: `${sum(stepUpsVerified)} done / ${sum(stepUpsRequired)} asked`,
      definition: 'Passkey step-ups completed (auth.step_up success) and asked for (denials with step-up-required), last 90 days.',
      trend: stepUpsVerified, trendLabel: 'step-ups per day', source: 'audit', details: { verified: sum(stepUpsVerified), required: sum(stepUpsRequired) },
    },
    breakGlass: {
      key: 'breakGlass', title: 'Break-glass uses', value: sum(breakGlass), display: `${sum(breakGlass)} uses / ${sum(breakGlassReviews)} reviews`,
      definition: 'Break-glass accesses opened and their post-hoc reviews, from the audit trail, last 90 days.',
      trend: breakGlass, trendLabel: 'uses per day', source: 'audit', details: { uses: sum(breakGlass), reviews: sum(breakGlassReviews) },
    },
    inactiveDisabled: {
      key: 'inactiveDisabled', title: 'Inactive accounts disabled', value: sum(inactiveDisabled), display: String(sum(inactiveDisabled)),
      definition: 'Members and workloads disabled for inactivity (member.deprovision or workload.disable with reason inactive), last 90 days.',
      trend: inactiveDisabled, trendLabel: 'accounts per day', source: 'audit',
    },
    auditVerification: {
      key: 'auditVerification', title: 'Audit trail verification', value: v === null ? null : v.ok ? 1 : 0,
      display: v === null ? 'not run' : v.ok ? `verified: ${v.treeSize} events, ${v.headsChecked} signed heads` : `FAILED: ${v.failure ?? 'verification failed'}`,
      definition: 'The tenant\'s hash chain, Merkle tree and signed heads verified when the report was made (ward audit verify).',
      trend: null, source: 'verifier', ...(v ? { details: { treeSize: v.treeSize, headsChecked: v.headsChecked, unsealed: v.unsealed } } : {}),
    },
    aiRedaction: {
      key: 'aiRedaction', title: 'AI outputs passing redaction', value: pct(sum(aiPassed), aiTotal), display: aiTotal === 0 ? 'no AI outputs' : `${pctText(pct(sum(aiPassed), aiTotal))} of ${aiTotal}`,
      definition: 'Model outputs that passed the redaction scan (ai.run outcomes ready), over those scanned (ready or unscannable), last 90 days.',
      trend: aiTrend, trendLabel: '% of the day\'s outputs', source: 'audit', details: { passed: sum(aiPassed), failed: sum(aiFailed) },
    },
    aiDraftEdits: {
      key: 'aiDraftEdits', title: 'Agent edits of AI drafts', value: sum(draftEdits),
      display: sum(draftReviews) === 0 ? 'no reviews recorded' : `${sum(draftEdits)} edited of ${sum(draftReviews)} reviewed`,
      definition: 'AI drafts a person edited before use, over the drafts reviewed (ai.draft review events), last 90 days.',
      trend: draftEdits, trendLabel: 'edits per day', source: sum(draftReviews) === 0 ? 'none' : 'audit', details: { reviewed: sum(draftReviews), edited: sum(draftEdits) },
    },
    disclosures: {
      key: 'disclosures', title: 'Disclosures (accounting)', value: disclosuresTotal,
      display: `${disclosuresTotal} disclosures of ${disclosureFacts?.patients ?? 0} patients`,
      definition: 'Exports made through POST /v1/exports, each a disclosure in its patient\'s accounting (45 CFR 164.528), last 90 days; '
        + 'those of 42 CFR Part 2 records under a recorded consent, and the Part 2 exports refused for want of one. '
        + 'A patient\'s own accounting (date, recipient, what, purpose; six years back): ward disclosures --tenant <slug> --patient <id>, or GET /v1/patients/:id/disclosures.',
      trend: disclosureTrend, trendLabel: 'disclosures per day', source: 'tables',
      details: {
        patients: disclosureFacts?.patients ?? 0, part2UnderConsent: sum(disclosureRows.map((r) => r.part2)), downloaded: disclosureFacts?.downloaded ?? 0,
        part2Refused: sum(part2Refusals), accountingsGiven: sum(accountingsGiven), purposes: disclosureFacts?.purposes ?? 'none',
      },
    },
  };
  return {
    tenant: { slug: tenant.slug },
    generatedAt: opts.now.toISOString(),
    window: { from: labels[0]!, to: labels[labels.length - 1]!, days: TREND_DAYS },
    figures,
  };
}
