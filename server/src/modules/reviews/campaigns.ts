import { randomUUID } from 'node:crypto';
import { WardError } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Db, DataScope, Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { csvDocument } from '../csv/index.ts';

/**
 * R-GOV-1: access review campaigns (0037_access_reviews.sql). Starting a campaign, deciding an item
 * and expiring a campaign all go through SECURITY DEFINER functions that take the actor from the
 * verified scope: ward_app cannot assign itself as a reviewer or revoke on someone else's word.
 */
const OPERATOR = { phiScopes: [], actorId: 'system:cli', actorKind: 'system' } as const;
const operatorScope = (tenantId: string): DataScope => ({ tenantId, ...OPERATOR });

/** Days a campaign stays open unless told otherwise. */
export const DEFAULT_REVIEW_DAYS = 14;

/** A tenant's review settings (`tenants.settings.accessReviews`): auto-revoke at the deadline is on by default. */
export function reviewSettings(raw: unknown): { autoRevoke: boolean } {
  const s = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return { autoRevoke: s.autoRevoke !== false };
}

/** The calendar quarter a date falls in, e.g. 2026-Q4: the default campaign name. */
export function quarterOf(at: Date): string {
  return `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
}

export interface StartedCampaign {
  id: string;
  name: string;
  items: number;
  deadlineAt: Date;
  autoRevoke: boolean;
  /** Items no one can review (no manager and no other active Admin or Owner). */
  unassigned: number;
}

type Deps = { db: Db; audit: AuditLog; clock: { now(): Date } };

/** Starts a campaign as the operator (`ward review start`). */
export async function startCampaign(deps: Deps, input: { tenantId: string; name?: string; days?: number }): Promise<StartedCampaign> {
  const now = deps.clock.now();
  return deps.db.scoped(operatorScope(input.tenantId), async (tx) => {
    const started = await startCampaignIn(tx, { tenantId: input.tenantId, name: input.name, days: input.days, now });
    await deps.audit.append(tx, {
      tenantId: input.tenantId, actorKind: 'system', actorId: OPERATOR.actorId, action: 'review.start', targetType: 'review_campaign', targetId: started.id, outcome: 'success',
      metadata: { name: started.name, items: started.items, unassigned: started.unassigned, autoRevoke: started.autoRevoke, deadlineAt: started.deadlineAt.toISOString() },
    });
    return started;
  });
}

/**
 * Starts a campaign inside the caller's transaction: the operator's, or an Owner's or Admin's guarded
 * one (the admin console); the database function checks which (WD001 otherwise). The caller audits.
 */
export async function startCampaignIn(tx: Tx, input: { tenantId: string; name?: string; days?: number; now: Date }): Promise<StartedCampaign> {
  const days = input.days ?? DEFAULT_REVIEW_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 90) throw new WardError('BAD_REQUEST', 'a review lasts 1 to 90 days');
  const name = input.name ?? quarterOf(input.now);
  if (name.length < 1 || name.length > 120) throw new WardError('BAD_REQUEST', 'a campaign name has 1 to 120 characters');
  const id = randomUUID();
  const deadlineAt = new Date(input.now.getTime() + days * 86_400_000);
  const { rows: t } = await tx.query<{ settings: unknown }>("SELECT settings -> 'accessReviews' AS settings FROM tenants WHERE id = $1", [input.tenantId]);
  const { autoRevoke } = reviewSettings(t[0]?.settings);
  const { rows } = await tx.query<{ n: number }>('SELECT ward_review_start($1, $2, $3, $4, $5) AS n', [id, name, deadlineAt, autoRevoke, input.now])
    .catch((e: unknown) => rethrowRefusal(e, { not_permitted: 'FORBIDDEN' }));
  const items = Number(rows[0]?.n ?? 0);
  const { rows: u } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM access_review_items WHERE campaign_id = $1 AND reviewer_id IS NULL', [id]);
  return { id, name, items, deadlineAt, autoRevoke, unassigned: Number(u[0]?.n ?? 0) };
}

export interface CampaignProgress {
  id: string;
  name: string;
  startedBy: string;
  startedAt: Date;
  deadlineAt: Date;
  closedAt: Date | null;
  autoRevoke: boolean;
  items: number;
  kept: number;
  revoked: number;
  expired: number;
  undecided: number;
  unassigned: number;
}

/** R-GOV-1: every campaign of the transaction's tenant, newest first, with its counts (no subject). */
export async function listCampaigns(tx: Tx): Promise<CampaignProgress[]> {
  const { rows } = await tx.query<{ id: string; name: string; started_by: string; started_at: Date; deadline_at: Date; closed_at: Date | null; auto_revoke: boolean; items: number; kept: number; revoked: number; expired: number; undecided: number; unassigned: number }>(
    `SELECT c.id, c.name, c.started_by, c.started_at, c.deadline_at, c.closed_at, c.auto_revoke,
            count(i.id)::int AS items,
            count(i.id) FILTER (WHERE i.decision = 'keep')::int AS kept,
            count(i.id) FILTER (WHERE i.decision = 'revoke')::int AS revoked,
            count(i.id) FILTER (WHERE i.decision = 'expired')::int AS expired,
            count(i.id) FILTER (WHERE i.decision IS NULL)::int AS undecided,
            count(i.id) FILTER (WHERE i.decision IS NULL AND i.reviewer_id IS NULL)::int AS unassigned
       FROM access_review_campaigns c LEFT JOIN access_review_items i ON i.campaign_id = c.id
      GROUP BY c.id ORDER BY c.started_at DESC, c.id LIMIT 50`,
  );
  return rows.map((r) => ({
    id: r.id, name: r.name, startedBy: r.started_by, startedAt: new Date(r.started_at), deadlineAt: new Date(r.deadline_at), closedAt: r.closed_at ? new Date(r.closed_at) : null,
    autoRevoke: r.auto_revoke, items: Number(r.items), kept: Number(r.kept), revoked: Number(r.revoked), expired: Number(r.expired), undecided: Number(r.undecided), unassigned: Number(r.unassigned),
  }));
}

export interface ReviewItem {
  id: string;
  campaignId: string;
  campaign: string;
  deadlineAt: string;
  subjectKind: 'member' | 'workload';
  subjectId: string;
  subjectName: string;
  entitlementKind: 'role' | 'phi_scope' | 'list';
  entitlement: string;
  /** R-ELEV-2: for a place on the break-glass list, its uses in the 90 days before the campaign started. */
  breakGlass?: BreakGlassUses;
}

export interface BreakGlassUses {
  uses: number;
  lastUseAt: string | null;
  /** Uses a second person's post-hoc review found inappropriate. */
  inappropriate: number;
}

type BreakGlassColumns = { breakglass_uses: number | null; breakglass_last_use_at: Date | null; breakglass_inappropriate: number | null };
const breakGlassOf = (r: BreakGlassColumns): BreakGlassUses | undefined => (r.breakglass_uses === null ? undefined : {
  uses: Number(r.breakglass_uses), lastUseAt: r.breakglass_last_use_at ? new Date(r.breakglass_last_use_at).toISOString() : null, inappropriate: Number(r.breakglass_inappropriate ?? 0),
});

/** The undecided items of open campaigns assigned to `reviewerId`, in the transaction's tenant. */
export async function itemsForReviewer(tx: Tx, reviewerId: string): Promise<ReviewItem[]> {
  const { rows } = await tx.query<{ id: string; campaign_id: string; name: string; deadline_at: Date; subject_kind: ReviewItem['subjectKind']; subject_id: string; subject_name: string | null; entitlement_kind: ReviewItem['entitlementKind']; entitlement: string } & BreakGlassColumns>(
    `SELECT i.id, i.campaign_id, c.name, c.deadline_at, i.subject_kind, i.subject_id,
            COALESCE(m.display_name, w.name) AS subject_name, i.entitlement_kind, i.entitlement,
            i.breakglass_uses, i.breakglass_last_use_at, i.breakglass_inappropriate
       FROM access_review_items i JOIN access_review_campaigns c ON c.id = i.campaign_id AND c.closed_at IS NULL
       LEFT JOIN members m ON i.subject_kind = 'member' AND m.id = i.subject_id
       LEFT JOIN workloads w ON i.subject_kind = 'workload' AND w.id = i.subject_id
      WHERE i.reviewer_id = $1 AND i.decision IS NULL
      ORDER BY c.deadline_at, subject_name, i.entitlement_kind, i.entitlement`,
    [reviewerId],
  );
  return rows.map((r) => {
    const breakGlass = breakGlassOf(r);
    return {
      id: r.id, campaignId: r.campaign_id, campaign: r.name, deadlineAt: new Date(r.deadline_at).toISOString(), subjectKind: r.subject_kind, subjectId: r.subject_id,
      subjectName: r.subject_name ?? '', entitlementKind: r.entitlement_kind, entitlement: r.entitlement, ...(breakGlass ? { breakGlass } : {}),
    };
  });
}

export interface ItemDecision {
  subjectKind: string;
  subjectId: string;
  entitlementKind: string;
  entitlement: string;
  decision: 'keep' | 'revoke';
}

/**
 * The verified reviewer keeps or revokes an item, with a note, inside the caller's (guarded)
 * transaction: a revocation applies in the same commit as the decision and its audit record.
 */
export async function decideItem(tx: Tx, input: { itemId: string; keep: boolean; note: string; now: Date }): Promise<ItemDecision> {
  const note = input.note.trim();
  if (note.length === 0 || note.length > 1000) throw new WardError('BAD_REQUEST', 'a decision carries a note of 1 to 1000 characters');
  const { rows } = await tx
    .query<{ subject_kind: string; subject_id: string; entitlement_kind: string; entitlement: string; decision: 'keep' | 'revoke' }>(
      'SELECT subject_kind, subject_id, entitlement_kind, entitlement, decision FROM ward_review_decide($1, $2, $3, $4)',
      [input.itemId, input.keep, note, input.now],
    )
    .catch((e: unknown) => rethrowRefusal(e, { not_found: 'NOT_FOUND', self_approval: 'FORBIDDEN', not_permitted: 'FORBIDDEN', already_decided: 'CONFLICT' }));
  const r = rows[0];
  if (!r) throw new WardError('NOT_FOUND');
  return { subjectKind: r.subject_kind, subjectId: r.subject_id, entitlementKind: r.entitlement_kind, entitlement: r.entitlement, decision: r.decision };
}

export interface ExpiredCampaign {
  id: string;
  name: string;
  expired: number;
  revoked: number;
}

/**
 * Closes every campaign of the tenant past its deadline (the operator: `ward review expire`, or the
 * job): undecided items expire and, when the campaign auto-revokes, are revoked; each is audited.
 */
export async function expireDueCampaigns(deps: Deps, input: { tenantId: string }): Promise<ExpiredCampaign[]> {
  const now = deps.clock.now();
  return deps.db.scoped(operatorScope(input.tenantId), async (tx) => {
    const { rows: due } = await tx.query<{ id: string; name: string }>(
      'SELECT id, name FROM access_review_campaigns WHERE closed_at IS NULL AND deadline_at <= $1 ORDER BY deadline_at, id', [now]);
    const out: ExpiredCampaign[] = [];
    for (const c of due) {
      const { rows } = await tx.query<{ item_id: string; subject_kind: string; subject_id: string; entitlement_kind: string; entitlement: string; revoked: boolean }>(
        'SELECT item_id, subject_kind, subject_id, entitlement_kind, entitlement, revoked FROM ward_review_expire($1, $2)', [c.id, now],
      ).catch((e: unknown) => rethrowRefusal(e, {}));
      for (const r of rows) {
        await deps.audit.append(tx, {
          tenantId: input.tenantId, actorKind: 'system', actorId: OPERATOR.actorId, action: 'review.expire', targetType: r.subject_kind, targetId: r.subject_id, outcome: 'success',
          metadata: { campaign: c.id, item: r.item_id, entitlementKind: r.entitlement_kind, entitlement: r.entitlement, revoked: r.revoked },
        });
      }
      out.push({ id: c.id, name: c.name, expired: rows.length, revoked: rows.filter((r) => r.revoked).length });
    }
    return out;
  });
}

export interface EvidenceRow {
  campaign: string;
  campaignId: string;
  itemId: string;
  subjectKind: string;
  subjectId: string;
  subjectName: string;
  entitlementKind: string;
  entitlement: string;
  reviewerId: string;
  decision: string;
  decidedBy: string;
  decidedAt: string;
  revoked: boolean;
  note: string;
  /** R-ELEV-2: a break-glass list item's uses in the 90 days before the start (null for other items). */
  breakGlassUses: number | null;
  breakGlassLastUseAt: string;
  breakGlassInappropriate: number | null;
}

/** R-GOV-1: who attested what, when, and what changed, for one campaign (JSON rows; `toCsv` for CSV). */
export async function campaignEvidence(tx: Tx, campaignId: string): Promise<EvidenceRow[] | null> {
  const { rows: c } = await tx.query<{ name: string }>('SELECT name FROM access_review_campaigns WHERE id = $1', [campaignId]);
  if (!c[0]) return null;
  const { rows } = await tx.query<{ id: string; subject_kind: string; subject_id: string; subject_name: string | null; entitlement_kind: string; entitlement: string; reviewer_id: string | null; decision: string | null; decided_by: string | null; decided_at: Date | null; revoked: boolean; note: string | null } & BreakGlassColumns>(
    `SELECT i.id, i.subject_kind, i.subject_id, COALESCE(m.display_name, w.name) AS subject_name, i.entitlement_kind, i.entitlement,
            i.reviewer_id, i.decision, i.decided_by, i.decided_at, i.revoked, i.note,
            i.breakglass_uses, i.breakglass_last_use_at, i.breakglass_inappropriate
       FROM access_review_items i
       LEFT JOIN members m ON i.subject_kind = 'member' AND m.id = i.subject_id
       LEFT JOIN workloads w ON i.subject_kind = 'workload' AND w.id = i.subject_id
      WHERE i.campaign_id = $1 ORDER BY subject_name, i.subject_id, i.entitlement_kind, i.entitlement`,
    [campaignId],
  );
  return rows.map((r) => {
    const bg = breakGlassOf(r);
    return {
      campaign: c[0]!.name, campaignId, itemId: r.id, subjectKind: r.subject_kind, subjectId: r.subject_id, subjectName: r.subject_name ?? '',
      entitlementKind: r.entitlement_kind, entitlement: r.entitlement, reviewerId: r.reviewer_id ?? '', decision: r.decision ?? 'pending',
      decidedBy: r.decided_by ?? '', decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : '', revoked: r.revoked, note: r.note ?? '',
      breakGlassUses: bg?.uses ?? null, breakGlassLastUseAt: bg?.lastUseAt ?? '', breakGlassInappropriate: bg?.inappropriate ?? null,
    };
  });
}

const CSV_COLUMNS: (keyof EvidenceRow & string)[] = ['campaign', 'campaignId', 'itemId', 'subjectKind', 'subjectId', 'subjectName', 'entitlementKind', 'entitlement', 'reviewerId', 'decision', 'decidedBy', 'decidedAt', 'revoked', 'note', 'breakGlassUses', 'breakGlassLastUseAt', 'breakGlassInappropriate'];

/** The evidence as CSV: every cell formula-safe (modules/csv, R-GOV-1, R-AUDIT-1). */
export function evidenceCsv(rows: readonly EvidenceRow[]): string {
  return csvDocument(CSV_COLUMNS, rows);
}

/** Sets a member's manager through the database's checks (an Admin, the SCIM client or the operator). */
export async function setManager(tx: Tx, memberId: string, managerId: string | null): Promise<void> {
  await tx.query('SELECT ward_set_manager($1, $2)', [memberId, managerId]).catch((e: unknown) =>
    rethrowRefusal(e, { not_found: 'NOT_FOUND', self_approval: 'FORBIDDEN', not_permitted: 'FORBIDDEN' }));
}
