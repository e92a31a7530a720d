import { WardError } from '@ward/contracts';
import { createTenant } from '../../modules/identity/index.ts';
import type { Command } from '../command.ts';
import { parseOptions } from './member-options.ts';

const USAGE = 'ward tenant create --slug <slug> --name <name> --owner-email <email>';

/** R-AUTHN-3: a tenant and its first Owner's one-time enrollment link, printed alone on the last line. */
const command: Command = {
  path: ['tenant', 'create'],
  summary: 'create a tenant and print its first Owner\'s enrollment link',
  usage: USAGE,
  usesDatabase: true,
  async run(args, io, ctx) {
    const o = parseOptions(args, ['slug', 'name', 'owner-email'], USAGE);
    if (!o.slug || !o.name || !o['owner-email']) throw new WardError('USAGE', `Usage: ${USAGE}`);
    return ctx.withDeps(async (deps) => {
      const r = await createTenant({ systemDb: deps.db.systemDb, audit: deps.audit, origin: deps.config.origin },
        { slug: o.slug!, name: o.name!, ownerEmail: o['owner-email']!, actor: { kind: 'system', id: 'system:cli' } }, deps.clock.now());
      io.stdout.write(`created tenant ${o.slug} (${r.tenantId}); the first Owner's enrollment link expires ${r.expiresAt.toISOString()}:\n${r.link}\n`);
      return 0;
    });
  },
};
export default command;
