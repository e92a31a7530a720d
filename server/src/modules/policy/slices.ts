import { cedar, type PolicyJson } from './cedar.ts';
import { actionScopeIds } from './policy-files.ts';

/**
 * Per-request-shape slices of a policy set, preparsed once into Cedar's (per-thread) cache.
 *
 * Measured with cedar-wasm 4.13: a call costs a few microseconds per policy in the set, and a policy
 * whose action scope is a list (`action in [A, B, …]`) costs about four times one with `action`.
 * A slice for (principal type, action, resource type) holds only the policies whose scope can match
 * it, with the action scope and a matching `is` scope rewritten to "any": for requests of that
 * shape this is the same policy (Cedar scopes are conjuncts), so decisions are unchanged and the
 * policy ids stay the authored ones. A test compares every decision table against the whole,
 * unsliced set with request validation.
 */
export interface SliceablePolicy {
  id: string;
  json: PolicyJson;
}

function scopeMatches(scope: PolicyJson['principal'], type: string): 'any' | 'maybe' | 'never' {
  if (scope.op === 'All') return 'any';
  if (scope.op === 'is') {
    if (scope.entity_type !== type) return 'never';
    return scope.in ? 'maybe' : 'any';
  }
  return 'maybe';
}

/** The policies of a slice, in Cedar's JSON form, or of none when the set has none for it. */
export function slicePolicies(
  policies: Iterable<SliceablePolicy>,
  principalType: string,
  action: string,
  resourceType: string,
): Record<string, PolicyJson> {
  const out: Record<string, PolicyJson> = {};
  for (const { id, json } of policies) {
    const actions = actionScopeIds(json);
    if (actions && !actions.includes(action)) continue;
    const principal = scopeMatches(json.principal, principalType);
    const resource = scopeMatches(json.resource, resourceType);
    if (principal === 'never' || resource === 'never') continue;
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

/**
 * The cache of preparsed slices: a bounded map from slice key to a Cedar preparsed-set id. Cedar's
 * cache cannot forget an id, so an evicted slot's id is reused (preparsing over it replaces it).
 */
export function createSliceCache(maxSlices = 4096) {
  const slots = new Map<string, string>();
  let next = 0;
  return {
    /** Returns the preparsed id for `key`, preparsing `build()` on first use; throws on a Cedar error. */
    get(key: string, build: () => Record<string, PolicyJson>): string {
      const hit = slots.get(key);
      if (hit !== undefined) {
        slots.delete(key);
        slots.set(key, hit);
        return hit;
      }
      let slot: string;
      if (slots.size >= maxSlices) {
        const [oldKey, oldSlot] = slots.entries().next().value as [string, string];
        slots.delete(oldKey);
        slot = oldSlot;
      } else {
        slot = `ward-slice-${next++}`;
      }
      const answer = cedar.preparsePolicySet(slot, { staticPolicies: build() });
      if (answer.type !== 'success') throw new Error('preparse failed');
      slots.set(key, slot);
      return slot;
    },
    get size(): number {
      return slots.size;
    },
  };
}
