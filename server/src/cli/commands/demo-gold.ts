/**
 * `ward demo gold [--seed N]`: writes the gold PHI spans of the demo transcripts as JSONL to stdout
 * (format of /work/shared/data/phi/README.md), for developing and scoring the redaction engine.
 * The data is synthetic; nothing is read from the database.
 */
import { WardError } from '@ward/contracts';
import { defineCommand } from '../options.ts';
import { demoGoldDocuments } from '../../modules/demo/index.ts';

function parseSeed(value: string | undefined): number {
  if (value === undefined) return 1;
  if (!/^-?\d{1,15}$/.test(value)) throw new WardError('USAGE', '--seed takes an integer (a negative one as --seed=-5).');
  return Number(value);
}

export default defineCommand({
  path: ['demo', 'gold'],
  summary: 'print the gold PHI spans of the demo transcripts (JSONL)',
  options: { seed: { value: '<integer>', description: 'the generator seed (default 1)' } },
  async run(o, io) {
    const seed = parseSeed(o.seed);
    // A reader that goes away (`ward demo gold | head`) ends the output quietly.
    let isClosed = false;
    const onError = (): void => {
      isClosed = true;
    };
    io.stdout.on('error', onError);
    try {
      for (const doc of demoGoldDocuments(seed)) {
        if (isClosed) break;
        // Waits when the pipe is full, so slow readers get the whole set in bounded memory.
        if (!io.stdout.write(`${JSON.stringify(doc)}\n`)) {
          await new Promise<void>((resolve) => {
            const done = (): void => {
              io.stdout.off('drain', done);
              io.stdout.off('error', done);
              resolve();
            };
            io.stdout.on('drain', done);
            io.stdout.on('error', done);
          });
        }
      }
    } finally {
      io.stdout.off('error', onError);
    }
    return 0;
  },
});
