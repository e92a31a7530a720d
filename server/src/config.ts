import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import { alertsConfig, geoipConfig, monitoringConfig, notifyConfig, observabilityConfig } from './config/services.ts';
import type { AlertsConfig, GeoipConfig, MonitoringConfig, NotifyConfig, ObservabilityConfig } from './config/services.ts';
import { invalid, wholeNumber } from './config/parse.ts';
import { parseEgressAllow } from './modules/egress/index.ts';

export type { AlertsConfig, GeoipConfig, MonitoringConfig, NotifyConfig, ObservabilityConfig };

/**
 * Configuration comes from the environment only, validated once at start (no ambient getConfig()).
 * docs/operations.md lists every variable; README.md has the table.
 */
export interface Config {
  database:
    | { engine: 'embedded'; dataDir: string }
    | {
        engine: 'postgres';
        appUrl: string;
        migrationUrl: string;
        /** The variables the URLs came from, for messages that name them (never the password). */
        appUrlVariable: DatabaseUrlVariable;
        migrationUrlVariable: DatabaseUrlVariable;
        /** R-DATA-1 in transit: `verify-full` when the URLs ask for TLS with a CA file (sslmode, sslrootcert). */
        tls: 'verify-full' | 'off';
        /** WARD_DATABASE_WAIT_SECONDS: how long the start waits for PostgreSQL to answer (default 30). */
        waitSeconds: number;
        /**
         * R-OPS-1, the application pool's limits: WARD_DB_POOL_SIZE connections (default 10); at most
         * WARD_DB_QUEUE_LIMIT requests wait for one (default 200), each at most WARD_DB_ACQUIRE_TIMEOUT_MS
         * (default 5000); a statement runs at most WARD_DB_STATEMENT_TIMEOUT_MS (default 15000). Past any
         * of them a request is refused with 503 SERVICE_UNAVAILABLE and Retry-After (fail closed).
         */
        pool: PoolLimits;
      };
  /** WARD_DEMO_SEED: `auto` seeds the demo tenants into an empty database at start (default on the embedded database). */
  demoSeed: 'auto' | 'never';
  /** WARD_KMS: where the tenants' key-encryption keys live (R-DATA-1). */
  kms: KmsConfig;
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
  /**
   * WARD_TRUST_PROXY: the addresses (or CIDR ranges) of the load balancers in front of Ward, whose
   * X-Forwarded-For Ward believes; off by default. Limits and audited source addresses then see the
   * client behind them (R-AUDIT-1).
   */
  trustProxy: string[] | false;
  /** WARD_SHUTDOWN_TIMEOUT_SECONDS: how long a shutdown lets in-flight requests finish (default 10). */
  shutdownTimeoutMs: number;
  origin: URL;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where enrollment links go (R-AUTHN-3); see modules/notify. */
  notify: NotifyConfig;
  /**
   * WARD_EGRESS_ALLOW (R-WORK-4): host names, addresses or CIDR ranges that outbound calls may reach
   * although they are private, loopback or link-local (and, for loopback, over plain http). Empty by
   * default: every outbound call is https to a public address. docs/integrations.md.
   */
  egressAllow: string[];
  /** Outbound alerts (R-MON-1): docs/integrations.md. */
  alerts: AlertsConfig;
  /** Metrics and traces (R-OPS-1): docs/observability.md. */
  observability: ObservabilityConfig;
  /** Detections and the SIEM stream (R-MON-1, R-AUDIT-4): docs/detections.md. */
  monitoring: MonitoringConfig;
  /** WARD_GEOIP_DATABASE: the country source of the newCountry risk signal (R-SESS-2). */
  geoip: GeoipConfig;
}

export interface PoolLimits {
  size: number;
  queueLimit: number;
  acquireTimeoutMs: number;
  statementTimeoutMs: number;
}

function poolLimits(env: NodeJS.ProcessEnv): PoolLimits {
  return {
    size: wholeNumber('WARD_DB_POOL_SIZE', env.WARD_DB_POOL_SIZE, 10, 1, 500),
    queueLimit: wholeNumber('WARD_DB_QUEUE_LIMIT', env.WARD_DB_QUEUE_LIMIT, 200, 0, 100_000),
    acquireTimeoutMs: wholeNumber('WARD_DB_ACQUIRE_TIMEOUT_MS', env.WARD_DB_ACQUIRE_TIMEOUT_MS, 5000, 100, 600_000),
    statementTimeoutMs: wholeNumber('WARD_DB_STATEMENT_TIMEOUT_MS', env.WARD_DB_STATEMENT_TIMEOUT_MS, 15_000, 100, 3_600_000),
  };
}

export type DatabaseUrlVariable = 'WARD_DATABASE_URL' | 'WARD_MIGRATION_DATABASE_URL';

export type KmsConfig =
  | { kind: 'keyring' }
  | {
      kind: 'aws';
      /** WARD_AWS_REGION, else the SDK's AWS_REGION. Credentials come from the SDK's default chain. */
      region: string | undefined;
      /** WARD_AWS_KMS_ENDPOINT: a VPC endpoint (or a stand-in); the SDK's default otherwise. */
      endpoint: string | undefined;
      /** WARD_AWS_KMS_KEY_PREFIX: the tenant's key is `<prefix><tenant id>` (default `alias/ward-tenant-`). */
      keyPrefix: string;
    };

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
  /**
   * WARD_AUDIT_PUBLISH_MAX_LAG_SECONDS (default 300): how long a signed head may wait to be published
   * outside the database (heads directory, witness) before new audit records are refused (fail closed).
   */
  publishMaxLagSeconds: number;
  /**
   * WARD_AUDIT_READS: how a guarded read's record is committed (R-AUDIT-2; docs/audit.md "The audited
   * read"). `grouped` (default): by the audit writer's group commit, the response released after it;
   * `in-transaction`: in the read's own transaction. Writes always record in their own transaction.
   */
  reads: 'grouped' | 'in-transaction';
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
    publishMaxLagSeconds: positive('WARD_AUDIT_PUBLISH_MAX_LAG_SECONDS', env.WARD_AUDIT_PUBLISH_MAX_LAG_SECONDS, 300, 86_400),
    reads: auditReads(env.WARD_AUDIT_READS),
  };
}

function auditReads(text: string | undefined): AuditConfig['reads'] {
  const value = text?.trim() || 'grouped';
  if (value !== 'grouped' && value !== 'in-transaction') invalid('WARD_AUDIT_READS must be grouped or in-transaction');
  return value;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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

/**
 * TLS to PostgreSQL is asked for in the URL, as libpq spells it: `sslmode=verify-full` with
 * `sslrootcert=<CA file>` (the server's certificate must chain to that CA and name the host).
 * Weaker modes are refused rather than half-honoured: node-postgres reads `require` and
 * `verify-ca` differently from libpq, and a connection that might not check the server is no
 * protection for PHI in transit (R-DATA-1).
 */
function postgresTls(name: string, value: string): 'verify-full' | 'off' {
  const params = new URL(value).searchParams;
  const mode = params.get('sslmode');
  const rootCert = params.get('sslrootcert');
  if (mode === null || mode === 'disable') {
    if (rootCert !== null) invalid(`${name} names sslrootcert without sslmode=verify-full`);
    return 'off';
  }
  if (mode !== 'verify-full') invalid(`${name}: sslmode must be verify-full (with sslrootcert=<CA file>) or disable`);
  if (!rootCert) invalid(`${name}: sslmode=verify-full needs sslrootcert=<path of the CA certificate file>`);
  try {
    accessSync(rootCert, constants.R_OK);
  } catch {
    invalid(`${name}: the sslrootcert file cannot be read`);
  }
  return 'verify-full';
}

function kmsConfig(env: NodeJS.ProcessEnv): KmsConfig {
  const kind = env.WARD_KMS?.trim() || 'keyring';
  if (kind === 'keyring') return { kind };
  if (kind !== 'aws') invalid('WARD_KMS must be keyring or aws');
  const endpoint = env.WARD_AWS_KMS_ENDPOINT?.trim() || undefined;
  if (endpoint !== undefined) {
    try {
      new URL(endpoint);
    } catch {
      invalid('WARD_AWS_KMS_ENDPOINT is not a URL');
    }
  }
  const region = env.WARD_AWS_REGION?.trim() || env.AWS_REGION?.trim() || undefined;
  if (region === undefined) invalid('WARD_KMS=aws needs WARD_AWS_REGION (or AWS_REGION)');
  const keyPrefix = env.WARD_AWS_KMS_KEY_PREFIX?.trim() || 'alias/ward-tenant-';
  if (!/^(alias\/|arn:aws[a-z-]*:kms:)[A-Za-z0-9/_:.-]*$/.test(keyPrefix)) invalid('WARD_AWS_KMS_KEY_PREFIX must start with alias/ or a KMS key ARN prefix');
  return { kind, region, endpoint, keyPrefix };
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** A comma-separated list of proxy addresses or CIDR ranges (IPv4 or IPv6); `off` or unset trusts none. */
function trustedProxies(value: string | undefined): string[] | false {
  const text = value?.trim();
  if (!text || text === 'off') return false;
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const entry of entries) {
    const [address, bits, ...rest] = entry.split('/');
    const v4 = IPV4.exec(address ?? '');
    const isV4 = v4 !== null && v4.slice(1).every((o) => Number(o) <= 255);
    const isV6 = !isV4 && /^[0-9a-f:.]+$/i.test(address ?? '') && (address ?? '').includes(':');
    const maxBits = isV4 ? 32 : 128;
    if (rest.length > 0 || (!isV4 && !isV6) || (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > maxBits))) {
      invalid('WARD_TRUST_PROXY must list proxy addresses or CIDR ranges, e.g. 10.0.0.0/8,192.0.2.10 (or off)');
    }
  }
  return entries;
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
    const appUrlVariable: DatabaseUrlVariable = appUrl ? 'WARD_DATABASE_URL' : 'WARD_MIGRATION_DATABASE_URL';
    const migrationUrlVariable: DatabaseUrlVariable = migrationUrl ? 'WARD_MIGRATION_DATABASE_URL' : 'WARD_DATABASE_URL';
    const app = appUrl ? postgresUrl('WARD_DATABASE_URL', appUrl) : appUrlFromMigrationUrl(postgresUrl('WARD_MIGRATION_DATABASE_URL', migrationUrl!));
    const owner = migrationUrl ? postgresUrl('WARD_MIGRATION_DATABASE_URL', migrationUrl) : appUrl!;
    const appTls = postgresTls(appUrlVariable, app);
    const ownerTls = postgresTls(migrationUrlVariable, owner);
    if (appTls !== ownerTls) invalid('WARD_DATABASE_URL and WARD_MIGRATION_DATABASE_URL must both ask for TLS (sslmode=verify-full), or neither');
    const waitText = env.WARD_DATABASE_WAIT_SECONDS?.trim() || '30';
    const waitSeconds = Number(waitText);
    if (!/^\d{1,3}$/.test(waitText) || waitSeconds > 600) invalid('WARD_DATABASE_WAIT_SECONDS must be a whole number of seconds from 0 to 600');
    database = { engine: 'postgres', appUrl: app, migrationUrl: owner, appUrlVariable, migrationUrlVariable, tls: appTls, waitSeconds, pool: poolLimits(env) };
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
  const demoSeed = (env.WARD_DEMO_SEED?.trim() || (database.engine === 'embedded' ? 'auto' : 'never')) as Config['demoSeed'];
  if (demoSeed !== 'auto' && demoSeed !== 'never') invalid('WARD_DEMO_SEED must be auto or never');
  const kms = kmsConfig(env);
  const trustProxy = trustedProxies(env.WARD_TRUST_PROXY);
  const shutdownText = env.WARD_SHUTDOWN_TIMEOUT_SECONDS?.trim() || '10';
  if (!/^\d{1,3}$/.test(shutdownText) || Number(shutdownText) < 1 || Number(shutdownText) > 600) invalid('WARD_SHUTDOWN_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 600');
  let egressAllow: string[];
  try {
    egressAllow = [...parseEgressAllow(env.WARD_EGRESS_ALLOW).entries];
  } catch (e) {
    invalid(`${(e as Error).message}; expected for example 127.0.0.1,::1,idp.internal.example.org,10.20.0.0/16`);
  }
  return { observability: observabilityConfig(env, port), egressAllow, alerts: alertsConfig(env, dataDir), monitoring: monitoringConfig(env), geoip: geoipConfig(env), database, dataDir, demoSeed, kms, keyringPath, audit, port, host, trustProxy, shutdownTimeoutMs: Number(shutdownText) * 1000, origin, logLevel, notify: notifyConfig(env, dataDir, origin) };
}
