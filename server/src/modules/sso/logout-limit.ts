import { createHash } from 'node:crypto';
import { WardError } from '@ward/contracts';
import type { Db } from '../../db/types.ts';
import { createRateLimiter, sourceKey } from '../sessions/index.ts';

/** R-SESS-1, R-MON-1: refused logout tokens naming one connection, from one source address, in a window. */
export const LOGOUT_REFUSALS_PER_WINDOW = 30;
export const LOGOUT_REFUSAL_WINDOW_SECONDS = 60;
/** The addresses a server remembers as over the limit; past this the oldest are forgotten first. */
const MAX_REMEMBERED = 10_000;

/**
 * The back-channel logout endpoint's bound (R-SESS-1, R-MON-1). It is public: anyone may post a token
 * that names a tenant's issuer and client (both in its authorization URL), and each such post costs a
 * scoped read and a signature check. The tokens it refuses (a signature that does not verify, a stale
 * or replayed token, any other refusal) are counted per source address and connection (issuer and
 * client as the token names them) in PostgreSQL's shared fixed windows (0014), like the sign-in
 * ceremonies' limits; past the limit the post is answered 429 `RATE_LIMITED`, and so is every post of
 * that address naming that connection until the window ends, before anything is read. A logout that
 * verifies is never counted: an IdP's burst of logouts is never refused, and no one else's forged
 * posts can switch an IdP off, since they come from other addresses. Not limited per connection
 * alone for that reason: anyone could spend a tenant's count and leave its sessions alive.
 */
export function createLogoutRefusalLimit(deps: { db: Pick<Db, 'authLookup'>; clock: { now(): Date } }) {
  const limiter = createRateLimiter({ ...deps, name: 'sso-logout-refused', limit: LOGOUT_REFUSALS_PER_WINDOW, windowSeconds: LOGOUT_REFUSAL_WINDOW_SECONDS });
  const blockedUntil = new Map<string, number>();
  // Hashed: the issuer and client are the unverified token's, up to its 16 KiB; a remembered key is 43 characters.
  const keyOf = (sourceIp: string, issuer: string, audience: string) =>
    createHash('sha256').update(`${sourceKey(sourceIp)}\u0000${issuer}\u0000${audience}`).digest('base64url');
  return {
    /** Before the token's connection is read: RATE_LIMITED while this address is over the limit for it. */
    check(sourceIp: string, issuer: string, audience: string): void {
      const key = keyOf(sourceIp, issuer, audience);
      const until = blockedUntil.get(key);
      if (until === undefined) return;
      if (until > deps.clock.now().getTime()) throw new WardError('RATE_LIMITED');
      blockedUntil.delete(key);
    },
    /** A refusal of a token naming a tenant's connection: counted; past the limit, RATE_LIMITED instead of `refusal`. */
    async refused(sourceIp: string, issuer: string, audience: string, refusal: unknown): Promise<never> {
      const key = keyOf(sourceIp, issuer, audience);
      try {
        await limiter.hit(key);
      } catch (e) {
        if (!(e instanceof WardError && e.code === 'RATE_LIMITED')) throw refusal;
        if (blockedUntil.size >= MAX_REMEMBERED) blockedUntil.delete(blockedUntil.keys().next().value!);
        blockedUntil.set(key, deps.clock.now().getTime() + LOGOUT_REFUSAL_WINDOW_SECONDS * 1000);
        throw e;
      }
      throw refusal;
    },
  };
}
