import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { Deps } from '../../src/deps.ts';
import { sessionCookieName } from '../../src/modules/sessions/index.ts';

/**
 * A signed-in member for HTTP tests without a browser: a real session row and a real device key
 * (ES256), so that every request passes the real authenticator (cookie + DPoP-shaped device proof).
 * The passkey ceremony itself is exercised in the Chromium suite.
 */
export interface TestSession {
  memberId: string;
  tenantId: string;
  sessionId: string;
  /** Headers for one request: the session cookie, a fresh device proof, and the origin for writes. */
  headers(method: string, path: string): Promise<Record<string, string>>;
}

/**
 * Approvers and proposers are enrolled people (R-AUTHZ-5): gives each signed-in member a passkey row,
 * as enrollment would, so that two-person changes accept them.
 */
export async function givePasskeys(deps: Deps, ...who: TestSession[]): Promise<void> {
  for (const w of who) {
    await deps.db.systemDb.query('INSERT INTO passkey_credentials (tenant_id, member_id, credential_id, public_key) VALUES ($1, $2, $3, $4)', [w.tenantId, w.memberId, `cred-${w.memberId}`, Buffer.from('pk')]);
  }
}

export async function signIn(deps: Deps, email: string, how: { authMethod?: 'passkey' | 'oidc'; amr?: string[]; mfa?: boolean } = {}): Promise<TestSession> {
  const { rows } = await deps.db.systemDb.query<{ id: string; tenant_id: string }>('SELECT id, tenant_id FROM members WHERE email = $1', [email]);
  const member = rows[0];
  if (!member) throw new Error(`no member ${email}`);
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = (await exportJWK(publicKey)) as JWK;
  const publicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } as JWK;
  const thumbprint = await calculateJwkThumbprint(publicJwk, 'sha256');
  const scope = { tenantId: member.tenant_id, phiScopes: [], actorId: member.id, actorKind: 'human' } as const;
  const { sessionId, token } = await deps.db.scoped(scope, (tx) => deps.sessions.issue(tx, {
    tenantId: member.tenant_id, memberId: member.id, authMethod: how.authMethod ?? 'passkey', amr: how.amr ?? ['hwk', 'user'], mfa: how.mfa ?? true, deviceKey: { thumbprint, publicJwk }, sourceIp: '127.0.0.1',
  }));
  const origin = deps.config.origin;
  return {
    memberId: member.id,
    tenantId: member.tenant_id,
    sessionId,
    async headers(method, path) {
      const proof = await new SignJWT({ htm: method.toUpperCase(), htu: new URL(path, origin).href, jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk })
        .setIssuedAt(Math.floor(deps.clock.now().getTime() / 1000))
        .sign(privateKey);
      return { cookie: `${sessionCookieName(origin)}=${token}`, dpop: proof, origin: origin.origin };
    },
  };
}
