import { WardError } from '@ward/contracts';
import { inviteMember } from '../../modules/identity/index.ts';
import type { Command } from '../command.ts';
import { memberIdByEmail, parseOptions, tenantIdBySlug } from './member-options.ts';

const USAGE = 'ward member invite --tenant <slug> --email <email> --role <Role> [--by <inviter email>] [--ttl-hours N]';

/**
 * R-AUTHN-3: a member without a passkey and a one-time enrollment link (printed alone on the last
 * line). Owner and Admin invitations wait for `ward member approve` by a second Owner or Admin.
 */
const command: Command = {
  path: ['member', 'invite'],
  summary: 'invite a member and print a one-time enrollment link',
  usage: USAGE,
  usesDatabase: true,
  async run(args, io, ctx) {
    const o = parseOptions(args, ['tenant', 'email', 'role', 'by', 'ttl-hours'], USAGE);
    if (!o.tenant || !o.email || !o.role) throw new WardError('USAGE', `Usage: ${USAGE}`);
    if (o['ttl-hours'] !== undefined && !/^\d{1,3}$/.test(o['ttl-hours'])) throw new WardError('USAGE', `Usage: ${USAGE}`);
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant!);
      const invitedBy = o.by ? await memberIdByEmail(deps.db.systemDb, tenantId, o.by) : null;
      const r = await inviteMember({ db: deps.db, audit: deps.audit, origin: deps.config.origin }, {
        tenantId, email: o.email!, role: o.role!, invitedBy, actor: invitedBy ? { kind: 'human', id: invitedBy } : { kind: 'system', id: 'system:cli' },
        ttlSeconds: o['ttl-hours'] ? Number(o['ttl-hours']) * 3600 : undefined,
      }, deps.clock.now());
      io.stdout.write(`invited member ${r.memberId}; the link expires ${r.expiresAt.toISOString()}\n`);
      if (r.requiresApproval) io.stdout.write(`an ${o.role} invitation works only after a second Owner or Admin runs: ward member approve --tenant ${o.tenant} --email <invitee> --by <approver email>\n`);
      io.stdout.write(`${r.link}\n`);
      return 0;
    });
  },
};
export default command;
