import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { WardError } from '@ward/contracts';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { createLogger } from '../logging.ts';
import { registerErrorHandler } from './errors.ts';
import { problemCode } from '../../test/support/problem.ts';

async function appThrowing(error: Error): Promise<{ app: ReturnType<typeof Fastify>; log: string[] }> {
  const log: string[] = [];
  const logger = createLogger('info', new Writable({ write: (c, _e, done) => (log.push(String(c)), done()) }));
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  registerErrorHandler(app);
  app.get('/boom', async () => {
    throw error;
  });
  await app.ready();
  return { app, log };
}

test("a WardError's detail is logged and never sent (a destroyed key's tenant id)", async () => {
  const tenantId = '5e11ed00-0000-4000-8000-000000000000';
  const { app, log } = await appThrowing(new WardError('KEY_DESTROYED', undefined, { detail: `The keys of tenant ${tenantId} were destroyed.` }));
  const res = await app.inject({ method: 'GET', url: '/boom' });
  assert.equal(res.statusCode, 410);
  assert.equal(problemCode(res), 'KEY_DESTROYED');
  assert.equal(res.json().title, 'This data has been permanently deleted.');
  assert.ok(!res.body.includes(tenantId), 'the detail reached the client');
  assert.ok(log.some((l) => l.includes(tenantId)), 'the detail is in the log');
});

test("a 5xx says INTERNAL; its message (which may quote a value) reaches neither the client nor the log", async () => {
  const { app, log } = await appThrowing(new Error('duplicate key value (mrn)=(MRN-445566)'));
  const res = await app.inject({ method: 'GET', url: '/boom' });
  assert.equal(problemCode(res), 'INTERNAL');
  assert.ok(!res.body.includes('MRN-445566'));
  assert.ok(!log.join('').includes('MRN-445566'));
});

test('a public message that says more than the title is the problem detail', async () => {
  const { app } = await appThrowing(new WardError('BAD_REQUEST', 'Ward-Purpose must be a purpose-of-use code such as TREAT.'));
  const body = (await app.inject({ method: 'GET', url: '/boom' })).json();
  assert.deepEqual([body.title, body.detail], ['The request is not valid.', 'Ward-Purpose must be a purpose-of-use code such as TREAT.']);
});
