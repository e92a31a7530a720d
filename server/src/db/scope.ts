import { isPhiScope, isSudPart2Purpose, PRINCIPAL_KINDS, WardError, type Principal, type PhiScope } from '@ward/contracts';
import type { DataScope } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The values of the transaction-local settings that row-level security reads. A scope that is not
 * well formed is refused here, before it reaches the database (fail closed).
 */
export function scopeSettings(scope: DataScope): [tenantId: string, phiScopes: string, actorId: string, actorKind: string] {
  if (!UUID.test(scope.tenantId)) throw new WardError('SCOPE_INVALID', 'The data scope names no valid tenant.');
  if (!scope.phiScopes.every(isPhiScope)) throw new WardError('SCOPE_INVALID', 'The data scope names an unknown PHI scope.');
  if (!(PRINCIPAL_KINDS as readonly string[]).includes(scope.actorKind)) throw new WardError('SCOPE_INVALID', 'The data scope names an unknown actor kind.');
  // Newline separates the fields of the scope's MAC (scope-key.ts): an actor id never holds a control character.
  if (!scope.actorId || /[\u0000-\u001f\u007f]/.test(scope.actorId)) throw new WardError('SCOPE_INVALID', 'The data scope names no valid actor.');
  return [scope.tenantId, [...new Set(scope.phiScopes)].join(','), scope.actorId, scope.actorKind];
}

/**
 * The scope of a principal's transaction (R-AUTHZ-7): its tenant and granted PHI scopes, narrowed by
 * the request. `SUD-Part2` records (42 CFR Part 2) are in scope only when the request states a purpose
 * the policy permits for them (SUD_PART2_PURPOSES): any other purpose would let a list or a search
 * show who is in an SUD programme.
 */
export function scopeForPrincipal(principal: Principal, request: { purpose?: string | null; onlyScopes?: readonly PhiScope[] } = {}): DataScope {
  let scopes = principal.phiScopes.filter((s) => !request.onlyScopes || request.onlyScopes.includes(s));
  if (!isSudPart2Purpose(request.purpose)) scopes = scopes.filter((s) => s !== 'SUD-Part2');
  return { tenantId: principal.tenantId, phiScopes: scopes, actorId: principal.id, actorKind: principal.kind };
}
