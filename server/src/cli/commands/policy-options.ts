import { resolve } from 'node:path';

/** The option the `ward policy …` commands share: `--policies <dir>` (default: the repository's). */
export const POLICIES_OPTION = { value: '<dir>', description: "a policy directory (default: the repository's policies/)" } as const;
export const TENANT_POLICIES_OPTION = { value: '<file>', description: "a tenant's forbid-only policy file to check as well" } as const;

export function policiesDir(value: string | undefined): string | undefined {
  return value === undefined ? undefined : resolve(value);
}
