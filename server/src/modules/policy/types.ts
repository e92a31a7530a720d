import { DEVICE_POSTURES, type Decision } from '@ward/contracts';

export { DEVICE_POSTURES };

export const PRINCIPAL_TYPES = ['Member', 'AiAgent', 'Service'] as const;
export type PdpPrincipalType = (typeof PRINCIPAL_TYPES)[number];

/**
 * R-SESS-2: `unassessed` until a risk engine assesses the session; it is no claim of `low`, and no
 * policy may read it as one (high-risk-session lists the levels it lets through, so any other value
 * is forbidden).
 */
export const RISK_LEVELS = ['unassessed', 'low', 'medium', 'high'] as const;
export const ELEVATIONS = ['none', 'jit', 'breakglass'] as const;

/**
 * R-ELEV-1, R-ELEV-2: the elevation the enforcement point found active and covering this request's
 * resource (modules/elevation). `kind` is `none` when none does; `id` names it ("" for none);
 * `grantsAction` says whether it names the requested action (a JIT grant of named actions, or
 * break-glass's read actions). The policies read it; they never see the reason.
 */
export interface ElevationContext {
  kind: (typeof ELEVATIONS)[number];
  id: string;
  grantsAction: boolean;
}
export const NO_ELEVATION: ElevationContext = Object.freeze({ kind: 'none', id: '', grantsAction: false });

/**
 * One authorization question (DESIGN.md step 3). Built by the enforcement point from the
 * authenticated principal, the loaded resource and the request's context.
 */
export interface PdpRequest {
  principal: {
    type: PdpPrincipalType;
    id: string;
    tenant: string;
    roles: string[];
    scopes: string[];
    /** R-WORK-3: the member an AI agent or service acts for. */
    onBehalfOf?: string;
    /** R-AUTHN-4: a member's account state (`active`, or `restricted` during a recovery). */
    status?: string;
  };
  action: string;
  resource: {
    type: string;
    id: string;
    tenant: string;
    phiScope?: string;
    [attr: string]: unknown;
  };
  context: {
    mfa: boolean;
    authMethod: string;
    /** Seconds since the last user verification (R-SESS-3). */
    authAgeSeconds: number;
    devicePosture: (typeof DEVICE_POSTURES)[number];
    risk: (typeof RISK_LEVELS)[number];
    elevation: ElevationContext;
    /** Whether a justification was given. A string is reduced to "non-empty"; its text never reaches Cedar. */
    justification: boolean | string;
    /** A purpose-of-use code (HL7 PurposeOfUse, e.g. TREAT), "" for none. */
    purpose: string;
    /** R-SESS-2: a user verification after every signal a step-up answers; absent is false. */
    riskVerified?: boolean;
    /** R-SESS-2: the live facts the risk was assessed from (modules/risk): counts, ages, flags. */
    signals?: Readonly<Record<string, string | number | boolean>>;
  };
}

/** Already-validated tenant policies (forbid-only), cached under `key` (e.g. tenant id + version). */
export interface TenantPolicies {
  key: string;
  text: string;
}

export interface PolicyInfo {
  id: string;
  effect: 'permit' | 'forbid';
  /** The file it came from, relative to the policies directory. */
  file: string;
  annotations: Record<string, string>;
}

export interface Pdp {
  /** Synchronous and fails closed: any error inside Cedar is a deny with reason `pdp-error`. */
  decide(req: PdpRequest, tenantPolicies?: TenantPolicies): Decision;
  /** The default policies with their annotations (R-AUTHZ-6: the mapping is data). */
  readonly policies: ReadonlyMap<string, PolicyInfo>;
  /** The actions the schema declares, and the resource types each applies to. */
  readonly actions: ReadonlyMap<string, readonly string[]>;
  readonly policiesDir: string;
  /** SHA-256 (hex) of the schema and the default policy files (decisions with tenant policies name their own). */
  readonly policySetHash: string;
}
