import { isPhiScope, isRole, WardError, type AuthRequest, type DevicePosture, type PersonAuthenticated, type TenantId } from '@ward/contracts';
import { AUTH_LOOKUPS, type Db, type DataScope, type Tx } from '../../db/types.ts';
import type { Authentication, Authenticator } from '../access/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { ProofError, type ProofFailure, type ProofVerifier, type ReplayStore, type VerifiedProof } from '../proof/index.ts';
import { readSessionCookie, sessionCookieName } from './cookie.ts';
import { secretHash } from './secrets.ts';
import { effectivePosture } from './posture-source.ts';
import { sessionSettings } from './settings.ts';

/**
 * The session link of the authentication chain (DESIGN.md step 1; R-SESS-1, R-SESS-4): the cookie
 * names a live session row, the request's device proof is signed by the key that session is bound
 * to, the session is within its absolute lifetime and idle timeout, its member is active, and no live
 * lock stops its member or device (R-GOV-5, 0039: refused as LOCKED on every route). One
 * definer lookup by the cookie's hash and the proof's key checks all of it and loads the member's
 * roles and PHI scopes (0032: one statement, no transaction of its own). The writes (the proof's jti,
 * the idle timer) are left to `settle`, in the request's own transaction. Anything else refuses (fail
 * closed), and a refusal of a known session is audited.
 */
/**
 * R-SESS-1: the idle timer moves at most every SLIDE_STEP_SECONDS, so that most requests write no
 * session row (and concurrent requests of one session do not queue on its lock); the idle timeout is
 * then at most this much shorter than configured (the minimum configurable is 60 s), never longer.
 */
export const SLIDE_STEP_SECONDS = 15;
const SLIDE = `UPDATE sessions SET last_seen_at = $2
  WHERE id = $1 AND revoked_at IS NULL AND last_seen_at < $2::timestamptz - make_interval(secs => ${SLIDE_STEP_SECONDS})`;

const DIAGNOSE = `
SELECT s.revoked_at IS NOT NULL AS is_revoked, s.expires_at <= $2 AS is_expired,
       s.last_seen_at + make_interval(secs => s.idle_timeout_seconds) <= $2 AS is_idle,
       d.thumbprint IS DISTINCT FROM $3 AS is_other_device, m.status NOT IN ('active', 'restricted') AS is_inactive,
       s.device_id
  FROM sessions s JOIN members m ON m.id = s.member_id LEFT JOIN devices d ON d.id = s.device_id
 WHERE s.id = $1`;

interface SessionRow {
  tenant_id: string;
  id: string;
  member_id: string;
  auth_method: 'passkey' | 'oidc';
  amr: string[];
  mfa: boolean;
  created_at: Date;
  last_verified_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  idle_timeout_seconds: number;
  status: string;
  device_id: string;
  thumbprint: string;
  posture: DevicePosture;
  posture_source: string | null;
  posture_updated_at: Date | null;
  tenant_settings: unknown;
  roles: string[];
  scopes: string[];
  /** 0039: 'member' or 'device' when a live lock stops this session's member or device. */
  locked: string | null;
}

export interface SessionAuthentication extends Authentication {
  authenticated: PersonAuthenticated;
}

export interface SessionAuthenticator extends Authenticator {
  authenticate(req: AuthRequest): Promise<SessionAuthentication>;
}

export function memberScope(tenantId: string, memberId: string): DataScope {
  return { tenantId, phiScopes: [], actorId: memberId, actorKind: 'human' };
}

/** Whether a Cookie header names the session cookie at all (valid or not): the credential is present. */
function hasSessionCookie(origin: URL, header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const name = `${sessionCookieName(origin)}=`;
  return (Array.isArray(header) ? header : [header]).some((line) => line.split(';').some((part) => part.trim().startsWith(name)));
}

export function createSessionAuthenticator(deps: { db: Db; audit: AuditLog; clock: { now(): Date }; origin: URL; proofs: ProofVerifier; replays: ReplayStore }): SessionAuthenticator {
  async function refuse(tx: Tx, tenantId: string, memberId: string, sessionId: string, req: AuthRequest, reason: string, deviceId: string | null): Promise<void> {
    await deps.audit.append(tx, {
      tenantId, actorKind: 'human', actorId: memberId, sessionId, deviceId, sourceIp: req.sourceIp,
      action: 'session.refused', targetType: 'session', targetId: sessionId, outcome: 'denied', reasons: [reason],
    });
  }

  async function authenticate(req: AuthRequest): Promise<SessionAuthentication> {
    const token = readSessionCookie(deps.origin, req.headers.cookie);
    if (!token) throw new WardError('UNAUTHENTICATED');
    const tokenHash = secretHash(token);
    const now = deps.clock.now();
    // The session's state is read by the key the proof names while the proof is verified (one round
    // trip less on the request's path); the row is used only if the proof verifies with that very key.
    const claimed = deps.proofs.claimedThumbprint(req.headers.dpop);
    const statePending = claimed === null ? null : deps.db.authLookup<SessionRow>(AUTH_LOOKUPS.sessionState, [tokenHash, now, claimed]);
    statePending?.catch(() => {}); // awaited below, once the proof is known good
    let proof: VerifiedProof | null = null;
    let proofFailure: ProofFailure | null = null;
    try {
      proof = await deps.proofs.verify(req.headers.dpop, { method: req.method, url: req.url });
    } catch (e) {
      if (!(e instanceof ProofError)) throw e;
      proofFailure = e.reason;
    }

    if (proof) {
      const bound = proof;
      const [row] = statePending !== null && bound.thumbprint === claimed
        ? await statePending
        : await deps.db.authLookup<SessionRow>(AUTH_LOOKUPS.sessionState, [tokenHash, now, bound.thumbprint]);
      if (row?.locked) {
        // R-GOV-5: a locked member or device is refused on every authenticated route, `self` routes
        // included (the guard checks locks again for delegations and workloads), and the refusal is
        // in the trail. The proof is not spent: nothing of the request runs.
        const reason = `locked:${row.locked}`;
        await deps.db.scoped(memberScope(row.tenant_id, row.member_id), (tx) => refuse(tx, row.tenant_id, row.member_id, row.id, req, reason, row.device_id));
        throw new WardError('LOCKED', undefined, { reasons: [reason] });
      }
      if (row) {
        const idleEndsAt = new Date(now.getTime() + row.idle_timeout_seconds * 1000);
        const authenticated: PersonAuthenticated = {
          principal: {
            kind: 'human',
            id: row.member_id,
            tenantId: row.tenant_id as TenantId,
            roles: row.roles.filter(isRole),
            // R-AUTHN-4: a member in the restricted (recovery) state holds no PHI scope.
            phiScopes: row.status === 'active' ? row.scopes.filter(isPhiScope) : [],
            // ...and the policies read the state itself (forbid member-restricted-no-phi): two walls.
            status: row.status === 'active' ? 'active' : 'restricted',
          },
          credential: {
            kind: 'session',
            id: row.id,
            authMethod: row.auth_method,
            amr: row.amr,
            // R-AUTHN-2: decided by the login method when it issued the session.
            mfa: row.mfa,
            createdAt: row.created_at,
            lastVerifiedAt: row.last_verified_at,
            expiresAt: row.expires_at < idleEndsAt ? row.expires_at : idleEndsAt,
          },
          // R-SESS-4: a posture source's report ages into `unknown` after the tenant's limit.
          device: { id: row.device_id, thumbprint: row.thumbprint, posture: effectivePosture(row, sessionSettings(row.tenant_settings).postureMaxAgeSeconds, now) },
        };
        // R-SESS-1: the timer moves only when it is SLIDE_STEP_SECONDS behind (SLIDE's WHERE), and
        // last_seen_at only ever moves forward: when the row just read was within the step, the UPDATE
        // would match no row, so none is sent (most requests; R-OPS-1).
        const isSlideDue = new Date(row.last_seen_at).getTime() < now.getTime() - SLIDE_STEP_SECONDS * 1000;
        return {
          authenticated,
          async settle(tx) {
            // The jti's spend and the idle timer's slide leave together (one round trip, R-OPS-1) and
            // run in that order; a refused spend fails the transaction, and the slide rolls back with it.
            const spending = deps.replays.spend(tx, bound, now);
            const sliding = isSlideDue ? tx.query(SLIDE, [row.id, now]) : undefined;
            sliding?.catch(() => {}); // awaited below, after the spend
            try {
              await spending;
            } catch (e) {
              throw e instanceof ProofError ? new WardError('DEVICE_PROOF_INVALID', undefined, { cause: e }) : e;
            }
            await sliding;
          },
        };
      }
    }

    const [found] = await deps.db.authLookup<{ tenant_id: string; member_id: string; session_id: string }>(AUTH_LOOKUPS.session, [tokenHash]);
    if (!found) throw new WardError('UNAUTHENTICATED');
    const scope = memberScope(found.tenant_id, found.member_id);
    // Refused: record why (R-AUDIT-1, R-MON-1), then answer with little.
    await deps.db.scoped(scope, async (tx) => {
      let reason: string = proofFailure ? `device_proof_${proofFailure}` : 'unknown';
      let deviceId: string | null = null;
      if (proof) {
        const { rows } = await tx.query<{ is_revoked: boolean; is_expired: boolean; is_idle: boolean; is_other_device: boolean; is_inactive: boolean; device_id: string | null }>(
          DIAGNOSE, [found.session_id, now, proof.thumbprint]);
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
    credential: 'session',
    presents: (req) => hasSessionCookie(deps.origin, req.headers.cookie),
    authenticate,
  };
}
