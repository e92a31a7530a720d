import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMetrics } from './metrics.ts';

test('labels come from closed lists: an unknown action, reason or route reads other or unmatched (R-DATA-4)', async () => {
  const m = createMetrics({ actions: ['patient.view'], policyIds: ['tenant-boundary'] });
  m.decision('patient.view', false, ['forbid:tenant-boundary', 'forbid:Jane Doe 555-0142']);
  m.decision('patient.lookup-by-ssn-123-45-6789', true, []);
  m.httpRequest(undefined, 'GET', 404, 0.001);
  m.httpRequest('/v1/patients/:id', 'GET', 200, 0.002);
  m.aiTask('Jane Doe');
  const text = await m.registry.metrics();
  assert.match(text, /ward_denials_total\{action="patient\.view",reason="forbid:tenant-boundary"\} 1/);
  assert.match(text, /ward_denials_total\{action="patient\.view",reason="other"\} 1/);
  assert.match(text, /ward_decisions_total\{action="other",decision="allow"\} 1/);
  assert.match(text, /ward_http_requests_total\{route="unmatched",method="GET",status="404"\} 1/);
  assert.match(text, /ward_ai_tasks_total\{outcome="other"\} 1/);
  assert.doesNotMatch(text, /Jane|555|123-45/);
});

test('a step-up denial counts as a step-up asked for (R-SESS-3, R-GOV-5)', async () => {
  const m = createMetrics({ actions: ['recording.listen'] });
  m.decision('recording.listen', false, ['step-up-required']);
  m.stepUp('verified');
  const text = await m.registry.metrics();
  assert.match(text, /ward_step_ups_total\{event="required"\} 1/);
  assert.match(text, /ward_step_ups_total\{event="verified"\} 1/);
});

test('scrape-time figures are read once per TTL, and a failed read sets nothing', async () => {
  let reads = 0;
  let now = 0;
  let fail = false;
  const m = createMetrics({
    now: () => now,
    statsTtlMs: 1000,
    readStats: async () => {
      reads += 1;
      if (fail) throw new Error('database down');
      return { activeMembers: 4, membersWithPasskey: 3, ssoSessions: 2, ssoSessionsWithMfa: 1, sealerLagSeconds: 0.5, headsUnpublishedSeconds: 7 };
    },
  });
  const first = await m.registry.metrics();
  await m.registry.metrics();
  assert.equal(reads, 1);
  assert.match(first, /ward_passkey_adoption_ratio 0\.75/);
  assert.match(first, /ward_sso_mfa_coverage_ratio 0\.5/);
  assert.match(first, /ward_audit_sealer_lag_seconds 0\.5/);
  assert.match(first, /ward_audit_heads_unpublished_seconds 7/);
  now = 2000;
  fail = true;
  await m.registry.metrics();
  assert.equal(reads, 2);
});
