import { defineCommand } from '../options.ts';

/** `ward audit seal`: one sealing pass now (R-AUDIT-3), under the same lease as the server's sealer. */
export default defineCommand({
  path: ['audit', 'seal'],
  summary: 'seal committed audit events now (one pass of the leased sealer)',
  options: {},
  usesDatabase: true,
  async run(_o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const pass = await deps.auditSealer.sealOnce();
      if (!pass.isLeader) {
        io.stdout.write('another server holds the sealer lease and seals these events; nothing done here\n');
        return 3;
      }
      const delay = deps.auditSealer.mergeDelay();
      const unpublished = pass.unpublished > 0 ? `; ${pass.unpublished} heads not published yet (retried on the next pass)` : '';
      const delayText = delay.count > 0 ? `; merge delay p50 ${delay.p50Ms} ms, p99 ${delay.p99Ms} ms over ${delay.count} events` : '';
      io.stdout.write(`sealed ${pass.sealed} events, signed ${pass.heads} tree heads${delayText}${unpublished}\n`);
      return pass.unpublished > 0 ? 1 : 0;
    });
  },
});
