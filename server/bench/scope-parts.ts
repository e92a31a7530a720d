// node --import tsx server/bench/scope-parts.ts — where a scoped point read's extra CPU goes, part by
// part (docs/threat-model.md, "What the scope MAC costs"). One PostgreSQL database (WARD_TEST_DATABASE_URL,
// a superuser URL; created, seeded like bench:db, dropped at the end); the bench:db point read under
// variants that add one part at a time, all in one run, interleaved (ROUNDS, default 4, of
// BENCH_SECONDS, default 3), concurrency C (default 8). Prints per variant the CPU per read: this
// process (cl) plus the bench database's backends (be, from /proc/<pid>/schedstat), each the minimum
// over the rounds, and the ratio to the unscoped transaction. ONLY=a,b picks variants by label.
// The variants on one setting (`ward.scope`) use experimental views and a patients policy swapped
// in by DDL; they are for measurement only (one of them reads unverified settings).
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';
import { createPool, openPostgres } from '../src/db/postgres.ts';
import { beginScopeSql, loadScopeKey, macScopeSettings, SET_SCOPE_SETTINGS } from '../src/db/scope-key.ts';
import { generateDemo } from '../src/modules/demo/index.ts';
import { seedDemo } from '../src/modules/demo/seed.ts';

const C = Number(process.env.C ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const ONLY = process.env.ONLY?.split(',');
const READ = 'SELECT id, phi_scope, given_name_enc, family_name_enc, date_of_birth_enc FROM patients WHERE id = $1';

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

  // One setting: tenant, scopes, actor, kind, expiry and the MAC, newline-separated; the MAC over
  // 'ward-scope-v2', the value before it and the backend pid.
  const oneSetting = (pid: number) => {
    const head = [...settings, String(Math.floor(Date.now() / 1000) + 30)].join('\n') + '\n';
    return head + createHmac('sha256', key).update(`ward-scope-v2\n${head}${pid}`, 'utf8').digest('hex');
  };
  const keys = (t: string, s: string) => `CASE WHEN ${s} = '' THEN '{}'::text[] ELSE string_to_array(${t} || '/' || replace(${s}, ',', ',' || ${t} || '/'), ',') END`;
  const field = (n: number) => `split_part(m.v, E'\\n', ${n})`;
  const mac = "encode(sha256(m.ok || sha256(m.ik || convert_to('ward-scope-v2' || E'\\n' || left(m.v, -64) || pg_backend_pid()::text, 'UTF8'))), 'hex')";
  const expiry = `${field(5)}::bigint > extract(epoch FROM now()) AND ${field(5)}::bigint <= extract(epoch FROM now()) + 40`;
  const view = (viewName: string, check: string, then: string) => `CREATE VIEW public.${viewName} WITH (security_barrier) AS
    SELECT CASE WHEN CASE WHEN ${check} THEN ${then} ELSE false END THEN ${keys(field(1), field(2))} END AS phi_keys
      FROM (SELECT k.inner_key AS ik, k.outer_key AS ok, COALESCE(current_setting('ward.scope', true), '') AS v FROM public.ward_scope_keys k WHERE k.id = 1) m`;
  await su.query(`SET ROLE ward_definer;
    ${view('parts_one_mac', `right(m.v, 64) = ${mac}`, expiry)};
    ${view('parts_one_nohash', 'true', expiry)};
    CREATE VIEW public.parts_one_raw AS SELECT ${keys(field(1), field(2))} AS phi_keys FROM (SELECT COALESCE(current_setting('ward.scope', true), '') AS v) m;
    GRANT SELECT ON public.parts_one_mac, public.parts_one_nohash, public.parts_one_raw TO ward_app;
    RESET ROLE;
    CREATE FUNCTION parts_one_hint() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULLIF(split_part(current_setting('ward.scope', true), E'\\n', 1), '')::uuid $$;
    GRANT EXECUTE ON FUNCTION parts_one_hint() TO ward_app`);
  const current = (await su.query<{ q: string }>("SELECT pg_get_expr(polqual, polrelid) AS q FROM pg_policy WHERE polrelid = 'patients'::regclass AND polname = 'tenant_and_scope'")).rows[0]!.q;
  const onView = (v: string) => `tenant_id = parts_one_hint() AND (tenant_id::text || '/' || phi_scope) = ANY ((SELECT v.phi_keys FROM public.${v} v)::text[])`;
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
    namedSet6: (c: Client) => [c.query('BEGIN'), c.query({ name: 'set6', text: `SELECT ${SET_SCOPE_SETTINGS}`, values: macScopeSettings(settings, key, pidOf(c)) })],
    setLocal6: (c: Client) => [c.query(beginScopeSql(macScopeSettings(settings, key, pidOf(c))))],
    setLocal1: (c: Client) => [c.query(`BEGIN; SET LOCAL ward.scope = ${pg.escapeLiteral(oneSetting(pidOf(c)))}`)],
  };
  const same = async () => {};
  const variants: [string, () => Promise<void>, (id: string) => Promise<unknown>][] = [
    ['unscoped (owner, BEGIN; SELECT; COMMIT)', same, (id) => tx(owner, open.begin, id)],
    ['owner + named set_config x6 (no RLS)', same, (id) => tx(owner, open.namedSet6, id)],
    ['owner + SET LOCAL x6 with BEGIN (no RLS)', same, (id) => tx(owner, open.setLocal6, id)],
    ['policy on raw settings (no MAC), SET LOCAL x6', policy(rawSettings), (id) => tx(app, open.setLocal6, id)],
    ['0066 view, named set_config x6 (until now)', policy(current), (id) => tx(app, open.namedSet6, id)],
    ['0066 view, SET LOCAL x6 with BEGIN (now)', policy(current), (id) => tx(app, open.setLocal6, id)],
    ['one setting, raw (no MAC)', policy(onView('parts_one_raw')), (id) => tx(app, open.setLocal1, id)],
    ['one setting, view without the HMAC', policy(onView('parts_one_nohash')), (id) => tx(app, open.setLocal1, id)],
    ['one setting, view with MAC', policy(onView('parts_one_mac')), (id) => tx(app, open.setLocal1, id)],
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
