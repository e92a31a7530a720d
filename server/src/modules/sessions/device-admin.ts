import type { DeviceItem, DevicePosture } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import { effectivePosture } from './posture-source.ts';
import { sessionSettings } from './settings.ts';

/**
 * The admin console's devices (R-SESS-4, R-UX-1), read under the caller's scoped transaction (row-
 * level security keeps them to the caller's tenant): the posture the decisions use now (a reported
 * posture ages to `unknown`), its source and checks, live sessions and whether a lock holds it.
 * No key material and no MDM identifier leave here.
 */
interface Row {
  id: string; member_id: string; posture: DevicePosture; posture_source: string | null; posture_updated_at: Date | null;
  posture_report: { managed?: unknown; diskEncrypted?: unknown; osCurrent?: unknown; healthy?: unknown } | null; mdm_bound: boolean;
  created_at: Date; last_seen_at: Date | null; live_sessions: number; locked: boolean; tenant_settings: Record<string, unknown>;
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

export async function listDevices(tx: Tx, now: Date, opts: { memberId?: string } = {}): Promise<DeviceItem[]> {
  const { rows } = await tx.query<Row>(
    `SELECT d.id, d.member_id, d.posture, d.posture_source, d.posture_updated_at, d.posture_report, d.mdm_device_id IS NOT NULL AS mdm_bound,
            d.created_at, d.last_seen_at, t.settings AS tenant_settings,
            (SELECT count(*)::int FROM sessions s WHERE s.device_id = d.id AND s.revoked_at IS NULL AND s.expires_at > $1) AS live_sessions,
            EXISTS (SELECT 1 FROM locks l WHERE l.target_kind = 'device' AND l.target_id = d.id AND l.unlocked_at IS NULL) AS locked
       FROM devices d JOIN tenants t ON t.id = d.tenant_id
      WHERE ($2::uuid IS NULL OR d.member_id = $2)
      ORDER BY d.member_id, d.created_at`, [now, opts.memberId ?? null]);
  return rows.map((r) => {
    const rep = r.posture_report;
    const checks = rep && [rep.managed, rep.diskEncrypted, rep.osCurrent, rep.healthy].every((v) => typeof v === 'boolean')
      ? { managed: rep.managed as boolean, diskEncrypted: rep.diskEncrypted as boolean, osCurrent: rep.osCurrent as boolean, healthy: rep.healthy as boolean }
      : null;
    return {
      id: r.id, memberId: r.member_id,
      posture: effectivePosture({ ...r, posture_updated_at: r.posture_updated_at ? new Date(r.posture_updated_at) : null }, sessionSettings(r.tenant_settings).postureMaxAgeSeconds, now),
      postureSource: r.posture_source, postureUpdatedAt: iso(r.posture_updated_at), checks, mdmBound: r.mdm_bound,
      createdAt: iso(r.created_at)!, lastSeenAt: iso(r.last_seen_at), liveSessions: r.live_sessions, locked: r.locked,
    };
  });
}

/** Ends every live session signed in on a device (R-SESS-1: revocable at any time); the count ended. */
export async function revokeDeviceSessions(tx: Tx, deviceId: string, now: Date): Promise<number> {
  const { rowCount } = await tx.query('UPDATE sessions SET revoked_at = $2 WHERE device_id = $1 AND revoked_at IS NULL', [deviceId, now]);
  return rowCount;
}
