import { createHash } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { CLIENT_ASSERTION_ALGORITHMS } from './jwks.ts';

/**
 * A `private_key_jwt` client assertion (RFC 7523 §2.2 and §3, RFC 7521 §4.2 and §5.2) as conforming
 * clients build it, checked against the workload's registered keys (R-WORK-1, R-WORK-2):
 *   - signed by one of the keys, with an algorithm of CLIENT_ASSERTION_ALGORITHMS; any `typ`
 *     (`JWT`, `client-authentication+jwt` or none: RFC 7523 names none);
 *   - `iss` = `sub` = the client_id; `aud` one of `audiences`, alone or in an array (§3 item 3);
 *   - `exp` required and not passed; `nbf`, when present, reached (§3 items 4 and 6); 30 s of skew;
 *   - fresh: created (`iat`, else `nbf`) at most 5 minutes ago and not in the future (§3 item 5: "MAY
 *     reject ... unreasonably far in the past"), whatever `exp` says (MSAL asks 10 minutes, Authlib an
 *     hour); with neither claim, `exp` at most 5 minutes ahead. Either way an assertion is usable 5
 *     minutes at most, as before;
 *   - spent once (§3 item 7): by its `jti` (any string of 1 to 256 characters; RFC 7523 sets no length)
 *     or, without one (the claim is optional there), by its signed header and payload, which no one
 *     without the key can change. The replay store keeps it for as long as it is usable.
 * Extra claims are ignored (RFC 7519 §4). Returns null when the assertion is refused, with why in `cause`.
 */
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const ASSERTION_MAX_AGE_SECONDS = 300;
export const ASSERTION_SKEW_SECONDS = 30;
const JTI_MAX_LENGTH = 256;

export interface VerifiedAssertion {
  /** The replay store's key: SHA-256 over the client_id and the jti (or the signed input). */
  replayKey: Buffer;
  /** The last instant the assertion is acceptable; its id is kept spent until then. */
  usableUntil: Date;
}

export type AssertionCheck = { ok: true; assertion: VerifiedAssertion } | { ok: false; cause: unknown };

export async function verifyClientAssertion(
  assertion: string,
  expected: { clientId: string; jwks: JSONWebKeySet; audiences: string[]; now: Date },
): Promise<AssertionCheck> {
  const { clientId, now } = expected;
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, createLocalJWKSet(expected.jwks), {
      algorithms: [...CLIENT_ASSERTION_ALGORITHMS], issuer: clientId, subject: clientId, audience: expected.audiences,
      requiredClaims: ['exp'], currentDate: now, clockTolerance: ASSERTION_SKEW_SECONDS,
    }));
  } catch (e) {
    return { ok: false, cause: e };
  }
  const nowSeconds = now.getTime() / 1000;
  const { exp, iat, nbf, jti } = payload as { exp: number; iat?: number; nbf?: number; jti?: unknown };
  if (jti !== undefined && (typeof jti !== 'string' || jti.length < 1 || jti.length > JTI_MAX_LENGTH)) return { ok: false, cause: 'jti' };
  const created = iat ?? nbf;
  let lastSecond: number;
  if (created === undefined) {
    if (exp - nowSeconds > ASSERTION_MAX_AGE_SECONDS) return { ok: false, cause: 'exp' };
    lastSecond = exp;
  } else {
    if (created > nowSeconds + ASSERTION_SKEW_SECONDS) return { ok: false, cause: 'iat' };
    if (nowSeconds - created > ASSERTION_MAX_AGE_SECONDS + ASSERTION_SKEW_SECONDS) return { ok: false, cause: 'iat' };
    lastSecond = Math.min(exp, created + ASSERTION_MAX_AGE_SECONDS);
  }
  const id = typeof jti === 'string' ? `jti:${jti}` : `jws:${assertion.slice(0, assertion.lastIndexOf('.'))}`;
  return {
    ok: true,
    assertion: {
      replayKey: createHash('sha256').update(`client-assertion:${clientId}:${id}`).digest(),
      usableUntil: new Date((lastSecond + ASSERTION_SKEW_SECONDS) * 1000),
    },
  };
}
