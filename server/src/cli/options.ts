import { parseArgs } from 'node:util';
import { WardError } from '@ward/contracts';
import type { CliContext, CliIo, Command, OptionSpecs, OptionValues } from './command.ts';

/**
 * Options of every command, parsed by `node:util` parseArgs (R-UX-2): `--name value` or
 * `--name=value`, flags without a value, nothing positional. A refusal never echoes what was typed
 * (an argument may hold PHI, R-DATA-4) except an option name that looks like one.
 */
const OPTION_NAME = /^--[a-z][a-z0-9-]{0,40}$/;

/** Edit distance, for "did you mean". */
export function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The candidate nearest to `word`, when it is near enough to be a typo (or `word` is a prefix of it). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = candidate.startsWith(word) && word.length >= 2 ? 0.5 : distance(word, candidate);
    if (!best || d < best.d) best = { candidate, d };
  }
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

function optionText(name: string, spec: OptionSpecs[string]): string {
  return spec.type === 'boolean' ? `--${name}` : `--${name} ${spec.value ?? '<value>'}`;
}

/** The usage lines: the command's own, or one generated from its options (required ones first). */
export function usageLines(command: Pick<Command, 'path' | 'options' | 'usage'>): string[] {
  if (command.usage) return [...command.usage];
  const entries = Object.entries(command.options);
  const parts = [
    ...entries.filter(([, s]) => s.required).map(([n, s]) => optionText(n, s)),
    ...entries.filter(([, s]) => !s.required).map(([n, s]) => `[${optionText(n, s)}]`),
  ];
  return [['ward', ...command.path, ...parts].join(' ')];
}

export function commandHelp(command: Command): string {
  const usage = usageLines(command);
  const options = Object.entries(command.options).map(([n, s]) => [optionText(n, s), `${s.description}${s.required ? ' (required)' : ''}`] as const);
  options.push(['--help', 'print this help and exit']);
  const width = Math.max(...options.map(([o]) => o.length));
  return [
    `Usage: ${usage[0]}`,
    ...usage.slice(1).map((u) => `       ${u}`),
    '',
    `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`,
    ...(command.help ? ['', command.help.trimEnd()] : []),
    '',
    'Options:',
    ...options.map(([o, d]) => `  ${o.padEnd(width)}  ${d}`),
    '',
  ].join('\n');
}

function usageError(message: string): WardError {
  return new WardError('USAGE', message);
}

/** Checks `args` against the options; USAGE names the option at fault (never a value). */
export function parseOptions<O extends OptionSpecs>(options: O, args: string[]): OptionValues<O> {
  const names = Object.keys(options);
  for (const arg of args) {
    if (arg === '--') throw usageError('This command takes no positional arguments.');
    if (!arg.startsWith('-')) continue; // a value, or a stray word: parseArgs decides below
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    if (!OPTION_NAME.test(name)) throw usageError('Unknown option (not shown).');
    if (!names.includes(name.slice(2))) {
      const suggestion = nearest(name.slice(2), names);
      throw usageError(`Unknown option ${name}.${suggestion ? ` Did you mean --${suggestion}?` : ''}`);
    }
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: Object.fromEntries(Object.entries(options).map(([n, s]) => [n, { type: s.type ?? 'string' }])),
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw usageError('Unexpected argument (not shown: PHI and other text go on standard input, never in arguments).');
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const missing = Object.entries(options).find(([n, s]) => s.type !== 'boolean' && new RegExp(`'--${n}(\\s|')`).test((e as Error).message));
      throw usageError(missing ? `--${missing[0]} takes a value: ${missing[1].value ?? '<value>'}.` : 'An option is missing its value, or a flag was given one.');
    }
    throw usageError('The arguments do not match the usage.');
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw usageError(`--${token.name} is given twice.`);
    seen.add(token.name);
    const spec = options[token.name];
    if (spec?.type !== 'boolean' && (token.value === undefined || token.value === '')) throw usageError(`--${token.name} takes a value: ${spec?.value ?? '<value>'}.`);
  }
  for (const [name, spec] of Object.entries(options)) {
    if (spec.required && parsed.values[name] === undefined) throw usageError(`--${name} ${spec.value ?? '<value>'} is required.`);
    if (spec.type === 'boolean') parsed.values[name] ??= false;
  }
  return parsed.values as OptionValues<O>;
}

/**
 * A command whose `run` receives its parsed options. The declaration is the single source of its
 * usage line, its `--help` and its parsing.
 */
export function defineCommand<const O extends OptionSpecs>(
  definition: Omit<Command, 'options' | 'run'> & { options: O; run(values: OptionValues<O>, io: CliIo, ctx: CliContext): Promise<number> },
): Command {
  return {
    ...definition,
    run: (args, io, ctx) => definition.run(parseOptions(definition.options, args), io, ctx),
  };
}

/** A whole number within bounds, or USAGE naming the option and its unit. */
export function wholeNumber(name: string, text: string | undefined, bounds: { min: number; max: number; unit: string }): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d{1,9}$/.test(text) || n < bounds.min || n > bounds.max) {
    throw usageError(`--${name} takes a whole number of ${bounds.unit} from ${bounds.min} to ${bounds.max}.`);
  }
  return n;
}

export const TENANT_OPTION = { value: '<slug>', description: "the tenant's slug (ward tenant list shows them)" } as const;
