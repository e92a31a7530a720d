import { WardError } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import { validateTenantPolicySet, type TenantPolicies } from '../policy/index.ts';

/**
 * Stored per-tenant policies (R-AUTHZ-1, R-AUTHZ-5): proposed by one Owner or Admin, validated on
 * save (forbid-only), in force only once a second Owner or Admin approves; versioned, one active.
 * Who may propose or approve is the enforcement point's decision (`policy.manage`); the database
 * writes versions and decisions only through SECURITY DEFINER functions (0017_definer_grants.sql)
 * that take the proposer and the decider from the transaction's verified scope, require an active
 * Owner or Admin, and refuse an approval by the proposer.
 * The active set is cached per tenant for a few seconds so that deciding costs no extra round trip;
 * an approval on another server takes effect within that time.
 */
export interface TenantPolicyVersion {
  version: number;
  state: 'proposed' | 'active' | 'superseded' | 'rejected';
  proposedBy: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export interface TenantPolicyStore {
  /** Proposed by the scope's actor. */
  propose(tx: Tx, tenantId: string, text: string): Promise<{ version: number }>;
  /** Decided by the scope's actor. */
  decide(tx: Tx, tenantId: string, version: number, approve: boolean): Promise<TenantPolicyVersion>;
  list(tx: Tx, tenantId: string): Promise<TenantPolicyVersion[]>;
  /** One version, or undefined: what the enforcement point loads before a decision on it. */
  find(tx: Tx, tenantId: string, version: number): Promise<TenantPolicyVersion | undefined>;
  /** The tenant's active policies, for `pdp.decide`; undefined when it has none. */
  active(tx: Tx, tenantId: string): Promise<TenantPolicies | undefined>;
}

interface Row {
  version: number;
  state: TenantPolicyVersion['state'];
  proposed_by: string;
  proposed_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
}

const toVersion = (r: Row): TenantPolicyVersion => ({
  version: r.version,
  state: r.state,
  proposedBy: r.proposed_by,
  proposedAt: new Date(r.proposed_at),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at ? new Date(r.decided_at) : null,
});

export function createTenantPolicyStore(deps: { clock: { now(): Date }; cacheSeconds?: number }): TenantPolicyStore {
  const ttlMs = (deps.cacheSeconds ?? 5) * 1000;
  const cache = new Map<string, { value: TenantPolicies | undefined; until: number }>();

  return {
    async propose(tx, _tenantId, text) {
      const check = validateTenantPolicySet(text);
      if (!check.ok) throw new WardError('POLICY_INVALID', `The tenant policy is not valid: ${check.reason}.`);
      try {
        const { rows } = await tx.query<{ version: number }>('SELECT ward_tenant_policy_propose($1, $2) AS version', [text, deps.clock.now()]);
        return { version: rows[0]!.version };
      } catch (e) {
        return rethrowRefusal(e, { not_permitted: 'FORBIDDEN' });
      }
    },

    async decide(tx, tenantId, version, approve) {
      const { rows } = await tx.query<{ state: TenantPolicyVersion['state']; policy_text: string }>(
        'SELECT state, policy_text FROM tenant_policies WHERE tenant_id = $1 AND version = $2',
        [tenantId, version],
      );
      const row = rows[0];
      if (!row) throw new WardError('NOT_FOUND');
      // Validated again: the schema may have changed since the proposal.
      if (approve && row.state === 'proposed' && !validateTenantPolicySet(row.policy_text).ok) {
        throw new WardError('POLICY_INVALID', 'The proposed policy no longer matches the schema; propose it again.');
      }
      const already = new WardError('CONFLICT', `Version ${version} was already ${row.state === 'rejected' ? 'rejected' : 'approved'}.`);
      let updated: Row | undefined;
      try {
        updated = (await tx.query<Row>('SELECT version, state, proposed_by, proposed_at, decided_by, decided_at FROM ward_tenant_policy_decide($1, $2, $3)',
          [version, approve, deps.clock.now()])).rows[0];
      } catch (e) {
        return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', self_approval: 'POLICY_SELF_APPROVAL', not_found: 'NOT_FOUND', already_decided: already });
      }
      cache.delete(tenantId);
      return toVersion(updated!);
    },

    async list(tx, tenantId) {
      const { rows } = await tx.query<Row>(
        'SELECT version, state, proposed_by, proposed_at, decided_by, decided_at FROM tenant_policies WHERE tenant_id = $1 ORDER BY version DESC',
        [tenantId],
      );
      return rows.map(toVersion);
    },

    async find(tx, tenantId, version) {
      const { rows } = await tx.query<Row>(
        'SELECT version, state, proposed_by, proposed_at, decided_by, decided_at FROM tenant_policies WHERE tenant_id = $1 AND version = $2',
        [tenantId, version],
      );
      return rows[0] ? toVersion(rows[0]) : undefined;
    },

    async active(tx, tenantId) {
      const now = deps.clock.now().getTime();
      const hit = cache.get(tenantId);
      if (hit && hit.until > now) return hit.value;
      const { rows } = await tx.query<{ version: number; policy_text: string }>(
        "SELECT version, policy_text FROM tenant_policies WHERE tenant_id = $1 AND state = 'active'",
        [tenantId],
      );
      const row = rows[0];
      const value = row ? { key: `${tenantId}:${row.version}`, text: row.policy_text } : undefined;
      cache.set(tenantId, { value, until: now + ttlMs });
      return value;
    },
  };
}
