import { WardError } from '@ward/contracts';
import { approveInvitation } from '../../modules/identity/index.ts';
import type { Command } from '../command.ts';
import { memberIdByEmail, parseOptions, tenantIdBySlug } from './member-options.ts';

const USAGE = 'ward member approve --tenant <slug> --email <invitee email> --by <approver email>';

/**
 * R-AUTHN-3, R-AUTHZ-5: the second person of an Owner or Admin invitation. The approver must be an
 * enrolled, active Owner or Admin other than the inviter and the invitee. The operator attests who
 * the approver is; the admin API (with the approver's own session) is the stronger path.
 */
const command: Command = {
  path: ['member', 'approve'],
  summary: 'approve a pending Owner or Admin invitation (two-person rule)',
  usage: USAGE,
  usesDatabase: true,
  async run(args, io, ctx) {
    const o = parseOptions(args, ['tenant', 'email', 'by'], USAGE);
    if (!o.tenant || !o.email || !o.by) throw new WardError('USAGE', `Usage: ${USAGE}`);
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant!);
      const approver = await memberIdByEmail(deps.db.systemDb, tenantId, o.by!);
      const r = await approveInvitation({ db: deps.db, audit: deps.audit }, { tenantId, email: o.email!, approverMemberId: approver, actor: { kind: 'human', id: approver } }, deps.clock.now());
      io.stdout.write(`approved the invitation of member ${r.memberId}; their enrollment link now works\n`);
      return 0;
    });
  },
};
export default command;
