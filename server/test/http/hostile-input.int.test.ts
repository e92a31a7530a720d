// Bad input gets a 4xx, never a 5xx: a property test over every route (R-DATA-4; errors.md). NUL
// bytes (PostgreSQL text cannot hold them, SQLSTATE 22021), integers beyond every column (22003),
// invalid UTF-8 in paths, query strings and bodies, lone surrogates, huge strings, deeply nested
// JSON, unicode confusables and direction overrides, prototype-pollution keys (`__proto__`,
// `constructor.prototype`), and plain junk, in every parameter, query field and body field a route
// declares, sent by people of every role with a fresh verification (so that requests reach the
// handlers, not only the authenticator) and without a session. No answer is a 5xx; no error body
// echoes the input or carries PHI; no prototype is polluted.
//
// A bounded run in `npm test` (per route 12 cases of the sweep, evenly spread, and 3 random requests,
// a fixed seed, on PostgreSQL when there is one, else on the embedded engine; 12 random requests on
// both engines with WARD_TEST_LONG=1); a longer one by flag, on both: `npm run fuzz --
// --runs 500` (WARD_TEST_FUZZ_RUNS: the whole sweep and that many random requests per route, with a
// random seed that it prints).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { IS_LONG_RUN as IS_LONG_TEST_RUN, boundedEngineSkip, longOr } from '../support/long.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const IS_LONG_RUN = Number(process.env.WARD_TEST_FUZZ_RUNS) > 0;
const FUZZ_RUNS = IS_LONG_RUN ? Number(process.env.WARD_TEST_FUZZ_RUNS) : longOr(12, 3);
const FUZZ_SEED = IS_LONG_RUN ? Math.floor(Math.random() * 2 ** 31) : 11;
/** Sweep cases per route in the bounded run. */
const SWEEP_SAMPLE = 12;
/** Put into generated strings: an error body that contains it echoes the input. */
const ECHO = 'ECHO7q';

const demo = generateDemo(1);
const tenant = demo.tenants.find((t) => t.slug === 'riverside')!;
const patient = demo.patients.find((p) => p.tenantId === tenant.id && p.phiScope === 'Healthcare-PHI')!;

/** Raw forms for URLs: percent-encoded invalid UTF-8 and NUL, inserted without further encoding. */
const RAW_URL_VALUES = ['%00', 'a%00b', '%FF', '%C0%80', '%ED%A0%80', '%F4%90%80%80', '99999999999999999999999', '-1', '1e309', '%25'];

/** Unicode confusables (Cyrillic а, fullwidth letters), a right-to-left override, zero-width characters. */
const CONFUSABLES = [`${ECHO}\u0430dmin`, `${ECHO}\uFF50\uFF41\uFF54\uFF49\uFF45\uFF4E\uFF54`, `${ECHO}\u202Etxt.exe`, `${ECHO}a\u200B\u200Db\uFEFF`, `${patient.mrn.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}`];
const hostileText = fc.oneof(
  fc.constantFrom('\u0000', 'x\u0000y', `${patient.mrn}\u0000`, '\uD800', '\uDFFF\uD800', '\uFFFE', '99999999999999999999999', '-9223372036854775809', '1e309', 'NaN', '', ...CONFUSABLES),
  fc.string({ maxLength: 40 }).map((s) => `${ECHO}${s}\u0000${s}`),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `${ECHO}${s}`),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  fc.uuid(),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => `${ECHO}${'A'.repeat(n)}`),
);
/** JSON nested `depth` deep, arrays and objects in turn (at most 1000: the test's own JSON.stringify overflows a few thousand deep). */
const nested = (depth: number): unknown => {
  let v: unknown = ECHO;
  for (let i = 0; i < depth; i += 1) v = i % 2 ? [v] : { a: v };
  return v;
};
const hostileJson = fc.oneof(
  hostileText,
  fc.constantFrom(1e308, -1e308, 2 ** 63, -(2 ** 63), Number.MAX_SAFE_INTEGER + 2, 0.5, -1, true, null),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }).map(Number),
  fc.array(hostileText, { maxLength: 2 }),
  fc.integer({ min: 50, max: 1000 }).map(nested),
);

type RawBody = 'no' | 'invalid-utf8' | 'proto';
/** Prototype-pollution keys before the body's own fields, as a raw JSON text (JSON.stringify would not keep them). */
const PROTO_KEYS = '"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}}';

/** Every byte of the UTF-8 form percent-encoded (lone surrogates become U+FFFD, as Node encodes them). */
const percentEncoded = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

const GENERIC_BODY_KEYS = ['token', 'response', 'email', 'role', 'text', 'name', 'body', 'callId', 'ttlHours'];

function keysOf(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

for (const { engine, skip: engineSkip } of ENGINES) {
  // The bounded run's one engine (CI budget): the routes' input handling is the same on both;
  // WARD_TEST_LONG=1 or `npm run fuzz` sends it to the embedded engine too.
  const skip = boundedEngineSkip(engine, engineSkip, IS_LONG_RUN || IS_LONG_TEST_RUN);
  describe(`hostile input on every route (${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'})`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    const people: TestSession[] = [];

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp(t.deps);
      for (const local of ['olivia.owner', 'adrian.admin', 'maya.manager', 'alex.agent', 'audrey.auditor', 'vera.viewer']) people.push(await signIn(t.deps, `${local}@riverside.test`));
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    test('no route answers 5xx, echoes the input or PHI in an error, or lets a prototype be polluted, whatever the field holds', async (tc) => {
      // Logging out ends the session the other routes need: it goes last.
      const routes = app.wardRoutes.filter((r) => r.method !== 'HEAD').sort((a, b) => Number(a.url.endsWith('/logout')) - Number(b.url.endsWith('/logout')));
      const failures: string[] = [];
      const echoes: string[] = [];
      const statuses: Record<number, number> = {};
      let sent = 0;
      let withoutSession = 0;
      let swept = 0;
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
          rawBody: fc.constantFrom<RawBody>('no', 'invalid-utf8', 'proto'),
          purpose: fc.constantFrom(undefined, 'TREAT', 'ZZZZZZZZZZZZZZZZZZZZZZZZ'),
        });
        // First a sweep: each person, each field alone, with a NUL byte, a huge integer and invalid
        // UTF-8 (one bad field at a time, so that no other field is refused first); then random mixes.
        const KINDS: { url: string; json: unknown; raw: RawBody }[] = [
          { url: 'a%00b', json: 'a\u0000b', raw: 'no' },
          { url: '99999999999999999999999', json: 2 ** 70, raw: 'no' },
          { url: '%FF%FE', json: '\uD800', raw: 'invalid-utf8' },
        ];
        // The Owner and someone with no session also get confusables, a huge string, deep nesting and
        // prototype-pollution keys in each field (fewer people, to keep the bounded run short).
        const MORE_KINDS: { url: string; json: unknown; raw: RawBody }[] = [
          { url: percentEncoded(CONFUSABLES[0]!), json: CONFUSABLES[2], raw: 'proto' },
          { url: `${ECHO}${'A'.repeat(5000)}`, json: nested(1000), raw: 'no' },
        ];
        const base = { params: paramNames.map(() => patient.id), query: {} as Record<string, string>, body: {} as Record<string, unknown>, rawBody: 'no' as RawBody, purpose: 'TREAT' as string | undefined };
        const sweepOf = (who: number, kinds: typeof KINDS) => kinds.flatMap((v) => [
          ...paramNames.map((_p, i) => ({ ...base, who, params: base.params.map((x, j) => (j === i ? v.url : x)) })),
          ...queryKeys.map((k) => ({ ...base, who, query: { [k]: v.url } })),
          ...(route.method === 'GET' ? [] : bodyKeys.map((k) => ({ ...base, who, body: { [k]: v.json } }))),
          ...(route.method === 'GET' || v.raw === 'no' ? [] : [{ ...base, who, rawBody: v.raw }]),
        ]);
        const sweep = [...people.flatMap((_, who) => sweepOf(who, KINDS)), ...[0, people.length].flatMap((who) => sweepOf(who, MORE_KINDS))];
        // The whole sweep in a long run; in the bounded one SWEEP_SAMPLE of it, evenly spread over
        // people, kinds and fields.
        const step = IS_LONG_RUN ? 1 : Math.max(1, Math.ceil(sweep.length / SWEEP_SAMPLE));
        const examples = sweep.filter((_, i) => i % step === 0);
        swept += examples.length;
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
              if (r.rawBody === 'invalid-utf8') payload = Buffer.concat([Buffer.from(json.slice(0, -1) + (json.length > 2 ? ',' : '') + '"x":"'), Buffer.from([0xff, 0xfe, 0x00]), Buffer.from('"}')]);
              else if (r.rawBody === 'proto') payload = `{${PROTO_KEYS}${json.length > 2 ? `,${json.slice(1)}` : '}'}`;
              else payload = json;
            }
            let res: Awaited<ReturnType<typeof app.inject>>;
            try {
              res = await app.inject({ method: route.method as 'GET', url, headers, payload });
            } catch (e) {
              // No answer at all: recorded as a failure with the route (fast-check cannot print a deeply nested case).
              failures.push(`${route.method} ${url.slice(0, 200)} threw ${(e as Error).name}: ${(e as Error).message.slice(0, 200)}`);
              return;
            }
            sent++;
            if (!who) withoutSession++;
            statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
            const shown = () => `${route.method} ${url.slice(0, 200)} ${res.statusCode} ${(typeof payload === 'string' ? payload : payload?.toString('hex') ?? '').slice(0, 200)}`;
            if (res.statusCode >= 500) failures.push(shown());
            // An error says little: never the input back, never PHI (R-DATA-4).
            if (res.statusCode >= 400 && (res.body.includes(ECHO) || res.body.includes(patient.mrn) || res.body.includes(patient.familyName))) echoes.push(`${shown()}: ${res.body.slice(0, 200)}`);
          }),
          // fast-check counts the examples within numRuns: the sweep comes on top of the random runs.
          { numRuns: examples.length + FUZZ_RUNS, seed: FUZZ_SEED, examples: examples.map((x) => [x]) },
        );
      }
      tc.diagnostic(JSON.stringify({ fuzz: { routes: routes.length, requests: sent, swept, random: sent - swept, withoutSession, randomPerRoute: FUZZ_RUNS, seed: FUZZ_SEED, statuses } }));
      assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${sent} requests answered 5xx`);
      assert.deepEqual(echoes.slice(0, 10), [], `${echoes.length} of ${sent} error bodies echo the input or carry PHI`);
      // Neither Fastify's JSON parser nor any handler merged a `__proto__` key into a prototype.
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'isAdmin'), false);
    });
  });
}
