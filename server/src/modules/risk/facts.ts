import { isIPv4, isIPv6 } from 'node:net';
import type { Authenticated } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { RiskFacts } from './rules.ts';

/**
 * R-SESS-2: reads one request's risk facts in the request's own transaction (row-level security
 * confines it to the tenant), with one statement, which also records a network the principal has not
 * used before (FACTS_SQL). No PHI is read: times, counts, a device's posture time,
 * the tenant's working hours and the principal's known network prefixes and countries.
 */
export interface RiskWindows {
  /** How long a network stays "new" after its first use (default 24 h). */
  newNetworkSeconds: number;
  deniedWithinSeconds: number;
  failedAuthWithinSeconds: number;
}

export const DEFAULT_RISK_WINDOWS: RiskWindows = { newNetworkSeconds: 24 * 3600, deniedWithinSeconds: 600, failedAuthWithinSeconds: 900 };

/** The working hours of a tenant (`tenants.settings.risk`), in its IANA time zone. */
export interface WorkingHours {
  timeZone: string;
  /** Hours of the day, 0–24, start inclusive, end exclusive. */
  startHour: number;
  endHour: number;
  /** ISO weekdays (1 Monday … 7 Sunday). */
  days: readonly number[];
}

export const DEFAULT_WORKING_HOURS: WorkingHours = { timeZone: 'UTC', startHour: 7, endHour: 19, days: [1, 2, 3, 4, 5] };

export interface RiskReading {
  facts: RiskFacts;
  /**
   * When the new network or country was first used: only a verification after that answers it. The
   * other signals ask for a recent verification only (the policy's window): bursts and detections
   * keep moving while someone keeps going, and must never lock the principal out.
   */
  onsets: Partial<Record<'newPrefix' | 'newCountry', Date>>;
}

/**
 * The network prefix of an address: /24 for IPv4, /48 for IPv6; null when there is none. Loopback
 * (the server's own host: a local proxy, a test) is no network location, so never a new one.
 */
export function networkPrefix(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(v4)) return v4.startsWith('127.') ? null : `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(ip) || ip === '::1') return null;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 3).map((g) => g.replace(/^0+(?=.)/, '').toLowerCase()).join(':')}::/48`;
}

// The canonical IANA name of each configured zone name (null: unknown), remembered: the settings are
// read on every request and a DateTimeFormat costs ~0.3 ms to build, while the answer for a given
// name never changes within a process. Bounded: a tenant setting names one zone.
const canonicalZones = new Map<string, string | null>();
const MAX_ZONE_NAMES = 1024;

function canonicalZone(name: string): string | null {
  let zone = canonicalZones.get(name);
  if (zone === undefined) {
    try {
      zone = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      zone = null;
    }
    if (canonicalZones.size >= MAX_ZONE_NAMES) canonicalZones.clear();
    canonicalZones.set(name, zone);
  }
  return zone;
}

/** A whole hour 0–24, else `d`. At module level: a closure made per request pays for its name under tsx (R-OPS-1). */
function hour(v: unknown, d: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 24 ? v : d;
}

export function workingHours(raw: unknown): WorkingHours {
  const s = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  // An unknown zone keeps UTC: off-hours only ever adds caution, so a default is safe.
  const timeZone = (typeof s.timeZone === 'string' ? canonicalZone(s.timeZone) : null) ?? DEFAULT_WORKING_HOURS.timeZone;
  const days = Array.isArray(s.days) && s.days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7) ? (s.days as number[]) : DEFAULT_WORKING_HOURS.days;
  return { timeZone, startHour: hour(s.startHour, DEFAULT_WORKING_HOURS.startHour), endHour: hour(s.endHour, DEFAULT_WORKING_HOURS.endHour), days };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
/** The local weekday and hour of each zone for the last UTC minute asked (one entry per known zone). */
const localTimes = new Map<string, { minute: number; weekday: number; hour: number }>();

/**
 * The weekday and hour in `timeZone` at `at`. Every zone's offset is a whole number of minutes, so
 * both stay the same through a UTC minute: formatted once per zone and minute (R-OPS-1: this runs on
 * every request, and formatting costs more than the rest of the assessment).
 */
function localWeekdayHour(timeZone: string, at: Date): { weekday: number; hour: number } {
  const minute = Math.floor(at.getTime() / 60_000);
  const known = localTimes.get(timeZone);
  if (known?.minute === minute) return known;
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const local = {
    minute,
    weekday: WEEKDAYS[parts.find((p) => p.type === 'weekday')?.value ?? ''] ?? 0,
    hour: Number(parts.find((p) => p.type === 'hour')?.value ?? 0),
  };
  localTimes.set(timeZone, local);
  return local;
}

/** Whether `at` falls outside the working hours, in the tenant's time zone. */
export function isOffHours(hours: WorkingHours, at: Date): boolean {
  const { weekday, hour } = localWeekdayHour(hours.timeZone, at);
  return !hours.days.includes(weekday) || hour < hours.startHour || hour >= hours.endHour;
}

// One statement: the device's posture time, the tenant's working hours, what is known of the
// request's network and country for this principal, the detections not closed that name it (R-MON-1,
// 0033), and its recent denials and failed authentications (the partial index audit_events_actor_unsuccessful keeps this to a short range).
// A network or country this principal has not used before is remembered from now on, by the same
// statement (a data-modifying CTE: its INSERT runs once, and the SELECT's snapshot does not see it, so the
// facts read are those from before it, as when the INSERT was a second statement). One statement with no
// answer to wait for before the next: the guard sends its read-only switch and the load right behind
// it, in the same round trip (R-OPS-1).
const FACTS_SQL = `
WITH first_use AS (
  INSERT INTO risk_networks (tenant_id, principal_id, kind, value, first_seen_at)
  SELECT $1::uuid, $2::text, k.kind, k.value, $6::timestamptz FROM (VALUES ('prefix', $4::text), ('country', $5::text)) AS k (kind, value)
   WHERE k.value <> '' AND NOT EXISTS (
     SELECT 1 FROM risk_networks r WHERE r.tenant_id = $1::uuid AND r.principal_id = $2::text AND r.kind = k.kind AND r.value = k.value)
  ON CONFLICT DO NOTHING)
SELECT t.settings -> 'risk' AS hours,
       (SELECT d.posture_updated_at FROM devices d WHERE d.id = $3::uuid) AS posture_updated_at,
       n.prefix_first_seen_at, n.prefix_older, n.country_first_seen_at, n.country_older,
       a.denials, a.failed_auth,
       dt.open_detections
  FROM tenants t
 CROSS JOIN LATERAL (
   SELECT count(*)::int AS open_detections
     FROM detections x WHERE x.tenant_id = $1 AND x.principal_id = $2 AND x.state <> 'closed') dt
 CROSS JOIN LATERAL (
   SELECT min(r.first_seen_at) FILTER (WHERE r.kind = 'prefix' AND r.value = $4) AS prefix_first_seen_at,
          min(r.first_seen_at) FILTER (WHERE r.kind = 'prefix' AND r.value <> $4) AS prefix_older,
          min(r.first_seen_at) FILTER (WHERE r.kind = 'country' AND r.value = $5) AS country_first_seen_at,
          min(r.first_seen_at) FILTER (WHERE r.kind = 'country' AND r.value <> $5) AS country_older
     FROM risk_networks r WHERE r.tenant_id = $1 AND r.principal_id = $2) n
 CROSS JOIN LATERAL (
   SELECT count(*) FILTER (WHERE e.outcome = 'denied' AND e.occurred_at > $6::timestamptz - make_interval(secs => $7))::int AS denials,
          count(*) FILTER (WHERE e.outcome = 'failure' AND e.action = ANY ($9::text[]) AND e.occurred_at > $6::timestamptz - make_interval(secs => $8))::int AS failed_auth
     FROM audit_events e
    WHERE e.tenant_id = $1 AND e.actor_id = $2 AND e.outcome <> 'success'
      AND e.occurred_at > $6::timestamptz - make_interval(secs => greatest($7, $8))) a
 WHERE t.id = $1`;

/** The ceremonies whose failures count against a member (identity/: sign-in, step-up). */
const AUTH_ACTIONS = ['auth.sign_in', 'auth.step_up'];

interface FactsRow {
  hours: unknown;
  posture_updated_at: Date | null;
  prefix_first_seen_at: Date | null;
  prefix_older: Date | null;
  country_first_seen_at: Date | null;
  country_older: Date | null;
  denials: number;
  failed_auth: number;
  open_detections: number;
}

const seconds = (from: Date, to: Date) => Math.max(0, Math.floor((to.getTime() - from.getTime()) / 1000));
const asDate = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

/** Whether a network first seen at `firstSeen` (null: now) is new: recent, and others came before it. */
function isNewNetwork(firstSeen: Date | null, older: Date | null, now: Date, windowSeconds: number): boolean {
  const seen = firstSeen ?? now;
  return older !== null && older < seen && seconds(seen, now) < windowSeconds;
}

export function createRiskFactReader(deps: {
  /** The country of an address (ISO 3166-1 alpha-2), when the deployment has a source for it. */
  countryOf?: (ip: string) => string | null;
  windows?: RiskWindows;
}) {
  const windows = deps.windows ?? DEFAULT_RISK_WINDOWS;

  return async function readRiskFacts(tx: Tx, who: Authenticated, ctx: { sourceIp: string | null; now: Date }): Promise<RiskReading> {
    const { principal, credential, device } = who;
    const { now } = ctx;
    const prefix = networkPrefix(ctx.sourceIp);
    const country = ctx.sourceIp ? deps.countryOf?.(ctx.sourceIp) ?? null : null;
    const { rows } = await tx.query<FactsRow>(FACTS_SQL, [
      principal.tenantId, principal.id, device?.id ?? null, prefix ?? '', country ?? '', now.toISOString(),
      windows.deniedWithinSeconds, windows.failedAuthWithinSeconds, AUTH_ACTIONS,
    ]);
    const row = rows[0];
    if (!row) throw new Error('risk facts: the tenant is not visible in this transaction');
    const prefixFirst = asDate(row.prefix_first_seen_at);
    const countryFirst = asDate(row.country_first_seen_at);
    const postureAt = asDate(row.posture_updated_at);
    const createdAt = credential.kind === 'session' ? credential.createdAt : credential.lastVerifiedAt;
    const facts: RiskFacts = {
      sessionAgeSeconds: seconds(createdAt, now),
      verifiedAgeSeconds: seconds(credential.lastVerifiedAt, now),
      devicePosture: device ? device.posture : 'none',
      postureAgeSeconds: device && postureAt ? seconds(postureAt, now) : -1,
      newPrefix: prefix !== null && isNewNetwork(prefixFirst, asDate(row.prefix_older), now, windows.newNetworkSeconds),
      newCountry: country !== null && isNewNetwork(countryFirst, asDate(row.country_older), now, windows.newNetworkSeconds),
      offHours: isOffHours(workingHours(row.hours), now),
      recentDenials: Number(row.denials),
      recentFailedAuth: Number(row.failed_auth),
      openDetections: Number(row.open_detections),
    };
    const onsets: RiskReading['onsets'] = {};
    if (facts.newPrefix) onsets.newPrefix = prefixFirst ?? now;
    if (facts.newCountry) onsets.newCountry = countryFirst ?? now;
    return { facts, onsets };
  };
}

export type RiskFactReader = ReturnType<typeof createRiskFactReader>;
