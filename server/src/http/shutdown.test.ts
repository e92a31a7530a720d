import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import Fastify from 'fastify';
import { closeGracefully } from './shutdown.ts';

/**
 * A server with one route that answers when `release` is called; listening on a free loopback port.
 * `arrived` settles once the route holds the request (a fixed wait raced a loaded machine's connect).
 */
async function slowServer(): Promise<{ app: ReturnType<typeof Fastify>; url: string; release: () => void; arrived: Promise<void> }> {
  const app = Fastify();
  let release = () => {};
  let arrive = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const arrived = new Promise<void>((r) => (arrive = r));
  app.get('/slow', async () => {
    arrive();
    await gate;
    return { done: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/slow`, release, arrived };
}

function get(url: string): Promise<{ status: number | undefined; body: string } | { error: string }> {
  return new Promise((resolve) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    })
      .on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }))
      .end();
  });
}

test('a shutdown lets an in-flight request finish before it closes', async () => {
  const s = await slowServer();
  const inFlight = get(s.url);
  await s.arrived; // the request is being handled
  const closing = closeGracefully(s.app, 5000);
  setTimeout(s.release, 200);
  assert.equal(await closing, 'drained');
  assert.deepEqual(await inFlight, { status: 200, body: '{"done":true}' });
});

test('a drain that outlasts its timeout reports it, and the request is cut off', async () => {
  const s = await slowServer();
  const inFlight = get(s.url);
  await s.arrived;
  const started = Date.now();
  assert.equal(await closeGracefully(s.app, 300), 'timed-out');
  assert.ok(Date.now() - started < 2000);
  assert.ok('error' in (await inFlight), 'the connection was closed');
  s.release();
});
