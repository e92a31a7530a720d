// `ward policy check`, `test` and `validate` as an operator runs them: a real process, real stdin.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../../../', import.meta.url).pathname;
const ward = join(root, 'server/bin/ward.mjs');

function run(args: string[], input = '') {
  const r = spawnSync(process.execPath, [ward, ...args], { cwd: root, input, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const request = {
  principal: { type: 'Member', id: 'm1', tenant: 't1', roles: ['Agent'], scopes: ['Healthcare-PHI'] },
  action: 'patient.view',
  resource: { type: 'Patient', id: 'p1', tenant: 't1', phiScope: 'Healthcare-PHI' },
  context: { mfa: true, authMethod: 'passkey', authAgeSeconds: 60, devicePosture: 'managed', risk: 'low', elevation: { kind: 'none', id: '', grantsAction: false }, justification: '', purpose: 'TREAT' },
};

describe('ward policy check', () => {
  test('writes one decision line per request line, in order, and keeps going after a malformed one', () => {
    const lines = [
      JSON.stringify(request),
      '{"name": "Jane Roe", "ssn": "123-45-6789"', // not JSON, and PHI-shaped
      JSON.stringify({ ...request, principal: { ...request.principal, roles: 'Agent' } }),
      '',
      JSON.stringify({ ...request, resource: { ...request.resource, tenant: 't2' } }),
      JSON.stringify({ ...request, action: 'patient.viewSensitive', context: { ...request.context, authAgeSeconds: 900, justification: 'Jane Roe called about her bill' } }),
    ];
    const r = run(['policy', 'check'], `${lines.join('\n')}\n`);
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(out.length, 5);
    // Each decision names the policy set that made it (R-AUDIT-1).
    for (const i of [0, 3, 4]) {
      assert.match(String(out[i]!.policySetHash), /^[0-9a-f]{64}$/);
      delete out[i]!.policySetHash;
    }
    assert.deepEqual(out[0], { allow: true, policyIds: ['role-agent'], reasons: ['permit'], obligations: { maskFields: ['addressLine', 'city', 'dateOfBirth', 'ssn', 'zip'] } });
    assert.deepEqual(out[1], { error: { code: 'BAD_REQUEST', message: 'the line is not valid JSON' } });
    assert.deepEqual(out[2], { error: { code: 'BAD_REQUEST', message: 'principal.roles must be a list of strings' } });
    assert.deepEqual(out[3], { allow: false, policyIds: ['tenant-boundary'], reasons: ['forbid:tenant-boundary'], obligations: {} });
    assert.deepEqual(out[4], { allow: false, policyIds: ['step-up-sensitive-phi'], reasons: ['step-up-required'], obligations: { stepUpWithinSeconds: 300 } });
    assert.doesNotMatch(r.stdout + r.stderr, /Jane|123-45/);
  });

  test('applies tenant policies given with --tenant-policies', () => {
    const r = run(['policy', 'check', '--tenant-policies', join(root, 'policies/tests/tenant-example.cedar')],
      `${JSON.stringify({ ...request, action: 'recording.listen', resource: { type: 'Recording', id: 'r1', tenant: 't1', phiScope: 'Healthcare-PHI' } })}\n`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).policyIds, ['tenant:recordings-managers-only']);
  });
});

describe('ward policy test and validate', () => {
  test('policy test runs every decision table and passes', () => {
    const r = run(['policy', 'test']);
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /^\d+ cases, (\d+) passed, 0 failed$/m);
  });

  test('policy validate says the policies are valid', () => {
    const r = run(['policy', 'validate']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^policies: \d+ policies in \d+ files are valid against the schema/);
  });

  test('policy validate refuses tenant policies that would widen access', () => {
    const dir = mkdtempSync(join(process.env.WARD_TEST_TMP ?? tmpdir(), 'tenant-'));
    try {
      writeFileSync(join(dir, 'tenant.cedar'), '@id("open") permit (principal, action, resource);\n');
      const r = run(['policy', 'validate', '--tenant-policies', join(dir, 'tenant.cedar')]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^ward: CONFIG_INVALID: tenant policies: policy open is a permit: tenant policies can only forbid/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('policy validate exits 1 with CONFIG_INVALID naming the broken file', () => {
    const dir = mkdtempSync(join(process.env.WARD_TEST_TMP ?? tmpdir(), 'policies-'));
    try {
      cpSync(join(root, 'policies'), dir, { recursive: true });
      writeFileSync(join(dir, 'default/60-bad.cedar'), '@id("bad") @requirement("R-AUTHZ-1") @cfr("164.312(a)(1)") @nist("AC-3")\npermit (principal, action, resource) when { resource.owner == principal };\n');
      const r = run(['policy', 'validate', '--policies', dir]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^ward: CONFIG_INVALID: policies: default\/60-bad\.cedar: policy bad does not match the schema/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
