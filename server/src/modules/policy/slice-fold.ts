import { cedar, type PolicyJson } from './cedar.ts';
import type { CedarRequest } from './cedar-request.ts';

/**
 * Folding a slice on the request's discrete facts (R-AUTHZ-1, R-OPS-1).
 *
 * Cedar 4.13 costs 5–9 µs a policy and 3–12 µs a value on every call (docs/scaling.md, ninth pass),
 * and most of a slice's forbids read only facts that take a handful of values: the principal's roles
 * and status, MFA, the authentication method, the device posture, the risk level, the justification
 * flag, `riskVerified` and the elevation's kind and `grantsAction`. A slice is therefore also keyed on
 * those facts (`foldKey`), and when it is built, each of its policies whose scope is "any" has its
 * conditions looked at in Cedar's order (`when` as is, `unless` negated, joined by a short-circuit
 * `&&`). While a condition reads only keyed facts (`readsOnlyKeyed`), Cedar itself evaluates it on
 * the request that builds the slice; for every request with the same key it has the same value:
 *
 * - a condition that errors: the policy stays as authored (its error reaches every such request);
 * - one that stops the policy (a `when` false, an `unless` true): the policy is dropped; it neither
 *   fires nor errors for any request with this key, so no decision, reason or error changes;
 * - one that lets it through: the next condition is looked at; when all of them do, the policy keeps
 *   its id and effect with no condition (it fires for every request with this key).
 *
 * A condition that reads anything else (tenants, scopes, the resource, ages, identities) stops the
 * fold and the policy stays as authored. Nothing is evaluated by Ward: the only evaluator is Cedar.
 */

/** The request facts a slice is keyed on, as paths from Cedar's variables. */
const KEYED = new Set([
  'principal.roles',
  'principal.status',
  'context.mfa',
  'context.authMethod',
  'context.devicePosture',
  'context.risk',
  'context.justification',
  'context.riskVerified',
  'context.elevation.kind',
  'context.elevation.grantsAction',
]);

/** The slice-key part for a request: every keyed fact's value, or null where it is absent. */
export function foldKey(call: CedarRequest): string {
  const attrs = call.entities[0]!.attrs as Record<string, unknown>; // the principal (toCedarRequest puts it first)
  const roles = attrs.roles as string[];
  const c = call.context as Record<string, unknown>;
  const elevation = c.elevation as { kind?: unknown; grantsAction?: unknown } | undefined;
  return JSON.stringify([
    [...new Set(roles)].sort(),
    attrs.status ?? null,
    c.mfa ?? null,
    c.authMethod ?? null,
    c.devicePosture ?? null,
    c.risk ?? null,
    c.justification ?? null,
    c.riskVerified ?? null,
    elevation?.kind ?? null,
    elevation?.grantsAction ?? null,
  ]);
}

type Node = Record<string, unknown>;

/** `context.elevation` for a chain of `.` from a variable; undefined for anything else. */
function pathOf(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const n = node as Node;
  if (typeof n.Var === 'string') return n.Var;
  const dot = n['.'] as { left?: unknown; attr?: unknown } | undefined;
  if (dot && typeof dot.attr === 'string') {
    const left = pathOf(dot.left);
    return left === undefined ? undefined : `${left}.${dot.attr}`;
  }
  return undefined;
}

/**
 * Whether an expression (Cedar's JSON form) reads nothing but keyed facts, the action (part of the
 * slice key) and the types of principal and resource (part of it too). Anything it does not
 * recognise counts as reading something else: the answer errs towards "no", which keeps a policy.
 */
export function readsOnlyKeyed(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return true;
  if (Array.isArray(node)) return node.every(readsOnlyKeyed);
  const n = node as Node;
  if ('Value' in n) return true; // a literal
  if (typeof n.Var === 'string') return n.Var === 'action';
  for (const op of ['.', 'has'] as const) {
    const inner = n[op] as { left?: unknown; attr?: unknown } | undefined;
    if (inner && typeof inner === 'object' && 'left' in inner) {
      const left = pathOf(inner.left);
      return left !== undefined && typeof inner.attr === 'string' && KEYED.has(`${left}.${inner.attr}`);
    }
  }
  const is = n.is as { left?: { Var?: unknown }; in?: unknown } | undefined;
  if (is && typeof is === 'object' && 'left' in is) {
    return (is.left?.Var === 'principal' || is.left?.Var === 'resource') && is.in === undefined;
  }
  return Object.values(n).every(readsOnlyKeyed);
}

/**
 * The values of conditions on one request, by Cedar in one call: each condition is the `when` of a
 * permit of its own; a satisfied permit is a reason (Cedar names every satisfied permit of an allow),
 * a failed one an error. true, false, or undefined when Cedar reports an error for it.
 */
function evaluateConditions(call: CedarRequest, bodies: readonly unknown[]): (boolean | undefined)[] {
  const staticPolicies: Record<string, PolicyJson> = {};
  bodies.forEach((body, i) => {
    const when = [{ kind: 'when' as const, body: body as PolicyJson['conditions'][number]['body'] }];
    staticPolicies[`c${i}`] = { effect: 'permit', principal: { op: 'All' }, action: { op: 'All' }, resource: { op: 'All' }, conditions: when };
  });
  const { principal, action, resource, context, entities } = call;
  const answer = cedar.isAuthorized({ principal, action, resource, context, entities, policies: { staticPolicies }, validateRequest: false });
  if (answer.type !== 'success') return bodies.map(() => undefined);
  const failed = new Set(answer.response.diagnostics.errors.map((e) => e.policyId));
  const satisfied = new Set(answer.response.decision === 'allow' ? answer.response.diagnostics.reason : []);
  return bodies.map((_, i) => (failed.has(`c${i}`) ? undefined : satisfied.has(`c${i}`)));
}

/**
 * A slice's policies folded on the facts of `call` (see above): the same ids and effects, the
 * policies that cannot fire for this key left out, those that always fire left without conditions.
 */
export function foldSlice(policies: Record<string, PolicyJson>, call: CedarRequest): Record<string, PolicyJson> {
  // The conditions that can be folded: the leading ones that read only keyed facts, of policies
  // whose scope is "any" (slicePolicies made it so where the slice's shape decides it).
  const leading = new Map<string, PolicyJson['conditions']>();
  const bodies: unknown[] = [];
  for (const [id, json] of Object.entries(policies)) {
    if (json.principal.op !== 'All' || json.action.op !== 'All' || json.resource.op !== 'All') continue;
    const keyed: PolicyJson['conditions'] = [];
    for (const clause of json.conditions) {
      if (!readsOnlyKeyed(clause.body)) break;
      keyed.push(clause);
      bodies.push(clause.body);
    }
    if (keyed.length > 0 || json.conditions.length === 0) leading.set(id, keyed);
  }
  const values = bodies.length > 0 ? evaluateConditions(call, bodies) : [];
  let next = 0;
  const out: Record<string, PolicyJson> = {};
  for (const [id, json] of Object.entries(policies)) {
    const keyed = leading.get(id);
    let verdict: 'kept' | 'dropped' | 'fires' = keyed ? 'fires' : 'kept';
    if (keyed) {
      const first = next;
      next += keyed.length;
      if (keyed.length < json.conditions.length) verdict = 'kept'; // a condition reads something else
      for (let i = 0; i < keyed.length; i++) {
        const value = values[first + i];
        if (value === undefined) {
          verdict = 'kept';
          break;
        }
        if (value !== (keyed[i]!.kind === 'when')) {
          verdict = 'dropped'; // Cedar's && stops here: nothing after it is evaluated
          break;
        }
      }
    }
    if (verdict === 'dropped') continue;
    out[id] = verdict === 'fires' ? { effect: json.effect, principal: json.principal, action: json.action, resource: json.resource, conditions: [] } : json;
  }
  return out;
}

/**
 * The attributes some policies read: `visit` sees each node of their conditions and answers with
 * the name of the attribute it reads (nothing below it is looked at), WHOLE when it may read any
 * (then undefined is returned: pass them all), NONE when nothing below it counts, or undefined to
 * look inside. (Symbols, so that no attribute's name can pass for either.)
 */
export const WHOLE = Symbol('whole');
export const NONE = Symbol('none');
export function attributeReads(policies: Iterable<PolicyJson>, visit: (node: Node) => string | typeof WHOLE | typeof NONE | undefined): Set<string> | undefined {
  const found = new Set<string>();
  let isWhole = false;
  const walk = (node: unknown): void => {
    if (isWhole || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const seen = visit(node as Node);
    if (seen === WHOLE) isWhole = true;
    else if (seen === NONE) return;
    else if (seen !== undefined) found.add(seen);
    else for (const v of Object.values(node)) walk(v);
  };
  for (const p of policies) walk(p.conditions);
  return isWhole ? undefined : found;
}

/**
 * The entity attributes the policies read (`principal.a`, `resource has a`), or undefined when one
 * reads an attribute other than through `principal` or `resource` directly (then all are passed). A
 * policy that reads an attribute it was not given errors, and any error is a deny (fail closed).
 */
export function entityAttributes(policies: Iterable<PolicyJson>): Set<string> | undefined {
  return attributeReads(policies, (n) => {
    if ('Value' in n) return NONE;
    for (const op of ['.', 'has'] as const) {
      const inner = n[op] as { left?: unknown; attr?: unknown } | undefined;
      if (!inner || typeof inner !== 'object' || !('left' in inner)) continue;
      const left = pathOf(inner.left);
      if (left === 'principal' || left === 'resource') return typeof inner.attr === 'string' ? inner.attr : WHOLE;
      // `context.a` or a chain from it reads no entity; anything else might.
      return left !== undefined && (left === 'context' || left.startsWith('context.')) ? NONE : WHOLE;
    }
    return undefined;
  });
}
