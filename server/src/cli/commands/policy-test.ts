/**
 * `ward policy test [--policies DIR] [--verbose]`: runs the decision tables in policies/tests/*.json
 * against the policies and prints the cases that fail (R-UX-2). Exit 1 when one does.
 */
import type { Command } from '../command.ts';
import { loadDecisionTables, loadPdp, runDecisionTables } from '../../modules/policy/index.ts';
import { parsePolicyOptions } from './policy-options.ts';

const USAGE = 'ward policy test [--policies DIR] [--verbose]';

const command: Command = {
  path: ['policy', 'test'],
  summary: 'Run the decision tables in policies/tests',
  usage: USAGE,
  async run(args, io) {
    const isVerbose = args.includes('--verbose');
    const { policiesDir } = parsePolicyOptions(args.filter((a) => a !== '--verbose'), USAGE);
    const pdp = loadPdp({ policiesDir });
    const results = runDecisionTables(pdp, loadDecisionTables(pdp.policiesDir));
    const failed = results.filter((r) => !r.ok);
    for (const r of results) {
      if (!r.ok) io.stdout.write(`FAIL ${r.table}: ${r.name}\n     ${r.problem}\n`);
      else if (isVerbose) io.stdout.write(`ok   ${r.table}: ${r.name}\n`);
    }
    io.stdout.write(`${results.length} cases, ${results.length - failed.length} passed, ${failed.length} failed\n`);
    return failed.length === 0 ? 0 : 1;
  },
};

export default command;
