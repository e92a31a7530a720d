import { Type, type Static } from '@sinclair/typebox';

/**
 * The admin console's tenant settings (R-UX-1): access-review campaigns (R-GOV-1), retention and
 * legal holds (R-DATA-5), workloads and their keys (R-WORK-1, R-WORK-2), SSO and SCIM (R-AUTHN-2,
 * R-AUTHN-5). Workforce and configuration data only: counts, ids, names of principals and settings,
 * never a patient's field, never a secret (a SCIM token is answered once, at issue).
 */
const closed = { additionalProperties: false } as const;
const Uuid = Type.String({ format: 'uuid' });
const Time = Type.String();
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** Who acts next on a change: `null` when it applied at once and waits for no one. */
const Next = Nullable(Type.String());
/** How long a two-person change stays open for its second person: 1 to 168 hours. */
const ProposalTtlHours = Type.Optional(Type.Integer({ minimum: 1, maximum: 168 }));
/** Who proposed a two-person change and when, until when it is open, who decided it and when. */
const proposalDates = { proposedBy: Uuid, proposedAt: Time, expiresAt: Time, decidedBy: Nullable(Uuid), decidedAt: Nullable(Time) };
/** The states of a two-person change that another Owner or Admin may refuse. */
const RefusableProposalState = Type.Union(['pending', 'approved', 'cancelled', 'refused', 'expired'].map((s) => Type.Literal(s)));

// --- Access-review campaigns (R-GOV-1) -----------------------------------------------------------

export const ReviewCampaignView = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    startedBy: Type.String(),
    startedAt: Time,
    deadlineAt: Time,
    closedAt: Nullable(Time),
    autoRevoke: Type.Boolean(),
    items: Type.Integer({ minimum: 0 }),
    kept: Type.Integer({ minimum: 0 }),
    revoked: Type.Integer({ minimum: 0 }),
    expired: Type.Integer({ minimum: 0 }),
    undecided: Type.Integer({ minimum: 0 }),
    /** Undecided items no one can review (no manager and no other active Owner or Admin). */
    unassigned: Type.Integer({ minimum: 0 }),
    next: Next,
  },
  closed,
);
export type ReviewCampaignView = Static<typeof ReviewCampaignView>;
export const ReviewCampaignsReply = Type.Object({ campaigns: Type.Array(ReviewCampaignView) }, closed);
export type ReviewCampaignsReply = Static<typeof ReviewCampaignsReply>;
export const ReviewCampaignStart = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })) },
  closed,
);
export type ReviewCampaignStart = Static<typeof ReviewCampaignStart>;

// --- Retention and legal holds (R-DATA-5) --------------------------------------------------------

export const RETENTION_ARTIFACT_NAMES = ['recordings', 'transcripts', 'ai_drafts', 'case_notes'] as const;
export const RetentionArtifactSchema = Type.Union(RETENTION_ARTIFACT_NAMES.map((a) => Type.Literal(a)));
export const RetentionPolicyView = Type.Object(
  {
    artifact: RetentionArtifactSchema,
    /** null: no policy, the artifact is kept until a policy says otherwise. */
    action: Nullable(Type.Union([Type.Literal('delete'), Type.Literal('deidentify')])),
    afterDays: Nullable(Type.Integer()),
    updatedBy: Nullable(Type.String()),
    updatedAt: Nullable(Time),
  },
  closed,
);
export type RetentionPolicyView = Static<typeof RetentionPolicyView>;
export const RetentionReply = Type.Object({ policies: Type.Array(RetentionPolicyView) }, closed);
export type RetentionReply = Static<typeof RetentionReply>;
export const RetentionPolicySet = Type.Object(
  { action: Type.Union([Type.Literal('delete'), Type.Literal('deidentify')]), afterDays: Type.Integer({ minimum: 1, maximum: 36500 }) },
  closed,
);
export type RetentionPolicySet = Static<typeof RetentionPolicySet>;

/**
 * Whether `next` destroys PHI sooner or more than `current` (null: no policy, kept until one says
 * otherwise): fewer days, a first policy, or deletion in place of de-identification. Such a change is
 * proposed and approved by a second Owner or Admin; the database decides the same
 * (`ward_retention_shortens`, 0118_retention_change_requests.sql).
 */
export function shortensRetention(current: RetentionPolicySet | null, next: RetentionPolicySet): boolean {
  return current === null || next.afterDays < current.afterDays || (next.action === 'delete' && current.action === 'deidentify');
}

export const LegalHoldView = Type.Object(
  {
    id: Uuid,
    targetType: Type.Union([Type.Literal('patient'), Type.Literal('call')]),
    /** An internal id (a UUID), never a patient's field; the console shows its last four characters. */
    targetId: Uuid,
    /** A docket or ticket reference, not PHI (0006_phi_encryption.sql). */
    matter: Type.String(),
    placedBy: Type.String(),
    placedAt: Time,
    releasedBy: Nullable(Type.String()),
    releasedAt: Nullable(Time),
  },
  closed,
);
export type LegalHoldView = Static<typeof LegalHoldView>;
export const LegalHoldsReply = Type.Object({ holds: Type.Array(LegalHoldView) }, closed);
export type LegalHoldsReply = Static<typeof LegalHoldsReply>;
export const LegalHoldPlace = Type.Object(
  {
    targetType: Type.Union([Type.Literal('patient'), Type.Literal('call')]),
    targetId: Uuid,
    // A reference such as DOCKET-2026-114: letters, digits and a little punctuation, so that free text
    // (a name, a note about a person) cannot ride in it.
    matter: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._:/#-]*$' }),
  },
  closed,
);
export type LegalHoldPlace = Static<typeof LegalHoldPlace>;

/**
 * A retention change that destroys PHI sooner (a shorter period, a first policy, deletion in place of
 * de-identification) or releases a legal hold, proposed by one Owner or Admin and applied only when a
 * second one approves it (R-DATA-5, R-AUTHZ-5): 0118_retention_change_requests.sql.
 */
export const RetentionChangeRequestItem = Type.Object(
  {
    id: Uuid,
    kind: Type.Union([Type.Literal('policy'), Type.Literal('hold-release')]),
    /** kind policy: the policy proposed, and the one it replaces (null: none). */
    artifact: Nullable(RetentionArtifactSchema),
    action: Nullable(Type.Union([Type.Literal('delete'), Type.Literal('deidentify')])),
    afterDays: Nullable(Type.Integer()),
    replacesAction: Nullable(Type.Union([Type.Literal('delete'), Type.Literal('deidentify')])),
    replacesDays: Nullable(Type.Integer()),
    /** kind hold-release: the hold and its matter (a docket reference, not PHI). */
    holdId: Nullable(Uuid),
    holdMatter: Nullable(Type.String()),
    state: RefusableProposalState, ...proposalDates,
    nextApprover: Next,
  },
  closed,
);
export type RetentionChangeRequestItem = Static<typeof RetentionChangeRequestItem>;
export const RetentionChangeRequestsReply = Type.Object({ requests: Type.Array(RetentionChangeRequestItem) }, closed);
export type RetentionChangeRequestsReply = Static<typeof RetentionChangeRequestsReply>;
export const RetentionPolicyProposal = Type.Object(
  { ...RetentionPolicySet.properties, ttlHours: ProposalTtlHours },
  closed,
);
export type RetentionPolicyProposal = Static<typeof RetentionPolicyProposal>;
export const ChangeProposalTtl = Type.Object({ ttlHours: ProposalTtlHours }, closed);
export type ChangeProposalTtl = Static<typeof ChangeProposalTtl>;

// --- Workloads and their keys (R-WORK-1, R-WORK-2) -----------------------------------------------

export const WorkloadKeyView = Type.Object({ kid: Nullable(Type.String()), alg: Type.String(), thumbprint: Type.String() }, closed);
export type WorkloadKeyView = Static<typeof WorkloadKeyView>;
export const WorkloadView = Type.Object(
  {
    clientId: Type.String(),
    name: Type.String(),
    kind: Type.Union([Type.Literal('ai_agent'), Type.Literal('service')]),
    role: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
    phiScopes: Type.Array(Type.String()),
    maxTokenSeconds: Type.Integer(),
    createdAt: Time,
    keysRotatedAt: Nullable(Time),
    lastUsedAt: Nullable(Time),
    /** Public keys by id and RFC 7638 thumbprint (never the key material itself; the SCIM client has none). */
    keys: Type.Array(WorkloadKeyView),
    /** A new key is proposed and approved by a second Owner or Admin (`workloadKeysNeedApproval`). */
    keysNeedApproval: Type.Boolean(),
    next: Next,
  },
  closed,
);
export type WorkloadView = Static<typeof WorkloadView>;

/** Workload roles that read the audit trail (`audit.read`), which no Admin holds (R-AUDIT-4). */
export const WORKLOAD_ROLES_READING_AUDIT: readonly string[] = ['SiemExporter'];

/**
 * Whether a new key of a workload takes a second Owner or Admin (R-AUTHZ-5; 0096, 0119): whoever holds
 * a key acts as the workload, so a key of one that reads PHI (it holds a PHI scope) or the audit trail
 * weighs as much as granting that. The database's `ward_workload_set_keys` applies the same rule.
 */
export const workloadKeysNeedApproval = (w: { role: string; phiScopes: readonly string[] }): boolean =>
  w.phiScopes.length > 0 || WORKLOAD_ROLES_READING_AUDIT.includes(w.role);
export const WorkloadsReply = Type.Object({ workloads: Type.Array(WorkloadView) }, closed);
export type WorkloadsReply = Static<typeof WorkloadsReply>;
/**
 * A public JWK (EC P-256 or Ed25519). Any member is accepted here so that the server can refuse a
 * private one (`d`) by name (WORKLOAD_KEYS_INVALID) instead of silently dropping it: a private key
 * pasted into a browser is a leaked key, and its owner must hear so.
 */
const PublicJwk = Type.Record(Type.String({ maxLength: 16 }), Type.Unknown(), { maxProperties: 16 });
export const WorkloadKeyAdd = Type.Object({ jwk: PublicJwk }, closed);
export type WorkloadKeyAdd = Static<typeof WorkloadKeyAdd>;
export const WorkloadKeysReplace = Type.Object({ keys: Type.Array(PublicJwk, { minItems: 1, maxItems: 5 }) }, closed);
export type WorkloadKeysReplace = Static<typeof WorkloadKeysReplace>;

// --- SSO and SCIM (R-AUTHN-2, R-AUTHN-5) ---------------------------------------------------------

/** The tenant's OpenID Connect connection: never its client secret. */
export const SsoConnectionView = Type.Object(
  {
    configured: Type.Boolean(),
    issuer: Nullable(Type.String()),
    clientId: Nullable(Type.String()),
    linkBy: Nullable(Type.Union([Type.Literal('email'), Type.Literal('subject')])),
    mfaAcr: Type.Array(Type.String()),
    /** How Ward authenticates at the IdP's token endpoint (`ward sso configure --client-auth`). */
    clientAuth: Nullable(Type.Union([Type.Literal('client_secret_basic'), Type.Literal('client_secret_post'), Type.Literal('client_secret_jwt'), Type.Literal('private_key_jwt')])),
    /** private_key_jwt: where Ward publishes the tenant's public key, to register with the IdP. */
    clientJwksUri: Nullable(Type.String()),
    /** Set by the operator only (`ward sso configure --allow-http-issuer`, loopback tests). */
    allowHttpIssuer: Type.Boolean(),
    updatedAt: Nullable(Time),
    /** Where the IdP must send people back, to register with it. */
    redirectUri: Type.String(),
  },
  closed,
);
export type SsoConnectionView = Static<typeof SsoConnectionView>;
export const SsoConnectionSet = Type.Object(
  {
    issuer: Type.String({ minLength: 8, maxLength: 2000 }),
    clientId: Type.String({ minLength: 1, maxLength: 500 }),
    /** Write-only: absent keeps the stored secret. */
    clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    linkBy: Type.Union([Type.Literal('email'), Type.Literal('subject')]),
    mfaAcr: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 10 }),
  },
  closed,
);
export type SsoConnectionSet = Static<typeof SsoConnectionSet>;

/**
 * Another issuer or client (or a first one) for the tenant's OpenID Connect connection, or its
 * disconnection, proposed by one Owner or Admin and applied only when a second one approves it
 * (R-AUTHN-2, R-AUTHZ-5): 0120_sso_change_requests.sql. Never a secret.
 */
export const SsoChangeRequestItem = Type.Object(
  {
    id: Uuid,
    kind: Type.Union([Type.Literal('connect'), Type.Literal('disconnect')]),
    /** kind connect: the connection proposed (checked by discovery when proposed). */
    issuer: Nullable(Type.String()),
    clientId: Nullable(Type.String()),
    linkBy: Nullable(Type.Union([Type.Literal('email'), Type.Literal('subject')])),
    mfaAcr: Type.Array(Type.String()),
    clientAuth: Nullable(Type.String()),
    /** The connection it replaces (null: none). */
    replacesIssuer: Nullable(Type.String()),
    replacesClientId: Nullable(Type.String()),
    state: RefusableProposalState, ...proposalDates,
    nextApprover: Next,
  },
  closed,
);
export type SsoChangeRequestItem = Static<typeof SsoChangeRequestItem>;
export const SsoChangeRequestsReply = Type.Object({ requests: Type.Array(SsoChangeRequestItem) }, closed);
export type SsoChangeRequestsReply = Static<typeof SsoChangeRequestsReply>;
export const SsoChangeProposal = Type.Object(
  { ...SsoConnectionSet.properties, ttlHours: ProposalTtlHours },
  closed,
);
export type SsoChangeProposal = Static<typeof SsoChangeProposal>;

export const ScimTokenView = Type.Object(
  { id: Uuid, createdAt: Time, expiresAt: Time, revokedAt: Nullable(Time), lastUsedAt: Nullable(Time) },
  closed,
);
export type ScimTokenView = Static<typeof ScimTokenView>;
export const ScimTokensReply = Type.Object(
  { clientId: Nullable(Type.String()), status: Nullable(Type.String()), baseUrl: Type.String(), tokens: Type.Array(ScimTokenView) },
  closed,
);
export type ScimTokensReply = Static<typeof ScimTokensReply>;
/** Answered once, to the approver (0095): the token itself is stored by hash only. */
export const ScimTokenIssued = Type.Object(
  { token: Type.String(), tokenId: Uuid, clientId: Type.String(), expiresAt: Time, revoked: Type.Integer({ minimum: 0 }), registered: Type.Boolean() },
  closed,
);
export type ScimTokenIssued = Static<typeof ScimTokenIssued>;

/**
 * A SCIM token proposed by one Owner or Admin and made only when a second one approves it (R-AUTHZ-5,
 * R-ELEV-1): the approver's answer holds the token, once; the proposal holds no secret.
 */
export const ScimTokenRequestItem = Type.Object(
  {
    id: Uuid, days: Type.Integer({ minimum: 1, maximum: 365 }), revokeOld: Type.Boolean(),
    state: Type.Union(['pending', 'approved', 'cancelled', 'expired'].map((s) => Type.Literal(s))),
    ...proposalDates, tokenId: Nullable(Uuid),
    /** Who must approve next (the two-person rule); null once nothing waits for a person. */
    nextApprover: Nullable(Type.String()),
  },
  closed,
);
export type ScimTokenRequestItem = Static<typeof ScimTokenRequestItem>;
export const ScimTokenRequestsReply = Type.Object({ requests: Type.Array(ScimTokenRequestItem) }, closed);
export type ScimTokenRequestsReply = Static<typeof ScimTokenRequestsReply>;
export const ScimTokenProposal = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })), revokeOld: Type.Boolean(), ttlHours: ProposalTtlHours },
  closed,
);
export type ScimTokenProposal = Static<typeof ScimTokenProposal>;
export const ScimTokenApproved = Type.Object({ request: ScimTokenRequestItem, issued: ScimTokenIssued }, closed);
export type ScimTokenApproved = Static<typeof ScimTokenApproved>;

/**
 * A new key for a workload with a PHI scope, proposed by one Owner or Admin and added only when a
 * second one approves it (R-AUTHZ-5, R-ELEV-1, R-WORK-2). Public keys only: no secret in a proposal.
 */
export const WorkloadKeyRequestItem = Type.Object(
  {
    id: Uuid, clientId: Type.String(), workloadName: Type.String(),
    /** The set the approval installs, by id and thumbprint. */
    keys: Type.Array(WorkloadKeyView),
    state: Type.Union(['pending', 'approved', 'cancelled', 'expired'].map((s) => Type.Literal(s))),
    ...proposalDates,
    nextApprover: Nullable(Type.String()),
  },
  closed,
);
export type WorkloadKeyRequestItem = Static<typeof WorkloadKeyRequestItem>;
export const WorkloadKeyRequestsReply = Type.Object({ requests: Type.Array(WorkloadKeyRequestItem) }, closed);
export type WorkloadKeyRequestsReply = Static<typeof WorkloadKeyRequestsReply>;
export const WorkloadKeyProposal = Type.Object({ jwk: PublicJwk, ttlHours: ProposalTtlHours }, closed);
export type WorkloadKeyProposal = Static<typeof WorkloadKeyProposal>;
