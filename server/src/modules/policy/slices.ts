import { cedar, type PolicyJson } from './cedar.ts';
import { actionScopeIds } from './policy-files.ts';
import { attributeReads, entityAttributes, NONE, WHOLE } from './slice-fold.ts';

/**
 * Per-request-shape slices of a policy set, preparsed once into Cedar's (per-thread) cache.
 *
 * Measured with cedar-wasm 4.13: a call costs a few microseconds per policy in the set and per
 * value it carries, and a policy whose action scope is a list (`action in [A, B, …]`) costs about
 * four times one with `action`. A slice for one request shape holds only what can matter to it:
 *
 * - the policies whose scope can match (principal type, action, resource type), with the action
 *   scope and a matching `is` scope rewritten to "any": for requests of that shape this is the same
 *   policy (Cedar scopes are conjuncts), and the policy ids stay the authored ones;
 * - of the permits gated on a role (`when { principal.roles.contains("R") }`), only those whose
 *   role the principal holds: dropping a permit can only turn an allow into a deny;
 * - the context attributes its policies read; a policy that reads one it was not given errors,
 *   and any error is a deny (fail closed), so a mistake here cannot widen access.
 *
 * A test compares every decision table against the whole, unsliced set with request validation.
 */
export interface SliceablePolicy {
  id: string;
  effect: 'permit' | 'forbid';
  json: PolicyJson;
}

export interface SliceShape {
  principalType: string;
  action: string;
  resourceType: string;
  /** The principal's roles (only the ones some permit is gated on matter). */
  roles: readonly string[];
}

function scopeMatches(scope: PolicyJson['principal'], type: string): 'any' | 'maybe' | 'never' {
  if (scope.op === 'All') return 'any';
  if (scope.op === 'is') {
    if (scope.entity_type !== type) return 'never';
    return scope.in ? 'maybe' : 'any';
  }
  return 'maybe';
}

/** The role a permit is gated on: a `when` clause that is exactly `principal.roles.contains("R")`. */
export function gatingRole(policy: SliceablePolicy): string | undefined {
  if (policy.effect !== 'permit') return undefined;
  for (const clause of policy.json.conditions) {
    if (clause.kind !== 'when') continue;
    const body = clause.body as { contains?: { left?: unknown; right?: unknown } };
    const left = body.contains?.left as { '.'?: { left?: { Var?: string }; attr?: string } } | undefined;
    const right = body.contains?.right as { Value?: unknown } | undefined;
    if (left?.['.']?.left?.Var === 'principal' && left['.'].attr === 'roles' && typeof right?.Value === 'string') return right.Value;
  }
  return undefined;
}

/**
 * The context attributes the policies read, or undefined when one uses `context` other than as
 * `context.a` / `context has a` (then the whole context is passed).
 */
export function contextAttributes(policies: Iterable<PolicyJson>): Set<string> | undefined {
  return attributeReads(policies, (n) => {
    for (const op of ['.', 'has'] as const) {
      const inner = n[op] as { left?: { Var?: string }; attr?: unknown } | undefined;
      if (inner?.left?.Var === 'context') {
        if (typeof inner.attr === 'string') return inner.attr;
        return Array.isArray(inner.attr) ? WHOLE : NONE;
      }
    }
    return n.Var === 'context' ? WHOLE : undefined;
  });
}

/** The policies of a slice, in Cedar's JSON form. */
export function slicePolicies(policies: Iterable<SliceablePolicy>, shape: SliceShape): Record<string, PolicyJson> {
  const out: Record<string, PolicyJson> = {};
  for (const policy of policies) {
    const { id, json } = policy;
    const actions = actionScopeIds(json);
    if (actions && !actions.includes(shape.action)) continue;
    const principal = scopeMatches(json.principal, shape.principalType);
    const resource = scopeMatches(json.resource, shape.resourceType);
    if (principal === 'never' || resource === 'never') continue;
    const role = gatingRole(policy);
    if (role !== undefined && !shape.roles.includes(role)) continue;
    out[id] = {
      effect: json.effect,
      principal: principal === 'any' ? { op: 'All' } : json.principal,
      action: { op: 'All' },
      resource: resource === 'any' ? { op: 'All' } : json.resource,
      conditions: json.conditions,
    };
  }
  return out;
}

export interface PreparedSlice {
  /** The id of the preparsed set in Cedar's cache. */
  id: string;
  /** The context attributes to pass, or undefined for all of them. */
  contextKeys: readonly string[] | undefined;
  /** The entity attributes to pass, or undefined for all of them. */
  attributeKeys: ReadonlySet<string> | undefined;
}

/**
 * The cache of preparsed slices: a bounded map from slice key to a Cedar preparsed-set id. Cedar's
 * cache cannot forget an id, so an evicted slot's id is reused (preparsing over it replaces it).
 */
// Cedar's cache is one per thread, shared by every slice cache in it (a test may load several PDPs):
// ids are numbered per process so that no cache preparses over another's slice.
let nextSliceId = 0;

export function createSliceCache(maxSlices = 16_384) {
  const slots = new Map<string, PreparedSlice>();
  return {
    /** The prepared slice for `key`, preparsing `build()` on first use; throws on a Cedar error. */
    get(key: string, build: () => Record<string, PolicyJson>): PreparedSlice {
      const hit = slots.get(key);
      if (hit !== undefined) {
        slots.delete(key);
        slots.set(key, hit);
        return hit;
      }
      let id: string;
      if (slots.size >= maxSlices) {
        const [oldKey, old] = slots.entries().next().value as [string, PreparedSlice];
        slots.delete(oldKey);
        id = old.id;
      } else {
        id = `ward-slice-${nextSliceId++}`;
      }
      const policies = build();
      // Preparsed from text rather than JSON: measured a few percent faster per call.
      const texts: Record<string, string> = {};
      for (const [policyId, json] of Object.entries(policies)) {
        const text = cedar.policyToText(json);
        if (text.type !== 'success') throw new Error('policy to text failed');
        texts[policyId] = text.text;
      }
      const answer = cedar.preparsePolicySet(id, { staticPolicies: texts });
      if (answer.type !== 'success') throw new Error('preparse failed');
      const keys = contextAttributes(Object.values(policies));
      const slice: PreparedSlice = { id, contextKeys: keys ? [...keys].sort() : undefined, attributeKeys: entityAttributes(Object.values(policies)) };
      slots.set(key, slice);
      return slice;
    },
    get size(): number {
      return slots.size;
    },
  };
}
