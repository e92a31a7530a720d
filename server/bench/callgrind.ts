// What the callgrind harnesses share (audit-batch-instructions.ts, scope-instructions.ts): a client
// for one database, and the instructions callgrind counted in one backend of a private PostgreSQL
// cluster run under `valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=<dir>/cg.%p`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';
import { openPostgres } from '../src/db/postgres.ts';
import type { SystemDb } from '../src/db/types.ts';

export async function withClient<T>(connectionString: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The instructions callgrind counted in backend `pid` (its file is written when the backend exits). */
export async function instructions(dir: string, pid: number): Promise<number> {
  const file = join(dir, `cg.${pid}`);
  for (let i = 0; i < 600 && !existsSync(file); i += 1) await sleep(100);
  for (let i = 0; i < 100; i += 1) {
    const m = /^(?:summary|totals): (\d+)/m.exec(readFileSync(file, 'utf8'));
    if (m) return Number(m[1]);
    await sleep(100);
  }
  throw new Error(`no totals in ${file}`);
}

/**
 * A harness's command line: `<phase> --url <superuser URL> [--candidate name=file.sql]… [--name value]…`.
 * `opt` reads one option (required unless given a fallback); `url` is the cluster's URL for another
 * database and, if given, another user.
 */
export function harnessArgs(args: readonly string[]) {
  const opt = (name: string, fallback?: string): string => {
    const i = args.indexOf(`--${name}`);
    const v = i >= 0 ? args[i + 1] : fallback;
    if (v === undefined) throw new Error(`--${name} is required`);
    return v;
  };
  const candidates = args.flatMap((a, i) => (args[i - 1] === '--candidate' ? [a.split('=') as [string, string]] : []));
  const url = (db: string, user?: string): string => {
    const u = new URL(opt('url'));
    u.pathname = `/${db}`;
    if (user) u.username = user;
    return u.href;
  };
  return { phase: args[0], opt, candidates, url };
}

/** Database `db` made afresh on the cluster and migrated; `seed`, if given, then runs on the migrated database. */
export async function freshDatabase(url: (db: string, user?: string) => string, db: string, seed?: (systemDb: SystemDb) => Promise<unknown>): Promise<void> {
  await withClient(url('postgres'), async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`); // the harness's own names, not input
    await c.query(`CREATE DATABASE ${db}`);
  });
  const ward = openPostgres({ appUrl: url(db, 'ward_app'), migrationUrl: url(db) }, { size: 1 });
  try {
    await migrate(ward.systemDb);
    await seed?.(ward.systemDb);
  } finally {
    await ward.close();
  }
}
