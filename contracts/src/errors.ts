/**
 * Stable error codes (STYLE.md habit 1). Every code is documented in docs/errors.md; a test fails
 * when one is not. The client sees the code and a short public message; the detail stays in `cause`.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, message: 'The request is not valid.' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication is required.' },
  FORBIDDEN: { status: 403, message: 'The request is not allowed.' },
  STEP_UP_REQUIRED: { status: 403, message: 'A recent user verification is required.' },
  JUSTIFICATION_REQUIRED: { status: 403, message: 'A justification is required for this access: a purpose of use (Ward-Purpose) and a reason of at least three words (Ward-Justification).' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests.' },
  INTERNAL: { status: 500, message: 'Internal error.' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The service is not available.' },
  CONFIG_INVALID: { status: 500, message: 'The configuration is not valid.' },
  DB_UNSAFE_ROLE: { status: 500, message: 'The database role is not safe to serve with.' },
  DB_MIGRATION_FAILED: { status: 500, message: 'A database migration failed.' },
  DB_SCOPE_KEY_UNAVAILABLE: { status: 500, message: 'The database scope key could not be read.' },
  DATA_DIR_LOCKED: { status: 500, message: 'The data directory is in use by another process.' },
  DATABASE_UNREACHABLE: { status: 503, message: 'The database did not answer.' },
  DATABASE_LOGIN_FAILED: { status: 500, message: 'The database refused the login.' },
  ADDRESS_IN_USE: { status: 500, message: 'The listening address is in use by another process.' },
  TENANT_NOT_FOUND: { status: 404, message: 'No such tenant.' },
  AUDIT_WRITE_FAILED: { status: 500, message: 'The audit record could not be written.' },
  AUDIT_UNAVAILABLE: { status: 503, message: 'The audit trail cannot take records now.' },
  SCOPE_INVALID: { status: 500, message: 'The data scope is not valid.' },
  OPERATOR_UNAVAILABLE: { status: 503, message: 'The running server did not answer.' },
  USAGE: { status: 400, message: 'The command was not used as documented.' },
  DECRYPT_FAILED: { status: 500, message: 'Stored data could not be decrypted.' },
  KEY_NOT_FOUND: { status: 500, message: 'A required encryption key is missing.' },
  KEY_DESTROYED: { status: 410, message: 'This data has been permanently deleted.' },
  KMS_UNAVAILABLE: { status: 503, message: 'The key management service is not available.' },
  KEYRING_INSECURE: { status: 500, message: 'The keyring file is not protected.' },
  KEYRING_INVALID: { status: 500, message: 'The keyring file is not valid.' },
  LOOKUP_VALUE_INVALID: { status: 400, message: 'The lookup value is not valid.' },
  AUDIT_KEY_STORE_INSECURE: { status: 500, message: 'The audit signing key file is not protected.' },
  AUDIT_KEY_STORE_INVALID: { status: 500, message: 'The audit signing key file is not valid.' },
  ENROLLMENT_INVALID: { status: 400, message: 'This enrollment link is not valid, was already used or has expired.' },
  ENROLLMENT_APPROVAL_PENDING: { status: 403, message: 'This enrollment awaits the approval of a second Owner or Admin.' },
  ENROLLMENT_SELF_APPROVAL: { status: 403, message: 'No one approves their own invitation.' },
  RECOVERY_LINK_INVALID: { status: 400, message: 'This recovery link is not valid, was already used or has expired.' },
  RECOVERY_SELF_APPROVAL: { status: 403, message: 'A recovery is approved by a second Owner or Admin, neither its opener nor the member.' },
  RECOVERY_IN_PROGRESS: { status: 409, message: 'A recovery of this member is already in progress.' },
  RECOVERY_NOT_PENDING: { status: 409, message: 'No recovery of this member awaits this step.' },
  DETECTION_CLOSED: { status: 409, message: 'The detection is closed.' },
  RECOVERY_DEVICE_NOT_TRUSTED: { status: 409, message: 'The member has not yet used the new passkey from a managed device.' },
  EMAIL_INVALID: { status: 400, message: 'The e-mail address is not valid, or holds invisible, control or look-alike characters.' },
  MEMBER_EXISTS: { status: 409, message: 'A member with this e-mail address exists; an invitation only creates new members.' },
  MEMBER_HAS_PASSKEY: { status: 409, message: 'The member already holds a passkey; use account recovery instead.' },
  WEBAUTHN_CHALLENGE_INVALID: { status: 400, message: 'The passkey ceremony expired or was already used; start again.' },
  WEBAUTHN_VERIFICATION_FAILED: { status: 401, message: 'The passkey could not be verified.' },
  PASSKEY_LAST_ONE: { status: 409, message: 'The last passkey of an account cannot be revoked.' },
  DEVICE_PROOF_INVALID: { status: 401, message: 'The device proof is missing or not valid.' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: 'The request does not come from an allowed origin.' },
  POLICY_INVALID: { status: 400, message: 'The tenant policy is not valid.' },
  POLICY_SELF_APPROVAL: { status: 403, message: 'No one approves their own policy change.' },
  DPOP_PROOF_REQUIRED: { status: 401, message: 'A DPoP-bound token needs a DPoP proof with each request.' },
  DPOP_PROOF_INVALID: { status: 401, message: 'The DPoP proof is not valid for this request and token.' },
  DPOP_PROOF_REPLAYED: { status: 401, message: 'The DPoP proof was already used.' },
  DPOP_NONCE_REQUIRED: { status: 401, message: 'Sign the DPoP proof with the nonce in the DPoP-Nonce header.' },
  BEARER_NOT_ACCEPTED: { status: 401, message: 'Ward accepts only DPoP-bound tokens, with the DPoP scheme.' },
  TOKEN_INVALID: { status: 401, message: 'The access token is not valid.' },
  TOKEN_EXPIRED: { status: 401, message: 'The access token has expired.' },
  TOKEN_AUDIENCE_MISMATCH: { status: 401, message: 'The access token was issued for another resource.' },
  TOKEN_REVOKED: { status: 401, message: 'The access token was revoked.' },
  WORKLOAD_DISABLED: { status: 401, message: 'The workload is disabled.' },
  DELEGATION_ENDED: { status: 401, message: 'The person this token acts for is no longer signed in as they were: their session ended or their roles changed.' },
  EXPORT_UNAVAILABLE: { status: 410, message: 'This export was already downloaded or its download window has passed; ask for a new export.' },
  PART2_CONSENT_REQUIRED: { status: 403, message: 'Disclosing 42 CFR Part 2 records needs the patient\'s recorded consent for this recipient and purpose, unexpired and not revoked.' },
  PURPOSE_REQUIRED: { status: 403, message: 'This needs a purpose of use (Ward-Purpose, e.g. TREAT).' },
  WORKLOAD_KEYS_INVALID: { status: 400, message: "The workload's JWK Set is not valid." },
  WORKLOAD_EXISTS: { status: 409, message: 'A workload with this name exists in the tenant.' },
  TOKEN_SIGNING_KEYS_INVALID: { status: 500, message: 'The token signing key file is not valid.' },
  RANGE_NOT_SATISFIABLE: { status: 416, message: 'The requested byte range is not satisfiable.' },
  MFA_REQUIRED: { status: 403, message: 'This needs multi-factor authentication: verify with your passkey and retry.' },
  SSO_NOT_CONFIGURED: { status: 404, message: 'This organisation does not sign in with SSO here.' },
  SIGNATURE_INVALID: { status: 401, message: 'The request signature is missing or not valid.' },
  SIGNATURE_EXPIRED: { status: 401, message: 'The request signature is not fresh.' },
  SIGNATURE_REPLAYED: { status: 401, message: 'The request signature was already used.' },
  SIGNATURE_KEY_UNKNOWN: { status: 401, message: 'The request is signed by an unknown key.' },
  CONTENT_DIGEST_MISMATCH: { status: 401, message: 'The body does not match its Content-Digest.' },
  EGRESS_REFUSED: { status: 502, message: 'An outbound address is not allowed.' },
  SSO_ISSUER_INVALID: { status: 400, message: 'The identity provider cannot be used as configured.' },
  SSO_STATE_INVALID: { status: 400, message: 'This sign-in expired, was already used or was started in another browser; start again.' },
  SSO_CALLBACK_INVALID: { status: 401, message: "The identity provider's answer could not be verified; start again." },
  SSO_MEMBER_UNKNOWN: { status: 403, message: 'No member of this organisation is linked to this sign-in; ask your administrator.' },
  SSO_MEMBER_INACTIVE: { status: 403, message: 'This member is not active in Ward; ask your administrator.' },
  SSO_LINK_REFUSED: { status: 409, message: 'This sign-in is already linked, or the member already has a link at this identity provider.' },
  SSO_MFA_REQUIRED: { status: 403, message: 'The identity provider did not prove multi-factor authentication.' },
  SSO_LOGOUT_REPLAYED: { status: 400, message: 'This logout token was already received.' },
  SSO_NEEDS_APPROVAL: { status: 409, message: 'Another issuer or client for SSO, another MFA acr value, a first connection or a disconnection is proposed and approved by a second Owner or Admin (POST /v1/sso/connection-requests, /v1/sso/disconnect-requests).' },
  SSO_LINK_BY_EMAIL_OPERATOR: { status: 403, message: 'Linking by e-mail is set by the operator (ward sso configure --link-by email), for the issuer they set it for.' },
  SCIM_TOKEN_INVALID: { status: 401, message: 'The SCIM bearer token is not valid, expired or was revoked.' },
  SCIM_INVALID_FILTER: { status: 400, message: 'The filter is not valid or names an attribute that cannot be filtered on.' },
  SCIM_INVALID_VALUE: { status: 400, message: 'A required value is missing or a value is not valid.' },
  SCIM_INVALID_SYNTAX: { status: 400, message: 'The request body is not a valid SCIM message.' },
  SCIM_INVALID_PATH: { status: 400, message: 'The PATCH path is not valid or not supported.' },
  SCIM_NO_TARGET: { status: 400, message: 'The PATCH path matched nothing.' },
  SCIM_MUTABILITY: { status: 400, message: 'The attribute cannot be changed.' },
  SCIM_UNIQUENESS: { status: 409, message: 'A resource with this userName or displayName exists.' },
  AI_TEMPLATE_UNKNOWN: { status: 404, message: 'No approved AI template has this id.' },
  VENDOR_SELF_APPROVAL: { status: 403, message: "The approver of an AI vendor's BAA is the member who attested it (two-person rule)." },
  AI_INPUT_RESTRICTED: { status: 403, message: "The call holds restricted content (substance use or behavioural health) that this AI template may not send; nothing was sent." },
  AI_TEMPLATE_INVALID: { status: 400, message: 'The AI template does not match the template schema.' },
  AI_TEMPLATE_SELF_APPROVAL: { status: 403, message: 'The approver of a tenant AI template is the member who proposed it (two-person rule).' },
  VENDOR_NOT_BAA: { status: 403, message: "The tenant's AI vendor for this purpose has no active business associate agreement; PHI is not sent to it." },
  GRANT_SELF_APPROVAL: { status: 403, message: 'A PHI-scope grant is approved by a second Owner or Admin, neither its proposer nor the member.' },
  GRANT_NOT_PENDING: { status: 409, message: 'This PHI-scope grant proposal is no longer open: it was approved, cancelled or has expired.' },
  ROLE_GRANT_SELF_APPROVAL: { status: 403, message: 'A role is approved by a second Owner or Admin, neither its proposer nor the member.' },
  ROLE_GRANT_NOT_PENDING: { status: 409, message: 'This role proposal is no longer open, the member holds the role already, or a proposal for it is open.' },
  CHANGE_SELF_APPROVAL: { status: 403, message: 'A privileged change (a SCIM token, new keys of a PHI-scoped workload, a shorter retention or a hold release, another SSO issuer or client or a disconnection) is approved by a second Owner or Admin, not its proposer.' },
  CHANGE_NOT_PENDING: { status: 409, message: 'This change proposal is no longer open (approved, cancelled or expired), or one of its kind is open already.' },
  CHANGE_NEEDS_APPROVAL: { status: 409, message: 'A new key for a workload with a PHI scope is proposed and approved by a second Owner or Admin (POST /v1/workloads/{clientId}/key-requests).' },
  RETENTION_NEEDS_APPROVAL: { status: 409, message: 'A retention change that deletes sooner, or the release of a legal hold, is proposed and approved by a second Owner or Admin (POST /v1/retention/policies/{artifact}/requests, /v1/retention/holds/{id}/release-requests).' },
  LAST_OWNER: { status: 409, message: "The tenant's last active Owner keeps the Owner role." },
  ID_PROOFING_NOT_APPLICABLE: { status: 409, message: 'Identity proofing is recorded only for a provisioned member without a passkey.' },
  CALLER_NOT_VERIFIED: { status: 403, message: 'The caller on this call is not verified.' },
  LOCKED: { status: 403, message: 'This account, workload or device is locked; a second person must unlock it.' },
  ELEVATION_SELF_APPROVAL: { status: 403, message: 'No one decides their own elevation request or a widening of their own powers.' },
  ELEVATION_NOT_PENDING: { status: 409, message: 'This elevation is no longer waiting for this decision.' },
  ELEVATION_TOO_LONG: { status: 400, message: "The duration is longer than the tenant's maximum." },
  ELEVATION_ENDED: { status: 403, message: 'The elevation this request was allowed under has ended; its outcome was not recorded.' },
  BREAKGLASS_NOT_ALLOWED: { status: 403, message: 'Break-glass is open only to members on the list an Owner keeps.' },
  BREAKGLASS_BLOCKED: { status: 403, message: 'A review of your earlier break-glass access is overdue; it must be completed first.' },
  LOCK_SECOND_PERSON: { status: 403, message: 'A lock is lifted by a second Owner or Admin, neither the one who set it nor its target.' },
  CALLER_VERIFICATION_LOCKED: { status: 403, message: 'Caller verification on this call is locked after too many failures.' },
  AI_DRAFT_NOT_REVIEWED: { status: 409, message: 'An AI draft is used only after a person confirmed or edited it.' },
  AI_DRAFT_ALREADY_REVIEWED: { status: 409, message: 'This AI draft has already been reviewed.' },
  AI_DRAFT_NOT_USABLE: { status: 409, message: 'This AI draft holds the manual-workflow guidance, not a draft: write the note by hand, or reject it.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface WardErrorOptions extends ErrorOptions {
  /**
   * What happened, for the log only: never sent to a client nor printed by the CLI (a destroyed
   * key's tenant id, a file path). No PHI here either: logs carry none (R-DATA-4).
   */
  detail?: string;
  /** The reason codes of a refusal, as its audit event records them (e.g. `self_approval`). */
  reasons?: readonly string[];
  /** Response headers a refusal must carry (RFC 9449 §7.1: `WWW-Authenticate`, `DPoP-Nonce`). */
  headers?: Readonly<Record<string, string>>;
}

export class WardError extends Error {
  readonly status: number;
  readonly detail: string | undefined;
  readonly reasons: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].message,
    options?: WardErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
    this.status = ERROR_CODES[code].status;
    this.detail = options?.detail;
    this.reasons = options?.reasons ?? [];
    this.headers = options?.headers ?? {};
  }
}

export function isWardError(e: unknown): e is WardError {
  return e instanceof WardError;
}

/** The media type of every error response (RFC 9457). */
export const PROBLEM_JSON = 'application/problem+json';

/**
 * The body of every error response: RFC 9457 problem details with Ward's stable `code` as an
 * extension member. `title` is the code's fixed public text; `detail` (public, unlike
 * WardError.detail) says more when the public message does; `requestId` matches the
 * `X-Request-Id` response header and the server's log lines.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  requestId?: string;
}

/** The problem type URI of a code. */
export function problemType(code: ErrorCode): string {
  return `urn:ward:error:${code}`;
}
