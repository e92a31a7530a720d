/** One operator command. Each lives in its own file under commands/ and is listed in main.ts. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  /** Words after `ward`, e.g. `['demo', 'seed']`. */
  path: readonly string[];
  summary: string;
  usage?: string;
  /** Returns the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}
