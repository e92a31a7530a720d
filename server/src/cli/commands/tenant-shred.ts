import { WardError } from '@ward/contracts';
import type { Command } from '../command.ts';
import { tenantIdBySlug } from './keys-rotate.ts';

const USAGE = 'Usage: ward tenant shred --tenant <slug> --confirm <slug>';

/**
 * Crypto-shredding (R-DATA-1, R-DATA-5): destroys the tenant's key-encryption key (and with it the
 * data and blind-index keys it wraps) in the KMS. Every copy of the tenant's PHI, in database dumps
 * and backups too, is unreadable from then on; other tenants are untouched. Irreversible, so the
 * slug is typed twice. Audited (R-AUDIT-1).
 */
const command: Command = {
  path: ['tenant', 'shred'],
  summary: "destroy a tenant's keys: its PHI becomes unreadable everywhere, dumps included (irreversible)",
  usage: USAGE,
  usesDatabase: true,
  async run(args, io, ctx) {
    let slug: string | undefined;
    let confirm: string | undefined;
    for (let i = 0; i < args.length; i += 1) {
      if (args[i] === '--tenant' && args[i + 1]) slug = args[++i];
      else if (args[i] === '--confirm' && args[i + 1]) confirm = args[++i];
      else throw new WardError('USAGE', USAGE);
    }
    if (!slug || !confirm) throw new WardError('USAGE', USAGE);
    if (confirm !== slug) throw new WardError('USAGE', 'The --confirm value must repeat the tenant slug exactly.');
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, slug);
      await deps.cipher.destroyTenant(tenantId);
      await deps.db.systemDb.transaction((tx) =>
        deps.audit.append(tx, { tenantId, actorKind: 'system', actorId: 'system:cli', action: 'tenant.shred', targetType: 'Tenant', targetId: tenantId, outcome: 'success', metadata: {} }),
      );
      io.stdout.write(`shredded tenant ${slug}: its key-encryption key is destroyed; its PHI can no longer be decrypted\n`);
      return 0;
    });
  },
};
export default command;
