import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.ts';
import { openEmbedded } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import type { Db, Tx } from '../../src/db/types.ts';

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

/** A fresh embedded data directory holding a copy of the migrated template (no lock taken). */
export async function embeddedDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ward-pglite-'));
  cpSync(await template(), dataDir, { recursive: true });
  return dataDir;
}

/**
 * A fresh, empty PostgreSQL database (migrations are up to the caller); returns its owner and
 * ward_app URLs and a drop function. `prefix` names it (lower-case letters, digits, underscores).
 */
export async function postgresTestUrls(opts: { prefix?: string } = {}): Promise<{ ownerUrl: string; appUrl: string; drop(): Promise<void> }> {
  if (!postgresUrl) throw new Error(POSTGRES_SKIP_REASON);
  const prefix = opts.prefix ?? 'ward_test_';
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`bad database name prefix ${prefix}`);
  const name = `${prefix}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withClient(postgresUrl, (c) => c.query(`CREATE DATABASE ${name}`)); // name is generated here, not input
  return {
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
  const name = `ward_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withClient(postgresUrl, (c) => c.query(`CREATE DATABASE ${name}`)); // name is generated above, not input
  const ownerUrl = withDatabase(postgresUrl, name);
  const appUrl = withDatabase(postgresUrl, name, 'ward_app');
  const db = openPostgres({ appUrl, migrationUrl: ownerUrl }, { size: 8 });
  await migrate(db.systemDb);
  return {
    engine: 'postgres',
    db,
    asAppWithoutSettings: (fn) => inClientTransaction(appUrl, fn),
    superuser: (fn) => inClientTransaction(ownerUrl, fn),
    env: { WARD_DATABASE_URL: appUrl, WARD_MIGRATION_DATABASE_URL: ownerUrl },
    async close() {
      await db.close();
      await withClient(postgresUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** The engines to run a contract suite on, with the reason when PostgreSQL is skipped. */
export const ENGINES: Array<{ engine: 'embedded' | 'postgres'; open: () => Promise<TestDatabase>; skip: string | false }> = [
  { engine: 'embedded', open: embeddedTestDatabase, skip: false },
  { engine: 'postgres', open: postgresTestDatabase, skip: postgresUrl ? false : POSTGRES_SKIP_REASON },
];
