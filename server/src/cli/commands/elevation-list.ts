import { elevationView, LIST_ELEVATIONS } from '../../modules/elevation/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

const at = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '-');

/**
 * `ward elevation list --tenant <slug>` (R-ELEV-1, R-ELEV-2, R-UX-2): the tenant's elevations and
 * break-glass accesses, newest first, with their state read from the clock (an approved elevation past
 * its expiry lists as expired; nothing runs to expire it) and each break-glass review's deadline.
 * List only: people request, decide and review through their own sessions (docs/elevation.md).
 * Reasons are never shown.
 */
export default defineCommand({
  path: ['elevation', 'list'],
  summary: "list a tenant's elevations and break-glass accesses (request and approve are API-only)",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    json: { type: 'boolean', description: 'one JSON object per elevation' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const now = deps.clock.now();
      const { rows } = await deps.db.systemDb.query<Parameters<typeof elevationView>[0]>(LIST_ELEVATIONS, [tenantId, null]);
      const views = rows.map((r) => elevationView(r, now));
      if (o.json) {
        for (const v of views) await writeLine(io, JSON.stringify(v));
        return 0;
      }
      await writeLine(io, 'ID                                    KIND        STATE     MEMBER                                GRANTS                          TARGET          EXPIRES (UTC)     REVIEW');
      for (const v of views) {
        const grants = [...v.roles, ...v.phiScopes, ...v.actions].join(',') || '-';
        const target = v.targetType === 'tenant' ? 'tenant' : `${v.targetType}:${v.targetId!.slice(0, 8)}`;
        const review = v.review ? (v.review.reviewedAt ? `${v.review.outcome}` : `${v.review.overdue ? 'OVERDUE' : 'due'} ${at(v.review.dueAt)}`) : v.state === 'pending' ? `${v.approvals}/${v.approvalsRequired} approvals` : '-';
        await writeLine(io, `${v.id}  ${v.kind.padEnd(10)}  ${v.state.padEnd(8)}  ${v.memberId}  ${grants.slice(0, 30).padEnd(30)}  ${target.padEnd(14)}  ${at(v.expiresAt).padEnd(16)}  ${review}`);
      }
      await writeLine(io, `${views.length} elevations`);
      return 0;
    });
  },
});
