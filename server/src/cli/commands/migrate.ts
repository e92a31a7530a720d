import { listMigrations } from '../../db/migrate.ts';
import { defineCommand } from '../options.ts';

export default defineCommand({
  path: ['migrate'],
  summary: 'apply pending database migrations (npm start does this too)',
  options: {},
  usesDatabase: true,
  async run(_o, io, ctx) {
    // R-OPS-1: the start's own migration path, so that on a new PostgreSQL cluster the application
    // role is waited for only once the migrations have made it.
    let applied = 0;
    const onMigration = (m: { version: number; name: string }): void => {
      applied += 1;
      io.stdout.write(`applied ${String(m.version).padStart(4, '0')}_${m.name}\n`);
    };
    return ctx.withDeps(
      async (deps) => {
        io.stdout.write(`migrations: ${listMigrations().length} known, ${applied} applied now (${deps.db.engine})\n`);
        return 0;
      },
      { migrate: true, onMigration },
    );
  },
});
