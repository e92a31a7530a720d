import { readFileSync } from 'node:fs';
import { isWardError, type WardError } from '@ward/contracts';
import { loadConfig } from '../config.ts';
import { createDeps, type Deps } from '../deps.ts';
import { liveLockOwner } from '../db/data-dir-lock.ts';
import type { Migration } from '../db/migrate.ts';
import { createLogger } from '../logging.ts';
import type { CliContext, CliIo, Command } from './command.ts';
import { runThroughOperatorSocket } from './operator-socket.ts';
import { commandHelp, nearest, usageLines } from './options.ts';

// The command list: add a command by adding its module here.
const COMMAND_MODULES: Array<() => Promise<{ default: Command }>> = [
  () => import('./commands/migrate.ts'),
  () => import('./commands/tenant-list.ts'),
  () => import('./commands/tenant-create.ts'),
  () => import('./commands/tenant-shred.ts'),
  () => import('./commands/member-list.ts'),
  () => import('./commands/member-invite.ts'),
  () => import('./commands/member-approve.ts'),
  () => import('./commands/member-recovery-list.ts'),
  () => import('./commands/member-disable-inactive.ts'),
  () => import('./commands/review-start.ts'),
  () => import('./commands/review-expire.ts'),
  () => import('./commands/invitation-status.ts'),
  () => import('./commands/device-set-posture.ts'),
  () => import('./commands/alert-list.ts'),
  () => import('./commands/sso-configure.ts'),
  () => import('./commands/scim-token.ts'),
  () => import('./commands/scim-groups.ts'),
  () => import('./commands/scim-map-group.ts'),
  () => import('./commands/demo-seed.ts'),
  () => import('./commands/demo-sign-in.ts'),
  () => import('./commands/demo-traffic.ts'),
  () => import('./commands/demo-gold.ts'),
  () => import('./commands/demo-call-start.ts'),
  () => import('./commands/demo-agent.ts'),
  () => import('./commands/demo-vendor.ts'),
  () => import('./commands/demo-ai.ts'),
  () => import('./commands/keys-rotate.ts'),
  () => import('./commands/keys-rotate-token-signing.ts'),
  () => import('./commands/workload-create.ts'),
  () => import('./commands/workload-list.ts'),
  () => import('./commands/workload-disable.ts'),
  () => import('./commands/workload-grant-scope.ts'),
  () => import('./commands/workload-rotate-keys.ts'),
  () => import('./commands/workload-set-vendor.ts'),
  () => import('./commands/retention-run.ts'),
  () => import('./commands/redact.ts'),
  () => import('./commands/ai-templates-list.ts'),
  () => import('./commands/ai-templates-test.ts'),
  () => import('./commands/ai-preview.ts'),
  () => import('./commands/ai-vendor-add.ts'),
  () => import('./commands/ai-vendor-list.ts'),
  () => import('./commands/ai-vendor-use.ts'),
  () => import('./commands/policy-validate.ts'),
  () => import('./commands/policy-test.ts'),
  () => import('./commands/policy-check.ts'),
  () => import('./commands/policy-matrix.ts'),
  () => import('./commands/audit-verify.ts'),
  () => import('./commands/audit-export.ts'),
  () => import('./commands/audit-trace.ts'),
  () => import('./commands/audit-seal.ts'),
  () => import('./commands/detect-list.ts'),
  () => import('./commands/detect-ack.ts'),
  () => import('./commands/detect-close.ts'),
  () => import('./commands/detect-replay.ts'),
  () => import('./commands/session-revoke.ts'),
  () => import('./commands/lock.ts'),
  () => import('./commands/elevation-list.ts'),
  () => import('./commands/report-compliance.ts'),
  () => import('./commands/disclosures.ts'),
  () => import('./commands/part2-consent-record.ts'),
  () => import('./commands/part2-consent-revoke.ts'),
  () => import('./commands/drill.ts'),
  () => import('./commands/drill-provision.ts'),
  () => import('./commands/drill-probe.ts'),
];

async function loadCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_MODULES.map(async (load) => (await load()).default));
}

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function helpText(commands: Command[]): string {
  const lines = commands.map((c) => `  ward ${c.path.join(' ').padEnd(24)} ${c.summary}`);
  return [
    `ward ${version()}: the operator CLI of Ward`,
    '',
    'Usage: ward <command> [options]     ward <command> --help     ward --version',
    '',
    'Commands:',
    ...lines,
    '',
    'Never pass PHI as an argument: commands that take text read it on standard input.',
    '',
  ].join('\n');
}

const WORD = /^[a-z][a-z0-9-]{0,30}$/;

/** An unknown command: say so, and name the nearest command (or the commands of a known group). */
function unknownCommand(commands: Command[], argv: string[]): string {
  const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2);
  const shown = words.every((w) => WORD.test(w)) && words.length > 0 ? `"${words.join(' ')}"` : '(not shown)';
  const group = commands.filter((c) => c.path.length > 1 && c.path[0] === words[0]);
  const typed = words.join(' ');
  const best = nearest(typed, commands.map((c) => c.path.join(' '))) ?? (words.length > 1 ? undefined : nearest(typed, [...new Set(commands.map((c) => c.path[0]!))]));
  const lines = [`ward: unknown command ${shown}.`];
  if (best && group.length === 0) lines.push(`Did you mean: ward ${best}?`);
  else if (group.length > 0) {
    const sub = words[1] === undefined ? undefined : nearest(words[1], group.map((c) => c.path[1]!));
    if (sub) lines.push(`Did you mean: ward ${words[0]} ${sub}?`);
    lines.push(`The ${words[0]} commands: ${group.map((c) => c.path.slice(1).join(' ')).join(', ')}.`);
  }
  lines.push('Run ward --help for the list of commands.');
  return `${lines.join('\n')}\n`;
}

function wantsHelp(args: string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/** A refusal prints its code, the reason codes its audit event records, and its public message; never the detail. */
export function errorLine(e: WardError): string {
  const reasons = e.reasons.length > 0 ? ` (${e.reasons.join(', ')})` : '';
  return `ward: ${e.code}${reasons}: ${e.message}\n`;
}

/** Outside a server: each command that needs the database opens it, and closes it when done. */
function standaloneContext(io: CliIo): CliContext {
  return {
    async withDeps<T>(fn: (deps: Deps) => Promise<T>, opts: { migrate?: boolean; onMigration?: (m: Migration) => void } = {}): Promise<T> {
      const config = loadConfig(io.env);
      const deps = await createDeps(config, { migrate: opts.migrate ?? true, onMigration: opts.onMigration, serve: false, logger: createLogger('warn'), report: (line) => io.stderr.write(`ward: ${line}\n`) });
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
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
    io.stdout.write(`ward ${version()}\n`);
    return 0;
  }
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || (argv[0] === 'help' && argv.length === 1)) {
    io.stdout.write(helpText(commands));
    return 0;
  }
  const asksHelpFor = argv[0] === 'help';
  const words = asksHelpFor ? argv.slice(1) : argv;
  const match = commands
    .filter((c) => c.path.every((word, i) => words[i] === word))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!match) {
    io.stderr.write(unknownCommand(commands, words));
    return 2;
  }
  const args = words.slice(match.path.length);
  if (asksHelpFor || wantsHelp(args)) {
    io.stdout.write(commandHelp(match));
    return 0;
  }
  try {
    const usesDatabase = typeof match.usesDatabase === 'function' ? match.usesDatabase(args) : match.usesDatabase;
    if (!ctx && usesDatabase) {
      // PGlite takes no lock of its own: never open a data directory a running server owns.
      const config = loadConfig(io.env);
      if (config.database.engine === 'embedded' && liveLockOwner(config.database.dataDir)) {
        return await runThroughOperatorSocket(config.database.dataDir, words, io);
      }
    }
    return await match.run(args, io, ctx ?? standaloneContext(io));
  } catch (e) {
    // Errors print their code and public message only: input (which may hold PHI) is never echoed.
    if (isWardError(e)) {
      io.stderr.write(errorLine(e));
      if (e.code === 'USAGE') io.stderr.write(`Usage: ${usageLines(match).join('\n       ')}\nRun ward ${match.path.join(' ')} --help for the options.\n`);
      return e.code === 'USAGE' ? 2 : 1;
    }
    io.stderr.write(`ward: INTERNAL: ${(e as Error)?.name ?? 'Error'}\n`);
    return 1;
  }
}
