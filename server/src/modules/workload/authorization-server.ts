import { createHash, randomUUID } from 'node:crypto';
import { PHI_SCOPES, WardError, type TenantId } from '@ward/contracts';
import { compactVerify, decodeJwt, SignJWT, type JSONWebKeySet } from 'jose';
import { AUTH_LOOKUPS, type Db, type Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { PROOF_ALGORITHMS, ProofError, type NonceSource, type ProofVerifier, type ReplayStore, type VerifiedProof } from '../proof/index.ts';
import { sourceKey, type RateLimiter } from '../sessions/index.ts';
import { ASSERTION_TYPE, verifyClientAssertion, type VerifiedAssertion } from './client-assertion.ts';
import { CLIENT_ASSERTION_ALGORITHMS } from './jwks.ts';
import { OAuthError } from './oauth-error.ts';
import { grantScope, type GrantedScope } from './token-scope.ts';
import { MAX_TOKEN_SECONDS, TOKEN_SIGNING_ALG, type TokenSigningKeys } from './signing-keys.ts';
import { readWorkload, workloadScope, type WorkloadRow } from './workload-row.ts';
import {
  ACCESS_TOKEN_TYPE_URN, ACT_TOKEN_MAX_SECONDS, JWT_TOKEN_TYPE, readPerson, TOKEN_EXCHANGE_GRANT, verifySubjectToken,
} from './delegation.ts';

/**
 * Ward as an OAuth 2.0 authorization server for its workloads (R-WORK-1, R-WORK-2):
 *   - client authentication by `private_key_jwt` only (RFC 7523 §2.2, RFC 7521 §4.2): no secrets;
 *   - the `client_credentials` grant (RFC 6749 §4.4) for a resource named by RFC 8707 `resource`;
 *   - access tokens are JWTs (RFC 9068) signed by Ward with `kid`, bound to the DPoP key (RFC 9449
 *     §6: `cnf.jkt`), 10 minutes by default, never longer than the workload's ceiling or 24 hours;
 *   - revocation (RFC 7009);
 *   - token exchange (RFC 8693) of a person's subject token by the AI agent it names, for an `act`
 *     token (R-WORK-3, delegation.ts).
 * Errors are OAuth's own (`{error, error_description}`, RFC 6749 §5.2), not Ward's error body.
 */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const DEFAULT_TOKEN_SECONDS = 600;
export { OAuthError };

export interface OAuthEndpoints {
  issuer: string;
  /** Answers every request with an error (no response type is served); listed for clients that require it. */
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  jwksUri: string;
  /** RFC 8707: the resources a token may be for; never interchangeable. */
  resources: { api: string; mcp: string };
}

export function oauthEndpoints(origin: URL): OAuthEndpoints {
  const issuer = origin.origin;
  return {
    issuer,
    authorizationEndpoint: `${issuer}/oauth/authorize`,
    tokenEndpoint: `${issuer}/oauth/token`,
    revocationEndpoint: `${issuer}/oauth/revoke`,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    resources: { api: `${issuer}/v1`, mcp: `${issuer}/mcp` },
  };
}

/**
 * RFC 8414 §2. `authorization_endpoint` is optional for a server whose grants never use it, but the MCP
 * SDK's client (and others built on its schema) refuses metadata without one: it is listed, and that
 * endpoint refuses every request (oauth.ts). `response_types_supported` is REQUIRED, so it stays, empty.
 */
export function authorizationServerMetadata(e: OAuthEndpoints): Record<string, unknown> {
  return {
    issuer: e.issuer,
    authorization_endpoint: e.authorizationEndpoint,
    token_endpoint: e.tokenEndpoint,
    revocation_endpoint: e.revocationEndpoint,
    jwks_uri: e.jwksUri,
    grant_types_supported: ['client_credentials', TOKEN_EXCHANGE_GRANT],
    response_types_supported: [],
    scopes_supported: [...PHI_SCOPES],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGORITHMS],
    revocation_endpoint_auth_methods_supported: ['private_key_jwt'],
    revocation_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGORITHMS],
    dpop_signing_alg_values_supported: [...PROOF_ALGORITHMS],
    authorization_response_iss_parameter_supported: false,
  };
}

export interface TokenResponse {
  access_token: string;
  token_type: 'DPoP';
  expires_in: number;
  /** RFC 8693 §2.2.1: present on a token exchange. */
  issued_token_type?: string;
  /** RFC 6749 §5.1: what the token grants, when the client asked for a scope (token-scope.ts). */
  scope?: string;
}

export interface AuthorizationServer {
  endpoints: OAuthEndpoints;
  /** POST /oauth/token: `params` is the form; `dpop` the DPoP header. */
  token(params: Map<string, string>, dpop: string | string[] | undefined, sourceIp: string): Promise<TokenResponse>;
  /** The DPoP nonce to hand out now (RFC 9449 §8). */
  currentNonce(): string;
  /** POST /oauth/revoke (RFC 7009 §2.1). */
  revoke(params: Map<string, string>, sourceIp: string): Promise<void>;
}

interface AuthenticatedClient {
  tenantId: TenantId;
  workload: WorkloadRow;
  /** The assertion's id, spent in the issuing transaction (RFC 7523 §3 item 7). */
  assertion: VerifiedAssertion;
}

/** What both faces of Ward's OAuth role need: the authorization server and the resource server's token link. */
export interface WorkloadAuthDeps {
  db: Db;
  audit: AuditLog;
  clock: { now(): Date };
  origin: URL;
  keys: TokenSigningKeys;
  /** The shared proof verifier (RFC 9449), here with server nonces. */
  proofs: ProofVerifier;
  nonces: NonceSource;
  replays: ReplayStore;
  /**
   * R-MON-1: requests to /oauth/token and /oauth/revoke per source address, and per client_id once
   * its assertion verifies (a forged one naming the client counts against the address only), shared
   * by every server (PostgreSQL).
   */
  tokenLimits?: { perIp: RateLimiter; perClient: RateLimiter };
}

/** Per minute: a workload needs a token every 10 minutes and an exchange per delegation. */
export const TOKEN_REQUESTS_PER_IP_PER_MINUTE = 300;
export const TOKEN_REQUESTS_PER_CLIENT_PER_MINUTE = 60;

export function createAuthorizationServer(deps: WorkloadAuthDeps): AuthorizationServer {
  const endpoints = oauthEndpoints(deps.origin);
  const nonceHeader = () => ({ 'dpop-nonce': deps.nonces.current() });

  async function refuseClient(tenantId: string, w: WorkloadRow, reason: string, sourceIp: string): Promise<never> {
    // R-AUDIT-1: a refused authentication of a known workload is recorded in its tenant.
    await deps.db.scoped(workloadScope(tenantId, w), (tx) => deps.audit.append(tx, {
      tenantId, actorKind: w.kind, actorId: w.id, sourceIp, action: 'workload.token.refused', targetType: 'workload', targetId: w.id, outcome: 'denied', reasons: [reason],
    }));
    throw new OAuthError('invalid_client', 'Client authentication failed.', 401);
  }

  /**
   * One hit on a rate limit; past it, OAuth's own error format (RFC 6749 §5.2) with HTTP 429 and
   * `slow_down` (the extension error of RFC 8628 §3.5 for a client that asks too often) and Retry-After.
   */
  async function throttle(limiter: RateLimiter | undefined, key: string): Promise<void> {
    if (!limiter) return;
    try {
      await limiter.hit(key);
    } catch (e) {
      if (e instanceof WardError && e.code === 'RATE_LIMITED') throw new OAuthError('slow_down', 'Too many requests; retry after the time in Retry-After.', 429, { 'retry-after': '60' }, { cause: e });
      throw e;
    }
  }

  /** RFC 7523 §3: the assertion, its signature by one of the workload's registered keys, aud, exp, jti (client-assertion.ts). */
  async function authenticateClient(params: Map<string, string>, sourceIp: string, audiences: string[]): Promise<AuthenticatedClient> {
    await throttle(deps.tokenLimits?.perIp, sourceKey(sourceIp));
    if (params.get('client_assertion_type') !== ASSERTION_TYPE || !params.get('client_assertion')) {
      throw new OAuthError('invalid_client', 'Ward authenticates clients by private_key_jwt only.', 401);
    }
    const assertion = params.get('client_assertion')!;
    let clientId: string;
    try {
      const claims = decodeJwt(assertion);
      clientId = String(claims.sub ?? '');
    } catch (e) {
      throw new OAuthError('invalid_client', 'The client assertion is not a JWT.', 401, {}, { cause: e });
    }
    if (!/^wl_[A-Za-z0-9_-]{22}$/.test(clientId) || (params.has('client_id') && params.get('client_id') !== clientId)) {
      throw new OAuthError('invalid_client', 'Client authentication failed.', 401);
    }
    const [found] = await deps.db.authLookup<{ tenant_id: string; workload_id: string }>(AUTH_LOOKUPS.workload, [clientId]);
    if (!found) throw new OAuthError('invalid_client', 'Client authentication failed.', 401);
    const tenantId = found.tenant_id as TenantId;
    const w = await deps.db.scoped(workloadScope(tenantId, { id: found.workload_id, kind: 'service' }), (tx) => readWorkload(tx, clientId, null));
    if (!w) throw new OAuthError('invalid_client', 'Client authentication failed.', 401);
    if (w.status !== 'active') return refuseClient(tenantId, w, 'workload_disabled', sourceIp);
    // R-GOV-5: a locked workload gets no token (every route refuses the ones it holds) until a second person unlocks it.
    if (w.is_locked) return refuseClient(tenantId, w, 'locked:workload', sourceIp);
    // RFC 7523 §3 item 3: the issuer identifier (also as a URL with its root path, as clients that parse
    // it write it) or the endpoint's URL; each names Ward and nothing else.
    const checked = await verifyClientAssertion(assertion, { clientId, jwks: w.jwks as JSONWebKeySet, audiences: [...audiences, `${endpoints.issuer}/`], now: deps.clock.now() });
    if (!checked.ok) return refuseClient(tenantId, w, 'client_assertion_invalid', sourceIp).catch((x) => { throw Object.assign(x, { cause: checked.cause }); });
    // Counted once the assertion verifies: a client_id is no secret, and assertions anyone can forge
    // must not use up the workload's own limit (the per-address limit above bounds those).
    await throttle(deps.tokenLimits?.perClient, `client:${clientId}`);
    return { tenantId, workload: w, assertion: checked.assertion };
  }

  async function verifyProof(dpop: string | string[] | undefined): Promise<VerifiedProof> {
    try {
      return await deps.proofs.verify(dpop, { method: 'POST', url: endpoints.tokenEndpoint });
    } catch (e) {
      if (!(e instanceof ProofError)) throw e;
      // RFC 9449 §8: the client retries with the nonce it is given.
      if (e.reason === 'nonce') throw new OAuthError('use_dpop_nonce', 'Sign the DPoP proof with the nonce in DPoP-Nonce.', 400, nonceHeader(), { cause: e });
      throw new OAuthError('invalid_dpop_proof', `The DPoP proof is not valid (${e.reason}).`, 400, nonceHeader(), { cause: e });
    }
  }

  async function spendOnce(tx: Tx, id: { replayKey: Buffer; usableUntil: Date }, now: Date, error: OAuthError): Promise<void> {
    try {
      await deps.replays.spend(tx, id, now);
    } catch (e) {
      if (e instanceof ProofError) throw error;
      throw e;
    }
  }

  /**
   * RFC 8707 §2: the token is for the resource asked for, the API by default; never for both. RFC 8693
   * §2.1's `audience` (which some clients send with client_credentials too) may name the same resource:
   * one that is not Ward's, or that differs from `resource`, is invalid_target (§2.2.2).
   */
  function resourceOf(params: Map<string, string>): string {
    const audience = params.get('audience');
    const resource = params.get('resource') ?? audience ?? endpoints.resources.api;
    if (resource !== endpoints.resources.api && resource !== endpoints.resources.mcp) throw new OAuthError('invalid_target', 'The resource is not one Ward serves.');
    if (audience !== undefined && audience !== resource) throw new OAuthError('invalid_target', 'The audience is not the resource asked for.');
    return resource;
  }

  /** The token's claims and the response's field for what `scope` granted (token-scope.ts). */
  const scopeClaims = (g: GrantedScope): { scope?: string } => (g.narrowedTo ? { scope: g.narrowedTo.join(' ') } : {});
  const scopeField = (g: GrantedScope): { scope?: string } => (g.response !== undefined ? { scope: g.response } : {});

  async function token(params: Map<string, string>, dpop: string | string[] | undefined, sourceIp: string): Promise<TokenResponse> {
    const grantType = params.get('grant_type');
    // RFC 6749 §5.2: a missing required parameter is invalid_request; an unknown grant, unsupported_grant_type.
    if (grantType === undefined) throw new OAuthError('invalid_request', 'The grant_type parameter is missing.');
    if (grantType === TOKEN_EXCHANGE_GRANT) return exchange(params, dpop, sourceIp);
    if (grantType !== 'client_credentials') throw new OAuthError('unsupported_grant_type', 'Ward issues tokens for client_credentials and token exchange.');
    const client = await authenticateClient(params, sourceIp, [endpoints.issuer, endpoints.tokenEndpoint]);
    const proof = await verifyProof(dpop);
    const resource = resourceOf(params);
    const w = client.workload;
    const granted = grantScope(params.get('scope'), w.scopes);
    const now = deps.clock.now();
    const lifetimeSeconds = Math.min(DEFAULT_TOKEN_SECONDS, w.max_token_seconds, MAX_TOKEN_SECONDS);
    const key = await deps.keys.active();
    const jti = randomUUID();
    const iat = Math.floor(now.getTime() / 1000);
    const accessToken = await new SignJWT({ client_id: w.client_id, tid: client.tenantId, ...scopeClaims(granted), cnf: { jkt: proof.thumbprint } })
      .setProtectedHeader({ alg: TOKEN_SIGNING_ALG, typ: ACCESS_TOKEN_TYPE, kid: key.kid })
      .setIssuer(endpoints.issuer).setSubject(w.client_id).setAudience(resource)
      .setIssuedAt(iat).setExpirationTime(iat + lifetimeSeconds).setJti(jti)
      .sign(key.privateKey);
    await deps.db.scoped(workloadScope(client.tenantId, w), async (tx) => {
      await spendOnce(tx, client.assertion, now, new OAuthError('invalid_client', 'The client assertion was already used.', 401));
      await spendOnce(tx, proof, now, new OAuthError('invalid_dpop_proof', 'The DPoP proof was already used.', 400, nonceHeader()));
      // R-GOV-2: the last token use, which the inactivity rule reads.
      await tx.query('UPDATE workloads SET last_used_at = $2 WHERE id = $1', [w.id, now]);
      await deps.audit.append(tx, {
        tenantId: client.tenantId, actorKind: w.kind, actorId: w.id, sourceIp, action: 'workload.token.issue', targetType: 'workload', targetId: w.id,
        outcome: 'success', metadata: { jti, audience: resource, expiresIn: lifetimeSeconds, jkt: proof.thumbprint, kid: key.kid, ...(granted.narrowedTo ? { scope: granted.narrowedTo.join(' ') } : {}) },
      });
    });
    return { access_token: accessToken, token_type: 'DPoP', expires_in: lifetimeSeconds, ...scopeField(granted) };
  }

  /**
   * RFC 8693 token exchange (R-WORK-3): the AI agent named by a person's subject token (`may_act`),
   * authenticated by private_key_jwt and DPoP, gets an `act` token for at most 15 minutes, bound to
   * its DPoP key. Refused (`invalid_grant`, audited) when the subject token is not Ward's, has expired,
   * names another agent, was used before, or when the person's session has ended or their roles or
   * scopes changed since they delegated.
   */
  async function exchange(params: Map<string, string>, dpop: string | string[] | undefined, sourceIp: string): Promise<TokenResponse> {
    const client = await authenticateClient(params, sourceIp, [endpoints.issuer, endpoints.tokenEndpoint]);
    const proof = await verifyProof(dpop);
    const resource = resourceOf(params);
    const subjectToken = params.get('subject_token');
    if (!subjectToken || params.get('subject_token_type') !== JWT_TOKEN_TYPE) {
      throw new OAuthError('invalid_request', `A token exchange takes a subject_token of type ${JWT_TOKEN_TYPE}.`);
    }
    // RFC 8693 §2.1: the actor is the authenticated client itself; a separate actor token is not taken.
    if (params.has('actor_token')) throw new OAuthError('invalid_request', 'The actor is the authenticated client: send no actor_token.');
    const requested = params.get('requested_token_type');
    if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE_URN) throw new OAuthError('invalid_request', 'Ward exchanges for access tokens only.');
    const now = deps.clock.now();
    const w = client.workload;
    const granted = grantScope(params.get('scope'), w.scopes);
    const tenantId = client.tenantId;
    const refuse = async (reason: string, forPerson?: { sub: string; sid: string }): Promise<never> => {
      // R-AUDIT-1: a refused exchange is in the trail, as the agent's (for the person, once it is known).
      const actorKind = forPerson ? 'ai_agent_for_human' : w.kind;
      await deps.db.scoped({ tenantId, phiScopes: [], actorId: w.id, actorKind }, (tx) => deps.audit.append(tx, {
        tenantId, actorKind, actorId: w.id, onBehalfOf: forPerson?.sub ?? null, sessionId: forPerson?.sid ?? null, sourceIp,
        action: 'workload.token.exchange', targetType: 'workload', targetId: w.id, outcome: 'denied', reasons: [reason],
      }));
      throw new OAuthError('invalid_grant', 'The subject token cannot be exchanged.');
    };
    if (w.kind !== 'ai_agent') return refuse('not_an_ai_agent');
    const verified = await verifySubjectToken({ keys: deps.keys, issuer: endpoints.issuer, tokenEndpoint: endpoints.tokenEndpoint, now }, subjectToken);
    if (!verified.ok) return refuse(`subject_token_${verified.failure}`);
    const c = verified.claims;
    // RFC 8693 §4.4: only the agent the person named may use the subject token.
    if (c.may_act.sub !== w.client_id || c.tid !== tenantId) return refuse('other_agent');
    const person = { sub: c.sub, sid: c.sid };
    const key = await deps.keys.active();
    const jti = randomUUID();
    const iat = Math.floor(now.getTime() / 1000);
    const subjectSpend = { replayKey: createHash('sha256').update(`subject-token:${c.jti}`).digest(), usableUntil: new Date(c.exp * 1000) };
    const issued = await deps.db.scoped({ tenantId, phiScopes: [], actorId: w.id, actorKind: 'ai_agent_for_human' }, async (tx) => {
      const standing = await readPerson(tx, tenantId, c.sid, c.sub, now);
      if (!standing) return 'person_session_ended';
      if (standing.digest !== c.rh) return 'person_roles_changed';
      try {
        await deps.replays.spend(tx, subjectSpend, now);
      } catch (e) {
        if (e instanceof ProofError) return 'subject_token_used';
        throw e;
      }
      // The token lives no longer than the person's session can (its idle timeout is checked live).
      const untilSessionEnds = Math.floor((standing.person.credential.expiresAt.getTime() - now.getTime()) / 1000);
      const lifetimeSeconds = Math.min(ACT_TOKEN_MAX_SECONDS, w.max_token_seconds, MAX_TOKEN_SECONDS, untilSessionEnds);
      if (lifetimeSeconds < 1) return 'person_session_ended';
      await spendOnce(tx, client.assertion, now, new OAuthError('invalid_client', 'The client assertion was already used.', 401));
      await spendOnce(tx, proof, now, new OAuthError('invalid_dpop_proof', 'The DPoP proof was already used.', 400, nonceHeader()));
      const accessToken = await new SignJWT({
        client_id: w.client_id, tid: tenantId, sid: c.sid, rh: c.rh, pou: c.pou, tgt: c.tgt, did: c.jti, ...scopeClaims(granted),
        act: { sub: w.client_id }, cnf: { jkt: proof.thumbprint },
      })
        .setProtectedHeader({ alg: TOKEN_SIGNING_ALG, typ: ACCESS_TOKEN_TYPE, kid: key.kid })
        .setIssuer(endpoints.issuer).setSubject(c.sub).setAudience(resource)
        .setIssuedAt(iat).setExpirationTime(iat + lifetimeSeconds).setJti(jti)
        .sign(key.privateKey);
      await deps.audit.append(tx, {
        tenantId, actorKind: 'ai_agent_for_human', actorId: w.id, onBehalfOf: c.sub, sessionId: c.sid, sourceIp, action: 'workload.token.exchange',
        targetType: c.tgt.type.toLowerCase(), targetId: c.tgt.id, outcome: 'success',
        metadata: { jti, delegation: c.jti, audience: resource, expiresIn: lifetimeSeconds, jkt: proof.thumbprint, kid: key.kid, purpose: c.pou },
      });
      return { accessToken, lifetimeSeconds };
    });
    if (typeof issued === 'string') return refuse(issued, person);
    return { access_token: issued.accessToken, token_type: 'DPoP', expires_in: issued.lifetimeSeconds, issued_token_type: ACCESS_TOKEN_TYPE_URN, ...scopeField(granted) };
  }

  async function revoke(params: Map<string, string>, sourceIp: string): Promise<void> {
    const client = await authenticateClient(params, sourceIp, [endpoints.issuer, endpoints.tokenEndpoint, endpoints.revocationEndpoint]);
    const token = params.get('token');
    if (!token) throw new OAuthError('invalid_request', 'The token to revoke is missing.');
    const claims = await verifyOwnToken(deps.keys, endpoints.issuer, token);
    // RFC 7009 §2.2: an invalid or unknown token is answered like a revoked one.
    if (!claims) return;
    if (claims.client_id !== client.workload.client_id || claims.tid !== client.tenantId) {
      throw new OAuthError('unauthorized_client', 'The token was not issued to this client.');
    }
    const now = deps.clock.now();
    await deps.db.scoped(workloadScope(client.tenantId, client.workload), async (tx) => {
      await spendOnce(tx, client.assertion, now, new OAuthError('invalid_client', 'The client assertion was already used.', 401));
      const { rowCount } = await tx.query(
        'INSERT INTO workload_token_revocations (tenant_id, jti, workload_id, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (jti) DO NOTHING',
        [client.tenantId, claims.jti, client.workload.id, new Date(claims.exp * 1000), now]);
      if (rowCount) {
        await deps.audit.append(tx, {
          tenantId: client.tenantId, actorKind: client.workload.kind, actorId: client.workload.id, sourceIp, action: 'workload.token.revoke',
          targetType: 'workload', targetId: client.workload.id, outcome: 'success', metadata: { jti: claims.jti },
        });
      }
    });
  }

  return { endpoints, token, revoke, currentNonce: () => deps.nonces.current() };
}

/** A token Ward signed (expired or not), for revocation; null when it is not one. */
async function verifyOwnToken(keys: TokenSigningKeys, issuer: string, token: string): Promise<{ jti: string; exp: number; client_id: string; tid: string } | null> {
  try {
    const { kid } = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown };
    const key = typeof kid === 'string' ? await keys.byKid(kid) : undefined;
    if (!key) return null;
    // Signature and issuer only: an expired token may still be revoked (nothing happens, it is dead).
    const { payload, protectedHeader } = await compactVerify(token, key.publicKey, { algorithms: [TOKEN_SIGNING_ALG] });
    if (protectedHeader.typ !== ACCESS_TOKEN_TYPE) return null;
    const { jti, exp, client_id: clientId, tid, iss } = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    if (iss !== issuer) return null;
    if (typeof jti !== 'string' || typeof exp !== 'number' || typeof clientId !== 'string' || typeof tid !== 'string') return null;
    return { jti, exp, client_id: clientId, tid };
  } catch {
    return null;
  }
}
