/**
 * Who must approve a pending elevation next (R-ELEV-1; the database counts the approvals, 0038): an
 * Owner/Admin-level one (two approvals: its roles or, since 0115, its actions) by Owners or Admins only.
 */
export function nextApprover(e: { approvalsRequired: number; approvals: number }): string {
  const left = Math.max(0, e.approvalsRequired - e.approvals);
  const who = e.approvalsRequired >= 2 ? 'Owner or Admin' : 'Owner, Admin or Manager';
  return `${left} more approval${left === 1 ? '' : 's'} by an ${who} other than the requester and the member`;
}
