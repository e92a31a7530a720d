// A child process for the crash test: it inserts audit events in committed transactions (printing
// each id once committed) and seals every few milliseconds, until the parent kills it with SIGKILL.
import { openEmbedded } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { createAuditLog } from '../../src/modules/audit/append.ts';
import { createDirectoryHeadSink } from '../../src/modules/audit/head-sink.ts';
import { createFileSigningKeyStore } from '../../src/modules/audit/key-store.ts';
import { createAuditSealer } from '../../src/modules/audit/sealer.ts';

const env = process.env;
const db = env.WARD_DATABASE_URL
  ? openPostgres({ appUrl: env.WARD_DATABASE_URL, migrationUrl: env.WARD_MIGRATION_DATABASE_URL! }, { size: 6 })
  : await openEmbedded(env.WARD_DATA_DIR!);
const tenantId = env.CRASH_TENANT!;
const audit = createAuditLog();
const sealer = createAuditSealer({
  systemDb: db.systemDb,
  keys: createFileSigningKeyStore({ path: env.CRASH_KEY_PATH! }),
  sinks: [createDirectoryHeadSink(env.CRASH_HEADS_DIR!)],
  batchSize: 50,
  leaseSeconds: 3,
  holder: 'crash-child',
});
const scope = { tenantId, phiScopes: ['Healthcare-PHI'] as const, actorId: 'crash-member', actorKind: 'human' as const };

async function worker(): Promise<never> {
  for (;;) {
    const { id } = await db.scoped({ ...scope, phiScopes: [...scope.phiScopes] }, async (tx) => {
      await tx.query('SELECT 1');
      return audit.append(tx, { tenantId, actorKind: 'human', actorId: 'crash-member', action: 'patient.view', targetType: 'Patient', targetId: 'p', outcome: 'success' });
    });
    process.stdout.write(`${id}\n`); // committed
    // Requests arrive through I/O: yield to the event loop (PGlite answers in microtasks only, so a
    // tight loop would starve every timer and file operation, the sealer's included).
    await new Promise((r) => setImmediate(r));
  }
}

async function sealing(): Promise<never> {
  for (;;) {
    const pass = await sealer.sealOnce();
    if (pass.sealed > 0) process.stdout.write(`sealed ${pass.sealed}\n`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

await Promise.all([worker(), worker(), worker(), sealing()]);
