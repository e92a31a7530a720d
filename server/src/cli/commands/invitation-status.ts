import { normalEmail } from '../../modules/identity/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

interface InvitationRow {
  email: string;
  role: string | null;
  created_at: Date | string;
  expires_at: Date | string;
  consumed_at: Date | string | null;
  requires_approval: boolean;
  approved_at: Date | string | null;
  has_passkey: boolean;
}

type Status = 'enrolled' | 'awaiting approval' | 'awaiting enrollment' | 'expired' | 'replaced';

function statusOf(r: InvitationRow, now: Date): Status {
  if (r.consumed_at !== null) return r.has_passkey ? 'enrolled' : 'replaced';
  if (new Date(r.expires_at).getTime() <= now.getTime()) return 'expired';
  if (r.requires_approval && r.approved_at === null) return 'awaiting approval';
  return 'awaiting enrollment';
}

/**
 * `ward invitation status --tenant <slug> [--email <email>]` (R-AUTHN-3): where each enrollment
 * link stands: awaiting a second person's approval, awaiting enrollment, enrolled, expired or
 * replaced by a newer link. Never the link itself (only its hash is stored).
 */
export default defineCommand({
  path: ['invitation', 'status'],
  summary: 'show where enrollment invitations stand (approval, enrollment, expiry)',
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    email: { value: '<email>', description: "one invitee's invitations only" },
    json: { type: 'boolean', description: 'one JSON object per invitation' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const { rows } = await deps.db.systemDb.query<InvitationRow>(
        `SELECT m.email, t.role, t.created_at, t.expires_at, t.consumed_at, t.requires_approval, t.approved_at,
                EXISTS (SELECT 1 FROM passkey_credentials c WHERE c.member_id = m.id AND c.created_at >= t.created_at) AS has_passkey
           FROM enrollment_tokens t JOIN members m ON m.id = t.member_id
          WHERE t.tenant_id = $1 AND t.purpose = 'enroll' AND ($2::text IS NULL OR m.email = $2)
          ORDER BY t.created_at DESC`,
        [tenantId, o.email === undefined ? null : normalEmail(o.email)],
      );
      const now = deps.clock.now();
      if (o.json) {
        for (const r of rows) {
          await writeLine(io, JSON.stringify({ email: r.email, role: r.role, status: statusOf(r, now), createdAt: new Date(r.created_at).toISOString(), expiresAt: new Date(r.expires_at).toISOString() }));
        }
        return 0;
      }
      if (rows.length === 0) {
        await writeLine(io, o.email ? 'no invitation for that e-mail address in this tenant' : 'no invitations in this tenant');
        return 0;
      }
      const width = Math.max(...rows.map((r) => r.email.length), 5);
      await writeLine(io, `${'EMAIL'.padEnd(width)}  ${'ROLE'.padEnd(7)}  ${'STATUS'.padEnd(19)}  EXPIRES`);
      for (const r of rows) {
        await writeLine(io, `${r.email.padEnd(width)}  ${(r.role ?? '-').padEnd(7)}  ${statusOf(r, now).padEnd(19)}  ${new Date(r.expires_at).toISOString()}`);
      }
      return 0;
    });
  },
});
