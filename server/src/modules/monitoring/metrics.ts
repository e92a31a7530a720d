import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Tx } from '../../db/types.ts';
import { SEALER_LAG_SECONDS_SQL } from '../audit/index.ts';

/**
 * Ward's Prometheus metrics (R-OPS-1, R-GOV-5), served on their own listener (WARD_METRICS_ADDRESS,
 * never the public port; docs/observability.md). Every name starts with `ward_`.
 *
 * R-DATA-4: no PHI and no identifier in any label. Labels are closed lists: route templates
 * (`/v1/patients/:id`, never the path asked for), Cedar actions the schema declares, the default
 * policies' ids and the PDP's fixed reasons; anything else reads `other`. Tenants, members, patients,
 * calls and sessions never appear: the figures are totals over the deployment.
 *
 * A counter increment is a map lookup and an addition: cheap enough for the request path.
 */
export interface Metrics {
  readonly registry: Registry;
  /** One answered HTTP request: its route template, method and status code. */
  httpRequest(route: string | undefined, method: string, statusCode: number, seconds: number): void;
  /** One decision of the enforcement point (allow or deny) and, for a denial, its reasons. */
  decision(action: string, allow: boolean, reasons: readonly string[]): void;
  /** R-SESS-3: a step-up asked for (a STEP_UP_REQUIRED denial) or done (a verified passkey assertion). */
  stepUp(event: 'required' | 'verified' | 'failed'): void;
  /** R-AI-1, R-AI-7: one AI task by its result (`ready`, or the fallback's reason). */
  aiTask(outcome: string): void;
  /** R-AI-4, R-GOV-5: a model output that passed the redaction scan, or one that could not (fallback). */
  aiOutput(redaction: 'passed' | 'failed'): void;
  /** R-AI-5, R-GOV-5: a person's review of an AI draft: confirmed as it was, or edited first. */
  aiDraftReview(kind: 'confirmed' | 'edited' | 'rejected'): void;
  /** R-ELEV-2: one break-glass use. */
  breakGlassUse(): void;
  /** R-AUDIT-3: one tenant trail verified (`ward audit verify`, the compliance report): ok or failed. */
  auditVerification(ok: boolean): void;
  /** R-MON-1, R-GOV-5: seconds from an incident's detection to its containment. */
  containment(seconds: number): void;
}

/** The figures read from the database when Prometheus scrapes (aggregates over every tenant). */
export interface ScrapeStats {
  /** Active members, and those of them with at least one usable passkey (R-AUTHN-1). */
  activeMembers: number;
  membersWithPasskey: number;
  /** Live SSO sessions, and those whose sign-in proved MFA (R-AUTHN-2). */
  ssoSessions: number;
  ssoSessionsWithMfa: number;
  /** Age in seconds of the oldest committed event not yet sealed (0: none waiting; R-AUDIT-3). */
  sealerLagSeconds: number;
  /** Age in seconds of the oldest signed tree head not yet published outside the database (0: none; R-AUDIT-3). */
  headsUnpublishedSeconds: number;
}

export interface MetricsOptions {
  /** The Cedar actions the schema declares: the `action` label's closed list. */
  actions?: Iterable<string>;
  /** The default policies' ids: a denial reason `forbid:<id>` is a label only for these. */
  policyIds?: Iterable<string>;
  /** Reads the scrape-time figures; cached for `statsTtlMs` so that scrapes do not load the database. */
  readStats?: () => Promise<ScrapeStats>;
  statsTtlMs?: number;
  now?: () => number;
}

/** The reasons a denial carries that are not a policy's id (modules/policy, modules/access). */
const FIXED_REASONS = new Set([
  'no-permit', 'step-up-required', 'justification-required', 'invalid-request', 'pdp-error', 'not-found', 'rate-limited',
  'delegation-purpose', 'delegation-target',
]);

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Detection to containment: minutes to days. */
const CONTAINMENT_BUCKETS = [60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 86_400, 3 * 86_400];

export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const actions = new Set(opts.actions ?? []);
  const reasons = new Set([...FIXED_REASONS, ...[...(opts.policyIds ?? [])].map((id) => `forbid:${id}`)]);
  const actionLabel = (a: string): string => (actions.has(a) ? a : 'other');
  const reasonLabel = (r: string): string => (reasons.has(r) ? r : 'other');
  const routeLabel = (route: string | undefined): string => (route && /^\/[A-Za-z0-9_./:*{}-]{0,200}$/.test(route) ? route : 'unmatched');
  const methodLabel = (m: string): string => (/^[A-Z]{3,7}$/.test(m) ? m : 'other');

  const requests = new Counter({ name: 'ward_http_requests_total', help: 'HTTP requests answered, by route template, method and status code.', labelNames: ['route', 'method', 'status'] as const, registers: [registry] });
  const latency = new Histogram({ name: 'ward_http_request_duration_seconds', help: 'Time to answer an HTTP request, by route template and method.', labelNames: ['route', 'method'] as const, buckets: LATENCY_BUCKETS, registers: [registry] });
  const decisions = new Counter({ name: 'ward_decisions_total', help: 'Decisions of the enforcement point, by Cedar action and decision (R-AUTHZ-1).', labelNames: ['action', 'decision'] as const, registers: [registry] });
  const denials = new Counter({ name: 'ward_denials_total', help: 'Denials by Cedar action and reason (a default policy id or a fixed reason; R-GOV-5).', labelNames: ['action', 'reason'] as const, registers: [registry] });
  const stepUps = new Counter({ name: 'ward_step_ups_total', help: 'Step-ups asked for (required), done (verified) or failed (R-SESS-3, R-GOV-5).', labelNames: ['event'] as const, registers: [registry] });
  const aiTasks = new Counter({ name: 'ward_ai_tasks_total', help: 'AI tasks run through the gateway, by outcome (ready, or the fallback reason; R-AI-7).', labelNames: ['outcome'] as const, registers: [registry] });
  const aiOutputs = new Counter({ name: 'ward_ai_outputs_total', help: 'Model outputs by redaction scan result: passed, or failed (replaced by the manual workflow; R-AI-4).', labelNames: ['redaction'] as const, registers: [registry] });
  const draftReviews = new Counter({ name: 'ward_ai_draft_reviews_total', help: 'AI drafts reviewed by a person, by kind: confirmed, edited or rejected (R-AI-5, R-GOV-5).', labelNames: ['kind'] as const, registers: [registry] });
  const breakGlass = new Counter({ name: 'ward_break_glass_uses_total', help: 'Break-glass emergency accesses opened (R-ELEV-2).', registers: [registry] });
  const verifications = new Counter({ name: 'ward_audit_verifications_total', help: 'Tenant audit trails verified, by result (R-AUDIT-3).', labelNames: ['result'] as const, registers: [registry] });
  const verificationFailures = new Counter({ name: 'ward_audit_verification_failures_total', help: 'Tenant audit trail verifications that failed (R-AUDIT-3).', registers: [registry] });
  const containmentSeconds = new Histogram({ name: 'ward_incident_containment_seconds', help: 'Time from an incident\'s detection to its containment (R-MON-1, R-GOV-5).', buckets: CONTAINMENT_BUCKETS, registers: [registry] });

  // Figures read at scrape time, cached so that a scrape every few seconds costs one query at most per TTL.
  const now = opts.now ?? (() => Date.now());
  const ttlMs = opts.statsTtlMs ?? 15_000;
  let cached: { at: number; stats: Promise<ScrapeStats | null> } | null = null;
  const stats = (): Promise<ScrapeStats | null> => {
    if (!opts.readStats) return Promise.resolve(null);
    if (cached === null || now() - cached.at >= ttlMs) {
      // A failed read leaves the gauges unset for this scrape (no guess), and is tried again next time.
      const p = opts.readStats().catch(() => null);
      cached = { at: now(), stats: p };
      void p.then((s) => {
        if (s === null && cached?.stats === p) cached = null;
      });
    }
    return cached.stats;
  };
  const ratio = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);
  const scraped = (name: string, help: string, read: (s: ScrapeStats) => number) =>
    new Gauge({
      name, help, registers: [registry],
      async collect() {
        const s = await stats();
        if (s) this.set(read(s));
      },
    });
  scraped('ward_passkey_adoption_ratio', 'Active members with at least one usable passkey, over all active members (R-AUTHN-1, R-GOV-5).', (s) => ratio(s.membersWithPasskey, s.activeMembers));
  scraped('ward_active_members', 'Active members.', (s) => s.activeMembers);
  scraped('ward_sso_mfa_coverage_ratio', 'Live SSO sessions whose sign-in proved MFA, over all live SSO sessions (R-AUTHN-2).', (s) => ratio(s.ssoSessionsWithMfa, s.ssoSessions));
  scraped('ward_sso_sessions', 'Live SSO sessions.', (s) => s.ssoSessions);
  scraped('ward_audit_sealer_lag_seconds', 'Age of the oldest committed audit event not sealed yet (0: none waiting; R-AUDIT-3).', (s) => s.sealerLagSeconds);
  scraped('ward_audit_heads_unpublished_seconds', 'Age of the oldest signed tree head not yet published outside the database (0: none waiting; R-AUDIT-3).', (s) => s.headsUnpublishedSeconds);

  return {
    registry,
    httpRequest(route, method, statusCode, seconds) {
      const r = routeLabel(route);
      const m = methodLabel(method);
      requests.inc({ route: r, method: m, status: String(statusCode) });
      latency.observe({ route: r, method: m }, seconds);
    },
    decision(action, allow, why) {
      const a = actionLabel(action);
      decisions.inc({ action: a, decision: allow ? 'allow' : 'deny' });
      if (allow) return;
      for (const reason of why.length > 0 ? why : ['no-permit']) denials.inc({ action: a, reason: reasonLabel(reason) });
      if (why.includes('step-up-required')) stepUps.inc({ event: 'required' });
    },
    stepUp: (event) => stepUps.inc({ event }),
    aiTask: (outcome) => aiTasks.inc({ outcome: /^[a-z_]{1,32}$/.test(outcome) ? outcome : 'other' }),
    aiOutput: (redaction) => aiOutputs.inc({ redaction }),
    aiDraftReview: (kind) => draftReviews.inc({ kind }),
    breakGlassUse: () => breakGlass.inc(),
    auditVerification(ok) {
      verifications.inc({ result: ok ? 'ok' : 'failed' });
      if (!ok) verificationFailures.inc();
    },
    containment: (seconds) => containmentSeconds.observe(Math.max(0, seconds)),
  };
}

/** The scrape-time figures, from the owner connection: counts over every tenant, no row leaves. */
export const SCRAPE_STATS_SQL = `SELECT
  (SELECT count(*)::int FROM members WHERE status = 'active') AS active_members,
  (SELECT count(DISTINCT m.id)::int FROM members m JOIN passkey_credentials p ON p.tenant_id = m.tenant_id AND p.member_id = m.id AND p.revoked_at IS NULL
     WHERE m.status = 'active') AS members_with_passkey,
  (SELECT count(*)::int FROM sessions WHERE auth_method = 'oidc' AND revoked_at IS NULL AND expires_at > now()) AS sso_sessions,
  (SELECT count(*)::int FROM sessions WHERE auth_method = 'oidc' AND revoked_at IS NULL AND expires_at > now() AND mfa) AS sso_sessions_with_mfa,
  ${SEALER_LAG_SECONDS_SQL} AS sealer_lag_seconds,
  (SELECT coalesce(extract(epoch FROM now() - min(signed_at::timestamptz)), 0)::float8 FROM audit_tree_heads WHERE published_at IS NULL) AS heads_unpublished_seconds`;

export async function readScrapeStats(q: Pick<Tx, 'query'>): Promise<ScrapeStats> {
  const { rows } = await q.query<{ active_members: number; members_with_passkey: number; sso_sessions: number; sso_sessions_with_mfa: number; sealer_lag_seconds: number; heads_unpublished_seconds: number }>(SCRAPE_STATS_SQL);
  const r = rows[0]!;
  return { activeMembers: r.active_members, membersWithPasskey: r.members_with_passkey, ssoSessions: r.sso_sessions, ssoSessionsWithMfa: r.sso_sessions_with_mfa, sealerLagSeconds: Math.max(0, Number(r.sealer_lag_seconds)), headsUnpublishedSeconds: Math.max(0, Number(r.heads_unpublished_seconds)) };
}
