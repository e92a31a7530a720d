// npm run bench:signatures — what verifying a signed hook (RFC 9421, R-WORK-4) costs, in microseconds
// per request, measured in this run, sequentially (one request at a time, after a warm-up), on
// requests signed beforehand (the signer's cost is not counted):
//   verifyEcdsaP256   Content-Digest (RFC 9530) + the signature base (http-message-signatures) + ECDSA P-256 verification
//   verifyEd25519     the same with an Ed25519 key
//   primitiveEcdsaP256, primitiveEd25519  node:crypto's verification alone over a 300-byte base (the floor)
//   authenticate      the whole signature link of the chain: parse, window, the workload lookup by client_id
//                     and its scoped read, digest, verification (the nonce is spent later, in the guard's transaction)
//   signedHook        POST /v1/hooks/voice/call-started through inject(): chain, nonce spend, guard, Cedar, RLS, write, audit
//   authenticationShare  authenticate / signedHook
// On PGlite always; on PostgreSQL too when WARD_TEST_DATABASE_URL is set. Prints one JSON line per engine.
import { createSign, createVerify, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { createVerifier, httpbis } from 'http-message-signatures';
import { buildApp } from '../src/app.ts';
import { insertMember, insertTenant } from '../test/support/fixtures.ts';
import {
  contentDigestMatches, createSignatureAuthenticator, createWorkload, signRequest, SIGNED_COMPONENTS, type SignatureAlgorithm,
} from '../src/modules/workload/index.ts';
import { createReplayStore } from '../src/modules/proof/index.ts';
import { ENGINES } from '../test/support/databases.ts';
import { createTestDeps } from '../test/support/deps.ts';
import { perOpUs } from './timing.ts';

const N = Number(process.env.BENCH_ITERATIONS ?? 400);
const ORIGIN = 'https://ward.bench';
const PATH = '/v1/hooks/voice/call-started';

interface Signed { body: Buffer; headers: Record<string, string> }

async function presign(n: number, keyid: string, alg: SignatureAlgorithm, privateKey: KeyObject, body: (i: number) => unknown): Promise<Signed[]> {
  return Promise.all(Array.from({ length: n + 50 }, async (_, i) => {
    const b = Buffer.from(JSON.stringify(body(i)));
    return { body: b, headers: await signRequest({ method: 'POST', url: `${ORIGIN}${PATH}`, headers: { 'content-type': 'application/json' }, body: b }, { keyid, alg, privateKey }, { now: new Date() }) };
  }));
}

async function verifyOnlyUs(alg: SignatureAlgorithm): Promise<number> {
  const { privateKey, publicKey } = alg === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signed = await presign(N, 'wl_AAAAAAAAAAAAAAAAAAAAAA', alg, privateKey, (i) => ({ callId: randomUUID(), i }));
  const verify = createVerifier(publicKey, alg);
  return perOpUs(N, async (i) => {
    const s = signed[i]!;
    if (!contentDigestMatches(s.headers['content-digest'], s.body)) throw new Error('digest');
    const ok = await httpbis.verifyMessage({
      keyLookup: async () => ({ algs: [alg], verify }), requiredParams: ['created', 'keyid', 'nonce'], requiredFields: [...SIGNED_COMPONENTS], notAfter: Number.MAX_SAFE_INTEGER,
    }, { method: 'POST', url: `${ORIGIN}${PATH}`, headers: s.headers });
    if (ok !== true) throw new Error('verify');
  });
}

async function benchEngine(engine: 'embedded' | 'postgres'): Promise<Record<string, unknown>> {
  const t = await createTestDeps(engine, { env: { WARD_ORIGIN: ORIGIN } });
  try {
    const { deps } = t;
    const tenantId = randomUUID();
    const ownerId = randomUUID();
    await deps.db.systemDb.transaction(async (tx) => {
      await insertTenant(tx, tenantId, `bench-${tenantId.slice(0, 8)}`);
      await insertMember(tx, { id: ownerId, tenantId, email: `owner-${tenantId}@bench.test`, roles: ['Owner'], scopes: [] });
    });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: 'vp-1' };
    const { clientId } = await createWorkload(deps.db, deps, { tenantId, name: 'bench-platform', kind: 'service', role: 'VoicePlatform', scopes: ['Healthcare-PHI'], approverMemberId: ownerId, jwks: { keys: [jwk] } });
    const keyid = `${clientId}#vp-1`;
    const event = () => ({ callId: randomUUID(), phiScope: 'Healthcare-PHI', direction: 'inbound', startedAt: new Date().toISOString() });

    const authenticator = createSignatureAuthenticator({ db: deps.db, audit: deps.audit, clock: deps.clock, replays: createReplayStore(deps.db) });
    const forAuth = await presign(N, keyid, 'ecdsa-p256-sha256', privateKey, event);
    const authenticate = await perOpUs(N, (i) => {
      const s = forAuth[i]!;
      return authenticator.authenticate({ method: 'POST', url: `${ORIGIN}${PATH}`, headers: s.headers, sourceIp: '127.0.0.1', body: s.body });
    });

    const app = await buildApp(deps);
    const forHook = await presign(N, keyid, 'ecdsa-p256-sha256', privateKey, event);
    const signedHook = await perOpUs(N, async (i) => {
      const s = forHook[i]!;
      const res = await app.inject({ method: 'POST', url: PATH, headers: s.headers, payload: s.body });
      if (res.statusCode !== 201) throw new Error(`hook answered ${res.statusCode}: ${res.body}`);
    });
    await app.close();
    return { engine, iterations: N, authenticate, signedHook, authenticationShare: Number((authenticate / signedHook).toFixed(2)) };
  } finally {
    await t.close();
  }
}

async function primitiveUs(alg: SignatureAlgorithm): Promise<number> {
  const base = Buffer.alloc(300, 7);
  if (alg === 'ed25519') {
    const k = generateKeyPairSync('ed25519');
    const sig = sign(null, base, k.privateKey);
    return perOpUs(N, async () => verify(null, base, k.publicKey, sig));
  }
  const k = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const sig = createSign('sha256').update(base).sign({ key: k.privateKey, dsaEncoding: 'ieee-p1363' });
  return perOpUs(N, async () => createVerify('sha256').update(base).verify({ key: k.publicKey, dsaEncoding: 'ieee-p1363' }, sig));
}

const crypto = { primitiveEcdsaP256: await primitiveUs('ecdsa-p256-sha256'), primitiveEd25519: await primitiveUs('ed25519'), verifyEcdsaP256: await verifyOnlyUs('ecdsa-p256-sha256'), verifyEd25519: await verifyOnlyUs('ed25519') };
for (const { engine, skip } of ENGINES) {
  if (skip) continue;
  process.stdout.write(`${JSON.stringify({ ...crypto, ...(await benchEngine(engine)), unit: 'µs/request' })}\n`);
}
