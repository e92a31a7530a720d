/**
 * `ward policy matrix [--policies <dir>] [--out <file> | --write]`: the role matrix (R-AUTHZ-6),
 * built by asking the PDP every role × action × scope question. Standard output by default, like
 * every other command; `--out <file>` writes a file, `--write` regenerates docs/roles.md.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WardError } from '@ward/contracts';
import { buildRoleMatrix, loadPdp, renderRoleMatrix } from '../../modules/policy/index.ts';
import { defineCommand } from '../options.ts';
import { POLICIES_OPTION, policiesDir } from './policy-options.ts';

export const DEFAULT_MATRIX_FILE = resolve(new URL('../../../../docs/roles.md', import.meta.url).pathname);

export default defineCommand({
  path: ['policy', 'matrix'],
  summary: 'print the role × action × scope matrix (markdown)',
  options: {
    policies: POLICIES_OPTION,
    out: { value: '<file>', description: 'write the matrix to this file instead of standard output (- for standard output)' },
    write: { type: 'boolean', description: 'regenerate docs/roles.md' },
  },
  usage: ['ward policy matrix [--policies <dir>] [--out <file> | --write]'],
  async run(o, io) {
    if (o.write && o.out !== undefined) throw new WardError('USAGE', '--out and --write are alternatives: give one.');
    const pdp = loadPdp({ policiesDir: policiesDir(o.policies) });
    const rows = buildRoleMatrix(pdp);
    const markdown = renderRoleMatrix(pdp, rows);
    const out = o.write ? DEFAULT_MATRIX_FILE : o.out ?? '-';
    if (out === '-') {
      io.stdout.write(markdown);
    } else {
      writeFileSync(out, markdown);
      io.stdout.write(`policy matrix: ${rows.length} rows written to ${out}\n`);
    }
    return 0;
  },
});
