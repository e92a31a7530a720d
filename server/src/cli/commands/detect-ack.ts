import { WardError } from '@ward/contracts';
import { defineCommand } from '../options.ts';
import { readAll } from '../stdin.ts';
import { TRIAGE_OPTIONS, triageAsOperator } from './detect-triage.ts';

/** `ward detect ack` (R-MON-1): someone is on it. A note, being free text, only on standard input. */
export default defineCommand({
  path: ['detect', 'ack'],
  summary: 'acknowledge a detection (someone is on it); --note-stdin reads a note on standard input',
  options: { ...TRIAGE_OPTIONS, 'note-stdin': { type: 'boolean', description: 'read a note on standard input' } },
  usesDatabase: true,
  async run(o, io, ctx) {
    const note = o['note-stdin'] ? (await readAll(io.stdin)).trim() : undefined;
    if (note === '') throw new WardError('USAGE', 'The note on standard input is empty.');
    return triageAsOperator(ctx, io, o, 'acknowledged', note);
  },
});
