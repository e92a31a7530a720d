import type { PhiScope, PrincipalKind } from './principal.ts';

/**
 * One audit event as the caller hands it to `audit.append(tx, event)` (R-AUDIT-1). It names targets by
 * identifier, never by content: no PHI value belongs here. `seq` is assigned later by the sealer.
 */
export interface AuditEventInput {
  tenantId: string;
  actorKind: PrincipalKind;
  actorId: string;
  onBehalfOf?: string | null;
  sessionId?: string | null;
  deviceId?: string | null;
  sourceIp?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  phiScope?: PhiScope | null;
  decision?: 'allow' | 'deny' | null;
  policyIds?: string[];
  reasons?: string[];
  purpose?: string | null;
  outcome: 'success' | 'failure' | 'denied';
  /** PHI-free metadata (AI template, model, counts). */
  metadata?: Record<string, string | number | boolean | null>;
}
