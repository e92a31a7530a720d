import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { oauthEndpoints, signRequest } from '../modules/workload/index.ts';
import { dpopProof, type DpopKeys } from '../cli/mcp-client.ts';
import { softPasskey, type CeremonyTweaks, type SoftPasskey } from './authenticator.ts';

/**
 * The drill's clients, each as a real one talks to Ward over the network: a person (passkey, session
 * cookie, a device key that signs a proof for every request), a workload (private_key_jwt, DPoP-bound
 * tokens) and an IdP's SCIM client (a bearer token).
 */
export interface Reply {
  status: number;
  code: string;
  text: string;
  json: Record<string, unknown>;
  headers: Headers;
}

export interface Call {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The raw body (already serialised), for hostile bytes. */
  raw?: string | Buffer;
}

export async function send(origin: string, path: string, c: Call = {}): Promise<Reply> {
  const method = c.method ?? 'GET';
  const headers: Record<string, string> = { ...(c.headers ?? {}) };
  let body: string | Buffer | undefined = c.raw;
  if (c.body !== undefined) {
    body = JSON.stringify(c.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(new URL(path, origin), { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    // not JSON: the text is kept
  }
  const code = typeof json.code === 'string' ? json.code : typeof json.error === 'string' ? json.error : '';
  return { status: res.status, code, text, json, headers: res.headers };
}

/** "HTTP 404 NOT_FOUND": what a scenario observed. */
export const seen = (r: Reply) => `HTTP ${r.status}${r.code ? ` ${r.code}` : ''}`;

export interface DeviceKey {
  jwk: JWK;
  proof(method: string, url: string, opts?: { iat?: number; jti?: string }): Promise<string>;
}

export async function deviceKey(): Promise<DeviceKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const full = await exportJWK(publicKey);
  const jwk: JWK = { kty: full.kty, crv: full.crv, x: full.x, y: full.y };
  return {
    jwk,
    proof: (method, url, opts = {}) => new SignJWT({ htm: method, htu: url, jti: opts.jti ?? randomUUID() })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
      .setIssuedAt(opts.iat ?? Math.floor(Date.now() / 1000))
      .sign(privateKey),
  };
}

export interface Person {
  email: string;
  memberId: string;
  tenantId: string;
  passkey: SoftPasskey;
  device: DeviceKey;
  cookie: string;
  /** A request with the session cookie, a fresh device proof and Ward's Origin (what the dashboard sends). */
  call(path: string, c?: Call & { proof?: string | null; cookie?: string | null; origin?: string | null }): Promise<Reply>;
  /** A step-up: a user verification with the passkey, for this session. */
  stepUp(): Promise<Reply>;
}

/** The URL a proof names: origin and path, no query (RFC 9449 §4.2 htu). */
export const htu = (origin: string, path: string) => `${origin}${path.split('?')[0]}`;

function cookieOf(r: Reply): string {
  const line = r.headers.get('set-cookie') ?? '';
  return line.split(';')[0] ?? '';
}

export async function passkeyCeremony(origin: string, device: DeviceKey, kind: 'enroll' | 'recover', token: string, passkey: SoftPasskey, tweaks?: CeremonyTweaks): Promise<Reply> {
  const post = async (path: string, body: unknown) =>
    send(origin, path, { method: 'POST', body, headers: { origin, dpop: await device.proof('POST', htu(origin, path)) } });
  const options = await post(`/v1/auth/${kind}/options`, { token });
  if (options.status !== 200) return options;
  const response = passkey.register(options.json as never, tweaks);
  return post(`/v1/auth/${kind}/verify`, { token, response });
}

/** A member enrolls from their one-time link, as the enrollment page does, and is signed in. */
export async function enroll(origin: string, member: { email: string; id: string; tenantId: string }, token: string): Promise<Person> {
  const device = await deviceKey();
  const passkey = softPasskey(origin);
  const r = await passkeyCeremony(origin, device, 'enroll', token, passkey);
  if (r.status !== 200) throw new Error(`enrollment of a drill member failed: ${seen(r)}`);
  return personWith(origin, member, device, passkey, cookieOf(r));
}

export function personWith(origin: string, member: { email: string; id: string; tenantId: string }, device: DeviceKey, passkey: SoftPasskey, cookie: string): Person {
  const person: Person = {
    email: member.email, memberId: member.id, tenantId: member.tenantId, passkey, device, cookie,
    async call(path, c = {}) {
      const method = c.method ?? 'GET';
      const headers: Record<string, string> = { ...(c.headers ?? {}) };
      const cookieValue = c.cookie === undefined ? person.cookie : c.cookie;
      if (cookieValue) headers.cookie = cookieValue;
      const proof = c.proof === undefined ? await device.proof(method, htu(origin, path)) : c.proof;
      if (proof) headers.dpop = proof;
      const o = c.origin === undefined ? origin : c.origin;
      if (o && method !== 'GET') headers.origin = o;
      return send(origin, path, { ...c, method, headers });
    },
    async stepUp() {
      const options = await person.call('/v1/auth/step-up/options', { method: 'POST' });
      if (options.status !== 200) return options;
      return person.call('/v1/auth/step-up/verify', { method: 'POST', body: { response: person.passkey.assert(options.json as never) } });
    },
  };
  return person;
}

/** Usernameless sign-in with an enrolled passkey on a device key: a new session cookie. */
export async function signInAgain(origin: string, p: Person, tweaks?: CeremonyTweaks): Promise<{ reply: Reply; response?: Record<string, unknown> }> {
  const post = async (path: string, body?: unknown) =>
    send(origin, path, { method: 'POST', body: body ?? {}, headers: { origin, dpop: await p.device.proof('POST', htu(origin, path)) } });
  const options = await post('/v1/auth/sign-in/options');
  if (options.status !== 200) return { reply: options };
  const response = p.passkey.assert(options.json as never, tweaks);
  const reply = await post('/v1/auth/sign-in/verify', { response });
  return { reply, response };
}

export async function postSignIn(origin: string, device: DeviceKey, response: Record<string, unknown>): Promise<Reply> {
  const path = '/v1/auth/sign-in/verify';
  return send(origin, path, { method: 'POST', body: { response }, headers: { origin, dpop: await device.proof('POST', htu(origin, path)) } });
}

export { cookieOf };

/** A registered workload, from the key file the drill's provisioning wrote (0600). */
export interface WorkloadKey { client_id: string; private_jwk: JWK & { kid?: string } }

export function readWorkloadKey(path: string): WorkloadKey {
  return JSON.parse(readFileSync(path, 'utf8')) as WorkloadKey;
}

export interface WorkloadToken { token: string; keys: DpopKeys }

export async function newDpopKeys(): Promise<DpopKeys> {
  return (await generateKeyPair('ES256')) as { publicKey: CryptoKey; privateKey: CryptoKey };
}

/** client_credentials with private_key_jwt (RFC 7523), DPoP-bound (RFC 9449), for a resource (RFC 8707). */
export async function workloadToken(origin: string, w: WorkloadKey, resource: string, keys?: DpopKeys): Promise<{ reply: Reply; token?: WorkloadToken }> {
  const k = keys ?? (await newDpopKeys());
  const endpoints = oauthEndpoints(new URL(origin));
  const key = await importJWK(w.private_jwk, 'ES256');
  let nonce: string | null = null;
  let reply: Reply | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const assertion = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: w.private_jwk.kid }).setIssuer(w.client_id).setSubject(w.client_id)
      .setAudience(endpoints.tokenEndpoint).setJti(randomUUID()).setIssuedAt().setExpirationTime('60s').sign(key);
    reply = await send(origin, '/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await dpopProof(k, 'POST', endpoints.tokenEndpoint, null, nonce) },
      raw: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion, resource }).toString(),
    });
    if (reply.status === 200 && typeof reply.json.access_token === 'string') return { reply, token: { token: reply.json.access_token, keys: k } };
    nonce = reply.headers.get('dpop-nonce');
    if (reply.code !== 'use_dpop_nonce' || !nonce) break;
  }
  return { reply: reply! };
}

/** A request with a DPoP-bound token: `Authorization: DPoP`, a fresh proof with ath and the server's nonce. */
export async function tokenCall(origin: string, t: WorkloadToken, path: string, c: Call & { proof?: string; scheme?: string } = {}): Promise<Reply> {
  const method = c.method ?? 'GET';
  let nonce: string | null = null;
  let reply: Reply | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const proof = c.proof ?? (await dpopProof(t.keys, method, htu(origin, path), t.token, nonce));
    reply = await send(origin, path, { ...c, method, headers: { accept: 'application/json, text/event-stream', ...(c.headers ?? {}), authorization: `${c.scheme ?? 'DPoP'} ${t.token}`, dpop: proof } });
    const fresh = reply.headers.get('dpop-nonce');
    if (c.proof || reply.status !== 401 || !fresh || fresh === nonce || !(reply.headers.get('www-authenticate') ?? '').includes('use_dpop_nonce')) break;
    nonce = fresh;
  }
  return reply!;
}

/** One MCP tools/call as JSON-RPC over Streamable HTTP (the SDK client's bytes, without its session). */
export async function mcpTool(origin: string, t: WorkloadToken, name: string, args: Record<string, unknown>): Promise<{ reply: Reply; isError: boolean; result: Record<string, unknown> }> {
  const reply = await tokenCall(origin, t, '/mcp', { method: 'POST', body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } } });
  const result = (reply.json.result ?? {}) as { isError?: boolean; content?: { text?: string }[] };
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(result.content?.[0]?.text ?? '{}') as Record<string, unknown>;
  } catch {
    // a tool's text that is not JSON
  }
  return { reply, isError: result.isError === true || reply.status !== 200 || 'error' in reply.json, result: body };
}

/** POST /v1/hooks/voice/call-started signed (RFC 9421) by the tenant's voice platform. */
export async function callStarted(origin: string, platform: WorkloadKey, input: { callId: string; phiScope: string; patientId: string; agentClientId: string }): Promise<Reply> {
  const url = new URL('/v1/hooks/voice/call-started', origin);
  const body = JSON.stringify({ ...input, direction: 'inbound', startedAt: new Date().toISOString() });
  const privateKey = createPrivateKey({ key: platform.private_jwk as Record<string, unknown> as never, format: 'jwk' });
  const headers = await signRequest({ method: 'POST', url: url.href, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) },
    { keyid: `${platform.client_id}#${platform.private_jwk.kid}`, alg: 'ecdsa-p256-sha256', privateKey }, { now: new Date() });
  return send(origin, url.pathname, { method: 'POST', headers, raw: body });
}
