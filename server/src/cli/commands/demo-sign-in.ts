import { WardError } from '@ward/contracts';
import { demoEnrollment } from '../../modules/identity/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';

/**
 * `ward demo sign-in --tenant <slug> --role <Role>` (R-UX-2): a first-enrollment link for a demo
 * member of that role who has not enrolled, so that a newcomer can try each role. Refused for any
 * tenant the demo seed did not create, and on PostgreSQL (demo shortcuts stay on the embedded
 * database, which never holds real PHI).
 */
export default defineCommand({
  path: ['demo', 'sign-in'],
  summary: 'print an enrollment link for a demo member of a role (embedded database, demo tenants only)',
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
      io.stdout.write(`demo ${o.role} ${r.email} of ${o.tenant}: open this link to register a passkey (it expires ${r.expiresAt.toISOString()}):\n${r.link}\n`);
      return 0;
    });
  },
});
