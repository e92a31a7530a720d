import { createHash, randomInt } from 'node:crypto';
import { WardError, type DevicePosture } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';

/**
 * Device posture from a posture source (R-SESS-4), in three steps:
 *   1. the person's browser asks for a one-time binding code for its own device (10 minutes);
 *   2. an Admin, or the MDM integration by a signed hook, claims the code for the MDM's device id:
 *      the device is bound once (a second binding of either side is CONFLICT);
 *   3. the posture source posts signed reports for that MDM device id; a device is `managed` only when
 *      the report says managed, disk encrypted, OS current and healthy, and `unmanaged` otherwise.
 * A report older than the tenant's `postureMaxAgeSeconds` (default 24 h) reads as `unknown`
 * (`effectivePosture`): a silent MDM never keeps a device trusted. An operator's override
 * (`ward device set-posture`, audited) does not age.
 */
export const BINDING_CODE_TTL_SECONDS = 600;
/** Crockford's base32 without I, L, O, U: read off a screen and typed without ambiguity. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 10;
/** A report's source is recorded as `report:<workload id>`; only such postures age. */
export const REPORT_SOURCE_PREFIX = 'report:';
const MDM_DEVICE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface PostureReport {
  managed: boolean;
  diskEncrypted: boolean;
  osCurrent: boolean;
  healthy: boolean;
  observedAt: Date;
}

const codeHash = (code: string) => createHash('sha256').update(`ward-device-binding:${code}`).digest();

/** Upper case, without the dash and spaces a person may type; null when it cannot be a code. */
export function normalizeBindingCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

export async function issueBindingCode(tx: Tx, audit: AuditLog, input: { tenantId: string; deviceId: string; memberId: string }, now: Date): Promise<{ code: string; expiresAt: Date }> {
  const { rows } = await tx.query<{ mdm_device_id: string | null }>('SELECT mdm_device_id FROM devices WHERE id = $1', [input.deviceId]);
  if (!rows[0]) throw new WardError('NOT_FOUND');
  if (rows[0].mdm_device_id !== null) throw new WardError('CONFLICT', 'This device is already bound to its posture record.');
  const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const expiresAt = new Date(now.getTime() + BINDING_CODE_TTL_SECONDS * 1000);
  await tx.query('DELETE FROM device_binding_codes WHERE device_id = $1', [input.deviceId]);
  await tx.query('INSERT INTO device_binding_codes (code_hash, tenant_id, device_id, expires_at) VALUES ($1, $2, $3, $4)', [codeHash(code), input.tenantId, input.deviceId, expiresAt]);
  await audit.append(tx, {
    tenantId: input.tenantId, actorKind: 'human', actorId: input.memberId, action: 'device.bindingCode.issue', targetType: 'device', targetId: input.deviceId, outcome: 'success',
  });
  return { code: `${code.slice(0, 5)}-${code.slice(5)}`, expiresAt };
}

/**
 * Claims a binding code for an MDM device id, once; the code is spent. NOT_FOUND for an unknown, used
 * or expired code. Runs after the guard's decision (`device.bind`), which records it in the audit trail.
 */
export async function claimDeviceBinding(
  tx: Tx,
  input: { tenantId: string; code: string; mdmDeviceId: string; actor: { kind: 'human' | 'service'; id: string } },
  now: Date,
): Promise<{ deviceId: string }> {
  const code = normalizeBindingCode(input.code);
  if (!MDM_DEVICE_ID.test(input.mdmDeviceId)) throw new WardError('BAD_REQUEST', 'The MDM device id is 1 to 128 letters, digits, dots, colons, dashes or underscores.');
  const { rows } = code === null ? { rows: [] } : await tx.query<{ device_id: string; expires_at: Date }>(
    'DELETE FROM device_binding_codes WHERE code_hash = $1 RETURNING device_id, expires_at', [codeHash(code)]);
  const found = rows[0];
  if (!found || found.expires_at <= now) throw new WardError('NOT_FOUND', 'No such binding code, or it was used or has expired.');
  const { rows: taken } = await tx.query('SELECT 1 FROM devices WHERE mdm_device_id = $1', [input.mdmDeviceId]);
  if (taken.length > 0) throw new WardError('CONFLICT', 'This MDM device id is bound to another device.');
  const { rowCount } = await tx.query(
    'UPDATE devices SET mdm_device_id = $2, bound_at = $3, bound_by = $4 WHERE id = $1 AND mdm_device_id IS NULL', [found.device_id, input.mdmDeviceId, now, `${input.actor.kind}:${input.actor.id}`]);
  if (rowCount === 0) throw new WardError('CONFLICT', 'This device is already bound to its posture record.');
  return { deviceId: found.device_id };
}

/** A device of the scope's tenant bound to this MDM device id; null when none (an unbound device cannot be reported on). */
export async function findBoundDevice(tx: Tx, mdmDeviceId: string): Promise<{ id: string } | null> {
  if (!MDM_DEVICE_ID.test(mdmDeviceId)) return null;
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM devices WHERE mdm_device_id = $1', [mdmDeviceId]);
  return rows[0] ?? null;
}

export function postureOfReport(r: PostureReport): DevicePosture {
  return r.managed && r.diskEncrypted && r.osCurrent && r.healthy ? 'managed' : 'unmanaged';
}

/**
 * Records a signed report for a bound device, after the guard's decision (`device.reportPosture`,
 * audited with the facts). A report observed before the one already recorded changes nothing
 * (reports may arrive out of order); one observed in the future is refused.
 */
export async function recordPostureReport(
  tx: Tx,
  input: { deviceId: string; report: PostureReport; sourceId: string },
  now: Date,
): Promise<{ posture: DevicePosture; previous: DevicePosture | null; isApplied: boolean }> {
  const { report } = input;
  if (report.observedAt.getTime() > now.getTime() + 60_000) throw new WardError('BAD_REQUEST', 'observedAt is in the future.');
  const posture = postureOfReport(report);
  const facts = { managed: report.managed, diskEncrypted: report.diskEncrypted, osCurrent: report.osCurrent, healthy: report.healthy, observedAt: report.observedAt.toISOString() };
  const { rows } = await tx.query<{ previous: DevicePosture }>(
    `UPDATE devices d SET posture = $2, posture_source = $3, posture_updated_at = $4, posture_report = $5
       FROM devices old
      WHERE d.id = $1 AND old.id = d.id AND d.mdm_device_id IS NOT NULL
        AND (d.posture_source IS DISTINCT FROM $3 OR d.posture_updated_at IS NULL OR d.posture_updated_at < $4)
      RETURNING old.posture AS previous`,
    [input.deviceId, posture, `${REPORT_SOURCE_PREFIX}${input.sourceId}`, report.observedAt, JSON.stringify(facts)]);
  return { posture, previous: rows[0]?.previous ?? null, isApplied: rows.length > 0 };
}

/** R-SESS-4: the posture a request is decided with: a reported posture older than the tenant's limit is `unknown`. */
export function effectivePosture(d: { posture: DevicePosture; posture_source: string | null; posture_updated_at: Date | null }, maxAgeSeconds: number, now: Date): DevicePosture {
  if (!d.posture_source?.startsWith(REPORT_SOURCE_PREFIX)) return d.posture;
  if (!d.posture_updated_at || now.getTime() - d.posture_updated_at.getTime() >= maxAgeSeconds * 1000) return 'unknown';
  return d.posture;
}
