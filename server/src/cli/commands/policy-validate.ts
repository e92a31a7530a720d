/**
 * `ward policy validate [--policies DIR]`: loads the schema, the default policies and the mask rules
 * exactly as the server does at start, and says whether they are valid (R-UX-2). Exit 1 with a
 * CONFIG_INVALID message naming the file otherwise.
 */
import type { Command } from '../command.ts';
import { loadDecisionTables, loadPdp } from '../../modules/policy/index.ts';
import { parsePolicyOptions } from './policy-options.ts';

const USAGE = 'ward policy validate [--policies DIR]';

const command: Command = {
  path: ['policy', 'validate'],
  summary: 'Validate the Cedar schema, default policies and mask rules',
  usage: USAGE,
  async run(args, io) {
    const { policiesDir } = parsePolicyOptions(args, USAGE);
    const pdp = loadPdp({ policiesDir });
    const files = new Set([...pdp.policies.values()].map((p) => p.file));
    const cases = loadDecisionTables(pdp.policiesDir).reduce((n, t) => n + t.cases.length, 0);
    io.stdout.write(`policies: ${pdp.policies.size} policies in ${files.size} files are valid against the schema (${pdp.actions.size} actions); ${cases} decision-table cases load\n`);
    return 0;
  },
};

export default command;
