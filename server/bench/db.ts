// npm run bench:db — scoped point reads per second against the same read unscoped, on PGlite and
// on PostgreSQL when one answers, concurrency 8, all measured in this run. Prints one JSON line.
//   scoped:      BEGIN; SET LOCAL ward.scope, the MAC'd scope (PGlite: set_config(…) and the role); SELECT; COMMIT —
//                as ward_app, RLS on, the MAC verified by the policies' initplans
//   unscopedTx:  BEGIN; SELECT; COMMIT — as the owner (PostgreSQL) / superuser (PGlite), no RLS
//   unscopedBare: the SELECT alone, no transaction, as the owner
//   preMac (PostgreSQL): the design before the scope MAC (issue 12), as a baseline measured in the same
//                run: the same read as ward_app of a copy of patients whose policy reads the raw
//                settings (0002's, no MAC), the scope sent as today's is, four SET LOCALs with BEGIN,
//                through the same inTransaction and pool. Measurement only: the copy lives in the
//                bench's own database. ratioPreMacToUnscopedTx* is the ratio issue 12 asks the scoped
//                read not to fall below.
// The two transactions have the same shape, so that the ratio is what the scope costs (R-OPS-1): the
// same transaction code (PostgreSQL: postgres.ts's inTransaction on a pipelining pool of the same
// size, BEGIN leaving in one write with the first statement, then COMMIT: two round trips each; PGlite:
// its own transaction()), the same named, prepared SELECT. The scoped side only adds the scope (on
// PostgreSQL one SET LOCAL in BEGIN's message; on PGlite a statement of its own) and its
// verification. (Until this was so, the unscoped side on PostgreSQL awaited BEGIN, SELECT and COMMIT
// one by one, three round trips against the scoped side's two, which flattered the ratio by throughput.)
// On a shared, loaded machine throughput swings with the neighbours' load; CPU time per read does
// much less, so each mode also reports the CPU it used per read: this process's (the client and, for
// PGlite, the engine) plus, when PostgreSQL runs on this host, its backends' for the bench database
// (utime + stime from /proc/<pid>/stat). ratio*ByCpu compare those.
// PostgreSQL: WARD_BENCH_DATABASE_URL or WARD_TEST_DATABASE_URL (a superuser URL), else
// postgres://postgres@127.0.0.1:5432/postgres; a database is created for the run and dropped after.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';
import { openEmbedded } from '../src/db/pglite.ts';
import { createPool, inTransaction, openPostgres, wrap } from '../src/db/postgres.ts';
import { scopeSettings } from '../src/db/scope.ts';
import type { DataScope, Db } from '../src/db/types.ts';
import { PRE_MAC_READ, PRE_MAC_TABLE, READ, preMacBegin, seedBenchRead } from './scoped-read.ts';

const CONCURRENCY = 8;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const TICK_US = 1e6 / 100; // USER_HZ, 100 on Linux

/** CPU microseconds used so far by each backend `pids()` names that is readable here (PostgreSQL on this host). */
async function backendMicros(pids: () => Promise<number[]>): Promise<Map<number, number>> {
  const used = new Map<number, number>();
  for (const pid of await pids()) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      used.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_US); // utime, stime
    } catch {
      /* not on this host, or gone */
    }
  }
  return used;
}

function oneRow(result: { rows: unknown[] }): void {
  if (result.rows.length !== 1) throw new Error('the read found no row');
}

interface Measured { perSecond: number; cpuUsPerRead: number }

async function measure(run: (patientId: string) => Promise<unknown>, ids: string[], pids: () => Promise<number[]>): Promise<Measured> {
  const loop = async (deadline: number) => {
    let n = 0;
    while (performance.now() < deadline) {
      await run(ids[(Math.random() * ids.length) | 0]!);
      n++;
    }
    return n;
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, () => loop(performance.now() + 300))); // warm-up
  const own0 = process.cpuUsage();
  const backends0 = await backendMicros(pids);
  const start = performance.now();
  const counts = await Promise.all(Array.from({ length: CONCURRENCY }, () => loop(start + SECONDS * 1000)));
  const elapsed = (performance.now() - start) / 1000;
  const own = process.cpuUsage(own0);
  // A backend that closed meanwhile (a pool's idle connection) is left out; one that opened counts whole.
  let cpu = own.user + own.system;
  for (const [pid, used] of await backendMicros(pids)) cpu += used - (backends0.get(pid) ?? 0);
  const n = counts.reduce((a, b) => a + b, 0);
  return { perSecond: n / elapsed, cpuUsPerRead: cpu / n };
}

type Read = (id: string) => Promise<unknown>;

async function benchEngine(db: Db, unscopedTx: Read, unscopedBare: Read, pids: () => Promise<number[]> = async () => [], preMacOf?: (scope: DataScope) => Promise<Read>) {
  const { ids, scope } = await seedBenchRead(db.systemDb);
  const scoped = (id: string) => db.scoped(scope, (tx) => tx.query(READ, [id]).then(oneRow));
  // Alternate the modes twice so that drift in the machine's load touches each alike.
  const modes: Record<string, Read> = { scoped, unscopedTx, unscopedBare, ...(preMacOf ? { preMac: await preMacOf(scope) } : {}) };
  const result: Record<string, Measured[]> = Object.fromEntries(Object.keys(modes).map((mode) => [mode, []]));
  for (let round = 0; round < 2; round++) {
    for (const [mode, run] of Object.entries(modes)) result[mode]!.push(await measure(run, ids, pids));
  }
  const rate = (m: Measured[]) => m.reduce((a, b) => a + b.perSecond, 0) / m.length;
  const cpu = (m: Measured[]) => Math.min(...m.map((x) => x.cpuUsPerRead)); // the least disturbed round
  const r3 = (x: number) => Number(x.toFixed(3));
  const preMac = result.preMac && {
    preMacPerSecond: Math.round(rate(result.preMac)),
    ratioPreMacToUnscopedTx: r3(rate(result.preMac) / rate(result.unscopedTx!)),
    ratioPreMacToUnscopedTxByCpu: r3(cpu(result.unscopedTx!) / cpu(result.preMac)),
    cpuUsPerReadPreMac: Math.round(cpu(result.preMac)),
  };
  return {
    scopedPerSecond: Math.round(rate(result.scoped!)),
    unscopedTxPerSecond: Math.round(rate(result.unscopedTx!)),
    unscopedBarePerSecond: Math.round(rate(result.unscopedBare!)),
    ratioScopedToUnscopedTx: r3(rate(result.scoped!) / rate(result.unscopedTx!)),
    ratioScopedToUnscopedBare: r3(rate(result.scoped!) / rate(result.unscopedBare!)),
    cpuUsPerRead: { scoped: Math.round(cpu(result.scoped!)), unscopedTx: Math.round(cpu(result.unscopedTx!)), unscopedBare: Math.round(cpu(result.unscopedBare!)) },
    ratioScopedToUnscopedTxByCpu: r3(cpu(result.unscopedTx!) / cpu(result.scoped!)),
    ratioScopedToUnscopedBareByCpu: r3(cpu(result.unscopedBare!) / cpu(result.scoped!)),
    ...preMac,
  };
}

async function embedded() {
  const dir = mkdtempSync(join(tmpdir(), 'ward-bench-db-'));
  const db = await openEmbedded(dir);
  try {
    await migrate(db.systemDb);
    return await benchEngine(
      db,
      (id) => db.systemDb.transaction((tx) => tx.query(READ, [id])).then(oneRow),
      (id) => db.systemDb.query(READ, [id]).then(oneRow),
    );
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres() {
  const url = process.env.WARD_BENCH_DATABASE_URL || process.env.WARD_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
  } catch {
    return { skipped: 'no PostgreSQL answered' };
  }
  const name = `ward_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`); // generated name, not input
  const ownerUrl = Object.assign(new URL(url), { pathname: `/${name}` }).href;
  const appUrl = Object.assign(new URL(ownerUrl), { username: 'ward_app', password: '' }).href;
  const db = openPostgres({ appUrl, migrationUrl: ownerUrl }, { size: CONCURRENCY });
  const owner = createPool(ownerUrl, CONCURRENCY, { pipeline: true }); // as the app pool: pipelining, same size
  const app = createPool(appUrl, CONCURRENCY, { pipeline: true }); // the pre-MAC baseline's, as the app pool
  try {
    await migrate(db.systemDb);
    const version = (await admin.query<{ v: string }>('SHOW server_version')).rows[0]!.v;
    return {
      version,
      ...(await benchEngine(
        db,
        (id) => inTransaction(() => owner.connect(), (c) => wrap(c).query(READ, [id])).then(oneRow),
        (id) => wrap(owner).query(READ, [id]).then(oneRow),
        async () => (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])).rows.map((r) => r.pid),
        async (scope) => {
          await owner.query(PRE_MAC_TABLE);
          const begin = preMacBegin(scopeSettings(scope));
          return (id) => inTransaction(() => app.connect(), (c) => wrap(c).query(PRE_MAC_READ, [id]), () => begin).then(oneRow);
        },
      )),
    };
  } finally {
    await owner.end();
    await app.end();
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const out = { bench: 'db', concurrency: CONCURRENCY, secondsPerMode: SECONDS * 2, read: 'patient by id', embedded: await embedded(), postgres: await postgres() };
process.stdout.write(`${JSON.stringify(out)}\n`);
