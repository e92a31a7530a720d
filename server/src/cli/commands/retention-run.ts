import { runRetention } from '../../modules/retention/index.ts';
import { defineCommand } from '../options.ts';
import { progressLine } from '../progress.ts';

/** R-DATA-5: one run of the retention job now (the server also runs it on its interval). */
export default defineCommand({
  path: ['retention', 'run'],
  summary: 'apply the retention policies once now (skips held patients and calls)',
  options: {},
  usesDatabase: true,
  async run(_o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const progress = progressLine(io);
      const result = await runRetention(
        { systemDb: deps.db.systemDb, cipher: deps.cipher, audit: deps.audit, clock: deps.clock },
        { holder: `cli:${process.pid}`, onProgress: (done, total) => progress.update(`retention: ${done}/${total} policies applied`) },
      );
      progress.done();
      if (!result.ran) {
        io.stdout.write('another process holds the retention lease; nothing done\n');
        return 0;
      }
      for (const o of result.outcomes) io.stdout.write(`tenant ${o.tenantId}: ${o.artifact}: ${o.action} ${o.count}\n`);
      io.stdout.write(`retention run done: ${result.outcomes.reduce((n, o) => n + o.count, 0)} artifacts changed\n`);
      return 0;
    });
  },
});
