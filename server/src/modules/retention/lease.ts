/**
 * Database leases (R-DATA-5): a job that must run once across servers takes a named lease with an
 * atomic INSERT … ON CONFLICT … WHERE expired-or-mine; exactly one holder gets a row back.
 */
import type { Tx } from '../../db/types.ts';

const TAKE = `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
  ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
  WHERE leases.expires_at < now() OR leases.holder = EXCLUDED.holder
  RETURNING holder`;
const RELEASE = 'DELETE FROM leases WHERE name = $1 AND holder = $2';

/** True when `holder` now holds the lease `name` for `ttlSeconds` (taken, renewed, or expired before). */
export async function takeLease(tx: Tx, name: string, holder: string, ttlSeconds: number): Promise<boolean> {
  const { rows } = await tx.query<{ holder: string }>(TAKE, [name, holder, ttlSeconds]);
  return rows[0]?.holder === holder;
}

export async function releaseLease(tx: Tx, name: string, holder: string): Promise<void> {
  await tx.query(RELEASE, [name, holder]);
}

/**
 * A job's schedule in the server: `run` every `intervalMs` (never two at once), on an unref'd timer
 * that never keeps the process alive; a failure is logged by name and code only (R-DATA-4), and
 * `stop()` waits for a run in progress (shutdown).
 */
export function startInterval(run: () => Promise<unknown>, opts: { intervalMs: number; what: string; logger: { error(obj: object, msg: string): void }; safeError: (e: unknown) => object }): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = run()
      .catch((e: unknown) => opts.logger.error({ err: opts.safeError(e) }, `${opts.what} run failed`))
      .finally(() => {
        running = undefined;
      });
  }, opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
