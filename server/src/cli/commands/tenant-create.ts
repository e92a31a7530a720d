import { createTenant } from '../../modules/identity/index.ts';
import { defineCommand } from '../options.ts';

/** R-AUTHN-3: a tenant and its first Owner's one-time enrollment link, printed alone on the last line. */
export default defineCommand({
  path: ['tenant', 'create'],
  summary: "create a tenant and print its first Owner's enrollment link",
  options: {
    slug: { value: '<slug>', description: '2 to 63 lower-case letters, digits or dashes', required: true },
    name: { value: '<name>', description: "the tenant's display name", required: true },
    'owner-email': { value: '<email>', description: "the first Owner's e-mail address", required: true },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const r = await createTenant({ systemDb: deps.db.systemDb, audit: deps.audit, origin: deps.config.origin },
        { slug: o.slug, name: o.name, ownerEmail: o['owner-email'], actor: { kind: 'system', id: 'system:cli' } }, deps.clock.now());
      io.stdout.write(`created tenant ${o.slug} (${r.tenantId}); the first Owner's enrollment link expires ${r.expiresAt.toISOString()}:\n${r.link}\n`);
      return 0;
    });
  },
});
