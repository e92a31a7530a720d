import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { Value } from '@sinclair/typebox/value';
import { WardError, type Authenticated, type TenantId } from '@ward/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { scopeForPrincipal } from '../db/scope.ts';
import type { Tx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { authenticationOf } from '../http/plugins/authenticate.ts';
import { agentVendorBaaActive } from '../modules/ai/index.ts';
import { DPOP_CHALLENGE_ALGS } from '../modules/proof/index.ts';
import { PROTECTED_RESOURCE_METADATA_PATHS, protectedResourceMetadata, resourceMetadataParameter } from '../modules/workload/index.ts';
import { loadToolCall, type ToolCall } from '../modules/voice/index.ts';
import { TOOLS, TOOLS_BY_NAME, type ToolSpec } from './tools.ts';

/**
 * The MCP server (DESIGN.md front door 2; R-AI-6, R-AUTHZ-1, R-AUDIT-1): Streamable HTTP at
 * `<WARD_ORIGIN>/mcp` with the official SDK, stateless (a request is one JSON-RPC message, answered
 * as JSON; no session is kept between requests).
 *   - Authentication is the chain's (plugins/authenticate.ts): only a DPoP-bound access token whose
 *     audience is `<WARD_ORIGIN>/mcp` (RFC 8707; a `/v1` token is TOKEN_AUDIENCE_MISMATCH). A 401
 *     names the Protected Resource Metadata (RFC 9728 §5.1) in `WWW-Authenticate`.
 *   - `tools/list` shows the tools Cedar would allow this agent on a call of its own.
 *   - `tools/call` is one `guard.run`: one Cedar decision on the call and one audit row naming the
 *     agent (actor), the tool (its action, and `tool` in the metadata) and the call (target). A
 *     refusal is an MCP tool error carrying the Ward code, never data.
 */
/**
 * The SDK is loaded with the first MCP request, not with the server: with zod and its schemas it is
 * some two hundred modules that every process building the app paid for at start.
 */
let sdkModules: Promise<[typeof import('@modelcontextprotocol/sdk/server/index.js'), typeof import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'), typeof import('@modelcontextprotocol/sdk/types.js')]> | undefined;
const sdk = () => (sdkModules ??= Promise.all([
  import('@modelcontextprotocol/sdk/server/index.js'), import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'), import('@modelcontextprotocol/sdk/types.js'),
]));

export const MCP_PATH = '/mcp';
export const PROTECTED_RESOURCE_METADATA_PATH = PROTECTED_RESOURCE_METADATA_PATHS.mcp;

type McpDeps = Pick<Deps, 'guard' | 'pdp' | 'db' | 'cipher' | 'clock' | 'config'>;

function toolError(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: JSON.stringify({ code, message }) }], structuredContent: { code, message } };
}

function header(req: FastifyRequest, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}

export async function mcpRoutes(app: FastifyInstance, deps: McpDeps): Promise<void> {
  const issuer = deps.config.origin.origin;
  const metadataParameter = resourceMetadataParameter(deps.config.origin, 'mcp');

  app.get(PROTECTED_RESOURCE_METADATA_PATH, { config: { access: { kind: 'public' } } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return protectedResourceMetadata(deps.config.origin, 'mcp');
  });

  /** R-AI-3: whether the AI vendor recorded on this agent has a BAA in force today (read in the scope's transaction). */
  const vendorBaa = (tx: Tx, who: Authenticated) => agentVendorBaaActive(tx, who.principal.tenantId, who.principal.id, deps.clock.now());

  /** The tools this agent may call on a call of its own, as Cedar decides them in each of its scopes. */
  async function visibleTools(who: Authenticated): Promise<ToolSpec[]> {
    const { principal } = who;
    const baa = await deps.db.scoped(scopeForPrincipal(principal), (tx) => vendorBaa(tx, who));
    return TOOLS.filter((t) => principal.phiScopes.some((phiScope) => deps.pdp.decide(deps.guard.pdpRequest(who, t.action, {
      type: 'Call', id: 'tools-list', tenant: principal.tenantId, phiScope,
      attributes: { ofPrincipal: true, ...(t.patientOf ? { patientOnCall: true } : {}), ...(t.phi ? { agentVendorBaa: baa } : {}) },
    }, {})).allow));
  }

  async function callTool(who: Authenticated, settle: (tx: Tx) => Promise<void>, req: FastifyRequest, t: ToolSpec, args: unknown): Promise<CallToolResult> {
    if (!Value.Check(t.input, args)) return toolError('BAD_REQUEST', 'The arguments do not match the tool\'s input schema.');
    const a = args as { callId: string };
    const tenantId = who.principal.tenantId as TenantId;
    try {
      const result = await deps.guard.run({
        authenticated: who,
        settle,
        action: t.action,
        purpose: header(req, 'ward-purpose'),
        sourceIp: req.ip,
        target: { type: 'Call', id: a.callId },
        load: async (tx) => {
          const c = await loadToolCall(tx, tenantId, a.callId, who.principal.id, t.patientOf?.(args as never));
          if (c && t.phi) c.attributes = { ...c.attributes, agentVendorBaa: await vendorBaa(tx, who) };
          return c;
        },
        handle: (tx, { resource }) => t.run({ tx, tenantId, call: resource as ToolCall, agentId: who.principal.id, cipher: deps.cipher, now: deps.clock.now() }, args as never),
        auditMetadata: () => ({ tool: t.name }),
      });
      return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
    } catch (e) {
      const err = e instanceof WardError ? e : new WardError('INTERNAL', undefined, { cause: e });
      return toolError(err.code, err.status >= 500 ? 'Internal error.' : err.message);
    }
  }

  async function handle(req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const { authenticated: who, settle } = authenticationOf(req);
    // Only a workload's DPoP-bound token opens the MCP server (the chain checked its audience).
    if (who.credential.kind !== 'token') throw new WardError('UNAUTHENTICATED');
    // MCP 2025-06-18, Streamable HTTP, "Security Warning": the server MUST validate Origin (DNS
    // rebinding). Agents send none; a page of another origin is refused before anything is spent or run.
    const origin = header(req, 'origin');
    if (origin !== null && origin !== issuer) {
      return reply.status(403).header('cache-control', 'no-store')
        .send({ jsonrpc: '2.0', error: { code: -32000, message: "Forbidden: the request's Origin is not this server's." }, id: null });
    }
    // The proof's jti is spent once: in the guard's transaction for a tools/call, else on its own. A
    // guard transaction that rolled back (the tool refused) took its spend with it, and the guard spends
    // again in the failure's own transaction: only a second spend in the same transaction is skipped.
    let spent = false;
    let spentIn: Tx | undefined;
    const settleOnce = async (tx: Tx) => {
      if (spentIn === tx) return;
      spentIn = tx;
      spent = true;
      await settle(tx);
    };
    const spendAlone = () => deps.db.scoped(scopeForPrincipal(who.principal), settleOnce);
    const body = req.body as { method?: unknown; id?: unknown } | undefined;
    if (!body || body.method !== 'tools/call') await spendAlone();
    const rpcError = async (status: number, code: number, message: string, id: unknown) => {
      if (!spent) await spendAlone();
      return reply.status(status).header('cache-control', 'no-store').send({ jsonrpc: '2.0', error: { code, message }, id });
    };
    // One request is one JSON-RPC message (MCP 2025-06-18 has no batches): a batch would carry many
    // tool calls on one DPoP proof, past the one-proof-one-call accounting above.
    if (Array.isArray(req.body)) return rpcError(400, -32600, 'Invalid Request: send one JSON-RPC message per request; batches are not accepted.', null);

    const [{ Server }, { WebStandardStreamableHTTPServerTransport }, types] = await sdk();
    const { CallToolRequestSchema, ListToolsRequestSchema } = types;
    // JSON-RPC 2.0 §5.1: JSON that is no JSON-RPC message is -32600 with id null (the SDK says -32700),
    // and a request whose params its method does not take is -32602 with its id (the SDK says -32603).
    // Only for what the SDK would read: a wrong Accept (406) or Content-Type (415) is still its answer.
    const accept = header(req, 'accept') ?? '';
    const readable = accept.includes('application/json') && accept.includes('text/event-stream') && /^application\/json\s*(;|$)/i.test(header(req, 'content-type') ?? '');
    if (readable && !types.JSONRPCMessageSchema.safeParse(req.body).success) return rpcError(400, -32600, 'Invalid Request: the body is not a JSON-RPC 2.0 message.', null);
    const paramsOf = { initialize: types.InitializeRequestSchema, ping: types.PingRequestSchema, 'tools/list': ListToolsRequestSchema, 'tools/call': CallToolRequestSchema }[String(body?.method)];
    if (readable && paramsOf && body!.id !== undefined && !paramsOf.safeParse(body).success) return rpcError(200, -32602, `Invalid params for ${String(body!.method)}.`, body!.id);

    const server = new Server({ name: 'ward', version: '1' }, { capabilities: { tools: { listChanged: false } } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: (await visibleTools(who)).map((t): Tool => ({ name: t.name, description: t.description, inputSchema: t.input as Tool['inputSchema'] })),
    }));
    server.setRequestHandler(CallToolRequestSchema, async (r) => {
      const t = TOOLS_BY_NAME.get(r.params.name);
      // MCP 2025-06-18 tools, "Error Handling": an unknown tool is a protocol error (-32602), not a tool
      // result; the SDK sends an error's own code and message (an McpError would prefix the message).
      if (!t) throw Object.assign(new Error(`Unknown tool: ${r.params.name.slice(0, 128)}`), { code: types.ErrorCode.InvalidParams });
      return callTool(who, settleOnce, req, t, r.params.arguments ?? {});
    });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const webReq = new Request(`${issuer}${MCP_PATH}`, { method: 'POST', headers, body: JSON.stringify(req.body) });
      const res = await transport.handleRequest(webReq, { parsedBody: req.body });
      if (!spent) await spendAlone();
      reply.status(res.status);
      res.headers.forEach((v, k) => {
        if (k !== 'content-length') reply.header(k, v);
      });
      reply.header('cache-control', 'no-store');
      const text = await res.text();
      return text === '' ? reply.send() : reply.send(text);
    } finally {
      await server.close();
    }
  }

  await app.register(async (mcp: FastifyInstance) => {
    // RFC 9728 §5.1: every 401 of the MCP resource names its metadata, with the DPoP challenge's error.
    mcp.addHook('onSend', async (_req, reply, payload) => {
      if (reply.statusCode === 401) {
        const existing = reply.getHeader('www-authenticate');
        const challenge = typeof existing === 'string' && existing.startsWith('DPoP') ? existing : `DPoP ${DPOP_CHALLENGE_ALGS}`;
        reply.header('www-authenticate', `${challenge}, ${metadataParameter}`);
      }
      return payload;
    });
    // JSON-RPC 2.0 §5.1: a body that is not JSON is a parse error, id null (before authentication, like
    // every body; nothing is run). Any other error goes on to the app's handler (problem details).
    mcp.setErrorHandler((err: FastifyError, _req, reply) => {
      if (err.code !== 'FST_ERR_CTP_INVALID_JSON_BODY' && err.code !== 'FST_ERR_CTP_EMPTY_JSON_BODY') throw err;
      return reply.status(400).header('cache-control', 'no-store').send({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: the body is not JSON.' }, id: null });
    });
    mcp.post(MCP_PATH, { config: { access: { kind: 'enforced', action: 'mcp.toolCall' } }, bodyLimit: 65_536 }, (req, reply) => handle(req, reply));
    // Stateless: no server-sent event stream to open and no session to end (the transport's answer to both).
    const notAllowed = async (reply: FastifyReply) => reply.status(405).header('allow', 'POST').send({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null });
    mcp.get(MCP_PATH, { config: { access: { kind: 'public' } } }, (_req, reply) => notAllowed(reply));
    mcp.delete(MCP_PATH, { config: { access: { kind: 'public' } } }, (_req, reply) => notAllowed(reply));
  });
}
