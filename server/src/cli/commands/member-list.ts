import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

interface MemberRow {
  id: string;
  email: string;
  status: string;
  roles: string[];
  scopes: string[];
  passkeys: number;
}

/** `ward member list --tenant <slug>`: who is in a tenant, with roles, PHI scopes and enrollment. */
export default defineCommand({
  path: ['member', 'list'],
  summary: "list a tenant's members with their roles, PHI scopes and passkeys",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    json: { type: 'boolean', description: 'one JSON object per member' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const { rows } = await deps.db.systemDb.query<MemberRow>(
        `SELECT m.id, m.email, m.status,
                ARRAY(SELECT role FROM member_roles r WHERE r.member_id = m.id ORDER BY role) AS roles,
                ARRAY(SELECT phi_scope FROM member_phi_scopes s WHERE s.member_id = m.id ORDER BY phi_scope) AS scopes,
                (SELECT count(*)::int FROM passkey_credentials c WHERE c.member_id = m.id AND c.revoked_at IS NULL) AS passkeys
           FROM members m WHERE m.tenant_id = $1 ORDER BY m.email`,
        [tenantId],
      );
      if (o.json) {
        for (const r of rows) await writeLine(io, JSON.stringify(r));
        return 0;
      }
      const width = Math.max(...rows.map((r) => r.email.length), 5);
      await writeLine(io, `${'EMAIL'.padEnd(width)}  STATUS      PASSKEYS  ROLES / PHI SCOPES`);
      for (const r of rows) {
        await writeLine(io, `${r.email.padEnd(width)}  ${r.status.padEnd(10)}  ${String(r.passkeys).padStart(8)}  ${r.roles.join(',') || '-'} / ${r.scopes.join(',') || '-'}`);
      }
      await writeLine(io, `${rows.length} members`);
      return 0;
    });
  },
});
