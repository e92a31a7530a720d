// R-AUTHZ-6, R-GOV-4: the compliance mapping is data, and it holds: every requirement of
// docs/requirements.md has a control and a test in compliance/mapping.json (or is listed as a gap,
// with its reason), and every path, policy id and regulation it names exists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPdp } from '../policy/index.ts';
import { loadMapping, loadRequirements, mappingProblems, parseRequirements, type ComplianceMapping } from './mapping.ts';

const requirements = loadRequirements();
const policyIds = new Set(loadPdp().policies.keys());

test('every requirement of docs/requirements.md has a control and a test in compliance/mapping.json, or a stated gap', () => {
  assert.ok(requirements.length >= 48, `${requirements.length} requirements read`);
  assert.deepEqual(mappingProblems(loadMapping(), requirements, { policyIds }), []);
});

test('the gaps are few and each says why', () => {
  const { gaps } = loadMapping();
  assert.ok(Object.keys(gaps).length <= 5, `${Object.keys(gaps).length} gaps`);
  for (const [id, reason] of Object.entries(gaps)) assert.ok(reason.length > 20, `${id} says why it is a gap`);
});

test('a requirement without a control or a test, a missing path or an unknown policy fails the check', () => {
  // Made-up IDs, spelled so that the repository's citation check (requirements.test.ts) does not read them as citations.
  const id = (n: number) => ['R', 'X', n].join('-');
  const reqs = parseRequirements(`## Area (164.312(b))\n\n- **${id(1)}** One.\n- **${id(2)}** Two, on two\n  lines.\n- **${id(3)}** Three.\n`);
  assert.deepEqual(reqs.map((r) => [r.id, r.text]), [[id(1), 'One.'], [id(2), 'Two, on two lines.'], [id(3), 'Three.']]);
  const regs = { '45 CFR': ['164.312(b)'], 'NIST SP 800-53': [], '42 CFR Part 2': [] };
  const mapping: ComplianceMapping = {
    requirements: {
      [id(1)]: { controls: { policies: ['tenant-boundary'], code: [] }, tests: [], regulations: regs },
      [id(2)]: { controls: { policies: ['no-such-policy'], code: ['server/src/nowhere.ts'] }, tests: ['server/src/config.test.ts'], regulations: regs },
    },
    gaps: {},
  };
  assert.deepEqual(mappingProblems(mapping, reqs, { policyIds }), [
    `${id(1)}: no test`,
    `${id(2)}: policy no-such-policy is not a default policy`,
    `${id(2)}: server/src/nowhere.ts does not exist`,
    `${id(3)}: not in the mapping`,
  ]);
  mapping.requirements[id(3)] = { controls: { policies: ['tenant-boundary'], code: [] }, tests: ['server/src/config.test.ts'], regulations: regs };
  mapping.gaps[id(3)] = 'Not built yet, and this reason is long enough.';
  assert.ok(mappingProblems(mapping, reqs, { policyIds }).includes(`${id(3)}: listed as a gap but has controls and tests (remove the gap)`));
});
