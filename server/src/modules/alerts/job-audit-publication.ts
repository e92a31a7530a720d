import type { SystemDb } from '../../db/types.ts';
import type { Logger } from '../../logging.ts';
import { enqueueAlert, type AlertSeverity } from './outbox.ts';

/**
 * Alerts for signed tree heads that cannot leave the database (R-AUDIT-3, R-MON-1; docs/audit.md
 * "When heads cannot be published"). The audit publication guard tells its changes of state; each
 * becomes an alert in the `alerts` outbox for every tenant concerned, which the leased delivery job
 * sends to WARD_ALERT_WEBHOOK_URL like any other (job-delivery.ts), so an operator is paged:
 *   - `audit.heads_unpublished` (high): a tenant's oldest unpublished head has waited half of
 *     WARD_AUDIT_PUBLISH_MAX_LAG_SECONDS; refusals follow unless the sink is mended;
 *   - `audit.records_refused` (critical): past the bound, new audit records and the requests they
 *     record are refused with 503 AUDIT_UNAVAILABLE;
 *   - `audit.heads_published` (info): heads leave in time again (sent to the tenants that were told).
 * One alert of each kind per tenant per episode (an episode ends with `audit.heads_published`), however
 * many servers observe the change: every server's guard reports it, and the writes are serialised by a
 * transaction-scoped advisory lock and skip what is already there. Facts: lag and bound in seconds,
 * nothing else (R-DATA-4).
 */
export type AuditPublicationState = 'published' | 'late' | 'refusing';

export const AUDIT_PUBLICATION_ALERTS: Record<AuditPublicationState, { kind: string; severity: AlertSeverity }> = {
  late: { kind: 'audit.heads_unpublished', severity: 'high' },
  refusing: { kind: 'audit.records_refused', severity: 'critical' },
  published: { kind: 'audit.heads_published', severity: 'info' },
};

const KINDS = Object.values(AUDIT_PUBLICATION_ALERTS).map((a) => a.kind);
const LOCK = "SELECT pg_advisory_xact_lock(hashtext('ward_audit_publication_alerts'))";
/** Tenants with a head still unpublished, not yet told `$1` in the current episode. */
const UNTOLD_WAITING = `SELECT DISTINCT h.tenant_id FROM audit_tree_heads h
  WHERE h.published_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.tenant_id = h.tenant_id AND a.kind = $1
      AND a.created_at > coalesce((SELECT max(p.created_at) FROM alerts p WHERE p.tenant_id = h.tenant_id AND p.kind = $2), '-infinity'))
  ORDER BY 1`;
/** Tenants whose last publication alert is not `audit.heads_published`: an open episode. */
const OPEN_EPISODES = `SELECT tenant_id FROM (
    SELECT DISTINCT ON (tenant_id) tenant_id, kind FROM alerts WHERE kind = ANY ($1::text[]) ORDER BY tenant_id, created_at DESC, id DESC
  ) last WHERE kind <> $2 ORDER BY 1`;

/** Writes the alerts for one change of state; returns how many were written. */
export async function raiseAuditPublicationAlerts(
  systemDb: SystemDb, change: { state: AuditPublicationState; lagSeconds: number; maxLagSeconds: number }, now: Date,
): Promise<number> {
  const { kind, severity } = AUDIT_PUBLICATION_ALERTS[change.state];
  const published = AUDIT_PUBLICATION_ALERTS.published.kind;
  return systemDb.transaction(async (tx) => {
    await tx.query(LOCK);
    const { rows } = change.state === 'published'
      ? await tx.query<{ tenant_id: string }>(OPEN_EPISODES, [KINDS, published])
      : await tx.query<{ tenant_id: string }>(UNTOLD_WAITING, [kind, published]);
    for (const r of rows) {
      await enqueueAlert(tx, { tenantId: r.tenant_id, kind, severity, facts: { lagSeconds: change.lagSeconds, maxLagSeconds: change.maxLagSeconds } }, now);
    }
    return rows.length;
  });
}

/**
 * The guard's `onStateChange`: writes the alerts, and when the database refuses (it may be what is
 * failing) retries every `retrySeconds` while that state is still the latest; never throws.
 */
export function auditPublicationAlerter(deps: { systemDb: SystemDb; clock: { now(): Date }; logger?: Pick<Logger, 'error' | 'info'>; retrySeconds?: number }) {
  const retryMs = (deps.retrySeconds ?? 5) * 1000;
  let latest = 0;
  return (state: AuditPublicationState, facts: { lagSeconds: number; maxLagSeconds: number }): void => {
    const mine = ++latest;
    const attempt = () => {
      raiseAuditPublicationAlerts(deps.systemDb, { state, ...facts }, deps.clock.now())
        .then((n) => {
          if (n > 0) deps.logger?.info({ securityEvent: `alert.${AUDIT_PUBLICATION_ALERTS[state].kind}`, tenants: n }, 'audit: publication alert queued for delivery');
        })
        .catch((e: unknown) => {
          deps.logger?.error({ err: { message: (e as Error).message } }, 'audit: the publication alert could not be written; will retry');
          if (mine === latest) setTimeout(attempt, retryMs).unref();
        });
    };
    attempt();
  };
}
