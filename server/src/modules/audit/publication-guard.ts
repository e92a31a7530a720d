/**
 * Fail closed when signed tree heads cannot leave the database (R-AUDIT-3, R-AUDIT-2; docs/audit.md
 * "When heads cannot be published"). Heads are published outside the database (the heads directory,
 * the witness) so that whoever can rewrite the audit table cannot also rewrite what it is checked
 * against. A publication that fails is retried every sealing pass and nothing is lost (the heads stay
 * in `audit_tree_heads`), but while none leaves, the trail's tamper evidence rests on the database
 * alone. So once the oldest unpublished head has waited longer than `maxLagSeconds`
 * (WARD_AUDIT_PUBLISH_MAX_LAG_SECONDS), every new audit record is refused with 503
 * `AUDIT_UNAVAILABLE` — and with it the access it would record — until publication catches up.
 *
 * The sealer reports after each pass, on every server (the leader and the others read the same
 * rows), so all servers of a deployment close and open together.
 *
 * Operators are paged, not only logged to (R-MON-1): `onStateChange` is told when the oldest head has
 * waited half the bound (`late`: heads are not leaving, refusals will follow), when refusing starts
 * (`refusing`) and when heads leave in time again (`published`); deps.ts routes it to the alerts
 * outbox (alerts/job-audit-publication.ts), whose delivery job pages.
 */
import { WardError } from '@ward/contracts';
import type { Logger } from '../../logging.ts';

export interface PublicationGuard {
  /** The oldest head still unpublished, as signed (null: every head is published). */
  observe(oldestUnpublishedSignedAt: Date | null): void;
  /** Throws AUDIT_UNAVAILABLE while the oldest unpublished head is older than the bound. */
  check(): void;
  /** Seconds the oldest unpublished head has waited (0: none waits). */
  lagSeconds(): number;
}

/** `late`: the oldest unpublished head has waited past half the bound; `refusing`: past the bound; `published`: under half (heads leave in time). */
export type PublicationState = 'published' | 'late' | 'refusing';

export interface PublicationGuardOptions {
  maxLagSeconds: number;
  clock: { now(): Date };
  logger?: Pick<Logger, 'error' | 'info'>;
  /** Told once per change of state (never per request); it must not throw, and is not awaited. */
  onStateChange?: (state: PublicationState, facts: { lagSeconds: number; maxLagSeconds: number }) => void;
}

/** A client may retry after this long; a sealing pass runs every half second by default. */
const RETRY_AFTER_SECONDS = '5';

export function createPublicationGuard(options: PublicationGuardOptions): PublicationGuard {
  const { maxLagSeconds, clock, logger, onStateChange } = options;
  let oldest: Date | null = null;
  let isRefusing = false;
  let state: PublicationState = 'published';

  const lagSeconds = () => (oldest === null ? 0 : Math.max(0, (clock.now().getTime() - oldest.getTime()) / 1000));

  /** Whether to refuse now; the alert is one error line when refusing starts, one info line when it ends. */
  const update = (): boolean => {
    const overdue = oldest !== null && lagSeconds() > maxLagSeconds;
    if (overdue && !isRefusing) logger?.error({ lagSeconds: Math.round(lagSeconds()), maxLagSeconds }, 'audit: signed tree heads have not been published in time; new audit records (and the requests they record) are refused until they are');
    if (!overdue && isRefusing) logger?.info({}, 'audit: signed tree heads are published again; audit records are accepted');
    isRefusing = overdue;
    const lag = lagSeconds();
    const next: PublicationState = overdue ? 'refusing' : lag > maxLagSeconds / 2 ? 'late' : 'published';
    if (next !== state) {
      state = next;
      onStateChange?.(next, { lagSeconds: Math.round(lag), maxLagSeconds });
    }
    return overdue;
  };

  return {
    observe(at) {
      oldest = at;
      update();
    },
    check() {
      if (oldest === null || !update()) return;
      throw new WardError('AUDIT_UNAVAILABLE', undefined, {
        detail: 'audit: signed tree heads unpublished past WARD_AUDIT_PUBLISH_MAX_LAG_SECONDS',
        reasons: ['audit_heads_unpublished'],
        headers: { 'retry-after': RETRY_AFTER_SECONDS },
      });
    },
    lagSeconds,
  };
}
