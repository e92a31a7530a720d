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
