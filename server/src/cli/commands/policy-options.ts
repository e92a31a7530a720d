import { resolve } from 'node:path';
import { WardError } from '@ward/contracts';

/** The options the `ward policy …` commands share: `--policies DIR` (default: the repository's). */
export function parsePolicyOptions(
  args: string[],
  usage: string,
  extra: readonly string[] = [],
): { policiesDir?: string; values: Record<string, string> } {
  const values: Record<string, string> = {};
  let policiesDir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (name !== '--policies' && !extra.includes(name)) throw new WardError('USAGE', `usage: ${usage}`);
    const value = inline ?? args[++i];
    if (value === undefined || value === '') throw new WardError('USAGE', `usage: ${usage}`);
    if (name === '--policies') policiesDir = resolve(value);
    else values[name] = value;
  }
  return { policiesDir, values };
}
