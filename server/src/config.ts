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
  port: number;
  host: string;
  origin: URL;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
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
  return { database, dataDir, keyringPath, port, host, origin, logLevel };
}
