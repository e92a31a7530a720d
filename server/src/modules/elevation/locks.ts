import { randomUUID } from 'node:crypto';
import { WardError } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Db, Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { normalEmail } from '../identity/index.ts';

/**
 * Locks (R-GOV-5 containment, R-MON-2): everything of a member, a workload or a device stops at its
 * next request (the enforcement point reads live locks in every request's transaction:
 * access-state.ts), until a second person unlocks it. A lock may name the detection that led to it:
 * stored as given (no foreign key), so that containment time (lock time minus detection time) can be
 * measured: the detection must be one of the tenant's, and the lock is recorded as its containment
 * (`containments`, kind `<target>_lock`, in the same definer call: 0039_locks_everywhere.sql) and
 * audited (`lock.set` by the operator; `lock.manage` with the lock and containment through the API).
 * Set by an Owner or Admin through the API, or by the operator (`ward lock`); lifted by an Owner or
 * Admin who neither set it nor is its target (0038_elevation.sql checks both again). A locked member
 * or device is refused by the session lookup itself on every authenticated route (0039), and by the
 * guard for workloads and for agents acting for a locked person.
 */
export const LOCK_TARGETS = ['member', 'workload', 'device'] as const;
export type LockTarget = (typeof LOCK_TARGETS)[number];
const DETECTION = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface LockView {
  id: string;
  targetKind: LockTarget;
  targetId: string;
  detectionId: string | null;
  lockedBy: string;
  lockedAt: string;
  unlockedBy: string | null;
  unlockedAt: string | null;
  /** The containment recorded for the lock's detection (R-GOV-5), or null. */
  containmentId: string | null;
}

/** The target named by how people know it (an e-mail, a client_id, a device id), in the scope's tenant. */
export async function resolveLockTarget(tx: Tx, named: { member?: string; workload?: string; device?: string }): Promise<{ kind: LockTarget; id: string } | null> {
  const given = (['member', 'workload', 'device'] as const).filter((k) => named[k] !== undefined);
  if (given.length !== 1) throw new WardError('BAD_REQUEST', 'Name exactly one of member (an e-mail address), workload (a client_id) or device (an id).');
  const kind = given[0]!;
  const value = named[kind]!.trim();
  const sql = kind === 'member' ? 'SELECT id FROM members WHERE email = $1'
    : kind === 'workload' ? 'SELECT id FROM workloads WHERE client_id = $1'
    : "SELECT id FROM devices WHERE id::text = $1";
  // A member by the one normal form of their address (identity/email.ts), as it was stored.
  const { rows } = await tx.query<{ id: string }>(sql, [kind === 'member' ? normalEmail(value) : value]);
  return rows[0] ? { kind, id: rows[0].id } : null;
}

export async function lockInTx(tx: Tx, target: { kind: LockTarget; id: string }, detectionId: string | null, now: Date): Promise<LockView> {
  if (detectionId !== null && !DETECTION.test(detectionId)) throw new WardError('BAD_REQUEST', 'A detection id is a UUID (ward detect list shows them).');
  const id = randomUUID();
  try {
    const { rows: [r] } = await tx.query<{ is_new: boolean }>('SELECT ward_lock($1, $2, $3, $4, $5) AS is_new', [id, target.kind, target.id, detectionId, now]);
    if (!r?.is_new) throw new WardError('CONFLICT', 'The target is already locked.', { reasons: ['already_locked'] });
  } catch (e) {
    if (e instanceof WardError) throw e;
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', not_found: 'NOT_FOUND' });
  }
  return (await listLocks(tx, { id }))[0]!;
}

export async function unlockInTx(tx: Tx, lockId: string, now: Date): Promise<LockView> {
  try {
    await tx.query('SELECT ward_unlock($1, $2)', [lockId, now]);
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', self_approval: 'LOCK_SECOND_PERSON', not_found: 'NOT_FOUND', already_decided: 'CONFLICT' });
  }
  return (await listLocks(tx, { id: lockId }))[0]!;
}

export async function listLocks(tx: Tx, opts: { id?: string; activeOnly?: boolean } = {}): Promise<LockView[]> {
  const { rows } = await tx.query<{ id: string; target_kind: LockTarget; target_id: string; detection_id: string | null; locked_by: string; locked_at: Date; unlocked_by: string | null; unlocked_at: Date | null; containment_id: string | null }>(
    `SELECT l.id, l.target_kind, l.target_id, l.detection_id, l.locked_by, l.locked_at, l.unlocked_by, l.unlocked_at,
            (SELECT c.id FROM containments c WHERE c.tenant_id = l.tenant_id AND c.kind = l.target_kind || '_lock' AND c.subject_id = l.target_id::text
                AND c.detection_id::text = l.detection_id AND c.contained_at = l.locked_at ORDER BY c.id LIMIT 1) AS containment_id
       FROM locks l
      WHERE ($1::uuid IS NULL OR l.id = $1) AND (NOT $2 OR l.unlocked_at IS NULL) ORDER BY l.locked_at DESC, l.id LIMIT 500`, [opts.id ?? null, opts.activeOnly ?? false]);
  return rows.map((r) => ({
    id: r.id, targetKind: r.target_kind, targetId: r.target_id, detectionId: r.detection_id, lockedBy: r.locked_by, lockedAt: r.locked_at.toISOString(),
    unlockedBy: r.unlocked_by, unlockedAt: r.unlocked_at?.toISOString() ?? null, containmentId: r.containment_id,
  }));
}

/** `ward lock`: the operator sets a lock in the tenant's scope, audited as the operator. */
export async function lockAsOperator(db: Db, audit: AuditLog, input: { tenantId: string; member?: string; workload?: string; device?: string; detectionId: string | null }, now: Date): Promise<LockView> {
  const operator = { tenantId: input.tenantId, phiScopes: [], actorId: 'system:cli', actorKind: 'system' } as const;
  return db.scoped(operator, async (tx) => {
    const target = await resolveLockTarget(tx, input);
    if (!target) throw new WardError('NOT_FOUND', 'No such member, workload or device in this tenant.');
    const lock = await lockInTx(tx, target, input.detectionId, now);
    await audit.append(tx, {
      tenantId: input.tenantId, actorKind: 'system', actorId: 'system:cli', action: 'lock.set', targetType: target.kind, targetId: target.id, outcome: 'success',
      metadata: { lockId: lock.id, ...(lock.detectionId ? { detectionId: lock.detectionId } : {}), ...(lock.containmentId ? { containmentId: lock.containmentId } : {}) },
    });
    return lock;
  });
}
