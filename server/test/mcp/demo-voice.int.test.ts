// `ward demo call-start` and `ward demo agent` (R-AI-6, R-WORK-4, R-AUDIT-1) against a server listening
// at its WARD_ORIGIN, as the demo voice platform and voice agent with the keys the demo seed wrote:
// the signed call-started records the call; the scripted MCP session finds, verifies, reads
// appointments and is refused a patient not on its call, each tool call audited; a tenant the demo
// seed did not create is refused. PGlite only, to stay fast (the MCP suite covers both engines).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { seedDemoWorkloads } from '../../src/modules/demo/seed.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { runCli } from '../support/oauth-client.ts';
import { insertTenant } from '../support/fixtures.ts';

// A fixed port (40000 + 100 × issue 20, briefing): the origin must be known before the server starts.
const PORT = 42_000 + (process.pid % 100);
const ORIGIN = `http://localhost:${PORT}`;
const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const { engine, skip } = ENGINES[0]!;

describe(`ward demo call-start and ward demo agent on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let agentClientId: string;

  before(async () => {
    t = await createTestDeps(engine, { env: { WARD_ORIGIN: ORIGIN }, demo: demo.seed });
    await seedDemoWorkloads(t.deps.db, t.deps, join(t.deps.config.dataDir, 'workloads'), demo.tenants);
    await t.deps.db.systemDb.transaction((tx) => insertTenant(tx, '00000000-0000-4000-8000-000000000020', 'not-a-demo'));
    const { rows } = await t.deps.db.systemDb.query<{ client_id: string }>("SELECT client_id FROM workloads WHERE tenant_id = $1 AND name = 'voice-agent'", [riverside.id]);
    agentClientId = rows[0]!.client_id;
    app = await buildApp(t.deps);
    await app.listen({ port: PORT, host: 'localhost' });
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  test('call-start records the call for the caller and the agent, and prints the call id alone on its last line', async () => {
    const caller = demo.patients.find((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI')!;
    const r = await runCli(t, ['demo', 'call-start', '--tenant', 'riverside', '--agent', agentClientId, '--caller-phone', caller.phone.replace(/^\+1/, '')]);
    assert.equal(r.code, 0, r.err);
    const callId = r.out.trim().split('\n').at(-1)!;
    const { rows } = await t.deps.db.systemDb.query<{ patient_id: string; agent: string }>(
      'SELECT c.patient_id, w.client_id AS agent FROM calls c JOIN workloads w ON w.id = c.handled_by_workload WHERE c.id = $1', [callId]);
    assert.deepEqual(rows, [{ patient_id: caller.id, agent: agentClientId }]);
  });

  test('agent runs the scripted session: find, verify, appointments, a draft note, one refusal; one audit row per tool call', async () => {
    const r = await runCli(t, ['demo', 'agent', '--tenant', 'riverside']);
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    const lines = r.out.trim().split('\n');
    assert.match(lines[2]!, /^3\. tools\/list: .*find_patient/);
    assert.match(lines[3]!, /^4\. find_patient .*born \d{4}/);
    assert.match(lines[4]!, /^5\. verify_caller .*verified true/);
    assert.match(lines[5]!, /^6\. get_appointments: \d{4}-\d\d-\d\d \d\d:\d\d UTC /);
    assert.match(lines[6]!, /^7\. draft_case_note: draft [0-9a-f-]{36} pending/);
    assert.match(lines[7]!, /^8\. .*refused, FORBIDDEN$/);
    const callId = /call ([0-9a-f-]{36})/.exec(lines[0]!)![1]!;
    const { rows } = await t.deps.db.systemDb.query<{ action: string; outcome: string }>(
      "SELECT action, outcome FROM audit_events WHERE target_id = $1 AND action LIKE 'mcp.%' ORDER BY occurred_at, id", [callId]);
    assert.deepEqual(rows.map((x) => `${x.action} ${x.outcome}`), ['mcp.findPatient success', 'mcp.verifyCaller success', 'mcp.getAppointments success', 'mcp.draftCaseNote success', 'mcp.getAppointments denied']);
  });

  test('a tenant the demo seed did not create is refused (FORBIDDEN)', async () => {
    const r = await runCli(t, ['demo', 'agent', '--tenant', 'not-a-demo']);
    assert.equal(r.code, 1);
    assert.match(r.err, /FORBIDDEN/);
    const c = await runCli(t, ['demo', 'call-start', '--tenant', 'not-a-demo', '--agent', agentClientId, '--caller-phone', '5550100']);
    assert.match(c.err, /FORBIDDEN/);
  });
});
