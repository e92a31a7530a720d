import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import fc from 'fast-check';
import pino from 'pino';
import { createLogger, loggerOptions, withCompiledRedaction } from './logging.ts';

/**
 * R-DATA-4, R-OPS-1 (issue 31): Ward's logger parses its redaction paths once (withCompiledRedaction);
 * every line it writes must be the line pino's own redaction writes for the same call. Checked on
 * generated log calls: the path names at every depth (own, inherited, undefined), nested records,
 * arrays, dates, buffers, errors, class instances, child bindings and the request line's serializers.
 */
function pair(): { ward: pino.Logger; reference: pino.Logger; lines: () => [string[], string[]] } {
  const a: string[] = [];
  const b: string[] = [];
  const sink = (to: string[]) => new Writable({ write: (c, _e, done) => (to.push(String(c).replace(/"time":\d+,/, '')), done()) });
  return { ward: createLogger('trace', sink(a)), reference: pino(loggerOptions('trace'), sink(b)), lines: () => [a, b] };
}

const NAMES = ['req', 'res', 'err', 'headers', 'query', 'body', 'text', 'justification', 'cookie', 'authorization', 'name', 'givenName', 'familyName',
  'dateOfBirth', 'ssn', 'phone', 'email', 'address', 'addressLine', 'mrn', 'memberNumber', 'token', 'id', 'route', 'statusCode', 'msg', 'nested', 'toString'];

class Holder {
  constructor(public name: string, public other: number) {}
  get derived(): string {
    return `${this.name}!`;
  }
}

const leaf = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.double(),
  fc.constant(new Date(0)), fc.constant(Buffer.from('ab')), fc.constant(new Error('boom')));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('record'), tie('list'), tie('instance')),
  record: fc.dictionary(fc.constantFrom(...NAMES), tie('node'), { maxKeys: 5 }),
  list: fc.array(tie('node'), { maxLength: 3 }),
  instance: fc.tuple(fc.string({ maxLength: 4 }), fc.integer()).map(([n, o]) => new Holder(n, o)),
})).node;

test('Ward redacts every log line exactly as pino redacts it', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...NAMES), value, { maxKeys: 6 }), fc.dictionary(fc.constantFrom(...NAMES, 'requestId'), value, { maxKeys: 2, noNullPrototype: true }), fc.string({ maxLength: 8 }), (fields, bindings, msg) => {
      const { ward, reference, lines } = pair();
      const thrown: string[] = [];
      for (const logger of [ward, reference]) {
        try {
          logger.info(fields, msg);
          logger.child(bindings).warn({ req: { id: 'r', method: 'GET', url: '/v1/x?name=Jane', headers: { cookie: 'c' } }, res: { statusCode: 200 }, nested: fields }, msg);
          logger.error({ err: Object.assign(new Error('x'), { code: 'E1' }), body: fields }, 'failed');
        } catch (e) {
          thrown.push(String(e));
        }
      }
      const [got, expected] = lines();
      assert.deepEqual(got, expected);
      assert.equal(thrown.length % 2, 0);
    }),
    { numRuns: 400 },
  );
});

test('a path shape the compiled form does not take leaves pino redaction as it is', () => {
  const logger = pino({ redact: ['a.b.c'] });
  const before = (logger as unknown as Record<symbol, Record<string, unknown>>)[pino.symbols.stringifiersSym]!.a;
  withCompiledRedaction(logger, ['a.b.c']);
  assert.equal((logger as unknown as Record<symbol, Record<string, unknown>>)[pino.symbols.stringifiersSym]!.a, before);
});
