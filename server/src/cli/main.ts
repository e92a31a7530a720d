import { isWardError } from '@ward/contracts';
import type { CliIo, Command } from './command.ts';

// The command list: add a command by adding its module here.
const COMMAND_MODULES: Array<() => Promise<{ default: Command }>> = [
  () => import('./commands/policy-validate.ts'),
  () => import('./commands/policy-test.ts'),
  () => import('./commands/policy-check.ts'),
  () => import('./commands/policy-matrix.ts'),
];

async function loadCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_MODULES.map(async (load) => (await load()).default));
}

function helpText(commands: Command[]): string {
  const lines = commands.map((c) => `  ward ${c.path.join(' ').padEnd(22)} ${c.summary}`);
  return `ward: the operator CLI of Ward\n\nUsage:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[], io: CliIo = process): Promise<number> {
  const commands = await loadCommands();
  const match = commands
    .filter((c) => c.path.every((word, i) => argv[i] === word))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!match || argv[0] === '--help' || argv[0] === 'help') {
    (match ? io.stdout : argv.length ? io.stderr : io.stdout).write(helpText(commands));
    return match || argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' ? 0 : 2;
  }
  try {
    return await match.run(argv.slice(match.path.length), io);
  } catch (e) {
    // Errors print their code and public message only: input (which may hold PHI) is never echoed.
    if (isWardError(e)) {
      io.stderr.write(`ward: ${e.code}: ${e.message}\n`);
      return e.code === 'USAGE' ? 2 : 1;
    }
    io.stderr.write(`ward: INTERNAL: ${(e as Error)?.name ?? 'Error'}\n`);
    return 1;
  }
}
