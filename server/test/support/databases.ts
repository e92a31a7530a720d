import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.ts';
import { openEmbedded } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import type { Db, Tx } from '../../src/db/types.ts';
import { isAlive, runHash } from './stale-runs.ts';

/**
 * The two engines every storage contract test runs against: the embedded PGlite (always) and
 * PostgreSQL (when WARD_TEST_DATABASE_URL names a superuser URL; a database is created per run and
 * dropped after).
 */
export interface TestDatabase {
  engine: 'embedded' | 'postgres';
  db: Db;
  /** Runs fn as ward_app with no ward.* settings at all. */
  asAppWithoutSettings<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** A superuser connection to the same database (to play an attacker with the keys, or a fixture loader). */
  superuser<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Connection facts for tests that start a server or a CLI against this database. */
  env: Record<string, string>;
  close(): Promise<void>;
}

let templateDir: string | undefined = process.env.WARD_TEST_PGLITE_TEMPLATE;

async function template(): Promise<string> {
  if (templateDir && existsSync(templateDir)) return templateDir;
  const dir = mkdtempSync(join(tmpdir(), 'ward-template-'));
  const db = await openEmbedded(dir, { lock: false });
  await migrate(db.systemDb);
  await db.close();
  templateDir = dir;
  return dir;
}

/** A fresh embedded data directory (under `parent`) holding a copy of `from` (default: the migrated template; no lock taken). */
export async function embeddedDataDir(from?: string, parent = runDir ?? tmpdir()): Promise<string> {
  const dataDir = mkdtempSync(join(parent, 'ward-pglite-'));
  copyDir(from ?? (await template()), dataDir);
  return dataDir;
}

/** Copies a data or key directory; a data directory's lock file stays behind. */
export function copyDir(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('/ward.lock') });
}

/**
 * The run's shared directory: scripts/test.mjs makes one per `npm test` (WARD_TEST_TMP), removes it
 * and drops the PostgreSQL databases listed in its `pg-templates` file at the end. Templates built
 * there are shared by every test file of the run; outside a run (a file run alone by `node --test`,
 * a benchmark) each file builds what it needs itself, as before.
 */
export const runDir = process.env.WARD_TEST_TMP?.trim() || undefined;
const PG_TEMPLATES = 'pg-templates';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const shared = new Map<string, Promise<unknown>>();

/**
 * Builds `name` once per run: the first test file that asks builds it under a lock (a directory,
 * holding the builder's pid), the others wait for its result (JSON); a builder that died is taken
 * over. Outside a run: once per process.
 */
export function onceThisRun<T>(name: string, build: () => Promise<T>): Promise<T> {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bad shared name ${name}`);
  let p = shared.get(name) as Promise<T> | undefined;
  if (!p) {
    p = runDir ? buildShared(runDir, name, build) : build();
    p.catch(() => shared.delete(name));
    shared.set(name, p);
  }
  return p;
}

async function buildShared<T>(dir: string, name: string, build: () => Promise<T>): Promise<T> {
  const done = join(dir, `${name}.json`);
  const lock = join(dir, `${name}.lock`);
  for (;;) {
    if (existsSync(done)) return JSON.parse(readFileSync(done, 'utf8')) as T;
    try {
      mkdirSync(lock);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {} // not written yet: the holder has only just taken the lock
      if (Number.isInteger(holder) && !isAlive(holder)) rmSync(lock, { recursive: true, force: true });
      await sleep(100);
      continue;
    }
    try {
      writeFileSync(join(lock, 'pid'), String(process.pid));
      const value = await build();
      writeFileSync(`${done}.tmp`, JSON.stringify(value));
      renameSync(`${done}.tmp`, done);
      return value;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** A PostgreSQL database name for a template of this run (`what`: lower-case letters, digits, underscores). */
export function postgresTemplateName(what: string): string {
  return `ward_test_tpl_${runHash(runDir ?? String(process.pid))}_${what}`;
}

/**
 * Makes `build`'s database a template: scripts/test.mjs drops it at the end of the run; no one may
 * connect to it any more (CREATE DATABASE … TEMPLATE needs it idle, and autovacuum then leaves it alone).
 */
export async function registerPostgresTemplate(name: string, build: () => Promise<void>): Promise<void> {
  if (!postgresUrl || !runDir) throw new Error('a PostgreSQL template needs WARD_TEST_DATABASE_URL and a run (scripts/test.mjs)');
  appendFileSync(join(runDir, PG_TEMPLATES), `${name}\n`); // listed first: a build that fails half-way is dropped too
  await build();
  await withClient(postgresUrl, (c) => c.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`));
}

/**
 * The run's migrated PostgreSQL template: every migration applied once per run, instead of once per
 * test database (R-OPS-1: the CI budget). Undefined outside a run.
 */
export async function postgresMigratedTemplate(): Promise<string | undefined> {
  if (!runDir || !postgresUrl) return undefined;
  return onceThisRun('pg-migrated', async () => {
    const name = postgresTemplateName('migrated');
    await registerPostgresTemplate(name, async () => {
      await withClient(postgresUrl!, (c) => c.query(`CREATE DATABASE ${name}`));
      const db = openPostgres({ appUrl: withDatabase(postgresUrl!, name, 'ward_app'), migrationUrl: withDatabase(postgresUrl!, name) }, { size: 1 });
      try {
        await migrate(db.systemDb);
      } finally {
        await db.close();
      }
    });
    return name;
  });
}

/**
 * A fresh PostgreSQL database, empty (migrations are up to the caller) or a copy of `template` (a
 * database of postgresMigratedTemplate or registerPostgresTemplate); returns its name, owner and
 * ward_app URLs and a drop function. `prefix` names it (lower-case letters, digits, underscores).
 */
export async function postgresTestUrls(opts: { prefix?: string; template?: string; name?: string } = {}): Promise<{ name: string; ownerUrl: string; appUrl: string; drop(): Promise<void> }> {
  if (!postgresUrl) throw new Error(POSTGRES_SKIP_REASON);
  const prefix = opts.prefix ?? 'ward_test_';
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`bad database name prefix ${prefix}`);
  const name = opts.name ?? `${prefix}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  for (const n of [name, opts.template ?? 'x']) if (!/^[a-z][a-z0-9_]{0,62}$/.test(n)) throw new Error(`bad database name ${n}`);
  // Names are generated here or by postgresTemplateName, not input.
  await withClient(postgresUrl, (c) => c.query(`CREATE DATABASE ${name}${opts.template ? ` TEMPLATE ${opts.template}` : ''}`));
  return {
    name,
    ownerUrl: withDatabase(postgresUrl, name),
    appUrl: withDatabase(postgresUrl, name, 'ward_app'),
    drop: () => withClient(postgresUrl!, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

export async function embeddedTestDatabase(): Promise<TestDatabase> {
  const dataDir = await embeddedDataDir();
  const db = await openEmbedded(dataDir);
  return {
    engine: 'embedded',
    db,
    asAppWithoutSettings: (fn) =>
      db.systemDb.transaction(async (tx) => {
        await tx.query("SELECT set_config('role', 'ward_app', true)");
        return fn(tx);
      }),
    superuser: (fn) => db.systemDb.transaction(fn),
    env: { WARD_DATA_DIR: dataDir },
    async close() {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const postgresUrl = process.env.WARD_TEST_DATABASE_URL?.trim() || undefined;
export const POSTGRES_SKIP_REASON = 'WARD_TEST_DATABASE_URL is not set: the PostgreSQL half of this suite was skipped';

function withDatabase(url: string, database: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = '';
  }
  return u.href;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function clientTx(client: pg.Client): Tx {
  return {
    async query(sql, params = []) {
      const r = await client.query(sql, params as unknown[]);
      return { rows: r.rows, rowCount: r.rowCount ?? r.rows.length };
    },
  };
}

async function inClientTransaction<T>(url: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withClient(url, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await fn(clientTx(client));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    }
  });
}

export async function postgresTestDatabase(): Promise<TestDatabase> {
  if (!postgresUrl) throw new Error(POSTGRES_SKIP_REASON);
  const { ownerUrl, appUrl, drop } = await postgresTestUrls({ template: await postgresMigratedTemplate() });
  const db = openPostgres({ appUrl, migrationUrl: ownerUrl }, { size: 8 });
  await migrate(db.systemDb); // a copy of the migrated template: checks and changes nothing
  return {
    engine: 'postgres',
    db,
    asAppWithoutSettings: (fn) => inClientTransaction(appUrl, fn),
    superuser: (fn) => inClientTransaction(ownerUrl, fn),
    env: { WARD_DATABASE_URL: appUrl, WARD_MIGRATION_DATABASE_URL: ownerUrl },
    async close() {
      await db.close();
      await drop();
    },
  };
}

/** The engines to run a contract suite on, with the reason when PostgreSQL is skipped. */
export const ENGINES: Array<{ engine: 'embedded' | 'postgres'; open: () => Promise<TestDatabase>; skip: string | false }> = [
  { engine: 'embedded', open: embeddedTestDatabase, skip: false },
  { engine: 'postgres', open: postgresTestDatabase, skip: postgresUrl ? false : POSTGRES_SKIP_REASON },
];
