import { triageDetection } from '../../modules/monitoring/index.ts';
import type { CliContext, CliIo } from '../command.ts';
import { TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/** The options `ward detect ack` and `ward detect close` share. */
export const TRIAGE_OPTIONS = {
  tenant: { ...TENANT_OPTION, required: true },
  detection: { value: '<detection id>', description: 'the detection (ward detect list shows them)', required: true },
} as const;

/** Moves a detection to `to` as the operator, audited as `detection.triage` in the same transaction (R-MON-1). */
export async function triageAsOperator(ctx: CliContext, io: CliIo, o: { tenant: string; detection: string }, to: 'acknowledged' | 'closed', note?: string): Promise<number> {
  return ctx.withDeps(async (deps) => {
    const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
    const d = await deps.db.scoped({ tenantId, phiScopes: [], actorId: 'system:cli', actorKind: 'system' }, async (tx) => {
      const done = await triageDetection(tx, o.detection, to, 'system:cli', deps.clock.now(), note);
      await deps.audit.append(tx, { tenantId, actorKind: 'system', actorId: 'system:cli', action: 'detection.triage', targetType: 'detection', targetId: done.id, outcome: 'success', metadata: { state: done.state } });
      return done;
    });
    await writeLine(io, `detection ${d.id} is ${d.state}`);
    return 0;
  });
}
