/**
 * `ward policy validate [--policies DIR] [--tenant-policies FILE]`: loads the schema, the default
 * policies and the mask rules exactly as the server does at start, and says whether they are valid
 * (R-UX-2); with `--tenant-policies`, also checks a tenant's policy file (forbid-only, schema).
 * Exit 1 with a CONFIG_INVALID message naming the file otherwise.
 */
import { readFileSync } from 'node:fs';
import { WardError } from '@ward/contracts';
import type { Command } from '../command.ts';
import { loadDecisionTables, loadPdp, validateTenantPolicySet } from '../../modules/policy/index.ts';
import { parsePolicyOptions } from './policy-options.ts';

const USAGE = 'ward policy validate [--policies DIR] [--tenant-policies FILE]';

const command: Command = {
  path: ['policy', 'validate'],
  summary: 'Validate the Cedar schema, default policies and mask rules',
  usage: USAGE,
  async run(args, io) {
    const { policiesDir, values } = parsePolicyOptions(args, USAGE, ['--tenant-policies']);
    const pdp = loadPdp({ policiesDir });
    const files = new Set([...pdp.policies.values()].map((p) => p.file));
    const cases = loadDecisionTables(pdp.policiesDir).reduce((n, t) => n + t.cases.length, 0);
    io.stdout.write(`policies: ${pdp.policies.size} policies in ${files.size} files are valid against the schema (${pdp.actions.size} actions); ${cases} decision-table cases load\n`);
    const tenantFile = values['--tenant-policies'];
    if (tenantFile) {
      const check = validateTenantPolicySet(readFileSync(tenantFile, 'utf8'));
      if (!check.ok) throw new WardError('CONFIG_INVALID', `tenant policies: ${check.reason}`);
      io.stdout.write(`tenant policies: ${check.policies.length} forbid-only policies are valid against the schema\n`);
    }
    return 0;
  },
};

export default command;
