import { WardError, type AuditEventInput, type AuthRequest } from '@ward/contracts';
import type { JWK } from 'jose';
import * as oidc from 'openid-client';
import { AUTH_LOOKUPS, type DataScope, type Tx } from '../../db/types.ts';
import { emailRefusal, type CeremonyDeps } from '../identity/index.ts';
import type { Kms } from '../crypto/index.ts';
import { proveDevice } from '../proof/index.ts';
import { markVerified, memberScope, secretHash, signInLockReason, sourceKey, type RateLimiter } from '../sessions/index.ts';
import { amrOf, idpAuthenticatedAt, provedMfa } from './mfa.ts';
import type { EgressFetch } from '../egress/index.ts';
import { emailClaim, emailRefusalReason, type EmailClaim } from './email-claims.ts';
import { configurationOf, isMultiTenantIssuer, loadProvider, type SsoProvider } from './provider.ts';

/**
 * Single sign-on through OpenID Connect (R-AUTHN-2, R-SESS-1, R-SESS-4): discovery, authorization
 * code with PKCE, `state`, `nonce`, ID token validation and the RFC 9207 `iss` parameter, all through
 * openid-client. A flow starts and completes with POSTs proved by the browser's device key: the flow
 * row is bound to that key, so a callback finished in another browser is refused, and the session is
 * born bound. Every outcome whose tenant is known is audited in the transaction that decides it.
 */
export interface SsoDeps extends Omit<CeremonyDeps, 'limits'> {
  kms: Kms;
  /** R-WORK-4: every call to the identity provider passes the egress policy. */
  egress: EgressFetch;
  limits: { perIp: RateLimiter };
}

export type FlowPurpose = 'sign_in' | 'step_up' | 'link';
export const FLOW_TTL_SECONDS = 600;
/**
 * R-SESS-3: a sign-in asks for `max_age` so that the IdP must state `auth_time` (OpenID Connect Core
 * §3.1.2.1); Ward's longest session lifetime, so that it re-prompts no one Ward would not have.
 */
export const SIGN_IN_MAX_AGE_SECONDS = 86_400;
/** The one redirect URI of a deployment. */
export const CALLBACK_PATH = '/v1/auth/sso/callback';

/** Who starts a step-up or a link: a person's session and the device key it is bound to. */
export interface SsoCaller {
  tenantId: string;
  memberId: string;
  sessionId: string;
  thumbprint: string;
}

export type SsoCompleted =
  | { purpose: 'sign_in'; token: string; memberId: string; mfa: boolean }
  | { purpose: 'step_up' | 'link'; memberId: string };

type Failure = { failed: string; code: 'SSO_MEMBER_UNKNOWN' | 'SSO_MEMBER_INACTIVE' | 'SSO_LINK_REFUSED' | 'SSO_MFA_REQUIRED' | 'SSO_STATE_INVALID' };

/** Why a configured provider cannot start a sign-in, each told to the outside as SSO_NOT_CONFIGURED. */
const UNUSABLE_PROVIDER: ReadonlySet<string> = new Set(['SSO_NOT_CONFIGURED', 'SSO_ISSUER_INVALID', 'KEY_DESTROYED', 'KEY_NOT_FOUND']);

const systemScope = (tenantId: string): DataScope => ({ tenantId, phiScopes: [], actorId: 'system:sso', actorKind: 'system' });
/** A transaction acts as the member once known (its audit records name them), else as the SSO service. */
const scopeOf = (tenantId: string, memberId: string | null): DataScope => (memberId ? memberScope(tenantId, memberId) : systemScope(tenantId));

export function createSso(deps: SsoDeps) {
  const redirectUri = new URL(CALLBACK_PATH, deps.origin).toString();

  function event(req: AuthRequest, tenantId: string, memberId: string | null, action: string, outcome: AuditEventInput['outcome'], extra: Partial<AuditEventInput> = {}): AuditEventInput {
    return memberId
      ? { tenantId, actorKind: 'human', actorId: memberId, sourceIp: req.sourceIp, action, outcome, ...extra }
      : { tenantId, actorKind: 'system', actorId: 'system:sso', sourceIp: req.sourceIp, action, outcome, ...extra };
  }

  async function auditFailure(req: AuthRequest, tenantId: string, memberId: string | null, action: string, reason: string, extra: Partial<AuditEventInput> = {}): Promise<void> {
    await deps.db.scoped(scopeOf(tenantId, memberId), (tx) => deps.audit.append(tx, event(req, tenantId, memberId, action, 'failure', { reasons: [reason], ...extra })));
  }

  async function providerOf(tenantId: string): Promise<SsoProvider> {
    const provider = await deps.db.scoped(systemScope(tenantId), (tx) => loadProvider(tx, tenantId));
    if (!provider) throw new WardError('SSO_NOT_CONFIGURED');
    return provider;
  }

  /**
   * The tenant a slug names, only when it signs in with SSO. An unknown slug and a tenant without SSO
   * are one answer (SSO_NOT_CONFIGURED) after the same one statement (0111), so neither the answer nor
   * the work done tells an outsider which slugs exist.
   */
  async function ssoTenantBySlug(slug: string): Promise<string> {
    if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) throw new WardError('SSO_NOT_CONFIGURED');
    const [row] = await deps.db.authLookup<{ tenant_id: string }>(AUTH_LOOKUPS.ssoTenantBySlug, [slug]);
    if (!row) throw new WardError('SSO_NOT_CONFIGURED');
    return row.tenant_id;
  }

  /** Whether a tenant signs in with SSO (the page at `GET /sso/<slug>` says so before starting). */
  async function isConfigured(slug: string): Promise<boolean> {
    try {
      await ssoTenantBySlug(slug);
      return true;
    } catch (e) {
      if (e instanceof WardError && e.code === 'SSO_NOT_CONFIGURED') return false;
      throw e;
    }
  }

  /**
   * `GET /sso/<slug>/jwks.json`: the public key of a tenant that authenticates with private_key_jwt,
   * for an IdP that reads a client's keys from a URL. Any other slug answers as one without SSO.
   */
  async function clientJwks(slug: string): Promise<{ keys: JWK[] }> {
    const tenantId = await ssoTenantBySlug(slug);
    const provider = await deps.db.scoped(systemScope(tenantId), (tx) => loadProvider(tx, tenantId));
    if (!provider?.clientPublicJwk) throw new WardError('SSO_NOT_CONFIGURED');
    return { keys: [provider.clientPublicJwk] };
  }

  async function begin(key: { thumbprint: string }, tenantId: string, purpose: FlowPurpose, caller: SsoCaller | null): Promise<{ authorizationUrl: string }> {
    const provider = await providerOf(tenantId);
    const config = await configurationOf(provider, deps);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    await deps.db.authLookup(AUTH_LOOKUPS.ssoFlowIssue, [
      secretHash(state), tenantId, purpose, caller?.memberId ?? null, caller?.sessionId ?? null, key.thumbprint, nonce, codeVerifier, FLOW_TTL_SECONDS,
    ]);
    const params: Record<string, string> = {
      redirect_uri: redirectUri, scope: 'openid email', response_type: 'code', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
    };
    // R-SESS-3: a step-up is a fresh login at the IdP, whatever session it holds; where the tenant
    // names acr values that prove MFA, they are asked for (Core §3.1.2.1 acr_values), as Auth0 needs.
    if (purpose === 'step_up') Object.assign(params, { max_age: '0', prompt: 'login' }, provider.mfaAcr.length ? { acr_values: provider.mfaAcr.join(' ') } : {});
    else if (purpose === 'sign_in') params.max_age = String(SIGN_IN_MAX_AGE_SECONDS);
    return { authorizationUrl: oidc.buildAuthorizationUrl(config, params).toString() };
  }

  /** `POST /v1/auth/sso/start`: a sign-in for the tenant named by slug, from a device-proved page. */
  async function start(req: AuthRequest, slug: string): Promise<{ authorizationUrl: string }> {
    await deps.limits.perIp.hit(sourceKey(req.sourceIp));
    const key = await proveDevice(deps, req);
    const tenantId = await ssoTenantBySlug(slug);
    try {
      return await begin(key, tenantId, 'sign_in', null);
    } catch (e) {
      // A tenant whose SSO cannot start (its keys shredded, its IdP's discovery failing) answers as one
      // without SSO: the outside learns no more of it than of an unknown slug. The operator's log says why.
      if (!(e instanceof WardError) || !UNUSABLE_PROVIDER.has(e.code)) throw e;
      deps.logger.warn({ securityEvent: 'auth.sso', reason: e.code }, "a tenant's SSO could not start");
      throw new WardError('SSO_NOT_CONFIGURED', undefined, { cause: e });
    }
  }

  /** A step-up or a first link, started from a signed-in session (its device proof already checked). */
  async function startFromSession(req: AuthRequest, caller: SsoCaller, purpose: 'step_up' | 'link'): Promise<{ authorizationUrl: string }> {
    await deps.limits.perIp.hit(sourceKey(req.sourceIp));
    return begin(caller, caller.tenantId, purpose, caller);
  }

  /** `POST /v1/auth/sso/complete`: the callback's query, sent by the callback page with its device proof. */
  async function complete(req: AuthRequest, callbackQuery: string): Promise<SsoCompleted> {
    await deps.limits.perIp.hit(sourceKey(req.sourceIp));
    const key = await proveDevice(deps, req);
    const params = new URLSearchParams(callbackQuery);
    const state = params.get('state');
    if (!state || state.length > 512) throw new WardError('SSO_STATE_INVALID');
    const [flow] = await deps.db.authLookup<{ tenant_id: string; purpose: FlowPurpose; member_id: string | null; session_id: string | null; device_thumbprint: string; nonce: string; code_verifier: string; is_expired: boolean }>(
      AUTH_LOOKUPS.ssoFlowConsume, [secretHash(state)]);
    if (!flow) {
      deps.logger.warn({ securityEvent: 'auth.sso', reason: 'state_unknown' }, 'an SSO completion named no flow in flight');
      throw new WardError('SSO_STATE_INVALID');
    }
    const tenantId = flow.tenant_id;
    const action = flow.purpose === 'sign_in' ? 'auth.sso_sign_in' : flow.purpose === 'link' ? 'auth.sso_link' : 'auth.step_up';
    if (flow.is_expired || flow.device_thumbprint !== key.thumbprint) {
      // R-SESS-4: a flow is finished by the device key that started it, never by another browser.
      await auditFailure(req, tenantId, flow.member_id, action, flow.is_expired ? 'flow_expired' : 'other_device_key', { sessionId: flow.session_id });
      throw new WardError('SSO_STATE_INVALID');
    }
    const provider = await providerOf(tenantId);
    let claims: oidc.IDToken;
    let config: oidc.Configuration;
    let tokens: oidc.TokenEndpointResponse;
    try {
      config = await configurationOf(provider, deps);
      const currentUrl = new URL(`${redirectUri}?${params.toString()}`);
      tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        expectedState: state, expectedNonce: flow.nonce, pkceCodeVerifier: flow.code_verifier, idTokenExpected: true,
        ...(flow.purpose === 'step_up' ? { maxAge: 0 } : {}),
      });
      const c = (tokens as oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers).claims();
      if (!c || c.iss !== provider.issuer) throw new Error('the ID token names another issuer');
      claims = c;
    } catch (e) {
      await auditFailure(req, tenantId, flow.member_id, action, refusalReason(e), { sessionId: flow.session_id });
      throw new WardError('SSO_CALLBACK_INVALID', publicRefusal(e), { cause: e });
    }
    const mfa = provedMfa(claims, provider.mfaAcr);
    const now = deps.clock.now();
    // Who the IdP's (iss, sub) is: a linked member, or (first login) a member found by verified e-mail.
    let email: EmailClaim | null = null;
    let found: LinkedMember | null = null;
    if (flow.purpose === 'sign_in') {
      found = await deps.db.scoped(systemScope(tenantId), (tx) => linkedMember(tx, provider.issuer, claims.sub));
      if (!found && provider.linkBy === 'email' && !isMultiTenantIssuer(provider.issuer)) {
        try {
          // Outside any transaction: the UserInfo request, when the ID token lacks the e-mail claims.
          email = await emailClaim(config, tokens, claims);
        } catch (e) {
          await auditFailure(req, tenantId, null, action, `userinfo_${reasonWord((e as { code?: unknown }).code)}`);
          throw new WardError('SSO_CALLBACK_INVALID', undefined, { cause: e });
        }
        found = await deps.db.scoped(systemScope(tenantId), (tx) => memberByEmail(tx, provider, email));
      }
    }
    const memberId = flow.member_id ?? found?.memberId ?? null;
    const result = await deps.db.scoped(scopeOf(tenantId, memberId), async (tx): Promise<SsoCompleted | Failure> => {
      const linked = await linkedMember(tx, provider.issuer, claims.sub);
      // R-SESS-1, R-AUTHN-5: a link or step-up acts for the session that started it, so only while that
      // session lives (revoked, signed out, expired or its member disabled in the meantime: nothing).
      if (flow.session_id !== null && !(await sessionLives(tx, flow.session_id, now))) {
        await deps.audit.append(tx, event(req, tenantId, flow.member_id, action, 'failure', { reasons: ['session_ended'], sessionId: flow.session_id }));
        return { failed: 'session_ended', code: 'SSO_STATE_INVALID' };
      }
      if (flow.purpose === 'link') {
        if (linked || await hasLinkAt(tx, flow.member_id!, provider.issuer)) {
          await deps.audit.append(tx, event(req, tenantId, flow.member_id, action, 'failure', { reasons: ['already_linked'], sessionId: flow.session_id }));
          return { failed: 'already_linked', code: 'SSO_LINK_REFUSED' };
        }
        await insertLink(tx, tenantId, flow.member_id!, provider.issuer, claims.sub, 'step_up', now);
        await deps.audit.append(tx, event(req, tenantId, flow.member_id, action, 'success', { sessionId: flow.session_id, metadata: { issuer: provider.issuer, linkedBy: 'step_up' } }));
        return { purpose: 'link', memberId: flow.member_id! };
      }
      if (flow.purpose === 'step_up') {
        if (!linked || linked.memberId !== flow.member_id) {
          await deps.audit.append(tx, event(req, tenantId, flow.member_id, action, 'failure', { reasons: ['other_identity'], sessionId: flow.session_id }));
          return { failed: 'other_identity', code: 'SSO_MEMBER_UNKNOWN' };
        }
        if (!mfa) {
          await deps.audit.append(tx, event(req, tenantId, flow.member_id, action, 'failure', { reasons: ['mfa_not_proved'], sessionId: flow.session_id }));
          return { failed: 'mfa_not_proved', code: 'SSO_MFA_REQUIRED' };
        }
        await markVerified(tx, flow.session_id!, now, { mfa: true });
        await deps.audit.append(tx, event(req, tenantId, flow.member_id, action, 'success', { sessionId: flow.session_id, metadata: { method: 'oidc', amr: amrOf(claims).join(' ') } }));
        return { purpose: 'step_up', memberId: flow.member_id! };
      }
      if (!found) {
        // An address missing, unverified or refused as written (invisible or look-alike characters)
        // links no one, and says why.
        const reason = (provider.linkBy === 'email' ? emailLinkRefusal(email) : null) ?? 'member_unknown';
        await deps.audit.append(tx, event(req, tenantId, null, action, 'failure', { reasons: [reason], metadata: { issuer: provider.issuer } }));
        return { failed: 'member_unknown', code: 'SSO_MEMBER_UNKNOWN' };
      }
      if (found.status !== 'active' && found.status !== 'restricted') {
        await deps.audit.append(tx, event(req, tenantId, found.memberId, action, 'failure', { reasons: ['member_inactive'] }));
        return { failed: 'member_inactive', code: 'SSO_MEMBER_INACTIVE' };
      }
      if (found.linkedBy === 'email') {
        // The first link, once: a concurrent first login of another IdP account for this member loses here.
        if (linked || await hasLinkAt(tx, found.memberId, provider.issuer)) {
          await deps.audit.append(tx, event(req, tenantId, found.memberId, action, 'failure', { reasons: ['already_linked'] }));
          return { failed: 'already_linked', code: 'SSO_MEMBER_UNKNOWN' };
        }
        await insertLink(tx, tenantId, found.memberId, provider.issuer, claims.sub, 'email', now);
      }
      const session = await deps.sessions.issue(tx, {
        tenantId, memberId: found.memberId, authMethod: 'oidc', amr: amrOf(claims), mfa,
        deviceKey: { thumbprint: key.thumbprint, publicJwk: key.publicJwk }, sourceIp: req.sourceIp,
        // R-SESS-3: verified when the IdP authenticated the person, not when Ward issued the session.
        verifiedAt: idpAuthenticatedAt(claims),
      });
      await deps.audit.append(tx, event(req, tenantId, found.memberId, action, 'success', {
        sessionId: session.sessionId, deviceId: session.deviceId, targetType: 'session', targetId: session.sessionId,
        metadata: { issuer: provider.issuer, mfa, amr: amrOf(claims).join(' '), acr: typeof claims.acr === 'string' ? claims.acr.slice(0, 200) : null, linkedBy: found.linkedBy ?? null },
      }));
      return { purpose: 'sign_in', token: session.token, memberId: found.memberId, mfa };
    }).catch(async (e: unknown) => {
      // R-GOV-5: a locked member or device gets no session; nothing of the callback was kept.
      const locked = signInLockReason(e);
      if (locked && found) await auditFailure(req, tenantId, found.memberId, action, locked);
      throw e;
    });
    if ('failed' in result) throw new WardError(result.code, undefined, { reasons: [result.failed] });
    return result;
  }

  return { start, startFromSession, complete, isConfigured, clientJwks };
}

export type Sso = ReturnType<typeof createSso>;

/** Why an address links no one: missing, unverified, or refused as written (`email_<reason>`). */
function emailLinkRefusal(email: EmailClaim | null): string | null {
  const missing = emailRefusalReason(email);
  if (missing || !email) return missing;
  const refused = emailRefusal(email.email);
  return typeof refused === 'string' ? `email_${refused}` : null;
}

/** An audit reason from an error's code: a word of the protocol, never free text from the IdP. */
function reasonWord(code: unknown): string {
  return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,48}$/.test(code) ? code : 'other';
}

function refusalReason(e: unknown): string {
  if (e instanceof oidc.AuthorizationResponseError) return `authorization_${reasonWord(e.error)}`;
  if (e instanceof oidc.ResponseBodyError) return `token_${reasonWord(e.error)}`;
  const code = (e as { code?: unknown }).code;
  return code === undefined ? 'callback_invalid' : reasonWord(code);
}

/**
 * RFC 6749 §4.1.2.1 and Core §3.1.2.6: the error codes an IdP may answer the authorization request
 * with. One of them is named to the person (it is a word of the protocol); `error_description` and
 * `error_uri` are the IdP's free text and never reach a page, a message or the log.
 */
const AUTHORIZATION_ERRORS: ReadonlySet<string> = new Set([
  'access_denied', 'login_required', 'interaction_required', 'consent_required', 'account_selection_required', 'temporarily_unavailable', 'server_error',
  'invalid_request', 'unauthorized_client', 'unsupported_response_type', 'invalid_scope', 'request_not_supported', 'request_uri_not_supported',
  'invalid_request_uri', 'invalid_request_object', 'registration_not_supported',
]);

function publicRefusal(e: unknown): string | undefined {
  if (!(e instanceof oidc.AuthorizationResponseError)) return undefined;
  const named = AUTHORIZATION_ERRORS.has(e.error) ? ` (${e.error})` : '';
  return `The identity provider did not sign you in${named}; start again, or ask your administrator.`;
}

interface LinkedMember {
  memberId: string;
  status: string;
  linkedBy?: 'email';
}

async function linkedMember(tx: Tx, issuer: string, subject: string): Promise<LinkedMember | null> {
  const { rows } = await tx.query<{ member_id: string; status: string }>(
    'SELECT i.member_id, m.status FROM sso_identities i JOIN members m ON m.id = i.member_id WHERE i.issuer = $1 AND i.subject = $2', [issuer, subject]);
  return rows[0] ? { memberId: rows[0].member_id, status: rows[0].status } : null;
}

/** Whether a session is live now (held until commit, so that a revocation waits for the link or step-up it started). */
async function sessionLives(tx: Tx, sessionId: string, now: Date): Promise<boolean> {
  const { rowCount } = await tx.query(
    `SELECT 1 FROM sessions s JOIN members m ON m.id = s.member_id
      WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND s.last_seen_at + make_interval(secs => s.idle_timeout_seconds) > $2
        AND m.status IN ('active', 'restricted') FOR SHARE OF s`, [sessionId, now]);
  return rowCount > 0;
}

async function hasLinkAt(tx: Tx, memberId: string, issuer: string): Promise<boolean> {
  const { rowCount } = await tx.query('SELECT 1 FROM sso_identities WHERE member_id = $1 AND issuer = $2', [memberId, issuer]);
  return rowCount > 0;
}

/**
 * The first link by e-mail (R-AUTHN-2), only when the tenant marked the issuer e-mail-authoritative,
 * the IdP says the address is verified (`email_verified`, in the ID token or its UserInfo), the issuer
 * is not multi-tenant, and the member has no link at this issuer yet (so another IdP account with the
 * same address never takes a member over).
 */
async function memberByEmail(tx: Tx, provider: SsoProvider, claim: EmailClaim | null): Promise<LinkedMember | null> {
  if (provider.linkBy !== 'email' || isMultiTenantIssuer(provider.issuer)) return null;
  if (!claim?.isVerified) return null;
  // The one normal form (identity/email.ts): the IdP's spelling of the address finds the member whatever
  // its case or compatibility forms, and an address with invisible or look-alike characters finds no one.
  const email = emailRefusal(claim.email);
  if (typeof email === 'string') return null;
  const { rows } = await tx.query<{ id: string; status: string }>('SELECT id, status FROM members WHERE email = $1', [email.email]);
  const m = rows[0];
  if (!m || await hasLinkAt(tx, m.id, provider.issuer)) return null;
  return { memberId: m.id, status: m.status, linkedBy: 'email' };
}

async function insertLink(tx: Tx, tenantId: string, memberId: string, issuer: string, subject: string, linkedBy: 'email' | 'step_up', now: Date): Promise<void> {
  await tx.query('INSERT INTO sso_identities (tenant_id, member_id, issuer, subject, linked_by, linked_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [tenantId, memberId, issuer, subject, linkedBy, now]);
}
