import { isPhiScope, WardError, type AuditEventInput } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { PublicationGuard } from './publication-guard.ts';

/**
 * `audit.append(tx, event)`: the one way an audit event is written (R-AUDIT-1). It runs inside the
 * caller's transaction, so the access and its record commit together or not at all (R-AUDIT-2).
 * The row is plain; `seq` stays NULL until the sealer chains it (R-AUDIT-3).
 */
const INSERT = `INSERT INTO audit_events
  (id, tenant_id, actor_kind, actor_id, on_behalf_of, session_id, device_id, source_ip, action, target_type,
   target_id, phi_scope, decision, policy_ids, reasons, purpose, justification_enc, outcome, metadata)
  VALUES (COALESCE($19::uuid, gen_random_uuid()), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
  RETURNING id`;

export interface AuditLog {
  /**
   * `opts.id` fixes the event's id in advance, so that the justification's ciphertext can be bound
   * to the row it is stored in (the encryption's additional data names tenant, table, row, column).
   */
  append(tx: Tx, event: AuditEventInput, opts?: { id?: string; justificationCiphertext?: Buffer | null }): Promise<{ id: string }>;
}

/**
 * What every writer checks before a record is taken (append here, writer.ts for grouped reads):
 * R-AUDIT-3, no record the trail could not vouch for (the access it records is refused with it); a
 * known PHI scope.
 */
export function checkAppendable(event: AuditEventInput, publication: PublicationGuard | undefined): void {
  publication?.check();
  if (event.phiScope != null && !isPhiScope(event.phiScope)) {
    throw new WardError('AUDIT_WRITE_FAILED', 'The audit event names an unknown PHI scope.');
  }
}

/** Whether every text of the event is well-formed UTF-16 (metadata's are escaped by JSON.stringify, which jsonb refuses). */
function wellFormed(event: AuditEventInput): boolean {
  const texts = [event.actorId, event.onBehalfOf, event.sessionId, event.deviceId, event.sourceIp, event.action, event.targetType, event.targetId, event.purpose];
  return texts.every((t) => t == null || t.isWellFormed()) && [...(event.policyIds ?? []), ...(event.reasons ?? [])].every((t) => t.isWellFormed());
}

/** `publication`: refuses new records while signed heads cannot be published (publication-guard.ts). */
export function createAuditLog(deps: { publication?: PublicationGuard } = {}): AuditLog {
  return {
    async append(tx, event, opts = {}) {
      checkAppendable(event, deps.publication);
      // A lone surrogate would be sent as U+FFFD (UTF-8 has none): the row would hold another value
      // than the event's. Refused instead (fail closed; the grouped path: record-literal.ts).
      if (!wellFormed(event)) throw new WardError('AUDIT_WRITE_FAILED', undefined, { detail: 'audit: nul_or_lone_surrogate' });
      try {
        const { rows } = await tx.query<{ id: string }>(INSERT, [
          event.tenantId,
          event.actorKind,
          event.actorId,
          event.onBehalfOf ?? null,
          event.sessionId ?? null,
          event.deviceId ?? null,
          event.sourceIp ?? null,
          event.action,
          event.targetType ?? null,
          event.targetId ?? null,
          event.phiScope ?? null,
          event.decision ?? null,
          event.policyIds ?? [],
          event.reasons ?? [],
          event.purpose ?? null,
          opts.justificationCiphertext ?? null,
          event.outcome,
          JSON.stringify(event.metadata ?? {}),
          opts.id ?? null,
        ]);
        return { id: rows[0]!.id };
      } catch (e) {
        // Fail closed: the caller's transaction is rolled back with the access it was recording.
        throw new WardError('AUDIT_WRITE_FAILED', undefined, { cause: e });
      }
    },
  };
}
