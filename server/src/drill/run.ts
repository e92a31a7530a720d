import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../cli/command.ts';
import { runThroughOperatorSocket } from '../cli/operator-socket.ts';
import { progressLine } from '../cli/progress.ts';
import { liveLockOwner } from '../db/data-dir-lock.ts';
import { browserPerson, browserScenarios, CHROMIUM, type BrowserPerson } from './browser.ts';
import { callStarted, enroll, mcpTool, readWorkloadKey, workloadToken, type Person, type WorkloadToken } from './clients.ts';
import { summaryLine, writeReports, type DrillReport } from './report.ts';
import type { Provisioned, Result, Scenario, World } from './scenario.ts';
import { allScenarios, resetProbe } from './scenarios/index.ts';

/**
 * `ward drill` (R-GOV-3): provision a throwaway world through the operator socket, sign its people in
 * and give its workloads tokens as real clients do, run every scenario against the target over HTTP,
 * MCP and SCIM, shred the world, and report. A scenario passes ("blocked") only when the attack got
 * the refusal it should; anything else, an error included, is a failure.
 */
export interface DrillOptions {
  target: string;
  dataDir: string;
  reportDir: string;
  /** Only scenarios whose id starts with one of these (all when empty). */
  only?: string[];
  /** Runs an operator command (default: through the socket of the server owning dataDir). */
  operator?: World['operator'];
}

export type Operator = World['operator'];

function capture(stdin: string): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      stdin: Readable.from([Buffer.from(stdin)]),
      stdout: new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }),
      stderr: new Writable({ write: (c, _e, done) => ((err += String(c)), done()) }),
      env: {},
    },
    out: () => out,
    err: () => err,
  };
}

/** The operator socket of the server that owns the data directory (the drill never opens it itself). */
export function socketOperator(dataDir: string, env: NodeJS.ProcessEnv): Operator {
  return async (argv, stdin = '') => {
    const c = capture(stdin);
    let code: number;
    if (liveLockOwner(dataDir)) code = await runThroughOperatorSocket(dataDir, argv, c.io);
    else {
      // PostgreSQL: no socket; the operator command opens the database as `ward` would.
      const { main } = await import('../cli/main.ts');
      code = await main(argv, { ...c.io, env });
    }
    return { code, out: c.out(), err: c.err() };
  };
}

const local = (email: string) => email.split('@')[0]!;

/** The person in Chromium, when there is one to start (a production install has no playwright-core). */
async function startBrowser(target: string, token: string, say: (line: string) => void): Promise<BrowserPerson | null> {
  if (!existsSync(CHROMIUM)) {
    say(`drill: no Chromium at ${CHROMIUM}: the browser scenarios do not run`);
    return null;
  }
  try {
    return await browserPerson(target, token);
  } catch (e) {
    say(`drill: Chromium did not start (${(e as Error)?.message?.split('\n')[0] ?? 'unknown'}): the browser scenarios do not run`);
    return null;
  }
}

async function buildWorld(target: string, dataDir: string, operator: Operator, p: Provisioned, say: (line: string) => void): Promise<World> {
  const [a, b] = p.tenants as [Provisioned['tenants'][0], Provisioned['tenants'][0]];
  const member = (t: typeof a, name: string) => {
    const m = t.members.find((x) => local(x.email) === name);
    if (!m) throw new Error(`the drill's provisioning has no member ${name}`);
    return m;
  };
  const people = {} as World['people'];
  const enrollAs = async (key: keyof World['people'], t: typeof a, name: string) => {
    const m = member(t, name);
    people[key] = await enroll(target, { email: m.email, id: m.id, tenantId: t.id }, m.enrollmentToken);
  };
  await enrollAs('owner', a, 'olivia.owner');
  await enrollAs('admin', a, 'adrian.admin');
  await enrollAs('manager', a, 'maya.manager');
  await enrollAs('agent', a, 'alex.agent');
  await enrollAs('bhAgent', a, 'amara.agent');
  await enrollAs('viewer', a, 'vera.viewer');
  await enrollAs('auditor', a, 'audrey.auditor');
  await enrollAs('bAgent', b, 'ari.agent');
  await enrollAs('bOwner', b, 'owen.owner');
  // R-SESS-3: a fresh user verification, as a person does before a sensitive read or a change.
  for (const who of Object.values(people) as Person[]) {
    const r = await who.stepUp();
    if (r.status !== 200) throw new Error(`step-up of a drill member failed: HTTP ${r.status} ${r.code}`);
  }
  const key = (t: typeof a, name: string) => readWorkloadKey(t.workloads[name]!.keyFile);
  const keys = { voiceAgent: key(a, 'voice-agent'), summaryTool: key(a, 'summary-tool'), platform: key(a, 'voice-platform'), bVoiceAgent: key(b, 'voice-agent'), bPlatform: key(b, 'voice-platform') };
  const token = async (k: typeof keys.voiceAgent, resource: string): Promise<WorkloadToken> => {
    const r = await workloadToken(target, k, `${new URL(target).origin}${resource}`);
    if (!r.token) throw new Error(`a drill workload got no token: HTTP ${r.reply.status} ${r.reply.code}`);
    return r.token;
  };
  const tokens = { agentMcp: await token(keys.voiceAgent, '/mcp'), agentV1: await token(keys.voiceAgent, '/v1'), summaryMcp: await token(keys.summaryTool, '/mcp'), bAgentMcp: await token(keys.bVoiceAgent, '/mcp') };
  const hcOf = (t: typeof a) => t.patients.filter((x) => x.phiScope === 'Healthcare-PHI');
  const callOf = (t: typeof a, patientId: string | undefined, scope: string) => {
    const c = t.calls.find((x) => (patientId ? x.patientId === patientId : x.phiScope === scope)) ?? t.calls.find((x) => x.phiScope === scope);
    if (!c) throw new Error(`the drill's provisioning has no ${scope} call`);
    return c;
  };
  const [hc, hc2] = hcOf(a);
  const sud = a.patients.find((x) => x.phiScope === 'SUD-Part2')!;
  const bh = a.patients.find((x) => x.phiScope === 'BehavioralHealth-PHI')!;
  const bHc = hcOf(b)[0]!;
  const live = async (platform: typeof keys.platform, agentClientId: string, patientId: string) => {
    const id = randomUUID();
    const r = await callStarted(target, platform, { callId: id, phiScope: 'Healthcare-PHI', patientId, agentClientId });
    if (r.status !== 201) throw new Error(`the voice platform's call-started was refused: HTTP ${r.status} ${r.code}`);
    return { id, patientId };
  };
  const world: World = {
    origin: new URL(target).origin, a, b, people, keys, tokens, dataDir, operator,
    agentCall: await live(keys.platform, keys.voiceAgent.client_id, hc!.id),
    bAgentCall: await live(keys.bPlatform, keys.bVoiceAgent.client_id, bHc.id),
    hc: hc!.id, hc2: hc2!.id, bh: bh.id, sud: sud.id, bHc: bHc.id,
    hcCall: callOf(a, hc!.id, 'Healthcare-PHI'), sudCall: callOf(a, sud.id, 'SUD-Part2'), bhCall: callOf(a, bh.id, 'BehavioralHealth-PHI'), bCall: callOf(b, bHc.id, 'Healthcare-PHI'),
    spentEnrollmentToken: member(a, 'alex.agent').enrollmentToken,
    browser: await startBrowser(target, member(a, 'marcus.manager').enrollmentToken, say),
  };
  return world;
}

/** The honest requests work: a refusal later is then the control's doing, not a broken world. */
async function controls(w: World): Promise<void> {
  const checks: Array<[string, boolean]> = [];
  const own = await w.people.agent.call(`/v1/patients/${w.hc}`);
  checks.push(['an agent reads a patient in scope', own.status === 200]);
  const bOwn = await w.people.bAgent.call(`/v1/patients/${w.bHc}`);
  checks.push(["tenant B's agent reads its own patient", bOwn.status === 200]);
  const caller = w.a.patients.find((p) => p.id === w.agentCall.patientId)!;
  const found = await mcpTool(w.origin, w.tokens.agentMcp, 'find_patient', { callId: w.agentCall.id, phone: caller.phone, dateOfBirth: caller.dateOfBirth });
  checks.push(['the voice agent finds the caller on its own call', !found.isError]);
  const failed = checks.filter(([, ok]) => !ok).map(([name]) => name);
  if (failed.length > 0) throw new Error(`the drill's controls failed (the target is not serving the drill's world): ${failed.join('; ')}`);
}

export async function runScenarios(world: World, scenarios: Scenario[], onProgress: (done: number, failed: number, current: string) => void): Promise<Result[]> {
  const results: Result[] = [];
  let failed = 0;
  for (const [i, s] of scenarios.entries()) {
    onProgress(i, failed, s.id);
    const started = performance.now();
    let pass = false;
    let observed: string;
    try {
      ({ pass, observed } = await s.run(world));
    } catch (e) {
      observed = `error: ${(e as Error)?.message ?? String(e)}`;
    }
    if (!pass) failed += 1;
    results.push({ id: s.id, category: s.category, title: s.title, expected: s.expected, observed, covers: s.covers, outcome: pass ? 'blocked' : 'failed', ms: Math.round(performance.now() - started) });
  }
  onProgress(scenarios.length, failed, '');
  return results;
}

function bar(done: number, total: number, failed: number, current: string): string {
  const width = 30;
  const filled = Math.round((done / Math.max(1, total)) * width);
  return `drill [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${failed ? `, ${failed} failed` : ''} ${current}`;
}

export async function runDrill(opts: DrillOptions, io: CliIo): Promise<number> {
  const operator = opts.operator ?? socketOperator(opts.dataDir, io.env);
  const say = (line: string) => io.stdout.write(`${line}\n`);
  const prefix = `drill-${randomBytes(4).toString('hex')}`;
  const startedAt = new Date().toISOString();
  const chosen = (list: Scenario[]) => list.filter((s) => !opts.only?.length || opts.only.some((o) => s.id.startsWith(o)));
  say(`drill: provisioning ${prefix}-a and ${prefix}-b through the operator socket of ${opts.dataDir}`);
  const made = await operator(['drill', 'provision', '--name', prefix]);
  if (made.code !== 0) throw new Error(`ward drill provision exited ${made.code}: ${made.err.trim()}`);
  const provisioned = JSON.parse(made.out.trim().split('\n').at(-1)!) as Provisioned;
  const slugs = provisioned.tenants.map((t) => t.slug);
  let results: Result[] = [];
  let world: World | undefined;
  try {
    world = await buildWorld(opts.target, opts.dataDir, operator, provisioned, say);
    await controls(world);
    const scenarios = chosen([...(world.browser ? browserScenarios() : []), ...allScenarios()]);
    say(`drill: ${Object.keys(world.people).length} people enrolled with passkeys${world.browser ? ' (one in Chromium)' : ''}, ${Object.keys(world.tokens).length} DPoP-bound workload tokens, 2 SCIM tokens; running ${scenarios.length} scenarios against ${world.origin}`);
    const progress = progressLine(io);
    resetProbe();
    results = await runScenarios(world, scenarios, (done, failed, current) => progress.update(bar(done, scenarios.length, failed, current)));
    progress.done();
  } finally {
    await world?.browser?.close();
    for (const slug of slugs) {
      const shred = await operator(['tenant', 'shred', '--tenant', slug, '--confirm', slug]);
      say(shred.code === 0 ? `drill: shredded ${slug}` : `drill: could not shred ${slug} (exit ${shred.code}): run ward tenant shred --tenant ${slug} --confirm ${slug}`);
    }
  }
  const failed = results.filter((r) => r.outcome === 'failed');
  const report: DrillReport = {
    target: opts.target, startedAt, finishedAt: new Date().toISOString(), tenants: slugs,
    summary: { scenarios: results.length, blocked: results.length - failed.length, failed: failed.length }, results,
  };
  const files = writeReports(opts.reportDir, report);
  for (const f of failed) say(`FAILED ${f.id}: expected ${f.expected}; observed ${f.observed}`);
  say(`drill: reports ${files.html} and ${files.json}`);
  say(summaryLine(report));
  return failed.length === 0 ? 0 : 1;
}
