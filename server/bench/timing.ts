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

/**
 * Median microseconds per call of each operation, measured in interleaved rounds: every round runs
 * each operation once, in order, so that all of them meet the same load (on a shared, loaded machine
 * a phase-by-phase mean mostly measures who else was running then). Each operation's `prepare` runs
 * untimed and returns what is timed (a proof signed just before its use, for instance). The first
 * `warmup` rounds are not counted.
 */
export async function interleavedMedianUs<K extends string>(n: number, ops: Record<K, () => Promise<() => Promise<unknown>>>, warmup = 50): Promise<Record<K, number>> {
  const names = Object.keys(ops) as K[];
  const samples = new Map<K, number[]>(names.map((k) => [k, []]));
  for (let round = 0; round < warmup + n; round++) {
    for (const k of names) {
      const timed = await ops[k]();
      const start = process.hrtime.bigint();
      await timed();
      const us = Number(process.hrtime.bigint() - start) / 1000;
      if (round >= warmup) samples.get(k)!.push(us);
    }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  return Object.fromEntries(names.map((k) => [k, Math.round(median(samples.get(k)!))])) as Record<K, number>;
}
