import { randomUUID } from 'node:crypto';
import { WardError, type AuditEventInput, type Decision } from '@ward/contracts';
import { scopeForPrincipal } from '../../db/scope.ts';
import type { Db, Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { elevate, readAccessState, widenScope } from '../elevation/index.ts';
import { policySetOf, type DecidedElevation, type GuardRequest, type ResourceRef } from './guard.ts';

/**
 * The guard in two phases (DESIGN.md), for work that must not hold a pooled transaction open while it
 * waits (a model call, an export):
 *   1 decide   `guard.run` as always (settle, scope, load, decide, audit), whose handler `prepare`s
 *              the work's input and records the intent (`guard_intents`, state `started`); commit;
 *   2 work     outside any transaction;
 *   3 outcome  a second transaction in the same scope: `record` the result, mark the intent
 *              `succeeded`, audit the outcome linked to the intent (`metadata.intentId`); commit.
 * An error in 2 or 3 marks the intent `failed` with an audited failure and throws (fail closed); a
 * crash leaves it `started`. Nothing of the result reaches the caller before phase 3 has committed.
 * Phase 3 reads the live access state again (R-ELEV-1, R-ELEV-2, R-GOV-5): a lock set meanwhile
 * refuses it (LOCKED); a decision made under an elevation records its outcome only while every one
 * of those elevations is still active (ELEVATION_ENDED otherwise), with the PHI scopes they grant
 * widened again for the database to verify by its own clock, and tagged in the trail like the intent.
 */
export interface TwoPhaseRequest<I, W, T> extends Omit<GuardRequest<never>, 'handle' | 'auditMetadata'> {
  /** Phase 1, inside the decision's transaction, after an allow: what the work needs (decrypted, masked). */
  prepare(tx: Tx, ctx: { resource: ResourceRef; decision: Decision }): Promise<I>;
  /** Phase 2, outside any transaction. */
  work(input: I, ctx: { resource: ResourceRef; decision: Decision; intentId: string }): Promise<W>;
  /** Phase 3, inside the outcome's transaction: stores what must be stored and shapes the answer. */
  record(tx: Tx, result: W, ctx: { resource: ResourceRef; decision: Decision; intentId: string }): Promise<T>;
  /** PHI-free facts about the answer for the outcome's audit event. */
  auditMetadata?: (result: T) => Record<string, string | number | boolean | null>;
}

const INSERT_INTENT = `INSERT INTO guard_intents (id, tenant_id, action, actor_id, target_type, target_id, started_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;
const FINISH_INTENT = `UPDATE guard_intents SET state = $2, finished_at = $3 WHERE id = $1 AND state = 'started'`;

export function createTwoPhase(deps: {
  db: Db;
  audit: AuditLog;
  clock: { now(): Date };
  run<T>(req: GuardRequest<T>): Promise<T>;
}) {
  return async function runTwoPhase<I, W, T>(req: TwoPhaseRequest<I, W, T>): Promise<T> {
    const { principal, credential, device } = req.authenticated;
    /**
     * The outcome's transaction, before anything is recorded: no lock stops the principal now, and the
     * elevations the decision was made under are all still active; their scopes are widened again.
     */
    async function recheck(tx: Tx, elevation: DecidedElevation, purpose: string | null): Promise<Record<string, string | boolean>> {
      const access = await readAccessState(tx, req.authenticated, deps.clock.now());
      if (access.locked) throw new WardError('LOCKED', undefined, { reasons: [access.locked] });
      if (elevation.ids.length === 0) return {};
      const live = new Set(access.elevations.map((e) => e.id));
      if (!elevation.ids.every((id) => live.has(id))) throw new WardError('ELEVATION_ENDED');
      const decidedUnder = { locked: null, elevations: access.elevations.filter((e) => elevation.ids.includes(e.id)) };
      await widenScope(tx, decidedUnder, req.authenticated, elevation.target, purpose);
      return elevate(req.authenticated, elevation.target, req.action, decidedUnder).audit;
    }
    const intentId = randomUUID();
    const decided = await deps.run({
      ...req,
      // Phase 1 writes its intent: its record commits with it, never through the read writer (R-AUDIT-2).
      isRead: false,
      handle: async (tx, { resource, decision, elevation }) => {
        const input = await req.prepare(tx, { resource, decision });
        await tx.query(INSERT_INTENT, [intentId, principal.tenantId, req.action, principal.id, resource.type, resource.id, deps.clock.now()]);
        return { input, resource, decision, elevation };
      },
      auditMetadata: () => ({ phase: 'intent', intentId }),
    });

    const { resource, decision, elevation } = decided;
    const purpose = req.purpose?.trim() || null;
    const scope = scopeForPrincipal(principal, { purpose });
    const event = (outcome: AuditEventInput['outcome'], extra: Partial<AuditEventInput>): AuditEventInput => ({
      tenantId: principal.tenantId, actorKind: principal.kind, actorId: principal.id, onBehalfOf: principal.onBehalfOf ?? null,
      sessionId: credential.kind === 'session' ? credential.id : null, deviceId: device?.id ?? null, sourceIp: req.sourceIp ?? null,
      action: req.action, purpose, targetType: resource.type, targetId: resource.id, phiScope: resource.phiScope ?? null,
      decision: 'allow', policyIds: decision.policyIds, outcome, ...extra, metadata: { ...extra.metadata, ...policySetOf(decision) },
    });
    const ctx = { resource, decision, intentId };
    try {
      const result = await req.work(decided.input, ctx);
      return await deps.db.scoped(scope, async (tx) => {
        const elevatedAudit = await recheck(tx, elevation, purpose);
        const value = await req.record(tx, result, ctx);
        const { rowCount } = await tx.query(FINISH_INTENT, [intentId, 'succeeded', deps.clock.now()]);
        if (rowCount !== 1) throw new WardError('CONFLICT', 'The intent is no longer open.');
        await deps.audit.append(tx, event('success', { metadata: { phase: 'outcome', intentId, ...elevatedAudit, ...req.auditMetadata?.(value) } }));
        return value;
      });
    } catch (e) {
      // Fail closed: the outcome is not recorded; the intent is marked failed, with its reason audited.
      await deps.db
        .scoped(scope, async (tx) => {
          await tx.query(FINISH_INTENT, [intentId, 'failed', deps.clock.now()]);
          await deps.audit.append(tx, event('failure', { reasons: [e instanceof WardError ? e.code : 'error'], metadata: { phase: 'outcome', intentId } }));
        })
        .catch(() => {});
      throw e instanceof WardError ? e : new WardError('INTERNAL', undefined, { cause: e });
    }
  };
}
