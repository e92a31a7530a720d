import { Type, type Static } from '@sinclair/typebox';
import { PhiScopeSchema, RoleSchema } from './schemas.ts';

/**
 * The admin console's member list (R-UX-1, R-AUTHN-3, R-AUTHZ-5): workforce members of the caller's
 * tenant with their roles, PHI scopes, passkeys, devices and where their newest invitation stands.
 * Workforce data only, never a patient's field. An invitation awaiting its second person says who
 * may approve it next: an enrolled Owner or Admin who is neither the inviter nor the invitee.
 */
const closed = { additionalProperties: false } as const;
const Uuid = Type.String({ format: 'uuid' });
const Time = Type.String();

export const INVITATION_STATES = ['awaiting approval', 'awaiting enrollment', 'enrolled', 'expired'] as const;
export const RECOVERY_STATES = ['opened', 'approved', 'registered'] as const;

export const MemberItem = Type.Object(
  {
    id: Uuid,
    email: Type.String(),
    displayName: Type.String(),
    status: Type.Union([Type.Literal('invited'), Type.Literal('active'), Type.Literal('restricted'), Type.Literal('disabled')]),
    roles: Type.Array(RoleSchema),
    phiScopes: Type.Array(PhiScopeSchema),
    passkeys: Type.Integer({ minimum: 0 }),
    devices: Type.Object({ total: Type.Integer({ minimum: 0 }), managed: Type.Integer({ minimum: 0 }) }, closed),
    lastActiveAt: Type.Union([Time, Type.Null()]),
    invitation: Type.Union([
      Type.Null(),
      Type.Object(
        {
          role: Type.Union([RoleSchema, Type.Null()]),
          state: Type.Union(INVITATION_STATES.map((s) => Type.Literal(s))),
          invitedBy: Type.Union([Uuid, Type.Null()]),
          expiresAt: Time,
          /** Who must approve next (the two-person rule); null when nothing waits for a person. */
          nextApprover: Type.Union([Type.String(), Type.Null()]),
        },
        closed,
      ),
    ]),
    /**
     * R-AUTHN-3: identity proofing. `provisioned`: the IdP (SCIM) created the member, whose first
     * enrollment link follows a proofing an Owner or Admin records; `idProofing`: the newest one
     * recorded (method, when, by whom; the note is never sent); `proofingNeeded`: provisioned, not
     * yet proofed, no passkey.
     */
    provisioned: Type.Boolean(),
    idProofing: Type.Union([Type.Null(), Type.Object({ method: Type.String(), recordedAt: Time, recordedBy: Uuid }, closed)]),
    proofingNeeded: Type.Boolean(),
    /** A lost-device recovery in progress (R-AUTHN-4): its step and who acts next; the note is never sent. */
    recovery: Type.Union([
      Type.Null(),
      Type.Object(
        {
          state: Type.Union(RECOVERY_STATES.map((s) => Type.Literal(s))),
          verifiedBy: Type.String(),
          openedBy: Uuid,
          openedAt: Time,
          /** The managed-device use after the new passkey happened: a second person may lift the restriction. */
          trustedUse: Type.Boolean(),
          next: Type.String(),
        },
        closed,
      ),
    ]),
  },
  closed,
);
export type MemberItem = Static<typeof MemberItem>;

export const MembersReply = Type.Object({ members: Type.Array(MemberItem) }, closed);
export type MembersReply = Static<typeof MembersReply>;

/**
 * A PHI-scope grant proposal (R-AUTHZ-2, R-AUTHZ-5): an Owner or Admin proposes a scope for another
 * member; a second Owner or Admin, neither the proposer nor the member, approves it, and only then
 * is the scope granted. Open proposals expire on their own (`expired`) or are cancelled.
 */
export const PHI_GRANT_STATES = ['pending', 'approved', 'cancelled', 'expired'] as const;
/** Where a two-person proposal stands (PHI-scope and role grants alike). */
const ProposalFields = {
  state: Type.Union(PHI_GRANT_STATES.map((s) => Type.Literal(s))),
  proposedBy: Uuid,
  proposedAt: Time,
  expiresAt: Time,
  decidedBy: Type.Union([Uuid, Type.Null()]),
  decidedAt: Type.Union([Time, Type.Null()]),
  /** Who must approve next (the two-person rule); null once nothing waits for a person. */
  nextApprover: Type.Union([Type.String(), Type.Null()]),
};
export const PhiGrantItem = Type.Object({ id: Uuid, memberId: Uuid, phiScope: PhiScopeSchema, ...ProposalFields }, closed);
export type PhiGrantItem = Static<typeof PhiGrantItem>;
export const PhiGrantsReply = Type.Object({ grants: Type.Array(PhiGrantItem) }, closed);
export type PhiGrantsReply = Static<typeof PhiGrantsReply>;
export const PhiGrantProposal = Type.Object(
  { phiScope: PhiScopeSchema, ttlHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168 })) },
  closed,
);
export type PhiGrantProposal = Static<typeof PhiGrantProposal>;

/**
 * A role proposed for an existing member (R-AUTHZ-5, R-AUTHN-5), decided like a PHI-scope grant: a
 * second Owner or Admin (an Owner for Owner and Admin), neither the proposer nor the member, approves
 * it, and only then is the role granted. Removing a role needs no second person and is immediate.
 */
export const RoleGrantItem = Type.Object({ id: Uuid, memberId: Uuid, role: RoleSchema, ...ProposalFields }, closed);
export type RoleGrantItem = Static<typeof RoleGrantItem>;
export const RoleGrantsReply = Type.Object({ grants: Type.Array(RoleGrantItem) }, closed);
export type RoleGrantsReply = Static<typeof RoleGrantsReply>;
export const RoleGrantProposal = Type.Object({ role: RoleSchema, ttlHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168 })) }, closed);
export type RoleGrantProposal = Static<typeof RoleGrantProposal>;
export const RoleRevoked = Type.Object({ memberId: Uuid, role: RoleSchema, revokedSessions: Type.Integer({ minimum: 0 }) }, closed);
export type RoleRevoked = Static<typeof RoleRevoked>;

/**
 * A member's devices with their posture (R-SESS-4, R-UX-1): the posture decisions use now (a
 * reported posture ages to `unknown`), where it came from, the last report's checks, when the device
 * was last seen, its live sessions and whether it is locked (revoked until a second person unlocks it).
 */
export const DeviceItem = Type.Object(
  {
    id: Uuid,
    memberId: Uuid,
    posture: Type.Union([Type.Literal('managed'), Type.Literal('unmanaged'), Type.Literal('unknown')]),
    postureSource: Type.Union([Type.String(), Type.Null()]),
    postureUpdatedAt: Type.Union([Time, Type.Null()]),
    checks: Type.Union([
      Type.Null(),
      Type.Object({ managed: Type.Boolean(), diskEncrypted: Type.Boolean(), osCurrent: Type.Boolean(), healthy: Type.Boolean() }, closed),
    ]),
    mdmBound: Type.Boolean(),
    createdAt: Time,
    lastSeenAt: Type.Union([Time, Type.Null()]),
    liveSessions: Type.Integer({ minimum: 0 }),
    locked: Type.Boolean(),
  },
  closed,
);
export type DeviceItem = Static<typeof DeviceItem>;
export const DevicesReply = Type.Object({ devices: Type.Array(DeviceItem) }, closed);
export type DevicesReply = Static<typeof DevicesReply>;
export const DeviceRevoked = Type.Object({ deviceId: Uuid, lockId: Uuid, revokedSessions: Type.Integer({ minimum: 0 }) }, closed);
export type DeviceRevoked = Static<typeof DeviceRevoked>;

/** A member disabled or enabled again (R-AUTHN-5): the new status and the sessions that ended. */
export const MemberStatusChanged = Type.Object(
  {
    memberId: Uuid,
    status: Type.Union([Type.Literal('invited'), Type.Literal('active'), Type.Literal('restricted'), Type.Literal('disabled')]),
    revokedSessions: Type.Integer({ minimum: 0 }),
  },
  closed,
);
export type MemberStatusChanged = Static<typeof MemberStatusChanged>;
