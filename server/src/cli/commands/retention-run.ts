import { WardError } from '@ward/contracts';
import { runRetention } from '../../modules/retention/index.ts';
import type { Command } from '../command.ts';

/** R-DATA-5: one run of the retention job now (the server also runs it on its interval). */
const command: Command = {
  path: ['retention', 'run'],
  summary: 'apply the retention policies once now (skips held patients and calls)',
  usesDatabase: true,
  async run(args, io, ctx) {
    if (args.length > 0) throw new WardError('USAGE', 'ward retention run takes no arguments.');
    return ctx.withDeps(async (deps) => {
      const result = await runRetention({ systemDb: deps.db.systemDb, cipher: deps.cipher, audit: deps.audit, clock: deps.clock }, { holder: `cli:${process.pid}` });
      if (!result.ran) {
        io.stdout.write('another process holds the retention lease; nothing done\n');
        return 0;
      }
      for (const o of result.outcomes) io.stdout.write(`tenant ${o.tenantId}: ${o.artifact}: ${o.action} ${o.count}\n`);
      io.stdout.write(`retention run done: ${result.outcomes.reduce((n, o) => n + o.count, 0)} artifacts changed\n`);
      return 0;
    });
  },
};
export default command;
