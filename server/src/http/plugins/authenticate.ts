import { WardError, type PersonAuthenticated } from '@ward/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db, Tx } from '../../db/types.ts';
import type { Authentication, Authenticator } from '../../modules/access/index.ts';
import { tracingOff, type Tracing } from '../../modules/monitoring/index.ts';
import { DPOP_CHALLENGE_ALGS } from '../../modules/proof/index.ts';
import { isScimPath } from '../../modules/provisioning/index.ts';
import { resourceMetadataParameter } from '../../modules/workload/index.ts';
import { memberScope } from '../../modules/sessions/index.ts';
import type { RouteAccess } from '../public-routes.ts';
import { requireSameOrigin, toAuthRequest } from '../routes/auth-request.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication chain for `self` and `enforced` routes; null on public routes. */
    authentication: Authentication | null;
  }
}

/**
 * The authentication chain (DESIGN.md step 1): one preHandler for every `self` and `enforced` route.
 *   1. CSRF (R-SESS-1): whenever a cookie is present, a state-changing request must come from
 *      WARD_ORIGIN; a workload sends no cookie and no Origin.
 *   2. Exactly one credential: a session cookie (with its device proof), a DPoP-bound token, or an
 *      RFC 9421 signature (accepted on /v1/hooks/* only; R-WORK-4). Two, or an Authorization header
 *      no authenticator accepts, is UNAUTHENTICATED before any authenticator runs.
 *   3. The one authenticator that the credential belongs to decides; a present but invalid
 *      credential is 401 and never falls through to another.
 *   4. `self` routes are for people: a browser session with its device.
 *   5. /scim/v2 routes take only the SCIM client's bearer token (R-AUTHN-5), and that token is
 *      presented nowhere else (its authenticator looks only at /scim/v2): a credential kind that no
 *      other route accepts.
 */
export function registerAuthentication(app: FastifyInstance, deps: { origin: URL; authenticators: readonly Authenticator[]; tracing?: Tracing }): void {
  const tracing = deps.tracing ?? tracingOff;
  app.decorateRequest('authentication', null);
  // RFC 9110 §15.5.2: a 401 of a route behind the chain says how to authenticate there, also when no
  // credential was sent (a refusal that named its own challenge, with its error, keeps it). On the API,
  // a DPoP challenge also names the resource's metadata (RFC 9728 §5.1; /mcp names its own).
  const apiMetadata = resourceMetadataParameter(deps.origin, 'api');
  app.addHook('onSend', async (req, reply, payload) => {
    const access = (req.routeOptions.config as { access?: RouteAccess } | undefined)?.access;
    if (reply.statusCode !== 401 || !access || access.kind === 'public') return payload;
    const route = req.routeOptions.url ?? '';
    const existing = reply.getHeader('www-authenticate');
    const challenge = typeof existing === 'string' ? existing : existing === undefined ? challengeFor(route) : null;
    if (challenge !== null) reply.header('www-authenticate', challenge.startsWith('DPoP') && route.startsWith('/v1/') ? `${challenge}, ${apiMetadata}` : challenge);
    return payload;
  });
  app.addHook('preHandler', async (req, reply) => {
    const access = (req.routeOptions.config as { access?: RouteAccess } | undefined)?.access;
    if (!access || access.kind === 'public') return;
    if (req.headers.cookie !== undefined) requireSameOrigin(req, deps.origin);
    const ar = toAuthRequest(req, deps.origin);
    const presented = deps.authenticators.filter((a) => a.presents(ar));
    const unclaimedAuthorization = req.headers.authorization !== undefined && !presented.some((a) => a.credential === 'token' || a.credential === 'scim');
    if (presented.length + (unclaimedAuthorization ? 1 : 0) !== 1 || unclaimedAuthorization) {
      if (presented.length > 1 || (presented.length === 1 && unclaimedAuthorization)) {
        req.log.warn({ securityEvent: 'auth.credentials_ambiguous' }, 'a request presented more than one credential');
      }
      throw new WardError('UNAUTHENTICATED');
    }
    const isScimRoute = req.routeOptions.url !== undefined && isScimPath(req.routeOptions.url);
    if (isScimRoute !== (presented[0]!.credential === 'scim')) throw new WardError(isScimRoute ? 'SCIM_TOKEN_INVALID' : 'UNAUTHENTICATED');
    const authenticator = presented[0]!;
    const authentication = await tracing.within(req.wardSpan ?? undefined, () =>
      tracing.span('authenticate', { 'ward.credential': authenticator.credential }, () => authenticator.authenticate(ar)));
    if (authentication.answerHeaders) reply.headers(authentication.answerHeaders);
    if (access.kind === 'self' && !isPerson(authentication)) throw new WardError('FORBIDDEN');
    req.authentication = authentication;
  });
}

/** The challenge of the credential a route takes: the SCIM client's bearer token, a hook's RFC 9421 signature, else a DPoP-bound token (RFC 9449 §7.1). */
function challengeFor(routeUrl: string): string {
  if (isScimPath(routeUrl)) return 'Bearer realm="ward-scim"';
  if (routeUrl.startsWith('/v1/hooks/')) return 'Signature';
  return `DPoP ${DPOP_CHALLENGE_ALGS}`;
}

function isPerson(a: Authentication): a is Authentication & { authenticated: PersonAuthenticated } {
  const { principal, credential, device } = a.authenticated;
  return principal.kind === 'human' && credential.kind === 'session' && device !== undefined;
}

/** The authentication the chain set for this request; a route that is not public always has one. */
export function authenticationOf(req: FastifyRequest): Authentication {
  if (!req.authentication) throw new WardError('UNAUTHENTICATED');
  return req.authentication;
}

/** The person behind a `self` route (the chain has refused anything else). */
export function personOf(req: FastifyRequest): PersonAuthenticated {
  const a = authenticationOf(req);
  if (!isPerson(a)) throw new WardError('FORBIDDEN');
  return a.authenticated;
}

/**
 * A `self` route's transaction, in the caller's own member scope: authentication's writes (the
 * proof's jti, the idle timer) come first and commit with the route's work and audit record.
 */
export function selfTransaction<T>(req: FastifyRequest, db: Db, fn: (tx: Tx, who: PersonAuthenticated) => Promise<T>): Promise<T> {
  const who = personOf(req);
  const { settle } = authenticationOf(req);
  return db.scoped(memberScope(who.principal.tenantId, who.principal.id), async (tx) => {
    await settle(tx);
    return fn(tx, who);
  });
}
