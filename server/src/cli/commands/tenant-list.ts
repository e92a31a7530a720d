import { defineCommand } from '../options.ts';
import { writeLine } from './audit-options.ts';

interface TenantRow {
  slug: string;
  name: string;
  id: string;
  members: number;
  enrolled: number;
  demo: boolean;
  created_at: Date | string;
}

/** `ward tenant list`: every tenant, its member counts and whether the demo seed created it. */
export default defineCommand({
  path: ['tenant', 'list'],
  summary: 'list the tenants with their member counts',
  options: { json: { type: 'boolean', description: 'one JSON object per tenant' } },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const { rows } = await deps.db.systemDb.query<TenantRow>(
        `SELECT t.slug, t.name, t.id, t.created_at,
                (SELECT count(*)::int FROM members m WHERE m.tenant_id = t.id) AS members,
                (SELECT count(DISTINCT c.member_id)::int FROM passkey_credentials c WHERE c.tenant_id = t.id AND c.revoked_at IS NULL) AS enrolled,
                coalesce((t.settings->>'demo')::boolean, false) AS demo
           FROM tenants t ORDER BY t.slug`,
      );
      if (o.json) {
        for (const r of rows) await writeLine(io, JSON.stringify({ slug: r.slug, name: r.name, id: r.id, members: r.members, enrolled: r.enrolled, demo: r.demo, createdAt: new Date(r.created_at).toISOString() }));
        return 0;
      }
      if (rows.length === 0) {
        await writeLine(io, 'no tenants: ward tenant create --slug <slug> --name <name> --owner-email <email> creates one');
        return 0;
      }
      const width = Math.max(...rows.map((r) => r.slug.length), 4);
      await writeLine(io, `${'SLUG'.padEnd(width)}  MEMBERS  ENROLLED  DEMO  NAME`);
      for (const r of rows) await writeLine(io, `${r.slug.padEnd(width)}  ${String(r.members).padStart(7)}  ${String(r.enrolled).padStart(8)}  ${(r.demo ? 'yes' : 'no').padEnd(4)}  ${r.name}`);
      return 0;
    });
  },
});
