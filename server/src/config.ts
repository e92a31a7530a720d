import { resolve } from 'node:path';
import { WardError } from '@ward/contracts';

/**
 * Configuration comes from the environment only, validated once at start (no ambient getConfig()).
 * docs/operations.md lists every variable; README.md has the table.
 */
export interface Config {
  database:
    | { engine: 'embedded'; dataDir: string }
    | { engine: 'postgres'; appUrl: string; migrationUrl: string };
  dataDir: string;
  /**
   * The local keyring of tenant key-encryption keys (R-DATA-1): WARD_KEYRING_PATH, default
   * `<WARD_DATA_DIR>/keyring.json`. Outside the embedded database's `pgdata` and any dump of it.
   */
  keyringPath: string;
  /** The audit trail's sealer (R-AUDIT-3); docs/audit.md. */
  audit: AuditConfig;
  port: number;
  host: string;
  origin: URL;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export interface AuditConfig {
  /** The tree-head signing keys: WARD_AUDIT_KEY_PATH, default `<WARD_DATA_DIR>/audit-signing-key.json`; never in the database. */
  keyPath: string;
  /** Signed heads published outside the database: WARD_AUDIT_HEADS_DIR, default `<WARD_DATA_DIR>/audit-heads`. */
  headsDir: string;
  /** Optional HTTP witness that receives every signed head: WARD_AUDIT_WITNESS_URL. */
  witnessUrl: URL | null;
  /** WARD_AUDIT_SEAL_INTERVAL_MS (default 500: merge delay p99 under 1 s) and WARD_AUDIT_SEAL_BATCH (rows per tenant per head, default 5000). */
  sealIntervalMs: number;
  sealBatchSize: number;
}

function auditConfig(env: NodeJS.ProcessEnv, dataDir: string, isEmbedded: boolean): AuditConfig {
  const keyPath = resolve(env.WARD_AUDIT_KEY_PATH?.trim() || resolve(dataDir, 'audit-signing-key.json'));
  // R-AUDIT-3: whoever can rewrite the database must not also hold the key that signs its heads.
  if (isEmbedded && (keyPath + '/').startsWith(resolve(dataDir, 'pgdata') + '/')) invalid('WARD_AUDIT_KEY_PATH must be outside the database directory');
  const headsDir = resolve(env.WARD_AUDIT_HEADS_DIR?.trim() || resolve(dataDir, 'audit-heads'));
  let witnessUrl: URL | null = null;
  const witness = env.WARD_AUDIT_WITNESS_URL?.trim();
  if (witness) {
    try {
      witnessUrl = new URL(witness);
    } catch {
      invalid('WARD_AUDIT_WITNESS_URL is not a URL');
    }
    if (witnessUrl.protocol !== 'https:' && !(witnessUrl.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(witnessUrl.hostname))) {
      invalid('WARD_AUDIT_WITNESS_URL must use https:// unless the host is localhost');
    }
  }
  const positive = (name: string, text: string | undefined, fallback: number, max: number): number => {
    if (!text?.trim()) return fallback;
    const n = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || n < 1 || n > max) invalid(`${name} must be a whole number between 1 and ${max}`);
    return n;
  };
  return {
    keyPath,
    headsDir,
    witnessUrl,
    sealIntervalMs: positive('WARD_AUDIT_SEAL_INTERVAL_MS', env.WARD_AUDIT_SEAL_INTERVAL_MS, 500, 60_000),
    sealBatchSize: positive('WARD_AUDIT_SEAL_BATCH', env.WARD_AUDIT_SEAL_BATCH, 5000, 100_000),
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function invalid(message: string): never {
  throw new WardError('CONFIG_INVALID', message);
}

function postgresUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    invalid(`${name} is not a URL; expected postgres://user@host:port/database`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    invalid(`${name} must start with postgres:// or postgresql://`);
  }
  if (!url.username) invalid(`${name} must name the database user`);
  return value;
}

/** With only the owner URL given, the application logs in as ward_app on the same server and database. */
function appUrlFromMigrationUrl(migrationUrl: string): string {
  const url = new URL(migrationUrl);
  url.username = 'ward_app';
  url.password = '';
  return url.href;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.WARD_DATA_DIR?.trim() || '.ward');

  const appUrl = env.WARD_DATABASE_URL?.trim();
  const migrationUrl = env.WARD_MIGRATION_DATABASE_URL?.trim();
  let database: Config['database'];
  if (appUrl || migrationUrl) {
    database = {
      engine: 'postgres',
      appUrl: appUrl ? postgresUrl('WARD_DATABASE_URL', appUrl) : appUrlFromMigrationUrl(postgresUrl('WARD_MIGRATION_DATABASE_URL', migrationUrl!)),
      migrationUrl: migrationUrl ? postgresUrl('WARD_MIGRATION_DATABASE_URL', migrationUrl) : appUrl!,
    };
  } else {
    database = { engine: 'embedded', dataDir };
  }

  const portText = env.WARD_PORT?.trim() || '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) invalid('WARD_PORT must be a port number between 1 and 65535');

  let origin: URL;
  try {
    origin = new URL(env.WARD_ORIGIN?.trim() || `http://localhost:${port}`);
  } catch {
    invalid('WARD_ORIGIN is not a URL; expected for example https://ward.example.org');
  }
  if (origin.protocol !== 'https:' && origin.protocol !== 'http:') invalid('WARD_ORIGIN must be an http:// or https:// URL');
  if (origin.pathname !== '/' || origin.search || origin.hash) invalid('WARD_ORIGIN must be an origin only (scheme, host and port), without a path');
  if (origin.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(origin.hostname)) {
    invalid('WARD_ORIGIN must use https:// unless the host is localhost');
  }

  const logLevel = (env.WARD_LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) invalid(`WARD_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const host = env.WARD_HOST?.trim() || '127.0.0.1';
  const keyringPath = resolve(env.WARD_KEYRING_PATH?.trim() || resolve(dataDir, 'keyring.json'));
  const audit = auditConfig(env, dataDir, database.engine === 'embedded');
  return { database, dataDir, keyringPath, audit, port, host, origin, logLevel };
}
