/**
 * Provisioning (R-AUTHN-5, R-AUTHN-3, R-GOV-2): the SCIM 2.0 service provider the tenant's IdP
 * drives, its client and bearer tokens, groups mapped to roles only by the operator, revocation at
 * once, identity proofing before a provisioned member's first enrollment link, and the inactivity rule.
 */
export { createScimAuthenticator, isScimPath, SCIM_BASE_PATH, scimClientScope } from './authenticator.ts';
export { listScimTokens, type ScimTokenRow } from './console-tokens.ts';
export { approveScimToken, cancelScimToken, findScimTokenRequest, listScimTokenRequests, proposeScimToken } from './scim-token-requests.ts';
export { issueScimToken, listScimGroups, mapGroup, MAX_SCIM_TOKEN_DAYS, SCIM_CLIENT_NAME, type IssuedScimToken, type ScimGroupSummary } from './operator.ts';
export { resourceTypes, schemas, serviceProviderConfig } from './discovery.ts';
export { createGroup, deleteGroup, getGroup, groupExists, listGroups, patchGroup, replaceGroup } from './groups.ts';
export { deprovisionMember, syncRoles, type LifecycleContext } from './lifecycle.ts';
export { createUser, deleteUser, getUser, listUsers, newMemberId, patchUser, provisionedMemberExists, replaceUser, type ScimContext } from './users.ts';
export { scimBoolean, SCHEMA as SCIM_SCHEMA, SCIM_MEDIA_TYPE } from './values.ts';
export { DEFAULT_INACTIVITY_DAYS, disableInactive, inactivityDays, startInactivityJob, type InactivityResult } from './job-inactivity.ts';
export { ID_PROOFING_METHODS, recordIdProofing, sealIdProofingNote, type IdProofingMethod, type IdProofingResult } from './proofing.ts';
