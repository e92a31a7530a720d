import { createHash, randomUUID } from 'node:crypto';
import { isPhiScope, isRole, WardError, type PersonAuthenticated, type TenantId } from '@ward/contracts';
import { jwtVerify, SignJWT, errors } from 'jose';
import type { Tx } from '../../db/types.ts';
import { TOKEN_SIGNING_ALG, type TokenSigningKeys } from './signing-keys.ts';

/**
 * Delegation (R-WORK-3): a person lets a named AI agent act for them, for one purpose, on one patient
 * or one call. Two tokens, both signed by Ward's token-signing key and told apart by their `typ`:
 *   - the subject token, minted by `delegation.create` through the person's own session: it lives
 *     60 s, names the agent (RFC 8693 §4.4 `may_act`), the person's session (`sid`), the purpose, the
 *     target and a digest of the person's roles and PHI scopes; it is spent once at the token endpoint;
 *   - the `act` token (RFC 8693 §4.1), issued by token exchange to that agent alone (private_key_jwt
 *     and DPoP): at most 15 minutes, bound to the agent's DPoP key, carrying the same claims.
 * Every request with an `act` token reads the person's session again (`readPerson`): the token dies
 * with the session (revoked, signed out, expired or idle) and with any change of the person's roles or
 * scopes (the digest no longer matches).
 */
export const SUBJECT_TOKEN_TYP = 'ward-subject+jwt';
/** RFC 8693 §3: the type of the subject token at the token endpoint. */
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
export const ACCESS_TOKEN_TYPE_URN = 'urn:ietf:params:oauth:token-type:access_token';
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const SUBJECT_TOKEN_SECONDS = 60;
export const ACT_TOKEN_MAX_SECONDS = 900;

export type DelegationTarget = { type: 'Patient' | 'Call'; id: string };

/** What both tokens of a delegation carry besides the standard claims. */
export interface DelegationClaims {
  /** The person (member id). */
  sub: string;
  tid: string;
  /** The person's session: the delegation lives no longer than it. */
  sid: string;
  /** A digest of the person's roles and PHI scopes when they delegated. */
  rh: string;
  /** The purpose of use (HL7 PurposeOfUse code). */
  pou: string;
  tgt: DelegationTarget;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PURPOSE = /^[A-Z][A-Z0-9]{1,15}$/;

/** The person's standing (roles and PHI scopes): any change ends their delegations. */
export function standingDigest(roles: readonly string[], scopes: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([[...roles].sort(), [...scopes].sort()])).digest('base64url');
}

export function isDelegationClaims(c: Record<string, unknown>): c is Record<string, unknown> & DelegationClaims {
  const tgt = c.tgt as { type?: unknown; id?: unknown } | undefined;
  return typeof c.sub === 'string' && UUID.test(c.sub) && typeof c.tid === 'string' && UUID.test(c.tid)
    && typeof c.sid === 'string' && UUID.test(c.sid) && typeof c.rh === 'string' && typeof c.pou === 'string' && PURPOSE.test(c.pou)
    && typeof tgt === 'object' && tgt !== null && (tgt.type === 'Patient' || tgt.type === 'Call') && typeof tgt.id === 'string' && UUID.test(tgt.id);
}

/**
 * The person as their session stands now, read in the tenant's scope: the session is live (not
 * revoked, within its lifetime and idle timeout), the member is active; their roles, PHI scopes and
 * device. Null when any of that fails. The device key is not checked: the person is not the one
 * sending this request.
 */
const READ_PERSON = `
SELECT s.id, s.member_id, s.auth_method, s.amr, s.mfa, s.created_at, s.last_verified_at, s.expires_at,
       d.id AS device_id, d.thumbprint, d.posture,
       ARRAY(SELECT r.role FROM member_roles r WHERE r.member_id = s.member_id ORDER BY r.role) AS roles,
       ARRAY(SELECT p.phi_scope FROM member_phi_scopes p WHERE p.member_id = s.member_id ORDER BY p.phi_scope) AS scopes
  FROM sessions s JOIN members m ON m.id = s.member_id JOIN devices d ON d.id = s.device_id
 WHERE s.id = $1 AND s.member_id = $2 AND s.revoked_at IS NULL AND s.expires_at > $3
   AND s.last_seen_at + make_interval(secs => s.idle_timeout_seconds) > $3 AND m.status = 'active'`;

export interface PersonStanding {
  person: PersonAuthenticated;
  digest: string;
}

export async function readPerson(tx: Tx, tenantId: string, sessionId: string, memberId: string, now: Date): Promise<PersonStanding | null> {
  const { rows } = await tx.query<{
    id: string; member_id: string; auth_method: 'passkey' | 'oidc'; amr: string[]; mfa: boolean; created_at: Date; last_verified_at: Date; expires_at: Date;
    device_id: string; thumbprint: string; posture: 'managed' | 'unmanaged' | 'unknown'; roles: string[]; scopes: string[];
  }>(READ_PERSON, [sessionId, memberId, now]);
  const r = rows[0];
  if (!r) return null;
  const roles = r.roles.filter(isRole);
  const scopes = r.scopes.filter(isPhiScope);
  return {
    digest: standingDigest(r.roles, r.scopes),
    person: {
      principal: { kind: 'human', id: r.member_id, tenantId: tenantId as TenantId, roles, phiScopes: scopes },
      credential: {
        kind: 'session', id: r.id, authMethod: r.auth_method, amr: r.amr, mfa: r.mfa,
        createdAt: r.created_at, lastVerifiedAt: r.last_verified_at, expiresAt: r.expires_at,
      },
      device: { id: r.device_id, thumbprint: r.thumbprint, posture: r.posture },
    },
  };
}

/** The agent a person may name: an active AI agent of their tenant (RLS confines the read to it). */
export async function readDelegableAgent(tx: Tx, clientId: string): Promise<{ id: string; clientId: string } | null> {
  if (!/^wl_[A-Za-z0-9_-]{22}$/.test(clientId)) return null;
  const { rows } = await tx.query<{ id: string; client_id: string }>(
    "SELECT id, client_id FROM workloads WHERE client_id = $1 AND kind = 'ai_agent' AND status = 'active'", [clientId]);
  return rows[0] ? { id: rows[0].id, clientId: rows[0].client_id } : null;
}

export interface SubjectToken {
  subjectToken: string;
  jti: string;
  expiresIn: number;
}

/**
 * Mints the subject token for `who` (a person through their own session; the route's decision on
 * `delegation.create` came first). RFC 8693 §4.4: `may_act` names the one client that may use it.
 */
export async function mintSubjectToken(
  deps: { keys: TokenSigningKeys; issuer: string; tokenEndpoint: string; now: Date },
  who: PersonAuthenticated,
  d: { agentClientId: string; purpose: string; target: DelegationTarget; jti?: string },
): Promise<SubjectToken> {
  if (who.principal.kind !== 'human' || who.credential.kind !== 'session') throw new WardError('FORBIDDEN');
  if (!PURPOSE.test(d.purpose)) throw new WardError('PURPOSE_REQUIRED');
  const key = await deps.keys.active();
  const jti = d.jti ?? randomUUID();
  const iat = Math.floor(deps.now.getTime() / 1000);
  const claims: Omit<DelegationClaims, 'sub'> & { may_act: { sub: string } } = {
    tid: who.principal.tenantId, sid: who.credential.id, rh: standingDigest(who.principal.roles, who.principal.phiScopes),
    pou: d.purpose, tgt: d.target, may_act: { sub: d.agentClientId },
  };
  const subjectToken = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: TOKEN_SIGNING_ALG, typ: SUBJECT_TOKEN_TYP, kid: key.kid })
    .setIssuer(deps.issuer).setSubject(who.principal.id).setAudience(deps.tokenEndpoint)
    .setIssuedAt(iat).setExpirationTime(iat + SUBJECT_TOKEN_SECONDS).setJti(jti)
    .sign(key.privateKey);
  return { subjectToken, jti, expiresIn: SUBJECT_TOKEN_SECONDS };
}

export type SubjectTokenFailure = 'invalid' | 'expired';

/** A subject token Ward minted, not expired; its failure otherwise (the caller answers invalid_grant). */
export async function verifySubjectToken(
  deps: { keys: TokenSigningKeys; issuer: string; tokenEndpoint: string; now: Date },
  token: string,
): Promise<{ ok: true; claims: DelegationClaims & { jti: string; exp: number; may_act: { sub: string } } } | { ok: false; failure: SubjectTokenFailure }> {
  let kid: unknown;
  try {
    ({ kid } = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')) as { kid?: unknown });
  } catch {
    return { ok: false, failure: 'invalid' };
  }
  const key = typeof kid === 'string' && kid.length <= 64 ? await deps.keys.byKid(kid) : undefined;
  if (!key) return { ok: false, failure: 'invalid' };
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [TOKEN_SIGNING_ALG], typ: SUBJECT_TOKEN_TYP, issuer: deps.issuer, audience: deps.tokenEndpoint,
      currentDate: deps.now, requiredClaims: ['exp', 'iat', 'jti', 'sub'],
    });
    const c = payload as Record<string, unknown>;
    const mayAct = c.may_act as { sub?: unknown } | undefined;
    if (!isDelegationClaims(c) || typeof c.jti !== 'string' || typeof mayAct?.sub !== 'string' || (c.exp as number) - (c.iat as number) > SUBJECT_TOKEN_SECONDS) {
      return { ok: false, failure: 'invalid' };
    }
    return { ok: true, claims: c as unknown as DelegationClaims & { jti: string; exp: number; may_act: { sub: string } } };
  } catch (e) {
    return { ok: false, failure: e instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}
