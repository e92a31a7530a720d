import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { WardError } from '@ward/contracts';
import type { CliIo } from './command.ts';

/**
 * The operator socket: while a server owns an embedded data directory, `ward` commands that work on
 * the database are run by that server, so that no second process opens the directory. The socket
 * lives inside the data directory (mode 0700) and is itself 0600: only the operator's own user can
 * reach it. Protocol, JSON lines both ways: `{"argv": [...]}` in; `{"out"}`, `{"err"}` and a last
 * `{"exit": code}` back. Standard input is forwarded on demand: when the command first reads it, the
 * server sends `{"stdin": true}` and the client answers with `{"in": base64}` lines and `{"eof": true}`
 * (a secret or a text typed or piped into `npx ward …` reaches the command as if it ran locally).
 */
export const SOCKET_FILE = 'operator.sock';

export type RunArgv = (argv: string[], io: CliIo) => Promise<number>;

function lineWriter(socket: Socket, key: 'out' | 'err'): Writable {
  return new Writable({
    // Hand each line to the socket at once (its own buffer keeps the order): a Writable that waited
    // for the flush would still hold lines when the exit line and socket.end() follow, and writing
    // them after the end crashed the server (ERR_STREAM_WRITE_AFTER_END) for chatty commands.
    write(chunk: Buffer | string, _enc, done) {
      if (!socket.writableEnded) socket.write(`${JSON.stringify({ [key]: chunk.toString() })}\n`);
      done();
    },
  });
}

/**
 * The command's standard input, fed from the socket: asks the client for it on the first read, and
 * pauses the socket while the command does not keep up.
 */
function forwardedStdin(socket: Socket): { stdin: Readable; receive(message: { in?: unknown; eof?: unknown }): void } {
  let requested = false;
  const stdin = new Readable({
    read() {
      if (!requested) {
        requested = true;
        if (!socket.writableEnded) socket.write(`${JSON.stringify({ stdin: true })}\n`);
      }
      socket.resume();
    },
  });
  return {
    stdin,
    receive(message) {
      if (typeof message.in === 'string' && !stdin.push(Buffer.from(message.in, 'base64'))) socket.pause();
      if (message.eof === true) stdin.push(null);
    },
  };
}

/** Splits the socket's text into JSON lines; a line that is not JSON ends the connection. */
function onLines(socket: Socket, first: string, handle: (message: Record<string, unknown>) => void): void {
  let buffered = first;
  const drain = () => {
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      try {
        handle(JSON.parse(line) as Record<string, unknown>);
      } catch {
        socket.destroy();
        return;
      }
    }
  };
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    drain();
  });
  drain();
}

export function startOperatorSocket(dataDir: string, run: RunArgv): Promise<Server> {
  const path = join(dataDir, SOCKET_FILE);
  rmSync(path, { force: true }); // the caller holds the data directory's lock: any socket here is stale
  const server = createServer((socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    const onData = (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) {
        if (buffered.length > 64 * 1024) socket.destroy();
        return;
      }
      socket.off('data', onData);
      let argv: unknown;
      try {
        argv = (JSON.parse(buffered.slice(0, newline)) as { argv?: unknown }).argv;
      } catch {
        argv = undefined;
      }
      if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) {
        socket.end(`${JSON.stringify({ err: 'ward: USAGE: malformed operator request\n' })}\n${JSON.stringify({ exit: 2 })}\n`);
        return;
      }
      const stdout = lineWriter(socket, 'out');
      const stderr = lineWriter(socket, 'err');
      const input = forwardedStdin(socket);
      onLines(socket, buffered.slice(newline + 1), input.receive);
      const io: CliIo = { stdin: input.stdin, stdout, stderr, env: {} };
      const drained = (w: Writable) => new Promise<void>((resolve) => w.end(() => resolve()));
      run(argv as string[], io)
        .catch(() => 1)
        .then(async (code) => {
          await Promise.all([drained(stdout), drained(stderr)]); // every output line before the exit line
          socket.end(`${JSON.stringify({ exit: code })}\n`);
        });
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      chmodSync(path, 0o600);
      resolve(server);
    });
  });
}

export function closeOperatorSocket(server: Server, dataDir: string): Promise<void> {
  return new Promise((resolve) => server.close(() => {
    rmSync(join(dataDir, SOCKET_FILE), { force: true });
    resolve();
  }));
}

/** Client side: runs argv in the server that owns dataDir and relays its output. */
export function runThroughOperatorSocket(dataDir: string, argv: string[], io: CliIo): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(join(dataDir, SOCKET_FILE));
    let buffered = '';
    let exit: number | undefined;
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify({ argv })}\n`));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const message = JSON.parse(buffered.slice(0, newline)) as { out?: string; err?: string; exit?: number; stdin?: boolean };
        buffered = buffered.slice(newline + 1);
        if (message.out !== undefined) io.stdout.write(message.out);
        if (message.err !== undefined) io.stderr.write(message.err);
        if (message.stdin === true) forwardStdin();
        if (message.exit !== undefined) {
          exit = message.exit;
          stopForwarding();
        }
      }
    });
    // Standard input goes to the server only when the command reads it: a command that does not
    // leaves a terminal's input alone.
    const onInput = (chunk: Buffer | string) => {
      if (!socket.writableEnded) socket.write(`${JSON.stringify({ in: Buffer.from(chunk).toString('base64') })}\n`);
    };
    const onEnd = () => {
      if (!socket.writableEnded) socket.write(`${JSON.stringify({ eof: true })}\n`);
    };
    let isForwarding = false;
    function forwardStdin(): void {
      if (isForwarding) return;
      isForwarding = true;
      if ((io.stdin as { readableEnded?: boolean }).readableEnded === true) return onEnd();
      io.stdin.on('data', onInput);
      io.stdin.once('end', onEnd);
    }
    function stopForwarding(): void {
      if (!isForwarding) return;
      io.stdin.off('data', onInput);
      io.stdin.off('end', onEnd);
      io.stdin.pause();
    }
    socket.on('error', (e) =>
      reject(new WardError('OPERATOR_UNAVAILABLE', 'A running server owns the data directory, but its operator socket did not answer.', { cause: e })),
    );
    socket.on('close', () => {
      stopForwarding();
      if (exit === undefined) reject(new WardError('OPERATOR_UNAVAILABLE', 'The running server closed the operator socket without an answer.'));
      else resolve(exit);
    });
  });
}
