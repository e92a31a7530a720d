import type { Config } from './config.ts';
import { openDatabase } from './db/index.ts';
import type { Db } from './db/types.ts';
import { createLogger, type Logger } from './logging.ts';
import { createAuditLog, type AuditLog } from './modules/audit/append.ts';
import { createFieldCipher, createKeyringKms, type FieldCipher, type Kms } from './modules/crypto/index.ts';
import { createDbKeyStore } from './modules/crypto/db-key-store.ts';
import { createGuard, type Guard } from './modules/access/index.ts';
import { loadPdp, type Pdp } from './modules/policy/index.ts';

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
  /** The tenants' key-encryption keys (R-DATA-1): the local keyring file by default. */
  kms: Kms;
  /** Field encryption, decryption and blind indexes under per-tenant keys (R-DATA-1). */
  cipher: FieldCipher;
  /** The one policy decision point (R-AUTHZ-1), its policies validated at start. */
  pdp: Pdp;
  /** The one enforcement path: scope → load → decide → handle → audit (DESIGN.md). */
  guard: Guard;
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
  const pdp = loadPdp(); // an invalid policy stops the start (CONFIG_INVALID) before the database opens
  const { db, migrations } = await openDatabase(config, opts);
  try {
    const clock = opts.clock ?? systemClock;
    // R-DATA-1: the keyring never lies inside the embedded database's files (nor so in its dumps).
    const notInside = config.database.engine === 'embedded' ? [`${config.database.dataDir}/pgdata`] : [];
    const kms = await createKeyringKms({ path: config.keyringPath, notInside });
    const keyStore = createDbKeyStore(db.systemDb, { engine: db.engine });
    await keyStore.load();
    const cipher = createFieldCipher({ kms, keyStore, clock });
    const audit = createAuditLog();
    const guard = createGuard({ db, pdp, audit, clock });
    return { config, db, audit, logger, clock, kms, cipher, pdp, guard, migrations, close: () => db.close() };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}
