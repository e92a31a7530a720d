import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHI_SCOPES, ROLES } from '@ward/contracts';
import { cedar } from './cedar.ts';
import { toCedarRequest } from './cedar-request.ts';
import { loadPolicyFiles } from './policy-files.ts';
import { loadPdp } from './pdp.ts';
import { contextAttributes, createSliceCache, gatingRole, slicePolicies } from './slices.ts';
import { PRINCIPAL_TYPES, type PdpRequest } from './types.ts';
import { prng } from '../../../test/support/prng.ts';

const loaded = loadPolicyFiles();
const pdp = loadPdp();

describe('policy slices', () => {
  test('keep only the policies a request shape can reach, with the authored ids', () => {
    const slice = slicePolicies(loaded.policies.values(), { principalType: 'Member', action: 'patient.view', resourceType: 'Patient', roles: ['Agent'] });
    assert.deepEqual(Object.keys(slice).sort(), [
      'breakglass-read-only', 'elevation-granted-actions', 'step-up-breakglass',
      'justification-breakglass', 'member-managed-device', 'member-mfa', 'member-restricted-no-phi', 'high-risk-session', 'phi-needs-phi-role',
      'phi-scope-grant', 'role-agent', 'scim-bearer-only-provisions', 'step-up-risk', 'sud-part2-purpose', 'tenant-boundary',
    ].sort());
    assert.ok(Object.values(slice).every((p) => p.action.op === 'All'));
  });

  test('find the role a permit is gated on, and none on a forbid', () => {
    assert.equal(gatingRole(loaded.policies.get('role-auditor')!), 'Auditor');
    assert.equal(gatingRole(loaded.policies.get('sod-auditor-read-only')!), undefined);
  });

  test('pass the whole context when a policy uses it other than by attribute', () => {
    const json = cedar.policyToJson('permit (principal, action, resource) when { context == {} };');
    assert.equal(json.type, 'success');
    assert.equal(contextAttributes([json.type === 'success' ? json.json : ({} as never)]), undefined);
    const named = cedar.policyToJson('permit (principal, action, resource) when { context.mfa && context has purpose };');
    assert.deepEqual(named.type === 'success' && [...contextAttributes([named.json])!].sort(), ['mfa', 'purpose']);
  });

  test('reuse an evicted slot when the cache is full', () => {
    const cache = createSliceCache(2);
    const a = cache.get('a', () => ({}));
    cache.get('b', () => ({}));
    const c = cache.get('c', () => ({}));
    assert.equal(c.id, a.id);
    assert.equal(cache.size, 2);
  });

  // The fast path against Cedar's own full path, on requests drawn at random over every principal
  // type, action, resource type, role set, scope and context flag.
  test('decide as the whole policy set with request validation on 600 random requests', () => {
    const rand = prng(20261122);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
    const some = <T>(list: readonly T[]): T[] => list.filter(() => rand() < 0.3);
    const workloadRoles = ['VoiceAgent', 'Redactor', 'AuditVerifier', 'SiemExporter'];
    const staticPolicies: Record<string, string> = {};
    for (const p of loaded.policies.values()) staticPolicies[p.id] = p.text;
    // Cedar's own full path: the whole set and the schema, each parsed once (parsing them on every
    // call took ~0.1 s a request), the request validated against the schema on every call.
    const whole = 'slices-test-whole-set';
    assert.equal(cedar.preparsePolicySet(whole, { staticPolicies }).type, 'success');
    assert.equal(cedar.preparseSchema(whole, loaded.schemaText).type, 'success');
    for (let i = 0; i < 600; i++) {
      const action = pick([...loaded.actions.keys()]);
      const type = pick(loaded.actions.get(action)!);
      const principalType = pick(PRINCIPAL_TYPES);
      const isSelf = type === 'Member' && principalType === 'Member' && rand() < 0.3;
      const req: PdpRequest = {
        principal: { type: principalType, id: 'p1', tenant: 't1', roles: some([...ROLES, ...workloadRoles]), scopes: some(PHI_SCOPES) },
        action,
        resource: {
          type,
          id: isSelf ? 'p1' : 'r1',
          tenant: rand() < 0.1 ? 't2' : 't1',
          ...(type === 'Tenant' && rand() < 0.5 ? {} : { phiScope: pick(PHI_SCOPES) }),
          ...(rand() < 0.7 ? { grantRole: pick(ROLES), grantScope: pick(PHI_SCOPES) } : {}),
          // A Member resource carries the roles its routes load (memberResource), Owner among them.
          ...(type === 'Member' ? { roles: some(ROLES) } : {}),
        },
        context: {
          mfa: rand() < 0.8,
          authMethod: pick(['passkey', 'oidc', 'dpop', 'mtls', 'bearer']),
          authAgeSeconds: Math.floor(rand() * 600),
          devicePosture: pick(['managed', 'managed', 'unmanaged', 'unknown'] as const),
          risk: pick(['low', 'low', 'medium', 'high'] as const),
          elevation: { kind: pick(['none', 'none', 'jit', 'breakglass'] as const), id: 'el-1', grantsAction: pick([false, false, true] as const) },
          justification: rand() < 0.5,
          purpose: pick(['TREAT', 'HPAYMT', '', 'MARKETING']),
        },
      };
      if (isSelf) req.resource.tenant = 't1';
      const call = toCedarRequest(req, loaded.actions, loaded.attributes);
      assert.ok(call);
      const entities = call.entities.map((e) => ('type' in e.uid && e.uid.type === 'Member' ? { ...e, attrs: { roles: [], scopes: [], ...e.attrs } } : e));
      const answer = cedar.statefulIsAuthorized({ ...call, entities, preparsedPolicySetId: whole, preparsedSchemaName: whole, validateRequest: true });
      assert.equal(answer.type, 'success');
      if (answer.type !== 'success') continue;
      const decision = pdp.decide(req);
      const label = JSON.stringify(req);
      assert.equal(decision.allow, answer.response.decision === 'allow', label);
      if (!decision.reasons.includes('no-permit')) assert.deepEqual(decision.policyIds, [...answer.response.diagnostics.reason].sort(), label);
      else assert.deepEqual(answer.response.diagnostics.reason, [], label);
    }
  });
});
