import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { createLogger } from '../logging.ts';
import { OneLinePerRequest } from './request-log.ts';

async function appLogging(): Promise<{ app: ReturnType<typeof Fastify>; lines: () => Record<string, unknown>[] }> {
  const log: string[] = [];
  const logger = createLogger('info', new Writable({ write: (c, _e, done) => (log.push(String(c)), done()) }));
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger, genReqId: () => 'req-1', logController: new OneLinePerRequest() });
  app.get('/v1/patients/:id', async () => ({ ok: true }));
  await app.ready();
  return { app, lines: () => log.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

// R-OPS-1: one line per request, written when it completes; R-DATA-4: the route template only.
test('a request is logged once, on completion, by its route template, status and time', async () => {
  const { app, lines } = await appLogging();
  const res = await app.inject({ method: 'GET', url: '/v1/patients/6f9619ff-8b86-d011-b42d-00cf4fc964ff?name=Jane', headers: { cookie: 'ward_session=secret' } });
  assert.equal(res.statusCode, 200);
  const logged = lines();
  assert.equal(logged.length, 1);
  const [line] = logged;
  assert.equal(line!.msg, 'request completed');
  assert.equal(line!.requestId, 'req-1');
  assert.deepEqual(line!.req, { id: 'req-1', method: 'GET', route: '/v1/patients/:id' });
  assert.deepEqual(line!.res, { statusCode: 200 });
  assert.equal(typeof line!.responseTime, 'number');
  const text = JSON.stringify(logged);
  for (const secret of ['6f9619ff', 'Jane', 'secret']) assert.ok(!text.includes(secret), `${secret} reached the log`);
  await app.close();
});

test('an unknown route is logged once too', async () => {
  const { app, lines } = await appLogging();
  const res = await app.inject({ method: 'GET', url: '/nowhere' });
  assert.equal(res.statusCode, 404);
  assert.equal(lines().filter((l) => l.msg === 'request completed').length, 1);
  assert.equal(lines().filter((l) => l.msg === 'incoming request').length, 0);
  await app.close();
});
