/**
 * WARD_TEST_LONG=1: the long runs in full (`WARD_TEST_LONG=1 npm test -- load/ hostile-input`):
 * the sustained-load test's 20,000 requests and hostile input's random requests. `npm test`, and so
 * CI, runs their short forms, which assert the same things on fewer requests (R-OPS-1: the CI budget).
 */
export const IS_LONG_RUN = process.env.WARD_TEST_LONG === '1';

/** `short` in `npm test`, `long` under WARD_TEST_LONG=1. */
export const longOr = <T>(long: T, short: T): T => (IS_LONG_RUN ? long : short);
