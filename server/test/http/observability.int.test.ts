// Metrics and traces hold no PHI and no identifier (R-DATA-4, R-OPS-1, R-GOV-5): the demo tenant's
// traffic (`ward demo traffic`, HTTP reads allowed and denied, an AI task) runs with tracing on and
// exported over OTLP/HTTP to a loopback collector; then /metrics is scraped from its own listener, and
// both are scanned for every gold PHI value and identifier of the demo.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { buildApp } from '../../src/app.ts';
import { serverContext } from '../../src/cli/main.ts';
import { closeMetricsListener, startMetricsListener } from '../../src/http/metrics-listener.ts';
import { createLocalProvider, type Vendor } from '../../src/modules/ai/index.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { createTracing, type Tracing } from '../../src/modules/monitoring/index.ts';
import { runWard } from '../support/cli.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { demoNeedles, findNeedles } from '../support/phi-needles.ts';
import { signIn } from '../support/session-client.ts';

const demo = generateDemo(1);
const needles = demoNeedles(demo);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const patient = demo.patients.find((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI' && demo.calls.some((c) => c.patientId === p.id))!;
const call = demo.calls.find((c) => c.patientId === patient.id)!;
const lakesidePatient = demo.patients.find((p) => p.tenantId !== riverside.id)!;

/** A loopback OTLP/HTTP collector: keeps every request body it receives on /v1/traces. */
async function startCollector(): Promise<{ server: Server; url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      if (req.url === '/v1/traces') bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, bodies };
}

for (const { engine, skip } of ENGINES) {
  describe(`metrics and traces on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let collector: Awaited<ReturnType<typeof startCollector>>;
    let tracing: Tracing;
    let metricsServer: Server;
    let metricsUrl: string;

    before(async () => {
      collector = await startCollector();
      tracing = await createTracing({ exporter: new OTLPTraceExporter({ url: collector.url }) });
      t = await createTestDeps(engine, { tracing, demo: demo.seed });
      const vendor: Vendor = { name: 'local', provider: createLocalProvider(), baaActive: false, timeoutMs: 5000 };
      app = await buildApp({ ...t.deps, ai: { vendorFor: async () => vendor } } as typeof t.deps);
      metricsServer = await startMetricsListener(t.deps.metrics, { host: '127.0.0.1', port: 0 });
      metricsUrl = `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/metrics`;

      // Traffic: the demo command (allowed and refused reads), HTTP reads (allowed, a step-up denial,
      // another tenant's patient), an AI task through the model span.
      const traffic = await runWard(['demo', 'traffic', '--reads', '40'], { ctx: serverContext(t.deps) });
      assert.equal(traffic.code, 0, traffic.err);
      const agent = await signIn(t.deps, 'alex.agent@riverside.test');
      const get = async (path: string, headers: Record<string, string> = {}) =>
        app.inject({ method: 'GET', url: path, headers: { ...(await agent.headers('GET', path)), 'ward-purpose': 'TREAT', ...headers } });
      assert.equal((await get(`/v1/patients/${patient.id}`)).statusCode, 200);
      assert.equal((await get(`/v1/patients/${lakesidePatient.id}`)).statusCode, 404);
      assert.equal((await get(`/v1/patients/${patient.id}/sensitive`, { 'ward-justification': 'follow-up' })).statusCode, 403, 'an Agent does not see the sensitive view');
      const ai = await app.inject({ method: 'POST', url: '/v1/ai/tasks', headers: await agent.headers('POST', '/v1/ai/tasks'), payload: { template: 'call-summary', target: { type: 'call', id: call.id } } });
      assert.equal(ai.statusCode, 201, ai.body);
      await tracing.flush();
    });
    after(async () => {
      if (metricsServer) await closeMetricsListener(metricsServer);
      await app?.close();
      await t?.close();
      await new Promise((r) => collector?.server.close(r));
    });

    test('/metrics on its own listener counts the traffic under ward_ names', async () => {
      const res = await fetch(metricsUrl);
      assert.equal(res.status, 200);
      const text = await res.text();
      const names = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
      for (const name of names) assert.match(name, /^ward_/);
      for (const name of [
        'ward_http_requests_total', 'ward_http_request_duration_seconds', 'ward_decisions_total', 'ward_denials_total', 'ward_step_ups_total',
        'ward_passkey_adoption_ratio', 'ward_sso_mfa_coverage_ratio', 'ward_ai_tasks_total', 'ward_ai_outputs_total', 'ward_ai_draft_reviews_total',
        'ward_break_glass_uses_total', 'ward_audit_sealer_lag_seconds', 'ward_audit_verification_failures_total', 'ward_incident_containment_seconds',
      ]) assert.ok(names.has(name), `${name} is exposed`);
      const value = (line: RegExp) => Number(new RegExp(`^${line.source} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
      assert.ok(value(/ward_decisions_total\{action="patient\.view",decision="allow"\}/) >= 30, 'demo traffic and HTTP reads are counted');
      assert.ok(value(/ward_denials_total\{action="patient\.view",reason="not-found"\}/) >= 1, 'another tenant\'s patient reads as a not-found denial');
      assert.ok(value(/ward_decisions_total\{action="patient\.viewSensitive",decision="deny"\}/) >= 1, 'the sensitive view\'s denial is counted');
      assert.equal(value(/ward_http_requests_total\{route="\/v1\/patients\/:id",method="GET",status="200"\}/), 1, 'routes are counted by template');
      assert.equal(value(/ward_ai_tasks_total\{outcome="ready"\}/), 1);
      assert.equal(value(/ward_ai_outputs_total\{redaction="passed"\}/), 1);
      assert.ok(value(/ward_passkey_adoption_ratio/) >= 0 && value(/ward_passkey_adoption_ratio/) <= 1);
      assert.equal((await fetch(metricsUrl.replace('/metrics', '/'))).status, 404, 'the listener serves /metrics alone');
    });

    test('no gold PHI value and no identifier of the demo appears in /metrics', async () => {
      const text = await (await fetch(metricsUrl)).text();
      assert.deepEqual(findNeedles(text, needles), []);
      assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, 'no UUID of any kind');
    });

    test('the exported spans cover the pipeline and hold no gold PHI value or identifier', () => {
      const body = collector.bodies.join('\n');
      assert.ok(collector.bodies.length > 0, 'spans reached the loopback collector');
      const names = new Set([...body.matchAll(/"name":"([a-z]+)"/g)].map((m) => m[1]!));
      for (const n of ['http', 'authenticate', 'scope', 'load', 'decide', 'handle', 'audit', 'commit', 'model']) assert.ok(names.has(n), `a ${n} span was exported`);
      assert.deepEqual(findNeedles(body, needles), []);
      // Trace and span ids are hex, not UUIDs: a UUID would be a Ward identifier.
      assert.doesNotMatch(body, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    });
  });
}
