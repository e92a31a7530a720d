/**
 * The policy decision is data (R-AUTHZ-1, STYLE.md habit 6): allow or deny, the Cedar policy ids that
 * decided it, reasons from a fixed list, and the obligations the enforcement point must meet.
 */
export interface Obligations {
  /** R-SESS-3: the user must have been verified within this many seconds. */
  stepUpWithinSeconds?: number;
  /** R-AUTHZ-4: a justification (purpose of use) must accompany the request. */
  justificationRequired?: boolean;
  /** R-DATA-3: fields to mask in the response (minimum necessary). */
  maskFields?: string[];
}

export interface Decision {
  allow: boolean;
  /** Ids (`@id` annotations) of the policies that determined the decision. */
  policyIds: string[];
  /** Short, PHI-free reasons, e.g. `forbid:tenant-boundary` or `no-permit`. */
  reasons: string[];
  obligations: Obligations;
  /**
   * R-AUDIT-1: SHA-256 (hex) of the policy set that decided (the default policies and the tenant's
   * active policies), recorded with the decision so that it can be replayed against those exact policies.
   */
  policySetHash?: string;
}

export const DENY_BY_DEFAULT: Decision = Object.freeze({
  allow: false,
  policyIds: [],
  reasons: ['no-permit'],
  obligations: {},
}) as Decision;
