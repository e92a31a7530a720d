import {
  ChangeProposalTtl, ScimTokenApproved, ScimTokenProposal, ScimTokenRequestItem, ScimTokenRequestsReply, ScimTokensReply, SsoChangeProposal, SsoChangeRequestItem,
  SsoChangeRequestsReply, SsoConnectionSet, SsoConnectionView,
} from '@ward/contracts';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import {
  approveScimToken, cancelScimToken, findScimTokenRequest, listScimTokenRequests, listScimTokens, proposeScimToken, SCIM_BASE_PATH,
} from '../../modules/provisioning/index.ts';
import {
  approveSsoChange, CALLBACK_PATH, checkSsoChange, findSsoRequest, listSsoRequests, prepareSsoChange, proposeSsoConnection, proposeSsoDisconnect, readSsoConnection,
  refuseSsoChange, writeSsoConnection, type SsoConnection,
} from '../../modules/sso/index.ts';
import { enforcedRoute, enforcedTwoPhaseRoute, type EnforcementDeps } from '../enforce.ts';
import { actorOf, IdParams, tenantOf } from './common.ts';

/**
 * SSO and SCIM settings from the admin console (R-AUTHN-2, R-AUTHN-5, R-UX-1), each a `policy.manage`
 * decision on the tenant (with its step-up, R-SESS-3). The OpenID Connect connection is read without
 * its secret and changed through the two-phase guard: decided and audited first, then discovery
 * (through the egress policy) and the secret's wrapping outside the transaction, then written. Another
 * issuer or client (or a first connection), and a disconnection, take two people (R-AUTHZ-5, 0120):
 * proposed after the same checks, applied on a second Owner or Admin's approval. SCIM
 * tokens are listed by id and dates; a new one (optionally revoking the live ones) is proposed by one
 * Owner or Admin and made by a second one's approval, answered once to the approver (R-AUTHZ-5).
 */
export function ssoSettingsRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const redirectUri = new URL(CALLBACK_PATH, deps.config.origin).href;
  const view = (c: SsoConnection | null): SsoConnectionView => (c
    ? {
      configured: true, issuer: c.issuer, clientId: c.clientId, linkBy: c.linkBy, mfaAcr: c.mfaAcr, clientAuth: c.clientAuth,
      clientJwksUri: c.clientJwksPath === null ? null : new URL(c.clientJwksPath, deps.config.origin).href,
      allowHttpIssuer: c.allowHttpIssuer, updatedAt: c.updatedAt.toISOString(), redirectUri,
    }
    : { configured: false, issuer: null, clientId: null, linkBy: null, mfaAcr: [], clientAuth: null, clientJwksUri: null, allowHttpIssuer: false, updatedAt: null, redirectUri });

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
    schema: { summary: "Change the tenant's OpenID Connect connection, same issuer and client (another is SSO_NEEDS_APPROVAL: propose it); checked by discovery; without a client secret the stored one stays", body: SsoConnectionSet, response: { 200: SsoConnectionView } },
    load: async (_tx, _req, who) => tenantOf(who),
    prepare: (tx, { who }, req) => prepareSsoChange(tx, who.principal.tenantId, req.body),
    work: (prepared) => checkSsoChange(deps, prepared),
    record: async (tx, checked) => view(await writeSsoConnection(tx, checked, deps.clock.now())),
    // R-MON-1: an integration change; the secret never reaches the trail, only whether one was given.
    auditMetadata: (r) => ({ change: 'sso-configured', issuer: r.issuer, clientId: r.clientId, linkBy: r.linkBy, mfaAcr: r.mfaAcr.join(',') }),
  });

  // R-AUTHZ-5: another issuer or client, a first connection or a disconnection takes two people; Cedar
  // refuses the proposer's approval (`sod-change-second-person`), and the database again (0120).
  const ssoMeta = (r: SsoChangeRequestItem) => ({ requestId: r.id, kind: r.kind, state: r.state, issuer: r.issuer, clientId: r.clientId, replacesIssuer: r.replacesIssuer });
  const ttlOf = (body: { ttlHours?: number } | undefined) => (body?.ttlHours ? body.ttlHours * 3600 : undefined);

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/sso/connection-requests',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'SSO connection proposals (another issuer or client, a disconnection), newest first, with who must approve each next', response: { 200: SsoChangeRequestsReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => ({ requests: await listSsoRequests(tx, deps.clock.now()) }),
    auditMetadata: (r) => ({ count: r.requests.length }),
  });

  enforcedTwoPhaseRoute(app, deps, {
    method: 'POST',
    url: '/v1/sso/connection-requests',
    action: 'policy.manage',
    credentials: ['session'],
    status: 201,
    schema: { summary: 'Propose an OpenID Connect connection (checked by discovery first); a second Owner or Admin approves it', body: SsoChangeProposal, response: { 201: SsoChangeRequestItem } },
    load: async (_tx, _req, who) => tenantOf(who),
    prepare: (tx, { who }, req) => {
      const { ttlHours: _ttl, ...change } = req.body;
      return prepareSsoChange(tx, who.principal.tenantId, change, { proposal: true });
    },
    work: (prepared) => checkSsoChange(deps, prepared),
    record: (tx, checked, { who }, req) => proposeSsoConnection(tx, deps, { actor: actorOf(who), checked, ttlSeconds: ttlOf(req.body) }, deps.clock.now()),
    auditMetadata: (r) => ({ change: 'sso-proposed', ...ssoMeta(r) }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/sso/disconnect-requests',
    action: 'policy.manage',
    credentials: ['session'],
    status: 201,
    schema: { summary: "Propose to disconnect the tenant's OpenID Connect connection (members then sign in with passkeys only); a second Owner or Admin approves it", body: Type.Optional(ChangeProposalTtl), response: { 201: SsoChangeRequestItem } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: (tx, { who }, req) => proposeSsoDisconnect(tx, deps, { actor: actorOf(who), ttlSeconds: ttlOf(req.body) }, deps.clock.now()),
    auditMetadata: (r) => ({ change: 'sso-proposed', ...ssoMeta(r) }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/sso/connection-requests/:id/approve',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'Approve an SSO proposal (a second Owner or Admin): the connection is written or removed', params: IdParams, response: { 200: SsoChangeRequestItem } },
    async load(tx, req, who) {
      const r = await findSsoRequest(tx, req.params.id, deps.clock.now());
      return r ? tenantOf(who, { changeProposedByPrincipal: r.proposedBy === who.principal.id }) : null;
    },
    handle: (tx, { who }, req) => approveSsoChange(tx, deps, { actor: actorOf(who), requestId: req.params.id }, deps.clock.now()),
    // R-MON-1: `sso-configured` and `sso-disconnected` raise workload.credential-change.
    auditMetadata: (r) => ({ change: r.kind === 'connect' ? 'sso-configured' : 'sso-disconnected', ...ssoMeta(r), proposer: r.proposedBy }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/sso/connection-requests/:id/refuse',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'Refuse an open SSO proposal (its proposer withdraws it: cancelled)', params: IdParams, response: { 200: SsoChangeRequestItem } },
    load: async (tx, req, who) => ((await findSsoRequest(tx, req.params.id, deps.clock.now())) ? tenantOf(who) : null),
    handle: (tx, { who }, req) => refuseSsoChange(tx, deps, { actor: actorOf(who), requestId: req.params.id }, deps.clock.now()),
    auditMetadata: (r) => ({ change: 'sso-refused', ...ssoMeta(r) }),
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

  // R-AUTHZ-5, R-ELEV-1: a new SCIM token takes two people. One Owner or Admin proposes it; a second
  // one approves it through their own session (with its step-up, R-SESS-3) and is shown the token
  // once. Cedar refuses the proposer (`changeProposedByPrincipal`: `sod-change-second-person`), and
  // the database again (0095). The operator's one-step path is `ward scim token`.
  const requestMeta = (r: ScimTokenRequestItem) => ({ requestId: r.id, state: r.state, days: r.days, revokeOld: r.revokeOld });

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/scim/token-requests',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'SCIM token proposals, newest first, with who must approve each next', response: { 200: ScimTokenRequestsReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => ({ requests: await listScimTokenRequests(tx, deps.clock.now()) }),
    auditMetadata: (r) => ({ count: r.requests.length }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/scim/token-requests',
    action: 'policy.manage',
    credentials: ['session'],
    status: 201,
    schema: { summary: 'Propose a SCIM bearer token (revokeOld ends the live ones on approval); a second Owner or Admin approves it', body: ScimTokenProposal, response: { 201: ScimTokenRequestItem } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: (tx, { who }, req) => proposeScimToken(tx, deps, {
      actor: actorOf(who), days: req.body.days, revokeOld: req.body.revokeOld, ttlSeconds: req.body.ttlHours ? req.body.ttlHours * 3600 : undefined,
    }, deps.clock.now()),
    auditMetadata: (r) => ({ change: 'scim-token-proposed', ...requestMeta(r) }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/scim/token-requests/:id/approve',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'Approve a SCIM token proposal (a second Owner or Admin): the token is made and shown once, to the approver', params: IdParams, response: { 200: ScimTokenApproved } },
    async load(tx, req, who) {
      const r = await findScimTokenRequest(tx, req.params.id, deps.clock.now());
      return r ? tenantOf(who, { changeProposedByPrincipal: r.proposedBy === who.principal.id }) : null;
    },
    handle: (tx, { who }, req) => approveScimToken(tx, deps, { actor: actorOf(who), requestId: req.params.id }, deps.clock.now()),
    // R-MON-1: a token change is a detection signal; the token itself never reaches the trail.
    auditMetadata: (r) => ({ change: 'scim-token-issued', ...requestMeta(r.request), tokenId: r.issued.tokenId, clientId: r.issued.clientId, expiresAt: r.issued.expiresAt, revokedTokens: r.issued.revoked, registered: r.issued.registered }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/scim/token-requests/:id/cancel',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'Cancel an open SCIM token proposal', params: IdParams, response: { 200: ScimTokenRequestItem } },
    load: async (tx, req, who) => ((await findScimTokenRequest(tx, req.params.id, deps.clock.now())) ? tenantOf(who) : null),
    handle: (tx, { who }, req) => cancelScimToken(tx, deps, { actor: actorOf(who), requestId: req.params.id }, deps.clock.now()),
    auditMetadata: (r) => ({ change: 'scim-token-cancelled', ...requestMeta(r) }),
  });
}
