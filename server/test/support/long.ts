/**
 * WARD_TEST_LONG=1: the long runs in full (`WARD_TEST_LONG=1 npm test -- load/ hostile-input phi-walk`):
 * the sustained-load test's 20,000 requests, hostile input's random requests, and the suites that run
 * on both engines for thoroughness rather than for the engine (the hostile-input sweep, the route ×
 * role PHI walk, the AI suites). `npm test`, and so CI, runs their short forms, which assert the same things on
 * fewer requests, or on PostgreSQL alone when there is one (R-OPS-1: the CI budget).
 */
import { postgresUrl } from './databases.ts';

export const IS_LONG_RUN = process.env.WARD_TEST_LONG === '1';

/** `short` in `npm test`, `long` under WARD_TEST_LONG=1. */
export const longOr = <T>(long: T, short: T): T => (IS_LONG_RUN ? long : short);

/**
 * The skip of an engine's half of a suite whose checks are the application's, the same on both
 * engines: in the bounded run the embedded half is skipped when PostgreSQL (the production engine,
 * with row-level security as `ward_app`) runs the other; without PostgreSQL the embedded half runs.
 */
export function boundedEngineSkip(engine: 'embedded' | 'postgres', engineSkip: string | false, longRun = IS_LONG_RUN): string | false {
  if (engine === 'embedded' && !longRun && postgresUrl) return 'the bounded run sends this to PostgreSQL; WARD_TEST_LONG=1 runs it on the embedded engine too';
  return engineSkip;
}
