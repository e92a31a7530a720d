/**
 * The database half of `npm run bench:audit` (issue 6; R-AUDIT-2, R-AUDIT-3): on one engine,
 * - committed PHI reads/s with their audit event against the same reads without it, at concurrency
 *   1, 8 and 32, in the same run, alternating (a read = db.scoped + a point SELECT of a patient
 *   [+ audit.append], one transaction), while the leased sealer runs on its default interval;
 * - the CPU a read costs in each mode (Node, and PostgreSQL's backends when the server runs here);
 * - the merge delay (insert → sealed) observed during the audited runs;
 * - sealing throughput on a backlog of unsealed events, and verify rate reading them back
 *   (`WARD_BENCH_AUDIT_READS=0`: these two only).
 */
import os from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PhiScope } from '@ward/contracts';
import { createAuditLog } from '../src/modules/audit/append.ts';
import { createDirectoryHeadSink } from '../src/modules/audit/head-sink.ts';
import { createMemorySigningKeyStore } from '../src/modules/audit/key-store.ts';
import { createAuditSealer } from '../src/modules/audit/sealer.ts';
import { createAuditWriter } from '../src/modules/audit/writer.ts';
import { requestRecorder } from '../src/modules/access/guard-audit.ts';
import { verifyTenantLog } from '../src/modules/audit/verify-db.ts';
import { generateDemo } from '../src/modules/demo/index.ts';
import { seedDemo } from '../src/modules/demo/seed.ts';
import { embeddedTestDatabase, postgresTestDatabase } from '../test/support/databases.ts';

const SECONDS = Number(process.env.WARD_BENCH_AUDIT_SECONDS ?? 3);
/** WARD_BENCH_AUDIT_READS=0 skips the reads (and the merge delay under them): sealing and verifying the backlog only. */
const WITH_READS = process.env.WARD_BENCH_AUDIT_READS !== '0';
const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const PHI_SCOPES: PhiScope[] = ['Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental'];
const BACKLOG_TENANT = '0e000000-0000-4000-8000-0000000be4c1';

export async function benchDatabase(engine: 'embedded' | 'postgres'): Promise<Record<string, unknown>> {
  const t = engine === 'embedded' ? await embeddedTestDatabase() : await postgresTestDatabase();
  const headsDir = mkdtempSync(join(tmpdir(), 'ward-bench-heads-'));
  const keys = createMemorySigningKeyStore();
  // The production defaults: a pass every 500 ms, batches of 5,000.
  const sealer = createAuditSealer({ systemDb: t.db.systemDb, keys, sinks: [createDirectoryHeadSink(headsDir)] });
  try {
    // WARD_BENCH_AUDIT_COMMIT_DELAY_US (PostgreSQL): the bench database's commit_delay, PostgreSQL's own
    // group commit (docs/audit.md), set before the application pool's first connection; unset, the server's.
    const commitDelay = process.env.WARD_BENCH_AUDIT_COMMIT_DELAY_US;
    if (engine === 'postgres' && commitDelay) {
      if (!/^\d{1,6}$/.test(commitDelay)) throw new Error('WARD_BENCH_AUDIT_COMMIT_DELAY_US takes microseconds, 0..100000');
      await t.superuser((tx) => tx.query(`DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET commit_delay = %s', current_database(), ${Number(commitDelay)}); END $$`));
    }
    await seedDemo(t.db.systemDb, generateDemo(1));
    const patients = (await t.db.systemDb.query<{ id: string; tenant_id: string }>('SELECT id, tenant_id FROM patients ORDER BY id')).rows;
    const audit = createAuditLog();

    // R-AUDIT-2 (issue 31): the production audit writer, as the guard uses it for reads: the event vouched
    // for in the read's scoped transaction, inserted by ward_app through the batch function after it commits.
    // WARD_BENCH_AUDIT_IN_FLIGHT: batches in flight at once (the writer's default, 1, when unset).
    const inFlight = process.env.WARD_BENCH_AUDIT_IN_FLIGHT;
    const writer = createAuditWriter({ db: t.db, ...(inFlight ? { maxInFlight: Number(inFlight) } : {}) });
    let counted = writer.stats();
    const meanGroup = () => {
      const now = writer.stats();
      const mean = now.batches === counted.batches ? 0 : (now.records - counted.records) / (now.batches - counted.batches);
      counted = now;
      return mean;
    };
    // CPU per read (R-OPS-1): on this shared machine a rate is mostly the load's; what a read costs is
    // not. Node: this process; PostgreSQL: this database's backends, read from /proc when the server
    // runs here and is readable (else null). Both include the sealer's passes beside the reads.
    const database = engine === 'postgres' ? (await t.db.systemDb.query<{ d: string }>('SELECT current_database() AS d')).rows[0]!.d : undefined;
    /** µs of CPU per backend pid (utime + stime; clock ticks of 10 ms), or null when /proc cannot tell. */
    async function backendCpuUs(): Promise<Map<number, number> | null> {
      if (!database) return null;
      const { rows } = await t.db.systemDb.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
      const byPid = new Map<number, number>();
      for (const { pid } of rows) {
        let text: string;
        try {
          text = readFileSync(`/proc/${pid}/stat`, 'utf8');
        } catch {
          continue; // gone since, or not on this machine
        }
        const fields = text.split(') ')[1]!.split(' ');
        byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * 10_000);
      }
      return rows.length > 0 && byPid.size === 0 ? null : byPid; // none readable: the server is elsewhere
    }
    /** CPU the backends used between two readings: per backend, so one that ended or began between them does not count against the others. */
    const backendCpuBetween = (before: Map<number, number>, after: Map<number, number>) =>
      [...after].reduce((sum, [pid, us]) => sum + Math.max(0, us - (before.get(pid) ?? 0)), 0);
    const cpuPerRead: Record<string, { nodeUs: number; postgresUs: number | null }> = {};
    /**
     * true: audit.append in the read's transaction; 'grouped': the audit writer (group commit), each
     * record vouched for by the server (Tx.vouch, 0105).
     */
    async function reads(concurrency: number, isAudited: boolean | 'grouped'): Promise<number> {
      const cpu0 = process.cpuUsage();
      const backend0 = await backendCpuUs();
      let done = 0;
      let i = 0;
      const until = performance.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < until) {
            const patient = patients[i++ % patients.length]!;
            const scope = { tenantId: patient.tenant_id, phiScopes: PHI_SCOPES, actorId: 'bench-member', actorKind: 'human' as const };
            const event = {
              tenantId: patient.tenant_id, actorKind: 'human' as const, actorId: 'bench-member', action: 'patient.view', targetType: 'Patient',
              targetId: patient.id, decision: 'allow' as const, policyIds: ['permit-agent-view'], outcome: 'success' as const, metadata: { view: 'bench' },
            };
            // As the guard records (guard-audit.ts, guard.ts): grouped, the transaction opens with its
            // commit waiting for no WAL flush and sends nothing for its record; in-transaction, the record's
            // INSERT is the transaction's last statement.
            const recorder = isAudited === false ? undefined : requestRecorder(audit, isAudited === true ? undefined : writer);
            await t.db.scoped(scope, async (tx) => {
              const { rows } = await tx.query('SELECT * FROM patients WHERE id = $1', [patient.id]);
              if (rows.length !== 1) throw new Error('the patient was not read');
              await recorder?.record(tx, event, {});
            }, recorder?.scopedOptions);
            await recorder?.durable();
            done += 1;
            // Requests arrive through I/O; PGlite answers in microtasks, so let timers (the sealer) run.
            await new Promise((r) => setImmediate(r));
          }
        }),
      );
      const cpu = process.cpuUsage(cpu0);
      const backend1 = await backendCpuUs();
      // The lower of the two runs of a mode (below) is kept: CPU that others' load adds is not the read's.
      const key = `c${concurrency} ${isAudited === false ? 'unaudited' : isAudited === true ? 'audited' : isAudited}`;
      const nodeUs = Math.round((cpu.user + cpu.system) / Math.max(1, done));
      const postgresUs = backend0 === null || backend1 === null ? null : Math.round(backendCpuBetween(backend0, backend1) / Math.max(1, done));
      const was = cpuPerRead[key];
      cpuPerRead[key] = was ? { nodeUs: Math.min(was.nodeUs, nodeUs), postgresUs: postgresUs === null || was.postgresUs === null ? null : Math.min(was.postgresUs, postgresUs) } : { nodeUs, postgresUs };
      return done / SECONDS;
    }

    const readsPerSecond: Record<string, {
      unaudited: number; audited: number; ratio: number; grouped: number; groupedRatio: number; meanGroup: number;
      cpuUsPerRead: Record<string, { nodeUs: number; postgresUs: number | null }>;
    }> = {};
    let mergeDelay: ReturnType<typeof sealer.mergeDelay> | null = null;
    let auditedC8WithoutSealer: number | null = null;
    if (WITH_READS) {
      sealer.start();
      await reads(4, false); // warm up: connections, statement preparation, caches
      for (const concurrency of [1, 8, 32]) {
        // Alternate twice and keep the better run of each, so that a burst of load from others on this
        // shared machine does not decide the ratio.
        const unaudited = Math.max(await reads(concurrency, false), await reads(concurrency, false));
        const audited = Math.max(await reads(concurrency, true), await reads(concurrency, true));
        meanGroup();
        const groupedRps = Math.max(await reads(concurrency, 'grouped'), await reads(concurrency, 'grouped'));
        const group = meanGroup();
        readsPerSecond[`c${concurrency}`] = {
          unaudited: round(unaudited), audited: round(audited), ratio: round(audited / unaudited, 3),
          grouped: round(groupedRps), groupedRatio: round(groupedRps / unaudited, 3), meanGroup: round(group, 1),
          cpuUsPerRead: Object.fromEntries(['unaudited', 'audited', 'grouped'].map((mode) => [mode, cpuPerRead[`c${concurrency} ${mode}`]!])),
        };
      }
      await sealer.stop();
      await sealer.sealOnce();
      mergeDelay = sealer.mergeDelay();
      await sealer.stop();
      // The same audited reads with the sealer stopped: how much of the cost is the sealing beside them.
      auditedC8WithoutSealer = round(await reads(8, true));
      await sealer.sealOnce();
      await sealer.stop();
    }
    await writer.close();

    // Sealing throughput: a backlog of unsealed events in one tenant, sealed in passes of 5,000-row batches.
    const backlog = Number(process.env.WARD_BENCH_AUDIT_BACKLOG ?? (engine === 'embedded' ? 50_000 : 100_000));
    await t.superuser(async (tx) => {
      await tx.query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'bench-backlog', 'Backlog')", [BACKLOG_TENANT]);
      await tx.query(
        `INSERT INTO audit_events (tenant_id, occurred_at, actor_kind, actor_id, session_id, action, target_type, target_id, phi_scope,
           decision, policy_ids, outcome, metadata)
         SELECT $1, now() - make_interval(secs => $2 - g), 'human', 'member-' || (g % 50), gen_random_uuid(), 'patient.view', 'Patient',
           'p-' || (g % 1000), 'Healthcare-PHI', 'allow', ARRAY['permit-agent-view'], 'success', jsonb_build_object('view', 'bench', 'n', g)
         FROM generate_series(1, $2) AS g`,
        [BACKLOG_TENANT, backlog],
      );
    });
    const backlogSealer = createAuditSealer({ systemDb: t.db.systemDb, keys, sinks: [createDirectoryHeadSink(headsDir)], maxPassMs: 600_000 });
    // CPU per event (µs), Node and PostgreSQL's backends apart: on this shared machine the rate is the load's.
    const perEvent = (us: number | null, n: number) => (us === null ? null : round(us / Math.max(1, n), 1));
    const backendsBetween = (before: Map<number, number> | null, after: Map<number, number> | null) => (before === null || after === null ? null : backendCpuBetween(before, after));
    let backends = await backendCpuUs();
    let start = performance.now();
    let cpu = process.cpuUsage();
    let sealed = 0;
    for (;;) {
      const pass = await backlogSealer.sealOnce();
      sealed += pass.sealed;
      if (pass.sealed === 0) break;
    }
    const sealSeconds = (performance.now() - start) / 1000;
    const sealCpu = process.cpuUsage(cpu);
    const sealPostgresUs = backendsBetween(backends, await backendCpuUs());
    await backlogSealer.stop();

    // Verify from the database: read back in seq order (pages of 10,000, the next read while checking).
    const { publicKeys } = await keys.load();
    backends = await backendCpuUs();
    start = performance.now();
    cpu = process.cpuUsage();
    const { report } = await verifyTenantLog(t.db.systemDb, { tenantId: BACKLOG_TENANT, publicKeys, headsDir });
    const verifySeconds = (performance.now() - start) / 1000;
    const verifyCpu = process.cpuUsage(cpu);
    const verifyPostgresUs = backendsBetween(backends, await backendCpuUs());
    if (!report.ok) throw new Error(`the backlog did not verify: ${report.code} at ${report.seq}`);

    return {
      readSeconds: SECONDS,
      readsPerSecond,
      auditedC8WithoutSealer,
      mergeDelayMs: mergeDelay,
      sealedEvents: sealed,
      sealEventsPerSecond: round(sealed / sealSeconds),
      sealEventsPerNodeCpuSecond: round(sealed / ((sealCpu.user + sealCpu.system) / 1e6)),
      sealCpuUsPerEvent: { node: perEvent(sealCpu.user + sealCpu.system, sealed), postgres: perEvent(sealPostgresUs, sealed) },
      verifyEvents: report.treeSize,
      verifyEventsPerSecond: round(report.treeSize / verifySeconds),
      verifyEventsPerNodeCpuSecond: round(report.treeSize / ((verifyCpu.user + verifyCpu.system) / 1e6)),
      verifyCpuUsPerEvent: { node: perEvent(verifyCpu.user + verifyCpu.system, report.treeSize), postgres: perEvent(verifyPostgresUs, report.treeSize) },
      loadAverage1m: round(os.loadavg()[0]!, 2),
    };
  } finally {
    await sealer.stop();
    await t.close();
    rmSync(headsDir, { recursive: true, force: true });
  }
}
