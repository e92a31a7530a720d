import { isPhiScope, isRole, WardError, type Authenticated, type AuthRequest, type Authenticator, type DevicePosture, type TenantId } from '@ward/contracts';
import type { Clock } from '../../deps.ts';
import { AUTH_LOOKUPS, type Db, type DataScope, type Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/append.ts';
import { ProofError, type ProofFailure, type ProofVerifier, type ReplayStore, type VerifiedProof } from '../proof/index.ts';
import { readSessionCookie } from './cookie.ts';
import { secretHash } from './secrets.ts';

/**
 * The Authenticator (DESIGN.md step 1) for browser sessions (R-SESS-1, R-SESS-4): the cookie names a
 * live session row, the request's device proof is signed by the key that session is bound to, the
 * session is within its absolute lifetime and idle timeout, and its member is active. The idle timer
 * slides in the same statement that checks everything and loads the member's roles and PHI-scope
 * grants: one lookup by hash, then one scoped statement. Anything else refuses (fail closed), and a
 * refusal of a known session is audited with its reason.
 */
const AUTHENTICATE = `
UPDATE sessions s SET last_seen_at = $2
  FROM members m, devices d
 WHERE s.id = $1 AND m.id = s.member_id AND d.id = s.device_id
   AND s.revoked_at IS NULL AND s.expires_at > $2
   AND s.last_seen_at + make_interval(secs => s.idle_timeout_seconds) > $2
   AND d.thumbprint = $3 AND m.status IN ('active', 'restricted')
RETURNING s.id, s.member_id, s.auth_method, s.amr, s.mfa, s.created_at, s.last_verified_at, s.expires_at,
          s.idle_timeout_seconds, m.status, d.id AS device_id, d.thumbprint, d.posture,
          ARRAY(SELECT r.role FROM member_roles r WHERE r.member_id = s.member_id ORDER BY r.role) AS roles,
          ARRAY(SELECT p.phi_scope FROM member_phi_scopes p WHERE p.member_id = s.member_id ORDER BY p.phi_scope) AS scopes`;

const DIAGNOSE = `
SELECT s.revoked_at IS NOT NULL AS is_revoked, s.expires_at <= $2 AS is_expired,
       s.last_seen_at + make_interval(secs => s.idle_timeout_seconds) <= $2 AS is_idle,
       d.thumbprint IS DISTINCT FROM $3 AS is_other_device, m.status NOT IN ('active', 'restricted') AS is_inactive,
       s.device_id
  FROM sessions s JOIN members m ON m.id = s.member_id LEFT JOIN devices d ON d.id = s.device_id
 WHERE s.id = $1`;

interface SessionRow {
  id: string;
  member_id: string;
  auth_method: 'passkey' | 'oidc';
  amr: string[];
  mfa: boolean;
  created_at: Date;
  last_verified_at: Date;
  expires_at: Date;
  idle_timeout_seconds: number;
  status: string;
  device_id: string;
  thumbprint: string;
  posture: DevicePosture;
  roles: string[];
  scopes: string[];
}

export interface SessionAuthenticator extends Authenticator {
  /** Like authenticate, but throws UNAUTHENTICATED or DEVICE_PROOF_INVALID instead of returning null. */
  authenticateOrThrow(req: AuthRequest): Promise<Authenticated>;
}

export function memberScope(tenantId: string, memberId: string): DataScope {
  return { tenantId, phiScopes: [], actorId: memberId, actorKind: 'human' };
}

export function createSessionAuthenticator(deps: { db: Db; audit: AuditLog; clock: Clock; origin: URL; proofs: ProofVerifier; replays: ReplayStore }): SessionAuthenticator {
  async function refuse(tx: Tx, tenantId: string, memberId: string, sessionId: string, req: AuthRequest, reason: string, deviceId: string | null): Promise<void> {
    await deps.audit.append(tx, {
      tenantId, actorKind: 'human', actorId: memberId, sessionId, deviceId, sourceIp: req.sourceIp,
      action: 'session.refused', targetType: 'session', targetId: sessionId, outcome: 'denied', reasons: [reason],
    });
  }

  async function authenticateOrThrow(req: AuthRequest): Promise<Authenticated> {
    const token = readSessionCookie(deps.origin, req.headers.cookie);
    if (!token) throw new WardError('UNAUTHENTICATED');
    let key: VerifiedProof | null = null;
    let proofFailure: ProofFailure | null = null;
    try {
      key = await deps.proofs.verify(req.headers.dpop, { method: req.method, url: req.url });
    } catch (e) {
      if (!(e instanceof ProofError)) throw e;
      proofFailure = e.reason;
    }
    const [found] = await deps.db.authLookup<{ tenant_id: string; member_id: string; session_id: string }>(AUTH_LOOKUPS.session, [secretHash(token)]);
    if (!found) throw new WardError('UNAUTHENTICATED');
    const scope = memberScope(found.tenant_id, found.member_id);
    const now = deps.clock.now();

    if (key) {
      const proof = key;
      const row = await deps.db.scoped(scope, async (tx) => {
        await deps.replays.spend(tx, proof, now);
        return (await tx.query<SessionRow>(AUTHENTICATE, [found.session_id, now, proof.thumbprint])).rows[0];
      }).catch((e: unknown) => {
        if (!(e instanceof ProofError)) throw e;
        proofFailure = e.reason;
        key = null;
        return undefined;
      });
      if (row) {
        const idleEndsAt = new Date(now.getTime() + row.idle_timeout_seconds * 1000);
        return {
          principal: {
            kind: 'human',
            id: row.member_id,
            tenantId: found.tenant_id as TenantId,
            roles: row.roles.filter(isRole),
            // R-AUTHN-4: a member in the restricted (recovery) state holds no PHI scope.
            phiScopes: row.status === 'active' ? row.scopes.filter(isPhiScope) : [],
          },
          session: {
            id: row.id,
            authMethod: row.auth_method,
            amr: row.amr,
            // R-AUTHN-2: decided by the login method when it issued the session.
            mfa: row.mfa,
            createdAt: row.created_at,
            lastVerifiedAt: row.last_verified_at,
            expiresAt: row.expires_at < idleEndsAt ? row.expires_at : idleEndsAt,
          },
          device: { id: row.device_id, thumbprint: row.thumbprint, posture: row.posture },
        };
      }
    }

    // Refused: record why (R-AUDIT-1, R-MON-1), then answer with little.
    await deps.db.scoped(scope, async (tx) => {
      let reason: string = proofFailure ? `device_proof_${proofFailure}` : 'unknown';
      let deviceId: string | null = null;
      if (!proofFailure) {
        const { rows } = await tx.query<{ is_revoked: boolean; is_expired: boolean; is_idle: boolean; is_other_device: boolean; is_inactive: boolean; device_id: string | null }>(
          DIAGNOSE, [found.session_id, now, key!.thumbprint]);
        const d = rows[0];
        deviceId = d?.device_id ?? null;
        if (!d) reason = 'session_gone';
        else if (d.is_revoked) reason = 'revoked';
        else if (d.is_expired) reason = 'expired';
        else if (d.is_other_device) reason = 'other_device_key';
        else if (d.is_inactive) reason = 'member_inactive';
        else if (d.is_idle) reason = 'idle_timeout';
      }
      await refuse(tx, found.tenant_id, found.member_id, found.session_id, req, reason, deviceId);
    });
    throw new WardError(proofFailure ? 'DEVICE_PROOF_INVALID' : 'UNAUTHENTICATED');
  }

  return {
    authenticateOrThrow,
    async authenticate(req) {
      try {
        return await authenticateOrThrow(req);
      } catch (e) {
        if (e instanceof WardError && e.status === 401) return null;
        throw e;
      }
    },
  };
}

