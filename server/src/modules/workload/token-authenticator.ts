import { WardError, type Authenticated, type ErrorCode, type PersonAuthenticated, type TenantId } from '@ward/contracts';
import { errors, jwtVerify } from 'jose';
import type { Authentication, Authenticator } from '../access/index.ts';
import { DPOP_CHALLENGE_ALGS, ProofError } from '../proof/index.ts';
import { isScimPath } from '../provisioning/index.ts';
import { ACCESS_TOKEN_TYPE, oauthEndpoints, type WorkloadAuthDeps } from './authorization-server.ts';
import { TOKEN_SIGNING_ALG } from './signing-keys.ts';
import { workloadScope, type WorkloadState } from './workload-row.ts';
import { AUTH_LOOKUPS } from '../../db/types.ts';
import { isDelegationClaims, readPerson, type DelegationClaims } from './delegation.ts';
import { createVerifiedTokenCache, timeCheck } from './verified-tokens.ts';
import { scopeClaim } from './token-scope.ts';

/**
 * The token link of the authentication chain (DESIGN.md step 1; R-WORK-1, R-WORK-2): Ward as a
 * resource server. A request presents `Authorization: DPoP <access token>` and a DPoP proof; in
 * order, each check refusing with its own code (RFC 9449 §7.1 `WWW-Authenticate` on every refusal):
 *   1. the scheme is DPoP (a Bearer token is refused: BEARER_NOT_ACCEPTED);
 *   2. the token is a JWT Ward signed (kid, ES256, at+jwt, issuer): TOKEN_INVALID; not expired:
 *      TOKEN_EXPIRED; for this resource (RFC 8707, `/v1` or `/mcp`): TOKEN_AUDIENCE_MISMATCH;
 *   3. the proof passes the shared verifier with `ath` and a server nonce, and is signed by the key of
 *      `cnf.jkt`: DPOP_PROOF_REQUIRED, DPOP_NONCE_REQUIRED, DPOP_PROOF_INVALID;
 *   4. one scoped read: the workload is active (WORKLOAD_DISABLED: a disable takes effect on the
 *      next request) and the token is not revoked, nor issued before a client key left the
 *      workload's set (TOKEN_REVOKED); its role and PHI scopes;
 *   5. `settle` spends the proof's jti in the request's transaction (DPOP_PROOF_REPLAYED).
 * An `act` token (RFC 8693, R-WORK-3: an AI agent acting for a person) also reads, in the same
 * transaction as step 4, the person's session as it stands now: revoked, ended, idle, or the person's
 * roles or scopes changed since they delegated, and the token is dead (DELEGATION_ENDED). The
 * principal is then `ai_agent_for_human` with the intersection of both PHI scopes, and the person rides
 * along so that the guard decides every request for both.
 */
const SCHEME = /^(DPoP|Bearer) +([A-Za-z0-9._~+/-]+=*)$/i;

interface AccessClaims {
  jti: string;
  iat: number;
  exp: number;
  aud: string;
  client_id: string;
  tid: string;
  cnf: { jkt: string };
  /** RFC 8693 §4.1: present on an `act` token (an AI agent acting for a person). */
  act?: { sub?: unknown };
  /** The delegation's id (the subject token's jti), on an `act` token. */
  did?: string;
  /** RFC 9068 §2.2.3: the PHI scopes the token was narrowed to at the client's request (token-scope.ts). */
  scope?: string;
}

/**
 * R-WORK-3: the agent acting for the person. Its PHI scopes are the intersection of both (db.scoped
 * narrows row-level security to them); the person, as their session stands now, rides along for the
 * guard's second decision; the purpose and target are the ones the person named.
 */
function actingFor(w: WorkloadState, d: AccessClaims & DelegationClaims, person: PersonAuthenticated, claims: AccessClaims): Authenticated {
  const personScopes = new Set(person.principal.phiScopes);
  return {
    principal: {
      kind: 'ai_agent_for_human', id: w.id, tenantId: person.principal.tenantId, roles: [w.role],
      phiScopes: w.scopes.filter((s) => personScopes.has(s)), onBehalfOf: person.principal.id,
    },
    credential: {
      kind: 'token', id: claims.jti, authMethod: 'token_exchange', amr: ['pop'], mfa: false,
      lastVerifiedAt: new Date(claims.iat * 1000), expiresAt: new Date(claims.exp * 1000), jkt: claims.cnf.jkt,
    },
    delegation: { id: d.did ?? claims.jti, person, purpose: d.pou, target: d.tgt },
  };
}

export function createTokenAuthenticator(deps: WorkloadAuthDeps): Authenticator {
  const endpoints = oauthEndpoints(deps.origin);

  function refusal(code: ErrorCode, error: 'invalid_token' | 'invalid_dpop_proof' | 'use_dpop_nonce', cause?: unknown): WardError {
    const headers: Record<string, string> = { 'www-authenticate': `DPoP error="${error}", ${DPOP_CHALLENGE_ALGS}` };
    if (error !== 'invalid_token') headers['dpop-nonce'] = deps.nonces.current();
    return new WardError(code, undefined, { headers, ...(cause ? { cause } : {}) });
  }

  /** RFC 8707: a token is for the API or for the MCP server, and never serves the other. */
  function audienceFor(url: string): string {
    const path = new URL(url).pathname;
    return path === '/mcp' || path.startsWith('/mcp/') ? endpoints.resources.mcp : endpoints.resources.api;
  }

  // Verified tokens by their text: a workload sends one token for its whole lifetime (verified-tokens.ts).
  const verified = createVerifiedTokenCache<AccessClaims>();

  async function verifyAccessToken(token: string, now: Date): Promise<AccessClaims> {
    const known = verified.get(token);
    if (known) {
      // The key must still be live and the clock still inside nbf..exp, as for a token seen first.
      if (!(await deps.keys.byKid(known.kid))) throw refusal('TOKEN_INVALID', 'invalid_token');
      const time = timeCheck(known.claims, now);
      if (time !== 'ok') throw refusal(time === 'expired' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID', 'invalid_token');
      return known.claims;
    }
    let kid: unknown;
    try {
      ({ kid } = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')) as { kid?: unknown });
    } catch (e) {
      throw refusal('TOKEN_INVALID', 'invalid_token', e);
    }
    const key = typeof kid === 'string' && kid.length <= 64 ? await deps.keys.byKid(kid) : undefined;
    if (!key) throw refusal('TOKEN_INVALID', 'invalid_token');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, key.publicKey, { algorithms: [TOKEN_SIGNING_ALG], typ: ACCESS_TOKEN_TYPE, issuer: endpoints.issuer, currentDate: now, requiredClaims: ['exp', 'iat', 'jti', 'aud'] }));
    } catch (e) {
      throw refusal(e instanceof errors.JWTExpired ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID', 'invalid_token', e);
    }
    const c = payload as Partial<AccessClaims>;
    if (typeof c.client_id !== 'string' || typeof c.tid !== 'string' || typeof c.jti !== 'string' || typeof c.cnf?.jkt !== 'string' || typeof c.aud !== 'string' || scopeClaim(c.scope) === undefined) {
      throw refusal('TOKEN_INVALID', 'invalid_token');
    }
    verified.put(token, key.kid, c as AccessClaims);
    return c as AccessClaims;
  }

  function proofRefusal(e: unknown): unknown {
    if (!(e instanceof ProofError)) return e;
    if (e.reason === 'missing') return refusal('DPOP_PROOF_REQUIRED', 'invalid_dpop_proof', e);
    if (e.reason === 'nonce') return refusal('DPOP_NONCE_REQUIRED', 'use_dpop_nonce', e);
    return refusal('DPOP_PROOF_INVALID', 'invalid_dpop_proof', e);
  }

  async function authenticate(req: Parameters<Authenticator['authenticate']>[0]): Promise<Authentication> {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? SCHEME.exec(header) : null;
    if (!match) throw refusal('TOKEN_INVALID', 'invalid_token');
    if (match[1]!.toLowerCase() === 'bearer') throw refusal('BEARER_NOT_ACCEPTED', 'invalid_token');
    const token = match[2]!;
    const now = deps.clock.now();
    // The token's and the proof's signatures are verified at once (both off the main thread), and the
    // workload's state is read while the proof is checked; nothing is used before its own check passed,
    // and the refusals keep their order: token, audience, proof, binding, then the state.
    const proofPending = deps.proofs.verify(req.headers.dpop, { method: req.method, url: req.url, accessToken: token });
    proofPending.catch(() => {}); // awaited below, once the token is known good
    const claims = await verifyAccessToken(token, now);
    if (claims.aud !== audienceFor(req.url)) throw refusal('TOKEN_AUDIENCE_MISMATCH', 'invalid_token');
    // Step 4, read for a token Ward signed: one definer statement (0032, 0047), no transaction of its own.
    const tenantId = claims.tid as TenantId;
    const statePending = deps.db.authLookup<WorkloadState>(AUTH_LOOKUPS.workloadState, [claims.client_id, tenantId, claims.jti]);
    statePending.catch(() => {}); // awaited below, once the proof is known good

    let proof;
    try {
      proof = await proofPending;
    } catch (e) {
      throw proofRefusal(e);
    }
    // RFC 9449 §7.1: the proof is signed by the very key the token is bound to.
    if (proof.thumbprint !== claims.cnf.jkt) throw refusal('DPOP_PROOF_INVALID', 'invalid_dpop_proof');

    const delegated = claims.act === undefined ? null : claims as AccessClaims & DelegationClaims;
    if (delegated && (!isDelegationClaims(delegated as unknown as Record<string, unknown>) || typeof delegated.did !== 'string' || delegated.act?.sub !== claims.client_id || delegated.tid !== claims.tid)) throw refusal('TOKEN_INVALID', 'invalid_token');
    // An `act` token also reads the person's session, in a scoped transaction (the rarer path).
    const [live] = await statePending;
    // A token narrowed by `scope` reads only those of the workload's grants (which still count as they stand now).
    const narrowedTo = scopeClaim(claims.scope);
    const w = live && narrowedTo ? { ...live, scopes: live.scopes.filter((s) => narrowedTo.includes(s)) } : live;
    const standing = delegated && w
      ? await deps.db.scoped(workloadScope(tenantId, { id: w.id, kind: w.kind }), (tx) => readPerson(tx, tenantId, delegated.sid, delegated.sub, now))
      : null;
    if (!w || (delegated && w.kind !== 'ai_agent')) throw refusal('TOKEN_INVALID', 'invalid_token');
    // A client key removed since the token was issued (0116) may have been the one that obtained it: the
    // token dies with it (iat has whole seconds, so one issued in the removal's second dies too).
    const keyRemoved = w.keys_removed_at !== null && claims.iat * 1000 <= new Date(w.keys_removed_at).getTime();
    const refused = w.status !== 'active' ? 'WORKLOAD_DISABLED'
      : w.is_revoked || keyRemoved ? 'TOKEN_REVOKED'
      : delegated && (!standing || standing.digest !== delegated.rh) ? 'DELEGATION_ENDED'
      : null;
    if (refused) {
      // R-AUDIT-1: the refusal of a known workload is recorded in its tenant.
      const reason = refused === 'DELEGATION_ENDED' ? (standing ? 'person_roles_changed' : 'person_session_ended')
        : refused === 'TOKEN_REVOKED' && !w.is_revoked ? 'client_key_removed' : refused.toLowerCase();
      const actorKind = delegated ? 'ai_agent_for_human' : w.kind;
      await deps.db.scoped({ tenantId, phiScopes: [], actorId: w.id, actorKind }, (tx) => deps.audit.append(tx, {
        tenantId, actorKind, actorId: w.id, onBehalfOf: delegated?.sub ?? null, sessionId: delegated?.sid ?? null, sourceIp: req.sourceIp,
        action: 'workload.request.refused', targetType: 'workload', targetId: w.id, outcome: 'denied', reasons: [reason], metadata: { jti: claims.jti },
      }));
      throw refusal(refused, 'invalid_token');
    }
    const authenticated = delegated && standing ? actingFor(w, delegated, standing.person, claims) : {
      principal: { kind: w.kind, id: w.id, tenantId, roles: [w.role], phiScopes: w.scopes },
      credential: {
        kind: 'token', id: claims.jti, authMethod: 'client_credentials', amr: ['pop'], mfa: false,
        lastVerifiedAt: new Date(claims.iat * 1000), expiresAt: new Date(claims.exp * 1000), jkt: claims.cnf.jkt,
      },
    } satisfies Authenticated;
    const spent = proof;
    return {
      authenticated,
      // RFC 9449 §9: the next nonce rides on every answer, so a client never needs a refusal to learn it.
      answerHeaders: { 'dpop-nonce': deps.nonces.current() },
      async settle(tx) {
        try {
          await deps.replays.spend(tx, spent, now);
        } catch (e) {
          throw e instanceof ProofError ? refusal('DPOP_PROOF_REPLAYED', 'invalid_dpop_proof', e) : e;
        }
      },
    };
  }

  return {
    credential: 'token',
    // /scim/v2 belongs to the SCIM client's bearer token (modules/provisioning); a workload token is never good there.
    presents: (req) => typeof req.headers.authorization === 'string' && /^(dpop|bearer) /i.test(req.headers.authorization) && !isScimPath(req.url),
    authenticate,
  };
}
