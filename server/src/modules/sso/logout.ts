import { createHash } from 'node:crypto';
import { WardError } from '@ward/contracts';
import { createRemoteJWKSet, customFetch, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import { AUTH_LOOKUPS } from '../../db/types.ts';
import { revokeMemberSessions } from '../sessions/index.ts';
import type { SsoDeps } from './flow.ts';
import { createLogoutRefusalLimit } from './logout-limit.ts';
import { loadProvider, publicConfigurationOf } from './provider.ts';

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** A logout token older than this is refused (OpenID Connect Back-Channel Logout 1.0 §2.6). */
const MAX_TOKEN_AGE_SECONDS = 300;
/** How long past its window a spent logout token id is kept, for servers whose clocks lag (as a proof's ±60 s). */
const CLOCK_SKEW_SECONDS = 60;
/** §2.6 step 8: the token's jti is spent per issuer in the transaction that revokes (0111). */
const SPEND_JTI = 'SELECT ward_sso_logout_jti_spend($1, $2, $3, $4) AS outcome';
const jwksByUri = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

const refuse = (detail: string, cause?: unknown) => new WardError('BAD_REQUEST', 'The logout token is not valid.', { detail, cause });

/**
 * OpenID Connect Back-Channel Logout 1.0 (R-SESS-1): the IdP posts a logout token signed with its
 * keys; once verified (issuer and audience are the tenant's provider and client, `events` holds the
 * back-channel logout event, no `nonce`, fresh `iat`, a `jti` not seen before from this issuer), every
 * live session of the member linked to its `sub` is revoked and the revocation is audited. A replayed
 * token is refused (`SSO_LOGOUT_REPLAYED`) and audited; anything else answers 400 and revokes nothing.
 * R-MON-1: the refusals of tokens naming a tenant's connection are counted per source address
 * (logout-limit.ts); past the limit the address is answered `RATE_LIMITED` before anything is read.
 */
export function createBackchannelLogout(deps: SsoDeps) {
  const limit = createLogoutRefusalLimit(deps);
  async function backchannelLogout(logoutToken: string, sourceIp: string): Promise<{ revoked: number }> {
    if (typeof logoutToken !== 'string' || logoutToken.length > 16_384) throw refuse('no logout token');
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(logoutToken);
    } catch (e) {
      throw refuse('not a JWT', e);
    }
    const audience = typeof unverified.aud === 'string' ? unverified.aud : Array.isArray(unverified.aud) && unverified.aud.length === 1 ? unverified.aud[0] : undefined;
    if (typeof unverified.iss !== 'string' || !audience) throw refuse('no issuer or audience');
    limit.check(sourceIp, unverified.iss, audience);
    const [row] = await deps.db.authLookup<{ tenant_id: string }>(AUTH_LOOKUPS.ssoProviderByClient, [unverified.iss, audience]);
    if (!row) throw refuse('no tenant has this issuer and client');
    try {
      return await verifyAndRevoke(row.tenant_id, logoutToken, sourceIp);
    } catch (e) {
      return limit.refused(sourceIp, unverified.iss, audience, e);
    }
  }

  /** §2.6: the token verified against the tenant's provider, then its jti spent and the member's sessions revoked. */
  async function verifyAndRevoke(tenantId: string, logoutToken: string, sourceIp: string): Promise<{ revoked: number }> {
    const scope = { tenantId, phiScopes: [], actorId: 'system:sso', actorKind: 'system' } as const;
    const provider = await deps.db.scoped(scope, (tx) => loadProvider(tx, tenantId));
    if (!provider) throw refuse('no provider');
    // The public metadata only: a token anyone may post never reaches the KMS for the client's credential.
    const metadata = (await publicConfigurationOf(provider, deps.egress)).serverMetadata();
    const jwksUri = metadata.jwks_uri;
    if (!jwksUri) throw refuse('the issuer publishes no keys');
    let jwks = jwksByUri.get(jwksUri);
    if (!jwks) {
      // R-WORK-4: the IdP names its jwks_uri, and anyone may post a token naming the tenant: the keys
      // are fetched through the egress policy like discovery itself, never by jose's own fetch.
      jwks = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000, [customFetch]: deps.egress as never });
      if (jwksByUri.size >= 1000) jwksByUri.clear();
      jwksByUri.set(jwksUri, jwks);
    }
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(logoutToken, jwks, {
        issuer: provider.issuer, audience: provider.clientId, maxTokenAge: MAX_TOKEN_AGE_SECONDS, requiredClaims: ['iat', 'jti', 'events'],
        currentDate: deps.clock.now(), algorithms: logoutTokenAlgorithms(metadata),
      }));
    } catch (e) {
      throw refuse('the logout token did not verify', e);
    }
    const events = claims.events as Record<string, unknown> | undefined;
    if (!events || typeof events[BACKCHANNEL_EVENT] !== 'object' || 'nonce' in claims) throw refuse('not a back-channel logout token');
    if (typeof claims.sub !== 'string') throw refuse('the logout token names no subject');
    if (typeof claims.jti !== 'string' || claims.jti.length === 0 || claims.jti.length > 512) throw refuse('the logout token has no usable jti');
    const subject = claims.sub;
    const now = deps.clock.now();
    const spend = [sha256(provider.issuer), sha256(claims.jti), usableUntil(claims), now];
    const result = await deps.db.scoped(scope, async (tx) => {
      const { rows: [spent] } = await tx.query<{ outcome: 'fresh' | 'replayed' | 'full' }>(SPEND_JTI, spend);
      const outcome = spent?.outcome ?? 'replayed';
      const { rows } = await tx.query<{ member_id: string }>('SELECT member_id FROM sso_identities WHERE issuer = $1 AND subject = $2', [provider.issuer, subject]);
      const memberId = rows[0]?.member_id;
      const target = memberId ? { targetType: 'member', targetId: memberId } : {};
      if (outcome === 'replayed') {
        // R-SESS-1: a captured logout token posted again revokes nothing more; the attempt is on record.
        await deps.audit.append(tx, {
          tenantId, actorKind: 'system', actorId: 'system:sso', sourceIp, action: 'auth.sso_logout', ...target,
          outcome: 'failure', reasons: ['jti_replayed'], metadata: { issuer: provider.issuer },
        });
        return null;
      }
      if (!memberId) return { revoked: 0 };
      const revoked = await revokeMemberSessions(tx, memberId, now);
      await deps.audit.append(tx, {
        tenantId, actorKind: 'system', actorId: 'system:sso', sourceIp, action: 'auth.sso_logout', targetType: 'member', targetId: memberId,
        outcome: 'success', metadata: { issuer: provider.issuer, revoked, ...(outcome === 'full' ? { jtiRecorded: false } : {}) },
      });
      return { revoked };
    });
    if (!result) throw new WardError('SSO_LOGOUT_REPLAYED', undefined, { reasons: ['jti_replayed'] });
    return result;
  }

  return backchannelLogout;
}

/**
 * Back-Channel Logout 1.0 §2.4: a logout token is signed like the provider's ID tokens, with an
 * asymmetric algorithm (never `none`, never a MAC: the client secret is no key here). The ones its
 * discovery document lists, or RS256 (Discovery §3's default).
 */
const ASYMMETRIC = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']);
function logoutTokenAlgorithms(metadata: oidc.ServerMetadata): string[] {
  const listed = Array.isArray(metadata.id_token_signing_alg_values_supported) ? metadata.id_token_signing_alg_values_supported.filter((a) => ASYMMETRIC.has(a)) : [];
  return listed.length > 0 ? listed : ['RS256'];
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The end of the window in which this server accepts the token (iat + 300 s, or its exp if sooner), plus the skew. */
function usableUntil(claims: JWTPayload): Date {
  const accepted = Math.min(claims.iat! + MAX_TOKEN_AGE_SECONDS, typeof claims.exp === 'number' ? claims.exp : Infinity);
  return new Date((accepted + CLOCK_SKEW_SECONDS) * 1000);
}

/** RP-initiated logout: where the browser goes after Ward's own session ended. */
export async function endSessionUrl(deps: SsoDeps, tenantId: string): Promise<string | null> {
  const scope = { tenantId, phiScopes: [], actorId: 'system:sso', actorKind: 'system' } as const;
  const provider = await deps.db.scoped(scope, (tx) => loadProvider(tx, tenantId));
  if (!provider) return null;
  const config = await publicConfigurationOf(provider, deps.egress);
  if (!config.serverMetadata().end_session_endpoint) return null;
  return oidc.buildEndSessionUrl(config, { client_id: provider.clientId, post_logout_redirect_uri: new URL('/sign-in', deps.origin).toString() }).toString();
}
