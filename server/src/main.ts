import type { Server } from 'node:net';
import { isWardError } from '@ward/contracts';
import { buildApp } from './app.ts';
import { main as cli, serverContext } from './cli/main.ts';
import { closeOperatorSocket, startOperatorSocket } from './cli/operator-socket.ts';
import { loadConfig } from './config.ts';
import { createDeps } from './deps.ts';
import { createLogger, safeError } from './logging.ts';
import { generateDemo } from './modules/demo/index.ts';
import { seedDemo } from './modules/demo/seed.ts';
import { startRetentionJob } from './modules/retention/index.ts';

/** `npm start`: configuration → dependencies (migrating) → demo data on an empty database → listen. */
async function start(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const deps = await createDeps(config, { migrate: true, serve: true, logger });

  const seedMode = process.env.WARD_DEMO_SEED?.trim() || (config.database.engine === 'embedded' ? 'auto' : 'never');
  if (seedMode === 'auto') {
    const { rows } = await deps.db.systemDb.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants');
    if (rows[0]?.n === 0) {
      const result = await seedDemo(deps.db.systemDb, generateDemo(1), { cipher: deps.cipher });
      if (result.seeded) logger.info({ counts: result.counts }, 'seeded demo data');
    }
  }

  await deps.auditKeys.load(); // an unprotected or invalid signing-key file stops the start (fail closed)
  const app = await buildApp(deps);
  await app.listen({ port: config.port, host: config.host });
  // R-DATA-5: retention hourly, under its lease (one server at a time).
  const retention = startRetentionJob({ systemDb: deps.db.systemDb, cipher: deps.cipher, audit: deps.audit, clock: deps.clock, logger }, { safeError });
  deps.auditSealer.start(); // R-AUDIT-3: seals committed events every second, while it holds the lease

  let operator: Server | undefined;
  if (config.database.engine === 'embedded') {
    operator = await startOperatorSocket(config.dataDir, (argv, io) => cli(argv, io, serverContext(deps)));
  }
  const where = config.database.engine === 'embedded' ? `embedded database in ${config.dataDir}` : 'PostgreSQL';
  process.stdout.write(`Ward is serving ${config.origin.origin} (listening on ${config.host}:${config.port}; ${where}; ${deps.migrations} migrations)\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await app.close();
      await deps.auditSealer.stop();
      await retention.stop();
      if (operator) await closeOperatorSocket(operator, config.dataDir);
      await deps.close();
    } finally {
      process.exit(0);
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
