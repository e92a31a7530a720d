import type { CliIo } from './command.ts';

export function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as NodeJS.WriteStream).isTTY === true;
}

export interface Progress {
  /** Replaces the progress line (at most ten times a second). */
  update(text: string): void;
  /** Clears the line. */
  done(): void;
}

/**
 * A progress line on standard error while it is a terminal; nothing at all when it is a pipe or a
 * file (R-UX-2: scripts read only the result lines on standard output).
 */
export function progressLine(io: CliIo, now: () => number = Date.now): Progress {
  if (!isTerminal(io.stderr)) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const t = now();
      if (shown && t - last < 100) return;
      last = t;
      shown = true;
      io.stderr.write(`\r${text}\x1b[K`);
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
