import type { Config } from './config.ts';
import { openDatabase } from './db/index.ts';
import type { Db } from './db/types.ts';
import { createLogger, type Logger } from './logging.ts';
import { createAuditLog, type AuditLog } from './modules/audit/append.ts';

/** The composition root: the one place where Ward's parts are wired (DESIGN.md). */
export interface Clock {
  now(): Date;
}

export interface Deps {
  config: Config;
  db: Db;
  audit: AuditLog;
  logger: Logger;
  clock: Clock;
  /** How many migrations the database had applied when it was opened. */
  migrations: number;
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

export async function createDeps(
  config: Config,
  opts: { migrate: boolean; serve: boolean; logger?: Logger; clock?: Clock; poolSize?: number },
): Promise<Deps> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const { db, migrations } = await openDatabase(config, opts);
  return {
    config,
    db,
    audit: createAuditLog(),
    logger,
    clock: opts.clock ?? systemClock,
    migrations,
    close: () => db.close(),
  };
}
