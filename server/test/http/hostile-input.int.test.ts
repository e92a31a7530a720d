// Bad input gets a 4xx, never a 5xx: a property test over every route (R-DATA-4; errors.md). NUL
// bytes (PostgreSQL text cannot hold them, SQLSTATE 22021), integers beyond every column (22003),
// invalid UTF-8 in paths, query strings and bodies, lone surrogates, and plain junk, in every
// parameter, query field and body field a route declares, sent by people of every role with a
// fresh verification (so that requests reach the handlers, not only the authenticator).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const tenant = demo.tenants.find((t) => t.slug === 'riverside')!;
const patient = demo.patients.find((p) => p.tenantId === tenant.id && p.phiScope === 'Healthcare-PHI')!;

/** Raw forms for URLs: percent-encoded invalid UTF-8 and NUL, inserted without further encoding. */
const RAW_URL_VALUES = ['%00', 'a%00b', '%FF', '%C0%80', '%ED%A0%80', '%F4%90%80%80', '99999999999999999999999', '-1', '1e309', '%25'];

const hostileText = fc.oneof(
  fc.constantFrom('\u0000', 'x\u0000y', `${patient.mrn}\u0000`, '\uD800', '\uDFFF\uD800', '\uFFFE', '99999999999999999999999', '-9223372036854775809', '1e309', 'NaN', ''),
  fc.string({ maxLength: 40 }).map((s) => `${s}\u0000${s}`),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  fc.uuid(),
);
const hostileJson = fc.oneof(
  hostileText,
  fc.constantFrom(1e308, -1e308, 2 ** 63, -(2 ** 63), Number.MAX_SAFE_INTEGER + 2, 0.5, -1, true, null),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }).map(Number),
  fc.array(hostileText, { maxLength: 2 }),
);

/** Every byte of the UTF-8 form percent-encoded (lone surrogates become U+FFFD, as Node encodes them). */
const percentEncoded = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

const GENERIC_BODY_KEYS = ['token', 'response', 'email', 'role', 'text', 'name', 'body', 'callId', 'ttlHours'];

function keysOf(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

for (const { engine, skip } of ENGINES) {
  describe(`hostile input on every route (${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'})`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    const people: TestSession[] = [];

    before(async () => {
      t = await createTestDeps(engine);
      await seedDemo(t.deps.db.systemDb, demo, { cipher: t.deps.cipher });
      app = await buildApp(t.deps);
      for (const local of ['olivia.owner', 'adrian.admin', 'maya.manager', 'alex.agent', 'audrey.auditor', 'vera.viewer']) people.push(await signIn(t.deps, `${local}@riverside.test`));
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    test('no route answers 5xx to NUL bytes, huge integers, invalid UTF-8 or junk in any field', async () => {
      // Logging out ends the session the other routes need: it goes last.
      const routes = app.wardRoutes.filter((r) => r.method !== 'HEAD').sort((a, b) => Number(a.url.endsWith('/logout')) - Number(b.url.endsWith('/logout')));
      const failures: string[] = [];
      let sent = 0;
      for (const route of routes) {
        const schema = route.schema as { querystring?: unknown; body?: unknown } | undefined;
        const paramNames = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
        const queryKeys = keysOf(schema?.querystring);
        const bodyKeys = keysOf(schema?.body).length ? keysOf(schema?.body) : GENERIC_BODY_KEYS;
        const request = fc.record({
          who: fc.nat({ max: people.length }),
          params: fc.tuple(...paramNames.map(() => fc.oneof(fc.constantFrom(...RAW_URL_VALUES), hostileText.map(percentEncoded), fc.constant(patient.id)))),
          query: fc.dictionary(fc.constantFrom(...(queryKeys.length ? queryKeys : ['q'])), fc.oneof(fc.constantFrom(...RAW_URL_VALUES), hostileText.map(percentEncoded)), { maxKeys: 3 }),
          body: fc.dictionary(fc.constantFrom(...bodyKeys), hostileJson, { maxKeys: 4 }),
          rawBody: fc.boolean(),
          purpose: fc.constantFrom(undefined, 'TREAT', 'ZZZZZZZZZZZZZZZZZZZZZZZZ'),
        });
        // First a sweep: each person, each field alone, with a NUL byte, a huge integer and invalid
        // UTF-8 (one bad field at a time, so that no other field is refused first); then random mixes.
        const KINDS = [
          { url: 'a%00b', json: 'a\u0000b' as unknown, raw: false },
          { url: '99999999999999999999999', json: 2 ** 70, raw: false },
          { url: '%FF%FE', json: '\uD800', raw: true },
        ];
        const base = { params: paramNames.map(() => patient.id), query: {} as Record<string, string>, body: {} as Record<string, unknown>, rawBody: false, purpose: 'TREAT' as string | undefined };
        const sweep = people.flatMap((_, who) => KINDS.flatMap((v) => [
          ...paramNames.map((_p, i) => ({ ...base, who, params: base.params.map((x, j) => (j === i ? v.url : x)) })),
          ...queryKeys.map((k) => ({ ...base, who, query: { [k]: v.url } })),
          ...(route.method === 'GET' ? [] : bodyKeys.map((k) => ({ ...base, who, body: { [k]: v.json } }))),
          ...(route.method === 'GET' || !v.raw ? [] : [{ ...base, who, rawBody: true }]),
        ]));
        await fc.assert(
          fc.asyncProperty(request, async (r) => {
            let path = route.url;
            paramNames.forEach((name, i) => (path = path.replace(`:${name}`, r.params[i]!)));
            const qs = Object.entries(r.query).map(([k, v]) => `${k}=${v}`).join('&');
            const url = qs ? `${path}?${qs}` : path;
            const who = r.who < people.length ? people[r.who]! : null;
            if (who) await t.deps.db.systemDb.query('UPDATE sessions SET last_verified_at = now() WHERE id = $1', [who.sessionId]);
            const headers: Record<string, string> = { ...(who ? await who.headers(route.method, path) : {}), ...(r.purpose ? { 'ward-purpose': r.purpose } : {}) };
            let payload: string | Buffer | undefined;
            if (route.method !== 'GET') {
              headers['content-type'] = 'application/json';
              const json = JSON.stringify(r.body);
              // Invalid UTF-8 inside a JSON string: a lone 0xFF byte where a value starts.
              payload = r.rawBody ? Buffer.concat([Buffer.from(json.slice(0, -1) + (json.length > 2 ? ',' : '') + '"x":"'), Buffer.from([0xff, 0xfe, 0x00]), Buffer.from('"}')]) : json;
            }
            const res = await app.inject({ method: route.method as 'GET', url, headers, payload });
            sent++;
            if (res.statusCode >= 500) failures.push(`${route.method} ${url} ${res.statusCode} ${typeof payload === 'string' ? payload : payload?.toString('hex') ?? ''}`);
          }),
          { numRuns: 12, seed: 11, examples: sweep.map((x) => [x]) },
        );
      }
      assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${sent} requests answered 5xx`);
    });
  });
}
