import { WardError } from '@ward/contracts';
import { createLocalJWKSet, type JWK, type JSONWebKeySet } from 'jose';

/**
 * A workload's public JWK Set, as `ward workload create` and `rotate-keys` read it (R-WORK-1,
 * RFC 7523 private_key_jwt): one to five public keys, EC P-256 (ES256) or Ed25519 (EdDSA), with
 * distinct `kid`s. A private member (`d`) anywhere refuses the whole set: Ward never holds a
 * workload's secret, and one pasted by mistake must not be stored.
 */
export const CLIENT_ASSERTION_ALGORITHMS = ['ES256', 'EdDSA'] as const;

const B64URL = /^[A-Za-z0-9_-]+$/;

function publicKeyOf(raw: unknown): JWK {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw keysInvalid('a key is not a JSON object');
  const k = raw as Record<string, unknown>;
  if ('d' in k || 'p' in k || 'q' in k || 'k' in k) throw keysInvalid('a key holds private material; give public keys only');
  const kid = k.kid === undefined ? undefined : String(k.kid);
  if (kid !== undefined && !/^[A-Za-z0-9._-]{1,128}$/.test(kid)) throw keysInvalid('a kid is not 1 to 128 letters, digits, dots, dashes or underscores');
  const base = kid ? { kid } : {};
  if (k.kty === 'EC' && k.crv === 'P-256' && typeof k.x === 'string' && typeof k.y === 'string' && B64URL.test(k.x) && B64URL.test(k.y)) {
    return { kty: 'EC', crv: 'P-256', x: k.x, y: k.y, alg: 'ES256', use: 'sig', ...base };
  }
  if (k.kty === 'OKP' && k.crv === 'Ed25519' && typeof k.x === 'string' && B64URL.test(k.x)) {
    return { kty: 'OKP', crv: 'Ed25519', x: k.x, alg: 'EdDSA', use: 'sig', ...base };
  }
  throw keysInvalid('a key is neither EC P-256 nor OKP Ed25519');
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
