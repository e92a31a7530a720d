import type { TenantId } from '@ward/contracts';
import type { Config } from './config.ts';
import { systemClock, type Clock } from './clock.ts';
import { openDatabase, type OpenOptions } from './db/index.ts';
import type { Db } from './db/types.ts';
import { createLogger, type Logger } from './logging.ts';
import { createAuditLog, createAuditSealer, createAuditWriter, createDirectoryHeadSink, createFileSigningKeyStore, createPublicationGuard, createWitnessHeadSink, type AuditLog, type AuditSealer, type PublicationGuard, type SigningKeyStore } from './modules/audit/index.ts';
import { createAwsKms, createDbKeyStore, createFieldCipher, createKeyringKms, type FieldCipher, type Kms } from './modules/crypto/index.ts';
import { createGuard, type Authenticator, type Guard } from './modules/access/index.ts';
import { createPasskeyCeremonies, type PasskeyCeremonies } from './modules/identity/index.ts';
import { createRateLimiter, createSessionAuthenticator, createSessions, type SessionAuthenticator, type Sessions } from './modules/sessions/index.ts';
import { createNonceSource, createProofKeyCache, createProofVerifier, createReplayStore, DEVICE_PROOF_ALGORITHMS } from './modules/proof/index.ts';
import { TOKEN_REQUESTS_PER_CLIENT_PER_MINUTE, TOKEN_REQUESTS_PER_IP_PER_MINUTE, createAuthorizationServer, createSignatureAuthenticator, createTokenAuthenticator, createTokenSigningKeys, type AuthorizationServer, type TokenSigningKeys } from './modules/workload/index.ts';
import { createSsoFacade, type SsoFacade } from './modules/sso/index.ts';
import { createScimAuthenticator } from './modules/provisioning/index.ts';
import { createNotifier, type Notifier } from './modules/notify/index.ts';
import { alertSigningKeyLoader, auditPublicationAlerter, createAlertDelivery, type AlertDelivery, type AlertSigningKey } from './modules/alerts/index.ts';
import { createEgressFetch, createEgressPolicy, parseEgressAllow, type EgressFetch } from './modules/egress/index.ts';
import { loadPdp, type Pdp } from './modules/policy/index.ts';
import { countrySource, createRiskAssessor, createRiskFactReader, loadRiskRules } from './modules/risk/index.ts';
import { createTenantPolicyStore, type TenantPolicyStore } from './modules/tenant-policies/index.ts';
import {
  createDetector, createFileSiemSink, createHttpSiemSink, createMetrics, createSiemStream, createTracing, loadRules, readScrapeStats, tracingOff,
  type Detector, type Metrics, type SiemStream, type Tracing,
} from './modules/monitoring/index.ts';

/**
 * Passkeys and sessions share one proof verifier (its key cache) and one replay store, which lives in
 * the database so that every Ward server refuses a proof spent at any other (R-SESS-4, RFC 9449 §11.1).
 */
async function createAuthentication(d: { config: Config; db: Db; audit: AuditLog; logger: Logger; clock: Clock; kms: Kms; egress: EgressFetch; serve: boolean }): Promise<Pick<Deps, 'authenticator' | 'authenticators' | 'passkeys' | 'sessions' | 'authorizationServer' | 'tokenSigningKeys' | 'sso'>> {
  const proofKeys = createProofKeyCache();
  // Browsers' device proofs are ES256 (R-SESS-4); workloads' DPoP proofs take any algorithm of PROOF_ALGORITHMS.
  const proofs = createProofVerifier({ clock: d.clock, keys: proofKeys, algorithms: DEVICE_PROOF_ALGORITHMS });
  const base = { db: d.db, audit: d.audit, clock: d.clock, origin: d.config.origin, proofs, replays: createReplayStore(d.db) };
  const sessions = createSessions({ audit: d.audit, clock: d.clock });
  // R-AUTHN-1, R-MON-1: ceremony requests per source address per minute, verifications per member per 5 minutes.
  const limits = {
    perIp: createRateLimiter({ db: d.db, clock: d.clock, name: 'ceremony-ip', limit: 100, windowSeconds: 60 }),
    perMember: createRateLimiter({ db: d.db, clock: d.clock, name: 'ceremony-member', limit: 20, windowSeconds: 300 }),
  };
  const authenticator = createSessionAuthenticator(base);
  // R-WORK-2: workloads' DPoP proofs go through the same verifier, with server nonces (RFC 9449 §8)
  // made from a secret every server on the database shares (signing-keys.ts).
  const tokenSigningKeys = createTokenSigningKeys({ db: d.db, kms: d.kms, clock: d.clock });
  // A server reads the keys before it listens; a CLI command outside one (`ward migrate` on a new
  // database) reads them only if it uses them.
  if (d.serve) await tokenSigningKeys.jwks();
  const nonces = createNonceSource({ secret: () => tokenSigningKeys.nonceSecret(), clock: d.clock });
  const workloadBase = { ...base, keys: tokenSigningKeys, nonces, proofs: createProofVerifier({ clock: d.clock, keys: proofKeys, nonces }) };
  return {
    authenticator,
    // R-AUTHN-5: the SCIM client's bearer token, presented on /scim/v2 only.
    authenticators: [authenticator, createTokenAuthenticator(workloadBase), createSignatureAuthenticator(base), createScimAuthenticator(base)],
    authorizationServer: createAuthorizationServer({
      ...workloadBase,
      tokenLimits: {
        perIp: createRateLimiter({ db: d.db, clock: d.clock, name: 'oauth-ip', limit: TOKEN_REQUESTS_PER_IP_PER_MINUTE, windowSeconds: 60 }),
        perClient: createRateLimiter({ db: d.db, clock: d.clock, name: 'oauth-client', limit: TOKEN_REQUESTS_PER_CLIENT_PER_MINUTE, windowSeconds: 60 }),
      },
    }),
    tokenSigningKeys,
    sessions,
    passkeys: createPasskeyCeremonies({ ...base, logger: d.logger, sessions, limits }),
    sso: createSsoFacade({ ...base, kms: d.kms, egress: d.egress, logger: d.logger, sessions, limits }),
  };
}

export { systemClock, type Clock };

/** The composition root: the one place where Ward's parts are wired (DESIGN.md). */
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
  /** Stored per-tenant policies: forbid-only, versioned, two-person approval (R-AUTHZ-1, R-AUTHZ-5). */
  tenantPolicies: TenantPolicyStore;
  /** The one enforcement path: scope → load → decide → handle → audit (DESIGN.md). */
  guard: Guard;
  /** The tree-head signing keys (R-AUDIT-3): a file outside the database; public keys at /.well-known/ward-audit-keys. */
  auditKeys: SigningKeyStore;
  /** The leased audit sealer; main.ts starts it, `ward audit seal` runs one pass. */
  auditSealer: AuditSealer;
  /** Step 1 of the pipeline for browser sessions: cookie + device proof → principal, session, device (R-SESS-1, R-SESS-4). */
  authenticator: SessionAuthenticator;
  /** The authentication chain, in order: browser session, DPoP-bound workload token, an RFC 9421 signature on /v1/hooks/*, the SCIM bearer token on /scim/v2 (DESIGN.md step 1). */
  authenticators: readonly Authenticator[];
  /** Ward's OAuth authorization server for workloads (R-WORK-1, R-WORK-2). */
  authorizationServer: AuthorizationServer;
  /** The access-token signing keys (rotated by `ward keys rotate-token-signing`). */
  tokenSigningKeys: TokenSigningKeys;
  /** Issues a session for any login method (R-SESS-1, R-AUTHN-2). */
  sessions: Sessions;
  /** The passkey ceremonies: enrollment, sign-in, step-up (R-AUTHN-1, R-AUTHN-3, R-SESS-3). */
  passkeys: PasskeyCeremonies;
  /** Single sign-on through each tenant's OpenID provider: flows, back-channel and RP-initiated logout (R-AUTHN-2). */
  sso: SsoFacade;
  /** Messages to people: enrollment links by SMTP or to the file outbox (R-AUTHN-3). */
  notifier: Notifier;
  /** R-WORK-4: the one way out: every outbound call (IdP, alert webhooks, witness) is decided by the egress policy. */
  egress: EgressFetch;
  /** Ward's own key for signed outbound alerts (RFC 9421), published in /.well-known/jwks.json under its own kid. */
  alertKey: () => Promise<AlertSigningKey>;
  /** The leased delivery job of the alerts outbox; null when WARD_ALERT_WEBHOOK_URL is unset. main.ts starts it. */
  alertDelivery: AlertDelivery | null;
  /** Prometheus metrics (R-OPS-1, R-GOV-5): served on WARD_METRICS_ADDRESS by main.ts, never on the public port. */
  metrics: Metrics;
  /** OpenTelemetry traces (R-OPS-1): off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  tracing: Tracing;
  /** R-MON-1: the detection rules' evaluator; the sealer runs it after each pass, `ward detect replay` over history. */
  detector: Detector;
  /** R-AUDIT-4: the SIEM stream; null unless WARD_SIEM_URL or WARD_SIEM_FILE is set. main.ts starts it. */
  siemStream: SiemStream | null;
  /** How many migrations the database had applied when it was opened. */
  migrations: number;
  close(): Promise<void>;
}


/** Patient lists and searches a principal may make per minute: a busy screen pop is one every few seconds. */
export const LIST_REQUESTS_PER_MINUTE = 60;

export async function createDeps(
  config: Config,
  opts: { migrate: boolean; serve: boolean; onMigration?: OpenOptions['onMigration']; logger?: Logger; clock?: Clock; poolSize?: number; report?: (line: string) => void; tracing?: Tracing },
): Promise<Deps> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const pdp = loadPdp(); // an invalid policy stops the start (CONFIG_INVALID) before the database opens
  const riskRules = loadRiskRules(pdp.policiesDir); // likewise an invalid risk rule set (R-SESS-2)
  const { db, migrations } = await openDatabase(config, opts);
  try {
    const clock = opts.clock ?? systemClock;
    const kms = await createKms(config);
    const keyStore = createDbKeyStore(db.systemDb, { engine: db.engine });
    await keyStore.load();
    const cipher = createFieldCipher({ kms, keyStore, clock });
    // R-AUDIT-3: new records are refused while signed heads cannot leave the database for too long;
    // R-MON-1: each change (late, refusing, published again) is an alert in the outbox, delivered like any other.
    const auditPublication = createPublicationGuard({
      maxLagSeconds: config.audit.publishMaxLagSeconds, clock, logger,
      onStateChange: auditPublicationAlerter({ systemDb: db.systemDb, clock, logger }),
    });
    const audit = createAuditLog({ publication: auditPublication });
    // R-AUDIT-2: reads' records group-committed, one writer per process (docs/audit.md "The audited read").
    const auditWriter = config.audit.reads === 'grouped' ? createAuditWriter({ db, publication: auditPublication }) : undefined;
    const tenantPolicies = createTenantPolicyStore({ clock });
    // R-DATA-4: labels from closed lists (the schema's actions, the default policies' ids); the
    // scrape-time figures are counts over every tenant, read by the owner connection.
    const metrics = createMetrics({ actions: pdp.actions.keys(), policyIds: pdp.policies.keys(), readStats: () => readScrapeStats(db.systemDb) });
    const tracing = opts.tracing ?? (config.observability.otlpEndpoint ? await createTracing() : tracingOff);
    const guard = createGuard({
      db, pdp, audit, auditWriter, clock, logger, metrics, tracing,
      // R-MON-1: patient lists and searches per principal per minute (phone → patient enumeration
      // ran at 77/s without it); counted in PostgreSQL, so shared by every server.
      listLimiter: createRateLimiter({ db, clock, name: 'phi-list', limit: LIST_REQUESTS_PER_MINUTE, windowSeconds: 60 }),
      tenantPolicies: tenantPolicies.active,
      // R-SESS-2: live risk facts in every decision; `newCountry` from the packaged GeoIP database or
      // the operator's (WARD_GEOIP_DATABASE), read into memory at start, never fetched.
      risk: createRiskAssessor({ rules: riskRules, read: createRiskFactReader({ countryOf: countrySource(config.geoip) }), clock }),
      encryptJustification: (tenantId, eventId, text) =>
        cipher.encryptField(tenantId as TenantId, { table: 'audit_events', rowId: eventId, column: 'justification_enc' }, text),
    });
    const egress = createEgressFetch(createEgressPolicy({ allow: parseEgressAllow(config.egressAllow.join(',')) }));
    const detector = createDetector({ systemDb: db.systemDb, rules: loadRules(config.monitoring.rulesPath), clock, logger });
    const { auditKeys, auditSealer } = createAuditTrail(config, db, logger, clock, egress, detector, auditPublication);
    const notifier = createNotifier(config.notify);
    const alertKey = alertSigningKeyLoader(config.alerts.keyPath);
    const alertDelivery = config.alerts.webhookUrl
      ? createAlertDelivery({ systemDb: db.systemDb, egress, key: alertKey, url: config.alerts.webhookUrl, clock, logger })
      : null;
    const siemStream = createSiem(config, db, egress, alertKey, clock, logger);
    return { config, db, audit, logger, clock, kms, cipher, pdp, tenantPolicies, guard, metrics, tracing, auditKeys, auditSealer, notifier, egress, alertKey, alertDelivery, detector, siemStream, migrations, ...(await createAuthentication({ config, db, audit, logger, clock, kms, egress, serve: opts.serve })), close: async () => {
      await tracing.shutdown().catch(() => {});
      // Every queued read record is committed (or fails its request) before the pool closes.
      await auditWriter?.close();
      await db.close();
    } };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}

/** R-DATA-1: the tenants' key-encryption keys, in the KMS that WARD_KMS selects. */
export async function createKms(config: Config): Promise<Kms> {
  if (config.kms.kind === 'aws') {
    const { region, endpoint, keyPrefix } = config.kms;
    return createAwsKms({ region, endpoint, keyIdForTenant: (tenantId) => `${keyPrefix}${tenantId}` });
  }
  // The keyring never lies inside the embedded database's files (nor so in its dumps).
  const notInside = config.database.engine === 'embedded' ? [`${config.database.dataDir}/pgdata`] : [];
  return createKeyringKms({ path: config.keyringPath, notInside });
}

/** R-AUDIT-4: sealed events to the configured SIEM sink, as OCSF, resumable from the last seq delivered. */
function createSiem(config: Config, db: Db, egress: EgressFetch, key: () => Promise<AlertSigningKey>, clock: Clock, logger: Logger): SiemStream | null {
  const { siemUrl, siemFile, siemIntervalMs } = config.monitoring;
  const sink = siemUrl ? createHttpSiemSink({ url: siemUrl, egress, key, clock }) : siemFile ? createFileSiemSink(siemFile) : null;
  return sink ? createSiemStream({ systemDb: db.systemDb, sink, logger, intervalMs: siemIntervalMs }) : null;
}

/** R-AUDIT-3: the signing key and the published heads live outside the database. */
function createAuditTrail(config: Config, db: Db, logger: Logger, clock: Clock, egress: EgressFetch, detector: Detector, publication: PublicationGuard): Pick<Deps, 'auditKeys' | 'auditSealer'> {
  const auditKeys = createFileSigningKeyStore({ path: config.audit.keyPath });
  const sinks = [createDirectoryHeadSink(config.audit.headsDir)];
  if (config.audit.witnessUrl !== null) sinks.push(createWitnessHeadSink(config.audit.witnessUrl, { fetch: egress as typeof fetch }));
  const auditSealer = createAuditSealer({
    systemDb: db.systemDb,
    keys: auditKeys,
    sinks,
    logger,
    clock,
    batchSize: config.audit.sealBatchSize,
    intervalMs: config.audit.sealIntervalMs,
    afterPass: () => detector.detectOnce(),
    publication,
  });
  return { auditKeys, auditSealer };
}
