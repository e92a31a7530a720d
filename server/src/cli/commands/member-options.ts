import { WardError } from '@ward/contracts';
import type { SystemDb } from '../../db/types.ts';

/** `--name value` options of the tenant, member and device commands; anything unknown is refused without echo. */
export function parseOptions(args: string[], allowed: readonly string[], usage: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.startsWith('--') ? args[i]!.slice(2) : '';
    const value = args[i + 1];
    if (!allowed.includes(name) || value === undefined || name in out) throw new WardError('USAGE', `Usage: ${usage}`);
    out[name] = value;
  }
  return out;
}

/** The tenant named by slug, read by the operator (the one unscoped path, `systemDb`). */
export async function tenantIdBySlug(systemDb: SystemDb, slug: string): Promise<string> {
  const { rows } = await systemDb.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [slug]);
  if (!rows[0]) throw new WardError('TENANT_NOT_FOUND');
  return rows[0].id;
}

/** A member of a tenant by e-mail, for `--by` (the operator attests who approves or invites). */
export async function memberIdByEmail(systemDb: SystemDb, tenantId: string, email: string): Promise<string> {
  const { rows } = await systemDb.query<{ id: string }>('SELECT id FROM members WHERE tenant_id = $1 AND email = $2', [tenantId, email.trim().toLowerCase()]);
  if (!rows[0]) throw new WardError('NOT_FOUND', 'No such member in this tenant.');
  return rows[0].id;
}
