/**
 * A tenant's session settings (`tenants.settings` jsonb), read with defaults and bounds: a value
 * that is missing or out of range falls back to the secure default or is clamped (fail closed).
 * R-SESS-1, 45 CFR 164.312(a)(2)(iii): automatic logoff after the idle timeout; R-SESS-4: whether
 * the tenant trusts its members' new devices automatically (off by default), except the devices of
 * the members it lists in `unmanagedMembers` (member ids), which start `unknown` like anywhere else.
 */
export interface SessionSettings {
  idleTimeoutSeconds: number;
  absoluteLifetimeSeconds: number;
  trustNewDevices: boolean;
  unmanagedMembers: readonly string[];
  /** R-SESS-4: a posture source's report older than this reads as `unknown` (default 24 h; 5 minutes to 30 days). */
  postureMaxAgeSeconds: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  idleTimeoutSeconds: 15 * 60,
  absoluteLifetimeSeconds: 12 * 60 * 60,
  trustNewDevices: false,
  unmanagedMembers: [],
  postureMaxAgeSeconds: 24 * 60 * 60,
};

const BOUNDS = {
  idleTimeoutSeconds: [60, 8 * 60 * 60],
  absoluteLifetimeSeconds: [5 * 60, 24 * 60 * 60],
  postureMaxAgeSeconds: [5 * 60, 30 * 24 * 60 * 60],
} as const;

function bounded(value: unknown, [min, max]: readonly [number, number], fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(Math.max(Math.floor(value), min), max);
}

export function sessionSettings(raw: unknown): SessionSettings {
  const s = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const idle = bounded(s.idleTimeoutSeconds, BOUNDS.idleTimeoutSeconds, DEFAULT_SESSION_SETTINGS.idleTimeoutSeconds);
  const absolute = bounded(s.absoluteLifetimeSeconds, BOUNDS.absoluteLifetimeSeconds, DEFAULT_SESSION_SETTINGS.absoluteLifetimeSeconds);
  return {
    idleTimeoutSeconds: Math.min(idle, absolute),
    absoluteLifetimeSeconds: absolute,
    trustNewDevices: s.trustNewDevices === true,
    unmanagedMembers: Array.isArray(s.unmanagedMembers) ? s.unmanagedMembers.filter((m): m is string => typeof m === 'string') : [],
    postureMaxAgeSeconds: bounded(s.postureMaxAgeSeconds, BOUNDS.postureMaxAgeSeconds, DEFAULT_SESSION_SETTINGS.postureMaxAgeSeconds),
  };
}

/** R-SESS-4: whether a new device of `memberId` is recorded as managed without a posture source. */
export function isNewDeviceTrusted(settings: SessionSettings, memberId: string): boolean {
  return settings.trustNewDevices && !settings.unmanagedMembers.includes(memberId);
}
