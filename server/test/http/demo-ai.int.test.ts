// `ward demo vendor` and `ward demo ai` (R-AI-1, R-AI-3, R-WORK-2) against a server listening at its
// WARD_ORIGIN: the demo summary tool runs the call-summary template over HTTP with its own DPoP-bound
// token, first on the built-in local provider, then refused (VENDOR_NOT_BAA) by a vendor with no BAA
// (which receives nothing), then on that vendor once its BAA is attested and approved by the demo
// Owner and Admin. PGlite only, to stay fast (ai-vendors.int.test.ts covers both engines).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { seedDemoWorkloads } from '../../src/modules/demo/seed.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { runCli } from '../support/oauth-client.ts';
import { startOpenAiStandIn, type StandIn } from '../support/openai-stand-in.ts';

// A fixed port (40000 + 100 × issue 21): the origin must be known before the server starts.
const PORT = 42_100 + (process.pid % 100);
const ORIGIN = `http://localhost:${PORT}`;
const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const { engine, skip } = ENGINES[0]!;

describe('ward demo vendor and ward demo ai', { skip }, () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let vendor: StandIn;
  let baseUrl = '';
  let bodies: string[] = [];

  before(async () => {
    vendor = await startOpenAiStandIn(() => '[PATIENT_1] called.');
    ({ baseUrl, bodies } = vendor);
    t = await createTestDeps(engine, { env: { WARD_ORIGIN: ORIGIN, WARD_EGRESS_ALLOW: '127.0.0.1' }, demo: demo.seed });
    await seedDemoWorkloads(t.deps.db, t.deps, join(t.deps.config.dataDir, 'workloads'), demo.tenants);
    app = await buildApp(t.deps);
    await app.listen({ port: PORT, host: 'localhost' });
  });
  after(async () => {
    await app?.close();
    await t?.close();
    await vendor?.close();
  });

  const demoAi = async (calls: number) => {
    const r = await runCli(t, ['demo', 'ai', '--tenant', 'riverside', '--calls', String(calls)]);
    return { ...r, lines: r.out.trim().split('\n') };
  };

  test('the summary tool runs call-summary over HTTP with its DPoP-bound token; each task audited as the workload', async () => {
    const r = await demoAi(2);
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    assert.match(r.lines[0]!, /^summary tool wl_\S+: DPoP-bound token for http:\/\/localhost:\d+\/v1/);
    assert.equal(r.lines.length, 3);
    for (const line of r.lines.slice(1)) assert.match(line, /^call [0-9a-f-]{36} \(\S+\): task [0-9a-f-]{36} ready by local$/);
    const callId = /^call ([0-9a-f-]{36})/.exec(r.lines[1]!)![1]!;
    const [tool] = (await t.deps.db.systemDb.query<{ id: string }>("SELECT id FROM workloads WHERE tenant_id = $1 AND name = 'summary-tool'", [riverside.id])).rows;
    const { rows } = await t.deps.db.systemDb.query<{ action: string; actor_id: string; phase: string }>(
      "SELECT action, actor_id, metadata->>'phase' AS phase FROM audit_events WHERE target_id = $1 AND action IN ('ai.run', 'transcript.readRedacted') ORDER BY occurred_at, id", [callId]);
    assert.deepEqual(rows.map((x) => `${x.action}:${x.phase}:${x.actor_id === tool!.id}`), ['transcript.readRedacted:ai-input:true', 'ai.run:intent:true', 'ai.run:outcome:true']);
  });

  test('demo vendor --no-baa: refused, the vendor receives nothing; --baa: approved by the demo Owner and Admin, the vendor runs it', async () => {
    const noBaa = await runCli(t, ['demo', 'vendor', '--tenant', 'riverside', '--name', 'stand-in', '--base-url', baseUrl, '--model', 'm', '--no-baa'], 'sk-demo\n');
    assert.equal(noBaa.code, 0, noBaa.err);
    const refused = await demoAi(1);
    assert.equal(refused.code, 1);
    assert.match(refused.lines[1]!, /refused, VENDOR_NOT_BAA$/);
    assert.equal(bodies.length, 0);

    const withBaa = await runCli(t, ['demo', 'vendor', '--tenant', 'riverside', '--name', 'stand-in', '--base-url', baseUrl, '--model', 'm', '--baa'], 'sk-demo\n');
    assert.equal(withBaa.code, 0, withBaa.err);
    assert.match(withBaa.out, /approved by the demo Admin: active until \d{4}-\d\d-\d\d/);
    const ran = await demoAi(1);
    assert.equal(ran.code, 0, ran.out);
    assert.match(ran.lines[1]!, /ready by stand-in$/);
    assert.equal(bodies.length, 1);
    const bad = await runCli(t, ['demo', 'vendor', '--tenant', 'riverside', '--name', 'x', '--base-url', baseUrl, '--model', 'm'], 'k\n');
    assert.equal(bad.code, 2, 'exactly one of --baa and --no-baa');
  });
});
