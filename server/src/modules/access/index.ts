/** The one enforcement path: every access to data runs through `guard.run` (DESIGN.md, R-AUTHZ-1). */
export { createGuard, type Guard, type GuardRequest, type ResourceRef } from './guard.ts';
export type { Authentication, Authenticator } from './authentication.ts';
export type { TwoPhaseRequest } from './two-phase.ts';
