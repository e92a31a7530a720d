// node --import tsx server/bench/scoped-js.ts — the client's own JavaScript per scoped transaction
// (issue 12, R-OPS-1): db.scoped on PostgreSQL against inTransaction unscoped (bench:db's unscopedTx),
// both with bench:db's point read, on a stand-in pg client that answers at once (no socket, no
// database), so that what is left is Ward's and pg's JavaScript around the statements: the scope's
// validation, its MAC and SQL text, the transaction's promises. Concurrency 8, ROUNDS (default 9,
// the first a warm-up) of N transactions (default 100,000) per mode, interleaved; prints ns per
// transaction, minimum and median, and the scope's parts in a tight loop. Measurement only: the
// stand-in replaces pg.Pool's connect and query in this process.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool, inTransaction, openPostgres, wrap } from '../src/db/postgres.ts';
import { beginScopeSql, macScope } from '../src/db/scope-key.ts';
import { scopeSettings } from '../src/db/scope.ts';
import type { DataScope } from '../src/db/types.ts';
import { READ } from './scoped-read.ts';

const N = Number(process.env.N ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const innerKey = randomBytes(64);
const row = { id: 'p', phi_scope: 'Dental' };

/** What inTransaction and preparedQuery use of a pooled client, answering at once. */
class StandIn {
  static pids = 1000;
  processID = ++StandIn.pids;
  connection = { stream: { cork() {}, uncork() {} } };
  query(q: string | { callback(err: Error | null, res: unknown): void }): Promise<unknown> | undefined {
    if (typeof q === 'string') return Promise.resolve({ command: q === 'COMMIT' ? 'COMMIT' : 'BEGIN', rows: [] });
    queueMicrotask(() => q.callback(null, { rows: [row], rowCount: 1 }));
    return undefined;
  }
  release() {}
}
const clients = Array.from({ length: 8 }, () => new StandIn());
let next = 0;
Object.assign(pg.Pool.prototype, {
  connect: () => Promise.resolve(clients[next++ & 7]),
  query: () => Promise.resolve({ rows: [{ inner_key: innerKey }], rowCount: 1 }), // the scope key's read
});

const urls = { appUrl: 'postgres://ward_app@127.0.0.1:9/none', migrationUrl: 'postgres://postgres@127.0.0.1:9/none' };
const db = openPostgres(urls, { size: 8 });
const owner = createPool(urls.migrationUrl, 8, { pipeline: true });
const scope: DataScope = { tenantId: '0b8a1a0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', phiScopes: ['Healthcare-PHI', 'BehavioralHealth-PHI', 'Dental'], actorId: 'bench', actorKind: 'human' };
const oneRow = (r: { rows: unknown[] }) => {
  if (r.rows.length !== 1) throw new Error('the read found no row');
};
const settings = scopeSettings(scope);
const key = Buffer.from(innerKey.map((b) => b ^ 0x36));
const value = macScope(settings, key, 4242);
let sink = 0;
const transactions: Record<string, () => Promise<unknown>> = {
  scoped: () => db.scoped(scope, (tx) => tx.query(READ, ['p']).then(oneRow)),
  unscopedTx: () => inTransaction(() => owner.connect(), (c) => wrap(c).query(READ, ['p'])).then(oneRow),
};
const parts: Record<string, () => void> = {
  scopeSettings: () => void (sink += scopeSettings(scope)[1].length),
  macScope: () => void (sink += macScope(settings, key, 4242).length),
  beginScopeSql: () => void (sink += beginScopeSql(value).length),
};

const ns: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [mode, run] of Object.entries(transactions)) {
    const t = process.cpuUsage();
    let i = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (i++ < N) await run();
    }));
    const used = process.cpuUsage(t);
    if (round > 0) (ns[mode] ??= []).push(((used.user + used.system) * 1000) / N);
  }
  for (const [part, run] of Object.entries(parts)) {
    const t = process.cpuUsage();
    for (let i = 0; i < N; i++) run();
    const used = process.cpuUsage(t);
    if (round > 0) (ns[part] ??= []).push(((used.user + used.system) * 1000) / N);
  }
}
const out: Record<string, { min: number; median: number }> = {};
for (const [k, v] of Object.entries(ns)) {
  v.sort((a, b) => a - b);
  out[k] = { min: Math.round(v[0]!), median: Math.round(v[v.length >> 1]!) };
}
process.stdout.write(`${JSON.stringify({ bench: 'scoped-js', nsPerTransaction: out, sink: sink > 0 })}\n`);
await Promise.all([db.close(), owner.end()]);
