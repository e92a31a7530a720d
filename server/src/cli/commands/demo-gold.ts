/**
 * `ward demo gold [--seed N]`: writes the gold PHI spans of the demo transcripts as JSONL to stdout
 * (format of /work/shared/data/phi/README.md), for developing and scoring the redaction engine.
 * The data is synthetic; nothing is read from the database.
 */
import { WardError } from '@ward/contracts';
import type { Command } from '../command.ts';
import { demoGoldDocuments } from '../../modules/demo/index.ts';

function parseSeed(args: string[]): number {
  let seed = 1;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value = arg === '--seed' ? args[++i] : arg.startsWith('--seed=') ? arg.slice('--seed='.length) : null;
    if (value === null || value === undefined || !/^-?\d{1,15}$/.test(value)) {
      throw new WardError('USAGE', 'ward demo gold: the only option is --seed N, with N an integer.');
    }
    seed = Number(value);
  }
  return seed;
}

const command: Command = {
  path: ['demo', 'gold'],
  summary: 'Print the gold PHI spans of the demo transcripts (JSONL)',
  usage: 'ward demo gold [--seed N]',
  async run(args, io) {
    const seed = parseSeed(args);
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
};

export default command;
