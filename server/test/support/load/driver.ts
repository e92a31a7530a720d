/**
 * A closed-loop HTTP load driver for loopback servers: `concurrency` workers, each on its own
 * keep-alive connection, send one request at a time until a request count or a time limit is
 * reached, or the server stops answering. Requests are built per call (so that each can carry a
 * freshly signed device proof). Used by `npm run bench:http` and the sustained-load test.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
}

export interface LoadOptions {
  /** http://127.0.0.1:PORT; anything but a loopback address is refused. */
  baseUrl: string;
  /** Several servers of one deployment: request i goes to baseUrls[i % n] (round robin); default [baseUrl]. */
  baseUrls?: string[];
  concurrency: number;
  /** Stop after this many requests in all (bounded in count)... */
  maxRequests: number;
  /** ...or after this many seconds (bounded in time), whichever comes first. */
  maxSeconds: number;
  /** Builds request number `i` (0-based) for worker `worker`. */
  request(i: number, worker: number): LoadRequest | Promise<LoadRequest>;
  /** Checked between requests: false stops the run (for example when the server process has exited). */
  alive?(): boolean;
  /** Called once per answered request (to check bodies, for example); a throw counts as a failure. */
  check?(status: number, body: Buffer): void;
}

export interface LoadResult {
  concurrency: number;
  requests: number;
  /** Requests that got no HTTP answer (connection refused or reset, timeout). */
  transportErrors: number;
  status: Record<string, number>;
  serverErrors: number;
  checkFailures: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  stoppedBy: 'requests' | 'time' | 'server gone';
  firstTransportError?: string;
  firstCheckFailure?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function send(agent: http.Agent, base: URL, req: LoadRequest, timeoutMs: number): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      { agent, host: base.hostname.replace(/^\[|\]$/g, ''), port: base.port, method: req.method, path: req.path, headers: req.headers, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error('request timed out')));
    r.on('error', reject);
    r.end();
  });
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const bases = (opts.baseUrls ?? [opts.baseUrl]).map((u) => new URL(u));
  for (const base of bases) if (!LOOPBACK.has(base.hostname) || base.protocol !== 'http:') throw new Error(`load runs on loopback http only, not ${base.href}`);
  if (!(opts.concurrency >= 1 && opts.maxRequests >= 1 && opts.maxSeconds > 0)) throw new Error('concurrency, maxRequests and maxSeconds must be positive');
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency, maxFreeSockets: opts.concurrency * bases.length });
  const latencies = new Float64Array(opts.maxRequests);
  const status: Record<string, number> = {};
  let issued = 0;
  let answered = 0;
  let transportErrors = 0;
  let checkFailures = 0;
  let firstTransportError: string | undefined;
  let firstCheckFailure: string | undefined;
  let stoppedBy: LoadResult['stoppedBy'] = 'requests';
  const started = performance.now();
  const deadline = started + opts.maxSeconds * 1000;

  const worker = async (w: number) => {
    while (true) {
      if (issued >= opts.maxRequests) return;
      if (performance.now() >= deadline) return void (stoppedBy = stoppedBy === 'server gone' ? stoppedBy : 'time');
      if (opts.alive && !opts.alive()) return void (stoppedBy = 'server gone');
      const i = issued++;
      const req = await opts.request(i, w);
      const t0 = performance.now();
      try {
        const res = await send(agent, bases[i % bases.length]!, req, 30_000);
        latencies[answered++] = performance.now() - t0;
        status[res.status] = (status[res.status] ?? 0) + 1;
        try {
          opts.check?.(res.status, res.body);
        } catch (e) {
          checkFailures += 1;
          firstCheckFailure ??= `request ${i}: ${(e as Error).message}`;
        }
      } catch (e) {
        transportErrors += 1;
        firstTransportError ??= `request ${i}: ${(e as Error).message}`;
        // A server that no longer accepts connections ends the run at once (no retry storm).
        if (opts.alive && !opts.alive()) return void (stoppedBy = 'server gone');
        if (transportErrors >= 5 * opts.concurrency) return void (stoppedBy = 'server gone');
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = latencies.slice(0, answered).sort();
  const round = (n: number, d = 2) => Number(n.toFixed(d));
  const serverErrors = Object.entries(status).filter(([s]) => Number(s) >= 500).reduce((n, [, c]) => n + c, 0);
  return {
    concurrency: opts.concurrency,
    requests: answered + transportErrors,
    transportErrors,
    status,
    serverErrors,
    checkFailures,
    seconds: round(seconds),
    rps: round(answered / seconds, 0),
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.length ? sorted[sorted.length - 1]! : 0),
    stoppedBy,
    ...(firstTransportError ? { firstTransportError } : {}),
    ...(firstCheckFailure ? { firstCheckFailure } : {}),
  };
}
