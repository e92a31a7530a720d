import { WardError, type TenantId } from '@ward/contracts';
import type { SystemDb } from '../../db/types.ts';
import { normalEmail } from '../../modules/identity/index.ts';

/** The tenant named by slug, read by the operator (the one unscoped path, `systemDb`). */
export async function tenantIdBySlug(systemDb: SystemDb, slug: string): Promise<TenantId> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) throw new WardError('USAGE', 'A tenant slug is lower-case letters, digits and dashes (ward tenant list shows them).');
  const { rows } = await systemDb.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [slug]);
  if (!rows[0]) throw new WardError('TENANT_NOT_FOUND', `No tenant has the slug ${slug} (ward tenant list shows them).`);
  return rows[0].id as TenantId;
}

/** A member of a tenant by e-mail, for `--by` (the operator attests who approves or invites) and `--member`. */
export async function memberIdByEmail(systemDb: SystemDb, tenantId: string, email: string): Promise<string> {
  const { rows } = await systemDb.query<{ id: string }>('SELECT id FROM members WHERE tenant_id = $1 AND email = $2', [tenantId, normalEmail(email)]);
  if (!rows[0]) throw new WardError('NOT_FOUND', 'No member of this tenant has that e-mail address (ward member list shows them).');
  return rows[0].id;
}
