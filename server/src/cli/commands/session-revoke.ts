import { revokeSession } from '../../modules/monitoring/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * `ward session revoke --tenant <slug> --session <id> [--detection <id>]` (R-MON-2, R-SESS-1): the
 * session's next request is refused. With `--detection`, the containment is recorded against the
 * detection, so that its time to contain is known (R-GOV-5).
 */
export default defineCommand({
  path: ['session', 'revoke'],
  summary: 'revoke one session now; --detection records it as the containment of a detection',
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    session: { value: '<session id>', description: 'the session to revoke (ward audit trace and the investigation API show them)', required: true },
    detection: { value: '<detection id>', description: 'the detection this revocation contains (ward detect list shows them)' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const r = await deps.db.systemDb.transaction((tx) => revokeSession(tx, deps.audit, {
        tenantId, sessionId: o.session, ...(o.detection ? { detectionId: o.detection } : {}), actorId: 'system:cli', now: deps.clock.now(),
      }));
      if (r.containmentId && o.detection) {
        // R-GOV-5: ward_incident_containment_seconds, from the detection being raised to its containment.
        const raised = (await deps.db.systemDb.query<{ created_at: Date }>('SELECT created_at FROM detections WHERE tenant_id = $1 AND id = $2', [tenantId, o.detection])).rows[0];
        if (raised) deps.metrics.containment((deps.clock.now().getTime() - new Date(raised.created_at).getTime()) / 1000);
      }
      const contained = r.containmentId ? `; containment of detection ${o.detection} recorded` : '';
      await writeLine(io, `session ${o.session} ${r.wasLive ? 'revoked' : 'was already revoked or expired (recorded again)'}${contained}`);
      return 0;
    });
  },
});
