import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { SystemDb } from './types.ts';

/**
 * A job that one Ward server at a time runs for all of them (DESIGN.md: leases live in PostgreSQL, so
 * N servers behave as one). Each pass takes the named row of `leases` when it is free or expired, or
 * renews it for its holder, and runs only while it holds it; the next pass is scheduled when one ends,
 * on an unref'd timer, and a failed pass goes to `onError` and is tried again after `intervalMs`.
 * `stop()` waits for a running pass and releases the lease, so that another server takes over at once
 * rather than when it expires. A write that must not land once the lease is lost carries its own
 * fence (a `leases` check in the same statement); `lost()` says that one was refused.
 */
export interface LeasedJob<R> {
  readonly holder: string;
  /** One pass; null when another server holds the lease (nothing ran). */
  runOnce(): Promise<R | null>;
  /** A fenced write was refused: the lease is gone, and the next pass that holds it starts a new term. */
  lost(): void;
  start(): void;
  stop(): Promise<void>;
}

export interface LeasedJobOptions<R> {
  systemDb: SystemDb;
  /** The lease's name: its row in `leases`. */
  name: string;
  holder?: string;
  leaseSeconds: number;
  intervalMs: number;
  /** The work of one pass, while this server holds the lease; `isNewTerm`: it did not hold it at the last pass. */
  pass(term: { holder: string; isNewTerm: boolean }): Promise<R>;
  /** A failed pass, to be logged without its text (R-DATA-4). */
  onError(e: unknown): void;
}

const ACQUIRE = `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3))
  ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
    WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= clock_timestamp()
  RETURNING holder`;
const RELEASE = 'DELETE FROM leases WHERE name = $1 AND holder = $2';

export function leasedJob<R>(o: LeasedJobOptions<R>): LeasedJob<R> {
  const holder = o.holder ?? `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  let isHeld = false;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function runOnce(): Promise<R | null> {
    const { rows } = await o.systemDb.query(ACQUIRE, [o.name, holder, o.leaseSeconds]);
    const isNewTerm = !isHeld;
    isHeld = rows.length === 1;
    return isHeld ? o.pass({ holder, isNewTerm }) : null;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce().catch(o.onError).finally(schedule);
    }, o.intervalMs);
    timer.unref();
  }

  return {
    holder,
    runOnce,
    lost() {
      isHeld = false;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => {});
      if (isHeld) {
        await o.systemDb.query(RELEASE, [o.name, holder]).catch(() => {});
        isHeld = false;
      }
    },
  };
}
