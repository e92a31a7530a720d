import { generateDemo, seedDemo, seedDemoWorkloads } from '../../modules/demo/index.ts';
import { join } from 'node:path';
import { defineCommand, wholeNumber } from '../options.ts';

export default defineCommand({
  path: ['demo', 'seed'],
  summary: 'create the demo tenants riverside and lakeside with synthetic data',
  options: { seed: { value: '<number>', description: 'the generator seed (default 1): the same seed gives the same data' } },
  usesDatabase: true,
  async run(o, io, ctx) {
    const seed = wholeNumber('seed', o.seed, { min: 0, max: 999_999_999, unit: 'seed' }) ?? 1;
    return ctx.withDeps(async (deps) => {
      const demo = generateDemo(seed);
      const result = await seedDemo(deps.db.systemDb, demo, { cipher: deps.cipher });
      if (!result.seeded) {
        io.stdout.write('demo data already present (tenants riverside and lakeside exist); nothing changed\n');
        return 0;
      }
      const counts = Object.entries(result.counts).map(([table, n]) => `${table} ${n}`).join(', ');
      io.stdout.write(`seeded demo data (seed ${seed}): ${counts}\n`);
      const files = await seedDemoWorkloads(deps.db, deps, join(deps.config.dataDir, 'workloads'), demo.tenants);
      io.stdout.write(`registered ${files.length} demo workloads; their private keys are in ${join(deps.config.dataDir, 'workloads')} (0600)\n`);
      return 0;
    });
  },
});
