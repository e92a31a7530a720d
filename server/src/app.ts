import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifySchema } from 'fastify';
import type { Deps } from './deps.ts';
import { frameworkErrors, registerErrorHandler } from './http/errors.ts';
import { AJV_OPTIONS, refuseUnstorableText } from './http/input.ts';
import { refuseAmbiguousTargets } from './http/request-target.ts';
import { refuseUnreadableSourceAddress } from './http/forwarded.ts';
import { clientErrorHandler, CONNECTION_OPTIONS } from './http/connection.ts';
import { registerSecurityHeaders, securityHeaders } from './http/security-headers.ts';
import { registerTelemetry } from './http/telemetry.ts';
import { OneLinePerRequest } from './http/request-log.ts';
import { registerAuthentication } from './http/plugins/authenticate.ts';
import { healthRoutes } from './http/routes/health.ts';
import { openApiRoute, registerOpenApi } from './http/routes/openapi.ts';
import { phiRoutes } from './http/routes/phi.ts';
import { aiRoutes } from './http/routes/ai.ts';
import { aiTemplateRoutes } from './http/routes/ai-templates.ts';
import { aiVendorRoutes } from './http/routes/ai-vendors.ts';
import { aiReviewRoutes } from './http/routes/ai-review.ts';
import { tenantPolicyRoutes } from './http/routes/tenant-policies.ts';
import { memberRoutes } from './http/routes/members.ts';
import { memberAdminRoutes } from './http/routes/member-admin.ts';
import { phiGrantRoutes } from './http/routes/phi-grants.ts';
import { roleGrantRoutes } from './http/routes/role-grants.ts';
import { recoveryRoutes } from './http/routes/recovery.ts';
import { elevationRoutes } from './http/routes/elevation.ts';
import { auditEventRoutes } from './http/routes/audit-events.ts';
import { investigationRoutes } from './http/routes/investigations.ts';
import { analyticsRoutes } from './http/routes/analytics.ts';
import { authPageRoutes } from './http/routes/auth-pages.ts';
import { authRoutes } from './http/routes/auth.ts';
import { meRoutes } from './http/routes/me.ts';
import { ssoRoutes } from './http/routes/sso.ts';
import { auditKeyRoutes } from './http/routes/audit-keys.ts';
import type { RouteAccess } from './http/public-routes.ts';
import { oauthRoutes } from './http/routes/oauth.ts';
import { delegationRoutes } from './http/routes/delegations.ts';
import { hookRoutes } from './http/routes/hooks.ts';
import { scimRoutes } from './http/routes/scim.ts';
import { deviceRoutes } from './http/routes/devices.ts';
import { reviewRoutes } from './http/routes/reviews.ts';
import { reviewCampaignRoutes } from './http/routes/review-campaigns.ts';
import { retentionRoutes } from './http/routes/retention.ts';
import { workloadConsoleRoutes } from './http/routes/workloads-console.ts';
import { ssoSettingsRoutes } from './http/routes/sso-settings.ts';
import { consentRoutes } from './http/routes/consents.ts';
import { exportRoutes } from './http/routes/exports.ts';
import { mcpRoutes } from './mcp/server.ts';

export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
  /** The route's validation schema (params, querystring, body), for tests that walk every route. */
  schema: FastifySchema | undefined;
}

/** Builds the HTTP app from its dependencies, without listening (tests use inject()). */
export async function buildApp(deps: Deps): Promise<FastifyInstance & { wardRoutes: RegisteredRoute[] }> {
  const setSecurityHeaders = securityHeaders(deps.config.origin);
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // WARD_TRUST_PROXY: only the listed load balancers' X-Forwarded-For is believed (req.ip, audit).
    trustProxy: deps.config.trustProxy,
    // Every request gets its own id, on the response (X-Request-Id), in problem details and in each
    // log line. A client's id is not taken over: a header is no place to trust (nor to log).
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // The id's label is `requestId`; one line per request (http/request-log.ts).
    logController: new OneLinePerRequest(),
    ajv: AJV_OPTIONS,
    // A request must arrive within its time; what Node's parser refuses is answered as problem details.
    ...CONNECTION_OPTIONS,
    clientErrorHandler: clientErrorHandler(deps.config.origin),
    // A refusal before routing runs no hooks: it gets the security headers here.
    frameworkErrors: (err, req, reply) => {
      setSecurityHeaders(reply);
      frameworkErrors(err, req, reply);
    },
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    // The server's time (seconds) on every answer, so that a browser whose clock is off can make a
    // fresh device proof and retry (R-SESS-4; the dashboard reads it on any 401).
    reply.header('ward-server-time', String(Math.floor(deps.clock.now().getTime() / 1000)));
  });
  // A request target the router and the authenticators could read apart is refused (http/request-target.ts).
  refuseAmbiguousTargets(app);
  // WARD_TRUST_PROXY: a forwarded client address that is no address is refused (http/forwarded.ts).
  refuseUnreadableSourceAddress(app);
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = (route.config as { access?: RouteAccess } | undefined)?.access;
    for (const method of methods) routes.push({ method, url: route.url, access, schema: route.schema });
  });
  registerTelemetry(app, deps);
  registerErrorHandler(app);
  registerSecurityHeaders(app, deps.config.origin);
  refuseUnstorableText(app);
  // DESIGN.md step 1: one authentication chain for every route that is not public.
  registerAuthentication(app, { origin: deps.config.origin, authenticators: deps.authenticators, tracing: deps.tracing });
  await registerOpenApi(app, deps.config.origin);
  openApiRoute(app);
  healthRoutes(app, deps);
  await authPageRoutes(app, deps);
  await authRoutes(app, deps);
  await meRoutes(app, deps);
  await ssoRoutes(app, deps);
  auditKeyRoutes(app, deps);
  await oauthRoutes(app, deps);
  phiRoutes(app, deps);
  aiRoutes(app, deps);
  aiVendorRoutes(app, deps);
  aiTemplateRoutes(app, deps);
  aiReviewRoutes(app, deps);
  delegationRoutes(app, deps);
  exportRoutes(app, deps);
  consentRoutes(app, deps);
  tenantPolicyRoutes(app, deps);
  memberRoutes(app, deps);
  recoveryRoutes(app, deps);
  phiGrantRoutes(app, deps);
  roleGrantRoutes(app, deps);
  memberAdminRoutes(app, deps);
  elevationRoutes(app, deps);
  auditEventRoutes(app, deps);
  investigationRoutes(app, deps);
  analyticsRoutes(app, deps);
  await hookRoutes(app, deps);
  scimRoutes(app, deps);
  await deviceRoutes(app, deps);
  await reviewRoutes(app, deps);
  reviewCampaignRoutes(app, deps);
  retentionRoutes(app, deps);
  workloadConsoleRoutes(app, deps);
  ssoSettingsRoutes(app, deps);
  // Front door 2: the MCP tool server for AI voice agents (R-AI-6).
  await mcpRoutes(app, deps);
  await app.ready();
  return Object.assign(app, { wardRoutes: routes });
}
