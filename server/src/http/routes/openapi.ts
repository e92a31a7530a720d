import swagger from '@fastify/swagger';
import { PROBLEM_JSON, ProblemDetailsSchema } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import { sessionCookieName } from '../../modules/sessions/index.ts';

/**
 * R-OPS-1: an OpenAPI 3 description of the API, generated from the routes' own schemas (the same
 * schemas that validate requests and list the only fields a response may carry). Each operation
 * gets an id, a tag, a summary, its security (the session cookie and a DPoP device proof), the
 * Ward-Purpose and Ward-Justification headers where a Cedar decision reads them, and its error
 * responses as problem details. Register before the routes it describes; served at GET /openapi.json.
 */

type Access = { kind: 'public' | 'self' | 'enforced'; action?: string };

/** Summaries of routes whose schema carries none; a route may also set `schema.summary` itself. */
const SUMMARIES: Record<string, string> = {
  'GET /': 'The dashboard page',
  'GET /enroll': 'The enrollment page (first passkey, from a one-time link)',
  'GET /recover': 'The account recovery page (a new passkey, from a one-time recovery link)',
  'GET /sign-in': 'The sign-in page',
  'GET /.well-known/ward-audit-keys': 'The public keys that verify signed audit tree heads (JWK Set)',
  'GET /.well-known/oauth-authorization-server': "Ward's OAuth authorization server metadata (RFC 8414)",
  'GET /.well-known/jwks.json': 'The public keys that verify Ward-issued access tokens (JWK Set)',
  'POST /oauth/token': 'A DPoP-bound access token for a workload (client_credentials with private_key_jwt)',
  'POST /oauth/revoke': 'Revoke an access token (RFC 7009)',
  'GET /oauth/authorize': 'The authorization endpoint: serves no response type, refuses every request (RFC 6749 §4.1.2.1)',
  'GET /.well-known/oauth-protected-resource/v1': "The API's Protected Resource Metadata (RFC 9728)",
  'GET /.well-known/oauth-protected-resource/mcp': "The MCP server's Protected Resource Metadata (RFC 9728)",
  'POST /mcp': 'The MCP tool server for AI voice agents (Streamable HTTP, one JSON-RPC message; docs/mcp.md)',
  'GET /mcp': 'No event stream: the MCP server is stateless (405)',
  'DELETE /mcp': 'No session to end: the MCP server is stateless (405)',
  'POST /v1/auth/enroll/options': 'Start enrollment: passkey registration options for a one-time link',
  'POST /v1/auth/enroll/verify': 'Finish enrollment: verify the new passkey and open a session',
  'POST /v1/auth/recover/options': 'Start a recovery: passkey registration options for a one-time recovery link',
  'POST /v1/auth/recover/verify': 'Finish a recovery: the new passkey replaces the old ones; the account is restricted',
  'POST /v1/auth/sign-in/options': 'Start sign-in: a passkey challenge',
  'POST /v1/auth/sign-in/verify': 'Finish sign-in: verify the passkey assertion and open a session',
  'POST /v1/auth/step-up/options': 'Start a step-up: a user-verification challenge for this session',
  'POST /v1/auth/step-up/verify': 'Finish a step-up: record a fresh user verification',
  'POST /v1/auth/logout': 'Sign out: revoke this session',
  'GET /v1/me': 'The caller: member, roles, PHI scopes, session and device',
  'GET /v1/me/passkeys': "The caller's passkeys",
  'PATCH /v1/me/passkeys/{id}': 'Rename one of the caller\'s passkeys',
  'DELETE /v1/me/passkeys/{id}': 'Revoke one of the caller\'s passkeys (never the last one)',
  'GET /v1/patients': 'List patients (identifiers only, no PHI)',
  'POST /v1/patients/search': 'Find patients by MRN, phone or member number (screen pop); the identifier goes in the body',
  'GET /v1/patients/{id}': 'One patient, masked by the decision',
  'GET /v1/patients/{id}/sensitive': "One patient's sensitive fields (step-up)",
  'GET /v1/patients/{id}/calls': "A patient's calls",
  'GET /v1/patients/{id}/case-notes': "A patient's case notes, redacted by the decision",
  'GET /v1/patients/{id}/disclosures': "A patient's accounting of disclosures, six years back (45 CFR 164.528)",
  'POST /v1/exports': "Export a patient's record to a named recipient: a disclosure (step-up, justification, Part 2 consent)",
  'GET /v1/exports/{id}/download': 'Download an export once, from the session that asked for it, within 5 minutes',
  'POST /v1/patients/{id}/part2-consents': "Record a patient's 42 CFR Part 2 consent to a disclosure: recipient, purpose, expiry (consent.manage, step-up)",
  'GET /v1/patients/{id}/part2-consents': "A patient's 42 CFR Part 2 consents, with their status (consent.manage)",
  'POST /v1/patients/{id}/part2-consents/check': 'Whether a recorded, unexpired, unrevoked Part 2 consent covers a recipient and purpose; the redisclosure notice',
  'POST /v1/part2-consents/{id}/revoke': 'Revoke a Part 2 consent: it covers nothing from then on (42 CFR 2.31)',
  'POST /v1/patients/{id}/case-notes': 'Write a case note',
  'GET /v1/patients/{id}/case-notes/full': "A patient's case notes in full (caseNote.readFull)",
  'POST /v1/policies/{version}/approve': 'Approve a proposed policy version (a second Owner or Admin)',
  'POST /v1/policies/{version}/reject': 'Reject a proposed policy version',
  'GET /v1/calls/{id}/transcript': 'A call transcript, redacted',
  'GET /v1/calls/{id}/transcript/full': 'A call transcript in full (justification and step-up)',
  'GET /v1/recordings/{id}': "A recording's metadata",
  'GET /v1/recordings/{id}/audio': "A recording's audio, with byte ranges (step-up)",
  'GET /v1/policies': "The tenant's forbid-only policies: active and proposed versions",
  'POST /v1/policies': 'Propose a new version of the tenant policies',
  'GET /v1/audit/events': 'Audit events for investigation, filtered and paged',
  'POST /v1/members/invitations': 'Invite a member: a one-time enrollment link goes to the invited address',
  'POST /v1/members/invitations/{id}/approve': 'Approve an Owner or Admin invitation (a second Owner or Admin, step-up)',
  'POST /v1/members/{id}/id-proofing': "Record a provisioned member's identity proofing (step-up); the first enrollment link goes to the member",
  'GET /scim/v2/ServiceProviderConfig': 'SCIM: what the service provider supports (RFC 7644 §4)',
  'GET /scim/v2/ResourceTypes': 'SCIM: the resource types, User and Group',
  'GET /scim/v2/Schemas': 'SCIM: the User and Group schemas as Ward keeps them',
  'GET /scim/v2/Users': 'SCIM: list or filter provisioned users, paged',
  'POST /scim/v2/Users': 'SCIM: provision a user (no role, no PHI, no enrollment link yet)',
  'GET /scim/v2/Users/{id}': 'SCIM: one provisioned user',
  'PUT /scim/v2/Users/{id}': 'SCIM: replace a user (active false deactivates at once)',
  'PATCH /scim/v2/Users/{id}': 'SCIM: change a user (Okta and Entra ID dialects)',
  'DELETE /scim/v2/Users/{id}': 'SCIM: deactivate a user at once (the rows stay)',
  'GET /scim/v2/Groups': 'SCIM: list or filter groups, paged',
  'POST /scim/v2/Groups': 'SCIM: create a group (it gives no role until mapped)',
  'GET /scim/v2/Groups/{id}': 'SCIM: one group',
  'PUT /scim/v2/Groups/{id}': 'SCIM: replace a group and its members',
  'PATCH /scim/v2/Groups/{id}': 'SCIM: rename a group, add or remove members',
  'DELETE /scim/v2/Groups/{id}': 'SCIM: retire a group and the roles it gave',
  'POST /v1/members/{id}/recovery': "Open a lost-device recovery for a member: how identity was re-verified, an encrypted note (Owner or Admin, step-up)",
  'POST /v1/members/{id}/recovery/approve': "Approve a member's recovery (a second Owner or Admin, step-up): the one-time link goes to the member",
  'POST /v1/members/{id}/recovery/lift': "Lift a recovered member's restriction once the new passkey was used from a managed device (a second person, step-up)",
};

/** `/v1/patients/{id}/case-notes` → `patients`; the tag of a route is its first path word after /v1. */
function tagOf(url: string): string {
  const words = url.split('/').filter((w) => w !== '' && w !== 'v1' && !w.startsWith('{') && !w.startsWith(':'));
  if (url.startsWith('/v1/auth/') || url === '/' || url === '/enroll' || url === '/sign-in' || url.startsWith('/assets/') || url.startsWith('/agent') || url.startsWith('/auditor') || url.startsWith('/supervisor') || url === '/admin') return 'authentication';
  if (['/healthz', '/livez', '/readyz'].includes(url)) return 'health';
  if (url === '/mcp' || url === '/.well-known/oauth-protected-resource/mcp') return 'mcp';
  if (url.startsWith('/.well-known/') || url.startsWith('/v1/audit/')) return 'audit';
  if (url.startsWith('/scim/')) return 'scim';
  return words[0] ?? 'ward';
}

/** `GET /v1/patients/{id}/case-notes` → `getPatientsByIdCaseNotes`. */
export function operationIdOf(method: string, url: string): string {
  const camel = (w: string) => w.split(/[-_.]/).filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
  const parts = url.split('/').filter((w) => w !== '' && w !== 'v1').map((w) => (w.startsWith('{') || w.startsWith(':') ? `By${camel(w.replace(/[{}:]/g, ''))}` : camel(w)));
  return `${method.toLowerCase()}${parts.join('') || 'Root'}`;
}

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_JSON]: { schema: { $ref: '#/components/schemas/Problem' } } },
});

function errorResponses(access: Access | undefined, url: string): Record<string, unknown> {
  // SCIM endpoints answer in SCIM's error format (RFC 7644 §3.12), which IdPs expect.
  if (url.startsWith('/scim/')) {
    const scimError = { type: 'object', required: ['schemas', 'status'], properties: { schemas: { type: 'array', items: { type: 'string' } }, status: { type: 'string' }, scimType: { type: 'string' }, detail: { type: 'string' } } };
    const e = (description: string) => ({ description, content: { 'application/scim+json': { schema: scimError } } });
    return { 400: e('A SCIM error (invalidFilter, invalidValue, invalidSyntax, invalidPath, noTarget, mutability)'), 401: e('SCIM_TOKEN_INVALID'), 403: e('FORBIDDEN'), 404: e('NOT_FOUND'), 409: e('uniqueness') };
  }
  // OAuth endpoints answer in OAuth's own error format (RFC 6749 §5.2), which its clients expect.
  if (url.startsWith('/oauth/')) {
    const oauthError = { type: 'object', required: ['error'], properties: { error: { type: 'string' }, error_description: { type: 'string' } } };
    return { 400: { description: 'An OAuth error (RFC 6749 §5.2)', content: { 'application/json': { schema: oauthError } } } };
  }
  const responses: Record<string, unknown> = { 400: problemResponse('BAD_REQUEST: the request does not match the schema'), 500: problemResponse('INTERNAL') };
  if (access?.kind === 'self' || access?.kind === 'enforced') {
    responses[401] = problemResponse('UNAUTHENTICATED or DEVICE_PROOF_INVALID');
    responses[403] = problemResponse('FORBIDDEN, STEP_UP_REQUIRED, JUSTIFICATION_REQUIRED or ORIGIN_NOT_ALLOWED');
  }
  if (access?.kind === 'enforced') responses[404] = problemResponse('NOT_FOUND: absent, or invisible to the caller (another tenant, outside the PHI scopes)');
  return responses;
}

export async function registerOpenApi(app: FastifyInstance, origin: URL): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ward',
        version: '0.1.0',
        description:
          'Zero Trust access and PHI governance for AI voice contact centers. Every route but the public ones runs through one enforcement point: ' +
          'session cookie and device proof (DPoP header), row-level security, a Cedar decision, audit. Errors are RFC 9457 problem details ' +
          '(application/problem+json) with a stable `code` (docs/errors.md); every response carries X-Request-Id. ' +
          'The purpose of use travels in Ward-Purpose, the justification in Ward-Justification. No PHI goes in a URL.',
      },
      tags: [
        { name: 'authentication', description: 'Passkey enrollment, sign-in, step-up and sign-out (R-AUTHN-1, R-SESS-3)' },
        { name: 'me', description: "The caller's own identity, session and passkeys" },
        { name: 'patients', description: 'Patients, their calls and case notes (PHI, enforced)' },
        { name: 'calls', description: 'Call transcripts (PHI, enforced)' },
        { name: 'recordings', description: 'Call recordings (PHI, enforced)' },
        { name: 'policies', description: 'Tenant policies: forbid-only, versioned, two-person approval (R-AUTHZ-1, R-AUTHZ-5)' },
        { name: 'members', description: 'Members and invitations (R-AUTHN-3)' },
        { name: 'scim', description: 'SCIM 2.0 provisioning by the tenant IdP (R-AUTHN-5); SCIM error messages' },
        { name: 'audit', description: 'The audit trail and its public keys (R-AUDIT-3, R-MON-2)' },
        { name: 'mcp', description: 'The MCP tool server for AI voice agents: DPoP-bound tokens for the MCP resource only (R-AI-6, docs/mcp.md)' },
        { name: 'health', description: 'Probes for load balancers and orchestrators' },
      ],
      components: {
        securitySchemes: {
          sessionCookie: { type: 'apiKey', in: 'cookie', name: sessionCookieName(origin), description: 'The server-side session (R-SESS-1), set by sign-in.' },
          scimBearer: { type: 'http', scheme: 'bearer', description: "The tenant SCIM client's bearer token (`npx ward scim token`), valid on /scim/v2 only (R-AUTHN-5)." },
          dpop: {
            type: 'apiKey',
            in: 'header',
            name: 'DPoP',
            description: "A proof of possession of the browser's device key for this method and URL (RFC 9449 style, R-SESS-4); a proof is used once.",
          },
        },
        schemas: {
          // RFC 9457 problem details with the stable code: the one schema, from @ward/contracts.
          Problem: ProblemDetailsSchema,
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const access = (route.config as { access?: Access } | undefined)?.access;
      const described = { ...(schema ?? {}) } as Record<string, unknown>;
      const method = String(Array.isArray(route.method) ? route.method[0] : route.method);
      const key = `${method} ${url.replace(/:([A-Za-z]+)/g, '{$1}')}`;
      described.operationId ??= operationIdOf(method, url.replace(/:([A-Za-z]+)/g, '{$1}'));
      described.tags ??= [tagOf(url)];
      described.summary ??= SUMMARIES[key];
      if (access?.kind === 'enforced') described.description = `Cedar action \`${access.action}\` (enforced).`;
      else if (access?.kind === 'self') described.description = 'Authenticated; the caller\'s own identity only.';
      if (url.startsWith('/scim/')) {
        if (access?.kind === 'enforced') described.security = [{ scimBearer: [] }];
      } else if (access?.kind === 'enforced' || access?.kind === 'self') described.security = [{ sessionCookie: [], dpop: [] }];
      if (access?.kind === 'enforced' && !url.startsWith('/scim/')) {
        const headers = (described.headers ?? { type: 'object', properties: {} }) as { type: string; properties: Record<string, unknown> };
        described.headers = {
          ...headers,
          properties: {
            ...headers.properties,
            'ward-purpose': { type: 'string', description: 'Purpose of use, e.g. TREAT (R-AUTHZ-4); SUD-Part2 records need one the policy permits' },
            'ward-justification': { type: 'string', description: 'Why this access, in words; stored encrypted with the decision (R-AUTHZ-4)' },
          },
        };
      }
      described.response = { ...errorResponses(access, url), ...((described.response as Record<string, unknown> | undefined) ?? {}) };
      return { schema: described, url };
    },
  });
}

export function openApiRoute(app: FastifyInstance): void {
  app.get('/openapi.json', { config: { access: { kind: 'public' } }, schema: { hide: true } }, async () => app.swagger());
}
