// MCP conformance of `/mcp` (R-AI-6) as an independent client sees it, against a server listening at
// its origin: Streamable HTTP and lifecycle of protocol revision 2025-06-18, and what a client of
// 2025-03-26 sends (no MCP-Protocol-Version header). Ward is stateless (no Mcp-Session-Id, GET and
// DELETE 405) and every POST carries a DPoP-bound token for the MCP resource (RFC 9449), one proof each.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import * as oauth from 'oauth4webapi';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { dpopFetch } from '../support/mcp-client.ts';
import { runCli, withNonce } from '../support/oauth-client.ts';

// A port of its own beside demo-voice.int.test.ts's: the origin must be known before the server starts.
const PORT = 42_100 + (process.pid % 100);
const ORIGIN = `http://localhost:${PORT}`;
const demo = generateDemo(1);
const { engine, skip } = ENGINES[0]!;
const ACCEPT = 'application/json, text/event-stream';

interface Answer { status: number; headers: Headers; text: string; json: () => { jsonrpc?: string; id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string } } }

describe(`MCP Streamable HTTP conformance of /mcp on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let mcp: typeof fetch;

  /** One POST of `body` (a string is sent as is) with a fresh DPoP proof; `headers` added or overriding. */
  async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await mcp(`${ORIGIN}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as ReturnType<Answer['json']> };
  }
  const initialize = (protocolVersion: string, id: unknown = 1) => ({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion, capabilities: {}, clientInfo: { name: 'probe', version: '1' } } });

  before(async () => {
    t = await createTestDeps(engine, { env: { WARD_ORIGIN: ORIGIN }, demo: demo.seed });
    app = await buildApp(t.deps);
    await app.listen({ port: PORT, host: 'localhost' });
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const r = await runCli(t, ['workload', 'create', '--tenant', 'riverside', '--name', 'probe-agent', '--kind', 'ai_agent', '--role', 'VoiceAgent', '--scopes', 'Healthcare-PHI', '--approver', 'olivia.owner@riverside.test'],
      JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'probe-1' }] }));
    assert.equal(r.code, 0, r.err);
    const client = { client_id: r.out.trim().split('\n').at(-1)! };
    const as = await oauth.processDiscoveryResponse(new URL(ORIGIN), await oauth.discoveryRequest(new URL(ORIGIN), { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }));
    const keys = await generateKeyPair('ES256');
    const DPoP = oauth.DPoP(client as oauth.Client, keys);
    const token = await withNonce(async () => oauth.processClientCredentialsResponse(as, client,
      await oauth.clientCredentialsGrantRequest(as, client, oauth.PrivateKeyJwt({ key: privateKey, kid: undefined as never }), { resource: `${ORIGIN}/mcp` },
        { DPoP, [oauth.allowInsecureRequests]: true })));
    mcp = dpopFetch((url, init) => fetch(url, init), token.access_token, keys);
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  test('initialize: a 2025-06-18 client gets that version, serverInfo and the tools capability, as JSON', async () => {
    const res = await post(initialize('2025-06-18'));
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const { jsonrpc, id, result } = res.json();
    assert.deepEqual([jsonrpc, id, result?.protocolVersion], ['2.0', 1, '2025-06-18']);
    assert.equal((result?.serverInfo as { name: string }).name, 'ward');
    assert.ok((result?.capabilities as { tools?: unknown }).tools, 'capabilities.tools');
    assert.equal(res.headers.get('mcp-session-id'), null, 'stateless: no session');
  });

  test('initialize: a 2025-03-26 client keeps its version; an unknown one is answered with a version the server supports', async () => {
    assert.equal((await post(initialize('2025-03-26'))).json().result?.protocolVersion, '2025-03-26');
    const unknown = (await post(initialize('1999-01-01'))).json().result?.protocolVersion;
    assert.ok(typeof unknown === 'string' && unknown >= '2025-03-26', String(unknown));
  });

  test('notifications/initialized, any notification and a response are answered 202 with no body', async () => {
    for (const m of [{ jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7 } }, { jsonrpc: '2.0', id: 'srv-1', result: {} }]) {
      const res = await post(m, { 'mcp-protocol-version': '2025-06-18' });
      assert.equal(res.status, 202, `${m.method ?? 'response'}: ${res.text}`);
      assert.equal(res.text, '');
    }
  });

  test('MCP-Protocol-Version: a supported value or none (2025-03-26) is served; an unsupported one is 400', async () => {
    assert.equal((await post({ jsonrpc: '2.0', id: 2, method: 'ping' }, { 'mcp-protocol-version': '2025-06-18' })).status, 200);
    const none = await post({ jsonrpc: '2.0', id: 3, method: 'ping' });
    assert.deepEqual([none.status, none.json().id, none.json().result], [200, 3, {}]);
    assert.equal((await post({ jsonrpc: '2.0', id: 4, method: 'ping' }, { 'mcp-protocol-version': '1999-01-01' })).status, 400);
  });

  test('tools/list: name, description and a JSON Schema object per tool; tools/call: content, isError for a tool failure', async () => {
    const list = await post({ jsonrpc: '2.0', id: 5, method: 'tools/list' }, { 'mcp-protocol-version': '2025-06-18' });
    const tools = list.json().result?.tools as { name: string; description: string; inputSchema: { type: string; properties: object } }[];
    assert.ok(tools.length > 0);
    for (const x of tools) {
      assert.ok(typeof x.name === 'string' && typeof x.description === 'string', x.name);
      assert.equal(x.inputSchema.type, 'object');
      assert.equal(typeof x.inputSchema.properties, 'object');
    }
    const call = await post({ jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'get_call_summary', arguments: { callId: randomUUID() } } }, { 'mcp-protocol-version': '2025-06-18' });
    const { id, result, error } = call.json();
    assert.deepEqual([call.status, id, error], [200, 6, undefined], call.text);
    assert.equal(result?.isError, true);
    assert.equal((result?.content as { type: string }[])[0]!.type, 'text');
  });

  test('tools/call of an unknown tool is a protocol error (-32602, its id), not a tool result (MCP 2025-06-18 tools, "Error Handling")', async () => {
    // The spec lists "Unknown tools" among protocol errors, with `-32602 Unknown tool: …` as its example;
    // an independent client (@modelcontextprotocol/conformance's) reads a tool result as the tool having run.
    const call = await post({ jsonrpc: '2.0', id: 'nt-1', method: 'tools/call', params: { name: 'no_such_tool', arguments: { callId: randomUUID() } } }, { 'mcp-protocol-version': '2025-06-18' });
    const { id, result, error } = call.json();
    assert.deepEqual([call.status, id, result, error?.code], [200, 'nt-1', undefined, -32602], call.text);
    assert.match(error!.message, /^Unknown tool: no_such_tool$/);
  });

  test('JSON-RPC errors: method not found (-32601) and invalid params (-32602) keep the request\'s id', async () => {
    const v = { 'mcp-protocol-version': '2025-06-18' };
    const unknown = await post({ jsonrpc: '2.0', id: 'u-1', method: 'no/such' }, v);
    assert.deepEqual([unknown.json().id, unknown.json().error?.code], ['u-1', -32601]);
    const params = await post({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { arguments: {} } }, v);
    assert.deepEqual([params.status, params.json().id, params.json().error?.code], [200, 8, -32602], params.text);
    const noName = await post({ jsonrpc: '2.0', id: 11, method: 'initialize', params: {} }, v);
    assert.deepEqual([noName.status, noName.json().id, noName.json().error?.code], [200, 11, -32602], noName.text);
  });

  test('JSON-RPC errors: a parse error (-32700) and an invalid request (-32600) are 400 with id null', async () => {
    const v = { 'mcp-protocol-version': '2025-06-18' };
    const parse = await post('{"jsonrpc": "2.0", "id": 9, "method": ', v);
    assert.equal(parse.status, 400, parse.text);
    assert.deepEqual([parse.json().jsonrpc, parse.json().id, parse.json().error?.code], ['2.0', null, -32700]);
    const invalid = await post({ jsonrpc: '2.0', id: 10 }, v);
    assert.equal(invalid.status, 400, invalid.text);
    assert.deepEqual([invalid.json().id, invalid.json().error?.code], [null, -32600]);
    const bare = await fetch(`${ORIGIN}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: ACCEPT }, body: '{' });
    assert.deepEqual([bare.status, ((await bare.json()) as { error: { code: number } }).error.code], [400, -32700], 'the same before authentication: nothing runs');
    const empty = await post('', v);
    assert.deepEqual([empty.status, empty.json().id, empty.json().error?.code], [400, null, -32700], empty.text);
  });

  test('a POST whose Accept lacks text/event-stream is 406; one whose Content-Type is not JSON is 415', async () => {
    assert.equal((await post({ jsonrpc: '2.0', id: 12, method: 'ping' }, { accept: 'application/json' })).status, 406);
    assert.equal((await post({ jsonrpc: '2.0', id: 13 }, { accept: 'application/json' })).status, 406, 'before the message is read');
    assert.equal((await post('{}', { 'content-type': 'text/plain' })).status, 415);
  });

  test('GET /mcp (no event stream) and DELETE /mcp (no session) are 405', async () => {
    const get = await mcp(`${ORIGIN}/mcp`, { method: 'GET', headers: { accept: 'text/event-stream' } });
    assert.equal(get.status, 405);
    const del = await mcp(`${ORIGIN}/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': 'x' } });
    assert.equal(del.status, 405);
  });
});
