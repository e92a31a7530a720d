import { WardError } from '@ward/contracts';
import type { Clock } from '../../deps.ts';

/**
 * A small in-process fixed-window limiter for the ceremony endpoints (R-AUTHN-1, R-MON-1): keys are
 * `ip:<address>` or `member:<id>`. Bounded: when the table is full of live windows, new keys are
 * refused (fail closed) rather than the table growing without end. Per process: several server
 * processes each allow the limit (docs/authentication.md).
 */
export interface RateLimiter {
  /** Counts one attempt for `key`; throws RATE_LIMITED past the limit. */
  hit(key: string): Promise<void>;
}

export function createRateLimiter(opts: { clock: Clock; limit: number; windowSeconds: number; maxKeys?: number }): RateLimiter {
  const maxKeys = opts.maxKeys ?? 10_000;
  const windows = new Map<string, { startMs: number; count: number }>();
  const windowMs = opts.windowSeconds * 1000;

  function sweep(nowMs: number): void {
    for (const [key, w] of windows) if (nowMs - w.startMs >= windowMs) windows.delete(key);
  }

  return {
    async hit(key) {
      const nowMs = opts.clock.now().getTime();
      let w = windows.get(key);
      if (!w || nowMs - w.startMs >= windowMs) {
        if (!w && windows.size >= maxKeys) sweep(nowMs);
        if (!w && windows.size >= maxKeys) throw new WardError('RATE_LIMITED');
        w = { startMs: nowMs, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      if (w.count > opts.limit) throw new WardError('RATE_LIMITED');
    },
  };
}
