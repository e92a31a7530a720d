import { WardError } from '@ward/contracts';
import { createLocalJWKSet, type JWK, type JSONWebKeySet } from 'jose';

/**
 * A workload's public JWK Set, as `ward workload create` and `rotate-keys` read it (R-WORK-1,
 * RFC 7523 private_key_jwt): one to five public keys, with distinct `kid`s: EC P-256 (ES256), EC P-384
 * (ES384), Ed25519 (EdDSA) or RSA of at least 2048 bits (RS256 or PS256, the keys most OAuth client
 * libraries sign assertions with; one of them only when the JWK names its `alg`). A private member
 * (`d`, …) anywhere refuses the whole set: Ward never holds a workload's secret, and one pasted by
 * mistake must not be stored. The metadata's `token_endpoint_auth_signing_alg_values_supported` is
 * this list.
 */
export const CLIENT_ASSERTION_ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'] as const;
const RSA_ALGORITHMS: readonly string[] = ['RS256', 'PS256'];
const RSA_MIN_BITS = 2048;

const B64URL = /^[A-Za-z0-9_-]+$/;

/** The size of an RSA modulus in bits, from its base64url big-endian bytes (RFC 7518 §6.3.1.1). */
function modulusBits(n: string): number {
  const bytes = Buffer.from(n, 'base64url');
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

function publicKeyOf(raw: unknown): JWK {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw keysInvalid('a key is not a JSON object');
  const k = raw as Record<string, unknown>;
  if (['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'].some((m) => m in k)) throw keysInvalid('a key holds private material; give public keys only');
  const kid = k.kid === undefined ? undefined : String(k.kid);
  if (kid !== undefined && !/^[A-Za-z0-9._-]{1,128}$/.test(kid)) throw keysInvalid('a kid is not 1 to 128 letters, digits, dots, dashes or underscores');
  const base = kid ? { kid } : {};
  if (k.kty === 'EC' && k.crv === 'P-256' && typeof k.x === 'string' && typeof k.y === 'string' && B64URL.test(k.x) && B64URL.test(k.y)) {
    return { kty: 'EC', crv: 'P-256', x: k.x, y: k.y, alg: 'ES256', use: 'sig', ...base };
  }
  if (k.kty === 'EC' && k.crv === 'P-384' && typeof k.x === 'string' && typeof k.y === 'string' && B64URL.test(k.x) && B64URL.test(k.y)) {
    return { kty: 'EC', crv: 'P-384', x: k.x, y: k.y, alg: 'ES384', use: 'sig', ...base };
  }
  if (k.kty === 'OKP' && k.crv === 'Ed25519' && typeof k.x === 'string' && B64URL.test(k.x)) {
    return { kty: 'OKP', crv: 'Ed25519', x: k.x, alg: 'EdDSA', use: 'sig', ...base };
  }
  if (k.kty === 'RSA' && typeof k.n === 'string' && typeof k.e === 'string' && B64URL.test(k.n) && B64URL.test(k.e)) {
    if (modulusBits(k.n) < RSA_MIN_BITS) throw keysInvalid(`an RSA key has fewer than ${RSA_MIN_BITS} bits`);
    if (k.alg !== undefined && !RSA_ALGORITHMS.includes(String(k.alg))) throw keysInvalid('an RSA key names an alg other than RS256 or PS256');
    return { kty: 'RSA', n: k.n, e: k.e, ...(k.alg !== undefined ? { alg: String(k.alg) } : {}), use: 'sig', ...base };
  }
  throw keysInvalid('a key is not EC P-256 or P-384, OKP Ed25519, or RSA');
}

function keysInvalid(why: string): WardError {
  return new WardError('WORKLOAD_KEYS_INVALID', `The JWK Set is not valid: ${why}.`);
}

/** Checks a JWK Set text and keeps only the public members Ward needs. */
export function parseWorkloadJwks(text: string): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw keysInvalid('it is not JSON');
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > 5) throw keysInvalid('it needs a "keys" array of 1 to 5 public keys');
  const out = keys.map(publicKeyOf);
  const kids = out.map((k) => k.kid).filter((k) => k !== undefined);
  if (new Set(kids).size !== kids.length) throw keysInvalid('two keys share a kid');
  if (out.length > 1 && kids.length !== out.length) throw keysInvalid('with more than one key, every key needs a kid');
  for (const k of out) {
    try {
      createLocalJWKSet({ keys: [k] }); // shape check; the key itself is imported on first use
    } catch {
      throw keysInvalid('a key could not be read');
    }
  }
  return { keys: out };
}
