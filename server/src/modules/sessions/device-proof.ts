import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, EmbeddedJWK, type JWK } from 'jose';
import type { Clock } from '../../deps.ts';

/**
 * R-SESS-4: every request of a browser session carries a proof signed by the browser's
 * non-extractable device key, in the shape of an RFC 9449 DPoP proof: header `typ: dpop+jwt`,
 * `alg: ES256` and the public `jwk`; claims `htm` (method), `htu` (URL without query), `iat`, `jti`.
 * The device is the key's RFC 7638 JWK thumbprint. A proof is fresh within PROOF_WINDOW_SECONDS of
 * the server's clock and used once (jti store). Any doubt refuses the proof (fail closed).
 */
export const PROOF_WINDOW_SECONDS = 60;
export const DEVICE_PROOF_HEADER = 'dpop';

export interface DeviceKey {
  thumbprint: string;
  publicJwk: JWK;
}

export type ProofFailure = 'missing' | 'malformed' | 'signature' | 'method' | 'url' | 'stale' | 'replayed' | 'store_full';

export class DeviceProofError extends Error {
  constructor(readonly reason: ProofFailure) {
    super(`device proof refused: ${reason}`);
    this.name = 'DeviceProofError';
  }
}

/**
 * Seen proof ids, per process, bounded; entries live as long as a proof could still be fresh.
 * A proof replayed to another server process within the window is not caught here; the session
 * cookie and the key binding still hold (docs/authentication.md).
 */
export class JtiStore {
  readonly #seen = new Map<string, number>();
  constructor(readonly maxEntries = 100_000) {}

  /** True when the id is new (and now remembered); false when seen before. Throws when full. */
  remember(key: string, nowMs: number): boolean {
    if (this.#seen.has(key)) {
      if (this.#seen.get(key)! > nowMs) return false;
      this.#seen.delete(key);
    }
    if (this.#seen.size >= this.maxEntries) {
      for (const [k, expiresMs] of this.#seen) if (expiresMs <= nowMs) this.#seen.delete(k);
      if (this.#seen.size >= this.maxEntries) throw new DeviceProofError('store_full');
    }
    this.#seen.set(key, nowMs + 2 * PROOF_WINDOW_SECONDS * 1000);
    return true;
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  if (Array.isArray(v)) return v.length === 1 ? v[0] : undefined;
  return v;
}

/** The URL a proof must name: scheme, host, port and path; no query, no fragment (RFC 9449 §4.3). */
export function proofTargetUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

export async function verifyDeviceProof(
  header: string | string[] | undefined,
  expected: { method: string; url: string },
  deps: { clock: Clock; jtis: JtiStore },
): Promise<DeviceKey> {
  const proof = headerValue(header);
  if (!proof) throw new DeviceProofError('missing');
  if (proof.length > 4096) throw new DeviceProofError('malformed');
  let jwk: JWK;
  try {
    const h = decodeProtectedHeader(proof);
    if (h.typ !== 'dpop+jwt' || h.alg !== 'ES256' || !h.jwk || typeof h.jwk !== 'object') throw new Error('header');
    const { kty, crv, x, y } = h.jwk as JWK;
    if (kty !== 'EC' || crv !== 'P-256' || typeof x !== 'string' || typeof y !== 'string' || 'd' in h.jwk) throw new Error('jwk');
    jwk = { kty, crv, x, y };
  } catch {
    throw new DeviceProofError('malformed');
  }
  let claims: Record<string, unknown>;
  try {
    const { payload } = await compactVerify(proof, EmbeddedJWK, { algorithms: ['ES256'] });
    claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
  } catch {
    throw new DeviceProofError('signature');
  }
  if (!claims || typeof claims !== 'object') throw new DeviceProofError('malformed');
  if (claims.htm !== expected.method.toUpperCase()) throw new DeviceProofError('method');
  let htu: string;
  try {
    htu = proofTargetUrl(String(claims.htu));
  } catch {
    throw new DeviceProofError('url');
  }
  if (htu !== proofTargetUrl(expected.url)) throw new DeviceProofError('url');
  const nowMs = deps.clock.now().getTime();
  if (typeof claims.iat !== 'number' || Math.abs(nowMs / 1000 - claims.iat) > PROOF_WINDOW_SECONDS) throw new DeviceProofError('stale');
  if (typeof claims.jti !== 'string' || claims.jti.length < 16 || claims.jti.length > 128) throw new DeviceProofError('malformed');
  const thumbprint = await calculateJwkThumbprint(jwk, 'sha256');
  if (!deps.jtis.remember(`${thumbprint}:${claims.jti}`, nowMs)) throw new DeviceProofError('replayed');
  return { thumbprint, publicJwk: jwk };
}
