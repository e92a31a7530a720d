import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildRoleMatrix, loadPdp, renderRoleMatrix } from '../../modules/policy/index.ts';
import { DEFAULT_MATRIX_FILE } from './policy-matrix.ts';

test('docs/roles.md is what `ward policy matrix` generates from the current policies', () => {
  const pdp = loadPdp();
  const expected = renderRoleMatrix(pdp, buildRoleMatrix(pdp));
  assert.equal(readFileSync(DEFAULT_MATRIX_FILE, 'utf8'), expected, 'run `npx ward policy matrix --write` and commit docs/roles.md');
});

test('the role matrix keeps Viewer away from PHI and Auditor away from exports', () => {
  const rows = buildRoleMatrix(loadPdp());
  const viewer = rows.filter((r) => r.subject === 'Viewer');
  assert.ok(viewer.length > 0 && viewer.every((r) => !r.isAllowed));
  assert.equal(rows.find((r) => r.subject === 'Auditor' && r.action === 'export.create')?.isAllowed, false);
  assert.deepEqual(rows.find((r) => r.subject === 'Agent' && r.action === 'patient.view')?.scopes, ['Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental']);
});
