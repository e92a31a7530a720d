// The decision tables of policies/tests run here, in `npm test` (R-AUTHZ-1..6; STYLE.md habit 12).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cedar } from './cedar.ts';
import { toCedarRequest } from './cedar-request.ts';
import { loadDecisionTables, runDecisionTables } from './decision-tables.ts';
import { loadPolicyFiles } from './policy-files.ts';
import { loadPdp } from './pdp.ts';
import { validateTenantPolicySet } from './tenant-policies.ts';

const pdp = loadPdp();
const tables = loadDecisionTables(pdp.policiesDir);
const results = runDecisionTables(pdp, tables);

describe('decision tables', () => {
  for (const r of results) {
    test(`${r.table}: ${r.name}`, () => {
      assert.ok(r.ok, r.problem);
    });
  }

  test('hold at least 100 cases', () => {
    assert.ok(results.length >= 100, `${results.length} cases`);
  });

  test('name every default policy as a deciding policy in at least one case', () => {
    const named = new Set(tables.flatMap((t) => t.cases.flatMap((c) => c.expect.policyIds)));
    const missing = [...pdp.policies.keys()].filter((id) => !named.has(id));
    assert.deepEqual(missing, []);
  });

  test('cover AI agents, services, cross-tenant requests, SUD purposes and obligations', () => {
    const all = tables.flatMap((t) => t.cases);
    assert.ok(all.some((c) => c.request.principal.type === 'AiAgent' && c.expect.allow));
    assert.ok(all.some((c) => c.request.principal.type === 'Service' && c.expect.allow));
    assert.ok(all.some((c) => c.request.resource.tenant !== c.request.principal.tenant));
    assert.ok(all.some((c) => c.request.resource.phiScope === 'SUD-Part2' && c.expect.allow));
    assert.ok(all.some((c) => c.expect.reasons?.includes('step-up-required')));
    assert.ok(all.some((c) => c.expect.reasons?.includes('justification-required')));
  });

  test('report a case whose expectation the policies do not meet', () => {
    const [table] = tables;
    const [first] = table!.cases;
    const wrong = { ...table!, cases: [{ ...first!, expect: { ...first!.expect, allow: !first!.expect.allow } }] };
    const [result] = runDecisionTables(pdp, [wrong]);
    assert.equal(result?.ok, false);
    assert.match(result?.problem ?? '', /^expected (allow|deny)/);
  });

  // The fast path evaluates per-shape slices without request validation. Cedar's own full path —
  // every policy, the schema, request validation — must reach the same decision for every case.
  test('decide as Cedar does with the whole policy set and request validation', () => {
    const loaded = loadPolicyFiles(pdp.policiesDir);
    for (const table of tables) {
      const staticPolicies: Record<string, string> = {};
      for (const p of loaded.policies.values()) staticPolicies[p.id] = p.text;
      if (table.tenantPolicies) {
        const check = validateTenantPolicySet(table.tenantPolicies.text);
        assert.ok(check.ok);
        for (const p of check.policies) staticPolicies[p.id] = p.text;
      }
      for (const c of table.cases) {
        const call = toCedarRequest(c.request, loaded.actions, loaded.attributes);
        assert.ok(call, c.name);
        // A Member resource carries only what its decisions read (`roles` for member.manage); the
        // schema wants every attribute.
        const entities = call.entities.map((e) =>
          'type' in e.uid && e.uid.type === 'Member' ? { ...e, attrs: { roles: [], scopes: [], ...e.attrs } } : e,
        );
        const answer = cedar.isAuthorized({
          ...call,
          entities,
          policies: { staticPolicies },
          schema: loaded.schemaText,
          validateRequest: true,
        });
        assert.equal(answer.type, 'success', `${table.file}: ${c.name}`);
        if (answer.type !== 'success') continue;
        assert.deepEqual(answer.response.diagnostics.errors, [], `${table.file}: ${c.name}`);
        const decision = pdp.decide(c.request, table.tenantPolicies);
        assert.equal(answer.response.decision === 'allow', decision.allow, `${table.file}: ${c.name}`);
        if (!decision.reasons.includes('no-permit')) {
          assert.deepEqual([...answer.response.diagnostics.reason].sort(), decision.policyIds, `${table.file}: ${c.name}`);
        }
      }
    }
  });
});
