/**
 * How each route is reached. Every route declares `config: { access }`:
 * - `public`: serves no tenant data (health, authentication ceremonies, static assets) and must also
 *   be listed in PUBLIC_ROUTES, so that making a route public takes two deliberate edits;
 * - `self`: needs an authenticated caller and touches only the caller's own identity and session
 *   (e.g. GET /v1/me, logout);
 * - `enforced`: goes through the one enforcement point with a Cedar action (DESIGN.md steps 1–5).
 * The route coverage test (app.test.ts) fails when a route declares none, or a public one is unlisted.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'self' }
  | { kind: 'enforced'; action: string };

export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  // Passkey ceremonies before a session exists, and the pages and assets that run them (R-AUTHN-1).
  'POST /v1/auth/enroll/options', 'POST /v1/auth/enroll/verify', 'POST /v1/auth/sign-in/options', 'POST /v1/auth/sign-in/verify',
  'POST /v1/auth/recover/options', 'POST /v1/auth/recover/verify', // R-AUTHN-4: the recovery link's ceremony, before a session exists
  'GET /enroll', 'HEAD /enroll', 'GET /recover', 'HEAD /recover', 'GET /sign-in', 'HEAD /sign-in',
  // The dashboard's page at each screen's address and its built scripts (web/dist): no tenant data,
  // which the app reads from the API with the session and the device proof (R-UX-1).
  'GET /', 'HEAD /', 'GET /agent', 'HEAD /agent', 'GET /agent/*', 'HEAD /agent/*', 'GET /auditor', 'HEAD /auditor', 'GET /auditor/*', 'HEAD /auditor/*',
  'GET /supervisor', 'HEAD /supervisor', 'GET /supervisor/*', 'HEAD /supervisor/*', 'GET /admin', 'HEAD /admin',
  'GET /assets/:file', 'HEAD /assets/:file',
  // Ward's OAuth authorization server (R-WORK-2): the token and revocation endpoints authenticate
  // their clients themselves (private_key_jwt + DPoP); metadata and public keys are public, and the
  // authorization endpoint only refuses (it serves no response type).
  'GET /.well-known/oauth-authorization-server', 'HEAD /.well-known/oauth-authorization-server', 'GET /.well-known/jwks.json', 'HEAD /.well-known/jwks.json',
  'POST /oauth/token', 'POST /oauth/revoke', 'GET /oauth/authorize', 'HEAD /oauth/authorize',
  // The API's and the MCP server's Protected Resource Metadata (RFC 9728), and the 405 of the stateless transport's
  // GET (no event stream) and DELETE (no session): no tenant data (docs/mcp.md).
  'GET /.well-known/oauth-protected-resource/v1', 'HEAD /.well-known/oauth-protected-resource/v1',
  'GET /.well-known/oauth-protected-resource/mcp', 'HEAD /.well-known/oauth-protected-resource/mcp', 'GET /mcp', 'HEAD /mcp', 'DELETE /mcp',
  // Single sign-on (R-AUTHN-2): the page that starts a flow, the redirect URI's page, the device-proved
  // start and completion before any session exists, and the IdP's back-channel logout (docs/sso.md).
  'GET /sso/:slug', 'HEAD /sso/:slug', 'GET /sso/:slug/jwks.json', 'HEAD /sso/:slug/jwks.json', 'GET /v1/auth/sso/callback', 'HEAD /v1/auth/sso/callback',
  'POST /v1/auth/sso/start', 'POST /v1/auth/sso/complete', 'POST /v1/auth/sso/backchannel-logout',
  // SCIM discovery (RFC 7644 §4, R-AUTHN-5): what the service provider supports; no tenant data.
  'GET /scim/v2/ServiceProviderConfig', 'HEAD /scim/v2/ServiceProviderConfig', 'GET /scim/v2/ResourceTypes', 'HEAD /scim/v2/ResourceTypes',
  'GET /scim/v2/Schemas', 'HEAD /scim/v2/Schemas',
  'GET /healthz', 'HEAD /healthz', 'GET /livez', 'HEAD /livez', 'GET /readyz', 'HEAD /readyz', 'GET /openapi.json', 'HEAD /openapi.json', 'GET /.well-known/ward-audit-keys', 'HEAD /.well-known/ward-audit-keys']);
