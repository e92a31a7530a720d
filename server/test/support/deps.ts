import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.ts';
import { createDeps, type Clock, type Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/logging.ts';
import type { Tracing } from '../../src/modules/monitoring/index.ts';
import { embeddedDataDir, postgresTestUrls } from './databases.ts';

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

export async function createTestDeps(engine: 'embedded' | 'postgres', opts: { clock?: Clock; env?: Record<string, string>; tracing?: Tracing } = {}): Promise<TestDeps> {
  const logLines: string[] = [];
  const logger = createLogger('info', new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }));
  const keyDir = mkdtempSync(join(tmpdir(), 'ward-keys-'));
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  if (engine === 'embedded') {
    const dataDir = await embeddedDataDir();
    env = { WARD_DATA_DIR: dataDir };
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  } else {
    const pg = await postgresTestUrls();
    env = { WARD_DATA_DIR: keyDir, WARD_DATABASE_URL: pg.appUrl, WARD_MIGRATION_DATABASE_URL: pg.ownerUrl };
    cleanup = pg.drop;
  }
  env = { ...env, WARD_KEYRING_PATH: join(keyDir, 'keyring.json'), ...opts.env };
  const deps = await createDeps(loadConfig(env), { migrate: true, serve: true, logger, clock: opts.clock, ...(env.WARD_DB_POOL_SIZE ? {} : { poolSize: 8 }), tracing: opts.tracing });
  return {
    deps,
    logLines,
    env,
    async close() {
      await deps.close();
      await cleanup();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}
