import { WardError } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import { validateTenantPolicySet } from './tenant-policies.ts';
import type { TenantPolicies } from './types.ts';

/**
 * Stored per-tenant policies (R-AUTHZ-1, R-AUTHZ-5): proposed by one Owner or Admin, validated on
 * save (forbid-only), in force only once a second Owner or Admin approves; versioned, one active.
 * Who may propose or approve is the enforcement point's decision (`policy.manage`); that the
 * approver is not the proposer is checked here and by the database.
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
  propose(tx: Tx, tenantId: string, text: string, by: string): Promise<{ version: number }>;
  decide(tx: Tx, tenantId: string, version: number, by: string, approve: boolean): Promise<TenantPolicyVersion>;
  list(tx: Tx, tenantId: string): Promise<TenantPolicyVersion[]>;
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
    async propose(tx, tenantId, text, by) {
      const check = validateTenantPolicySet(text);
      if (!check.ok) throw new WardError('POLICY_INVALID', `The tenant policy is not valid: ${check.reason}.`);
      const { rows } = await tx.query<{ version: number }>(
        `INSERT INTO tenant_policies (tenant_id, version, policy_text, proposed_by)
         SELECT $1, COALESCE(max(version), 0) + 1, $2, $3 FROM tenant_policies WHERE tenant_id = $1
         RETURNING version`,
        [tenantId, text, by],
      );
      return { version: rows[0]!.version };
    },

    async decide(tx, tenantId, version, by, approve) {
      const { rows } = await tx.query<Row & { policy_text: string }>(
        'SELECT version, state, proposed_by, proposed_at, decided_by, decided_at, policy_text FROM tenant_policies WHERE tenant_id = $1 AND version = $2 FOR UPDATE',
        [tenantId, version],
      );
      const row = rows[0];
      if (!row) throw new WardError('NOT_FOUND');
      if (row.state !== 'proposed') throw new WardError('CONFLICT', `Version ${version} was already ${row.state === 'rejected' ? 'rejected' : 'approved'}.`);
      if (row.proposed_by === by) throw new WardError('POLICY_SELF_APPROVAL');
      // Validated again: the schema may have changed since the proposal.
      if (approve && !validateTenantPolicySet(row.policy_text).ok) throw new WardError('POLICY_INVALID', 'The proposed policy no longer matches the schema; propose it again.');
      if (approve) {
        await tx.query("UPDATE tenant_policies SET state = 'superseded' WHERE tenant_id = $1 AND state = 'active'", [tenantId]);
      }
      const updated = await tx.query<Row>(
        `UPDATE tenant_policies SET state = $3, decided_by = $4, decided_at = $5
          WHERE tenant_id = $1 AND version = $2
          RETURNING version, state, proposed_by, proposed_at, decided_by, decided_at`,
        [tenantId, version, approve ? 'active' : 'rejected', by, deps.clock.now()],
      );
      cache.delete(tenantId);
      return toVersion(updated.rows[0]!);
    },

    async list(tx, tenantId) {
      const { rows } = await tx.query<Row>(
        'SELECT version, state, proposed_by, proposed_at, decided_by, decided_at FROM tenant_policies WHERE tenant_id = $1 ORDER BY version DESC',
        [tenantId],
      );
      return rows.map(toVersion);
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
