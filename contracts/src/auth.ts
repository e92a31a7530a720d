import type { Principal } from './principal.ts';

/**
 * What authentication hands the enforcement point (DESIGN.md step 1): who, how, and from which
 * device. Authentication never decides access; the policy decision point reads these as context.
 */
/** R-SESS-4: a device's posture, part of every session's policy context. The one list. */
export const DEVICE_POSTURES = ['managed', 'unmanaged', 'unknown'] as const;
export type DevicePosture = (typeof DEVICE_POSTURES)[number];

export function isDevicePosture(value: unknown): value is DevicePosture {
  return typeof value === 'string' && (DEVICE_POSTURES as readonly string[]).includes(value);
}

/** A person's browser session (R-SESS-1): a server-side row named by the cookie, bound to a device key. */
export interface SessionCredential {
  kind: 'session';
  id: string;
  authMethod: 'passkey' | 'oidc';
  /** Authentication methods references (RFC 8176), e.g. ['hwk', 'user'] for a passkey with UV. */
  amr: string[];
  /** R-AUTHN-2: whether the login proved multi-factor authentication (decided when it was issued). */
  mfa: boolean;
  createdAt: Date;
  /** R-SESS-3: the last user verification (passkey UV ceremony). */
  lastVerifiedAt: Date;
  expiresAt: Date;
}

/** A workload's DPoP-bound access token (R-WORK-2, RFC 9449): bound to the key whose thumbprint is `jkt`. */
export interface TokenCredential {
  kind: 'token';
  /** The token's id (`jti`). */
  id: string;
  authMethod: 'client_credentials' | 'token_exchange';
  amr: string[];
  /** A workload proves possession of its key; no person verified anything. */
  mfa: false;
  /** When the token was issued: the age a policy reads as authAgeSeconds. */
  lastVerifiedAt: Date;
  expiresAt: Date;
  /** RFC 9449 §6: the thumbprint of the key every proof with this token must be signed by. */
  jkt: string;
}

/**
 * A service-to-service request signed with HTTP Message Signatures (RFC 9421; R-WORK-4) by one of the
 * workload's registered keys, accepted on `/v1/hooks/*` only: the signature covers the method, the
 * target URI, the body's Content-Digest (RFC 9530), `created` and a single-use `nonce`.
 */
export interface SignatureCredential {
  kind: 'signature';
  /** The signature's nonce (spent once, like a proof's jti). */
  id: string;
  authMethod: 'http_signature';
  amr: string[];
  mfa: false;
  /** The signature's `created`. */
  lastVerifiedAt: Date;
  /** After this the signature is no longer accepted (created + 60 s). */
  expiresAt: Date;
  /** The signature's `keyid`: `<client_id>` or `<client_id>#<kid>`. */
  keyid: string;
}

/**
 * R-AUTHN-5: the tenant's SCIM client's static bearer token (IdPs send no DPoP), valid on /scim/v2
 * only, at most a year; stored by hash, revocable (`ward scim token --revoke`).
 */
export interface ScimTokenCredential {
  kind: 'scim_token';
  id: string;
  authMethod: 'scim_bearer';
  amr: string[];
  mfa: false;
  /** When the token was issued. */
  lastVerifiedAt: Date;
  expiresAt: Date;
}

export type Credential = SessionCredential | TokenCredential | SignatureCredential | ScimTokenCredential;

export interface DeviceInfo {
  id: string;
  thumbprint: string;
  posture: DevicePosture;
}

/**
 * Who (principal), by which one credential, from which device when a browser carried it (DESIGN.md
 * step 1). Exactly one credential per request: a session cookie with its device proof, or a
 * DPoP-bound token.
 */
export interface Authenticated {
  principal: Principal;
  credential: Credential;
  device?: DeviceInfo;
  /** R-WORK-3: set when an AI agent acts for a person with an `act` token (RFC 8693). */
  delegation?: Delegation;
}

/**
 * An AI agent acting for a person (R-WORK-3): the person as their session authenticates them now
 * (live roles, scopes, device and verification), the one purpose and the one patient or call the
 * person named. The enforcement point decides each request for the agent and for the person.
 */
export interface Delegation {
  /** The subject token's id (`jti`), recorded with the agent's requests. */
  id: string;
  person: PersonAuthenticated;
  purpose: string;
  target: { type: 'Patient' | 'Call'; id: string };
}

/** A person's request through a browser session: what `self` routes and the ceremonies need. */
export interface PersonAuthenticated extends Authenticated {
  credential: SessionCredential;
  device: DeviceInfo;
}

/** A request as authentication sees it: no framework types. */
export interface AuthRequest {
  method: string;
  /** The full URL as the client addressed it (origin + path + query), for proof binding. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  sourceIp: string;
  /** The body as received, where a route keeps it (the signed hooks: RFC 9530 Content-Digest). */
  body?: Uint8Array;
}

