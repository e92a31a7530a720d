import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { SsoCompleteReply, SsoLogoutReply, SsoStartReply, WardError, type PersonAuthenticated } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { clearedSessionCookie, endSession, requireRecentVerification, sessionCookie } from '../../modules/sessions/index.ts';
import { CALLBACK_PATH, type SsoCaller } from '../../modules/sso/index.ts';
import { selfTransaction } from '../plugins/authenticate.ts';
import { page, PAGE_HEADERS } from './auth-pages.ts';
import { protectBrowserRoutes, toAuthRequest } from './auth-request.ts';

/** R-SESS-3: linking an IdP account from a passkey session needs a user verification within 5 minutes. */
export const SSO_LINK_STEP_UP_SECONDS = 300;

const StartBody = Type.Object({ tenant: Type.String({ minLength: 2, maxLength: 63 }) }, { additionalProperties: false });
const CompleteBody = Type.Object({ callback: Type.String({ maxLength: 8192 }) }, { additionalProperties: false });
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 63 }) }, { additionalProperties: false });

const PUBLIC = { access: { kind: 'public' } } as const;
const SELF = { access: { kind: 'self' } } as const;

function callerOf(who: PersonAuthenticated): SsoCaller {
  return { tenantId: who.principal.tenantId, memberId: who.principal.id, sessionId: who.credential.id, thumbprint: who.device.thumbprint };
}

/**
 * Single sign-on through the tenant's OpenID provider (R-AUTHN-2, R-SESS-1, R-SESS-4; docs/sso.md).
 * `GET /sso/<slug>` serves a page that starts the flow at once with a device-proved POST; the IdP
 * returns to the one redirect URI, whose page completes the flow with another device-proved POST.
 * The back-channel logout endpoint is called by the IdP, server to server: no Origin, no cookie.
 */
export async function ssoRoutes(plainApp: FastifyInstance, deps: Deps): Promise<void> {
  const app = plainApp.withTypeProvider<TypeBoxTypeProvider>();
  const origin = deps.config.origin;

  app.get('/sso/:slug', { config: PUBLIC, schema: { summary: "The page that starts a tenant's SSO sign-in at once", params: SlugParams } }, async (req, reply) => {
    const { slug } = req.params;
    const configured = await deps.sso.isConfigured(slug);
    const html = configured
      ? page('sso', 'Signing in with SSO', '<p>Taking you to your organisation\'s sign-in…</p>', { tenant: slug })
      : page('sso', 'Single sign-on', '<p>This organisation does not sign in with SSO here.</p>', { code: 'SSO_NOT_CONFIGURED' });
    return reply.status(configured ? 200 : 404).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html);
  });

  // private_key_jwt (docs/sso.md): the tenant's public key as a JWK Set (RFC 7517 §5), for an IdP
  // registered with it as the client's jwks_uri. No tenant data; unknown slugs answer SSO_NOT_CONFIGURED.
  app.get('/sso/:slug/jwks.json', { config: PUBLIC, schema: { summary: "The public key Ward signs a tenant's private_key_jwt client assertions with", params: SlugParams } }, async (req, reply) =>
    reply.header('cache-control', 'public, max-age=300').type('application/json').send(await deps.sso.clientJwks(req.params.slug)));

  app.get(CALLBACK_PATH, { config: PUBLIC, schema: { summary: "The redirect URI's page, which completes the SSO flow" } }, async (_req, reply) =>
    reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(page('sso-callback', 'Signing in with SSO', '<p>Finishing the sign-in…</p>')));

  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    protectBrowserRoutes(scope, { origin, clock: deps.clock });

    scope.post('/v1/auth/sso/start', { config: PUBLIC, schema: { summary: 'Start an SSO sign-in bound to the device key', body: StartBody, response: { 200: SsoStartReply } } }, async (req) =>
      deps.sso.start(toAuthRequest(req, origin), req.body.tenant));

    scope.post('/v1/auth/sso/complete', { config: PUBLIC, schema: { summary: 'Complete an SSO flow from the device key that started it', body: CompleteBody, response: { 200: SsoCompleteReply } } }, async (req, reply) => {
      const done = await deps.sso.complete(toAuthRequest(req, origin), req.body.callback);
      if (done.purpose === 'sign_in') reply.header('set-cookie', sessionCookie(origin, done.token));
      return { purpose: done.purpose, memberId: done.memberId, next: '/' };
    });

    // R-SESS-3: a step-up for an SSO session: a fresh IdP login with max_age=0 that proves MFA.
    scope.post('/v1/auth/sso/step-up/start', { config: SELF, schema: { summary: 'Start a step-up at the IdP (max_age=0, MFA)', response: { 200: SsoStartReply } } }, async (req) => {
      const who = await selfTransaction(req, deps.db, async (_tx, w) => w);
      if (who.credential.authMethod !== 'oidc') throw new WardError('SSO_NOT_CONFIGURED');
      return deps.sso.startFromSession(toAuthRequest(req, origin), callerOf(who), 'step_up');
    });

    // R-AUTHN-2: the first link, once, from a passkey session verified within the last 5 minutes.
    scope.post('/v1/auth/sso/link/start', { config: SELF, schema: { summary: "Link the member's IdP account from a passkey session", response: { 200: SsoStartReply } } }, async (req) => {
      const who = await selfTransaction(req, deps.db, async (_tx, w) => w);
      if (who.credential.authMethod !== 'passkey') throw new WardError('SSO_LINK_REFUSED');
      requireRecentVerification(who, SSO_LINK_STEP_UP_SECONDS, deps.clock.now());
      return deps.sso.startFromSession(toAuthRequest(req, origin), callerOf(who), 'link');
    });

    // RP-initiated logout: Ward's session ends here; the page then sends the browser to the IdP.
    scope.post('/v1/auth/sso/logout', { config: SELF, schema: { summary: 'End the session, then the IdP session (RP-initiated logout)', response: { 200: SsoLogoutReply } } }, async (req, reply) => {
      const who = await selfTransaction(req, deps.db, async (tx, w) => {
        await endSession(tx, w.credential.id, deps.clock.now());
        await deps.audit.append(tx, {
          tenantId: w.principal.tenantId, actorKind: 'human', actorId: w.principal.id, sessionId: w.credential.id, deviceId: w.device.id,
          sourceIp: req.ip, action: 'auth.logout', targetType: 'session', targetId: w.credential.id, outcome: 'success', metadata: { rpInitiated: true },
        });
        return w;
      });
      reply.header('set-cookie', clearedSessionCookie(origin));
      return { endSessionUrl: who.credential.authMethod === 'oidc' ? await deps.sso.endSessionUrl(who.principal.tenantId) : null };
    });
  });

  // OpenID Connect Back-Channel Logout 1.0: a form post from the IdP; 200 once verified, 400 otherwise.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 32_768 }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(body as string))));
    scope.post('/v1/auth/sso/backchannel-logout', { config: PUBLIC, schema: { summary: 'OpenID Connect back-channel logout from the IdP' } }, async (req, reply) => {
      const body: unknown = req.body;
      const token = body !== null && typeof body === 'object' && 'logout_token' in body ? body.logout_token : undefined;
      await deps.sso.backchannelLogout(typeof token === 'string' ? token : '', req.ip);
      return reply.header('cache-control', 'no-store').status(200).send();
    });
  });
}
