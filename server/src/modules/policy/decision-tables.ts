import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WardError, type Decision } from '@ward/contracts';
import { parsePdpRequest } from './request.ts';
import type { Pdp, PdpRequest, TenantPolicies } from './types.ts';

/**
 * Decision tables (`policies/tests/*.json`): expected decisions written as data (STYLE.md habit 12).
 * A table has `defaults` (principal, resource, context) that each case overrides field by field, and
 * optionally `tenantPolicies` (a .cedar file beside it) applied to every case of the table.
 */
export interface DecisionCase {
  name: string;
  principal?: Record<string, unknown>;
  action: string;
  resource?: Record<string, unknown>;
  context?: Record<string, unknown>;
  expect: {
    allow: boolean;
    /** The determining policy ids, in any order. */
    policyIds: string[];
    reasons?: string[];
    obligations?: Decision['obligations'];
  };
}

export interface DecisionTable {
  file: string;
  description?: string;
  tenantPolicies?: TenantPolicies;
  cases: Array<DecisionCase & { request: PdpRequest }>;
}

export interface CaseResult {
  table: string;
  name: string;
  ok: boolean;
  /** What differed, in policy ids and flags only (tables hold no PHI, but keep the habit). */
  problem?: string;
  decision: Decision;
}

function tableError(file: string, what: string): WardError {
  return new WardError('CONFIG_INVALID', `policies: tests/${file}: ${what}`);
}

export function loadDecisionTables(policiesDir: string): DecisionTable[] {
  const dir = join(policiesDir, 'tests');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return files.map((file) => {
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw tableError(file, 'is not valid JSON');
    }
    const defaults = (raw.defaults ?? {}) as Record<string, Record<string, unknown>>;
    if (!Array.isArray(raw.cases) || raw.cases.length === 0) throw tableError(file, '"cases" must be a non-empty list');
    let tenantPolicies: TenantPolicies | undefined;
    if (typeof raw.tenantPolicies === 'string') {
      tenantPolicies = { key: `table:${file}`, text: readFileSync(join(dir, raw.tenantPolicies), 'utf8') };
    }
    const cases = (raw.cases as DecisionCase[]).map((c, i) => {
      if (typeof c?.name !== 'string' || typeof c.expect?.allow !== 'boolean' || !Array.isArray(c.expect.policyIds)) {
        throw tableError(file, `case #${i + 1} needs a name, and expect.allow and expect.policyIds`);
      }
      try {
        const request = parsePdpRequest({
          principal: merge(defaults.principal, c.principal),
          action: c.action ?? defaults.action,
          resource: merge(defaults.resource, c.resource),
          context: merge(defaults.context, c.context),
        });
        return { ...c, request };
      } catch (e) {
        throw tableError(file, `case "${c.name}": ${(e as Error).message}`);
      }
    });
    return { file, description: typeof raw.description === 'string' ? raw.description : undefined, tenantPolicies, cases };
  });
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

export function runDecisionTables(pdp: Pdp, tables: DecisionTable[]): CaseResult[] {
  const results: CaseResult[] = [];
  for (const table of tables) {
    for (const c of table.cases) {
      const decision = pdp.decide(c.request, table.tenantPolicies);
      const problems: string[] = [];
      if (decision.allow !== c.expect.allow) problems.push(`expected ${c.expect.allow ? 'allow' : 'deny'}`);
      if (!same(decision.policyIds, c.expect.policyIds)) problems.push(`expected policies [${c.expect.policyIds.join(', ')}]`);
      if (c.expect.reasons && !same(decision.reasons, c.expect.reasons)) problems.push(`expected reasons [${c.expect.reasons.join(', ')}]`);
      if (c.expect.obligations && JSON.stringify(sortKeys(decision.obligations)) !== JSON.stringify(sortKeys(c.expect.obligations))) {
        problems.push(`expected obligations ${JSON.stringify(sortKeys(c.expect.obligations))}`);
      }
      results.push({
        table: table.file,
        name: c.name,
        ok: problems.length === 0,
        problem: problems.length ? `${problems.join('; ')}; got ${JSON.stringify(decision)}` : undefined,
        decision,
      });
    }
  }
  return results;
}

function sortKeys(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v]));
}

/** A case overrides the table's defaults field by field; `null` removes a field. */
function merge(base: Record<string, unknown> | undefined, over: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base, ...over };
  for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  return out;
}
