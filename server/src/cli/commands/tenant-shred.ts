import { WardError } from '@ward/contracts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * Crypto-shredding (R-DATA-1, R-DATA-5): destroys the tenant's key-encryption key (and with it the
 * data and blind-index keys it wraps) in the KMS. Every copy of the tenant's PHI, in database dumps
 * and backups too, is unreadable from then on; other tenants are untouched. Irreversible, so the
 * slug is typed twice. Audited (R-AUDIT-1).
 */
export default defineCommand({
  path: ['tenant', 'shred'],
  summary: "destroy a tenant's keys: its PHI becomes unreadable everywhere, dumps included (irreversible)",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    confirm: { value: '<slug>', description: 'the same slug again: the shred is irreversible', required: true },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    const slug = o.tenant;
    if (o.confirm !== slug) throw new WardError('USAGE', 'The --confirm value must repeat the tenant slug exactly.');
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
});
