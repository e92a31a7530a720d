import { WardError } from '@ward/contracts';
import { generateDemo } from '../../modules/demo/index.ts';
import { seedDemo } from '../../modules/demo/seed.ts';
import type { Command } from '../command.ts';

const command: Command = {
  path: ['demo', 'seed'],
  summary: 'create the demo tenants riverside and lakeside with synthetic data [--seed N]',
  usage: 'ward demo seed [--seed N]',
  usesDatabase: true,
  async run(args, io, ctx) {
    let seed = 1;
    if (args.length === 2 && args[0] === '--seed' && /^\d{1,9}$/.test(args[1]!)) seed = Number(args[1]);
    else if (args.length > 0) throw new WardError('USAGE', 'Usage: ward demo seed [--seed N]');
    return ctx.withDeps(async (deps) => {
      const result = await seedDemo(deps.db.systemDb, generateDemo(seed), { cipher: deps.cipher });
      if (!result.seeded) {
        io.stdout.write('demo data already present (tenants riverside and lakeside exist); nothing changed\n');
        return 0;
      }
      const counts = Object.entries(result.counts).map(([table, n]) => `${table} ${n}`).join(', ');
      io.stdout.write(`seeded demo data (seed ${seed}): ${counts}\n`);
      return 0;
    });
  },
};
export default command;
