// npm run bench:pdp — the policy decision point on one core: decisions per second and latency per
// decision for the default policy set, on a realistic mix of requests over the demo data's tenants,
// members and patients (allows, forbids, denials cured by step-up or justification, which cost the
// one re-evaluation). Then the share of a guarded request's time spent deciding, against a measured
// stand-in for the rest of it: a scoped point read on PGlite (BEGIN, scope settings, SELECT, COMMIT
// through db.scoped, row-level security on), one at a time. Prints one JSON line.
//
// For comparison it also times the same requests against the whole default set preparsed as one
// (no per-shape slices): the path a straightforward use of statefulIsAuthorized takes.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PhiScope } from '@ward/contracts';
import { cedar } from '../src/modules/policy/cedar.ts';
import { toCedarRequest } from '../src/modules/policy/cedar-request.ts';
import { loadPolicyFiles } from '../src/modules/policy/policy-files.ts';
import { loadPdp, type PdpRequest } from '../src/modules/policy/index.ts';
import { generateDemo } from '../src/modules/demo/index.ts';

const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 60_000);
const READS = Number(process.env.BENCH_READS ?? 2_000);

/** A small deterministic generator, so that runs compare. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'allow' | 'forbid' | 'obligation';
interface Sample {
  req: PdpRequest;
  kind: Kind;
}

function buildRequests(count: number): Sample[] {
  const data = generateDemo(1);
  const rand = prng(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const tenants = data.tenants.map((t) => t.id);
  const patients = data.patients.filter((p) => p.phiScope !== 'SUD-Part2');
  const memberOf = (tenantId: string, role: string) => data.members.find((m) => m.tenantId === tenantId && m.roles.includes(role as never));
  const context = (over: Partial<PdpRequest['context']> = {}): PdpRequest['context'] => ({
    mfa: true, authMethod: 'passkey', authAgeSeconds: Math.floor(rand() * 240), devicePosture: 'managed', risk: 'low',
    elevation: { kind: 'none', id: '', grantsAction: false }, justification: '', purpose: 'TREAT', ...over,
  });
  const human = (tenant: string, role: string, scopes: readonly PhiScope[]): PdpRequest['principal'] => {
    const m = memberOf(tenant, role);
    return { type: 'Member', id: m?.id ?? `member-${role}`, tenant, roles: m?.roles.length ? [...m.roles] : [role], scopes: [...(m?.phiScopes.length ? m.phiScopes : scopes)] };
  };
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const p = pick(patients);
    const tenant = p.tenantId;
    const allScopes: PhiScope[] = ['Healthcare-PHI', 'BehavioralHealth-PHI', 'Dental'];
    const patient = { type: 'Patient', id: p.id, tenant, phiScope: p.phiScope };
    const roll = rand();
    let sample: Sample;
    if (roll < 0.45) {
      sample = { req: { principal: human(tenant, 'Agent', allScopes), action: 'patient.view', resource: patient, context: context() }, kind: 'allow' };
    } else if (roll < 0.55) {
      sample = { req: { principal: human(tenant, 'Agent', allScopes), action: 'transcript.readRedacted', resource: { type: 'Transcript', id: `tr-${p.id}`, tenant, phiScope: p.phiScope }, context: context() }, kind: 'allow' };
    } else if (roll < 0.6) {
      sample = { req: { principal: human(tenant, 'Manager', allScopes), action: 'patient.list', resource: { type: 'Tenant', id: tenant, tenant }, context: context() }, kind: 'allow' };
    } else if (roll < 0.7) {
      const agent: PdpRequest['principal'] = { type: 'AiAgent', id: `voice-${tenant}`, tenant, roles: ['VoiceAgent'], scopes: allScopes, onBehalfOf: memberOf(tenant, 'Agent')?.id };
      const action = rand() < 0.5 ? 'patient.view' : 'ai.run';
      const resource = action === 'ai.run' ? { type: 'Transcript', id: `tr-${p.id}`, tenant, phiScope: p.phiScope } : patient;
      sample = { req: { principal: agent, action, resource, context: context({ mfa: false, authMethod: 'dpop', devicePosture: 'unknown' }) }, kind: 'allow' };
    } else if (roll < 0.75) {
      sample = { req: { principal: { type: 'Service', id: 'redactor', tenant, roles: ['Redactor'], scopes: allScopes }, action: 'transcript.read', resource: { type: 'Transcript', id: `tr-${p.id}`, tenant, phiScope: p.phiScope }, context: context({ mfa: false, authMethod: 'dpop', devicePosture: 'unknown' }) }, kind: 'allow' };
    } else if (roll < 0.8) {
      sample = { req: { principal: human(tenant, 'Auditor', allScopes), action: 'audit.read', resource: { type: 'AuditLog', id: `audit-${tenant}`, tenant }, context: context() }, kind: 'allow' };
    } else if (roll < 0.87) {
      const other = tenants.find((t) => t !== tenant) ?? 'other-tenant';
      sample = { req: { principal: human(other, 'Agent', allScopes), action: 'patient.view', resource: patient, context: context() }, kind: 'forbid' };
    } else if (roll < 0.9) {
      sample = { req: { principal: human(tenant, 'Agent', allScopes), action: 'patient.view', resource: patient, context: context({ devicePosture: 'unmanaged' }) }, kind: 'forbid' };
    } else if (roll < 0.95) {
      sample = { req: { principal: human(tenant, 'Agent', allScopes), action: 'recording.listen', resource: { type: 'Recording', id: `rec-${p.id}`, tenant, phiScope: p.phiScope }, context: context({ authAgeSeconds: 900 + Math.floor(rand() * 3600) }) }, kind: 'obligation' };
    } else {
      sample = { req: { principal: human(tenant, 'Agent', allScopes), action: 'patient.viewSensitive', resource: patient, context: context() }, kind: 'obligation' };
    }
    samples.push(sample);
  }
  return samples;
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const us = (x: number) => Number(x.toFixed(1));

function stats(latencies: number[]) {
  const sorted = Float64Array.from(latencies).sort();
  return { p50Us: us(percentile(sorted, 0.5)), p99Us: us(percentile(sorted, 0.99)), meanUs: us(latencies.reduce((a, b) => a + b, 0) / latencies.length) };
}

/**
 * Wall-clock latency per decision, and CPU time per decision (process.cpuUsage, microsecond
 * resolution): on a shared machine the first includes time the process spent descheduled, the
 * second is the work one core does for a decision.
 */
function timeDecisions(samples: Sample[], decide: (req: PdpRequest) => unknown) {
  const latencies: number[] = new Array(samples.length);
  const cpu: number[] = new Array(samples.length);
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < samples.length; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    decide(samples[i]!.req);
    latencies[i] = Number(process.hrtime.bigint() - t0) / 1000;
    const c = process.cpuUsage(c0);
    cpu[i] = c.user + c.system;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpuStart);
  return { latencies, cpu, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

async function scopedPgliteRead(): Promise<{ p50Us: number; p99Us: number; meanUs: number } | { error: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ward-bench-pdp-'));
  try {
    const { openEmbedded } = await import('../src/db/pglite.ts');
    const { migrate } = await import('../src/db/migrate.ts');
    const { seedBenchRead } = await import('./scoped-read.ts');
    const db = await openEmbedded(dir);
    try {
      await migrate(db.systemDb);
      const { ids, scope } = await seedBenchRead(db.systemDb);
      const rand = prng(7);
      const read = () =>
        db.scoped(scope, async (tx) => {
          const { rows } = await tx.query('SELECT * FROM patients WHERE id = $1', [ids[Math.floor(rand() * ids.length)]]);
          if (rows.length !== 1) throw new Error('the scoped read found no row');
        });
      for (let i = 0; i < 200; i++) await read();
      const latencies: number[] = [];
      for (let i = 0; i < READS; i++) {
        const t0 = process.hrtime.bigint();
        await read();
        latencies.push(Number(process.hrtime.bigint() - t0) / 1000);
      }
      return stats(latencies);
    } finally {
      await db.close();
    }
  } catch (e) {
    return { error: (e as Error).message.slice(0, 200) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const loadAtStart = Number(loadavg()[0]!.toFixed(2));
  const pdp = loadPdp();
  const samples = buildRequests(DECISIONS);
  // Warm-up: prepares every slice the mix needs and lets V8 optimise.
  for (const s of samples.slice(0, 5_000)) pdp.decide(s.req);

  // The no-slicing comparison: the whole default set preparsed once, the same Cedar requests.
  const loaded = loadPolicyFiles();
  const whole: Record<string, string> = {};
  for (const p of loaded.policies.values()) whole[p.id] = p.text;
  cedar.preparsePolicySet('bench-whole-set', { staticPolicies: whole });
  const wholeSetDecide = (req: PdpRequest) => {
    const call = toCedarRequest(req, loaded.actions, loaded.attributes)!;
    return cedar.statefulIsAuthorized({ ...call, preparsedPolicySetId: 'bench-whole-set', validateRequest: false });
  };
  const wholeSamples = samples.slice(0, Math.min(10_000, samples.length));
  for (const s of wholeSamples.slice(0, 1_000)) wholeSetDecide(s.req);

  const run = timeDecisions(samples, (req) => pdp.decide(req));
  const wholeRun = timeDecisions(wholeSamples, wholeSetDecide);
  const byKind = (kind: Kind) => stats(run.latencies.filter((_, i) => samples[i]!.kind === kind));
  const overall = stats(run.latencies);

  const read = await scopedPgliteRead();
  const share = 'meanUs' in read ? Number((overall.meanUs / (overall.meanUs + read.meanUs)).toFixed(3)) : null;

  const mix: Record<Kind, number> = { allow: 0, forbid: 0, obligation: 0 };
  for (const s of samples) mix[s.kind]++;
  process.stdout.write(
    `${JSON.stringify({
      bench: 'pdp',
      cedarWasm: cedar.getCedarVersion(),
      policies: pdp.policies.size,
      decisions: samples.length,
      mix,
      decisionsPerSecond: Math.round(samples.length / run.seconds),
      decisionsPerCpuSecond: Math.round(samples.length / run.cpuSeconds),
      ...overall,
      cpuPerDecision: stats(run.cpu),
      allow: byKind('allow'),
      forbid: byKind('forbid'),
      obligation: byKind('obligation'),
      wholeSetNoSlices: {
        ...stats(wholeRun.latencies),
        decisionsPerSecond: Math.round(wholeSamples.length / wholeRun.seconds),
        decisionsPerCpuSecond: Math.round(wholeSamples.length / wholeRun.cpuSeconds),
      },
      scopedPgliteRead: read,
      shareOfGuardedRequestDeciding: share,
      shareNote: 'mean decide / (mean decide + mean scoped PGlite point read, one at a time); the real request adds audit and handler work, so this is an upper bound',
      loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
      loadAverage1mAtStart: loadAtStart,
      cpus: 'one core (the main thread); the Cedar preparsed cache is per thread',
    })}\n`,
  );
}

await main();
