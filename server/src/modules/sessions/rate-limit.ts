import { createHash } from 'node:crypto';
import { WardError } from '@ward/contracts';
import { AUTH_LOOKUPS, type Db } from '../../db/types.ts';

/**
 * Fixed-window rate limits (R-AUTHN-1, R-MON-1), counted in PostgreSQL (0013) so that every Ward
 * server on the database shares one count: two servers allow the limit once between them, not twice.
 * Keys are like `ip:<address>` or `member:<id>`, prefixed with the limiter's name and stored hashed.
 * Each hit commits on its own (before the work it guards), so that a refused or failed request still
 * counts, and no request transaction holds a limiter's row.
 */
export interface RateLimiter {
  /** Counts one attempt for `key`; throws RATE_LIMITED past the limit. */
  hit(key: string): Promise<void>;
}

export function createRateLimiter(opts: { db: Pick<Db, 'authLookup'>; clock: { now(): Date }; name: string; limit: number; windowSeconds: number }): RateLimiter {
  return {
    async hit(key) {
      const keyHash = createHash('sha256').update(`${opts.name}\u0000${key}`).digest();
      const [row] = await opts.db.authLookup<{ hits: number }>(AUTH_LOOKUPS.rateLimitHit, [keyHash, opts.windowSeconds, opts.clock.now()]);
      // Fail closed: no count is a refusal.
      if (!row || !(row.hits <= opts.limit)) throw new WardError('RATE_LIMITED');
    },
  };
}
