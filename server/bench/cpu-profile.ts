/**
 * Where a process's CPU went, from a V8 CPU profile (`node --cpu-prof`): the share of its busy samples
 * by category (Cedar, pg, HTTP, logging, crypto, socket writes, GC, each of Ward's modules) and the
 * functions with the most self and total time, over chosen windows of the monotonic clock (R-OPS-1).
 * Used by `npm run bench:http -- --cpu-profile DIR` on the Ward server it starts.
 *
 * A sample is taken on a timer, so on a loaded machine a system call that yields the core (a socket
 * write that wakes PostgreSQL) collects the samples of the time it waited to run again: read the
 * `syscalls` share as an upper bound, and the others against the /proc CPU time per request.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  busySamples: number;
  idleSamples: number;
  sampleIntervalUs: number;
  /** Shares of the busy samples by where the sampled function lives (self time), largest first. */
  byCategory: Record<string, number>;
  /** The functions with the most self time: "name file:line" and share. */
  topSelf: [string, number][];
  /** Ward's own functions (server/src, but the tracing wrapper) with the most total time (themselves and what they call). */
  topWardTotal: [string, number][];
}

/** Monotonic microseconds, the clock V8's profile timestamps use on Linux (CLOCK_MONOTONIC). */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

const PACKAGE_CATEGORIES: Record<string, string> = {
  '@cedar-policy/cedar-wasm': 'cedar',
  pg: 'pg', 'pg-protocol': 'pg', 'pg-pool': 'pg', 'pg-types': 'pg', 'postgres-array': 'pg', 'postgres-date': 'pg', 'postgres-bytea': 'pg', 'postgres-interval': 'pg',
  fastify: 'http', 'find-my-way': 'http', 'fast-json-stringify': 'http', 'light-my-request': 'http', avvio: 'http', '@fastify/error': 'http', 'fast-querystring': 'http',
  pino: 'logging', 'sonic-boom': 'logging', '@pinojs/redact': 'logging', 'pino-std-serializers': 'logging', 'thread-stream': 'logging',
  jose: 'crypto', 'prom-client': 'metrics',
};
const SYSCALLS = new Set(['writev', 'writeString', 'writeBuffer', 'writeUtf8String', 'writeLatin1String', 'readSync', 'writeSync']);

function packageOf(path: string): string | null {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return null;
  const [first = '', second = ''] = path.slice(at + 13).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

function categoryOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'gc';
    if (functionName === '(program)') return 'program';
    return SYSCALLS.has(functionName) ? 'syscalls' : 'native';
  }
  if (url.startsWith('wasm://')) return 'cedar';
  if (url.startsWith('node:')) {
    if (url.startsWith('node:internal/crypto') || url === 'node:crypto') return 'crypto';
    if (url.startsWith('node:_http') || url === 'node:http') return 'http';
    if (url === 'node:net' || url.includes('stream')) return 'streams';
    return 'node';
  }
  const pkg = packageOf(url);
  if (pkg) return PACKAGE_CATEGORIES[pkg] ?? `package:${pkg}`;
  const ward = /server\/src\/(?:modules\/)?([^/]+)/.exec(url);
  return ward ? `ward:${ward[1]!.replace(/\.ts$/, '')}` : 'other';
}

const label = (frame: ProfileNode['callFrame']) => {
  const file = frame.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '').replace(/.*\/(server\/)/, '$1');
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
};

function top(counts: Map<string, number>, busy: number, n: number): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, Number((v / busy).toFixed(4))]);
}

/** Summarises the samples of `file` that fall in one of `windows` (monotonic µs; all samples when none). */
export function summariseCpuProfile(file: string, windows: { fromUs: number; toUs: number }[] = [], n = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const categories = new Map<string, number>();
  const self = new Map<string, number>();
  const wardTotal = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    if (windows.length > 0 && !windows.some((w) => at >= w.fromUs && at <= w.toUs)) continue;
    const node = byId.get(profile.samples[i]!)!;
    if (node.callFrame.functionName === '(idle)') {
      idle++;
      continue;
    }
    busy++;
    const category = categoryOf(node.callFrame);
    categories.set(category, (categories.get(category) ?? 0) + 1);
    self.set(label(node.callFrame), (self.get(label(node.callFrame)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      // The tracing wrapper is on every guarded stack and says nothing (tracing is off in the bench).
      if (!frame.url.includes('/server/src/') || frame.url.endsWith('/monitoring/tracing.ts')) continue;
      const name = label(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      wardTotal.set(name, (wardTotal.get(name) ?? 0) + 1);
    }
  }
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0);
  return {
    busySamples: busy,
    idleSamples: idle,
    sampleIntervalUs: Math.round(total / Math.max(1, profile.samples.length)),
    byCategory: Object.fromEntries(top(categories, Math.max(1, busy), 40)),
    topSelf: top(self, Math.max(1, busy), n),
    topWardTotal: top(wardTotal, Math.max(1, busy), n),
  };
}
