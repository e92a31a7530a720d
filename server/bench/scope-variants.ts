// node --import tsx server/bench/scope-variants.ts — what the scope MAC's verification costs, by parts
// (docs/threat-model.md, "What the scope MAC costs"). One PostgreSQL database (WARD_TEST_DATABASE_URL, a
// superuser URL; created and dropped), seeded like bench:db; then the same point read as bench:db,
// concurrency 8, under variants of the patients policy and its verifier, swapped in by DDL between
// measurements, all in one run and interleaved (ROUNDS, default 3, of BENCH_SECONDS, default 2). Prints
// per variant the CPU per read (this process plus the database's backends, from /proc/<pid>/schedstat),
// the backend part alone (be, what the variants differ in) and the client part (cl), each the minimum
// over the rounds, with the ratio to the unscoped BEGIN; SELECT; COMMIT of bench:db (BEGIN sent with the
// SELECT, as the scoped variants send theirs; unscopedTx3 awaits each statement, bench:db's old baseline). ONLY=a,b picks
// variants by label. Some variants are for measurement only and unsafe (the key as a constant, a
// policy on raw settings); the database is dropped at the end. Loads pgcrypto into the bench database.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';
import { createPool, openPostgres } from '../src/db/postgres.ts';
import { loadScopeKey, macScopeSettings } from '../src/db/scope-key.ts';
import { scopeSettings } from '../src/db/scope.ts';
import type { DataScope } from '../src/db/types.ts';
import { generateDemo } from '../src/modules/demo/index.ts';
import { seedDemo } from '../src/modules/demo/seed.ts';
import { createHmac } from 'node:crypto';

const C = 8;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const READ = 'SELECT id, phi_scope, given_name_enc, family_name_enc, date_of_birth_enc FROM patients WHERE id = $1';
const TICK_US = 1e4;
const ONLY = process.env.ONLY?.split(',');

function micros(pids: number[]) {
  const m = new Map<number, number>();
  for (const pid of pids) {
    try {
      m.set(pid, Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000);
    } catch { /* gone */ }
  }
  return m;
}

type Client = pg.PoolClient;
async function tx(pool: pg.Pool, begin: (c: Client) => Promise<unknown>[], body: (c: Client) => Promise<unknown>) {
  const c = await pool.connect();
  try {
    const stream = (c as unknown as { connection: { stream: { cork(): void; uncork(): void } } }).connection.stream;
    stream.cork();
    const ready = Promise.all(begin(c));
    const p = body(c);
    stream.uncork();
    await p;
    await ready;
    await c.query('COMMIT');
  } finally {
    c.release();
  }
}

const url = process.env.WARD_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const name = `ward_exp_${randomBytes(4).toString('hex')}`;
await admin.query(`CREATE DATABASE ${name}`);
const ownerUrl = Object.assign(new URL(url), { pathname: `/${name}` }).href;
const appUrl = Object.assign(new URL(ownerUrl), { username: 'ward_app', password: '' }).href;
const db = openPostgres({ appUrl, migrationUrl: ownerUrl }, { size: C });
const su = new pg.Client({ connectionString: ownerUrl });
await su.connect();
try {
  await migrate(db.systemDb);
  const data = generateDemo(1);
  await seedDemo(db.systemDb, data);
  const tenant = data.tenants[0]!;
  const ids = data.patients.filter((p) => p.tenantId === tenant.id && p.phiScope !== 'SUD-Part2').map((p) => p.id);
  const scope: DataScope = { tenantId: tenant.id, phiScopes: ['Healthcare-PHI', 'BehavioralHealth-PHI', 'Dental'], actorId: 'bench', actorKind: 'human' };
  const key = await loadScopeKey(db.systemDb);
  const hex = (b: Buffer) => `'\\x${b.toString('hex')}'::bytea`;
  const ik = hex(Buffer.from(key.map((b) => b ^ 0x36)));
  const ok = hex(Buffer.from(key.map((b) => b ^ 0x5c)));
  await su.query('CREATE EXTENSION IF NOT EXISTS pgcrypto');
  await su.query(`CREATE TABLE ward_exp_raw_key (id int PRIMARY KEY, k bytea); INSERT INTO ward_exp_raw_key VALUES (1, ${hex(key)}); GRANT SELECT ON ward_exp_raw_key TO ward_definer;`);
  const curDef = (await su.query<{ d: string }>("SELECT pg_get_functiondef('ward_scope_phi_keys()'::regprocedure) AS d")).rows[0]!.d;
  const curPolicy = `CREATE POLICY tenant_and_scope ON patients USING (tenant_id = ward_scope_tenant_hint() AND (tenant_id::text || '/' || phi_scope) = ANY ((SELECT ward_scope_phi_keys())::text[]))`;
  const keysExpr = `CASE WHEN s.scopes = '' THEN '{}'::text[] ELSE string_to_array(s.tenant || '/' || replace(s.scopes, ',', ',' || s.tenant || '/'), ',') END`;
  const getter = (select: string, check: string) => `CREATE OR REPLACE FUNCTION public.ward_scope_phi_keys() RETURNS text[]
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE s record;
BEGIN
  ${select}
  IF ${check} THEN
    IF s.expires::bigint > extract(epoch FROM now()) AND s.expires::bigint <= extract(epoch FROM now()) + 40 THEN
      RETURN ${keysExpr};
    END IF;
  END IF;
  RETURN NULL;
END $f$`;
  const settings6 = `COALESCE(current_setting('ward.tenant_id', true), '') AS tenant, COALESCE(current_setting('ward.phi_scopes', true), '') AS scopes,
    COALESCE(current_setting('ward.actor_id', true), '') AS actor, COALESCE(current_setting('ward.actor_kind', true), '') AS kind,
    COALESCE(current_setting('ward.scope_expires', true), '') AS expires, current_setting('ward.scope_mac', true) AS mac`;
  const msg = `convert_to(concat_ws(E'\\n', 'ward-scope-v1', s.tenant, s.scopes, s.actor, s.kind, pg_backend_pid()::text, s.expires), 'UTF8')`;
  const hmacCore = `s.mac = encode(sha256(s.ok || sha256(s.ik || ${msg})), 'hex')`;
  const defs: Record<string, string> = {
    cur: curDef,
    noverify: `CREATE OR REPLACE FUNCTION public.ward_scope_phi_keys() RETURNS text[]
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE s record;
BEGIN
  SELECT ${settings6} INTO s;
  RETURN ${keysExpr};
END $f$`,
    constkey: getter(`SELECT ${ik} AS ik, ${ok} AS ok, ${settings6} INTO s;`, hmacCore),
    nokeytblhmaconly: getter(`SELECT ${settings6} INTO s;`, `s.mac = encode(sha256(${ok} || sha256(${ik} || ${msg})), 'hex')`),
    pgcrypto: getter(`SELECT k.k AS k, ${settings6} INTO s FROM public.ward_exp_raw_key k WHERE k.id = 1;`, `s.mac = encode(public.hmac(${msg}, s.k, 'sha256'), 'hex')`),
    keyseqscan: getter(`SELECT k.inner_key AS ik, k.outer_key AS ok, ${settings6} INTO s FROM public.ward_scope_keys k;`, hmacCore),
    onecfg: `CREATE OR REPLACE FUNCTION public.ward_scope_phi_keys() RETURNS text[]
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE s record;
BEGIN
  SELECT k.inner_key AS ik, k.outer_key AS ok, current_setting('ward.scope', true) AS v INTO s FROM public.ward_scope_keys k WHERE k.id = 1;
  IF right(s.v, 64) = encode(sha256(s.ok || sha256(s.ik || convert_to(left(s.v, -64) || pg_backend_pid()::text, 'UTF8'))), 'hex')
     AND split_part(s.v, E'\\n', 5)::bigint > extract(epoch FROM now()) AND split_part(s.v, E'\\n', 5)::bigint <= extract(epoch FROM now()) + 40 THEN
    RETURN string_to_array(split_part(s.v, E'\\n', 1) || '/' || replace(split_part(s.v, E'\\n', 2), ',', ',' || split_part(s.v, E'\\n', 1) || '/'), ',');
  END IF;
  RETURN NULL;
END $f$`,
  };
  const setPolicy = async (policy: string, fn: string | null | undefined, keyRls = true) => {
    await su.query('BEGIN');
    if (fn) await su.query(`SET LOCAL ROLE ward_definer; ${fn}; RESET ROLE`);
    await su.query(`DROP POLICY tenant_and_scope ON patients; ${policy}`);
    await su.query(`ALTER TABLE ward_scope_keys ${keyRls ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`);
    await su.query('COMMIT');
  };
  await su.query(`CREATE FUNCTION ward_hint1() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULLIF(split_part(current_setting('ward.scope', true), E'\\n', 1), '')::uuid $$; GRANT EXECUTE ON FUNCTION ward_hint1() TO ward_app`);
  await su.query(`SET ROLE ward_definer; CREATE VIEW public.ward_exp_scope_view WITH (security_barrier) AS
SELECT CASE WHEN s.mac = encode(sha256(s.ok || sha256(s.ik || ${msg})), 'hex') THEN
         CASE WHEN s.expires::bigint > extract(epoch FROM now()) AND s.expires::bigint <= extract(epoch FROM now()) + 40 THEN ${keysExpr} END
       END AS phi_keys
  FROM (SELECT k.inner_key AS ik, k.outer_key AS ok, ${settings6} FROM public.ward_scope_keys k WHERE k.id = 1) s;
GRANT SELECT ON public.ward_exp_scope_view TO ward_app; RESET ROLE`);
  const policyView = `CREATE POLICY tenant_and_scope ON patients USING (tenant_id = ward_scope_tenant_hint() AND (tenant_id::text || '/' || phi_scope) = ANY ((SELECT v.phi_keys FROM public.ward_exp_scope_view v)::text[]))`;
  const simpleKeys = `(SELECT CASE WHEN s.scopes = '' THEN '{}'::text[] ELSE string_to_array(s.tenant || '/' || replace(s.scopes, ',', ',' || s.tenant || '/'), ',') END FROM (SELECT COALESCE(current_setting('ward.tenant_id', true), '') AS tenant, COALESCE(current_setting('ward.phi_scopes', true), '') AS scopes) s)`;
  const fnSimple = (opts: string) => `CREATE OR REPLACE FUNCTION public.ward_scope_phi_keys() RETURNS text[] LANGUAGE plpgsql STABLE ${opts} AS $f$
BEGIN RETURN string_to_array(current_setting('ward.tenant_id', true) || '/' || replace(current_setting('ward.phi_scopes', true), ',', ',' || current_setting('ward.tenant_id', true) || '/'), ','); END $f$`;
  defs.fnSimpleDef = fnSimple('SECURITY DEFINER SET search_path = pg_catalog, pg_temp');
  defs.fnSimpleDefSpEmpty = fnSimple("SECURITY DEFINER SET search_path = ''");
  defs.curSpEmpty = curDef.replace(/SET search_path TO [^\n]*/, "SET search_path = ''");
  defs.fnSimpleDefNoSp = fnSimple('SECURITY DEFINER');
  defs.fnSimpleInvoker = fnSimple('');
  await su.query(`SET ROLE ward_definer; CREATE VIEW public.ward_exp_view_keyonly WITH (security_barrier) AS
SELECT ${keysExpr} AS phi_keys
  FROM (SELECT k.inner_key AS ik, k.outer_key AS ok, ${settings6} FROM public.ward_scope_keys k WHERE k.id = 1) s;
CREATE VIEW public.ward_exp_view_nokey WITH (security_barrier) AS
SELECT CASE WHEN s.mac = encode(sha256(s.ok || sha256(s.ik || ${msg})), 'hex') THEN
         CASE WHEN s.expires::bigint > extract(epoch FROM now()) AND s.expires::bigint <= extract(epoch FROM now()) + 40 THEN ${keysExpr} END
       END AS phi_keys
  FROM (SELECT ${ik} AS ik, ${ok} AS ok, ${settings6}) s;
GRANT SELECT ON public.ward_exp_view_keyonly, public.ward_exp_view_nokey TO ward_app; RESET ROLE`);
  const vdef = (await su.query<{ d: string }>("SELECT pg_get_viewdef('ward_scope_verified'::regclass) AS d")).rows[0]!.d;
  if (!/WHERE \(?k\.id = 1\)?/.test(vdef)) throw new Error(vdef);
  await su.query(`SET ROLE ward_definer; CREATE VIEW public.ward_exp_view_seq WITH (security_barrier) AS ${vdef.replace(/WHERE \(?k\.id = 1\)?/, '').replace(/;\s*$/, '')};
GRANT SELECT ON public.ward_exp_view_seq TO ward_app; RESET ROLE`);
  const policyWith = (v: string) => `CREATE POLICY tenant_and_scope ON patients USING (tenant_id = ward_scope_tenant_hint() AND (tenant_id::text || '/' || phi_scope) = ANY ((SELECT v.phi_keys FROM public.${v} v)::text[]))`;
  const policyOneCfg = `CREATE POLICY tenant_and_scope ON patients USING (tenant_id = ward_hint1() AND (tenant_id::text || '/' || phi_scope) = ANY ((SELECT ward_scope_phi_keys())::text[]))`;
  const policyNoMac = `CREATE POLICY tenant_and_scope ON patients USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')))`;

  const app = createPool(appUrl, C, { pipeline: true });
  const owner = createPool(ownerUrl, C, { pipeline: true });
  const settings = scopeSettings(scope);
  const pid = (c: Client) => (c as unknown as { processID: number }).processID;
  const read = (c: Client, id: string) => c.query({ name: 'r', text: READ, values: [id] }).then((r) => { if (r.rows.length !== 1) throw new Error('no row'); });
  const SET6 = "SELECT set_config('ward.tenant_id', $1, true), set_config('ward.phi_scopes', $2, true), set_config('ward.actor_id', $3, true), set_config('ward.actor_kind', $4, true), set_config('ward.scope_expires', $5, true), set_config('ward.scope_mac', $6, true)";
  const SET4 = "SELECT set_config('ward.tenant_id', $1, true), set_config('ward.phi_scopes', $2, true), set_config('ward.actor_id', $3, true), set_config('ward.actor_kind', $4, true)";
  const scoped6 = (pool: pg.Pool) => (id: string) => tx(pool, (c) => [c.query('BEGIN'), c.query({ name: 's6', text: SET6, values: macScopeSettings(settings, key, pid(c)) })], (c) => read(c, id));
  const scoped4 = (id: string) => tx(app, (c) => [c.query('BEGIN'), c.query({ name: 's4', text: SET4, values: [...settings] })], (c) => read(c, id));
  const scoped1 = (id: string) => tx(app, (c) => {
    const expires = String(Math.floor(Date.now() / 1000) + 30);
    const head = [...settings, expires].join('\n') + '\n';
    const mac = createHmac('sha256', key).update(head + String(pid(c)), 'utf8').digest('hex');
    return [c.query('BEGIN'), c.query({ name: 's1', text: "SELECT FROM set_config('ward.scope', $1, true)", values: [head + mac] })];
  }, (c) => read(c, id));
  const txPipe = (id: string) => tx(owner, (c) => [c.query('BEGIN')], (c) => read(c, id));
  const tx3 = async (id: string) => {
    const c = await owner.connect();
    try { await c.query('BEGIN'); await read(c, id); await c.query('COMMIT'); } finally { c.release(); }
  };
  const bare = (id: string) => owner.connect().then(async (c) => { try { await read(c, id); } finally { c.release(); } });

  const variants: [string, () => Promise<void>, (id: string) => Promise<unknown>][] = [
    ['unscopedTx3 (three round trips)', async () => {}, tx3],
    ['unscopedTxPipelined (bench unscopedTx)', async () => {}, txPipe],
    ['unscopedBare', async () => {}, bare],
    ['owner+set6 (no RLS)', async () => {}, scoped6(owner)],
    ['beforeMac: 4 settings, policy on settings', () => setPolicy(policyNoMac, null), scoped4],
    ['noverify definer getter', () => setPolicy(curPolicy, defs.noverify), scoped6(app)],
    ['cur (0038 getter)', () => setPolicy(curPolicy, defs.cur), scoped6(app)],
    ['cur, key table without RLS', () => setPolicy(curPolicy, defs.cur, false), scoped6(app)],
    ['key seq scan', () => setPolicy(curPolicy, defs.keyseqscan), scoped6(app)],
    ['const key (no table)', () => setPolicy(curPolicy, defs.constkey), scoped6(app)],
    ['hmac only, no table, no key expr', () => setPolicy(curPolicy, defs.nokeytblhmaconly), scoped6(app)],
    ['pgcrypto hmac', () => setPolicy(curPolicy, defs.pgcrypto), scoped6(app)],
    ['fnSimple definer+sp', () => setPolicy(curPolicy, defs.fnSimpleDef), scoped6(app)],
    ['fnSimple definer sp-empty', () => setPolicy(curPolicy, defs.fnSimpleDefSpEmpty), scoped6(app)],
    ['cur sp-empty', () => setPolicy(curPolicy, defs.curSpEmpty), scoped6(app)],
    ['fnSimple definer nosp', () => setPolicy(curPolicy, defs.fnSimpleDefNoSp), scoped6(app)],
    ['fnSimple invoker', () => setPolicy(curPolicy, defs.fnSimpleInvoker), scoped6(app)],
    ['view keyonly', () => setPolicy(policyWith('ward_exp_view_keyonly'), defs.cur), scoped6(app)],
    ['view nokey', () => setPolicy(policyWith('ward_exp_view_nokey'), defs.cur), scoped6(app)],
    ['sb view', () => setPolicy(policyView, defs.cur), scoped6(app)],
    ['view, key by seq scan', () => setPolicy(policyWith('ward_exp_view_seq'), defs.cur), scoped6(app)],
    ['0066 ward_scope_verified', () => setPolicy(policyWith('ward_scope_verified'), defs.cur), scoped6(app)],
    ['one setting', () => setPolicy(policyOneCfg, defs.onecfg), scoped1],
  ];
  const pids = async () => (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])).rows.map((r) => r.pid);
  const results = new Map<string, { cpu: number[]; rate: number[]; be: number[]; cl: number[] }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, setup, run] of variants) {
      if (ONLY && !ONLY.some((o) => label.includes(o))) continue;
      await setup();
      const loop = async (deadline: number) => { let n = 0; while (performance.now() < deadline) { await run(ids[(Math.random() * ids.length) | 0]!); n++; } return n; };
      await Promise.all(Array.from({ length: C }, () => loop(performance.now() + 300)));
      const p = await pids();
      const own0 = process.cpuUsage();
      const b0 = micros(p);
      const t0 = performance.now();
      const counts = await Promise.all(Array.from({ length: C }, () => loop(t0 + SECONDS * 1000)));
      const el = (performance.now() - t0) / 1000;
      const own = process.cpuUsage(own0);
      let be = 0;
      for (const [pp, u] of micros(p)) be += u - (b0.get(pp) ?? 0);
      const n = counts.reduce((a, b) => a + b, 0);
      const r = results.get(label) ?? { cpu: [], rate: [], be: [], cl: [] };
      r.cpu.push((be + own.user + own.system) / n); r.rate.push(n / el); r.be.push(be / n); r.cl.push((own.user + own.system) / n);
      results.set(label, r);
    }
  }
  await setPolicy(curPolicy, defs.cur);
  const base = results.get('unscopedTxPipelined (bench unscopedTx)');
  const baseCpu = base ? Math.min(...base.cpu) : NaN;
  const baseRate = base ? base.rate.reduce((a, b) => a + b) / base.rate.length : NaN;
  for (const [label, r] of results) {
    const cpu = Math.min(...r.cpu);
    const rate = r.rate.reduce((a, b) => a + b) / r.rate.length;
    console.log(`${label.padEnd(44)} cpu ${cpu.toFixed(0).padStart(5)} µs be ${Math.min(...r.be).toFixed(0).padStart(4)} cl ${Math.min(...r.cl).toFixed(0).padStart(4)} (${r.be.map((x) => x.toFixed(0)).join('/')})  ratioCpu ${(baseCpu / cpu).toFixed(3)}  rate ${rate.toFixed(0).padStart(6)}/s ratio ${(rate / baseRate).toFixed(3)}`);
  }
  await app.end(); await owner.end();
} finally {
  await su.end();
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
