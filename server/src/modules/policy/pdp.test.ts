import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMaskableField } from '@ward/contracts';
import { toCedarRequest } from './cedar-request.ts';
import { DEFAULT_POLICIES_DIR, loadPolicyFiles } from './policy-files.ts';
import { loadPdp } from './pdp.ts';
import type { PdpRequest } from './types.ts';

const pdp = loadPdp();

function request(over: { principal?: Partial<PdpRequest['principal']>; action?: string; resource?: Partial<PdpRequest['resource']>; context?: Partial<PdpRequest['context']> } = {}): PdpRequest {
  return {
    principal: { type: 'Member', id: 'm1', tenant: 't1', roles: ['Agent'], scopes: ['Healthcare-PHI'], ...over.principal },
    action: over.action ?? 'patient.view',
    resource: { type: 'Patient', id: 'p1', tenant: 't1', phiScope: 'Healthcare-PHI', ...over.resource },
    context: {
      mfa: true, authMethod: 'passkey', authAgeSeconds: 60, devicePosture: 'managed', risk: 'low',
      elevation: { kind: 'none', id: '', grantsAction: false }, justification: '', purpose: 'TREAT', ...over.context,
    },
  };
}

/** A copy of the policies directory to break on purpose. */
function withPolicies(edit: (dir: string) => void, fn: (dir: string) => void): void {
  const root = mkdtempSync(join(process.env.WARD_TEST_TMP ?? tmpdir(), 'policies-'));
  const dir = join(root, 'policies');
  try {
    cpSync(DEFAULT_POLICIES_DIR, dir, { recursive: true });
    edit(dir);
    fn(dir);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('loadPdp', () => {
  test('stops the start with CONFIG_INVALID naming the file when a policy does not match the schema', () => {
    withPolicies(
      (dir) => writeFileSync(join(dir, 'default/50-typo.cedar'), '@id("typo") @requirement("R-AUTHZ-1") @cfr("164.312(a)(1)") @nist("AC-3")\nforbid (principal, action, resource) unless { principal.tennant == resource.tenant };\n'),
      (dir) => assert.throws(() => loadPdp({ policiesDir: dir }), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'CONFIG_INVALID');
        assert.match(e.message, /default\/50-typo\.cedar/);
        assert.match(e.message, /tennant/);
        return true;
      }),
    );
  });

  test('stops the start when a policy does not parse, naming the file', () => {
    withPolicies(
      (dir) => writeFileSync(join(dir, 'default/50-broken.cedar'), 'permit (principal, action, resource) when { ;\n'),
      (dir) => assert.throws(() => loadPdp({ policiesDir: dir }), { code: 'CONFIG_INVALID', message: /default\/50-broken\.cedar/ }),
    );
  });

  test('stops the start when a policy lacks a regulation annotation', () => {
    withPolicies(
      (dir) => writeFileSync(join(dir, 'default/50-bare.cedar'), '@id("bare") @requirement("R-AUTHZ-1") @nist("AC-3")\nforbid (principal, action, resource) unless { context.mfa };\n'),
      (dir) => assert.throws(() => loadPdp({ policiesDir: dir }), { code: 'CONFIG_INVALID', message: /50-bare\.cedar: policy #1 has no @cfr annotation/ }),
    );
  });

  test('stops the start when two policies share an id', () => {
    withPolicies(
      (dir) => writeFileSync(join(dir, 'default/50-dup.cedar'), '@id("tenant-boundary") @requirement("R-AUTHZ-7") @cfr("164.312(a)(1)") @nist("AC-3")\nforbid (principal, action, resource) unless { context.mfa };\n'),
      (dir) => assert.throws(() => loadPdp({ policiesDir: dir }), { code: 'CONFIG_INVALID', message: /tenant-boundary.*00-boundaries\.cedar/ }),
    );
  });

  test('stops the start when a step-up obligation does not say its window', () => {
    withPolicies(
      (dir) => writeFileSync(join(dir, 'default/50-stepup.cedar'), '@id("s") @requirement("R-SESS-3") @cfr("164.312(d)") @nist("IA-11") @obligation("stepUp")\nforbid (principal, action, resource) unless { context.authAgeSeconds < 60 };\n'),
      (dir) => assert.throws(() => loadPdp({ policiesDir: dir }), { code: 'CONFIG_INVALID', message: /stepUpWithinSeconds/ }),
    );
  });

  test('stops the start when the schema declares an action group the PDP could not see', () => {
    withPolicies(
      (dir) => {
        const schema = readFileSync(join(dir, 'schema.cedarschema'), 'utf8');
        writeFileSync(join(dir, 'schema.cedarschema'), schema.replace('action "audit.verify"', 'action "auditing";\naction "audit.verify" in ["auditing"]'));
      },
      (dir) => assert.throws(() => loadPdp({ policiesDir: dir }), { code: 'CONFIG_INVALID', message: /action audit\.verify is in a group/ }),
    );
  });

  test('stops the start when the SUD-Part2 policy permits a purpose the data scope does not widen for (one list)', () => {
    withPolicies(
      (dir) => {
        const file = join(dir, 'default/00-boundaries.cedar');
        writeFileSync(file, readFileSync(file, 'utf8').replace('"HCOMPL"]', '"HCOMPL", "MARKETING"]'));
      },
      (dir) => assert.throws(() => loadPdp({ policiesDir: dir }), { code: 'CONFIG_INVALID', message: /sud-part2-purpose must permit exactly/ }),
    );
  });

  test('stops the start when the mask rules name an unknown action', () => {
    withPolicies(
      (dir) => writeFileSync(join(dir, 'masks.json'), JSON.stringify({ rules: [{ action: 'patient.peek', maskFields: ['ssn'] }] })),
      (dir) => assert.throws(() => loadPdp({ policiesDir: dir }), { code: 'CONFIG_INVALID', message: /masks\.json: rule #1/ }),
    );
  });

  test('stops the start when a mask rule names a field outside the one map of maskable fields (R-DATA-3)', () => {
    withPolicies(
      (dir) => {
        const masks = JSON.parse(readFileSync(join(dir, 'masks.json'), 'utf8'));
        masks.rules.push({ action: 'patient.view', roles: ['Viewer'], maskFields: ['ssn', 'socialSecurity'] });
        writeFileSync(join(dir, 'masks.json'), JSON.stringify(masks));
      },
      (dir) => assert.throws(() => loadPdp({ policiesDir: dir }), { code: 'CONFIG_INVALID', message: /masks\.json: rule #\d+ masks "socialSecurity", which is not a maskable field/ }),
    );
  });

  test('every field policies/masks.json names is in the one map of maskable fields', () => {
    const masks = JSON.parse(readFileSync(join(DEFAULT_POLICIES_DIR, 'masks.json'), 'utf8')) as { rules: { maskFields: string[] }[] };
    for (const rule of masks.rules) for (const f of rule.maskFields) assert.ok(isMaskableField(f), f);
  });

  test('keeps every step-up window annotation equal to the bound in its condition', () => {
    for (const p of loadPolicyFiles().policies.values()) {
      if (p.annotations.obligation !== 'stepUp') continue;
      assert.match(p.text, new RegExp(`context\\.authAgeSeconds <= ${p.annotations.stepUpWithinSeconds}\\b`), p.id);
    }
  });
});

describe('pdp.decide', () => {
  test('allows with the determining permit and the masks of the view', () => {
    assert.deepEqual(pdp.decide(request()), {
      allow: true,
      policyIds: ['role-agent'],
      reasons: ['permit'],
      obligations: { maskFields: ['addressLine', 'city', 'dateOfBirth', 'ssn', 'zip'] },
      policySetHash: pdp.policySetHash,
    });
  });

  test('names the exact policy set in every decision: the defaults, or the defaults with the tenant\'s text (R-AUDIT-1)', () => {
    assert.match(pdp.policySetHash, /^[0-9a-f]{64}$/);
    const v1 = { key: 't1@1', text: '@id("no-dental") forbid (principal, action, resource is Patient) when { resource.phiScope == "Dental" };' };
    const v2 = { key: 't1@2', text: '@id("no-dental") forbid (principal, action, resource is Patient) when { resource.phiScope == "Dental" && true };' };
    const [a, b] = [pdp.decide(request(), v1).policySetHash, pdp.decide(request(), v2).policySetHash];
    assert.ok(a && b && a !== b && a !== pdp.policySetHash, 'each tenant version has its own hash');
    assert.equal(pdp.decide(request(), v1).policySetHash, a, 'and the same text the same hash');
    assert.equal(loadPdp().policySetHash, pdp.policySetHash, 'the same files, the same hash');
  });

  test('reports a denial by obligations only as something the user can cure', () => {
    const d = pdp.decide(request({ action: 'patient.viewSensitive', context: { authAgeSeconds: 3600 } }));
    assert.equal(d.allow, false);
    assert.deepEqual(d.reasons, ['step-up-required', 'justification-required']);
    assert.deepEqual(d.obligations, { stepUpWithinSeconds: 300, justificationRequired: true });
  });

  test('denies a request that does not fit the schema as invalid-request', () => {
    assert.deepEqual(pdp.decide(request({ action: 'patient.peek' })).reasons, ['invalid-request']);
    assert.deepEqual(pdp.decide(request({ resource: { type: 'AuditLog' } })).reasons, ['invalid-request']);
    assert.deepEqual(pdp.decide(request({ context: { risk: 'none' as 'low' } })).reasons, ['invalid-request']);
    assert.deepEqual(pdp.decide(request({ context: { mfa: 'yes' as unknown as boolean } })).reasons, ['invalid-request']);
    assert.deepEqual(pdp.decide(request({ context: { authAgeSeconds: Number.NaN } })).reasons, ['invalid-request']);
    assert.deepEqual(pdp.decide(request({ principal: { scopes: 'Healthcare-PHI' as unknown as string[] } })).reasons, ['invalid-request']);
    assert.deepEqual(pdp.decide(null as unknown as PdpRequest).reasons, ['invalid-request']);
  });

  // A route that builds a bare Member for `member.manage` (not through memberResource) would let an
  // Admin manage an Owner, since sod-owner-manages-owners reads the member's roles (R-AUTHZ-5).
  test('refuses member.manage on a Member that carries no roles as invalid-request', () => {
    const onMember = (resource: Partial<PdpRequest['resource']>) =>
      pdp.decide(request({ principal: { roles: ['Owner'] }, action: 'member.manage', resource: { type: 'Member', id: 'm2', tenant: 't1', phiScope: undefined, ...resource } }));
    assert.deepEqual(onMember({}).reasons, ['invalid-request']);
    assert.deepEqual(onMember({ roles: 'Owner' as unknown as string[] }).reasons, ['invalid-request']);
    assert.equal(onMember({ roles: [] }).allow, true);
    assert.equal(onMember({ roles: ['Owner'] }).allow, true);
  });

  test('denies a member acting on their own account under another tenant', () => {
    const d = pdp.decide(request({ principal: { roles: ['Owner'] }, action: 'member.manage', resource: { type: 'Member', id: 'm1', tenant: 't2', phiScope: undefined } }));
    assert.equal(d.allow, false);
  });

  test('fails closed with pdp-error when the tenant policies are not valid', () => {
    const d = pdp.decide(request(), { key: 'broken@1', text: '@id("x") permit (principal, action, resource);' });
    assert.deepEqual(d, { allow: false, policyIds: [], reasons: ['pdp-error'], obligations: {} });
  });

  test('fails closed with pdp-error when a policy errors during evaluation', () => {
    // A valid forbid that overflows at run time: Cedar skips an erroring policy, which would allow.
    const tenant = { key: 'errors@1', text: '@id("overflow") forbid (principal, action, resource) when { context.authAgeSeconds * 4611686018427387904 > 0 };' };
    const d = pdp.decide(request(), tenant);
    const { policySetHash, ...rest } = d;
    assert.deepEqual(rest, { allow: false, policyIds: [], reasons: ['pdp-error'], obligations: {} });
    assert.match(policySetHash ?? '', /^[0-9a-f]{64}$/);
  });

  test('applies tenant policies only to the decisions that carry them', () => {
    const tenant = { key: 't1@7', text: '@id("no-dental") forbid (principal, action, resource is Patient) when { resource.phiScope == "Dental" };' };
    const dental = request({ principal: { scopes: ['Dental'] }, resource: { phiScope: 'Dental' } });
    assert.deepEqual(pdp.decide(dental, tenant).policyIds, ['tenant:no-dental']);
    assert.equal(pdp.decide(dental).allow, true);
  });

  test('passes whether a justification was given, never its text', () => {
    const loaded = loadPolicyFiles();
    const call = toCedarRequest(request({ context: { justification: 'patient Jane Roe asked for a copy' } }), loaded.actions, loaded.attributes);
    assert.equal(call?.context.justification, true);
    assert.doesNotMatch(JSON.stringify(call), /Jane/);
  });

  test('passes only the resource attributes the schema declares', () => {
    const loaded = loadPolicyFiles();
    const call = toCedarRequest(request({ resource: { name: 'Jane Roe', ssn: '000-00-0000' } }), loaded.actions, loaded.attributes);
    assert.deepEqual(call?.entities[1]?.attrs, { tenant: 't1', phiScope: 'Healthcare-PHI' });
  });

  test('decides the same after many request shapes have been prepared', () => {
    for (const action of pdp.actions.keys()) for (const type of pdp.actions.get(action)!) pdp.decide(request({ action, resource: { type } }));
    assert.equal(pdp.decide(request()).allow, true);
    assert.equal(pdp.decide(request({ resource: { tenant: 't2' } })).allow, false);
  });

  test('reads its mask rules from data', () => {
    const rules = JSON.parse(readFileSync(join(DEFAULT_POLICIES_DIR, 'masks.json'), 'utf8')) as { rules: Array<{ action: string; maskFields: string[] }> };
    const view = rules.rules.find((r) => r.action === 'patient.view' && !('principalTypes' in r) && !('roles' in r));
    assert.deepEqual(view?.maskFields, ['ssn', 'dateOfBirth', 'addressLine', 'city', 'zip']);
  });
});
