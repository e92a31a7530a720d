import { inviteMember } from '../../modules/identity/index.ts';
import { defineCommand, TENANT_OPTION, wholeNumber } from '../options.ts';
import { memberIdByEmail, tenantIdBySlug } from './lookups.ts';

/**
 * R-AUTHN-3: the operator provisions a new member and gets its one-time enrollment link (printed
 * alone on the last line), as `tctl users add` does; recorded with actor kind `system`, `--by` kept
 * only as a claim of who asked. An existing member is never invited again (MEMBER_EXISTS). Owner and
 * Admin invitations wait for a second Owner or Admin's approval.
 */
export default defineCommand({
  path: ['member', 'invite'],
  summary: 'invite a member and print a one-time enrollment link',
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    email: { value: '<email>', description: "the invitee's e-mail address", required: true },
    role: { value: '<Role>', description: 'Owner, Admin, Manager, Agent, Viewer or Auditor', required: true },
    by: { value: '<email>', description: 'who asked for the invitation (recorded as a claim; the invitation is the operator\'s)' },
    'ttl-hours': { value: '<hours>', description: 'how long the link works, in hours (default 24, at most 168)' },
  },
  help: 'Only new members are invited. Owner, Admin and Auditor invitations work only after a second Owner or Admin approves them (POST /v1/members/invitations/:id/approve, or ward member approve).',
  usesDatabase: true,
  async run(o, io, ctx) {
    const ttlHours = wholeNumber('ttl-hours', o['ttl-hours'], { min: 1, max: 168, unit: 'hours' });
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const invitedBy = o.by ? await memberIdByEmail(deps.db.systemDb, tenantId, o.by) : null;
      const r = await inviteMember({ db: deps.db, audit: deps.audit, origin: deps.config.origin }, {
        tenantId, email: o.email, role: o.role, invitedBy, actor: { kind: 'system', id: 'system:cli' },
        ttlSeconds: ttlHours !== undefined ? ttlHours * 3600 : undefined,
      }, deps.clock.now());
      io.stdout.write(`invited member ${r.memberId}; the link expires ${r.expiresAt.toISOString()}\n`);
      if (r.requiresApproval) io.stdout.write(`an ${o.role} invitation works only after a second Owner or Admin approves it (POST /v1/members/invitations/${r.memberId}/approve, or ward member approve)\n`);
      io.stdout.write(`${r.link}\n`);
      return 0;
    });
  },
});
