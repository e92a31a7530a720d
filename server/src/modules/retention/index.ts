/** Retention (R-DATA-5): policies per artifact, legal holds, two-person changes, and the leased job that applies them. */
export {
  RETENTION_ARTIFACTS, checkRetentionPolicy, setRetentionPolicy, placeLegalHold, listRetentionPolicies, listLegalHolds,
  type RetentionArtifact, type RetentionAction, type RetentionPolicy, type RetentionPolicyRow, type LegalHold,
} from './policies.ts';
export {
  approveRetentionChange, findRetentionRequest, listRetentionRequests, proposeHoldRelease, proposeRetentionPolicy, refuseRetentionChange, type RetentionActor,
} from './requests.ts';
export { runRetention, startRetentionJob, RETENTION_LEASE, type RetentionDeps, type RetentionRun, type RetentionOutcome } from './retention-job.ts';
export { takeLease, releaseLease, startInterval } from './lease.ts';
