import { isWardError } from '@ward/contracts';
import { loadSchema, parsePolicyText, validateAgainstSchema, DEFAULT_POLICIES_DIR, type LoadedPolicy } from './policy-files.ts';

/**
 * Per-tenant policies narrow access, never widen it: forbid-only, validated against the schema
 * (R-AUTHZ-1). This is the pure part; storage, versions and two-person approval live elsewhere.
 * Their ids are prefixed `tenant:` in decisions, so that an audit reader tells them from defaults.
 */
export type TenantPolicyCheck =
  | { ok: true; policies: LoadedPolicy[] }
  | { ok: false; reason: string };

export const TENANT_POLICY_PREFIX = 'tenant:';
const MAX_TENANT_POLICY_CHARS = 64 * 1024;

/** Cedar messages may quote string literals from the text; those could hold anything, so they go. */
function scrub(message: string): string {
  return message.replace(/"[^"]*"/g, '"…"');
}

let defaultSchema: string | undefined;

export function validateTenantPolicySet(text: string, schemaText?: string): TenantPolicyCheck {
  if (typeof text !== 'string') return { ok: false, reason: 'the policy text must be a string' };
  if (text.length > MAX_TENANT_POLICY_CHARS) return { ok: false, reason: `the policy text is longer than ${MAX_TENANT_POLICY_CHARS} characters` };
  const schema = schemaText ?? (defaultSchema ??= loadSchema(DEFAULT_POLICIES_DIR).schemaText);
  let parsed: LoadedPolicy[];
  try {
    parsed = parsePolicyText(text, 'tenant policies', []);
  } catch (e) {
    if (!isWardError(e)) throw e;
    return { ok: false, reason: scrub(e.message.replace(/^policies: tenant policies: /, '')) };
  }
  if (parsed.length === 0) return { ok: false, reason: 'the policy set is empty' };
  const seen = new Set<string>();
  for (const p of parsed) {
    if (p.effect !== 'forbid') return { ok: false, reason: `policy ${p.id} is a permit: tenant policies can only forbid (narrow access)` };
    if (seen.has(p.id)) return { ok: false, reason: `@id("${p.id}") is used twice` };
    seen.add(p.id);
  }
  const errors = validateAgainstSchema(schema, parsed);
  if (errors.length > 0) {
    const first = errors[0]!;
    return { ok: false, reason: `policy ${first.policyId || '?'} does not match the schema: ${scrub(first.error.message)}` };
  }
  return {
    ok: true,
    policies: parsed.map((p) => ({ ...p, id: TENANT_POLICY_PREFIX + p.id, file: 'tenant', annotations: { ...p.annotations, id: TENANT_POLICY_PREFIX + p.id } })),
  };
}
