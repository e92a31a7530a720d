// npm run bench:mcp — what one MCP tool call costs (R-AI-6), in microseconds per call, sequentially
// (one at a time, after a warm-up), through inject() (no socket):
//   toolCall      POST /mcp tools/call get_call_summary: the authentication chain (token + DPoP proof,
//                 MCP audience), the SDK's server and transport, one guard.run (scope, load the call,
//                 Cedar, handle, audit row, commit)
//   toolsList     POST /mcp tools/list: chain + SDK + one Cedar decision per tool, the proof spent alone
//   guardOnly     the same tool's guard.run called directly (no HTTP, no token, no SDK)
//   mcpOverhead   toolCall − guardOnly: what the MCP front door adds to the guarded work itself
// Proofs are signed before the clock starts (a client's cost, not Ward's). On PGlite always; on
// PostgreSQL too when WARD_TEST_DATABASE_URL is set. Prints one JSON line per engine.
import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { Authenticated, TenantId } from '@ward/contracts';
import { buildApp } from '../src/app.ts';
import { generateDemo } from '../src/modules/demo/index.ts';
import { seedDemo } from '../src/modules/demo/seed.ts';
import { accessTokenHash, createNonceSource } from '../src/modules/proof/index.ts';
import { callSummary, loadToolCall, type ToolCall } from '../src/modules/voice/index.ts';
import { createWorkload } from '../src/modules/workload/index.ts';
import { ENGINES } from '../test/support/databases.ts';
import { createTestDeps } from '../test/support/deps.ts';
import { perOpUs } from './timing.ts';

const N = Number(process.env.BENCH_ITERATIONS ?? 300);
const ORIGIN = 'https://ward.bench';

async function benchEngine(engine: 'embedded' | 'postgres'): Promise<Record<string, unknown>> {
  const t = await createTestDeps(engine, { env: { WARD_ORIGIN: ORIGIN } });
  try {
    const { deps } = t;
    const demo = generateDemo(1);
    await seedDemo(deps.db.systemDb, demo, { cipher: deps.cipher });
    const tenant = demo.tenants[0]!;
    const patient = demo.patients.find((p) => p.tenantId === tenant.id && p.phiScope === 'Healthcare-PHI')!;
    const { rows: owners } = await deps.db.systemDb.query<{ member_id: string }>("SELECT member_id FROM member_roles WHERE tenant_id = $1 AND role = 'Owner' LIMIT 1", [tenant.id]);
    const client = await generateKeyPair('ES256');
    const { clientId, id: workloadId } = await createWorkload(deps.db, deps, {
      tenantId: tenant.id, name: 'bench-voice', kind: 'ai_agent', role: 'VoiceAgent', scopes: ['Healthcare-PHI'], approverMemberId: owners[0]!.member_id,
      jwks: { keys: [await exportJWK(client.publicKey)] },
    });
    const callId = randomUUID();
    await deps.db.systemDb.query(
      `INSERT INTO calls (id, tenant_id, phi_scope, patient_id, direction, handled_by, handled_by_workload, started_at) VALUES ($1, $2, 'Healthcare-PHI', $3, 'inbound', 'ai_agent', $4, now())`,
      [callId, tenant.id, patient.id, workloadId]);
    const dpop = await generateKeyPair('ES256');
    const dpopJwk = await exportJWK(dpop.publicKey);
    const key = await deps.tokenSigningKeys.active();
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ client_id: clientId, tid: tenant.id, cnf: { jkt: await calculateJwkThumbprint(dpopJwk) } })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
      .setIssuer(ORIGIN).setSubject(clientId).setAudience(`${ORIGIN}/mcp`).setIssuedAt(now).setExpirationTime(now + 600).setJti(randomUUID())
      .sign(key.privateKey);
    const nonce = createNonceSource({ secret: deps.tokenSigningKeys.nonceSecret(), clock: deps.clock }).current();
    const proofs = (n: number) => Promise.all(Array.from({ length: n }, () =>
      new SignJWT({ htm: 'POST', htu: `${ORIGIN}/mcp`, jti: randomUUID(), ath: accessTokenHash(token), nonce })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty: dpopJwk.kty, crv: dpopJwk.crv, x: dpopJwk.x, y: dpopJwk.y } as JWK })
        .setIssuedAt(now).sign(dpop.privateKey)));
    const app = await buildApp(deps);
    const post = async (proof: string, body: unknown) => {
      const res = await app.inject({
        method: 'POST', url: '/mcp', payload: JSON.stringify(body),
        headers: { authorization: `DPoP ${token}`, dpop: proof, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
      });
      if (res.statusCode !== 200 || res.body.includes('"isError":true')) throw new Error(`MCP answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    };
    const callProofs = await proofs(N + 50);
    const toolCall = await perOpUs(N, (i) => post(callProofs[i]!, { jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'get_call_summary', arguments: { callId } } }));
    const listProofs = await proofs(N + 50);
    const toolsList = await perOpUs(N, (i) => post(listProofs[i]!, { jsonrpc: '2.0', id: i, method: 'tools/list' }));
    const who: Authenticated = {
      principal: { kind: 'ai_agent', id: workloadId, tenantId: tenant.id as TenantId, roles: ['VoiceAgent'], phiScopes: ['Healthcare-PHI'] },
      credential: { kind: 'token', id: 'bench', authMethod: 'client_credentials', amr: ['pop'], mfa: false, lastVerifiedAt: new Date(), expiresAt: new Date(Date.now() + 600_000), jkt: 'bench' },
    };
    const guardOnly = await perOpUs(N, () => deps.guard.run({
      authenticated: who, action: 'mcp.getCallSummary', target: { type: 'Call', id: callId },
      load: (tx) => loadToolCall(tx, tenant.id as TenantId, callId, workloadId),
      handle: (tx, { resource }) => callSummary({ tx, tenantId: tenant.id as TenantId, call: resource as ToolCall, agentId: workloadId, cipher: deps.cipher, now: new Date() }),
    }));
    await app.close();
    return { engine, iterations: N, toolCallUs: toolCall, toolsListUs: toolsList, guardOnlyUs: guardOnly, mcpOverheadUs: toolCall - guardOnly };
  } finally {
    await t.close();
  }
}

for (const { engine, skip } of ENGINES) {
  if (skip) continue;
  process.stdout.write(`${JSON.stringify(await benchEngine(engine))}\n`);
}
