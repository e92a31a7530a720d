import { isWardError } from '@ward/contracts';
import { loadConfig } from '../config.ts';
import { createDeps, type Deps } from '../deps.ts';
import { liveLockOwner } from '../db/data-dir-lock.ts';
import { createLogger } from '../logging.ts';
import type { CliContext, CliIo, Command } from './command.ts';
import { runThroughOperatorSocket } from './operator-socket.ts';

// The command list: add a command by adding its module here.
const COMMAND_MODULES: Array<() => Promise<{ default: Command }>> = [
  () => import('./commands/migrate.ts'),
  () => import('./commands/tenant-create.ts'),
  () => import('./commands/member-invite.ts'),
  () => import('./commands/member-approve.ts'),
  () => import('./commands/device-set-posture.ts'),
  () => import('./commands/demo-seed.ts'),
  () => import('./commands/demo-gold.ts'),
  () => import('./commands/keys-rotate.ts'),
  () => import('./commands/tenant-shred.ts'),
  () => import('./commands/retention-run.ts'),
  () => import('./commands/redact.ts'),
  () => import('./commands/policy-validate.ts'),
  () => import('./commands/policy-test.ts'),
  () => import('./commands/policy-check.ts'),
  () => import('./commands/policy-matrix.ts'),
  () => import('./commands/audit-verify.ts'),
  () => import('./commands/audit-export.ts'),
  () => import('./commands/audit-trace.ts'),
  () => import('./commands/audit-seal.ts'),
  () => import('./commands/demo-traffic.ts'),
];

async function loadCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_MODULES.map(async (load) => (await load()).default));
}

function helpText(commands: Command[]): string {
  const lines = commands.map((c) => `  ward ${c.path.join(' ').padEnd(22)} ${c.summary}`);
  return `ward: the operator CLI of Ward\n\nUsage:\n${lines.join('\n')}\n`;
}

/** Outside a server: each command that needs the database opens it, and closes it when done. */
function standaloneContext(io: CliIo): CliContext {
  return {
    async withDeps<T>(fn: (deps: Deps) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
      const config = loadConfig(io.env);
      const deps = await createDeps(config, { migrate: opts.migrate ?? true, serve: false, logger: createLogger('warn') });
      try {
        return await fn(deps);
      } finally {
        await deps.close();
      }
    },
  };
}

/** Inside the server (the operator socket): commands use the server's own dependencies. */
export function serverContext(deps: Deps): CliContext {
  return { withDeps: (fn) => fn(deps) };
}

export async function main(argv: string[], io: CliIo = process, ctx?: CliContext): Promise<number> {
  const commands = await loadCommands();
  const match = commands
    .filter((c) => c.path.every((word, i) => argv[i] === word))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!match) {
    const asked = argv.length === 0 || argv[0] === '--help' || argv[0] === 'help';
    (asked ? io.stdout : io.stderr).write(helpText(commands));
    return asked ? 0 : 2;
  }
  try {
    const usesDatabase = typeof match.usesDatabase === 'function' ? match.usesDatabase(argv.slice(match.path.length)) : match.usesDatabase;
    if (!ctx && usesDatabase) {
      // PGlite takes no lock of its own: never open a data directory a running server owns.
      const config = loadConfig(io.env);
      if (config.database.engine === 'embedded' && liveLockOwner(config.database.dataDir)) {
        return await runThroughOperatorSocket(config.database.dataDir, argv, io);
      }
    }
    return await match.run(argv.slice(match.path.length), io, ctx ?? standaloneContext(io));
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
