import { WardError } from '@ward/contracts';
import { safeError, type Logger } from '../../logging.ts';
import type { DataScope, Db, ScopedOptions, Tx } from '../../db/types.ts';
import type { AuditLog, AuditWriter, IssuedRecord } from '../audit/index.ts';
import type { ResourceRef } from './guard.ts';

/**
 * How the guard records (R-AUDIT-2, R-AUDIT-1): the audit switch of one request and its failure path.
 * A read with an audit writer issues its record in its transaction and has it committed by the
 * writer's batch (group commit); anything else appends its record in its own transaction.
 */

/**
 * Group commit (R-AUDIT-2): nothing after authentication's writes may write. (The read's own commit
 * waits for no WAL flush: `asyncCommit`, sent with the transaction's opening; the writer's batch
 * commit flushes it before the response leaves.)
 */
export const READ_ONLY_FROM_HERE = 'SET LOCAL transaction_read_only = on';

type AuditEvent = Parameters<AuditLog['append']>[1];
type AppendOptions = Parameters<AuditLog['append']>[2];

/**
 * One decision's audit event (R-AUDIT-1): who, where and what (`base`), the target's fields when there
 * is a target, then the outcome's, keys in that order. Built with Object.assign rather than
 * `{ ...base, ...target, … }`: in the V8 of Node 20 an object literal that opens with a spread pays a
 * map transition in the runtime for every property after it, ~7 µs for this event against ~0.3 µs
 * (R-OPS-1, issue 31). The same object either way.
 */
type Outcome = Partial<AuditEvent> & Pick<AuditEvent, 'outcome'>;
export function auditEvent(base: Omit<AuditEvent, 'outcome'>, outcome: Outcome): AuditEvent;
export function auditEvent(base: Omit<AuditEvent, 'outcome'>, target: Partial<AuditEvent>, outcome: Outcome): AuditEvent;
export function auditEvent(base: Omit<AuditEvent, 'outcome'>, a: Partial<AuditEvent>, b?: Outcome): AuditEvent {
  return (b === undefined ? Object.assign({}, base, a) : Object.assign({}, base, a, b)) as AuditEvent;
}

export interface RequestRecorder {
  /** How the request's transaction opens: a grouped read's commit waits for no WAL flush of its own. */
  readonly scopedOptions: ScopedOptions;
  /** Records the request's one decision event in `tx` (issued to the writer, or appended). */
  record(tx: Tx, event: AuditEvent, opts: AppendOptions): Promise<void>;
  /** After the transaction committed: resolves once the issued record is durable (at once when appended). */
  durable(): Promise<void>;
  /** Whether the record goes through the writer's group commit. */
  readonly isGrouped: boolean;
}

export function requestRecorder(audit: AuditLog, writer: AuditWriter | undefined): RequestRecorder {
  let issued: Promise<IssuedRecord> | undefined;
  return {
    isGrouped: writer !== undefined,
    scopedOptions: writer !== undefined ? { asyncCommit: true } : {},
    async record(tx, event, opts) {
      if (!writer) {
        // The record is the transaction's last statement: it and the COMMIT leave in one write (R-OPS-1).
        tx.sendWithNext?.();
        await audit.append(tx, event, opts);
        return;
      }
      // The server vouches for the record (Tx.vouch, 0105): no statement is sent. Refused at once when
      // the writer cannot take it or the transaction cannot vouch (0107 removed every other path), and
      // the transaction's COMMIT fails with it (fail closed, R-AUDIT-2).
      issued = writer.issue(tx, event, opts);
      if (tx.commitWith) tx.commitWith(issued);
      else await issued;
    },
    // R-AUDIT-2: released only once the batch holding the record has committed; a failed batch fails this request.
    async durable() {
      if (issued) await writer!.commit(await issued);
    },
  };
}

/**
 * The access rolled back with its (unwritten) event, or its batch failed: the failure is recorded on
 * its own (fail closed), and the request's proof is spent so that it cannot be replayed to try again.
 * Never throws: what could not be recorded is logged by name and code (the access is refused either way).
 */
export async function recordFailure(
  deps: { db: Db; audit: AuditLog; logger: Pick<Logger, 'error'> },
  f: {
    scope: DataScope;
    base: Omit<AuditEvent, 'outcome'>;
    attempted: ResourceRef | null;
    error: unknown;
    /** The access's transaction committed (a grouped read whose batch failed): its proof is spent already. */
    isCommitted: boolean;
    settle?: (tx: Tx) => Promise<void>;
    metadata: Record<string, string | number | boolean | null>;
  },
): Promise<void> {
  const r = f.attempted;
  await deps.db
    .scoped(f.scope, async (tx) => {
      if (!f.isCommitted) await f.settle?.(tx).catch((settleError: unknown) => {
        deps.logger.error({ err: safeError(settleError), action: f.base.action }, 'the request proof could not be settled after a failed access');
      });
      await deps.audit.append(tx, {
        ...f.base,
        targetType: r?.type ?? null,
        targetId: r?.id ?? null,
        phiScope: r?.phiScope ?? null,
        reasons: [f.error instanceof WardError ? f.error.code : 'error'],
        outcome: 'failure',
        metadata: f.metadata,
      });
    })
    .catch((auditError: unknown) => {
      deps.logger.error({ err: safeError(auditError), action: f.base.action, tenantId: f.base.tenantId }, 'the failure record of an access could not be written');
    });
}
