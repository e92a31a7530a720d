import { WardError } from '@ward/contracts';
import { memberScope, setDevicePosture } from '../../modules/sessions/index.ts';
import type { Command } from '../command.ts';
import { parseOptions, tenantIdBySlug } from './member-options.ts';

const USAGE = 'ward device set-posture --tenant <slug> --device <device id> --posture managed|unmanaged|unknown';

/** R-SESS-4: an operator sets a device's posture (audited); `GET /v1/me` shows the device id. */
const command: Command = {
  path: ['device', 'set-posture'],
  summary: 'set a device\'s posture: managed, unmanaged or unknown',
  usage: USAGE,
  usesDatabase: true,
  async run(args, io, ctx) {
    const o = parseOptions(args, ['tenant', 'device', 'posture'], USAGE);
    if (!o.tenant || !o.device || !o.posture) throw new WardError('USAGE', `Usage: ${USAGE}`);
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant!);
      const actor = { kind: 'system' as const, id: 'system:cli' };
      const r = await deps.db.scoped({ ...memberScope(tenantId, actor.id), actorKind: 'system' }, (tx) =>
        setDevicePosture(tx, deps.audit, { tenantId, deviceId: o.device!, posture: o.posture!, source: 'operator', actor }, deps.clock.now()));
      io.stdout.write(`device ${o.device}: posture ${r.previous} → ${o.posture}\n`);
      return 0;
    });
  },
};
export default command;
