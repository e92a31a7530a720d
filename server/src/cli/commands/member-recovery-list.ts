import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

interface RecoveryRow {
  id: string;
  email: string;
  state: string;
  verified_by: string;
  opened_by: string | null;
  opened_at: Date;
  approved_by: string | null;
  link_expires_at: Date | null;
  is_device_trusted: boolean;
  lifted_by: string | null;
}

const at = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');

/**
 * `ward member recovery list --tenant <slug>` (R-AUTHN-4, R-UX-2): the tenant's lost-device recoveries
 * and where each stands. List only: the operator can neither open nor approve a recovery (two people
 * do, each through their own session with a step-up), and the link and the note are never shown.
 */
export default defineCommand({
  path: ['member', 'recovery', 'list'],
  summary: "list a tenant's lost-device recoveries (open and approve are API-only)",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    json: { type: 'boolean', description: 'one JSON object per recovery' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const { rows } = await deps.db.systemDb.query<RecoveryRow>(
        `SELECT r.id, m.email, r.state, r.verified_by, o.email AS opened_by, r.opened_at, a.email AS approved_by, r.link_expires_at,
                r.trusted_at IS NOT NULL AS is_device_trusted, l.email AS lifted_by
           FROM member_recoveries r JOIN members m ON m.id = r.member_id
           LEFT JOIN members o ON o.id = r.opened_by LEFT JOIN members a ON a.id = r.approved_by LEFT JOIN members l ON l.id = r.lifted_by
          WHERE r.tenant_id = $1 ORDER BY r.opened_at`,
        [tenantId],
      );
      if (o.json) {
        for (const r of rows) {
          await writeLine(io, JSON.stringify({
            id: r.id, member: r.email, state: r.state, verifiedBy: r.verified_by, openedBy: r.opened_by, openedAt: r.opened_at.toISOString(),
            approvedBy: r.approved_by, linkExpiresAt: r.link_expires_at?.toISOString() ?? null, newPasskeyUsedOnManagedDevice: r.is_device_trusted, liftedBy: r.lifted_by,
          }));
        }
        return 0;
      }
      const width = Math.max(...rows.map((r) => r.email.length), 6);
      await writeLine(io, `${'MEMBER'.padEnd(width)}  STATE       VERIFIED BY            OPENED (UTC)      BY / APPROVED BY / LIFTED BY`);
      for (const r of rows) {
        const people = [r.opened_by ?? '-', r.approved_by ?? '-', r.lifted_by ?? (r.state === 'registered' ? (r.is_device_trusted ? '(managed device used)' : '(awaiting a managed device)') : '-')].join(' / ');
        await writeLine(io, `${r.email.padEnd(width)}  ${r.state.padEnd(10)}  ${r.verified_by.padEnd(21)}  ${at(r.opened_at)}  ${people}`);
      }
      await writeLine(io, `${rows.length} recoveries`);
      return 0;
    });
  },
});
