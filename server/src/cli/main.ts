import { readFileSync } from 'node:fs';
import { isWardError, type WardError } from '@ward/contracts';
import { loadConfig } from '../config.ts';
import type { Deps } from '../deps.ts';
import { liveLockOwner } from '../db/data-dir-lock.ts';
import type { Migration } from '../db/migrate.ts';
import { createLogger } from '../logging.ts';
import type { CliContext, CliIo, Command } from './command.ts';
import { runThroughOperatorSocket } from './operator-socket.ts';
import { commandHelp, nearest, usageLines } from './options.ts';

// The command list: add a command by adding its words and module here (a test checks that each
// module's own `path` is the words it is listed under). Only the command that runs is loaded:
// loading all of them cost ~2 s of CPU at every start; help and a mistyped command load them all.
const COMMAND_MODULES: ReadonlyArray<readonly [words: string, load: () => Promise<{ default: Command }>]> = [
  ['migrate', () => import('./commands/migrate.ts')],
  ['tenant list', () => import('./commands/tenant-list.ts')],
  ['tenant create', () => import('./commands/tenant-create.ts')],
  ['tenant shred', () => import('./commands/tenant-shred.ts')],
  ['member list', () => import('./commands/member-list.ts')],
  ['member invite', () => import('./commands/member-invite.ts')],
  ['member approve', () => import('./commands/member-approve.ts')],
  ['member recovery list', () => import('./commands/member-recovery-list.ts')],
  ['member disable-inactive', () => import('./commands/member-disable-inactive.ts')],
  ['review start', () => import('./commands/review-start.ts')],
  ['review expire', () => import('./commands/review-expire.ts')],
  ['invitation status', () => import('./commands/invitation-status.ts')],
  ['device set-posture', () => import('./commands/device-set-posture.ts')],
  ['alert list', () => import('./commands/alert-list.ts')],
  ['sso configure', () => import('./commands/sso-configure.ts')],
  ['scim token', () => import('./commands/scim-token.ts')],
  ['scim groups', () => import('./commands/scim-groups.ts')],
  ['scim map-group', () => import('./commands/scim-map-group.ts')],
  ['demo seed', () => import('./commands/demo-seed.ts')],
  ['demo sign-in', () => import('./commands/demo-sign-in.ts')],
  ['demo traffic', () => import('./commands/demo-traffic.ts')],
  ['demo gold', () => import('./commands/demo-gold.ts')],
  ['demo call-start', () => import('./commands/demo-call-start.ts')],
  ['demo agent', () => import('./commands/demo-agent.ts')],
  ['demo vendor', () => import('./commands/demo-vendor.ts')],
  ['demo ai', () => import('./commands/demo-ai.ts')],
  ['keys rotate', () => import('./commands/keys-rotate.ts')],
  ['keys rotate-token-signing', () => import('./commands/keys-rotate-token-signing.ts')],
  ['workload create', () => import('./commands/workload-create.ts')],
  ['workload list', () => import('./commands/workload-list.ts')],
  ['workload disable', () => import('./commands/workload-disable.ts')],
  ['workload grant-scope', () => import('./commands/workload-grant-scope.ts')],
  ['workload rotate-keys', () => import('./commands/workload-rotate-keys.ts')],
  ['workload set-vendor', () => import('./commands/workload-set-vendor.ts')],
  ['retention run', () => import('./commands/retention-run.ts')],
  ['redact', () => import('./commands/redact.ts')],
  ['ai templates list', () => import('./commands/ai-templates-list.ts')],
  ['ai templates test', () => import('./commands/ai-templates-test.ts')],
  ['ai preview', () => import('./commands/ai-preview.ts')],
  ['ai vendor add', () => import('./commands/ai-vendor-add.ts')],
  ['ai vendor list', () => import('./commands/ai-vendor-list.ts')],
  ['ai vendor use', () => import('./commands/ai-vendor-use.ts')],
  ['policy validate', () => import('./commands/policy-validate.ts')],
  ['policy test', () => import('./commands/policy-test.ts')],
  ['policy check', () => import('./commands/policy-check.ts')],
  ['policy matrix', () => import('./commands/policy-matrix.ts')],
  ['audit verify', () => import('./commands/audit-verify.ts')],
  ['audit export', () => import('./commands/audit-export.ts')],
  ['audit trace', () => import('./commands/audit-trace.ts')],
  ['audit seal', () => import('./commands/audit-seal.ts')],
  ['detect list', () => import('./commands/detect-list.ts')],
  ['detect ack', () => import('./commands/detect-ack.ts')],
  ['detect close', () => import('./commands/detect-close.ts')],
  ['detect replay', () => import('./commands/detect-replay.ts')],
  ['session revoke', () => import('./commands/session-revoke.ts')],
  ['lock', () => import('./commands/lock.ts')],
  ['elevation list', () => import('./commands/elevation-list.ts')],
  ['report compliance', () => import('./commands/report-compliance.ts')],
  ['disclosures', () => import('./commands/disclosures.ts')],
  ['part2-consent record', () => import('./commands/part2-consent-record.ts')],
  ['part2-consent revoke', () => import('./commands/part2-consent-revoke.ts')],
  ['drill', () => import('./commands/drill.ts')],
  ['drill provision', () => import('./commands/drill-provision.ts')],
  ['drill probe', () => import('./commands/drill-probe.ts')],
];

export async function loadCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_MODULES.map(async ([, load]) => (await load()).default));
}

/** The listed words of every command, for the test that checks them against the modules. */
export function listedCommandWords(): string[] {
  return COMMAND_MODULES.map(([words]) => words);
}

/** The command whose words begin `words` (the longest such), loaded alone; undefined if none. */
async function findCommand(words: readonly string[]): Promise<Command | undefined> {
  const entry = COMMAND_MODULES.filter(([path]) => path.split(' ').every((word, i) => words[i] === word)).sort((a, b) => b[0].length - a[0].length)[0];
  return entry && (await entry[1]()).default;
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
      const { createDeps } = await import('../deps.ts'); // loaded by the commands that open the database only
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
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
    io.stdout.write(`ward ${version()}\n`);
    return 0;
  }
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || (argv[0] === 'help' && argv.length === 1)) {
    io.stdout.write(helpText(await loadCommands()));
    return 0;
  }
  const asksHelpFor = argv[0] === 'help';
  const words = asksHelpFor ? argv.slice(1) : argv;
  const match = await findCommand(words);
  if (!match) {
    io.stderr.write(unknownCommand(await loadCommands(), words));
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
