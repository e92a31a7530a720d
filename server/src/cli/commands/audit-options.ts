import { once } from 'node:events';
import { WardError } from '@ward/contracts';
import type { Deps } from '../../deps.ts';
import { allTenants, tenantBySlug, type TenantRef } from '../../modules/audit/repo.ts';
import type { CliIo } from '../command.ts';

/** `--name value` / `--name=value` options; flags listed in `flags` take no value. Anything else is USAGE. */
export function parseAuditOptions(args: string[], usage: string, names: readonly string[], flags: readonly string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (flags.includes(name) && eq < 0) {
      values[name] = 'true';
      continue;
    }
    if (!names.includes(name) || name in values) throw new WardError('USAGE', `usage: ${usage}`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') throw new WardError('USAGE', `usage: ${usage}`);
    values[name] = value;
  }
  return values;
}

/** The tenants a command works on: the one named by `--tenant <slug>`, or all. */
export async function selectTenants(deps: Deps, slug: string | undefined): Promise<TenantRef[]> {
  if (slug === undefined) return allTenants(deps.db.systemDb);
  const tenant = await tenantBySlug(deps.db.systemDb, slug);
  if (tenant === null) throw new WardError('TENANT_NOT_FOUND', 'No tenant has that slug.');
  return [tenant];
}

/** Writes a line, waiting when the stream asks to (an export may be large). */
export async function writeLine(io: CliIo, line: string): Promise<void> {
  if (!io.stdout.write(`${line}\n`)) await once(io.stdout, 'drain');
}

export function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as NodeJS.WriteStream).isTTY === true;
}
