import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import type { Server } from 'node:net';
import type { CliIo } from './command.ts';
import { closeOperatorSocket, runThroughOperatorSocket, startOperatorSocket } from './operator-socket.ts';

let dir: string;
let server: Server;

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) text += String(chunk);
  return text;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ward-operator-'));
  // Stand-ins for commands: `upper` reads standard input, `hello` does not.
  server = await startOperatorSocket(dir, async (argv, io) => {
    if (argv[0] === 'upper') io.stdout.write((await readAll(io.stdin)).toUpperCase());
    else io.stdout.write('hello\n');
    return argv[0] === 'upper' ? 0 : 3;
  });
});
after(async () => {
  await closeOperatorSocket(server, dir);
  rmSync(dir, { recursive: true, force: true });
});

function client(stdin: NodeJS.ReadableStream): { io: CliIo; out: () => string } {
  let out = '';
  return {
    io: { stdin, stdout: new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }), stderr: new Writable({ write: (_c, _e, done) => done() }), env: {} },
    out: () => out,
  };
}

test('the operator socket forwards standard input to a command that reads it', async () => {
  const big = 'secret text\n'.repeat(20_000); // several socket chunks and base64 lines
  const c = client(Readable.from([big.slice(0, 1000), big.slice(1000)]));
  assert.equal(await runThroughOperatorSocket(dir, ['upper'], c.io), 0);
  assert.equal(c.out(), big.toUpperCase());
});

test('a command that does not read standard input finishes while the input stays open (a terminal)', async () => {
  const neverEnds = new PassThrough();
  const c = client(neverEnds);
  assert.equal(await runThroughOperatorSocket(dir, ['hello'], c.io), 3);
  assert.equal(c.out(), 'hello\n');
  assert.equal(neverEnds.listenerCount('data'), 0, 'nothing reads the terminal');
});

test('input that ended before the command asked still arrives', async () => {
  const input = Readable.from(['abc']);
  await readAll(Readable.from([])); // let the event loop turn
  const c = client(input);
  assert.equal(await runThroughOperatorSocket(dir, ['upper'], c.io), 0);
  assert.equal(c.out(), 'ABC');
});
