import { hash, timingSafeEqual, verify as verifySignature, type KeyObject } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, type CryptoKey, type JWK, type ProtectedHeaderParameters } from 'jose';
import { ProofError } from './failures.ts';
import type { ProofKey, ProofKeyCache, ProofPublicJwk } from './key-cache.ts';
import type { NonceSource } from './nonce.ts';

/**
 * The one proof-of-possession verifier (RFC 9449 §4.3) for browser sessions' device proofs (R-SESS-4)
 * and DPoP-bound tokens (R-WORK-2). It runs the checks below in order and refuses at the first that
 * fails, with that check's reason; the jti is spent afterwards in the request's own transaction
 * (`replay-store.ts`), so that verifying costs no write of its own.
 */
export const PROOF_WINDOW_SECONDS = 60;
export const PROOF_MAX_LENGTH = 4096;
/**
 * RFC 9449 §4.3 check 5: the asymmetric JWS algorithms (RFC 7518 §3.3 to §3.5, RFC 8037, and the
 * fully specified Ed25519 of RFC 9864, which oauth4webapi signs with) that jose verifies; never `none`
 * nor a MAC. Workloads' clients use any of them (`dpop_signing_alg_values_supported` lists them).
 */
export const PROOF_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA', 'Ed25519'] as const;
/** RFC 9449 §7.1: the `algs` parameter of every DPoP challenge (RFC 6750 §3 syntax). */
export const DPOP_CHALLENGE_ALGS = `algs="${PROOF_ALGORITHMS.join(' ')}"`;
/** R-SESS-4: browsers' device proofs are ES256 only: Ward's web client makes a WebCrypto P-256 key. */
export const DEVICE_PROOF_ALGORITHMS = ['ES256'] as const;
/** RSA moduli Ward accepts in a proof: NIST's floor (jose's too), and a ceiling on the work per proof. */
export const PROOF_RSA_BITS = { min: 2048, max: 8192 } as const;

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
   * or null when the header is not one well-formed proof or its key is not known yet (an earlier
   * `verify` imports it and computes its thumbprint). Only for starting a lookup by that key while
   * the proof is verified: nothing read with it may be used unless `verify` then returns the same
   * thumbprint.
   */
  claimedThumbprint(header: string | string[] | undefined): string | null;
}

const B64URL_COORDINATE = /^[A-Za-z0-9_-]{43}$/;

/** A percent-encoded octet (RFC 3986 §2.1) and the unreserved characters that need no encoding (§2.3). */
const PERCENT_ENCODED = /%([0-9A-Fa-f]{2})/g;
const UNRESERVED = /^[A-Za-z0-9._~-]$/;

/**
 * The URL a proof must name: scheme, host, port and path; no query, no fragment (§4.3 check 9), after
 * the normalizations the check asks for (RFC 3986 §6.2.2 and §6.2.3): the WHATWG parser lower-cases
 * scheme and host, drops a default port and removes dot segments; here an encoded unreserved character
 * is decoded and any other encoding written in upper case (`%7e` is `~`, `%2f` is `%2F`, never `/`).
 */
export function proofTargetUrl(url: string): string {
  const u = new URL(url);
  const path = u.pathname.includes('%') ? u.pathname.replace(PERCENT_ENCODED, (_, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(c) ? c : `%${hex.toUpperCase()}`;
  }) : u.pathname;
  return `${u.origin}${path}`;
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

/** Each EC algorithm's curve and the length of its base64url coordinates (RFC 7518 §3.4, §6.2.1). */
const EC_CURVES: Record<string, { crv: 'P-256' | 'P-384' | 'P-521'; length: number }> = {
  ES256: { crv: 'P-256', length: 43 }, ES384: { crv: 'P-384', length: 64 }, ES512: { crv: 'P-521', length: 88 },
};
/** Members that only a private key has (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

function coordinate(v: unknown, length: number): v is string {
  return typeof v === 'string' && v.length === length && B64URL.test(v);
}

/** The bit length of a big-endian unsigned integer in base64url, leading zero bytes ignored. */
function bitLength(b64url: string): number {
  const bytes = Buffer.from(b64url, 'base64url');
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i += 1;
  return i === bytes.length ? 0 : (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

/**
 * §4.3 check 7: the header's jwk as a public key of the type `alg` needs, reduced to its RFC 7638
 * required members; a private member refuses the proof, and so does an RSA modulus outside
 * PROOF_RSA_BITS or an exponent over 48 bits.
 */
function publicKeyFor(alg: string, jwk: unknown): ProofPublicJwk {
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) throw new ProofError('jwk');
  const k = jwk as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((m) => m in k)) throw new ProofError('jwk');
  const ec = EC_CURVES[alg];
  if (ec) {
    if (k.kty !== 'EC' || k.crv !== ec.crv || !coordinate(k.x, ec.length) || !coordinate(k.y, ec.length)) throw new ProofError('jwk');
    return { kty: 'EC', crv: ec.crv, x: k.x, y: k.y };
  }
  if (alg === 'EdDSA' || alg === 'Ed25519') {
    if (k.kty !== 'OKP' || k.crv !== 'Ed25519' || !coordinate(k.x, 43)) throw new ProofError('jwk');
    return { kty: 'OKP', crv: 'Ed25519', x: k.x };
  }
  const { n, e } = k;
  if (k.kty !== 'RSA' || typeof n !== 'string' || typeof e !== 'string' || !B64URL.test(n) || !/^[A-Za-z0-9_-]{1,8}$/.test(e) || n.length > 1400) throw new ProofError('jwk');
  const bits = bitLength(n);
  if (bits < PROOF_RSA_BITS.min || bits > PROOF_RSA_BITS.max) throw new ProofError('jwk');
  return { kty: 'RSA', e, n };
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
/** The three parts of a proof whose header asks for nothing beyond a plain JWS: no `crit`, no `b64`, base64url only. */
function plainParts(proof: string, header: ProtectedHeaderParameters): string[] {
  const parts = proof.split('.');
  if ('crit' in header || 'b64' in header || !parts.every((p) => B64URL.test(p))) throw new ProofError('signature');
  return parts;
}

function verifiedPayload(proof: string, header: ProtectedHeaderParameters, key: KeyObject): Buffer {
  const [encodedHeader = '', encodedPayload = '', signature = ''] = plainParts(proof, header);
  if (!ES256_SIGNATURE.test(signature)) throw new ProofError('signature');
  let valid: boolean;
  try {
    valid = verifySignature('sha256', Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  } catch (e) {
    throw new ProofError('signature', { cause: e });
  }
  if (!valid) throw new ProofError('signature');
  return Buffer.from(encodedPayload, 'base64url');
}

/** Any other algorithm of PROOF_ALGORITHMS: the same checks, the signature verified by jose for `alg` alone. */
async function verifiedPayloadOf(proof: string, header: ProtectedHeaderParameters, alg: string, key: CryptoKey): Promise<Buffer> {
  plainParts(proof, header);
  try {
    return Buffer.from((await compactVerify(proof, key, { algorithms: [alg] })).payload);
  } catch (e) {
    throw new ProofError('signature', { cause: e });
  }
}

export function createProofVerifier(deps: {
  clock: { now(): Date };
  keys: ProofKeyCache;
  /** When set, every proof must carry a nonce this source issued (§8); when absent, a nonce is not read. */
  nonces?: NonceSource;
  windowSeconds?: number;
  /** The algorithms accepted, of PROOF_ALGORITHMS; all of them unless narrowed (DEVICE_PROOF_ALGORITHMS). */
  algorithms?: readonly (typeof PROOF_ALGORITHMS)[number][];
}): ProofVerifier {
  const windowSeconds = deps.windowSeconds ?? PROOF_WINDOW_SECONDS;
  const algorithms: readonly unknown[] = deps.algorithms ?? PROOF_ALGORITHMS;

  /** The header's algorithm, if accepted, and its key checked for it (§4.3 checks 5 and 7). */
  function keyOf(h: ProtectedHeaderParameters): { alg: string; jwk: ProofPublicJwk } {
    if (typeof h.alg !== 'string' || !algorithms.includes(h.alg)) throw new ProofError('alg');
    return { alg: h.alg, jwk: publicKeyFor(h.alg, h.jwk) };
  }

  async function verify(header: string | string[] | undefined, expected: ProofExpectation): Promise<VerifiedProof> {
    const proof = oneHeader(header);
    const h = protectedHeader(proof);
    if (h.typ !== 'dpop+jwt') throw new ProofError('typ');
    const { alg, jwk } = keyOf(h);
    // A known key costs no await: the ES256 path stays in this turn of the event loop (R-OPS-1).
    let imported: ProofKey | undefined = deps.keys.known(alg, jwk);
    if (!imported) {
      try {
        imported = await deps.keys.add(alg, jwk);
      } catch (e) {
        throw new ProofError('jwk', { cause: e });
      }
    }

    const payload = alg === 'ES256' ? verifiedPayload(proof, h, imported.key as KeyObject) : await verifiedPayloadOf(proof, h, alg, imported.key as CryptoKey);
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
      const { alg, jwk } = keyOf(protectedHeader(oneHeader(header)));
      return deps.keys.known(alg, jwk)?.thumbprint ?? null;
    } catch {
      return null;
    }
  }

  return { verify, claimedThumbprint };
}
