import { WardError } from '@ward/contracts';
import { defineCommand } from '../options.ts';
import { readAll } from '../stdin.ts';
import { TRIAGE_OPTIONS, triageAsOperator } from './detect-triage.ts';

/** `ward detect close` (R-MON-1). The note is free text, so it is read on standard input, never an argument. */
export default defineCommand({
  path: ['detect', 'close'],
  summary: 'close a detection with a note read on standard input',
  options: TRIAGE_OPTIONS,
  usesDatabase: true,
  async run(o, io, ctx) {
    const note = (await readAll(io.stdin)).trim();
    if (note.length === 0) throw new WardError('USAGE', 'Give the closing note on standard input, for example: echo "false positive: planned test" | ward detect close …');
    return triageAsOperator(ctx, io, o, 'closed', note);
  },
});
