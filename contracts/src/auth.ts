import type { Principal } from './principal.ts';

/**
 * What authentication hands the enforcement point (DESIGN.md step 1): who, how, and from which
 * device. Authentication never decides access; the policy decision point reads these as context.
 */
export type DevicePosture = 'managed' | 'unmanaged' | 'unknown';

export interface SessionInfo {
  id: string;
  authMethod: 'passkey' | 'oidc' | 'client_credentials';
  /** Authentication methods references (RFC 8176), e.g. ['hwk', 'user'] for a passkey with UV. */
  amr: string[];
  /** R-AUTHN-2: whether the login proved multi-factor authentication. */
  mfa: boolean;
  createdAt: Date;
  /** R-SESS-3: the last user verification (passkey UV ceremony). */
  lastVerifiedAt: Date;
  expiresAt: Date;
}

export interface DeviceInfo {
  id: string;
  thumbprint: string;
  posture: DevicePosture;
}

export interface Authenticated {
  principal: Principal;
  session: SessionInfo;
  device: DeviceInfo | null;
}

/** A request as authentication sees it: no framework types. */
export interface AuthRequest {
  method: string;
  /** The full URL as the client addressed it (origin + path + query), for proof binding. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  sourceIp: string;
}

export interface Authenticator {
  /** The caller, or null when the request carries no valid credentials (fail closed: errors → null or throw). */
  authenticate(req: AuthRequest): Promise<Authenticated | null>;
}
