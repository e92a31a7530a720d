// npm run bench:workload-auth — what authenticating a workload's request costs, in microseconds per
// request (R-WORK-2), measured in this run, one request at a time. Every figure is the median of 400
// interleaved rounds (BENCH_ITERATIONS) after 50 of warm-up: each round runs every operation below
// once, so that on a loaded machine all of them meet the same load and the ratios hold. Proofs are
// signed, untimed, just before their use (fresh `iat` and server nonce).
//   proofVerify          the shared RFC 9449 verifier: a DPoP proof with ath and a server nonce, key cache warm
//   tokenVerifyCached    jose's jwtVerify of the access token with the signing key already imported
//   tokenVerifyUncached  the same, importing the public JWK on every request
//   jtiCheck             spending the proof's jti in the request's (writing) transaction: two spends minus one,
//                        with 100,000 expired ids in the store (steady state)
//   jtiCheckAloneWithCommit  one spend in a transaction of its own, over an empty scoped transaction (adds the commit's flush)
//   revocationCheck      the workload's status, role, scopes and the token's revocation: the token link's one
//                        definer statement (ward_auth_workload_state), round trip included, no transaction
//   scopedTxBaseline     an empty scoped transaction
//   authenticate         the whole token link of the chain (all of the above but the jti, which is spent in the
//                        guard's transaction); a token already verified once is not verified again, only its
//                        key's liveness and its exp/nbf (verified-tokens.ts), as for a workload's second request
//   guardedRequest       GET /v1/patients/:id through inject(): chain, guard, Cedar, RLS, decryption, audit
//   authenticationShare  (authenticate + jtiCheck) / guardedRequest
//   authenticateDelegated  the token link for an `act` token (R-WORK-3): the above plus the person's live session read
//   guardedRequestDelegated  the same GET with the `act` token: decided for the agent and for the person
//   delegatedAuthenticationShare  (authenticateDelegated + jtiCheck) / guardedRequestDelegated
// On PGlite always; on PostgreSQL too when WARD_TEST_DATABASE_URL is set. Prints one JSON line per engine.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { buildApp } from '../src/app.ts';
import { generateDemo } from '../src/modules/demo/index.ts';
import { seedDemo } from '../src/modules/demo/seed.ts';
import { accessTokenHash, createNonceSource, createProofKeyCache, createProofVerifier, createReplayStore } from '../src/modules/proof/index.ts';
import { createWorkload, standingDigest } from '../src/modules/workload/index.ts';
import { signIn } from '../test/support/session-client.ts';
import { ENGINES } from '../test/support/databases.ts';
import { createTestDeps } from '../test/support/deps.ts';
import { interleavedMedianUs } from './timing.ts';
import { AUTH_LOOKUPS } from '../src/db/types.ts';

const N = Number(process.env.BENCH_ITERATIONS ?? 400);
const ORIGIN = 'https://ward.bench';

async function benchEngine(engine: 'embedded' | 'postgres'): Promise<Record<string, unknown>> {
  const t = await createTestDeps(engine, { env: { WARD_ORIGIN: ORIGIN } });
  try {
    const { deps } = t;
    const demo = generateDemo(1);
    await seedDemo(deps.db.systemDb, demo, { cipher: deps.cipher });
    const tenant = demo.tenants[0]!;
    const patient = demo.patients.find((p) => p.tenantId === tenant.id && p.phiScope === 'Healthcare-PHI')!;
    const client = await generateKeyPair('ES256');
    const { rows: owners } = await deps.db.systemDb.query<{ member_id: string }>("SELECT member_id FROM member_roles WHERE tenant_id = $1 AND role = 'Owner' LIMIT 1", [tenant.id]);
    const { clientId, id: workloadId } = await createWorkload(deps.db, deps, {
      tenantId: tenant.id, name: 'bench-voice', kind: 'ai_agent', role: 'VoiceAgent', scopes: ['Healthcare-PHI'], approverMemberId: owners[0]!.member_id,
      jwks: { keys: [await exportJWK(client.publicKey)] },
    });
    // A token as the token endpoint issues it, bound to the DPoP key.
    const dpop = await generateKeyPair('ES256');
    const dpopJwk = await exportJWK(dpop.publicKey);
    const jkt = await calculateJwkThumbprint(dpopJwk);
    const key = await deps.tokenSigningKeys.active();
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ client_id: clientId, tid: tenant.id, cnf: { jkt } })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
      .setIssuer(ORIGIN).setSubject(clientId).setAudience(`${ORIGIN}/v1`).setIssuedAt(now).setExpirationTime(now + 600).setJti(randomUUID())
      .sign(key.privateKey);
    const nonces = createNonceSource({ secret: deps.tokenSigningKeys.nonceSecret(), clock: deps.clock });
    const path = `/v1/patients/${patient.id}`;
    const url = `${ORIGIN}${path}`;
    /** A DPoP proof for the GET, signed now with the current server nonce, for `accessToken`. */
    const proofFor = (accessToken: string) =>
      new SignJWT({ htm: 'GET', htu: url, jti: randomUUID(), ath: accessTokenHash(accessToken), nonce: nonces.current() })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty: dpopJwk.kty, crv: dpopJwk.crv, x: dpopJwk.x, y: dpopJwk.y } as JWK })
        .setIssuedAt(Math.floor(Date.now() / 1000)).sign(dpop.privateKey);

    const verifier = createProofVerifier({ clock: deps.clock, keys: createProofKeyCache(), nonces: createNonceSource({ secret: deps.tokenSigningKeys.nonceSecret(), clock: deps.clock }) });
    const scope = { tenantId: tenant.id, phiScopes: [], actorId: workloadId, actorKind: 'ai_agent' } as const;
    const replays = createReplayStore(deps.db);
    // Steady state: the store holds the ids of the last minutes (100,000 already past their window, as
    // after two minutes at ~800 proofs/s), so a spend that also cleans up pays for it here.
    await deps.db.systemDb.query(
      `INSERT INTO proof_replays (replay_key, usable_until)
         SELECT sha256(convert_to('bench-expired-' || g, 'UTF8')), now() - interval '10 minutes' + g * interval '1 ms'
         FROM generate_series(1, 100000) AS g ON CONFLICT DO NOTHING`);
    const freshId = () => ({ replayKey: Buffer.from(randomUUID().replace(/-/g, '').padEnd(64, '0'), 'hex'), usableUntil: new Date(Date.now() + 60_000) });

    const chain = deps.authenticators.find((a) => a.credential === 'token')!;
    const app = await buildApp(deps);
    // R-WORK-3: the same agent acting for an Agent-role member with Healthcare-PHI, by an `act` token
    // as the token exchange issues it (the claims of server/src/modules/workload/delegation.ts).
    const { rows: people } = await deps.db.systemDb.query<{ email: string }>(
      `SELECT m.email FROM members m WHERE m.tenant_id = $1 AND m.status = 'active'
          AND EXISTS (SELECT 1 FROM member_roles r WHERE r.member_id = m.id AND r.role = 'Agent')
          AND EXISTS (SELECT 1 FROM member_phi_scopes p WHERE p.member_id = m.id AND p.phi_scope = 'Healthcare-PHI') ORDER BY m.email LIMIT 1`, [tenant.id]);
    const person = await signIn(deps, people[0]!.email);
    const { rows: standing } = await deps.db.systemDb.query<{ roles: string[]; scopes: string[] }>(
      `SELECT ARRAY(SELECT role FROM member_roles WHERE member_id = $1) AS roles, ARRAY(SELECT phi_scope FROM member_phi_scopes WHERE member_id = $1) AS scopes`, [person.memberId]);
    const actToken = await new SignJWT({
      client_id: clientId, tid: tenant.id, sid: person.sessionId, rh: standingDigest(standing[0]!.roles, standing[0]!.scopes), pou: 'TREAT',
      tgt: { type: 'Patient', id: patient.id }, did: randomUUID(), act: { sub: clientId }, cnf: { jkt },
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
      .setIssuer(ORIGIN).setSubject(person.memberId).setAudience(`${ORIGIN}/v1`).setIssuedAt(now).setExpirationTime(now + 900).setJti(randomUUID())
      .sign(key.privateKey);

    const get = (accessToken: string, what: string) => async () => {
      const headers = { authorization: `DPoP ${accessToken}`, dpop: await proofFor(accessToken) };
      return async () => {
        const res = await app.inject({ method: 'GET', url: path, headers });
        if (res.statusCode !== 200) throw new Error(`${what} answered ${res.statusCode}: ${res.body}`);
      };
    };
    const link = (accessToken: string) => async () => {
      const headers = { authorization: `DPoP ${accessToken}`, dpop: await proofFor(accessToken) };
      return () => chain.authenticate({ method: 'GET', url, headers, sourceIp: '127.0.0.1' });
    };
    const m = await interleavedMedianUs(N, {
      proofVerify: async () => {
        const proof = await proofFor(token);
        return () => verifier.verify(proof, { method: 'GET', url, accessToken: token });
      },
      tokenVerifyCached: async () => () => jwtVerify(token, key.publicKey, { algorithms: ['ES256'], issuer: ORIGIN, typ: 'at+jwt' }),
      tokenVerifyUncached: async () => async () => jwtVerify(token, await importJWK(key.publicJwk, 'ES256'), { algorithms: ['ES256'], issuer: ORIGIN, typ: 'at+jwt' }),
      scopedTxBaseline: async () => () => deps.db.scoped(scope, async () => {}),
      // Alone, the spend makes its transaction a writing one (a WAL flush at commit); in a guarded request
      // the audit row already does, so the jti's own cost is the marginal statement: two spends minus one.
      oneSpend: async () => {
        const a = freshId();
        return () => deps.db.scoped(scope, (tx) => replays.spend(tx, a, new Date()));
      },
      twoSpends: async () => {
        const [b, c] = [freshId(), freshId()];
        return () => deps.db.scoped(scope, async (tx) => {
          await replays.spend(tx, b, new Date());
          await replays.spend(tx, c, new Date());
        });
      },
      revocationCheck: async () => () => deps.db.authLookup(AUTH_LOOKUPS.workloadState, [clientId, tenant.id, randomUUID()]),
      authenticate: link(token),
      guardedRequest: get(token, 'guarded request'),
      authenticateDelegated: link(actToken),
      guardedRequestDelegated: get(actToken, 'delegated request'),
    });
    const jtiCheck = m.twoSpends - m.oneSpend;
    const { proofVerify, tokenVerifyCached, tokenVerifyUncached, revocationCheck, scopedTxBaseline, authenticate, guardedRequest, authenticateDelegated, guardedRequestDelegated } = m;
    const jtiCheckAloneWithCommit = m.oneSpend - scopedTxBaseline;
    await app.close();
    return {
      engine, iterations: N, unit: 'µs per request', proofVerify, tokenVerifyCached, tokenVerifyUncached, jtiCheck, jtiCheckAloneWithCommit, revocationCheck, scopedTxBaseline, authenticate, guardedRequest,
      authenticationShare: Number(((authenticate + jtiCheck) / guardedRequest).toFixed(3)),
      authenticateDelegated, guardedRequestDelegated,
      delegatedAuthenticationShare: Number(((authenticateDelegated + jtiCheck) / guardedRequestDelegated).toFixed(3)),
      loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
    };
  } finally {
    await t.close();
  }
}

// BENCH_ENGINES=postgres runs one engine only (default: every engine available).
const only = process.env.BENCH_ENGINES?.split(',');
for (const { engine, skip } of ENGINES) {
  if (skip || (only !== undefined && !only.includes(engine))) continue;
  process.stdout.write(`${JSON.stringify(await benchEngine(engine))}\n`);
}
