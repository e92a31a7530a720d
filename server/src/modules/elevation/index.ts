/**
 * Just-in-time elevation, break-glass and locks (R-ELEV-1, R-ELEV-2, R-AUTHZ-5, R-GOV-5;
 * docs/elevation.md). The enforcement point reads the live state (access-state.ts); the routes and
 * the CLI change it through the database's SECURITY DEFINER functions (0038_elevation.sql).
 */
export {
  asElevationTarget, covers, elevate, elevationTarget, readAccessState, widenScope, type AccessState, type ActiveElevation, type Elevated, type ElevationTarget,
} from './access-state.ts';
export {
  decideElevationInTx, ELEVATION_DEFAULT_MAX_SECONDS, elevationMember, elevationView, LIST_ELEVATIONS, listElevations, requestElevationInTx, revokeElevationInTx, sealReason,
  type ElevationAsk, type ElevationDecision, type ElevationTargetType, type ElevationView, type Encrypt, type RequestedElevation, type SealedReason,
} from './requests.ts';
export {
  BREAKGLASS_ACTIONS, BREAKGLASS_MAX_SECONDS, escalateOverdueReviews, openBreakGlassInTx, REVIEW_OUTCOMES, reviewBreakGlassInTx, reviewMember, setBreakGlassMemberInTx,
  type BreakGlassOpened,
} from './break-glass.ts';
export { listLocks, LOCK_TARGETS, lockAsOperator, lockInTx, resolveLockTarget, unlockInTx, type LockTarget, type LockView } from './locks.ts';
