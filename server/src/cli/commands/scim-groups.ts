import { listScimGroups } from '../../modules/provisioning/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/** `ward scim groups --tenant <slug>`: the groups the IdP pushed, with their ids, members and mapped roles (R-AUTHN-5). */
export default defineCommand({
  path: ['scim', 'groups'],
  summary: 'list the groups the IdP pushed over SCIM, with their ids, member counts and mapped roles',
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    json: { type: 'boolean', description: 'one JSON object per group' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const groups = await listScimGroups(deps.db.systemDb, tenantId);
      if (o.json) {
        for (const g of groups) await writeLine(io, JSON.stringify(g));
        return 0;
      }
      await writeLine(io, `${'GROUP ID'.padEnd(36)}  MEMBERS  ROLES (mapped)  DISPLAY NAME`);
      for (const g of groups) await writeLine(io, `${g.id}  ${String(g.members).padStart(7)}  ${(g.roles.join(',') || '-').padEnd(14)}  ${JSON.stringify(g.displayName)}`);
      await writeLine(io, `${groups.length} groups; a group gives a role only through ward scim map-group`);
      return 0;
    });
  },
});
