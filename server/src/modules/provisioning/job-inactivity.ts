import { randomUUID } from 'node:crypto';
import type { SystemDb } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { releaseLease, startInterval, takeLease } from '../retention/index.ts';
import { deprovisionMember } from './lifecycle.ts';

/**
 * R-GOV-2: accounts inactive for 60 days are disabled automatically. A leased job (one server at a
 * time) and `ward member disable-inactive` disable every member with no sign-in, and every workload
 * (the SCIM client included) with no token use, for the tenant's `inactivityDisableDays` (default
 * 60): the member's sessions are revoked and unused links spent (lifecycle.ts), a workload's tokens
 * are refused from its next request (every request reads its status). Each is audited with the
 * actor `system:inactivity`; SCIM readers then see `active: false`.
 */
export const DEFAULT_INACTIVITY_DAYS = 60;
export const INACTIVITY_LEASE = 'inactivity';
const ACTOR = { kind: 'system', id: 'system:inactivity' } as const;

export interface InactivityResult {
  ran: boolean;
  members: number;
  workloads: number;
}

/** The tenant's setting: whole days from 1 to 3650, else the default (fail safe: never "off"). */
export function inactivityDays(settings: unknown): number {
  const v = (settings as { inactivityDisableDays?: unknown } | null)?.inactivityDisableDays;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 3650 ? v : DEFAULT_INACTIVITY_DAYS;
}

const STALE_MEMBERS = `
SELECT m.id FROM members m
 WHERE m.tenant_id = $1 AND m.status <> 'disabled'
   AND GREATEST(m.created_at, m.last_active_at,
                (SELECT max(s.last_seen_at) FROM sessions s WHERE s.member_id = m.id)) < $2
 ORDER BY m.id`;
const STALE_WORKLOADS = `
SELECT w.id, w.client_id FROM workloads w
 WHERE w.tenant_id = $1 AND w.status = 'active' AND GREATEST(w.created_at, w.last_used_at, w.keys_rotated_at) < $2
 ORDER BY w.id`;

export async function disableInactive(
  deps: { systemDb: SystemDb; audit: AuditLog; clock: { now(): Date } },
  opts: { tenantId?: string; holder?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<InactivityResult> {
  const holder = opts.holder ?? `inactivity:${process.pid}:${randomUUID()}`;
  if (!(await deps.systemDb.transaction((tx) => takeLease(tx, INACTIVITY_LEASE, holder, 900)))) return { ran: false, members: 0, workloads: 0 };
  try {
    const now = deps.clock.now();
    const { rows: tenants } = await deps.systemDb.query<{ id: string; settings: unknown }>(
      'SELECT id, settings FROM tenants WHERE ($1::uuid IS NULL OR id = $1) ORDER BY id', [opts.tenantId ?? null]);
    const work: { tenantId: string; kind: 'member' | 'workload'; id: string; days: number; clientId?: string }[] = [];
    for (const t of tenants) {
      const days = inactivityDays(t.settings);
      const cutoff = new Date(now.getTime() - days * 86_400_000);
      for (const m of (await deps.systemDb.query<{ id: string }>(STALE_MEMBERS, [t.id, cutoff])).rows) work.push({ tenantId: t.id, kind: 'member', id: m.id, days });
      for (const w of (await deps.systemDb.query<{ id: string; client_id: string }>(STALE_WORKLOADS, [t.id, cutoff])).rows) work.push({ tenantId: t.id, kind: 'workload', id: w.id, days, clientId: w.client_id });
    }
    let members = 0;
    let workloads = 0;
    for (const [i, item] of work.entries()) {
      // One transaction per account: each disable commits with its audit record (R-AUDIT-2).
      await deps.systemDb.transaction(async (tx) => {
        if (item.kind === 'member') {
          await deprovisionMember({ tx, tenantId: item.tenantId, actor: ACTOR, audit: deps.audit, now }, item.id, 'inactive');
          await tx.query('UPDATE scim_users SET updated_at = $2, version = version + 1 WHERE member_id = $1', [item.id, now]);
          members++;
        } else {
          const { rowCount } = await tx.query("UPDATE workloads SET status = 'disabled', disabled_at = $2 WHERE id = $1 AND status = 'active'", [item.id, now]);
          if (rowCount > 0) {
            await deps.audit.append(tx, {
              tenantId: item.tenantId, actorKind: ACTOR.kind, actorId: ACTOR.id, action: 'workload.disable', targetType: 'workload', targetId: item.id,
              outcome: 'success', reasons: ['inactive'], metadata: { clientId: item.clientId ?? null, inactivityDays: item.days },
            });
            workloads++;
          }
        }
      });
      opts.onProgress?.(i + 1, work.length);
    }
    return { ran: true, members, workloads };
  } finally {
    await deps.systemDb.transaction((tx) => releaseLease(tx, INACTIVITY_LEASE, holder)).catch(() => {});
  }
}

/** The server's schedule: every hour, unref'd; `stop()` on shutdown. */
export function startInactivityJob(
  deps: { systemDb: SystemDb; audit: AuditLog; clock: { now(): Date }; logger: { error(obj: object, msg: string): void } },
  opts: { intervalMs?: number; safeError: (e: unknown) => object },
): { stop(): Promise<void> } {
  return startInterval(() => disableInactive(deps), { intervalMs: opts.intervalMs ?? 3_600_000, what: 'inactivity', logger: deps.logger, safeError: opts.safeError });
}
