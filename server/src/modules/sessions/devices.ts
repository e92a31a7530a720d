import { isDevicePosture, WardError, type DevicePosture } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';

/**
 * R-SESS-4: a device's posture (`managed`, `unmanaged`, `unknown`), set by an admin or an operator
 * until a posture source reports it; part of every session's context for policy decisions.
 */
// The list and its check are @ward/contracts' DEVICE_POSTURES and isDevicePosture.

export async function setDevicePosture(
  tx: Tx, audit: AuditLog,
  input: { tenantId: string; deviceId: string; posture: string; source: string; actor: { kind: 'human' | 'system'; id: string } },
  now: Date,
): Promise<{ previous: DevicePosture }> {
  if (!isDevicePosture(input.posture)) throw new WardError('BAD_REQUEST', 'The posture is one of managed, unmanaged, unknown.');
  if (!/^[0-9a-f-]{36}$/i.test(input.deviceId)) throw new WardError('NOT_FOUND');
  const { rows } = await tx.query<{ previous: DevicePosture }>(
    `UPDATE devices d SET posture = $2, posture_source = $3, posture_updated_at = $4
       FROM devices old WHERE d.id = $1 AND old.id = d.id RETURNING old.posture AS previous`,
    [input.deviceId, input.posture, input.source, now]);
  if (!rows[0]) throw new WardError('NOT_FOUND');
  await audit.append(tx, {
    tenantId: input.tenantId, actorKind: input.actor.kind, actorId: input.actor.id, action: 'device.posture.set', targetType: 'device', targetId: input.deviceId,
    outcome: 'success', metadata: { posture: input.posture, previous: rows[0].previous, source: input.source },
  });
  return { previous: rows[0].previous };
}
