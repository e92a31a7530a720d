/**
 * `ward policy matrix [--policies DIR] [--out FILE]`: writes the role matrix (R-AUTHZ-6) by asking
 * the PDP every role × action × scope question, to docs/roles.md by default (`--out -` for stdout).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { buildRoleMatrix, loadPdp, renderRoleMatrix } from '../../modules/policy/index.ts';
import { parsePolicyOptions } from './policy-options.ts';

const USAGE = 'ward policy matrix [--policies DIR] [--out FILE|-]';
export const DEFAULT_MATRIX_FILE = resolve(new URL('../../../../docs/roles.md', import.meta.url).pathname);

const command: Command = {
  path: ['policy', 'matrix'],
  summary: 'Write the role × action × scope matrix to docs/roles.md',
  usage: USAGE,
  async run(args, io) {
    const { policiesDir, values } = parsePolicyOptions(args, USAGE, ['--out']);
    const pdp = loadPdp({ policiesDir });
    const rows = buildRoleMatrix(pdp);
    const markdown = renderRoleMatrix(pdp, rows);
    const out = values['--out'] ?? DEFAULT_MATRIX_FILE;
    if (out === '-') {
      io.stdout.write(markdown);
    } else {
      writeFileSync(out, markdown);
      io.stdout.write(`policy matrix: ${rows.length} rows written to ${out}\n`);
    }
    return 0;
  },
};

export default command;
