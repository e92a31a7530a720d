// The scoped point read by instruction count (R-AUTHZ-7, R-OPS-1; issues 12 and 31; docs/threat-model.md
// "Where the verification's instructions go"): PostgreSQL
// backend instructions per bench:db read, in a database as migrated ("base") against ones with a
// candidate change applied, counted by callgrind and so free of the machine's load. Against a private
// PostgreSQL cluster only (it creates databases):
//
//   setup    --url <superuser URL> [--candidate name=file.sql]…
//            creates and migrates "base" and one database per candidate, seeds each with the demo data
//            (as bench:db), applies each candidate's SQL (as the superuser) to its own database, adds
//            bench:db's pre-MAC copy of patients to base, VACUUM ANALYZE, CHECKPOINT.
//   measure  --url <superuser URL> --cg <dir> [--rounds 3] [--reads 300]
//            with the cluster running under `valgrind --tool=callgrind --trace-children=yes
//            --callgrind-out-file=<dir>/cg.%p`: per round and mode, one connection runs 20 reads and
//            another 20 + N; a read's instructions are the difference of the two backends' totals over N.
//            Modes: each database's scoped read (as ward_app: BEGIN and SET LOCAL ward.scope in one
//            message, the named SELECT, COMMIT), and in base the unscoped read (the owner, no row-level
//            security) and the pre-MAC read (0002's policy on four raw settings), as bench:db has them.
//
// Prints one JSON line: per mode the per-read figures of every round and their median.
import { readFileSync } from 'node:fs';
import { openPostgres } from '../src/db/postgres.ts';
import { scopeSettings } from '../src/db/scope.ts';
import { beginScopeSql, loadScopeKey, macScope } from '../src/db/scope-key.ts';
import type { DataScope } from '../src/db/types.ts';
import { generateDemo } from '../src/modules/demo/index.ts';
import { seedDemo } from '../src/modules/demo/seed.ts';
import { freshDatabase, harnessArgs, instructions, withClient } from './callgrind.ts';
import { PRE_MAC_READ, PRE_MAC_TABLE, READ, preMacBegin } from './scoped-read.ts';

const { phase, opt, candidates: CANDIDATES, url } = harnessArgs(process.argv.slice(2));
const data = generateDemo(1);
const tenant = data.tenants[0]!;
const ids = data.patients.filter((p) => p.tenantId === tenant.id && p.phiScope !== 'SUD-Part2').map((p) => p.id);
const scope: DataScope = { tenantId: tenant.id, phiScopes: ['Healthcare-PHI', 'BehavioralHealth-PHI', 'Dental'], actorId: 'bench', actorKind: 'human' };

async function setup(): Promise<void> {
  for (const [name, file] of [['base', ''], ...CANDIDATES] as [string, string][]) {
    const db = `ward_si_${name.toLowerCase()}`; // an unquoted name is folded to lower case
    await freshDatabase(url, db, (systemDb) => seedDemo(systemDb, data));
    await withClient(url(db), async (c) => {
      if (file) await c.query(readFileSync(file, 'utf8'));
      if (name === 'base') await c.query(PRE_MAC_TABLE);
      await c.query('VACUUM ANALYZE');
      await c.query('CHECKPOINT');
    });
  }
  console.log(JSON.stringify({ bench: 'scope-instructions', phase: 'setup', candidates: CANDIDATES.map(([n]) => n) }));
}

type Mode = { db: string; user?: string; begin: (pid: number) => string; table: string };

async function measure(): Promise<void> {
  const dir = opt('cg');
  const rounds = Number(opt('rounds', '3'));
  const reads = Number(opt('reads', '300'));
  const found = await withClient(url('postgres'), (c) => c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'ward\\_si\\_%' ORDER BY datname <> 'ward_si_base', datname"));
  const settings = scopeSettings(scope);
  const modes: Record<string, Mode> = { unscoped: { db: 'ward_si_base', begin: () => 'BEGIN', table: 'patients' } };
  const preMac = preMacBegin(settings);
  modes.preMac = { db: 'ward_si_base', user: 'ward_app', begin: () => preMac, table: 'bench_patients_premac' };
  for (const { datname } of found.rows) {
    const ward = openPostgres({ appUrl: url(datname, 'ward_app'), migrationUrl: url(datname) }, { size: 1 });
    const key = await loadScopeKey(ward.systemDb).finally(() => ward.close());
    modes[datname.replace('ward_si_', '')] = { db: datname, user: 'ward_app', begin: (pid) => beginScopeSql(macScope(settings, key, pid)), table: 'patients' };
  }
  const run = (m: Mode, count: number) => withClient(url(m.db, m.user), async (c) => {
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const text = m.table === 'patients' ? READ : PRE_MAC_READ;
    for (let i = 0; i < count; i += 1) {
      await c.query(m.begin(pid));
      const r = await c.query({ name: 'read', text, values: [ids[i % ids.length]] });
      if (r.rows.length !== 1) throw new Error(`${m.db}: the read found no row`);
      await c.query('COMMIT');
    }
    return pid;
  });
  const perRead: Record<string, number[]> = Object.fromEntries(Object.keys(modes).map((k) => [k, []]));
  for (const m of Object.values(modes)) await run(m, 50);
  for (let r = 0; r < rounds; r += 1) {
    const names = r % 2 === 0 ? Object.keys(modes) : Object.keys(modes).reverse();
    for (const name of names) {
      const short = await run(modes[name]!, 20);
      const long = await run(modes[name]!, 20 + reads);
      perRead[name]!.push(Math.round(((await instructions(dir, long)) - (await instructions(dir, short))) / reads));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(JSON.stringify({ bench: 'scope-instructions', phase: 'measure', reads, rounds, perRead: Object.fromEntries(Object.entries(perRead).map(([k, v]) => [k, { rounds: v, median: median(v) }])) }));
}
if (phase === 'setup') await setup();
else if (phase === 'measure') await measure();
else throw new Error('usage: scope-instructions.ts setup|measure --url <superuser URL> …');
