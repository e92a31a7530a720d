import { Readable, Writable } from 'node:stream';
import type { CliContext, CliIo } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';

/** Runs `ward argv` in-process and collects what it prints. */
export async function runWard(argv: string[], opts: { env?: NodeJS.ProcessEnv; ctx?: CliContext; stdin?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
    stdout: new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }),
    stderr: new Writable({ write: (c, _e, done) => ((err += String(c)), done()) }),
    env: opts.env ?? {},
  };
  const code = await main(argv, io, opts.ctx);
  return { code, out, err };
}
