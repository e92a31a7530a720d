import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { releaseLease, startInterval, takeLease } from '../retention/index.ts';
import { expireDueCampaigns, quarterOf, reviewSettings, startCampaign, type ExpiredCampaign, type StartedCampaign } from './campaigns.ts';

/**
 * R-GOV-1: the access review schedule, run by every server hourly under one lease (one server at a
 * time), and testable with a fake clock. For each tenant it
 *   1. closes every campaign past its deadline: items not attested expire and, when the campaign
 *      auto-revokes (the tenant's `accessReviews.autoRevoke`, on by default), are revoked at once,
 *      each audited as `review.expire` (`ward review expire` does the same by hand);
 *   2. starts the quarter's campaign when none was started in the current calendar quarter (UTC) and
 *      the tenant has not turned the schedule off (`accessReviews.quarterly`, on by default).
 * A failure in one tenant is reported and does not stop the others.
 */
export const REVIEW_LEASE = 'access-reviews';

type Deps = { db: Db; audit: AuditLog; clock: { now(): Date } };

export interface ReviewScheduleRun {
  ran: boolean;
  started: Array<{ tenantId: string } & StartedCampaign>;
  expired: Array<{ tenantId: string } & ExpiredCampaign>;
  /** Tenants whose step failed, by stable error code only (no detail: R-DATA-4). */
  failed: Array<{ tenantId: string; code: string }>;
}

/** The first instant of the calendar quarter (UTC) that `at` falls in. */
export function quarterStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), Math.floor(at.getUTCMonth() / 3) * 3, 1));
}

/** Whether the tenant runs a campaign every quarter without being told (`accessReviews.quarterly`, default on). */
export function isQuarterly(raw: unknown): boolean {
  const s = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return s.quarterly !== false;
}

export async function runReviewSchedule(deps: Deps, opts: { tenantId?: string; holder?: string } = {}): Promise<ReviewScheduleRun> {
  const out: ReviewScheduleRun = { ran: false, started: [], expired: [], failed: [] };
  const holder = opts.holder ?? `access-reviews:${process.pid}:${randomUUID()}`;
  if (!(await deps.db.systemDb.transaction((tx) => takeLease(tx, REVIEW_LEASE, holder, 900)))) return out;
  out.ran = true;
  try {
    const now = deps.clock.now();
    const since = quarterStart(now);
    // The tenants and whether each started a campaign this quarter: read unscoped, as every job does.
    const { rows: tenants } = await deps.db.systemDb.query<{ id: string; settings: unknown; has_campaign: boolean }>(
      `SELECT t.id, t.settings -> 'accessReviews' AS settings,
              EXISTS (SELECT 1 FROM access_review_campaigns c WHERE c.tenant_id = t.id AND c.started_at >= $2) AS has_campaign
         FROM tenants t WHERE ($1::uuid IS NULL OR t.id = $1) ORDER BY t.id`,
      [opts.tenantId ?? null, since],
    );
    for (const t of tenants) {
      try {
        for (const c of await expireDueCampaigns(deps, { tenantId: t.id })) out.expired.push({ tenantId: t.id, ...c });
        if (!t.has_campaign && isQuarterly(t.settings)) {
          // Named after the quarter; the deadline and auto-revoke follow the tenant's defaults.
          const c = await startCampaign(deps, { tenantId: t.id, name: quarterOf(now) });
          out.started.push({ tenantId: t.id, ...c });
        }
      } catch (e) {
        out.failed.push({ tenantId: t.id, code: String((e as { code?: unknown })?.code ?? 'INTERNAL') });
      }
    }
    return out;
  } finally {
    await deps.db.systemDb.transaction((tx) => releaseLease(tx, REVIEW_LEASE, holder)).catch(() => {});
  }
}

/** The server's schedule: hourly, on an unref'd timer; each run's campaigns are logged by id and count. */
export function startReviewJob(
  deps: Deps & { logger: { info(obj: object, msg: string): void; error(obj: object, msg: string): void } },
  opts: { intervalMs?: number; safeError: (e: unknown) => object },
): { stop(): Promise<void> } {
  return startInterval(async () => {
    const run = await runReviewSchedule(deps);
    for (const c of run.started) deps.logger.info({ tenantId: c.tenantId, campaignId: c.id, items: c.items, unassigned: c.unassigned }, 'access review campaign started');
    for (const c of run.expired) deps.logger.info({ tenantId: c.tenantId, campaignId: c.id, expired: c.expired, revoked: c.revoked }, 'access review campaign closed');
    for (const f of run.failed) deps.logger.error({ tenantId: f.tenantId, code: f.code }, 'access review schedule failed for a tenant');
  }, { intervalMs: opts.intervalMs ?? 3_600_000, what: 'access reviews', logger: deps.logger, safeError: opts.safeError });
}
