// The official MCP SDK client (@modelcontextprotocol/sdk, its client/auth and auth-extensions) against
// Ward's /mcp over a real HTTP connection, authorization included (R-AI-6, R-WORK-2): from an
// unauthenticated 401 to RFC 9728 Protected Resource Metadata, RFC 8414 metadata, a client_credentials
// token with the SDK's own PrivateKeyJwtProvider, then tools/list and tools/call. The SDK speaks
// Bearer only; the one thing added here is a fetch that makes the tokens DPoP-bound (RFC 9449): a proof
// on each request to the token endpoint and to /mcp (with `ath`), `Authorization: DPoP`, and the
// use_dpop_nonce retry. Everything else is the SDK's. And a generic OAuth client that does DPoP
// (openid-client) reaching /mcp with its own helpers. PGlite only, to stay fast.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { auth, discoverOAuthProtectedResourceMetadata, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { PrivateKeyJwtProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import * as oidc from 'openid-client';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { freePort } from '../support/free-port.ts';
import { runCli } from '../support/oauth-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const patient = demo.patients.find((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI')!;
const { engine, skip } = ENGINES[0]!;

interface Seen { method: string; url: string; authorization: string | null; status: number }

/**
 * What the SDK lacks for Ward: DPoP (RFC 9449). A fetch that signs a proof for every request to the
 * token endpoint and for every request the SDK sends with a token (turning `Bearer` into `DPoP`, with
 * `ath`), learns the server's nonce from `DPoP-Nonce` and sends a request refused with use_dpop_nonce
 * once more. Requests without a token (discovery, the first /mcp) pass as the SDK made them.
 */
function dpopForSdk(tokenEndpoint: string, seen: Seen[]): { fetch: typeof fetch; jkt: () => Promise<string> } {
  const keys = generateKeyPair('ES256');
  let nonce: string | null = null;
  const proof = async (method: string, url: URL, token: string | null) => {
    const { publicKey, privateKey } = await keys;
    const { kty, crv, x, y } = await exportJWK(publicKey);
    return new SignJWT({
      htm: method, htu: `${url.origin}${url.pathname}`, jti: randomUUID(),
      ...(token ? { ath: createHash('sha256').update(token).digest('base64url') } : {}), ...(nonce ? { nonce } : {}),
    }).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty, crv, x, y } as JWK }).setIssuedAt().sign(privateKey);
  };
  const dpopFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    const bearer = /^Bearer (.+)$/.exec(new Headers(init?.headers).get('authorization') ?? '')?.[1] ?? null;
    const signs = bearer !== null || (method === 'POST' && url.href === tokenEndpoint);
    const body = init?.body === undefined || init.body === null ? undefined : String(init.body);
    const once = async () => {
      const headers = new Headers(init?.headers);
      if (signs) headers.set('dpop', await proof(method, url, bearer));
      if (bearer) headers.set('authorization', `DPoP ${bearer}`);
      const res = await fetch(url, { ...init, headers, body });
      nonce = res.headers.get('dpop-nonce') ?? nonce;
      return res;
    };
    let res = await once();
    const challenged = res.status === 401 && /error="use_dpop_nonce"/.test(res.headers.get('www-authenticate') ?? '');
    const refused = res.status === 400 && signs && !bearer && (await res.clone().json().catch(() => ({})) as { error?: string }).error === 'use_dpop_nonce';
    if (signs && (challenged || refused)) res = await once();
    seen.push({ method, url: url.pathname, authorization: new Headers(init?.headers).get('authorization'), status: res.status });
    return res;
  }) as typeof fetch;
  return { fetch: dpopFetch, jkt: async () => (await import('jose')).calculateJwkThumbprint(await exportJWK((await keys).publicKey)) };
}

describe('the MCP SDK client with its own OAuth client against /mcp over HTTP', { skip }, () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let origin: string;
  let clientId: string;
  let privateJwk: JWK;
  const callId = randomUUID();

  const provider = () => new PrivateKeyJwtProvider({ clientId, privateKey: privateJwk, algorithm: 'ES256', expectedIssuer: origin });

  before(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    t = await createTestDeps(engine, { env: { WARD_ORIGIN: origin }, demo: demo.seed });
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    privateJwk = await exportJWK(privateKey as CryptoKey);
    const r = await runCli(t, ['workload', 'create', '--tenant', 'riverside', '--name', 'sdk-agent', '--kind', 'ai_agent', '--role', 'VoiceAgent', '--scopes', 'Healthcare-PHI', '--approver', 'olivia.owner@riverside.test'],
      JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'sdk-1' }] }));
    assert.equal(r.code, 0, r.err);
    clientId = r.out.trim().split('\n').at(-1)!;
    const { rows } = await t.deps.db.systemDb.query<{ id: string }>('SELECT id FROM workloads WHERE client_id = $1', [clientId]);
    await t.deps.db.systemDb.query(
      `INSERT INTO calls (id, tenant_id, phi_scope, patient_id, direction, handled_by, handled_by_workload, started_at) VALUES ($1, $2, 'Healthcare-PHI', $3, 'inbound', 'ai_agent', $4, now())`,
      [callId, riverside.id, patient.id, rows[0]!.id]);
    app = await buildApp(t.deps);
    await app.listen({ port, host: 'localhost' });
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  test('RFC 9728: the 401 names the metadata, which the SDK reads and follows to the authorization server for a DPoP-bound /mcp token', async () => {
    const bare = await fetch(`${origin}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) });
    assert.equal(bare.status, 401);
    const named = /resource_metadata="([^"]+)"/.exec(bare.headers.get('www-authenticate') ?? '')?.[1];
    assert.equal(named, `${origin}/.well-known/oauth-protected-resource/mcp`);
    const prm = await discoverOAuthProtectedResourceMetadata(`${origin}/mcp`, { resourceMetadataUrl: new URL(named!) });
    assert.equal(prm.resource, `${origin}/mcp`);
    assert.deepEqual(prm.authorization_servers, [origin]);

    const seen: Seen[] = [];
    const dpop = dpopForSdk(`${origin}/oauth/token`, seen);
    const p: OAuthClientProvider = provider();
    assert.equal(await auth(p, { serverUrl: `${origin}/mcp`, resourceMetadataUrl: new URL(named!), fetchFn: dpop.fetch }), 'AUTHORIZED');
    const tokens = await p.tokens();
    assert.equal(tokens?.token_type, 'DPoP');
    const claims = decodeJwt(tokens!.access_token);
    assert.equal(claims.aud, `${origin}/mcp`, 'the SDK sent the metadata\'s resource (RFC 8707)');
    assert.equal((claims.cnf as { jkt: string }).jkt, await dpop.jkt());
    assert.ok(seen.some((s) => s.url === '/.well-known/oauth-authorization-server' && s.status === 200), 'RFC 8414 metadata read');
  });

  test('the SDK transport, from a bare connect: 401, discovery, token, then tools/list and a tools/call through the guard', async () => {
    const seen: Seen[] = [];
    const dpop = dpopForSdk(`${origin}/oauth/token`, seen);
    const client = new Client({ name: 'sdk-auth-probe', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), { authProvider: provider(), fetch: dpop.fetch }));
    assert.deepEqual(seen.slice(0, 1).map((s) => [s.method, s.url, s.status]), [['POST', '/mcp', 401]], 'the first request goes out without a token');
    assert.ok(seen.some((s) => s.url === '/.well-known/oauth-protected-resource/mcp' && s.status === 200), 'RFC 9728 metadata read');
    assert.ok(seen.some((s) => s.url === '/oauth/token' && s.status === 200), 'a token issued');

    const { tools } = await client.listTools();
    assert.ok(tools.some((x) => x.name === 'get_call_summary'), tools.map((x) => x.name).join());
    const r = await client.callTool({ name: 'get_call_summary', arguments: { callId } });
    assert.equal(r.isError, undefined, JSON.stringify(r.content));
    const { rows } = await t.deps.db.systemDb.query<{ action: string; decision: string; actor_kind: string }>(
      "SELECT action, decision, actor_kind FROM audit_events WHERE target_id = $1 AND action = 'mcp.getCallSummary'", [callId]);
    assert.deepEqual(rows.map((x) => [x.action, x.decision, x.actor_kind]), [['mcp.getCallSummary', 'allow', 'ai_agent']]);
    await client.close();
  });

  test('a generic OAuth client with DPoP (openid-client) gets an /mcp token and speaks Streamable HTTP through its protected-resource helper', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const r = await runCli(t, ['workload', 'create', '--tenant', 'riverside', '--name', 'oidc-mcp-agent', '--kind', 'ai_agent', '--role', 'VoiceAgent', '--scopes', 'Healthcare-PHI', '--approver', 'olivia.owner@riverside.test'],
      JSON.stringify({ keys: [await exportJWK(publicKey)] }));
    assert.equal(r.code, 0, r.err);
    const config = await oidc.discovery(new URL(origin), r.out.trim().split('\n').at(-1)!, undefined, oidc.PrivateKeyJwt(privateKey), { execute: [oidc.allowInsecureRequests], algorithm: 'oauth2' });
    const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const tokens = await oidc.clientCredentialsGrant(config, { resource: `${origin}/mcp` }, { DPoP });
    const rpc = async (body: Record<string, unknown>) => oidc.fetchProtectedResource(config, tokens.access_token, new URL(`${origin}/mcp`), 'POST', JSON.stringify({ jsonrpc: '2.0', ...body }),
      new Headers({ 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' }), { DPoP });
    const init = await rpc({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'openid-client-probe', version: '1' } } });
    assert.equal(init.status, 200, await init.clone().text());
    assert.equal((await rpc({ method: 'notifications/initialized' })).status, 202);
    const listed = await rpc({ id: 2, method: 'tools/list' });
    assert.ok(((await listed.json()) as { result: { tools: { name: string }[] } }).result.tools.some((x) => x.name === 'get_call_summary'));
  });
});
