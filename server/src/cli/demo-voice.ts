import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, randomUUID } from 'node:crypto';
import { ERROR_CODES, WardError, type ErrorCode } from '@ward/contracts';
import { generateDemo } from '../modules/demo/index.ts';
import { oauthEndpoints, signRequest } from '../modules/workload/index.ts';
import type { Deps } from '../deps.ts';
import { dpopProof, type DpopKeys, type Send } from './mcp-client.ts';
import { importJWK, SignJWT, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/**
 * The demo voice platform and the demo voice agent (R-AI-6, R-WORK-4), for `ward demo call-start` and
 * `ward demo agent`: they act over HTTP against the running server at WARD_ORIGIN with the demo
 * workloads' keys written by the demo seed (`<data dir>/workloads/<tenant>/<name>.json`), in demo
 * tenants only. The caller's phone, date of birth and postal code are those the demo generator gave
 * its synthetic patients (seed 1, as `npm start` seeds): what a caller would say on the phone.
 */
export interface DemoWorkloadFile { client_id: string; private_jwk: JWK & { kid?: string } }

export const networkSend: Send = (url, init) => fetch(url, init);

export async function requireDemoTenant(deps: Deps, slug: string): Promise<string> {
  const { rows } = await deps.db.systemDb.query<{ id: string; demo: boolean }>("SELECT id, coalesce((settings->>'demo')::boolean, false) AS demo FROM tenants WHERE slug = $1", [slug]);
  if (!rows[0]) throw new WardError('NOT_FOUND', 'No tenant has this slug.');
  if (!rows[0].demo) throw new WardError('FORBIDDEN', 'This tenant was not created by the demo seed: the demo voice platform and agent act in demo tenants only.', { reasons: ['not_a_demo_tenant'] });
  return rows[0].id;
}

export function demoWorkload(deps: Deps, slug: string, name: string): DemoWorkloadFile {
  try {
    return JSON.parse(readFileSync(join(deps.config.dataDir, 'workloads', slug, `${name}.json`), 'utf8')) as DemoWorkloadFile;
  } catch (e) {
    throw new WardError('NOT_FOUND', `No key of the demo ${name} of this tenant: run \`ward demo seed\` (npm start does) first.`, { cause: e });
  }
}

const digits = (s: string) => s.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');

/** The synthetic patient of this tenant with this phone number (of the demo generator, seed 1). */
export function demoCaller(tenantId: string, phone: string) {
  const patient = generateDemo(1).patients.find((p) => p.tenantId === tenantId && digits(p.phone) === digits(phone));
  if (!patient) throw new WardError('USAGE', 'No demo patient of this tenant has this phone number.');
  return patient;
}

/** A problem (RFC 9457) from the server, as the WardError of its code; the server's unavailability otherwise. */
async function refusal(res: Response, what: string): Promise<WardError> {
  const code = ((await res.json().catch(() => ({}))) as { code?: string }).code;
  return code && code in ERROR_CODES ? new WardError(code as ErrorCode, `${what}: ${code}.`) : new WardError('SERVICE_UNAVAILABLE', `${what}: HTTP ${res.status}.`);
}

/** POST /v1/hooks/voice/call-started signed (RFC 9421) by the demo voice platform; returns the call id. */
export async function sendCallStarted(deps: Deps, send: Send, slug: string, input: { agentClientId: string; patientId: string; phiScope: string }): Promise<string> {
  const platform = demoWorkload(deps, slug, 'voice-platform');
  const url = new URL('/v1/hooks/voice/call-started', deps.config.origin);
  const callId = randomUUID();
  const body = JSON.stringify({ callId, phiScope: input.phiScope, patientId: input.patientId, direction: 'inbound', startedAt: deps.clock.now().toISOString(), agentClientId: input.agentClientId });
  const privateKey = createPrivateKey({ key: platform.private_jwk as Record<string, unknown> as never, format: 'jwk' });
  const headers = await signRequest({ method: 'POST', url: url.href, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) },
    { keyid: `${platform.client_id}#${platform.private_jwk.kid}`, alg: 'ecdsa-p256-sha256', privateKey }, { now: deps.clock.now() });
  const res = await send(url, { method: 'POST', headers, body });
  if (res.status !== 201) throw await refusal(res, 'The server refused the call-started webhook');
  return callId;
}

/** A DPoP-bound token for `resource` (RFC 9449), the client authenticated with private_key_jwt (RFC 7523). */
export async function demoAgentToken(deps: Deps, send: Send, agent: DemoWorkloadFile, resource: string): Promise<{ token: string; keys: DpopKeys }> {
  const keys = (await generateKeyPair('ES256')) as { publicKey: CryptoKey; privateKey: CryptoKey };
  const endpoints = oauthEndpoints(deps.config.origin);
  const key = await importJWK(agent.private_jwk, 'ES256');
  let nonce: string | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    const assertion = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: agent.private_jwk.kid }).setIssuer(agent.client_id).setSubject(agent.client_id)
      .setAudience(endpoints.tokenEndpoint).setJti(randomUUID()).setIssuedAt().setExpirationTime('60s').sign(key);
    const res = await send(new URL(endpoints.tokenEndpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await dpopProof(keys, 'POST', endpoints.tokenEndpoint, null, nonce) },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion, resource }).toString(),
    });
    const json = (await res.json()) as { access_token?: string; error?: string };
    if (res.ok && json.access_token) return { token: json.access_token, keys };
    nonce = res.headers.get('dpop-nonce');
    if (json.error !== 'use_dpop_nonce' || !nonce) throw new WardError('FORBIDDEN', `The token endpoint refused the demo agent: ${json.error ?? `HTTP ${res.status}`}.`);
  }
  throw new WardError('FORBIDDEN', 'The token endpoint refused the demo agent twice for its DPoP nonce.');
}
