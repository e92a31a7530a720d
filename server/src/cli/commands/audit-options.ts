import { once } from 'node:events';
import { WardError } from '@ward/contracts';
import type { Deps } from '../../deps.ts';
import { allTenants, tenantBySlug, type TenantRef } from '../../modules/audit/index.ts';
import type { CliIo } from '../command.ts';

/** The tenants a command works on: the one named by `--tenant <slug>`, or all. */
export async function selectTenants(deps: Deps, slug: string | undefined): Promise<TenantRef[]> {
  if (slug === undefined) return allTenants(deps.db.systemDb);
  const tenant = await tenantBySlug(deps.db.systemDb, slug);
  if (tenant === null) throw new WardError('TENANT_NOT_FOUND', 'No tenant has that slug (ward tenant list shows them).');
  return [tenant];
}

/** Writes a line, waiting when the stream asks to (an export may be large). */
export async function writeLine(io: CliIo, line: string): Promise<void> {
  if (!io.stdout.write(`${line}\n`)) await once(io.stdout, 'drain');
}
