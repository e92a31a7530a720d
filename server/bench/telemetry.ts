/**
 * `npm run bench:telemetry` (R-OPS-1): what metrics and traces add to a request, per operation.
 * Prints nanoseconds per call of each instrument, a pipeline's worth per request (one HTTP count and
 * latency, one decision; with tracing, seven spans) against a guarded read's cost, and the time to
 * render /metrics. In-process and sequential; on a shared machine the figures are noisy.
 */
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { createMetrics, createTracing, tracingOff, type Tracing } from '../src/modules/monitoring/index.ts';

function nsPerOp(n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(n, 10_000); i++) fn(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - start) / n;
}

async function nsPerAsyncOp(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(n, 5_000); i++) await fn(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / n;
}

const actions = ['patient.view', 'patient.list', 'transcript.read', 'recording.listen', 'ai.run'];
const metrics = createMetrics({ actions, policyIds: ['tenant-boundary', 'phi-scope-grant'] });
const routes = ['/v1/patients/:id', '/v1/patients', '/v1/calls/:id/transcript', '/v1/ai/tasks'];
const work = async () => 1;

const decisionAllow = nsPerOp(1_000_000, (i) => metrics.decision(actions[i % actions.length]!, true, ['permit']));
const decisionDeny = nsPerOp(1_000_000, (i) => metrics.decision(actions[i % actions.length]!, false, ['forbid:phi-scope-grant']));
const http = nsPerOp(1_000_000, (i) => metrics.httpRequest(routes[i % routes.length], 'GET', 200, 0.004));
const bare = await nsPerAsyncOp(500_000, () => work());
const off = await nsPerAsyncOp(500_000, () => tracingOff.span('load', {}, () => work()));
const pipeline = async (t: Tracing) => t.span('scope', { 'ward.action': 'patient.view' }, async () => {
  await t.span('load', {}, work);
  await t.span('decide', {}, work);
  await t.span('handle', {}, work);
  await t.span('audit', {}, work);
  t.start('commit', {}).end();
});
const pipelineOff = await nsPerAsyncOp(200_000, () => pipeline(tracingOff));
const exporter = new InMemorySpanExporter();
const on = await createTracing({ exporter });
const pipelineOn = await nsPerAsyncOp(20_000, async () => {
  const root = on.start('http', { 'http.route': '/v1/patients/:id' });
  await on.within(root, () => pipeline(on));
  root.end();
  if (exporter.getFinishedSpans().length > 10_000) exporter.reset();
});
await on.shutdown();
const renderStart = process.hrtime.bigint();
const text = await metrics.registry.metrics();
const renderUs = Number(process.hrtime.bigint() - renderStart) / 1000;

const f = (ns: number) => ns.toFixed(0).padStart(7);
console.log('telemetry cost per operation (ns; in-process, sequential, shared machine: noisy)');
console.log(`  metrics.decision (allow)                  ${f(decisionAllow)}`);
console.log(`  metrics.decision (deny, one reason)       ${f(decisionDeny)}`);
console.log(`  metrics.httpRequest (count + histogram)   ${f(http)}`);
console.log(`  await fn()                                ${f(bare)}`);
console.log(`  tracing off: span(fn)                     ${f(off)}   (+${(off - bare).toFixed(0)} ns over await fn())`);
console.log(`  pipeline of 6 spans, tracing off          ${f(pipelineOff)}`);
console.log(`  pipeline of 7 spans, tracing on (memory)  ${f(pipelineOn)}`);
console.log(`per request, metrics: ${((http + decisionAllow) / 1000).toFixed(2)} µs; tracing off: ${(pipelineOff / 1000).toFixed(2)} µs; tracing on: ${(pipelineOn / 1000).toFixed(1)} µs`);
console.log(`render /metrics (${text.split('\n').length} lines): ${renderUs.toFixed(0)} µs`);
