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

/**
 * A source address as a rate limit counts it (R-AUTHN-1, R-MON-1): an IPv4 address as itself, an
 * IPv6 address by its /64. One subscriber, host or cloud VM is given a whole /64 (RFC 6177), so
 * counting each address apart let one client rotate through 2^64 addresses, one request each, past
 * every per-address limit. An IPv4-mapped address (`::ffff:a.b.c.d`, as a dual-stack listener
 * reports IPv4 clients) or one translated by NAT64's well-known prefix (`64:ff9b::a.b.c.d`, RFC 6052)
 * counts as its IPv4 address, not as the /64 that holds every IPv4 client.
 * The audit trail keeps the whole address; only the limits' keys are coarser.
 */
export function sourceKey(sourceIp: string): string {
  if (!sourceIp.includes(':')) return `ip:${sourceIp}`;
  let groups: string[];
  try {
    // The URL parser writes an IPv6 address one way (lower case, hex only, zeros compressed).
    const host = new URL(`http://[${sourceIp.replace(/%.*$/, '')}]/`).hostname.slice(1, -1);
    const [head = '', tail] = host.split('::');
    const left = head ? head.split(':') : [];
    const right = tail ? tail.split(':') : [];
    groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  } catch {
    return `ip:${sourceIp}`; // not an address: counted as written (fails no one open)
  }
  const prefix96 = groups.slice(0, 6).join(':');
  if (prefix96 === '0:0:0:0:0:ffff' || prefix96 === '64:ff9b:0:0:0:0') {
    const v4 = groups.slice(6).flatMap((g) => { const n = parseInt(g, 16); return [n >> 8, n & 255]; });
    return `ip:${v4.join('.')}`;
  }
  return `ip6:${groups.slice(0, 4).join(':')}::/64`;
}
