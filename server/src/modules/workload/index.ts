/** Workload identities (R-WORK-1, R-WORK-2): the registry, Ward's authorization server, and the token link of the authentication chain. */
export { parseWorkloadJwks, CLIENT_ASSERTION_ALGORITHMS } from './jwks.ts';
export { createWorkload, disableWorkload, grantWorkloadScope, listWorkloads, rotateWorkloadKeys, setWorkloadVendor, type WorkloadKind, type WorkloadSummary } from './registry.ts';
export { createTokenSigningKeys, MAX_TOKEN_SECONDS, type TokenSigningKeys } from './signing-keys.ts';
export {
  authorizationServerMetadata, createAuthorizationServer, TOKEN_REQUESTS_PER_CLIENT_PER_MINUTE, TOKEN_REQUESTS_PER_IP_PER_MINUTE, DEFAULT_TOKEN_SECONDS, OAuthError, oauthEndpoints,
  type AuthorizationServer, type OAuthEndpoints, type TokenResponse,
} from './authorization-server.ts';
export { createTokenAuthenticator } from './token-authenticator.ts';
export {
  PROTECTED_RESOURCE_METADATA_PATHS, protectedResourceMetadata, resourceMetadataParameter, type ProtectedResource,
} from './resource-metadata.ts';
export {
  JWT_TOKEN_TYPE, mintSubjectToken, readDelegableAgent, standingDigest, SUBJECT_TOKEN_SECONDS, ACT_TOKEN_MAX_SECONDS, TOKEN_EXCHANGE_GRANT, type DelegationTarget,
} from './delegation.ts';
export { createSignatureAuthenticator, type SignatureAuthDeps } from './signature-authenticator.ts';
export {
  signRequest, signatureAlgorithmOf, SIGNATURE_MAX_AGE_SECONDS, SIGNED_COMPONENTS,
  type RequestSigningKey, type SignableRequest, type SignatureAlgorithm,
} from './sign-request.ts';
export { contentDigest, contentDigestMatches } from './content-digest.ts';
export { findAgentWorkload } from './workload-row.ts';
export { changeWorkloadKeys, consoleWorkloads, type ConsoleWorkload, type KeyChange, type WorkloadKeyView } from './console-keys.ts';
export { approveWorkloadKey, cancelWorkloadKey, findWorkloadKeyRequest, listWorkloadKeyRequests, proposeWorkloadKey } from './key-requests.ts';
