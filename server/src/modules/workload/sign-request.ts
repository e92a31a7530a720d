import { randomBytes, type KeyObject } from 'node:crypto';
import { createSigner, httpbis } from 'http-message-signatures';
import { contentDigest } from './content-digest.ts';

/**
 * Signs an outbound request with HTTP Message Signatures (RFC 9421; R-WORK-4), the way Ward's signed
 * hooks expect it and the way Ward signs its own alerts: the signature covers `@method`,
 * `@target-uri` and `content-digest` (RFC 9530, sha-256 of the body), with `created`, `keyid`,
 * `alg` and a fresh `nonce`. The signature base is built by http-message-signatures.
 */
export const SIGNED_COMPONENTS = ['@method', '@target-uri', 'content-digest'] as const;
/** A signature older than this is refused (and its nonce is remembered this long, plus the skew). */
export const SIGNATURE_MAX_AGE_SECONDS = 60;
/** How far a signer's clock may run ahead of Ward's. */
export const SIGNATURE_CLOCK_SKEW_SECONDS = 5;

export type SignatureAlgorithm = 'ecdsa-p256-sha256' | 'ed25519';

export interface RequestSigningKey {
  keyid: string;
  alg: SignatureAlgorithm;
  privateKey: KeyObject;
}

export interface SignableRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** The headers to send: the request's own, plus Content-Digest, Signature-Input and Signature. */
export async function signRequest(req: SignableRequest, key: RequestSigningKey, opts: { now: Date; nonce?: string; label?: string }): Promise<Record<string, string>> {
  const headers: Record<string, string> = { ...req.headers, 'content-digest': contentDigest(req.body) };
  const signed = await httpbis.signMessage({
    key: createSigner(key.privateKey, key.alg, key.keyid),
    name: opts.label ?? 'ward',
    fields: [...SIGNED_COMPONENTS],
    params: ['created', 'keyid', 'alg', 'nonce'],
    paramValues: { created: opts.now, nonce: opts.nonce ?? randomBytes(16).toString('base64url') },
  }, { method: req.method, url: req.url, headers });
  // Header names in lower case, as HTTP/2 and Node's incoming messages spell them.
  return Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/** The RFC 9421 algorithm of a public JWK Ward accepts (EC P-256 or Ed25519), or null. */
export function signatureAlgorithmOf(jwk: { kty?: unknown; crv?: unknown }): SignatureAlgorithm | null {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ecdsa-p256-sha256';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'ed25519';
  return null;
}
