import { WORKLOAD_ROLES } from '@ward/contracts';
import { createWorkload, parseWorkloadJwks } from '../../modules/workload/index.ts';
import { defineCommand, TENANT_OPTION, wholeNumber } from '../options.ts';
import { readAll } from '../stdin.ts';
import { writeLine } from './audit-options.ts';
import { memberIdByEmail, tenantIdBySlug } from './lookups.ts';

/** `ward workload create`: registers an AI agent, tool or job with its public keys (R-WORK-1). */
export default defineCommand({
  path: ['workload', 'create'],
  summary: 'register a workload (AI agent, tool or job) with its public JWK Set read on standard input',
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    name: { value: '<name>', description: 'a name unique in the tenant', required: true },
    kind: { value: 'ai_agent|service', description: 'an AI agent, or a tool or job', required: true },
    role: { value: '<role>', description: `its one workload role: ${WORKLOAD_ROLES.join(', ')}`, required: true },
    scopes: { value: '<scope,...>', description: 'PHI scopes to grant (comma-separated); none by default' },
    approver: { value: '<email>', description: 'with --scopes: the active Owner or Admin who approved them (R-AUTHZ-5)' },
    'max-token-lifetime': { value: '<seconds>', description: 'ceiling on its access tokens (60 to 86400, default 3600; tokens live 600 s by default)' },
  },
  usage: ['ward workload create --tenant <slug> --name <name> --kind ai_agent|service --role <role> [--scopes <scope,...> --approver <email>] [--max-token-lifetime <seconds>] < jwks.json'],
  help: 'Reads the public JWK Set ({"keys":[...]}, EC P-256 or P-384, Ed25519, or RSA of 2048 bits or more; no private members) on standard input.\nThe client_id is printed alone on the last line.',
  usesDatabase: true,
  async run(o, io, ctx) {
    const jwks = parseWorkloadJwks(await readAll(io.stdin));
    const maxTokenSeconds = wholeNumber('max-token-lifetime', o['max-token-lifetime'], { min: 60, max: 86_400, unit: 'seconds' });
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const approverMemberId = o.approver ? await memberIdByEmail(deps.db.systemDb, tenantId, o.approver) : undefined;
      const { clientId } = await createWorkload(deps.db, deps, {
        tenantId, name: o.name, kind: o.kind, role: o.role, jwks, scopes: o.scopes ? o.scopes.split(',').map((s) => s.trim()).filter(Boolean) : [], approverMemberId, maxTokenSeconds,
      });
      await writeLine(io, `registered ${o.kind} "${o.name}" in ${o.tenant} with role ${o.role}; its client_id:`);
      await writeLine(io, clientId);
      return 0;
    });
  },
});
