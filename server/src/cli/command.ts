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
  withDeps<T>(fn: (deps: Deps) => Promise<T>, opts?: { migrate?: boolean }): Promise<T>;
}

export interface Command {
  /** Words after `ward`, e.g. `['demo', 'seed']`. */
  path: readonly string[];
  summary: string;
  usage?: string;
  /**
   * True when the command works on Ward's database. While a server owns the embedded data
   * directory, such a command is run by that server through its operator socket. A function decides
   * from the arguments (e.g. `ward audit verify --file` works offline, without the database).
   */
  usesDatabase?: boolean | ((args: readonly string[]) => boolean);
  /** Returns the process exit code. */
  run(args: string[], io: CliIo, ctx: CliContext): Promise<number>;
}
