import { join } from 'node:path';
import type { Server } from 'node:net';
import { isWardError, WardError } from '@ward/contracts';
import pino from 'pino';
import { buildApp } from './app.ts';
import { main as cli, serverContext } from './cli/main.ts';
import { closeOperatorSocket, startOperatorSocket } from './cli/operator-socket.ts';
import { closeGracefully } from './http/shutdown.ts';
import { closeMetricsListener, startMetricsListener } from './http/metrics-listener.ts';
import { loadConfig, type Config } from './config.ts';
import { createDeps, type Deps } from './deps.ts';
import { createLogger, safeError } from './logging.ts';
import { generateDemo, seedDemo, seedDemoWorkloads } from './modules/demo/index.ts';
import { startInterval, startRetentionJob } from './modules/retention/index.ts';
import { pruneSpentProofs } from './modules/proof/index.ts';
import { startInactivityJob } from './modules/provisioning/index.ts';
import { startReviewJob } from './modules/reviews/index.ts';

/**
 * `npm start`: configuration → dependencies (migrating) → demo data on an empty database → listen.
 * Each slow step says what it does (R-UX-2): a first start is initdb, migrations and demo data.
 */
const say = (line: string) => process.stdout.write(`ward: ${line}\n`);

async function seedIfEmpty(deps: Deps): Promise<void> {
  const { rows } = await deps.db.systemDb.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants');
  if (rows[0]?.n !== 0) return;
  const started = Date.now();
  say('seeding the demo tenants riverside and lakeside with synthetic patients and calls (WARD_DEMO_SEED=auto)');
  const demo = generateDemo(1);
  const result = await seedDemo(deps.db.systemDb, demo, { cipher: deps.cipher });
  if (result.seeded) {
    say(`seeded the demo data in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.counts.patients ?? 0} patients, ${result.counts.calls ?? 0} calls, ${result.counts.members ?? 0} members`);
    const files = await seedDemoWorkloads(deps.db, deps, join(deps.config.dataDir, 'workloads'), demo.tenants);
    say(`registered ${files.length} demo workloads (voice agent, summary tool, voice platform per tenant); their keys are in ${join(deps.config.dataDir, 'workloads')}`);
  }
}

/** R-UX-2: on the embedded database, how to sign in as each demo role (links come from the CLI, one at a time). */
async function demoSignInHints(deps: Deps, config: Config): Promise<string> {
  if (config.database.engine !== 'embedded') return '';
  const { rows } = await deps.db.systemDb.query<{ slug: string; roles: string[] }>(
    `SELECT t.slug, ARRAY(SELECT DISTINCT r.role FROM member_roles r WHERE r.tenant_id = t.id ORDER BY r.role) AS roles
       FROM tenants t WHERE coalesce((t.settings->>'demo')::boolean, false) ORDER BY t.slug DESC`,
  );
  const first = rows[0];
  if (!first) return '';
  const order = ['Owner', 'Admin', 'Manager', 'Agent', 'Auditor', 'Viewer'];
  const roles = [...first.roles].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const others = rows.slice(1).map((r) => r.slug);
  return [
    'Sign in as a demo member (synthetic data): print a one-time enrollment link, open it, register a passkey:',
    ...roles.map((role) => `  npx ward demo sign-in --tenant ${first.slug} --role ${role}`),
    ...(others.length > 0 ? [`  (the tenant ${others.join(', ')} has the same roles: --tenant ${others[0]})`] : []),
    `Afterwards sign in at ${config.origin.origin}/sign-in. Stop the server with Ctrl-C.`,
    '',
  ].join('\n');
}

async function listen(app: Awaited<ReturnType<typeof buildApp>>, config: Config): Promise<void> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new WardError('ADDRESS_IN_USE', `${config.host}:${config.port} is in use by another process (WARD_HOST, WARD_PORT): stop it, or set WARD_PORT to a free port.`);
    if (code === 'EADDRNOTAVAIL') throw new WardError('CONFIG_INVALID', `WARD_HOST ${config.host} is not an address of this machine.`);
    if (code === 'EACCES') throw new WardError('CONFIG_INVALID', `Listening on port ${config.port} needs privileges this process does not have (WARD_PORT): choose a port above 1023.`);
    throw e;
  }
}

async function start(): Promise<void> {
  const config = loadConfig();
  // R-OPS-1: log lines leave through an asynchronous destination, so that a request never waits on
  // a write to stdout; pino flushes it synchronously when the process exits (process.exit included).
  const logger = createLogger(config.logLevel, pino.destination({ dest: 1, sync: false }));
  const where = config.database.engine === 'embedded' ? `the embedded database in ${config.dataDir}` : 'PostgreSQL';
  say(`starting with ${where}`);
  const deps = await createDeps(config, { migrate: true, serve: true, logger, report: say });
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    if (config.demoSeed === 'auto') await seedIfEmpty(deps);
    await deps.auditKeys.load(); // an unprotected or invalid signing-key file stops the start (fail closed)
    app = await buildApp(deps);
    await listen(app, config);
  } catch (e) {
    await app?.close();
    await deps.close(); // releases the data directory for the next attempt
    throw e;
  }
  // R-DATA-5: retention hourly, under its lease (one server at a time).
  const retention = startRetentionJob({ systemDb: deps.db.systemDb, cipher: deps.cipher, audit: deps.audit, clock: deps.clock, logger }, { safeError });
  // R-GOV-2: members and workloads inactive for the tenant's inactivityDisableDays (60) are disabled, hourly, under its lease.
  const inactivity = startInactivityJob({ systemDb: deps.db.systemDb, audit: deps.audit, clock: deps.clock, logger }, { safeError });
  // R-SESS-4, R-WORK-2: spent proof ids past their window are removed in batches, every 30 s, by every server (0040).
  const proofPruning = startInterval(() => pruneSpentProofs(deps.db.systemDb), { intervalMs: 30_000, what: 'proof id pruning', logger, safeError });
  // R-GOV-1: access reviews hourly, under its lease: overdue campaigns closed (unattested items revoked), the quarter's campaign started.
  const reviews = startReviewJob({ db: deps.db, audit: deps.audit, clock: deps.clock, logger }, { safeError });
  deps.auditSealer.start(); // R-AUDIT-3: seals committed events every second, while it holds the lease
  deps.alertDelivery?.start(); // R-MON-1: sends the alerts outbox, signed, while it holds its lease
  deps.siemStream?.start(); // R-AUDIT-4: streams sealed events as OCSF to the SIEM sink, while it holds its lease

  // R-OPS-1: Prometheus on its own listener, never the public port (docs/observability.md).
  let metricsServer: Awaited<ReturnType<typeof startMetricsListener>> | undefined;
  if (config.observability.metrics) {
    const { host, port } = config.observability.metrics;
    try {
      metricsServer = await startMetricsListener(deps.metrics, config.observability.metrics);
    } catch (e) {
      await app.close();
      await deps.close();
      const code = (e as { code?: string }).code;
      if (code === 'EADDRINUSE') throw new WardError('ADDRESS_IN_USE', `${host}:${port} is in use by another process (WARD_METRICS_ADDRESS): stop it, choose another port, or set WARD_METRICS_ADDRESS=off.`);
      throw new WardError('CONFIG_INVALID', `WARD_METRICS_ADDRESS ${host}:${port} cannot be listened on.`);
    }
  }
  const tracingNote = config.observability.otlpEndpoint ? '; traces to OTEL_EXPORTER_OTLP_ENDPOINT' : '';
  if (config.observability.metrics) say(`metrics at http://${config.observability.metrics.host.includes(':') ? `[${config.observability.metrics.host}]` : config.observability.metrics.host}:${config.observability.metrics.port}/metrics${tracingNote}`);

  let operator: Server | undefined;
  if (config.database.engine === 'embedded') {
    operator = await startOperatorSocket(config.dataDir, (argv, io) => cli(argv, io, serverContext(deps)));
  }
  const hints = await demoSignInHints(deps, config);
  process.stdout.write(`Ward is serving ${config.origin.origin} (listening on ${config.host}:${config.port}; ${where}; ${deps.migrations} migrations)\n${hints}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: draining in-flight requests');
    let code = 0;
    try {
      // In-flight requests finish (their audit records with them); new ones get 503; after
      // WARD_SHUTDOWN_TIMEOUT_SECONDS the rest are cut off and the exit code says so.
      if ((await closeGracefully(app!, config.shutdownTimeoutMs)) === 'timed-out') {
        logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'requests were still running when the drain timed out');
        code = 1;
      }
      await deps.auditSealer.stop();
      await deps.alertDelivery?.stop();
      await deps.siemStream?.stop();
      await retention.stop();
      await inactivity.stop();
      await proofPruning.stop();
      await reviews.stop();
      if (operator) await closeOperatorSocket(operator, config.dataDir);
      if (metricsServer) await closeMetricsListener(metricsServer);
      await deps.close();
    } catch (e) {
      logger.error({ err: safeError(e) }, 'shutdown failed');
      code = 1;
    } finally {
      process.exit(code);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

start().catch((e: unknown) => {
  if (isWardError(e)) process.stderr.write(`ward: ${e.code}: ${e.message}\n`);
  else process.stderr.write(`ward: failed to start: ${JSON.stringify(safeError(e))}\n`);
  process.exit(1);
});
