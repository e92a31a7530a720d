import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateTenantPolicySet } from './tenant-policies.ts';

describe('validateTenantPolicySet', () => {
  test('accepts forbid-only policies and prefixes their ids with tenant:', () => {
    const check = validateTenantPolicySet('@id("no-exports") forbid (principal, action == Action::"export.create", resource);');
    assert.equal(check.ok, true);
    assert.deepEqual(check.ok && check.policies.map((p) => p.id), ['tenant:no-exports']);
  });

  test('rejects a permit: tenant policies can only narrow access', () => {
    const check = validateTenantPolicySet('@id("open") forbid (principal, action, resource) when { false };\n@id("wide") permit (principal, action, resource);');
    assert.deepEqual(check, { ok: false, reason: 'policy wide is a permit: tenant policies can only forbid (narrow access)' });
  });

  test('rejects a policy that does not match the schema, naming it', () => {
    const check = validateTenantPolicySet('@id("typo") forbid (principal, action, resource) when { principal.rolez.contains("Agent") };');
    assert.equal(check.ok, false);
    assert.match(!check.ok ? check.reason : '', /^policy typo does not match the schema: .*rolez/);
  });

  test('rejects text that does not parse without quoting its string literals', () => {
    const check = validateTenantPolicySet('@id("x") forbid (principal, action, resource) when { "Jane Roe 1970-01-01" ;');
    assert.equal(check.ok, false);
    assert.doesNotMatch(!check.ok ? check.reason : '', /Jane/);
  });

  test('rejects policies without an @id, with a duplicated @id, or none at all', () => {
    assert.match(JSON.stringify(validateTenantPolicySet('forbid (principal, action, resource);')), /no @id annotation/);
    assert.match(JSON.stringify(validateTenantPolicySet('@id("a") forbid (principal, action, resource);\n@id("a") forbid (principal, action, resource);')), /used twice/);
    assert.deepEqual(validateTenantPolicySet('// nothing\n'), { ok: false, reason: 'the policy set is empty' });
  });

  test('rejects a forbid that can never apply, such as one on an entity hierarchy the PDP does not have', () => {
    const check = validateTenantPolicySet('@id("never") forbid (principal, action, resource) when { principal in Tenant::"t1" };');
    assert.equal(check.ok, false);
    assert.match(!check.ok ? check.reason : '', /^policy never does not match the schema: .*impossible/);
  });

  test('rejects templates', () => {
    const check = validateTenantPolicySet('@id("t") forbid (principal == ?principal, action, resource);');
    assert.match(JSON.stringify(check), /templates are not supported/);
  });
});
