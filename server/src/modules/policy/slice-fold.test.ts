import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHI_SCOPES, ROLES } from '@ward/contracts';
import { cedar, type PolicyJson } from './cedar.ts';
import { toCedarRequest } from './cedar-request.ts';
import { loadPolicyFiles } from './policy-files.ts';
import { loadPdp } from './pdp.ts';
import { entityAttributes, foldKey, foldSlice, readsOnlyKeyed } from './slice-fold.ts';
import { slicePolicies } from './slices.ts';
import { DEVICE_POSTURES, ELEVATIONS, PRINCIPAL_TYPES, RISK_LEVELS, type PdpRequest } from './types.ts';
import { longOr } from '../../../test/support/long.ts';
import { prng } from '../../../test/support/prng.ts';

const loaded = loadPolicyFiles();

const conditionOf = (text: string): unknown => {
  const json = cedar.policyToJson(`permit (principal, action, resource) when { ${text} };`);
  assert.equal(json.type, 'success', text);
  return json.type === 'success' ? json.json.conditions[0]!.body : undefined;
};

const agentRead = (context: Partial<PdpRequest['context']> = {}): PdpRequest => ({
  principal: { type: 'Member', id: 'm1', tenant: 't1', roles: ['Agent'], scopes: ['Dental'] },
  action: 'patient.view',
  resource: { type: 'Patient', id: 'p1', tenant: 't1', phiScope: 'Dental' },
  context: {
    mfa: true, authMethod: 'passkey', authAgeSeconds: 20, devicePosture: 'managed', risk: 'low',
    elevation: { kind: 'none', id: '', grantsAction: false }, justification: '', purpose: 'TREAT', ...context,
  },
});

const foldedFor = (req: PdpRequest): Record<string, PolicyJson> => {
  const call = toCedarRequest(req, loaded.actions, loaded.attributes)!;
  const shape = { principalType: req.principal.type, action: req.action, resourceType: req.resource.type, roles: req.principal.roles };
  return foldSlice(slicePolicies(loaded.policies.values(), shape), call);
};

describe('slice folding (R-AUTHZ-1, R-OPS-1)', () => {
  test('a condition is keyed only when all it reads is a keyed fact, the action or a type', () => {
    for (const keyed of ['context.mfa', 'context.elevation.kind == "breakglass" || action == Action::"x"', 'principal is Service && principal.roles.contains("A")', 'context has riskVerified && context.riskVerified', 'principal has status']) {
      assert.equal(readsOnlyKeyed(conditionOf(keyed)), true, keyed);
    }
    for (const other of ['principal.tenant == resource.tenant', 'principal != resource', 'context.authAgeSeconds <= 300', 'context.elevation == {}', 'context.elevation.id == ""', 'resource.roles.contains("Owner")', 'context.purpose == "TREAT"', 'principal is Member in Group::"g"', 'context == {}']) {
      assert.equal(readsOnlyKeyed(conditionOf(other)), false, other);
    }
  });

  test("an Agent's read keeps the policies that read the request, and a permit that always fires has no condition", () => {
    const folded = foldedFor(agentRead());
    assert.deepEqual(Object.keys(folded).sort(), ['phi-scope-grant', 'role-agent', 'sud-part2-purpose', 'tenant-boundary']);
    assert.deepEqual(folded['role-agent']!.conditions, []);
    assert.deepEqual([...entityAttributes(Object.values(folded))!].sort(), ['phiScope', 'scopes', 'tenant']);
    // A medium risk keeps the step-up (it reads the age of the verification); a high one always forbids.
    assert.ok(foldedFor(agentRead({ risk: 'medium' }))['step-up-risk']!.conditions.length > 0);
    assert.deepEqual(foldedFor(agentRead({ risk: 'high' }))['high-risk-session']!.conditions, []);
  });

  test('the key tells apart every keyed fact, and nothing else', () => {
    const key = (req: PdpRequest) => foldKey(toCedarRequest(req, loaded.actions, loaded.attributes)!);
    const base = key(agentRead());
    assert.equal(key(agentRead({ authAgeSeconds: 200, purpose: 'HPAYMT' })), base);
    for (const change of [{ mfa: false }, { risk: 'medium' as const }, { riskVerified: false }, { justification: 'why' }, { elevation: { kind: 'none' as const, id: '', grantsAction: true } }]) {
      assert.notEqual(key(agentRead(change)), base, JSON.stringify(change));
    }
  });

  // The differential check: every action and resource type for every principal type, under drawn
  // roles, status and keyed facts, decided by the folded slices and by the unfolded ones: the same
  // decision, policy ids, reasons, obligations and masks. One draw a cell in CI (each draw folds a
  // slice or two, some 5 ms each); six under WARD_TEST_LONG=1.
  test('decide exactly as the unfolded slices over the decision matrix', () => {
    const folded = loadPdp();
    const unfolded = loadPdp({ foldSlices: false });
    const rand = prng(20261207);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
    const some = <T>(list: readonly T[]): T[] => list.filter(() => rand() < 0.3);
    const roleSets = { Member: ROLES, AiAgent: ['VoiceAgent'], Service: ['Redactor', 'AuditVerifier', 'SiemExporter', 'SummaryTool', 'ScimProvisioner'] };
    const draws = longOr(6, 1);
    let decisions = 0;
    for (const [action, types] of loaded.actions) {
      for (const type of types) {
        for (const principalType of PRINCIPAL_TYPES) {
          for (let i = 0; i < draws; i++) {
            const isSelf = type === 'Member' && principalType === 'Member' && rand() < 0.2;
            const roles = rand() < 0.1 ? some([...ROLES, ...roleSets.Service]) : [pick(roleSets[principalType]), ...some(roleSets[principalType])];
            const req: PdpRequest = {
              principal: { type: principalType, id: 'p1', tenant: 't1', roles, scopes: some(PHI_SCOPES), ...(rand() < 0.3 ? { status: pick(['active', 'restricted']) } : {}) },
              action,
              resource: {
                type, id: isSelf ? 'p1' : 'r1', tenant: isSelf || rand() < 0.9 ? 't1' : 't2',
                ...(rand() < 0.7 ? { phiScope: pick(PHI_SCOPES) } : {}),
                ...(rand() < 0.5 ? { grantRole: pick(ROLES), grantScope: pick(PHI_SCOPES) } : {}),
                ...(type === 'Member' && rand() < 0.9 ? { roles: some(ROLES) } : {}),
              },
              context: {
                mfa: rand() < 0.8,
                authMethod: pick(['passkey', 'oidc', 'dpop', 'mtls', 'http_signature', 'scim_bearer', 'bearer']),
                authAgeSeconds: pick([0, 120, 300, 301, 4000]),
                devicePosture: pick([...DEVICE_POSTURES, 'managed']),
                risk: pick(RISK_LEVELS),
                elevation: { kind: pick(ELEVATIONS), id: 'el-1', grantsAction: rand() < 0.3 },
                justification: rand() < 0.5 ? 'a reason' : '',
                purpose: pick(['TREAT', 'HPAYMT', '', 'MARKETING']),
                ...(rand() < 0.5 ? { riskVerified: rand() < 0.5 } : {}),
              },
            };
            const label = JSON.stringify(req);
            assert.deepEqual(folded.decide(req), unfolded.decide(req), label);
            decisions++;
          }
        }
      }
    }
    const cells = [...loaded.actions.values()].reduce((n, types) => n + types.length, 0) * PRINCIPAL_TYPES.length;
    assert.equal(decisions, cells * draws);
  });
});
