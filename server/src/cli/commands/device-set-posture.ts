import { memberScope, setDevicePosture } from '../../modules/sessions/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { tenantIdBySlug } from './lookups.ts';

/** R-SESS-4: an operator sets a device's posture (audited); `GET /v1/me` shows the device id. */
export default defineCommand({
  path: ['device', 'set-posture'],
  summary: "set a device's posture: managed, unmanaged or unknown",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    device: { value: '<device id>', description: 'the device id (GET /v1/me shows it)', required: true },
    posture: { value: 'managed|unmanaged|unknown', description: 'the new posture', required: true },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const actor = { kind: 'system' as const, id: 'system:cli' };
      const r = await deps.db.scoped({ ...memberScope(tenantId, actor.id), actorKind: 'system' }, (tx) =>
        setDevicePosture(tx, deps.audit, { tenantId, deviceId: o.device, posture: o.posture, source: 'operator', actor }, deps.clock.now()));
      io.stdout.write(`device ${o.device}: posture ${r.previous} → ${o.posture}\n`);
      return 0;
    });
  },
});
