import type { PhiScope, PrincipalKind } from '@ward/contracts';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** One open transaction. Parameterised single statements only: never SQL built by joining strings. */
export interface Tx {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * R-OPS-1, R-AUDIT-2: a statement already sent, whose answer the transaction's COMMIT need not wait
   * for: the COMMIT leaves behind it in the same round trip, and the transaction succeeds only if it
   * succeeds too (its failure, or a COMMIT that rolled back, fails the transaction: fail closed).
   * Only where the engine pipelines (PostgreSQL); elsewhere absent, and the caller awaits it itself.
   */
  commitWith?(pending: Promise<unknown>): void;
  /**
   * R-OPS-1: the next statement issued is held until the one after it is issued (the COMMIT counts),
   * and both leave in one write; at the latest at the end of this turn of the event loop, so that
   * awaiting the first one's answer meanwhile costs one turn, never a hang. Order and meaning are
   * those of two statements sent one after the other. Where the engine pipelines (PostgreSQL);
   * elsewhere absent.
   */
  sendWithNext?(): void;
  /**
   * R-AUDIT-2, R-AUTHZ-7 (0105, 0112): the voucher of an audit event of this scoped transaction's tenant and
   * actor, made by the server with the scope key over the event's text and this transaction's scope
   * expiry: the voucher ('mac expires') of the record the audit writer's batch (ward_audit_append_vouched_v4)
   * inserts only when its MAC verifies, in time. No statement is sent. Scoped transactions only; throws for another tenant or actor.
   */
  vouch?(event: { tenantId: string; actorKind: string; actorId: string }, text: string): string;
}

/**
 * How a scoped transaction opens. `asyncCommit` (R-AUDIT-2, the audit writer's reads only): its
 * commit waits for no WAL flush (`synchronous_commit = off` for it alone, sent with the opening); the
 * caller must make it durable by a later durable commit before anything of it leaves Ward.
 */
export interface ScopedOptions {
  asyncCommit?: boolean;
}

/**
 * What a transaction may see (R-AUTHZ-7): one tenant, some PHI scopes, and who is acting. Row-level
 * security reads these from transaction-local settings; the database enforces nothing wider.
 */
export interface DataScope {
  tenantId: string;
  phiScopes: readonly PhiScope[];
  actorId: string;
  actorKind: PrincipalKind;
}

/** The application's data access: every transaction runs as `ward_app` with a scope. */
export interface Db {
  readonly engine: 'embedded' | 'postgres';
  scoped<T>(scope: DataScope, fn: (tx: Tx) => Promise<T>, opts?: ScopedOptions): Promise<T>;
  /**
   * Narrow lookups that run before any tenant is known (DESIGN.md): they call SECURITY DEFINER
   * functions that return only the owning tenant and member, as `ward_app`, with no scope.
   */
  authLookup<R = Record<string, unknown>>(sql: AuthLookupSql, params: readonly unknown[]): Promise<R[]>;
  /** Unscoped access for migrations, seeding and jobs. Named so that a grep finds every use. */
  readonly systemDb: SystemDb;
  close(): Promise<void>;
}

export interface SystemDb {
  transaction<T>(fn: (tx: SystemTx) => Promise<T>): Promise<T>;
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface SystemTx extends Tx {
  /** Runs a migration file from the repository (several statements, no parameters). */
  execScript(sql: string): Promise<void>;
}

/** The only statements authLookup accepts (see 0005_auth_lookups.sql). */
export const AUTH_LOOKUPS = {
  session: 'SELECT tenant_id, member_id, session_id FROM ward_auth_session($1)',
  /**
   * R-SESS-1, R-SESS-4 (0032): a live session bound to the proof's key, with its member, device and grants;
   * `locked` (0039): the kind of a live lock on its member or device (R-GOV-5), refused on every route.
   */
  sessionState: `SELECT tenant_id, id, member_id, auth_method, amr, mfa, created_at, last_verified_at, expires_at, last_seen_at,
    idle_timeout_seconds, status, device_id, thumbprint, posture, posture_source, posture_updated_at, tenant_settings, roles, scopes, locked
    FROM ward_auth_session_state($1, $2, $3)`,
  credential: 'SELECT tenant_id, member_id, credential_row_id FROM ward_auth_credential($1)',
  enrollment: 'SELECT tenant_id, member_id, token_id FROM ward_auth_enrollment($1)',
  /** R-AUTHN-1: a WebAuthn challenge, stored by hash, bound to a device key (0005). */
  challengeIssue: 'SELECT challenge_expires_at FROM ward_auth_challenge_issue($1, $2, $3, $4, $5, $6, $7)',
  /** R-AUTHN-1: single use: the challenge row is deleted before the response is verified (0005). */
  challengeConsume: 'SELECT tenant_id, member_id, session_id, device_thumbprint, is_expired FROM ward_auth_challenge_consume($1, $2)',
  /** RFC 9449 §11.1: spends a proof's jti (0011); outside a request transaction (the passkey ceremonies). */
  proofUse: 'SELECT ward_proof_use($1, $2, $3) AS is_fresh',
  /** R-MON-1: one hit on a rate limit shared by every server (0013); commits on its own. */
  rateLimitHit: 'SELECT ward_rate_limit_hit($1, $2, $3) AS hits',
  /** R-WORK-2: the live token-signing keys and nonce secret, sealed under the KMS (0025). */
  tokenKeysRead: 'SELECT kid, purpose, created_at, retired_at, kek_id, wrapped_key, sealed FROM ward_token_keys_read($1, $2)',
  /** R-WORK-2: a first key of its purpose, or a signing key rotation (0025). */
  tokenKeyPut: 'SELECT ward_token_key_put($1, $2, $3, $4, $5, $6, $7, $8) AS is_stored',
  /** R-WORK-1: a workload by its OAuth client_id, at the token and revocation endpoints (0018). */
  workload: 'SELECT tenant_id, workload_id FROM ward_auth_workload($1)',
  /** R-WORK-2 (0032): a workload of a tenant, its grants and whether one token id was revoked. */
  workloadState: 'SELECT id, kind, role, status, scopes, is_revoked, keys_removed_at FROM ward_auth_workload_state($1, $2, $3)',
  /** SSO (0111): the tenant named by a slug when it signs in with SSO, for `GET /sso/<slug>` and an SSO start. */
  ssoTenantBySlug: 'SELECT tenant_id FROM ward_sso_tenant_by_slug($1)',
  /** SSO (0020): a flow's state, nonce and PKCE verifier, stored by the state's hash, bound to a device key. */
  ssoFlowIssue: 'SELECT flow_expires_at FROM ward_sso_flow_issue($1, $2, $3, $4, $5, $6, $7, $8, $9)',
  /** SSO (0020): single use: the flow row is deleted before the code is redeemed. */
  ssoFlowConsume: 'SELECT tenant_id, purpose, member_id, session_id, device_thumbprint, nonce, code_verifier, is_expired FROM ward_sso_flow_consume($1)',
  /** SSO (0020): the tenant a back-channel logout token is addressed to, by issuer and client id. */
  ssoProviderByClient: 'SELECT tenant_id FROM ward_sso_provider_by_client($1, $2)',
  /** SCIM (0023): a live SCIM bearer token by its hash: only its tenant, client and id (R-AUTHN-5). */
  scimToken: 'SELECT tenant_id, workload_id, token_id FROM ward_auth_scim_token($1)',
  /** R-AUTHN-4 (0025): the recovery a one-time link names, by the link's hash, whatever its state. */
  recovery: 'SELECT tenant_id, member_id, recovery_id FROM ward_auth_recovery($1)',
  /**
   * R-AUDIT-2 (0105): the audit writer's one statement, a batch of grouped reads' events, one a line,
   * each inserted only when the voucher the server made for it with the scope key verifies (Tx.vouch,
   * modules/audit/writer.ts).
   */
  auditVouchedBatch: 'SELECT ward_audit_append_vouched_v4($1::text, $2::bytea) AS inserted',
} as const;
export type AuthLookupSql = (typeof AUTH_LOOKUPS)[keyof typeof AUTH_LOOKUPS];
