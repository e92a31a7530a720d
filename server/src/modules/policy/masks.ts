import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMaskableField, WardError } from '@ward/contracts';
import type { PdpRequest } from './types.ts';

/**
 * Masking obligations (R-DATA-3, minimum necessary, 45 CFR 164.502(b)): which fields an allowed
 * view must mask, by action and principal. The rules are data (policies/masks.json), not handler
 * code; a principal matched by several rules gets the union (masking more is the safe side). A rule
 * names fields of the one map @ward/contracts MASKABLE_FIELDS; any other name stops the start.
 */
export interface MaskRule {
  action: string;
  principalTypes?: string[];
  roles?: string[];
  maskFields: string[];
}

export const MASKS_FILE = 'masks.json';

function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((v) => typeof v === 'string' && v.length > 0);
}

export function loadMaskRules(dir: string, actions: ReadonlyMap<string, unknown>): MaskRule[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(join(dir, MASKS_FILE), 'utf8'));
  } catch (e) {
    throw new WardError('CONFIG_INVALID', `policies: ${MASKS_FILE} cannot be read as JSON`, { cause: e });
  }
  const rules = (data as { rules?: unknown })?.rules;
  if (!Array.isArray(rules)) throw new WardError('CONFIG_INVALID', `policies: ${MASKS_FILE}: "rules" must be a list`);
  return rules.map((r: unknown, i) => {
    const rule = r as Partial<MaskRule>;
    const ok =
      typeof rule?.action === 'string' &&
      actions.has(rule.action) &&
      isStringArray(rule.maskFields) &&
      (rule.principalTypes === undefined || isStringArray(rule.principalTypes)) &&
      (rule.roles === undefined || isStringArray(rule.roles));
    if (!ok) throw new WardError('CONFIG_INVALID', `policies: ${MASKS_FILE}: rule #${i + 1} is not valid`);
    const unknown = rule.maskFields!.find((f) => !isMaskableField(f));
    if (unknown !== undefined) {
      throw new WardError('CONFIG_INVALID', `policies: ${MASKS_FILE}: rule #${i + 1} masks "${unknown}", which is not a maskable field (MASKABLE_FIELDS in contracts/src/masks.ts)`);
    }
    return rule as MaskRule;
  });
}

/** Indexed by action once, so that an allowed decision costs a lookup, not a scan. */
export function createMasker(rules: readonly MaskRule[]): (req: PdpRequest) => string[] | undefined {
  const byAction = new Map<string, MaskRule[]>();
  for (const rule of rules) byAction.set(rule.action, [...(byAction.get(rule.action) ?? []), rule]);
  return (req) => {
    const candidates = byAction.get(req.action);
    if (!candidates) return undefined;
    const fields = new Set<string>();
    for (const rule of candidates) {
      if (rule.principalTypes && !rule.principalTypes.includes(req.principal.type)) continue;
      if (rule.roles && !rule.roles.some((role) => req.principal.roles.includes(role))) continue;
      for (const f of rule.maskFields) fields.add(f);
    }
    return fields.size > 0 ? [...fields].sort() : undefined;
  };
}
