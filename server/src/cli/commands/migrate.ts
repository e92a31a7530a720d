import { migrate } from '../../db/migrate.ts';
import { defineCommand } from '../options.ts';

export default defineCommand({
  path: ['migrate'],
  summary: 'apply pending database migrations (npm start does this too)',
  options: {},
  usesDatabase: true,
  async run(_o, io, ctx) {
    return ctx.withDeps(
      async (deps) => {
        const result = await migrate(deps.db.systemDb, (m) => io.stdout.write(`applied ${String(m.version).padStart(4, '0')}_${m.name}\n`));
        io.stdout.write(`migrations: ${result.total} known, ${result.applied.length} applied now (${deps.db.engine})\n`);
        return 0;
      },
      { migrate: false },
    );
  },
});
