import { isRole, WardError } from '@ward/contracts';
import { demoEnrollment, landingLink } from '../../modules/identity/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';

/**
 * `ward demo sign-in --tenant <slug> --role <Role>` (R-UX-2): a first-enrollment link for a demo
 * member of that role who has not enrolled, so that a newcomer can try each role. Refused for any
 * tenant the demo seed did not create, and on PostgreSQL (demo shortcuts stay on the embedded
 * database, which never holds real PHI).
 */
export default defineCommand({
  path: ['demo', 'sign-in'],
  summary: "print an enrollment link for a demo member of a role, landing on the role's first screen (embedded database, demo tenants only)",
  options: {
    tenant: { ...TENANT_OPTION, description: 'a demo tenant: riverside or lakeside', required: true },
    role: { value: '<Role>', description: 'Owner, Admin, Manager, Agent, Viewer or Auditor', required: true },
  },
  help: 'Open the link in a browser to register a passkey; afterwards sign in at /sign-in.',
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      if (deps.db.engine !== 'embedded') {
        throw new WardError('FORBIDDEN', 'Demo sign-in works on the embedded database only; on PostgreSQL invite members with ward member invite.', { reasons: ['not_embedded'] });
      }
      const r = await demoEnrollment({ systemDb: deps.db.systemDb, audit: deps.audit, origin: deps.config.origin }, { slug: o.tenant, role: o.role }, deps.clock.now());
      // R-UX-1: the link lands on the role's first screen once the passkey is made.
      const link = isRole(o.role) ? landingLink(r.link, o.role) : r.link;
      io.stdout.write(`demo ${o.role} ${r.email} of ${o.tenant}: open this link to register a passkey (it expires ${r.expiresAt.toISOString()}):\n${link}\n`);
      return 0;
    });
  },
});
