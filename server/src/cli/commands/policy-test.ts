/**
 * `ward policy test [--policies DIR] [--verbose]`: runs the decision tables in policies/tests/*.json
 * against the policies and prints the cases that fail (R-UX-2). Exit 1 when one does.
 */
import { defineCommand } from '../options.ts';
import { loadDecisionTables, loadPdp, runDecisionTables } from '../../modules/policy/index.ts';
import { POLICIES_OPTION, policiesDir } from './policy-options.ts';

export default defineCommand({
  path: ['policy', 'test'],
  summary: 'run the decision tables in policies/tests',
  options: { policies: POLICIES_OPTION, verbose: { type: 'boolean', description: 'print the cases that pass too' } },
  async run(o, io) {
    const isVerbose = o.verbose;
    const pdp = loadPdp({ policiesDir: policiesDir(o.policies) });
    const results = runDecisionTables(pdp, loadDecisionTables(pdp.policiesDir));
    const failed = results.filter((r) => !r.ok);
    for (const r of results) {
      if (!r.ok) io.stdout.write(`FAIL ${r.table}: ${r.name}\n     ${r.problem}\n`);
      else if (isVerbose) io.stdout.write(`ok   ${r.table}: ${r.name}\n`);
    }
    io.stdout.write(`${results.length} cases, ${results.length - failed.length} passed, ${failed.length} failed\n`);
    return failed.length === 0 ? 0 : 1;
  },
});
