/**
 * The policy decision point (R-AUTHZ-1): one Cedar PDP for people, AI agents and services.
 * `loadPdp()` at start (an invalid policy stops the start), `pdp.decide(req)` per request.
 */
export { loadPdp, REASONS } from './pdp.ts';
export { validateTenantPolicySet, type TenantPolicyCheck } from './tenant-policies.ts';
export { parsePdpRequest } from './request.ts';
export { DEFAULT_POLICIES_DIR } from './policy-files.ts';
export type { ElevationContext, Pdp, PdpRequest, PolicyInfo, TenantPolicies } from './types.ts';
export { NO_ELEVATION } from './types.ts';
export { loadDecisionTables, runDecisionTables, type DecisionTable, type CaseResult } from './decision-tables.ts';
export { buildRoleMatrix, renderRoleMatrix } from './matrix.ts';
