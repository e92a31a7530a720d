import { PROOF_ALGORITHMS } from '../proof/index.ts';
import { oauthEndpoints } from './authorization-server.ts';

/**
 * RFC 9728: Ward's two protected resources (RFC 8707 audiences, never interchangeable), the API at
 * `<WARD_ORIGIN>/v1` and the MCP server at `<WARD_ORIGIN>/mcp`, each with its metadata at the
 * well-known path with the resource's path appended (§3.1), naming Ward as their authorization
 * server and DPoP-bound tokens as the only ones taken (R-WORK-2).
 */
export type ProtectedResource = 'api' | 'mcp';

export const PROTECTED_RESOURCE_METADATA_PATHS: Record<ProtectedResource, string> = {
  api: '/.well-known/oauth-protected-resource/v1',
  mcp: '/.well-known/oauth-protected-resource/mcp',
};

const NAMES: Record<ProtectedResource, string> = { api: 'Ward API', mcp: 'Ward MCP tool server' };

/** RFC 9728 §2: the resource, its authorization server and how tokens are presented. */
export function protectedResourceMetadata(origin: URL, resource: ProtectedResource): Record<string, unknown> {
  const e = oauthEndpoints(origin);
  return {
    resource: e.resources[resource],
    authorization_servers: [e.issuer],
    bearer_methods_supported: ['header'],
    dpop_signing_alg_values_supported: [...PROOF_ALGORITHMS],
    dpop_bound_access_tokens_required: true,
    resource_name: NAMES[resource],
    // No resource_documentation (optional in RFC 9728 §2): Ward serves no human-readable page for it.
  };
}

/** RFC 9728 §5.1: the `resource_metadata` parameter of a 401's challenge on the resource. */
export function resourceMetadataParameter(origin: URL, resource: ProtectedResource): string {
  return `resource_metadata="${origin.origin}${PROTECTED_RESOURCE_METADATA_PATHS[resource]}"`;
}
