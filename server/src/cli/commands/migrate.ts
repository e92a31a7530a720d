import { WardError } from '@ward/contracts';
import { migrate } from '../../db/migrate.ts';
import type { Command } from '../command.ts';

const command: Command = {
  path: ['migrate'],
  summary: 'apply pending database migrations (npm start does this too)',
  usesDatabase: true,
  async run(args, io, ctx) {
    if (args.length > 0) throw new WardError('USAGE', 'ward migrate takes no arguments.');
    return ctx.withDeps(
      async (deps) => {
        const result = await migrate(deps.db.systemDb, (m) => io.stdout.write(`applied ${String(m.version).padStart(4, '0')}_${m.name}\n`));
        io.stdout.write(`migrations: ${result.total} known, ${result.applied.length} applied now (${deps.db.engine})\n`);
        return 0;
      },
      { migrate: false },
    );
  },
};
export default command;
