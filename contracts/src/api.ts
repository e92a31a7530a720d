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
