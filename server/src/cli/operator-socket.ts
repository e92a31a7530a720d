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
 * reach it. Protocol: one JSON line `{"argv": [...]}` in; JSON lines `{"out"}`, `{"err"}` and a
 * last `{"exit": code}` back. No stdin is forwarded.
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
      const io: CliIo = { stdin: Readable.from([]), stdout, stderr, env: {} };
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
        const message = JSON.parse(buffered.slice(0, newline)) as { out?: string; err?: string; exit?: number };
        buffered = buffered.slice(newline + 1);
        if (message.out !== undefined) io.stdout.write(message.out);
        if (message.err !== undefined) io.stderr.write(message.err);
        if (message.exit !== undefined) exit = message.exit;
      }
    });
    socket.on('error', (e) =>
      reject(new WardError('OPERATOR_UNAVAILABLE', 'A running server owns the data directory, but its operator socket did not answer.', { cause: e })),
    );
    socket.on('close', () => {
      if (exit === undefined) reject(new WardError('OPERATOR_UNAVAILABLE', 'The running server closed the operator socket without an answer.'));
      else resolve(exit);
    });
  });
}
