/** Identity (R-AUTHN-1, R-AUTHN-3, R-AUTHN-4 recovery): passkey ceremonies, enrollment and a member's passkeys. */
export { createPasskeyCeremonies, type PasskeyCeremonies } from './ceremonies.ts';
export { userHandleOf, type CeremonyDeps, type SignedIn } from './ceremony.ts';
export type { StepUpCaller } from './step-up.ts';
export { createTenant, DEFAULT_ENROLLMENT_TTL_SECONDS, demoEnrollment, enrollmentLink, landingLink, ROLE_LANDING, inviteMember, issueEnrollmentLinkInTx, inviteMemberInTx, type Invitation, type InvitationInput } from './enrollment.ts';
export { approveInvitation, approveInvitationInTx, grantPhiScope, grantRole, PRIVILEGED_ROLES, type Actor } from './grants.ts';
export { listPasskeys, renamePasskey, revokePasskey, type PasskeySummary } from './passkeys.ts';
export { describeMember } from './me.ts';
export { emailRefusal, normalEmail, type EmailRefusal } from './email.ts';
export { listMembers } from './members.ts';
export { disableMemberInTx, enableMemberInTx } from './member-status.ts';
export { approvePhiGrantInTx, cancelPhiGrantInTx, DEFAULT_PHI_GRANT_TTL_SECONDS, findPhiGrant, listPhiGrants, proposePhiGrantInTx } from './phi-grants.ts';
export { approveRoleGrantInTx, cancelRoleGrantInTx, findRoleGrant, listRoleGrants, proposeRoleGrantInTx, revokeRoleInTx } from './role-grants.ts';
export { CHANGE_REFUSALS, changeProposalReads, DEFAULT_PROPOSAL_TTL_SECONDS, MAX_PROPOSAL_TTL_SECONDS, proposalTimes, proposalTtl, secondOwnerOrAdmin } from './proposals.ts';
export {
  approveRecoveryInTx, liftRecoveryInTx, openRecoveryInTx, sealRecoveryNote, RECOVERY_LINK_TTL_SECONDS, RECOVERY_NOTE_MAX_CHARS, RECOVERY_VERIFIED_BY, recoveryLink,
  type RecoveryActor, type RecoveryDeps, type RecoveryStep, type SealedNote,
} from './recovery.ts';
