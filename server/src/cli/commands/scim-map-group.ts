import { mapGroup } from '../../modules/provisioning/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * `ward scim map-group --tenant <slug> --group-id <id> --role <Role> [--unmap]`: the one way a pushed
 * group gives a role (R-AUTHN-5); its members' roles follow at once. Owner and Admin still need the
 * second person (the approval of the member's invitation); PHI scopes never come from groups.
 */
export default defineCommand({
  path: ['scim', 'map-group'],
  summary: 'map a pushed group to a role (or --unmap it); the members\' roles follow at once',
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    'group-id': { value: '<id>', description: 'the group id as ward scim groups shows it', required: true },
    role: { value: '<Role>', description: 'Owner, Admin, Manager, Agent, Viewer or Auditor', required: true },
    unmap: { type: 'boolean', description: 'end the mapping: the role leaves the members who had it from this group only' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const r = await mapGroup(deps, { tenantId, groupId: o['group-id'], role: o.role as never, unmap: o.unmap === true }, deps.clock.now());
      for (const c of r.changes) await writeLine(io, `member ${c.memberId}: ${c.role} ${c.change.replace('_', ' ')}`);
      const pending = r.changes.filter((c) => c.change === 'approval_required').length;
      await writeLine(io, `${o.unmap ? 'unmapped' : 'mapped'} ${o.role} ${r.changed ? '' : '(no change) '}for ${r.members} member(s) of the group`);
      if (pending > 0) await writeLine(io, `${pending} member(s) wait for a second Owner or Admin to approve (ward member approve)`);
      return 0;
    });
  },
});
