import { createHash } from 'node:crypto';
import { SUD_PART2_PURPOSES, WardError, type Decision, type Obligations } from '@ward/contracts';
import { cedar, type EntityJson } from './cedar.ts';
import { toCedarRequest, type CedarRequest } from './cedar-request.ts';
import { createMasker, loadMaskRules } from './masks.ts';
import { DEFAULT_POLICIES_DIR, loadPolicyFiles, type LoadedPolicy } from './policy-files.ts';
import { foldKey, foldSlice } from './slice-fold.ts';
import { createSliceCache, gatingRole, slicePolicies, type PreparedSlice } from './slices.ts';
import { validateTenantPolicySet } from './tenant-policies.ts';
import type { Pdp, PdpRequest, PolicyInfo, TenantPolicies } from './types.ts';

/** Reasons come from this fixed list, plus `forbid:<policy id>` (STYLE.md habit 6, Pomerium). */
export const REASONS = {
  permit: 'permit',
  noPermit: 'no-permit',
  stepUp: 'step-up-required',
  justification: 'justification-required',
  invalidRequest: 'invalid-request',
  pdpError: 'pdp-error',
} as const;

const deny = (reason: string, policyIds: string[] = []): Decision => ({ allow: false, policyIds, reasons: [reason], obligations: {} });

/** A policy set as the decider sees it: its policies and a cache key prefix for its slices. */
interface DecisionSet {
  key: string;
  /** SHA-256 (hex) naming the exact policies: the defaults' digest, with the tenant's text when it has one. */
  hash: string;
  policies: ReadonlyMap<string, LoadedPolicy>;
  /** The roles some permit is gated on: only these distinguish slices. */
  gatingRoles: ReadonlySet<string>;
}

function decisionSet(key: string, hash: string, policies: ReadonlyMap<string, LoadedPolicy>): DecisionSet {
  const gatingRoles = new Set<string>();
  for (const p of policies.values()) {
    const role = gatingRole(p);
    if (role !== undefined) gatingRoles.add(role);
  }
  return { key, hash, policies, gatingRoles };
}

const MAX_TENANT_SETS = 256;
const SUD_POLICY_ID = 'sud-part2-purpose';

/** The string literals of a policy's `unless` conditions. */
function unlessLiterals(policy: LoadedPolicy): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const value = (node as { Value?: unknown }).Value;
      if (typeof value === 'string') out.add(value);
      else Object.values(node).forEach(walk);
    }
  };
  for (const c of policy.json.conditions ?? []) if (c.kind === 'unless') walk(c.body);
  return out;
}

/**
 * 42 CFR Part 2: the purposes the policy permits for SUD-Part2 are the ones the data scope widens
 * for (SUD_PART2_PURPOSES). Two lists that drift apart would let a list reach rows no decision
 * allows, so a difference stops the start (CONFIG_INVALID).
 */
export function checkSudPart2Purposes(policies: ReadonlyMap<string, LoadedPolicy>): void {
  const policy = policies.get(SUD_POLICY_ID);
  const named = policy ? [...unlessLiterals(policy)].sort() : [];
  if (named.join(',') !== [...SUD_PART2_PURPOSES].sort().join(',')) {
    throw new WardError('CONFIG_INVALID', `policies: ${SUD_POLICY_ID} must permit exactly the purposes ${SUD_PART2_PURPOSES.join(', ')}`);
  }
}

/**
 * Loads, validates and prepares the policy decision point (R-AUTHZ-1). Throws CONFIG_INVALID when
 * the schema, a policy or the mask rules are not valid, so that the server does not start.
 */
export function loadPdp(opts: { policiesDir?: string; /** Off only for the differential test's reference. */ foldSlices?: boolean } = {}): Pdp {
  const isFolding = opts.foldSlices ?? true;
  const policiesDir = opts.policiesDir ?? DEFAULT_POLICIES_DIR;
  const loaded = loadPolicyFiles(policiesDir);
  checkSudPart2Purposes(loaded.policies);
  const masker = createMasker(loadMaskRules(policiesDir, loaded.actions));
  const slices = createSliceCache();
  const defaultSet = decisionSet('default', loaded.digest, loaded.policies);
  const tenantSets = new Map<string, DecisionSet | null>();

  function tenantSet(t: TenantPolicies): DecisionSet | null {
    const key = `tenant:${t.key}`;
    const hit = tenantSets.get(key);
    if (hit !== undefined) return hit;
    const check = validateTenantPolicySet(t.text, loaded.schemaText);
    let set: DecisionSet | null = null;
    if (check.ok) {
      const policies = new Map(loaded.policies);
      for (const p of check.policies) policies.set(p.id, p);
      const hash = createHash('sha256').update(`${loaded.digest}\u0000tenant\u0000${t.text}`).digest('hex');
      set = decisionSet(key, hash, policies);
    }
    if (tenantSets.size >= MAX_TENANT_SETS) tenantSets.delete(tenantSets.keys().next().value as string);
    tenantSets.set(key, set);
    return set;
  }

  /**
   * The slice for a request: its shape (principal type, action, resource type, gating roles) and its
   * keyed facts (slice-fold.ts), built and folded on first use.
   */
  function sliceFor(set: DecisionSet, req: PdpRequest, call: CedarRequest): PreparedSlice {
    const roles = req.principal.roles.filter((r) => set.gatingRoles.has(r)).sort();
    const shape = { principalType: call.principal.type, action: req.action, resourceType: call.resource.type, roles };
    const key = `${set.key}\u0000${shape.principalType}\u0000${shape.action}\u0000${shape.resourceType}\u0000${roles.join(',')}`;
    if (!isFolding) return slices.get(key, () => slicePolicies(set.policies.values(), shape));
    return slices.get(`${key}\u0000${foldKey(call)}`, () => foldSlice(slicePolicies(set.policies.values(), shape), call));
  }

  function evaluate(call: CedarRequest, slice: PreparedSlice) {
    let context = call.context;
    if (slice.contextKeys) {
      context = {};
      for (const k of slice.contextKeys) if (k in call.context) context[k] = call.context[k]!;
    }
    let entities = call.entities;
    const kept = slice.attributeKeys;
    if (kept) {
      // Only the attributes the slice's policies read: each one passed costs Cedar a parse.
      entities = [];
      for (const e of call.entities) {
        const attrs: EntityJson['attrs'] = {};
        for (const k in e.attrs) if (kept.has(k)) attrs[k] = e.attrs[k]!;
        entities.push({ uid: e.uid, attrs, parents: e.parents });
      }
    }
    // Not `{ ...call, … }`: in Node 20's V8 a literal that opens with a spread pays a map transition per
    // property after it (R-OPS-1). The same call, its keys in the same order.
    const { principal, action, resource } = call;
    const answer = cedar.statefulIsAuthorized({ principal, action, resource, context, entities, preparsedPolicySetId: slice.id, validateRequest: false });
    // Fail closed (DESIGN.md): Cedar skips a policy whose evaluation errors, which for a forbid
    // would widen access. Any error at all is a deny.
    if (answer.type !== 'success' || answer.response.diagnostics.errors.length > 0) return undefined;
    return { allow: answer.response.decision === 'allow', ids: [...answer.response.diagnostics.reason].sort() };
  }

  /** R-AUDIT-1: every decision names the policy set that made it, so that it can be replayed. */
  function decide(req: PdpRequest, tenantPolicies?: TenantPolicies): Decision {
    const set = tenantPolicies ? tenantSet(tenantPolicies) : defaultSet;
    if (!set) return deny(REASONS.pdpError);
    const decision = decideWith(set, req); // a new object on every path
    decision.policySetHash = set.hash;
    return decision;
  }

  function decideWith(set: DecisionSet, req: PdpRequest): Decision {
    try {
      const call = toCedarRequest(req, loaded.actions, loaded.attributes);
      if (!call) return deny(REASONS.invalidRequest);
      const first = evaluate(call, sliceFor(set, req, call));
      if (!first) return deny(REASONS.pdpError);
      if (first.allow) {
        const maskFields = masker(req);
        return { allow: true, policyIds: first.ids, reasons: [REASONS.permit], obligations: maskFields ? { maskFields } : {} };
      }
      if (first.ids.length === 0) return deny(REASONS.noPermit);
      return explainDenial(set, req, call, first.ids);
    } catch {
      return deny(REASONS.pdpError);
    }
  }

  /**
   * A denial by obligation forbids only (step-up, justification) is one the user can cure. One
   * re-evaluation with them satisfied tells it from a denial that would stand anyway (no permit,
   * or another forbid) — and only when every forbid that fired is an obligation.
   */
  function explainDenial(set: DecisionSet, req: PdpRequest, call: CedarRequest, forbidIds: string[]): Decision {
    const obligations: Obligations = {};
    for (const id of forbidIds) {
      const a = set.policies.get(id)?.annotations;
      if (a?.obligation === 'stepUp') {
        const seconds = Number(a.stepUpWithinSeconds);
        obligations.stepUpWithinSeconds = Math.min(obligations.stepUpWithinSeconds ?? seconds, seconds);
      } else if (a?.obligation === 'justification') {
        obligations.justificationRequired = true;
      } else {
        return { allow: false, policyIds: forbidIds, reasons: forbidIds.map((id) => `forbid:${id}`), obligations: {} };
      }
    }
    // A step-up now also answers the risk signals that arose before it (R-SESS-2: riskVerified).
    const satisfied = { ...call, context: { ...call.context, authAgeSeconds: 0, justification: true, riskVerified: true } };
    // Its keyed facts differ (justification, riskVerified): its own slice, folded on them.
    const second = evaluate(satisfied, sliceFor(set, req, satisfied));
    if (!second) return deny(REASONS.pdpError);
    if (!second.allow) {
      // Curing the obligations would not help: report the first denial as it stands.
      return { allow: false, policyIds: forbidIds, reasons: forbidIds.map((id) => `forbid:${id}`), obligations: {} };
    }
    const reasons: string[] = [];
    if (obligations.stepUpWithinSeconds !== undefined) reasons.push(REASONS.stepUp);
    if (obligations.justificationRequired) reasons.push(REASONS.justification);
    return { allow: false, policyIds: forbidIds, reasons, obligations };
  }

  const policies = new Map<string, PolicyInfo>();
  for (const p of loaded.policies.values()) policies.set(p.id, { id: p.id, effect: p.effect, file: p.file, annotations: p.annotations });
  return { decide, policies, actions: loaded.actions, policiesDir, policySetHash: loaded.digest };
}
