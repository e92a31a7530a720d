import { hash, timingSafeEqual, verify as verifySignature, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, type JWK, type ProtectedHeaderParameters } from 'jose';
import { ProofError } from './failures.ts';
import type { EcPublicJwk, ProofKeyCache } from './key-cache.ts';
import type { NonceSource } from './nonce.ts';

/**
 * The one proof-of-possession verifier (RFC 9449 §4.3) for browser sessions' device proofs (R-SESS-4)
 * and DPoP-bound tokens (R-WORK-2). It runs the checks below in order and refuses at the first that
 * fails, with that check's reason; the jti is spent afterwards in the request's own transaction
 * (`replay-store.ts`), so that verifying costs no write of its own.
 */
export const PROOF_WINDOW_SECONDS = 60;
export const PROOF_MAX_LENGTH = 4096;
/** ES256 only: the browsers' WebCrypto device keys and the workloads' keys are P-256. */
export const PROOF_ALGORITHMS = ['ES256'] as const;

export interface ProofExpectation {
  /** The request's method. */
  method: string;
  /** The request's URL as Ward serves it (built from WARD_ORIGIN, never from the Host header). */
  url: string;
  /** The access token presented with the proof, when there is one (§4.3 check 12: ath). */
  accessToken?: string;
}

export interface VerifiedProof {
  /** RFC 7638 thumbprint of the proof's key: the device, or the key a token is bound to (`cnf.jkt`). */
  thumbprint: string;
  publicJwk: JWK;
  jti: string;
  /** The replay store's key: SHA-256 of thumbprint and jti, so one key's ids never collide with another's. */
  replayKey: Buffer;
  /** The last instant the proof is acceptable; the replay store keeps its jti until then. */
  usableUntil: Date;
}

export interface ProofVerifier {
  verify(header: string | string[] | undefined, expected: ProofExpectation): Promise<VerifiedProof>;
  /**
   * The thumbprint of the key a proof header claims to be signed with, read without verifying anything,
   * or null when the header is not one well-formed proof. Only for starting a lookup by that key while
   * the proof is verified: nothing read with it may be used unless `verify` then returns the same
   * thumbprint.
   */
  claimedThumbprint(header: string | string[] | undefined): string | null;
}

const B64URL_COORDINATE = /^[A-Za-z0-9_-]{43}$/;

/** The URL a proof must name: scheme, host, port and path; no query, no fragment (§4.3 check 9). */
export function proofTargetUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/** §4.2: ath is base64url(SHA-256(ASCII access token)). */
export function accessTokenHash(accessToken: string): string {
  return hash('sha256', Buffer.from(accessToken, 'ascii'), 'base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function oneHeader(header: string | string[] | undefined): string {
  if (header === undefined || header === '' || (Array.isArray(header) && header.length === 0)) throw new ProofError('missing');
  if (Array.isArray(header)) {
    if (header.length > 1) throw new ProofError('multiple');
    return oneHeader(header[0]);
  }
  // Node joins repeated unknown headers with ", ": a comma never occurs in a compact JWS.
  if (header.includes(',')) throw new ProofError('multiple');
  if (header.length > PROOF_MAX_LENGTH || header.split('.').length !== 3) throw new ProofError('malformed');
  return header;
}

// The last header decoded, with the proof it came from: the session link reads the claimed key of a
// proof and then verifies the same proof, so it is decoded once (R-OPS-1). Only an identical proof
// string is served from here, and nothing changes the decoded header.
let lastDecoded: { proof: string; header: ProtectedHeaderParameters } | undefined;

function protectedHeader(proof: string): ProtectedHeaderParameters {
  if (lastDecoded?.proof === proof) return lastDecoded.header;
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(proof);
  } catch (e) {
    throw new ProofError('malformed', { cause: e });
  }
  lastDecoded = { proof, header };
  return header;
}

function publicEcKey(jwk: unknown): EcPublicJwk {
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) throw new ProofError('jwk');
  const k = jwk as Record<string, unknown>;
  // §4.3 check 7: a public key only; a private member ("d") refuses the proof.
  if (k.kty !== 'EC' || k.crv !== 'P-256' || 'd' in k) throw new ProofError('jwk');
  if (typeof k.x !== 'string' || typeof k.y !== 'string' || !B64URL_COORDINATE.test(k.x) || !B64URL_COORDINATE.test(k.y)) throw new ProofError('jwk');
  return { kty: 'EC', crv: 'P-256', x: k.x, y: k.y };
}

const B64URL = /^[A-Za-z0-9_-]+$/;
/** An ES256 signature: r ‖ s, 64 bytes (RFC 7518 §3.4), in unpadded base64url. */
const ES256_SIGNATURE = /^[A-Za-z0-9_-]{86}$/;

/**
 * The payload of a compact JWS (RFC 7515 §7.1) whose ES256 signature `key` verifies; the algorithm
 * has been checked against PROOF_ALGORITHMS and the key is a P-256 public key (key-cache.ts). The
 * signature is checked over the ASCII of `header.payload` with node:crypto in this thread: the
 * checks of a JWS library's compact verification, without a WebCrypto job sent to the thread pool and
 * back on every request (R-OPS-1). Stricter where a proof needs nothing more: a critical (`crit`) or
 * unencoded-payload (`b64`) header parameter, a part that is not base64url, or a signature in another
 * encoding (DER) refuses the proof.
 */
function verifiedPayload(proof: string, header: ProtectedHeaderParameters, key: KeyObject): Buffer {
  const [encodedHeader = '', encodedPayload = '', signature = ''] = proof.split('.');
  if ('crit' in header || 'b64' in header) throw new ProofError('signature');
  if (!B64URL.test(encodedHeader) || !B64URL.test(encodedPayload) || !ES256_SIGNATURE.test(signature)) throw new ProofError('signature');
  let valid: boolean;
  try {
    valid = verifySignature('sha256', Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  } catch (e) {
    throw new ProofError('signature', { cause: e });
  }
  if (!valid) throw new ProofError('signature');
  return Buffer.from(encodedPayload, 'base64url');
}

export function createProofVerifier(deps: {
  clock: { now(): Date };
  keys: ProofKeyCache;
  /** When set, every proof must carry a nonce this source issued (§8); when absent, a nonce is not read. */
  nonces?: NonceSource;
  windowSeconds?: number;
}): ProofVerifier {
  const windowSeconds = deps.windowSeconds ?? PROOF_WINDOW_SECONDS;

  async function verify(header: string | string[] | undefined, expected: ProofExpectation): Promise<VerifiedProof> {
    const proof = oneHeader(header);
    const h = protectedHeader(proof);
    if (h.typ !== 'dpop+jwt') throw new ProofError('typ');
    if (!(PROOF_ALGORITHMS as readonly unknown[]).includes(h.alg)) throw new ProofError('alg');
    const jwk = publicEcKey(h.jwk);
    let imported;
    try {
      imported = deps.keys.get(jwk);
    } catch (e) {
      throw new ProofError('jwk', { cause: e });
    }

    const payload = verifiedPayload(proof, h, imported.key);
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new ProofError('malformed', { cause: e });
    }
    if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new ProofError('malformed');

    const { jti, htm, htu, iat, ath, nonce } = claims;
    if (typeof jti !== 'string' || jti.length < 16 || jti.length > 128) throw new ProofError('jti');
    if (htm !== expected.method.toUpperCase()) throw new ProofError('htm');
    let named: string;
    try {
      named = proofTargetUrl(String(htu));
    } catch (e) {
      throw new ProofError('htu', { cause: e });
    }
    if (typeof htu !== 'string' || named !== proofTargetUrl(expected.url)) throw new ProofError('htu');
    const nowSeconds = deps.clock.now().getTime() / 1000;
    if (typeof iat !== 'number' || !Number.isFinite(iat) || Math.abs(nowSeconds - iat) > windowSeconds) throw new ProofError('iat');
    if (expected.accessToken === undefined ? ath !== undefined : typeof ath !== 'string' || !sameText(ath, accessTokenHash(expected.accessToken))) {
      throw new ProofError('ath');
    }
    if (deps.nonces && (typeof nonce !== 'string' || !deps.nonces.isValid(nonce))) throw new ProofError('nonce');

    return {
      thumbprint: imported.thumbprint,
      publicJwk: jwk,
      jti,
      // One-shot SHA-256 (UTF-8 of the text, as Hash.update takes a string): no Hash object per proof (R-OPS-1).
      replayKey: hash('sha256', `${imported.thumbprint}:${jti}`, 'buffer'),
      usableUntil: new Date((iat + windowSeconds) * 1000),
    };
  }

  function claimedThumbprint(header: string | string[] | undefined): string | null {
    try {
      return deps.keys.thumbprint(publicEcKey(protectedHeader(oneHeader(header)).jwk));
    } catch {
      return null;
    }
  }

  return { verify, claimedThumbprint };
}
