import { ScimTokenIssue, ScimTokenIssued, ScimTokensReply, SsoConnectionSet, SsoConnectionView } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { issueScimTokenAs, listScimTokens, SCIM_BASE_PATH } from '../../modules/provisioning/index.ts';
import { CALLBACK_PATH, checkSsoChange, prepareSsoChange, readSsoConnection, writeSsoConnection, type SsoConnection } from '../../modules/sso/index.ts';
import { enforcedRoute, enforcedTwoPhaseRoute, type EnforcementDeps } from '../enforce.ts';

/**
 * SSO and SCIM settings from the admin console (R-AUTHN-2, R-AUTHN-5, R-UX-1), each a `policy.manage`
 * decision on the tenant (with its step-up, R-SESS-3). The OpenID Connect connection is read without
 * its secret and changed through the two-phase guard: decided and audited first, then discovery
 * (through the egress policy) and the secret's wrapping outside the transaction, then written. SCIM
 * tokens are listed by id and dates; a new one (optionally revoking the live ones) is answered once.
 */
export function ssoSettingsRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const tenantOf = (who: { principal: { tenantId: string } }) => ({ type: 'Tenant', id: who.principal.tenantId, tenant: who.principal.tenantId });
  const redirectUri = new URL(CALLBACK_PATH, deps.config.origin).href;
  const view = (c: SsoConnection | null): SsoConnectionView => (c
    ? { configured: true, issuer: c.issuer, clientId: c.clientId, linkBy: c.linkBy, mfaAcr: c.mfaAcr, allowHttpIssuer: c.allowHttpIssuer, updatedAt: c.updatedAt.toISOString(), redirectUri }
    : { configured: false, issuer: null, clientId: null, linkBy: null, mfaAcr: [], allowHttpIssuer: false, updatedAt: null, redirectUri });

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/sso/connection',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: "The tenant's OpenID Connect connection (never its client secret)", response: { 200: SsoConnectionView } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => view(await readSsoConnection(tx)),
    auditMetadata: (r) => ({ configured: r.configured }),
  });

  enforcedTwoPhaseRoute(app, deps, {
    method: 'PUT',
    url: '/v1/sso/connection',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: "Set the tenant's OpenID Connect connection; checked by discovery; without a client secret the stored one stays", body: SsoConnectionSet, response: { 200: SsoConnectionView } },
    load: async (_tx, _req, who) => tenantOf(who),
    prepare: (tx, { who }, req) => prepareSsoChange(tx, who.principal.tenantId, req.body),
    work: (prepared) => checkSsoChange(deps, prepared),
    record: async (tx, checked) => view(await writeSsoConnection(tx, checked, deps.clock.now())),
    // R-MON-1: an integration change; the secret never reaches the trail, only whether one was given.
    auditMetadata: (r) => ({ change: 'sso-configured', issuer: r.issuer, clientId: r.clientId, linkBy: r.linkBy, mfaAcr: r.mfaAcr.join(',') }),
  });

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/scim/tokens',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: "The tenant's SCIM client and its tokens by id and dates (never a token)", response: { 200: ScimTokensReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => {
      const s = await listScimTokens(tx);
      return {
        clientId: s.clientId, status: s.status, baseUrl: new URL(SCIM_BASE_PATH, deps.config.origin).href,
        tokens: s.tokens.map((t) => ({ id: t.id, createdAt: t.createdAt.toISOString(), expiresAt: t.expiresAt.toISOString(), revokedAt: t.revokedAt?.toISOString() ?? null, lastUsedAt: t.lastUsedAt?.toISOString() ?? null })),
      };
    },
    auditMetadata: (r) => ({ tokens: r.tokens.length }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/scim/tokens',
    action: 'policy.manage',
    credentials: ['session'],
    status: 201,
    schema: { summary: 'Issue a SCIM bearer token (shown once), registering the SCIM client on first use; revokeOld ends the live ones (rotation)', body: ScimTokenIssue, response: { 201: ScimTokenIssued } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx, _ctx, req) => {
      const t = await issueScimTokenAs(tx, { days: req.body.days, revokeOld: req.body.revokeOld }, deps.clock.now());
      return { token: t.token, tokenId: t.tokenId, clientId: t.clientId, expiresAt: t.expiresAt.toISOString(), revoked: t.revoked, registered: t.registered };
    },
    // R-MON-1: a token change is a detection signal; the token itself never reaches the trail.
    auditMetadata: (r) => ({ change: 'scim-token-issued', tokenId: r.tokenId, clientId: r.clientId, expiresAt: r.expiresAt, revokedTokens: r.revoked, registered: r.registered }),
  });
}
