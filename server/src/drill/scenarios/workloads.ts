import { createHmac, randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { dpopProof } from '../../cli/mcp-client.ts';
import { htu, mcpTool, newDpopKeys, send, tokenCall, workloadToken, type WorkloadToken } from '../clients.ts';
import { expectStatus, type Scenario, type World } from '../scenario.ts';
import { PT, TM } from './boundaries.ts';

/**
 * Workloads (R-WORK-1, R-WORK-2, R-AI-6): a DPoP-bound token is good only with its key, once per
 * proof, for its own audience; Ward's tokens are never accepted unsigned or re-signed with another
 * algorithm; an MCP tool answers only within the agent's role and its own call.
 */
const part = (jwt: string, i: number) => JSON.parse(Buffer.from(jwt.split('.')[i]!, 'base64url').toString()) as Record<string, unknown>;
const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const withToken = (t: WorkloadToken, token: string): WorkloadToken => ({ token, keys: t.keys });
const PATIENTS = '/v1/patients';

export function workloadScenarios(): Scenario[] {
  const dpop = 'DPoP token replay and audience confusion';
  const alg = 'alg confusion and unsigned tokens';
  const mcp = 'MCP calls beyond role or call';
  const tokenAtMcp = (id: string, category: string, title: string, covers: string[], make: (w: World) => Promise<{ token: WorkloadToken; proof?: string; scheme?: string }>): Scenario => ({
    id, category, title, covers, expected: 'HTTP 401',
    async run(w) {
      const t = await make(w);
      return expectStatus(await tokenCall(w.origin, t.token, '/mcp', { method: 'POST', body: { jsonrpc: '2.0', id: 1, method: 'tools/list' }, proof: t.proof, scheme: t.scheme }), [401]);
    },
  });
  /** A tool call of tenant A's voice agent that must be refused (R-AI-6: its own call, the caller on it). */
  const agentRefused = (id: string, covers: string[], title: string, call: (w: World) => [string, Record<string, unknown>]): Scenario => ({
    id, category: mcp, title, expected: 'refused', covers: ['R-AI-6', 'R-AUTHZ-1', ...covers],
    async run(w) {
      const [tool, args] = call(w);
      const r = await mcpTool(w.origin, w.tokens.agentMcp, tool, args);
      return { pass: r.isError, observed: r.isError ? `refused ${String(r.result.code ?? '')}` : 'answered' };
    },
  });
  return [
    {
      id: 'dpop.proof-replay', category: dpop, covers: ['R-WORK-2'],
      title: 'a token request to /mcp sent twice with the same proof', expected: 'the replay HTTP 401',
      async run(w) {
        const t = w.tokens.agentMcp;
        const body = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
        // Learn the server's nonce first (RFC 9449 §8), then send one proof twice.
        const learn = await tokenCall(w.origin, t, '/mcp', { method: 'POST', body, proof: await dpopProof(t.keys, 'POST', htu(w.origin, '/mcp'), t.token, null) });
        const proof = await dpopProof(t.keys, 'POST', htu(w.origin, '/mcp'), t.token, learn.headers.get('dpop-nonce'));
        const once = await tokenCall(w.origin, t, '/mcp', { method: 'POST', body, proof });
        const twice = await tokenCall(w.origin, t, '/mcp', { method: 'POST', body, proof });
        return { pass: once.status === 200 && twice.status === 401, observed: `first HTTP ${once.status}, replay HTTP ${twice.status} ${twice.code}` };
      },
    },
    tokenAtMcp('dpop.bearer-downgrade', dpop, 'the DPoP-bound token presented as a plain Bearer token', ['R-WORK-2'], async (w) => ({ token: w.tokens.agentMcp, scheme: 'Bearer' })),
    tokenAtMcp('dpop.other-key', dpop, "the token with a proof signed by another key (a stolen token)", ['R-WORK-2'], async (w) => ({ token: { token: w.tokens.agentMcp.token, keys: await newDpopKeys() } })),
    tokenAtMcp('dpop.no-ath', dpop, 'a proof without the token hash (ath)', ['R-WORK-2'], async (w) => ({ token: w.tokens.agentMcp, proof: await dpopProof(w.tokens.agentMcp.keys, 'POST', htu(w.origin, '/mcp'), null, null) })),
    tokenAtMcp('dpop.ath-of-other-token', dpop, "a proof whose ath is another token's", ['R-WORK-2'], async (w) => ({ token: w.tokens.agentMcp, proof: await dpopProof(w.tokens.agentMcp.keys, 'POST', htu(w.origin, '/mcp'), w.tokens.agentV1.token, null) })),
    tokenAtMcp('dpop.audience-v1-at-mcp', dpop, 'a token issued for /v1 presented at /mcp (RFC 8707)', ['R-WORK-2', 'R-AI-6'], async (w) => ({ token: w.tokens.agentV1 })),
    {
      id: 'dpop.audience-mcp-at-v1', category: dpop, covers: ['R-WORK-2'],
      title: 'a token issued for /mcp presented at /v1', expected: 'HTTP 401',
      async run(w) {
        return expectStatus(await tokenCall(w.origin, w.tokens.agentMcp, PATIENTS), [401]);
      },
    },
    {
      id: 'dpop.cross-tenant-token', category: dpop, covers: ['R-WORK-2', TM.rls],
      title: "tenant B's voice agent token on tenant A's call (MCP find_patient)", expected: 'refused, nothing of the caller',
      async run(w) {
        const p = w.a.patients.find((x) => x.id === w.agentCall.patientId)!;
        const r = await mcpTool(w.origin, w.tokens.bAgentMcp, 'find_patient', { callId: w.agentCall.id, phone: p.phone, dateOfBirth: p.dateOfBirth });
        return { pass: r.isError && !r.reply.text.includes(p.id), observed: `HTTP ${r.reply.status}, ${r.isError ? `refused ${String(r.result.code ?? '')}` : 'answered'}` };
      },
    },
    {
      id: 'scim.token-at-mcp', category: 'SCIM token across tenants', covers: ['R-AUTHN-5', 'R-WORK-2'],
      title: 'the SCIM bearer token presented at /mcp', expected: 'HTTP 401',
      async run(w) {
        return expectStatus(await send(w.origin, '/mcp', { method: 'POST', body: { jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers: { authorization: `Bearer ${w.a.scimToken}`, accept: 'application/json, text/event-stream' } }), [401]);
      },
    },
    {
      id: 'session.cookie-at-mcp', category: mcp, covers: ['R-AI-6', 'R-SESS-1'],
      title: "a person's session (cookie and device proof) at /mcp", expected: 'HTTP 401',
      async run(w) {
        return expectStatus(await w.people.agent.call('/mcp', { method: 'POST', body: { jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers: { accept: 'application/json, text/event-stream' } }), [401, 403]);
      },
    },
    // Ward's own access tokens, tampered with (RFC 8725).
    tokenAtMcp('jwt.alg-none', alg, 'the access token re-encoded with alg "none" and no signature', ['R-WORK-2'], async (w) => {
      const t = w.tokens.agentMcp.token;
      return { token: withToken(w.tokens.agentMcp, `${enc({ ...part(t, 0), alg: 'none' })}.${t.split('.')[1]}.`) };
    }),
    tokenAtMcp('jwt.hs256-public-key', alg, 'the access token re-signed HS256 with the published public key as the secret', ['R-WORK-2'], async (w) => {
      const t = w.tokens.agentMcp.token;
      const jwks = await send(w.origin, '/.well-known/jwks.json');
      const head = enc({ ...part(t, 0), alg: 'HS256' });
      const body = t.split('.')[1]!;
      const sig = createHmac('sha256', jwks.text).update(`${head}.${body}`).digest('base64url');
      return { token: withToken(w.tokens.agentMcp, `${head}.${body}.${sig}`) };
    }),
    tokenAtMcp('jwt.tampered-claims', alg, "the access token with its payload changed (another client's id) and the old signature", ['R-WORK-2'], async (w) => {
      const t = w.tokens.agentMcp.token;
      const claims = part(t, 1);
      return { token: withToken(w.tokens.agentMcp, `${t.split('.')[0]}.${enc({ ...claims, sub: w.b.workloads['voice-agent']!.clientId, client_id: w.b.workloads['voice-agent']!.clientId })}.${t.split('.')[2]}`) };
    }),
    tokenAtMcp('jwt.self-issued', alg, 'a token the agent signed itself with its own key', ['R-WORK-2'], async (w) => {
      const claims = part(w.tokens.agentMcp.token, 1);
      const key = await importJWK(w.keys.voiceAgent.private_jwk, 'ES256');
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: w.keys.voiceAgent.private_jwk.kid, typ: 'at+jwt' }).sign(key);
      return { token: withToken(w.tokens.agentMcp, forged) };
    }),
    {
      id: 'oauth.assertion-alg-none', category: alg, covers: ['R-WORK-1'],
      title: 'a client assertion with alg "none" at the token endpoint', expected: 'refused (400/401), no token',
      async run(w) {
        const endpoint = new URL('/oauth/token', w.origin).href;
        const id = w.keys.voiceAgent.client_id;
        const assertion = `${enc({ alg: 'none' })}.${enc({ iss: id, sub: id, aud: endpoint, jti: randomUUID(), iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 })}.`;
        const keys = await newDpopKeys();
        const post = async (nonce: string | null) => send(w.origin, '/oauth/token', {
          method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await dpopProof(keys, 'POST', endpoint, null, nonce) },
          raw: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion, resource: `${w.origin}/mcp` }).toString(),
        });
        let r = await post(null);
        if (r.code === 'use_dpop_nonce') r = await post(r.headers.get('dpop-nonce'));
        return { pass: (r.status === 400 || r.status === 401) && !('access_token' in r.json), observed: `HTTP ${r.status} ${r.code}` };
      },
    },
    {
      id: 'oauth.assertion-other-key', category: alg, covers: ['R-WORK-1'],
      title: "a client assertion for tenant A's agent signed with tenant B's agent key", expected: 'refused (400/401), no token',
      async run(w) {
        const r = await workloadToken(w.origin, { client_id: w.keys.voiceAgent.client_id, private_jwk: w.keys.bVoiceAgent.private_jwk }, `${w.origin}/mcp`);
        return { pass: !r.token && (r.reply.status === 400 || r.reply.status === 401), observed: `HTTP ${r.reply.status} ${r.reply.code}` };
      },
    },
    // MCP (R-AI-6): the role's tools, on the agent's own call, for the caller on it.
    {
      id: 'mcp.service-beyond-role', category: mcp, covers: ['R-AI-6', 'R-AUTHZ-1'],
      title: 'the summary tool (a service without the voice-agent role) calls find_patient on a live call', expected: 'refused',
      async run(w) {
        const p = w.a.patients.find((x) => x.id === w.agentCall.patientId)!;
        const r = await mcpTool(w.origin, w.tokens.summaryMcp, 'find_patient', { callId: w.agentCall.id, phone: p.phone, dateOfBirth: p.dateOfBirth });
        return { pass: r.isError && !r.reply.text.includes(p.id), observed: `HTTP ${r.reply.status}, ${r.isError ? `refused ${String(r.result.code ?? (r.reply.json.error as { message?: string } | undefined)?.message ?? '')}` : 'answered'}` };
      },
    },
    agentRefused('mcp.other-patient-on-call', [], 'the voice agent asks for appointments of a patient who is not on its call',
      (w) => ['get_appointments', { callId: w.agentCall.id, patientHandle: w.hc2 }]),
    agentRefused('finding.foreign-call-id.mcp-other-tenant', [PT.foreignCall], "tenant A's voice agent names tenant B's call",
      (w) => ['get_appointments', { callId: w.bAgentCall.id, patientHandle: w.bAgentCall.patientId }]),
    agentRefused('finding.foreign-call-id.mcp-unassigned', [PT.foreignCall], 'the voice agent names a call of its tenant that it does not handle',
      (w) => ['get_appointments', { callId: w.hcCall.id, patientHandle: w.hc }]),
    agentRefused('finding.foreign-call-id.mcp-made-up', [PT.foreignCall], 'the voice agent names a call id that does not exist',
      () => ['find_patient', { callId: randomUUID(), phone: '+15035550100', dateOfBirth: '1970-01-01' }]),
    {
      id: 'mcp.agent-on-rest', category: mcp, covers: ['R-AI-6', 'R-AUTHZ-1'],
      title: "the voice agent's /v1 token lists patients over REST (outside its allow-list)", expected: 'HTTP 403',
      async run(w) {
        return expectStatus(await tokenCall(w.origin, w.tokens.agentV1, PATIENTS), [403, 404]);
      },
    },
    {
      id: 'mcp.agent-reads-case-notes', category: mcp, covers: ['R-AI-6', 'R-AUTHZ-1'],
      title: "the voice agent's /v1 token reads its caller's full case notes", expected: 'HTTP 403',
      async run(w) {
        return expectStatus(await tokenCall(w.origin, w.tokens.agentV1, `/v1/patients/${w.agentCall.patientId}/case-notes/full`, { headers: { 'ward-purpose': 'TREAT', 'ward-justification': 'drill' } }), [403, 404]);
      },
    },
    {
      id: 'mcp.unknown-tool', category: mcp, covers: ['R-AI-6'],
      title: 'the voice agent calls a tool that does not exist (an admin-sounding name)', expected: 'an error, nothing done',
      async run(w) {
        const r = await mcpTool(w.origin, w.tokens.agentMcp, 'grant_role', { role: 'Owner' });
        return { pass: r.isError, observed: `HTTP ${r.reply.status}, ${r.isError ? 'error' : 'answered'}` };
      },
    },
  ];
}
