// node --import tsx server/bench/scope-parts.ts — where a scoped point read's extra CPU goes, part by
// part, and the scope before and after 0099 side by side (docs/threat-model.md, "What the scope MAC
// costs"). One PostgreSQL database (WARD_TEST_DATABASE_URL, a superuser URL; created, seeded like
// bench:db, dropped at the end); the bench:db point read under variants that add one part at a time,
// all in one run, interleaved (ROUNDS, default 4, of BENCH_SECONDS, default 3), concurrency C
// (default 8). Prints per variant the CPU per read: this process (cl) plus the bench database's
// backends (be, from /proc/<pid>/schedstat), each the minimum over the rounds, and the ratio to the
// unscoped transaction. ONLY=a,b picks variants by label.
// The pre-MAC policy and the 0066 view (six settings) are re-created here, in the bench's own
// database, and swapped into the patients policy by DDL; they are for measurement only (the pre-MAC
// policy reads unverified settings).
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';
import { createPool, openPostgres } from '../src/db/postgres.ts';
import { beginScopeSql, loadScopeKey, macScope, scopeLiteral } from '../src/db/scope-key.ts';
import { generateDemo } from '../src/modules/demo/index.ts';
import { seedDemo } from '../src/modules/demo/seed.ts';

const C = Number(process.env.C ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const ONLY = process.env.ONLY?.split(',');
const READ = 'SELECT id, phi_scope, given_name_enc, family_name_enc, date_of_birth_enc FROM patients WHERE id = $1';

// 0066's view as it was migrated, over the six settings of 0015 (MAC over 'ward-scope-v1' and the fields), under another name.
const VIEW_0066 = readFileSync(new URL('../src/db/migrations/0066_scope_verified_in_plan.sql', import.meta.url), 'utf8')
  .match(/CREATE VIEW ward_scope_verified [\s\S]*?(?=;\n)/)![0].replace('ward_scope_verified', 'public.parts_view_0066');

const url = process.env.WARD_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const name = `ward_parts_${randomBytes(4).toString('hex')}`;
await admin.query(`CREATE DATABASE ${name}`); // generated name, not input
const ownerUrl = Object.assign(new URL(url), { pathname: `/${name}` }).href;
const appUrl = Object.assign(new URL(ownerUrl), { username: 'ward_app', password: '' }).href;
const db = openPostgres({ appUrl, migrationUrl: ownerUrl }, { size: 2 });
const su = new pg.Client({ connectionString: ownerUrl });
await su.connect();
const app = createPool(appUrl, C, { pipeline: true });
const owner = createPool(ownerUrl, C, { pipeline: true });
try {
  await migrate(db.systemDb);
  const data = generateDemo(1);
  await seedDemo(db.systemDb, data);
  const tenant = data.tenants[0]!.id;
  const ids = data.patients.filter((p) => p.tenantId === tenant && p.phiScope !== 'SUD-Part2').map((p) => p.id);
  const key = await loadScopeKey(db.systemDb);
  const settings = [tenant, 'Healthcare-PHI,BehavioralHealth-PHI,Dental', 'bench', 'human'] as const;

  // The six settings of 0015-0098: tenant, scopes, actor, kind, expiry and the MAC over them.
  const six = (pid: number) => {
    const expires = String(Math.floor(Date.now() / 1000) + 30);
    const mac = createHmac('sha256', key).update(['ward-scope-v1', ...settings, String(pid), expires].join('\n'), 'utf8').digest('hex');
    return [...settings, expires, mac];
  };
  const setLocals = (names: string[], values: string[]) => `BEGIN; ${names.map((n, i) => `SET LOCAL ward.${n} = ${scopeLiteral(values[i]!)}`).join('; ')}`;
  const SIX = ['tenant_id', 'phi_scopes', 'actor_id', 'actor_kind', 'scope_expires', 'scope_mac'];
  await su.query(`SET ROLE ward_definer; ${VIEW_0066}; GRANT SELECT ON public.parts_view_0066 TO ward_app; RESET ROLE;
    CREATE FUNCTION parts_hint_0066() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('ward.tenant_id', true), '')::uuid $$;
    GRANT EXECUTE ON FUNCTION parts_hint_0066() TO ward_app`);
  const current = (await su.query<{ q: string }>("SELECT pg_get_expr(polqual, polrelid) AS q FROM pg_policy WHERE polrelid = 'patients'::regclass AND polname = 'tenant_and_scope'")).rows[0]!.q;
  const view0066 = "tenant_id = parts_hint_0066() AND (tenant_id::text || '/' || phi_scope) = ANY ((SELECT v.phi_keys FROM public.parts_view_0066 v)::text[])";
  const rawSettings = "tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ','))";
  const policy = (using: string) => async () => {
    await su.query(`BEGIN; DROP POLICY tenant_and_scope ON patients; CREATE POLICY tenant_and_scope ON patients USING (${using}); COMMIT`);
  };

  type Client = pg.PoolClient;
  const pidOf = (c: Client) => (c as unknown as { processID: number }).processID;
  // The shape of postgres.ts's inTransaction: the opening messages and the SELECT leave in one write, then COMMIT.
  async function tx(pool: pg.Pool, open: (c: Client) => Promise<unknown>[], id: string) {
    const c = await pool.connect();
    try {
      const stream = (c as unknown as { connection: { stream: { cork(): void; uncork(): void } } }).connection.stream;
      stream.cork();
      const ready = Promise.all(open(c));
      const read = c.query({ name: 'read', text: READ, values: [id] });
      stream.uncork();
      const r = await read;
      await ready;
      if (r.rows.length !== 1) throw new Error('the read found no row');
      await c.query('COMMIT');
    } finally {
      c.release();
    }
  }
  const open = {
    begin: (c: Client) => [c.query('BEGIN')],
    setLocal6: (c: Client) => [c.query(setLocals(SIX, six(pidOf(c))))],
    setLocal4: (c: Client) => [c.query(setLocals(SIX.slice(0, 4), [...settings]))],
    setLocal1: (c: Client) => [c.query(beginScopeSql(macScope(settings, key, pidOf(c))))],
  };
  const same = async () => {};
  const variants: [string, () => Promise<void>, (id: string) => Promise<unknown>][] = [
    ['unscoped (owner, BEGIN; SELECT; COMMIT)', same, (id) => tx(owner, open.begin, id)],
    ['owner + SET LOCAL x6 with BEGIN (no RLS)', same, (id) => tx(owner, open.setLocal6, id)],
    ['owner + SET LOCAL ward.scope with BEGIN (no RLS)', same, (id) => tx(owner, open.setLocal1, id)],
    ['pre-MAC: policy on raw settings, SET LOCAL x4', policy(rawSettings), (id) => tx(app, open.setLocal4, id)],
    ['0066 view, six settings (before 0099)', policy(view0066), (id) => tx(app, open.setLocal6, id)],
    ['the view as migrated (0103), one setting (now)', policy(current), (id) => tx(app, open.setLocal1, id)],
  ];

  const micros = (pids: number[]) => {
    const m = new Map<number, number>();
    for (const pid of pids) {
      try {
        m.set(pid, Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000);
      } catch {
        /* gone, or not on this host */
      }
    }
    return m;
  };
  const pids = async () => (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name])).rows.map((r) => r.pid);
  const results = new Map<string, { be: number[]; cl: number[] }>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, setup, run] of variants) {
        if (ONLY && !ONLY.some((o) => label.includes(o))) continue;
        await setup();
        const loop = async (deadline: number) => {
          let n = 0;
          for (; performance.now() < deadline; n++) await run(ids[(Math.random() * ids.length) | 0]!);
          return n;
        };
        await Promise.all(Array.from({ length: C }, () => loop(performance.now() + 300)));
        const p = await pids();
        const own0 = process.cpuUsage();
        const be0 = micros(p);
        const t0 = performance.now();
        const n = (await Promise.all(Array.from({ length: C }, () => loop(t0 + SECONDS * 1000)))).reduce((a, b) => a + b, 0);
        const own = process.cpuUsage(own0);
        let be = 0;
        for (const [pid, used] of micros(p)) be += used - (be0.get(pid) ?? 0);
        const r = results.get(label) ?? { be: [], cl: [] };
        r.be.push(be / n);
        r.cl.push((own.user + own.system) / n);
        results.set(label, r);
      }
    }
  } finally {
    await policy(current)();
  }
  const cpu = (r: { be: number[]; cl: number[] }) => Math.min(...r.be.map((b, i) => b + r.cl[i]!));
  const base = results.get(variants[0]![0]);
  for (const [label, r] of results) {
    const ratio = base ? (cpu(base) / cpu(r)).toFixed(3) : '-';
    console.log(`${label.padEnd(46)} cpu ${cpu(r).toFixed(0).padStart(4)} µs  be ${Math.min(...r.be).toFixed(0).padStart(4)}  cl ${Math.min(...r.cl).toFixed(0).padStart(4)}  ratio ${ratio}`);
  }
} finally {
  await app.end();
  await owner.end();
  await su.end();
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
