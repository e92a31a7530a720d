import type { Migration } from '../db/migrate.ts';
import type { Deps } from '../deps.ts';

/** One operator command. Each lives in its own file under commands/ and is listed in main.ts. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface CliContext {
  /**
   * Runs `fn` with Ward's dependencies: inside a running server, the server's own; otherwise the
   * command opens the database (taking the embedded data directory's lock) and closes it after.
   */
  withDeps<T>(fn: (deps: Deps) => Promise<T>, opts?: { migrate?: boolean; onMigration?: (m: Migration) => void }): Promise<T>;
}

/**
 * One `--name` option. `value` names what the option takes, with its unit where it has one
 * (`<hours>`, `<count>`, `<seconds>`): the usage line and `--help` print it as written.
 */
export interface OptionSpec {
  /** Absent: the option takes a value. */
  type?: 'string' | 'boolean';
  value?: string;
  description: string;
  required?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed options: strings for value options (undefined when absent), booleans for flags. */
export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : O[K]['required'] extends true ? string : string | undefined;
};

export interface Command {
  /** Words after `ward`, e.g. `['demo', 'seed']`. */
  path: readonly string[];
  summary: string;
  /** The options, for parsing, the usage line and `--help` (one format for every command). */
  options: OptionSpecs;
  /**
   * Usage lines when the one generated from the options says too little: alternative forms
   * (`--session <id> | --member <email>`) or standard input (`< text`).
   */
  usage?: readonly string[];
  /** More lines for `--help`: what the command prints, what it reads on standard input. */
  help?: string;
  /**
   * True when the command works on Ward's database. While a server owns the embedded data
   * directory, such a command is run by that server through its operator socket. A function decides
   * from the arguments (e.g. `ward audit verify --file` works offline, without the database).
   */
  usesDatabase?: boolean | ((args: readonly string[]) => boolean);
  /** Returns the process exit code. Arguments were checked against `options` first. */
  run(args: string[], io: CliIo, ctx: CliContext): Promise<number>;
}
