// The supervisor's elevation queue says who may approve next as the database decides it (R-ELEV-1,
// migration 0115): an elevation that names an Owner's or Admin's action waits for an Owner or Admin,
// though it asks for no role.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextApprover } from '../../../web/src/app/supervisor/next-approver.ts';

// As GET /v1/elevations lists them: what was asked for, and the approvals the database requires.
const pending = (over: { roles?: string[]; actions?: string[]; phiScopes?: string[]; approvalsRequired?: number; approvals?: number }) =>
  ({ roles: [], phiScopes: [], actions: [], approvalsRequired: 1, approvals: 0, ...over });

test('an Owner/Admin-level elevation (two approvals) names Owners or Admins, whatever it asks for', () => {
  assert.match(nextApprover(pending({ actions: ['audit.read'], approvalsRequired: 2 })), /^2 more approvals by an Owner or Admin /);
  assert.match(nextApprover(pending({ roles: ['Admin'], approvalsRequired: 2, approvals: 1 })), /^1 more approval by an Owner or Admin /);
  assert.match(nextApprover(pending({ phiScopes: ['Dental'] })), /^1 more approval by an Owner, Admin or Manager /);
});
