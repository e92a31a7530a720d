/** Sessions and devices (R-SESS-1, R-SESS-3, R-SESS-4): the public face of the module. */
export { createSessionAuthenticator, memberScope, SLIDE_STEP_SECONDS, type SessionAuthentication, type SessionAuthenticator } from './authenticator.ts';
export { clearedSessionCookie, readSessionCookie, sessionCookie, sessionCookieName } from './cookie.ts';
export { setDevicePosture } from './devices.ts';
export { listDevices, revokeDeviceSessions } from './device-admin.ts';
export { createRateLimiter, sourceKey, type RateLimiter } from './rate-limit.ts';
export { createSessions, endSession, markVerified, requireRecentVerification, revokeMemberSessions, signInLockReason, type DeviceKey, type IssuedSession, type Sessions, type SessionStart } from './sessions.ts';
export { DEFAULT_SESSION_SETTINGS, sessionSettings, type SessionSettings } from './settings.ts';
export { newSecret, secretHash } from './secrets.ts';
export {
  BINDING_CODE_TTL_SECONDS, claimDeviceBinding, effectivePosture, findBoundDevice, issueBindingCode, normalizeBindingCode, postureOfReport, recordPostureReport,
  type PostureReport,
} from './posture-source.ts';
