import { approveInvitation } from '../../modules/identity/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { memberIdByEmail, tenantIdBySlug } from './lookups.ts';

/**
 * R-AUTHN-3, R-AUTHZ-5: an operator's approval of a pending Owner or Admin invitation. The approval
 * is the operator's (recorded with actor kind `system`); `--by` names the person who asked for it, a
 * claim kept in the trail, who must be an enrolled, active Owner or Admin other than the inviter and
 * the invitee. People approve through their own sessions with
 * `POST /v1/members/invitations/:id/approve` (step-up), which records them as the approver.
 */
export default defineCommand({
  path: ['member', 'approve'],
  summary: 'approve a pending Owner or Admin invitation as the operator (two-person rule)',
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    email: { value: '<email>', description: "the invitee's e-mail address", required: true },
    by: { value: '<email>', description: 'the Owner or Admin who asked for the approval (a claim): enrolled, neither the inviter nor the invitee', required: true },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const invitee = await memberIdByEmail(deps.db.systemDb, tenantId, o.email);
      const claimed = await memberIdByEmail(deps.db.systemDb, tenantId, o.by);
      const r = await approveInvitation({ db: deps.db, audit: deps.audit }, { tenantId, memberId: invitee, approverMemberId: claimed, actor: { kind: 'system', id: 'system:cli' } }, deps.clock.now());
      io.stdout.write(`approved the ${r.role} invitation of member ${r.memberId}; their enrollment link now works\n`);
      return 0;
    });
  },
});
