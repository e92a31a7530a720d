import { Type, type Static } from '@sinclair/typebox';
import { AnyRoleSchema, DevicePostureSchema, PhiScopeSchema } from './schemas.ts';

/**
 * Response bodies the dashboard (web/) reads: the server's routes validate and filter their replies
 * with these schemas, and the dashboard takes its types from them (`Static<>`), so the two cannot
 * drift apart unnoticed (`npm run lint` type-checks both).
 */
const closed = { additionalProperties: false } as const;

/** GET /v1/me: who the session's member is, how they signed in, and from which device. */
export const MeReply = Type.Object({
  memberId: Type.String(),
  email: Type.String(),
  /** R-AUTHN-4: `restricted` after a lost-device recovery, until a second person lifts it. */
  status: Type.Union([Type.Literal('active'), Type.Literal('restricted')]),
  tenant: Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }, closed),
  roles: Type.Array(AnyRoleSchema),
  scopes: Type.Array(PhiScopeSchema),
  session: Type.Object({
    authMethod: Type.Union([Type.Literal('passkey'), Type.Literal('oidc')]), amr: Type.Array(Type.String()), mfa: Type.Boolean(),
    lastVerifiedAt: Type.String(), expiresAt: Type.String(),
  }, closed),
  device: Type.Union([Type.Object({ id: Type.String(), posture: DevicePostureSchema }, closed), Type.Null()]),
}, closed);
export type MeReply = Static<typeof MeReply>;

/** GET /v1/me/passkeys. */
export const PasskeyListReply = Type.Object({
  passkeys: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(), createdAt: Type.String(), lastUsedAt: Type.Union([Type.String(), Type.Null()]),
    backupEligible: Type.Boolean(), backupState: Type.Boolean(), possiblyCloned: Type.Boolean(),
  }, closed)),
}, closed);
export type PasskeyListReply = Static<typeof PasskeyListReply>;

/** POST /v1/auth/enroll/verify, /v1/auth/sign-in/verify: a session is open. */
export const SignedInReply = Type.Object({ memberId: Type.String() }, closed);
export type SignedInReply = Static<typeof SignedInReply>;

/** POST /v1/auth/step-up/verify. */
export const StepUpReply = Type.Object({ lastVerifiedAt: Type.String() }, closed);
export type StepUpReply = Static<typeof StepUpReply>;

/** POST /v1/auth/sso/start, …/step-up/start, …/link/start: where the browser goes next. */
export const SsoStartReply = Type.Object({ authorizationUrl: Type.String() }, closed);
export type SsoStartReply = Static<typeof SsoStartReply>;

/** POST /v1/auth/sso/complete. */
export const SsoCompleteReply = Type.Object({
  purpose: Type.Union([Type.Literal('sign_in'), Type.Literal('step_up'), Type.Literal('link')]), memberId: Type.String(), next: Type.String(),
}, closed);
export type SsoCompleteReply = Static<typeof SsoCompleteReply>;

/** POST /v1/auth/sso/logout: the IdP's end-session URL, for an SSO session. */
export const SsoLogoutReply = Type.Object({ endSessionUrl: Type.Union([Type.String(), Type.Null()]) }, closed);
export type SsoLogoutReply = Static<typeof SsoLogoutReply>;

/**
 * An AI vendor as Owners and Admins see it (R-AI-3, docs/ai.md): no API key, no BAA document; who
 * attested and approved the BAA are member ids. `GET /v1/ai/vendors` lists them with the local provider's
 * place (the purposes no vendor is active for).
 */
export const AiVendorView = Type.Object({
  name: Type.String(), baseUrl: Type.String(), model: Type.String(), timeoutMs: Type.Integer(),
  baaState: Type.Union(['none', 'pending', 'active', 'expired', 'not-yet-effective'].map((s) => Type.Literal(s))),
  baaEffective: Type.Union([Type.String(), Type.Null()]), baaExpires: Type.Union([Type.String(), Type.Null()]),
  baaAttestedBy: Type.Union([Type.String(), Type.Null()]), baaApprovedBy: Type.Union([Type.String(), Type.Null()]),
  activeFor: Type.Array(Type.String()),
}, closed);
export type AiVendorView = Static<typeof AiVendorView>;
export const AiVendorListReply = Type.Object({ vendors: Type.Array(AiVendorView), localFor: Type.Array(Type.String()) }, closed);
export type AiVendorListReply = Static<typeof AiVendorListReply>;

/** A tenant AI template version (R-AI-2): proposed by one Owner or Admin, active once a second approved it. */
export const AiTemplateVersionView = Type.Object({
  id: Type.String(), version: Type.Integer(), purpose: Type.String(),
  state: Type.Union(['default', 'proposed', 'active', 'superseded', 'rejected', 'retired'].map((s) => Type.Literal(s))),
  proposedBy: Type.Union([Type.String(), Type.Null()]), proposedAt: Type.Union([Type.String(), Type.Null()]),
  decidedBy: Type.Union([Type.String(), Type.Null()]), decidedAt: Type.Union([Type.String(), Type.Null()]),
  runs: Type.Boolean(),
  // The latest request to retire this version (two people, like adding one): open while `outcome` is null.
  retirement: Type.Union([Type.Object({
    requestedBy: Type.String(), requestedAt: Type.String(), outcome: Type.Union([Type.Literal('approved'), Type.Literal('rejected'), Type.Null()]),
    decidedBy: Type.Union([Type.String(), Type.Null()]), decidedAt: Type.Union([Type.String(), Type.Null()]),
  }, closed), Type.Null()]),
}, closed);
export type AiTemplateVersionView = Static<typeof AiTemplateVersionView>;
/** GET /v1/ai/templates: the defaults of `ai/templates/` and every tenant version; `runs` marks what the gateway uses. */
export const AiTemplateListReply = Type.Object({ templates: Type.Array(AiTemplateVersionView) }, closed);
export type AiTemplateListReply = Static<typeof AiTemplateListReply>;
