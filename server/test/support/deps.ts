import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.ts';
import { createDeps, type Clock, type Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/logging.ts';
import { generateDemo, seedDemo } from '../../src/modules/demo/index.ts';
import type { Tracing } from '../../src/modules/monitoring/index.ts';
import { copyDir, embeddedDataDir, onceThisRun, postgresMigratedTemplate, postgresTemplateName, postgresTestUrls, registerPostgresTemplate, runDir } from './databases.ts';

/**
 * Ward's real dependencies, wired by the real composition root, on a fresh database of either
 * engine. Every log line is kept in `logLines` so that tests can check what reached the log.
 */
export interface TestDeps {
  deps: Deps;
  logLines: string[];
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface TestDepsOptions {
  clock?: Clock;
  env?: Record<string, string>;
  tracing?: Tracing;
  /**
   * The demo data of this seed (`generateDemo(seed)`), as `seedDemo` with the deps' own cipher
   * writes it. Within a run the seeded database and its keyring are built once and copied for each
   * caller; otherwise it is seeded here.
   */
  demo?: number;
}

/** A seeded database and the keyring its tenants' keys are wrapped with, to copy from. */
interface SeededTemplate {
  dataDir?: string;
  database?: string;
  keyDir: string;
}

export async function createTestDeps(engine: 'embedded' | 'postgres', opts: TestDepsOptions = {}): Promise<TestDeps> {
  const from = opts.demo === undefined || !runDir ? undefined : await demoTemplate(engine, opts.demo);
  const t = await openTestDeps(engine, opts, from);
  // Outside a run (or without PostgreSQL templates): seeded here, as the template would have been.
  if (opts.demo !== undefined && !from) await seedDemo(t.deps.db.systemDb, generateDemo(opts.demo), { cipher: t.deps.cipher });
  return t;
}

/** `from`: the template to copy; `place`: where a template being built is kept (its directory, its database's name). */
async function openTestDeps(engine: 'embedded' | 'postgres', opts: TestDepsOptions, from?: SeededTemplate, place?: { dir: string; database?: string }): Promise<TestDeps & { keyDir: string; dataDir?: string }> {
  const logLines: string[] = [];
  const logger = createLogger('info', new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }));
  const keyDir = mkdtempSync(join(place?.dir ?? runDir ?? tmpdir(), 'ward-keys-'));
  if (from) copyDir(from.keyDir, keyDir);
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let dataDir: string | undefined;
  if (engine === 'embedded') {
    dataDir = await embeddedDataDir(from?.dataDir, place?.dir);
    env = { WARD_DATA_DIR: dataDir };
    const dir = dataDir;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const pg = await postgresTestUrls({ template: from?.database ?? (await postgresMigratedTemplate()), name: place?.database });
    env = { WARD_DATA_DIR: keyDir, WARD_DATABASE_URL: pg.appUrl, WARD_MIGRATION_DATABASE_URL: pg.ownerUrl };
    cleanup = pg.drop;
  }
  env = { ...env, WARD_KEYRING_PATH: join(keyDir, 'keyring.json'), ...opts.env };
  const deps = await createDeps(loadConfig(env), { migrate: true, serve: true, logger, clock: opts.clock, ...(env.WARD_DB_POOL_SIZE ? {} : { poolSize: 8 }), tracing: opts.tracing });
  return {
    deps,
    logLines,
    env,
    keyDir,
    dataDir,
    async close() {
      await deps.close();
      await cleanup();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

/**
 * The demo data of `seed` seeded once per run and engine (R-OPS-1: seeding took a quarter of each
 * HTTP test file). Its data directory or database and its keyring are kept for copying; the
 * database becomes a template that scripts/test.mjs drops at the end of the run.
 */
async function demoTemplate(engine: 'embedded' | 'postgres', seed: number): Promise<SeededTemplate> {
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`bad demo seed ${seed}`);
  return onceThisRun(`demo-${engine}-${seed}`, async () => {
    // Kept in the run's directory (removed at its end), not removed like a test's copy.
    const seeded = async (place: { dir: string; database?: string }) => {
      const t = await openTestDeps(engine, {}, undefined, place);
      try {
        await seedDemo(t.deps.db.systemDb, generateDemo(seed), { cipher: t.deps.cipher });
      } finally {
        await t.deps.close();
      }
      return t;
    };
    if (engine === 'embedded') {
      const t = await seeded({ dir: runDir! });
      return { dataDir: t.dataDir, keyDir: t.keyDir };
    }
    const database = postgresTemplateName(`demo_${seed}`);
    let keyDir = '';
    await registerPostgresTemplate(database, async () => {
      keyDir = (await seeded({ dir: runDir!, database })).keyDir;
    });
    return { database, keyDir };
  });
}
