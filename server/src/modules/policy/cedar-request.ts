import { DEVICE_POSTURES, ELEVATIONS, PRINCIPAL_TYPES, RISK_LEVELS, type ElevationContext, type PdpRequest } from './types.ts';
import type { CedarContext, EntityJson } from './cedar.ts';

/** The Cedar-facing form of one request: two entities at most, the context as a flat record. */
export interface CedarRequest {
  principal: { type: string; id: string };
  action: { type: 'Action'; id: string };
  resource: { type: string; id: string };
  context: CedarContext;
  entities: EntityJson[];
}

const isStr = (x: unknown): x is string => typeof x === 'string';
const isStrList = (x: unknown): x is string[] => Array.isArray(x) && x.every(isStr);
const oneOf = <T extends string>(list: readonly T[], x: unknown): x is T => isStr(x) && (list as readonly string[]).includes(x);
const isElevation = (x: unknown): x is ElevationContext => {
  const e = x as Partial<ElevationContext> | null;
  return typeof e === 'object' && e !== null && oneOf(ELEVATIONS, e.kind) && isStr(e.id) && typeof e.grantsAction === 'boolean';
};

/** Whether a justification was given: the text itself never leaves this function (R-DATA-4). */
export function hasJustification(j: unknown): boolean {
  return typeof j === 'string' ? j.trim().length > 0 : j === true;
}

/** R-SESS-2: the risk facts as a Cedar record: flags, strings and whole numbers only; null if any is else. */
function signalsOf(x: unknown): Record<string, string | number | boolean> | null {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return null;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(x)) {
    if (typeof v === 'number' ? !Number.isSafeInteger(v) : typeof v !== 'string' && typeof v !== 'boolean') return null;
    out[k] = v;
  }
  return out;
}

/**
 * Builds the Cedar request, or returns undefined when the request does not fit the schema. The
 * checks are cheap and strict on purpose: decisions run without request validation in Cedar, and a
 * mistyped value would make a `forbid` error out, which Cedar treats as "does not apply".
 * `attributes` lists, per entity type, the attributes the schema declares: nothing else is passed.
 */
export function toCedarRequest(
  req: PdpRequest,
  resourceTypesByAction: ReadonlyMap<string, readonly string[]>,
  attributes: ReadonlyMap<string, ReadonlySet<string>>,
): CedarRequest | undefined {
  const { principal: p, resource: r, context: c } = req ?? ({} as PdpRequest);
  if (!p || !r || !c) return undefined;
  if (!oneOf(PRINCIPAL_TYPES, p.type) || !isStr(p.id) || !p.id || !isStr(p.tenant) || !p.tenant) return undefined;
  if (!isStrList(p.roles) || !isStrList(p.scopes) || (p.onBehalfOf !== undefined && !isStr(p.onBehalfOf))) return undefined;
  if (p.status !== undefined && !isStr(p.status)) return undefined;
  if (!resourceTypesByAction.get(req.action)?.includes(r.type)) return undefined;
  if (!isStr(r.id) || !r.id || !isStr(r.tenant) || !r.tenant) return undefined;
  // sod-owner-manages-owners reads the managed member's roles: a `member.manage` whose Member carries
  // none (a route that built the member without `memberResource`) does not fit and is refused, rather
  // than decided as if the member held no role (R-AUTHZ-5).
  if (req.action === 'member.manage' && r.type === 'Member' && !isStrList(r.roles)) return undefined;
  if (typeof c.mfa !== 'boolean' || !isStr(c.authMethod) || !isStr(c.purpose)) return undefined;
  if (typeof c.authAgeSeconds !== 'number' || !Number.isFinite(c.authAgeSeconds) || c.authAgeSeconds < 0) return undefined;
  if (!oneOf(DEVICE_POSTURES, c.devicePosture) || !oneOf(RISK_LEVELS, c.risk) || !isElevation(c.elevation)) return undefined;
  if (typeof c.justification !== 'boolean' && !isStr(c.justification)) return undefined;
  if (c.riskVerified !== undefined && typeof c.riskVerified !== 'boolean') return undefined;
  const signals = c.signals === undefined ? undefined : signalsOf(c.signals);
  if (signals === null) return undefined;

  const principalAttrs: Record<string, string | string[]> = { tenant: p.tenant, roles: p.roles, scopes: p.scopes };
  if (p.onBehalfOf && attributes.get(p.type)?.has('onBehalfOf')) principalAttrs.onBehalfOf = p.onBehalfOf;
  if (p.status && attributes.get(p.type)?.has('status')) principalAttrs.status = p.status;
  const resourceAttrs: Record<string, string | string[] | boolean> = {};
  for (const name of attributes.get(r.type) ?? []) {
    const value = r[name];
    if (value === undefined) continue;
    // Booleans are facts the enforcement point read (a call's `ofPrincipal`, R-AI-6), never PHI.
    if (!isStr(value) && !isStrList(value) && typeof value !== 'boolean') return undefined;
    resourceAttrs[name] = value;
  }
  const principalUid = { type: p.type, id: p.id };
  const resourceUid = { type: r.type, id: r.id };
  let entities: EntityJson[];
  if (p.type === r.type && p.id === r.id) {
    // The same entity on both sides (a member acting on their own account): one entity, one tenant.
    if (r.tenant !== p.tenant) return undefined;
    entities = [{ uid: principalUid, attrs: { ...resourceAttrs, ...principalAttrs }, parents: [] }];
  } else {
    entities = [
      { uid: principalUid, attrs: principalAttrs, parents: [] },
      { uid: resourceUid, attrs: resourceAttrs, parents: [] },
    ];
  }
  return {
    principal: principalUid,
    action: { type: 'Action', id: req.action },
    resource: resourceUid,
    context: {
      mfa: c.mfa,
      authMethod: c.authMethod,
      authAgeSeconds: Math.min(Math.floor(c.authAgeSeconds), 2_147_483_647),
      devicePosture: c.devicePosture,
      risk: c.risk,
      elevation: { kind: c.elevation.kind, id: c.elevation.id, grantsAction: c.elevation.grantsAction },
      justification: hasJustification(c.justification),
      purpose: c.purpose,
      ...(c.riskVerified !== undefined ? { riskVerified: c.riskVerified } : {}),
      ...(signals ? { signals } : {}),
    },
    entities,
  };
}
