/**
 * `ward policy validate [--policies DIR] [--tenant-policies FILE]`: loads the schema, the default
 * policies and the mask rules exactly as the server does at start, and says whether they are valid
 * (R-UX-2); with `--tenant-policies`, also checks a tenant's policy file (forbid-only, schema).
 * Exit 1 with a CONFIG_INVALID message naming the file otherwise.
 */
import { readFileSync } from 'node:fs';
import { WardError } from '@ward/contracts';
import { defineCommand } from '../options.ts';
import { loadDecisionTables, loadPdp, validateTenantPolicySet } from '../../modules/policy/index.ts';
import { POLICIES_OPTION, policiesDir, TENANT_POLICIES_OPTION } from './policy-options.ts';

export default defineCommand({
  path: ['policy', 'validate'],
  summary: 'validate the Cedar schema, default policies and mask rules',
  options: { policies: POLICIES_OPTION, 'tenant-policies': TENANT_POLICIES_OPTION },
  async run(o, io) {
    const pdp = loadPdp({ policiesDir: policiesDir(o.policies) });
    const files = new Set([...pdp.policies.values()].map((p) => p.file));
    const cases = loadDecisionTables(pdp.policiesDir).reduce((n, t) => n + t.cases.length, 0);
    io.stdout.write(`policies: ${pdp.policies.size} policies in ${files.size} files are valid against the schema (${pdp.actions.size} actions); ${cases} decision-table cases load\n`);
    const tenantFile = o['tenant-policies'];
    if (tenantFile) {
      const check = validateTenantPolicySet(readFileSync(tenantFile, 'utf8'));
      if (!check.ok) throw new WardError('CONFIG_INVALID', `tenant policies: ${check.reason}`);
      io.stdout.write(`tenant policies: ${check.policies.length} forbid-only policies are valid against the schema\n`);
    }
    return 0;
  },
});
