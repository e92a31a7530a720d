import { send, seen, tokenCall, workloadToken } from '../clients.ts';
import type { Scenario } from '../scenario.ts';
import { PT, TM } from './boundaries.ts';

/**
 * What an answer carries and where Ward may be sent (R-DATA-4, R-WORK-2, R-WORK-4, R-AI-6): the
 * security headers on API answers, one JSON-RPC message per MCP request, a form body only at the
 * token endpoint, a token limit that forged assertions cannot use up, and an outbound call refused
 * when a setting names a metadata address.
 */
export function hygieneScenarios(): Scenario[] {
  return [
    {
      id: 'finding.api-security-headers', category: 'response hygiene', covers: [PT.securityHeaders, 'R-DATA-4'],
      title: 'an API answer (GET /v1/me) is nosniff, unframeable, sends no Referer, and carries HSTS on an https origin',
      expected: "nosniff, frame-ancestors 'none', no-referrer; Strict-Transport-Security when the origin is https",
      async run(w) {
        const r = await w.people.agent.call('/v1/me');
        const h = (name: string) => r.headers.get(name) ?? '';
        const hsts = !w.origin.startsWith('https:') || h('strict-transport-security').includes('max-age=');
        const pass = r.status === 200 && h('x-content-type-options') === 'nosniff' && h('content-security-policy').includes("frame-ancestors 'none'") && h('referrer-policy') === 'no-referrer' && hsts;
        return { pass, observed: `${seen(r)}; nosniff ${h('x-content-type-options') || 'absent'}, CSP ${h('content-security-policy') || 'absent'}, Referrer-Policy ${h('referrer-policy') || 'absent'}, HSTS ${h('strict-transport-security') || 'absent'}` };
      },
    },
    {
      id: 'finding.401-challenge', category: 'response hygiene', covers: [PT.noChallenge, 'R-WORK-2'],
      title: 'a request without any credential to /v1/me and to /scim/v2/Users', expected: 'HTTP 401 with WWW-Authenticate: DPoP on the API, Bearer on SCIM',
      async run(w) {
        const api = await send(w.origin, '/v1/me');
        const scim = await send(w.origin, '/scim/v2/Users');
        const a = api.headers.get('www-authenticate') ?? '';
        const b = scim.headers.get('www-authenticate') ?? '';
        return { pass: api.status === 401 && a.startsWith('DPoP') && scim.status === 401 && b.startsWith('Bearer'), observed: `${seen(api)} ${a || 'no challenge'}; ${seen(scim)} ${b || 'no challenge'}` };
      },
    },
    {
      id: 'finding.mcp-batch', category: 'MCP calls beyond role or call', covers: [PT.mcpBatch, 'R-AI-6'],
      title: 'the voice agent sends three tools/call in one JSON-RPC batch on one DPoP proof', expected: 'HTTP 400 with JSON-RPC -32600; no tool runs',
      async run(w) {
        const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'get_call_summary', arguments: { callId: w.agentCall.id } } });
        const r = await tokenCall(w.origin, w.tokens.agentMcp, '/mcp', { method: 'POST', body: [call(1), call(2), call(3)] });
        return { pass: r.status === 400 && r.text.includes('-32600'), observed: `${seen(r)}${r.text.includes('-32600') ? ' -32600' : ''}` };
      },
    },
    {
      id: 'finding.mcp-foreign-origin', category: 'MCP calls beyond role or call', covers: [PT.mcpOrigin, 'R-AI-6'],
      title: "the voice agent's own token and proof, sent with another site's Origin (a DNS-rebound page)", expected: 'HTTP 403 with JSON-RPC -32000; no tool runs',
      async run(w) {
        const body = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_call_summary', arguments: { callId: w.agentCall.id } } };
        const r = await tokenCall(w.origin, w.tokens.agentMcp, '/mcp', { method: 'POST', body, headers: { origin: 'https://rebound.drill.invalid' } });
        return { pass: r.status === 403 && r.text.includes('-32000'), observed: seen(r) };
      },
    },
    {
      id: 'finding.sso-slug-oracle', category: 'response hygiene', covers: [PT.ssoSlug, 'R-AUTHN-2'],
      title: "GET /sso/<slug> of tenant A (no SSO) and of a slug no tenant has", expected: 'the same status (404) and the same page',
      async run(w) {
        const known = await send(w.origin, `/sso/${w.a.slug}`);
        const unknown = await send(w.origin, `/sso/${w.a.slug}-none`);
        return { pass: known.status === 404 && unknown.status === 404 && known.text === unknown.text, observed: `${seen(known)} / ${seen(unknown)}; pages ${known.text === unknown.text ? 'identical' : 'differ'}` };
      },
    },
    {
      id: 'finding.token-endpoint-text-plain', category: 'DPoP token replay and audience confusion', covers: [PT.tokenForm, 'R-WORK-2'],
      title: 'a form sent to /oauth/token as text/plain (what any page may post without a preflight)', expected: 'HTTP 400 invalid_request',
      async run(w) {
        const r = await send(w.origin, '/oauth/token', { method: 'POST', headers: { 'content-type': 'text/plain' }, raw: 'grant_type=client_credentials' });
        return { pass: r.status === 400 && r.code === 'invalid_request', observed: seen(r) };
      },
    },
    {
      id: 'finding.token-limit-lockout', category: 'DPoP token replay and audience confusion', covers: [PT.clientLockout, 'R-WORK-2', 'R-MON-1'],
      title: "61 forged client assertions naming the voice agent's client_id, then the agent asks for a token", expected: 'each forged one HTTP 401 invalid_client; the agent still gets its token (HTTP 200)',
      async run(w) {
        const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const id = w.keys.voiceAgent.client_id;
        const forged = `${b64({ alg: 'ES256' })}.${b64({ iss: id, sub: id, aud: `${w.origin}/oauth/token`, exp: Math.floor(Date.now() / 1000) + 60, jti: `drill-forged-${Date.now()}` })}.${'A'.repeat(86)}`;
        const form = new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: forged }).toString();
        let refused = 0;
        for (let i = 0; i < 61; i++) {
          const r = await send(w.origin, '/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, raw: form });
          if (r.code === 'invalid_client') refused += 1;
        }
        const { reply } = await workloadToken(w.origin, w.keys.voiceAgent, `${w.origin}/mcp`);
        return { pass: refused === 61 && reply.status === 200, observed: `${refused} of 61 forged refused as invalid_client; the agent's own request ${seen(reply)}` };
      },
    },
    {
      id: 'egress.sso-metadata-address', category: 'server-side request forgery', covers: [TM.ssrf, 'R-WORK-4'],
      title: "the Owner, stepped up, proposes the tenant's SSO at the cloud metadata address", expected: 'HTTP 400 SSO_ISSUER_INVALID or 502 EGRESS_REFUSED; no connection stored',
      async run(w) {
        const up = await w.people.owner.stepUp();
        // Another issuer is proposed (0120), after the same discovery through the egress policy.
        const r = await w.people.owner.call('/v1/sso/connection-requests', { method: 'POST', body: { issuer: 'https://169.254.169.254/latest', clientId: 'drill', clientSecret: 'drill-secret', linkBy: 'subject', mfaAcr: [] } });
        const now = await w.people.owner.call('/v1/sso/connection');
        const stored = now.text.includes('169.254.169.254');
        // A step-up the ceremony limit refused leaves the world's own (fresh) one: the PUT says which.
        return { pass: [400, 502].includes(r.status) && !stored, observed: `step-up ${seen(up)}; PUT ${seen(r)}; ${stored ? 'the connection was stored' : 'nothing stored'}` };
      },
    },
  ];
}
