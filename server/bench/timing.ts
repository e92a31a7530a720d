/**
 * Mean microseconds per call of `fn` over `n` sequential calls, after `warmup` calls on inputs of
 * their own (n, n+1, …), so that a value spent during the warm-up (a jti, a nonce) is not met again.
 */
export async function perOpUs(n: number, fn: (i: number) => Promise<unknown>, warmup = 50): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn(n + i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return Math.round(Number(process.hrtime.bigint() - start) / 1000 / n);
}
