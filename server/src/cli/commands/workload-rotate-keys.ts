import { parseWorkloadJwks, rotateWorkloadKeys } from '../../modules/workload/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { readAll } from '../stdin.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/** `ward workload rotate-keys`: the workload's new public JWK Set replaces the old one at once. */
export default defineCommand({
  path: ['workload', 'rotate-keys'],
  summary: "replace a workload's public keys with the JWK Set read on standard input",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    'client-id': { value: '<id>', description: "the workload's client_id", required: true },
  },
  usage: ['ward workload rotate-keys --tenant <slug> --client-id <id> < jwks.json'],
  help: 'Client assertions signed by a key of the old set are refused from now on; tokens already issued\nstay bound to their DPoP keys until they expire (revoke them at /oauth/revoke, or disable the workload).',
  usesDatabase: true,
  async run(o, io, ctx) {
    const jwks = parseWorkloadJwks(await readAll(io.stdin));
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      await rotateWorkloadKeys(deps.db.systemDb, deps, tenantId, o['client-id'], jwks, deps.clock.now());
      await writeLine(io, `replaced the keys of ${o['client-id']} (${jwks.keys.length} keys)`);
      return 0;
    });
  },
});
