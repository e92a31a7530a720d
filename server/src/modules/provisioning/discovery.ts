import { MAX_PAGE } from './users.ts';
import { SCHEMA } from './values.ts';

/**
 * The discovery resources (RFC 7644 §4): what Ward's SCIM service provider supports. They hold no
 * tenant data. Filtering: `eq`, `ne`, `co`, `sw`, `ew`, `pr`, `and`, `or`, `not` and value paths on
 * the attributes listed in docs/sso.md; no sorting, bulk, ETags or password changes (no passwords
 * exist in Ward, R-AUTHN-2).
 */
export function serviceProviderConfig(baseUrl: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUri: 'https://github.com/ward/ward/blob/main/docs/sso.md',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [{
      type: 'oauthbearertoken', name: 'Bearer token', primary: true,
      description: 'The tenant SCIM client\'s bearer token from `npx ward scim token --tenant <slug>`, valid on this endpoint only.',
    }],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string): Record<string, unknown> {
  const types = [
    { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], id: 'User', name: 'User', endpoint: '/Users', schema: SCHEMA.user, schemaExtensions: [{ schema: SCHEMA.enterpriseUser, required: false }], meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` } },
    { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], id: 'Group', name: 'Group', endpoint: '/Groups', schema: SCHEMA.group, meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` } },
  ];
  return { schemas: [SCHEMA.listResponse], totalResults: types.length, startIndex: 1, itemsPerPage: types.length, Resources: types };
}

const str = (name: string, o: { required?: boolean; caseExact?: boolean; uniqueness?: string; mutability?: string } = {}) => ({
  name, type: 'string', multiValued: false, required: o.required ?? false, caseExact: o.caseExact ?? false,
  mutability: o.mutability ?? 'readWrite', returned: 'default', uniqueness: o.uniqueness ?? 'none',
});

export function schemas(baseUrl: string): Record<string, unknown> {
  const user = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'], id: SCHEMA.user, name: 'User', description: 'A workforce member provisioned by the IdP',
    attributes: [
      str('userName', { required: true, uniqueness: 'server' }),
      { name: 'name', type: 'complex', multiValued: false, required: false, mutability: 'readWrite', returned: 'default', subAttributes: [str('givenName'), str('familyName'), str('formatted')] },
      str('displayName'),
      { name: 'emails', type: 'complex', multiValued: true, required: true, mutability: 'readWrite', returned: 'default', subAttributes: [str('value'), str('type'), { name: 'primary', type: 'boolean', multiValued: false, required: false, mutability: 'readWrite', returned: 'default' }] },
      { name: 'active', type: 'boolean', multiValued: false, required: false, mutability: 'readWrite', returned: 'default' },
      { name: 'groups', type: 'complex', multiValued: true, required: false, mutability: 'readOnly', returned: 'default', subAttributes: [str('value', { mutability: 'readOnly' }), str('display', { mutability: 'readOnly' })] },
    ],
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${SCHEMA.user}` },
  };
  const group = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'], id: SCHEMA.group, name: 'Group', description: 'A group pushed by the IdP; it gives roles only through an explicit mapping',
    attributes: [
      str('displayName', { required: true, uniqueness: 'server' }),
      { name: 'members', type: 'complex', multiValued: true, required: false, mutability: 'readWrite', returned: 'default', subAttributes: [str('value', { mutability: 'immutable' }), str('display', { mutability: 'readOnly' })] },
    ],
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${SCHEMA.group}` },
  };
  // R-GOV-1: of the enterprise extension, Ward keeps only `manager` (the member's access reviewer).
  const enterprise = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'], id: SCHEMA.enterpriseUser, name: 'EnterpriseUser', description: "The enterprise extension: Ward keeps the manager (the member's access reviewer) and ignores the rest",
    attributes: [
      { name: 'manager', type: 'complex', multiValued: false, required: false, mutability: 'readWrite', returned: 'default', subAttributes: [str('value', { caseExact: true })] },
    ],
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${SCHEMA.enterpriseUser}` },
  };
  return { schemas: [SCHEMA.listResponse], totalResults: 3, startIndex: 1, itemsPerPage: 3, Resources: [user, group, enterprise] };
}
