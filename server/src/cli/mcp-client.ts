import { createHash, randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { exportJWK, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * The MCP SDK's own client over Streamable HTTP with a DPoP-bound token (R-AI-6, RFC 9449): each
 * request carries `Authorization: DPoP <token>` and a fresh proof (htm, htu, ath, the server's
 * nonce, learnt from a `use_dpop_nonce` refusal and retried once). `send` is how bytes reach Ward:
 * an in-process inject() in tests, the network in `ward demo agent` and the bench.
 */
export interface DpopKeys { publicKey: CryptoKey; privateKey: CryptoKey }
export type Send = (url: URL, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<Response>;

export async function dpopProof(keys: DpopKeys, method: string, url: string, accessToken: string | null, nonce: string | null): Promise<string> {
  const jwk: JWK = await exportJWK(keys.publicKey);
  return new SignJWT({
    htm: method, htu: url, jti: randomUUID(),
    ...(accessToken ? { ath: createHash('sha256').update(accessToken).digest('base64url') } : {}),
    ...(nonce ? { nonce } : {}),
  }).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! } }).setIssuedAt().sign(keys.privateKey);
}

/** A fetch for the SDK's transport that presents the token with a DPoP proof, learning nonces as it goes. */
export function dpopFetch(send: Send, token: string, keys: DpopKeys): typeof fetch {
  let nonce: string | null = null;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const method = init?.method ?? 'GET';
    const base = Object.fromEntries(new Headers(init?.headers).entries());
    const body = init?.body ? String(init.body) : undefined;
    const attempt = async () => send(url, {
      method, body,
      headers: { ...base, authorization: `DPoP ${token}`, dpop: await dpopProof(keys, method, `${url.origin}${url.pathname}`, token, nonce) },
    });
    let res = await attempt();
    const fresh = res.headers.get('dpop-nonce');
    if (fresh) nonce = fresh;
    if (res.status === 401 && fresh && (res.headers.get('www-authenticate') ?? '').includes('use_dpop_nonce')) res = await attempt();
    const next = res.headers.get('dpop-nonce');
    if (next) nonce = next;
    return res;
  }) as typeof fetch;
}

export async function connectMcp(origin: string, send: Send, token: string, keys: DpopKeys): Promise<Client> {
  const client = new Client({ name: 'ward-demo-agent', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', origin), { fetch: dpopFetch(send, token, keys) }));
  return client;
}
