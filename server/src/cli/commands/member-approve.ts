import { approveInvitation } from '../../modules/identity/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { memberIdByEmail, tenantIdBySlug } from './lookups.ts';

/**
 * R-AUTHN-3, R-AUTHZ-5: the second person of an Owner or Admin invitation. The approver must be an
 * enrolled, active Owner or Admin other than the inviter and the invitee. The operator attests who
 * the approver is; the admin API (with the approver's own session) is the stronger path.
 */
export default defineCommand({
  path: ['member', 'approve'],
  summary: 'approve a pending Owner or Admin invitation (two-person rule)',
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    email: { value: '<email>', description: "the invitee's e-mail address", required: true },
    by: { value: '<email>', description: 'the approving Owner or Admin: enrolled, neither the inviter nor the invitee', required: true },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const approver = await memberIdByEmail(deps.db.systemDb, tenantId, o.by);
      const r = await approveInvitation({ db: deps.db, audit: deps.audit }, { tenantId, email: o.email, approverMemberId: approver, actor: { kind: 'human', id: approver } }, deps.clock.now());
      io.stdout.write(`approved the invitation of member ${r.memberId}; their enrollment link now works\n`);
      return 0;
    });
  },
});
