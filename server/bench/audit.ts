/**
 * `npm run bench:audit`: the pure parts of the audit trail (R-AUDIT-3). Prints one JSON line:
 * sealing throughput (canonicalise + leaf hash + chain + tree append), verify rate over 200,000
 * synthetic events, and inclusion / consistency proof times at a large tree size.
 */
import os from 'node:os';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CHAIN_GENESIS, chainNext, hashLeafText } from '../src/modules/audit/hashes.ts';
import { leafText, type SealedEvent } from '../src/modules/audit/event.ts';
import { createMemorySigningKeyStore } from '../src/modules/audit/key-store.ts';
import { verifyConsistency, verifyInclusion } from '../src/modules/audit/merkle.ts';
import { MemoryLevelStore, MerkleTree } from '../src/modules/audit/tree.ts';
import { signTreeHead } from '../src/modules/audit/tree-head.ts';
import { createVerifier } from '../src/modules/audit/verifier.ts';
import { syntheticEvent } from '../src/modules/audit/test-events.ts';
import { exportLines } from '../src/modules/audit/export.ts';
import { verifyExportFile } from '../src/modules/audit/verify-file.ts';
import { benchDatabase } from './audit-db.ts';

const EVENTS = 200_000;
const LARGE_TREE = Number(process.env.WARD_BENCH_AUDIT_TREE ?? 1_000_000);
/** WARD_BENCH_AUDIT_DB=0 skips the database half (the pure figures only). */
const WITH_DB = process.env.WARD_BENCH_AUDIT_DB !== '0';
const TENANT = 'bench-tenant';
const round = (n: number, digits = 0) => Number(n.toFixed(digits));
/** CPU seconds of this process since `from` (the machine is shared: wall time alone overstates cost). */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

const ring = await createMemorySigningKeyStore().load();
const events = Array.from({ length: EVENTS }, (_, i) => syntheticEvent(TENANT, i + 1));

// Sealing: what the sealer does per event once it has assigned seq.
const tree = MerkleTree.create(new MemoryLevelStore());
const sealed: SealedEvent[] = new Array(EVENTS);
let chain: Buffer = CHAIN_GENESIS;
let start = performance.now();
let cpu = process.cpuUsage();
for (let i = 0; i < EVENTS; i += 1) {
  const event = events[i]!;
  const leafHash = hashLeafText(leafText(event));
  chain = chainNext(chain, leafHash);
  tree.append(leafHash);
  sealed[i] = { ...event, leafHash, chainHash: chain };
}
await tree.flush();
const sealSeconds = (performance.now() - start) / 1000;
const sealCpuSeconds = cpuSince(cpu);

// Heads every 10,000 events, as a sealer signing each batch would leave them.
const heads = [];
for (let size = 10_000; size <= EVENTS; size += 10_000) {
  heads.push(signTreeHead({ tenantId: TENANT, treeSize: size, rootHash: await tree.rootAt(size), timestamp: new Date().toISOString() }, ring.active));
}

const verifyRates: number[] = [];
const verifyCpuRates: number[] = [];
for (let run = 0; run < 3; run += 1) {
  const verifier = createVerifier({ tenantId: TENANT, heads, publicKeys: ring.publicKeys });
  start = performance.now();
  cpu = process.cpuUsage();
  for (const event of sealed) verifier.push(event);
  const report = verifier.finish();
  verifyRates.push(EVENTS / ((performance.now() - start) / 1000));
  verifyCpuRates.push(EVENTS / cpuSince(cpu));
  if (!report.ok) throw new Error(`bench log did not verify: ${report.code} at ${report.seq}`);
}
// The offline verifier over an export bundle file (`ward audit verify --file`): sequential, and on
// worker threads (verify-file.ts); both recompute every leaf from the event's fields.
const bundleDir = mkdtempSync(join(os.tmpdir(), 'ward-bench-bundle-'));
const bundlePath = join(bundleDir, 'export.jsonl');
{
  const out = createWriteStream(bundlePath);
  for await (const line of exportLines({ tenantId: TENANT, exportedAt: new Date().toISOString(), publicKeys: ring.publicKeys, heads, events: sealed })) {
    if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}
// Per CPU second: process.cpuUsage counts every thread of the process, the workers included.
const fileRates: Record<string, { eventsPerSecond: number; eventsPerCpuSecond: number; mode: string }> = {};
for (const [name, workers] of [['sequential', 0], ['workers1', 1], ['workers2', 2], ['workers3', 3]] as const) {
  let best = 0;
  let bestCpu = 0;
  let mode = '';
  for (let run = 0; run < 2; run += 1) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const report = await verifyExportFile(bundlePath, ring.publicKeys, { workers });
    if (!report.ok) throw new Error(`bench bundle did not verify: ${report.code}`);
    best = Math.max(best, EVENTS / ((performance.now() - t0) / 1000));
    bestCpu = Math.max(bestCpu, EVENTS / cpuSince(cpu0));
    mode = report.mode;
  }
  fileRates[name] = { eventsPerSecond: round(best), eventsPerCpuSecond: round(bestCpu), mode };
}
// What starting the workers costs, apart from the events: a one-event bundle on one worker (each
// worker loads the TypeScript loader; a fixed cost that a larger bundle spreads thinner).
const tinyPath = join(bundleDir, 'tiny.jsonl');
{
  const tiny: string[] = [];
  for await (const line of exportLines({ tenantId: TENANT, exportedAt: new Date().toISOString(), publicKeys: ring.publicKeys, heads: [], events: sealed.slice(0, 1) })) tiny.push(line);
  writeFileSync(tinyPath, tiny.join('\n') + '\n');
}
const startT0 = performance.now();
const startCpu0 = process.cpuUsage();
if (!(await verifyExportFile(tinyPath, ring.publicKeys, { workers: 1, minParallelBytes: 0 })).ok) throw new Error('tiny bundle did not verify');
const workerStart = { wallMs: round(performance.now() - startT0), cpuMs: round(cpuSince(startCpu0) * 1000) };
rmSync(bundleDir, { recursive: true, force: true });
sealed.length = 0;

// Proofs at a large tree: leaf hashes only (the tree does not look inside leaves).
const big = MerkleTree.create(new MemoryLevelStore());
start = performance.now();
for (let i = 0; i < LARGE_TREE; i += 1) {
  big.append(hashLeafText(`leaf ${i}`));
  if (i % 65_536 === 65_535) await big.flush();
}
await big.flush();
const buildSeconds = (performance.now() - start) / 1000;
const bigRoot = big.root();
const SAMPLES = 2_000;
let genInclusion = 0;
let verInclusion = 0;
let genConsistency = 0;
let verConsistency = 0;
for (let s = 0; s < SAMPLES; s += 1) {
  const index = Math.floor((s * 7919 * 104729) % LARGE_TREE);
  let t = performance.now();
  const proof = await big.inclusionProof(index, LARGE_TREE);
  genInclusion += performance.now() - t;
  t = performance.now();
  const isIncluded = verifyInclusion(hashLeafText(`leaf ${index}`), index, LARGE_TREE, proof, bigRoot);
  verInclusion += performance.now() - t;
  if (!isIncluded) throw new Error('inclusion proof failed');

  const first = 1 + Math.floor((s * 15485863) % (LARGE_TREE - 1));
  const firstRoot = await big.rootAt(first);
  t = performance.now();
  const consistency = await big.consistencyProof(first, LARGE_TREE);
  genConsistency += performance.now() - t;
  t = performance.now();
  const isConsistent = verifyConsistency(first, LARGE_TREE, firstRoot, bigRoot, consistency);
  verConsistency += performance.now() - t;
  if (!isConsistent) throw new Error('consistency proof failed');
}
const micros = (ms: number) => round((ms * 1000) / SAMPLES, 1);

// The database half (issue 6): PGlite always, PostgreSQL when WARD_TEST_DATABASE_URL names a superuser URL.
/** WARD_BENCH_AUDIT_ENGINES=postgres (or embedded) runs one engine's half only. */
const DB_ENGINES = (process.env.WARD_BENCH_AUDIT_ENGINES ?? 'embedded,postgres').split(',');
const db: Record<string, unknown> = !WITH_DB ? { skipped: 'WARD_BENCH_AUDIT_DB=0' } : DB_ENGINES.includes('embedded') ? { pglite: await benchDatabase('embedded') } : {};
if (WITH_DB && DB_ENGINES.includes('postgres')) db.postgres = process.env.WARD_TEST_DATABASE_URL ? await benchDatabase('postgres') : 'skipped: WARD_TEST_DATABASE_URL is not set';

console.log(
  JSON.stringify({
    bench: 'audit',
    node: process.version,
    events: EVENTS,
    sealEventsPerSecond: round(EVENTS / sealSeconds),
    sealEventsPerCpuSecond: round(EVENTS / sealCpuSeconds),
    verifyEventsPerSecond: round(Math.max(...verifyRates)),
    verifyEventsPerCpuSecond: round(Math.max(...verifyCpuRates)),
    verifyEventsPerSecondRuns: verifyRates.map((r) => round(r)),
    offlineVerifyFile: fileRates,
    offlineVerifyWorkerStart: workerStart,
    loadAverage1m: round(os.loadavg()[0]!, 2),
    headsPerVerify: heads.length,
    proofTreeSize: LARGE_TREE,
    treeBuildLeavesPerSecond: round(LARGE_TREE / buildSeconds),
    inclusionProofGenerateMicros: micros(genInclusion),
    inclusionProofVerifyMicros: micros(verInclusion),
    consistencyProofGenerateMicros: micros(genConsistency),
    consistencyProofVerifyMicros: micros(verConsistency),
    heapUsedMiB: round(process.memoryUsage().heapUsed / 2 ** 20),
    rssMiB: round(process.memoryUsage().rss / 2 ** 20),
    db,
  }),
);
