import { WardError } from '@ward/contracts';
import { lockAsOperator } from '../../modules/elevation/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * `ward lock --tenant <slug> --member <email>|--workload <client_id>|--device <id> [--detection <id>]`
 * (R-GOV-5, R-MON-2): everything of the target stops at its next request, until a second person (an
 * Owner or Admin) unlocks it through the API (`POST /v1/locks/:id/unlock`). With `--detection`, the
 * lock is recorded as the detection's containment (`containments`), so that time to contain is known.
 * docs/elevation.md.
 */
export default defineCommand({
  path: ['lock'],
  summary: 'lock a member, workload or device now: every request of it is refused until a second person unlocks it',
  usage: ['ward lock --tenant <slug> --member <email>|--workload <client_id>|--device <id> [--detection <id>]'],
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    member: { value: '<email>', description: "the member's e-mail address (ward member list shows them)" },
    workload: { value: '<client_id>', description: "the workload's client_id (ward workload list shows them)" },
    device: { value: '<id>', description: 'the device id (ward audit trace shows them)' },
    detection: { value: '<id>', description: 'the detection this lock contains (ward detect list shows them)' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    const named = [o.member, o.workload, o.device].filter((v) => v !== undefined);
    if (named.length !== 1) throw new WardError('USAGE', 'Name exactly one of --member, --workload or --device.');
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const lock = await lockAsOperator(deps.db, deps.audit, {
        tenantId, member: o.member, workload: o.workload, device: o.device, detectionId: o.detection ?? null,
      }, deps.clock.now());
      if (lock.containmentId && lock.detectionId) {
        // R-GOV-5: ward_incident_containment_seconds, from the detection being raised to its containment.
        const raised = (await deps.db.systemDb.query<{ created_at: Date }>('SELECT created_at FROM detections WHERE tenant_id = $1 AND id = $2', [tenantId, lock.detectionId])).rows[0];
        if (raised) deps.metrics.containment((new Date(lock.lockedAt).getTime() - new Date(raised.created_at).getTime()) / 1000);
      }
      const detection = lock.detectionId ? ` (contains detection ${lock.detectionId}; containment ${lock.containmentId} recorded)` : '';
      await writeLine(io, `locked ${lock.targetKind} ${lock.targetId} at ${lock.lockedAt}${detection}; lock ${lock.id}`);
      return 0;
    });
  },
});
