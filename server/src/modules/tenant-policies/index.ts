/**
 * Stored per-tenant policies (R-AUTHZ-1, R-AUTHZ-5): versions proposed, approved by a second Owner or
 * Admin, one active. The policy module decides and owns no storage (DESIGN.md); this module keeps
 * the tenant's policy text and hands the active set to the enforcement point.
 */
export { createTenantPolicyStore, type TenantPolicyStore, type TenantPolicyVersion } from './store.ts';
