import { randomUUID } from 'node:crypto';
import { isPurpose, WardError, type Authenticated, type Decision, type Delegation, type PhiScope } from '@ward/contracts';
import type { Logger } from '../../logging.ts';
import { scopeForPrincipal } from '../../db/scope.ts';
import type { Db, Tx } from '../../db/types.ts';
import type { AuditLog, AuditWriter } from '../audit/index.ts';
import { auditEvent, recordFailure, requestRecorder } from './guard-audit.ts';
import { NO_ELEVATION, type Pdp, type PdpRequest, type TenantPolicies } from '../policy/index.ts';
import { acceptedJustification, cleanReason } from './justification.ts';
import type { RateLimiter } from '../sessions/index.ts';
import { riskAuditMetadata, type RiskAssessor, type RiskContext } from '../risk/index.ts';
import { tracingOff, type Metrics, type SpanHandle, type Tracing } from '../monitoring/index.ts';
import { createTwoPhase, type TwoPhaseRequest } from './two-phase.ts';
import { asElevationTarget, elevate, elevationTarget, readAccessState, widenScope, type ElevationTarget } from '../elevation/index.ts';

/**
 * The one enforcement path (DESIGN.md steps 2–5; R-AUTHZ-1, R-AUTHZ-4, R-AUDIT-2). Every request to
 * data — HTTP routes, CLI demo traffic, AI tool calls — runs through `guard.run`:
 *   scope   db.scoped with the principal's tenant and granted PHI scopes, narrowed by the request
 *   load    the resource; one the caller cannot see (RLS) is NOT_FOUND
 *   decide  Cedar, on every request, with live session and device context
 *   handle  only after an allow, in the same transaction
 *   audit   the event in the same transaction: the access and its record commit together
 * A denial is recorded and committed (no data was touched), then answered with FORBIDDEN, or
 * STEP_UP_REQUIRED / JUSTIFICATION_REQUIRED when only those obligations are missing. Any error denies.
 * A read (`isRead`) with an audit writer records through the writer instead (group commit, issue 31):
 * its transaction is made read-only after authentication's writes and commits without a WAL flush of
 * its own; its event, MAC'd in that transaction, is inserted by the writer's batch; the result is
 * returned only once that batch has committed (docs/audit.md "The audited read").
 */
export interface ResourceRef {
  type: string;
  id: string;
  tenant: string;
  phiScope?: PhiScope;
  /** Further attributes the policies read (a member's `roles`, a grant's facts). Never PHI values. */
  attributes?: Record<string, string | number | boolean | string[]>;
}

export interface GuardRequest<T> {
  authenticated: Authenticated;
  /**
   * Authentication's writes (the proof's jti, the session's idle timer), run first in the guard's
   * transaction so that they commit with the access and its audit record, at no commit of their own.
   */
  settle?: (tx: Tx) => Promise<void>;
  action: string;
  /** Purpose of use (HL7 PurposeOfUse code, e.g. TREAT), from the `Ward-Purpose` header. */
  purpose?: string | null;
  /** Free text that may itself hold PHI: only whether one was given reaches Cedar and the trail. */
  justification?: string | null;
  sourceIp?: string | null;
  /** What was asked for (type and id, never PHI), recorded when the resource turns out invisible. */
  target?: { type: string; id: string };
  /**
   * Loads the resource's identity and policy attributes (no decryption). Null: not visible. It only
   * reads: it is sent with the transaction's opening, before the locks and elevations are known, and
   * its answer is dropped when a lock stops the request or an elevation is active (loaded again then).
   */
  load(tx: Tx): Promise<ResourceRef | null>;
  /**
   * Runs after an allow, inside the same transaction; gets the decision (masking obligations) and
   * the elevations it was made under (R-ELEV-1: the two-phase guard checks them again at its outcome).
   */
  handle(tx: Tx, ctx: { resource: ResourceRef; decision: Decision; elevation: DecidedElevation }): Promise<T>;
  /** PHI-free facts about the result for the audit event (counts, view kind). */
  auditMetadata?: (result: T) => Record<string, string | number | boolean | null>;
  /**
   * R-AUDIT-2: the request only reads (after `settle`), so its record may be group-committed by the
   * audit writer after its transaction. The transaction is then read-only from `settle` on: a handler
   * that writes fails (fail closed) instead of committing a write whose record is not yet durable.
   */
  isRead?: boolean;
  /**
   * A list or search over the tenant: decided once per PHI scope it reaches (the resource with each
   * of the transaction's scopes), so that a rule on one scope (42 CFR Part 2, a tenant's forbid)
   * holds for the rows of that scope. Any scope denied denies the whole request (fail closed).
   */
  decidePerScope?: boolean;
  /**
   * A list or search: counted against the principal's per-minute limit (`listLimiter`) before
   * anything is read; a refusal is RATE_LIMITED, audited like a denial (R-MON-1: enumeration).
   */
  rateLimited?: boolean;
  /** R-SESS-2: the session's assessed risk, once something assesses it; absent reads `unassessed`. */
  risk?: PdpContextInput['risk'];
  /**
   * R-ELEV-1: an elevation to decide with instead of the ones the guard reads live (tests and
   * `ward policy check` parity); absent, the guard reads the principal's active elevations.
   */
  elevation?: PdpContextInput['elevation'];
}

/** R-ELEV-1: the elevations a decision was made under (ids empty: the standing grants alone), and what they matched. */
export interface DecidedElevation {
  ids: readonly string[];
  target: ElevationTarget;
}

/** What the request adds to the PDP's context beyond the principal, its credential and device. */
export interface PdpContextInput {
  purpose?: string | null;
  justification?: string | null;
  /** R-SESS-2: the assessed risk of the session; `unassessed` when nothing assessed it. */
  risk?: PdpRequest['context']['risk'];
  /** R-ELEV-1: the elevation known to be active for this request; `none` when none is. */
  elevation?: PdpRequest['context']['elevation'];
  /** R-SESS-2: the live risk facts read in this request's transaction, and their level. */
  assessed?: RiskContext | null;
}

/** R-AUDIT-1: the decision record names the policy set that made it (replayable against those policies). */
export function policySetOf(decision: Decision): { policySet?: string } {
  return decision.policySetHash ? { policySet: decision.policySetHash } : {};
}

export interface Guard {
  run<T>(req: GuardRequest<T>): Promise<T>;
  /** The guard in two phases, for work that must not hold a transaction open (two-phase.ts). */
  runTwoPhase<I, W, T>(req: TwoPhaseRequest<I, W, T>): Promise<T>;
  /** The PDP request a guard would build; exported for tests and `ward policy check` parity. */
  pdpRequest(authenticated: Authenticated, action: string, resource: ResourceRef, ctx: PdpContextInput): PdpRequest;
}

/** R-WORK-3: why a request falls outside the person's delegation, or null when it is within it. */
function outsideDelegation(d: Delegation, resource: ResourceRef, requestedPurpose: string | null): string | null {
  if (requestedPurpose !== null && requestedPurpose !== d.purpose) return 'delegation-purpose';
  if (resource.type !== d.target.type || resource.id !== d.target.id) return 'delegation-target';
  return null;
}

const PRINCIPAL_TYPE = { human: 'Member', ai_agent: 'AiAgent', ai_agent_for_human: 'AiAgent', service: 'Service', system: 'Service' } as const;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: WardError };

export function createGuard(deps: {
  db: Db;
  pdp: Pdp;
  audit: AuditLog;
  clock: { now(): Date };
  /** Per-principal limit of list and search requests (a RateLimiter, shared by every server). */
  listLimiter?: RateLimiter;
  /** Where a failure that cannot be answered to anyone goes (an unwritable failure record); names and codes only. */
  logger: Pick<Logger, 'error'>;
  /**
   * Encrypts a justification's text for the audit row `eventId` (R-AUTHZ-4: recorded with the
   * decision; the text may hold PHI, so it is stored like PHI and never in clear).
   */
  encryptJustification?: (tenantId: string, eventId: string, text: string) => Promise<Buffer>;
  /** The tenant's active additional policies (forbid-only), if any (R-AUTHZ-1). */
  tenantPolicies?: (tx: Tx, tenantId: string) => Promise<TenantPolicies | undefined>;
  /** Decisions and denials by action and reason (R-GOV-5); labels carry no identifier (R-DATA-4). */
  metrics?: Pick<Metrics, 'decision'>;
  /** Spans scope, load, decide, handle, audit, commit (R-OPS-1); off by default. */
  tracing?: Tracing;
  /** R-SESS-2: reads each request's risk facts in its transaction and assesses them (modules/risk). */
  risk?: RiskAssessor;
  /** R-AUDIT-2: group commit of reads' records (modules/audit/writer.ts); absent, every record is appended in its transaction. */
  auditWriter?: AuditWriter;
}): Guard {
  const tracing = deps.tracing ?? tracingOff;
  const counted = (action: string, allow: boolean, reasons: readonly string[]): void => deps.metrics?.decision(action, allow, reasons);
  // The record is the transaction's last statement (recorder.record holds it for the COMMIT: R-OPS-1).
  const audited = (fn: () => Promise<unknown>) => tracing.span('audit', {}, fn);
  function pdpRequest(auth: Authenticated, action: string, resource: ResourceRef, ctx: PdpContextInput): PdpRequest {
    const { principal, credential, device } = auth;
    return {
      principal: {
        type: PRINCIPAL_TYPE[principal.kind],
        id: principal.id,
        tenant: principal.tenantId,
        roles: [...principal.roles],
        scopes: [...principal.phiScopes],
        ...(principal.onBehalfOf ? { onBehalfOf: principal.onBehalfOf } : {}),
        ...(principal.status ? { status: principal.status } : {}),
      },
      action,
      resource: { ...resource.attributes, type: resource.type, id: resource.id, tenant: resource.tenant, ...(resource.phiScope ? { phiScope: resource.phiScope } : {}) },
      context: {
        mfa: credential.mfa,
        // R-WORK-2: the policies read how the request proved possession, not which grant issued the token.
        // R-AUTHN-5: the SCIM client's static bearer token reads `scim_bearer`, which the policies admit for the SCIM actions only.
        authMethod: credential.kind === 'token' ? 'dpop' : credential.authMethod,
        authAgeSeconds: Math.max(0, Math.floor((deps.clock.now().getTime() - credential.lastVerifiedAt.getTime()) / 1000)),
        devicePosture: device?.posture ?? 'unknown',
        // R-SESS-2: what is known, never a claimed constant: no assessment yet reads `unassessed`.
        risk: ctx.assessed?.risk ?? ctx.risk ?? 'unassessed',
        elevation: ctx.elevation ?? NO_ELEVATION,
        justification: Boolean(ctx.justification?.trim()),
        purpose: ctx.purpose ?? '',
        ...(ctx.assessed ? { riskVerified: ctx.assessed.verifiedSinceRaised, signals: { ...ctx.assessed.facts } } : {}),
      },
    };
  }

  /** The decisions of one request over several scopes: the first denial, or one allow with every mask. */
  function allOf(decisions: Decision[]): Decision {
    const denied = decisions.find((d) => !d.allow);
    if (denied) return denied;
    const policyIds = [...new Set(decisions.flatMap((d) => d.policyIds))].sort();
    const masks = [...new Set(decisions.flatMap((d) => d.obligations.maskFields ?? []))].sort();
    return { allow: true, policyIds, reasons: decisions[0]!.reasons, obligations: masks.length ? { maskFields: masks } : {} };
  }

  function denialError(decision: Decision): WardError {
    const reasons = { reasons: decision.reasons };
    if (decision.reasons.includes('step-up-required')) return new WardError('STEP_UP_REQUIRED', undefined, reasons);
    if (decision.reasons.includes('justification-required')) return new WardError('JUSTIFICATION_REQUIRED', undefined, reasons);
    // R-AUTHN-2: refused only for want of MFA (an SSO login that proved one factor): a passkey step-up lifts it.
    if (decision.reasons.length === 1 && decision.reasons[0] === 'forbid:member-mfa') return new WardError('MFA_REQUIRED', undefined, reasons);
    if (decision.reasons.length === 1 && decision.reasons[0] === 'forbid:delegation-purpose') return new WardError('PURPOSE_REQUIRED', undefined, reasons);
    // R-AI-3: refused only because the agent's AI vendor has no BAA in force.
    if (decision.reasons.length === 1 && decision.reasons[0] === 'forbid:mcp-vendor-baa') return new WardError('VENDOR_NOT_BAA', undefined, reasons);
    return new WardError('FORBIDDEN', undefined, reasons);
  }

  async function run<T>(req: GuardRequest<T>): Promise<T> {
    const { principal, credential, device, delegation } = req.authenticated;
    const requestedPurpose = req.purpose?.trim() || null;
    if (requestedPurpose !== null && !isPurpose(requestedPurpose)) throw new WardError('BAD_REQUEST', 'Ward-Purpose must be a purpose-of-use code such as TREAT.');
    // R-WORK-3: an agent acting for a person works for the purpose the person named, and no other.
    const purpose = delegation ? delegation.purpose : requestedPurpose;
    const delegated: Record<string, string> = delegation ? { delegation: delegation.id } : {};
    const base = {
      tenantId: principal.tenantId,
      actorKind: principal.kind,
      actorId: principal.id,
      onBehalfOf: principal.onBehalfOf ?? null,
      // R-MON-2: an agent's requests for a person are found with the person's session.
      sessionId: credential.kind === 'session' ? credential.id : delegation?.person.credential.id ?? null,
      deviceId: device?.id ?? null,
      sourceIp: req.sourceIp ?? null,
      action: req.action,
      purpose,
    };
    // R-AUTHZ-4: "." or a zero-width space is no justification, nor is a reason without a purpose.
    const justification = acceptedJustification(purpose, req.justification);
    const justified = justification !== null;
    const rejected: Record<string, boolean> = !justified && cleanReason(req.justification) !== null ? { justificationRejected: true } : {};
    const scope = scopeForPrincipal(principal, { purpose });
    // Encrypted before the transaction opens (a first key for the tenant may need the KMS). The
    // decision's event carries it; if that fails, nothing is read.
    const eventId = randomUUID();
    const justificationCiphertext = justification && deps.encryptJustification ? await deps.encryptJustification(principal.tenantId, eventId, justification) : null;
    const decisionEvent = { id: eventId, justificationCiphertext };

    if (req.rateLimited && deps.listLimiter) {
      try {
        await deps.listLimiter.hit(`${principal.kind}:${principal.tenantId}:${principal.id}`);
      } catch (e) {
        // Each refused request is in the trail: an enumeration shows as a run of these.
        await deps.db.scoped(scope, async (tx) => {
          await req.settle?.(tx);
          await deps.audit.append(tx, auditEvent(base, { targetType: req.target?.type ?? null, targetId: req.target?.id ?? null, decision: 'deny', reasons: ['rate-limited'], outcome: 'denied', metadata: { justified } }));
        });
        counted(req.action, false, ['rate-limited']);
        throw e instanceof WardError ? e : new WardError('RATE_LIMITED', undefined, { cause: e });
      }
    }

    let attempted: ResourceRef | null = null;
    let outcome: Outcome<T>;
    // R-AUDIT-2: a read's record goes through the writer (issued in the transaction, committed after it).
    const recorder = requestRecorder(deps.audit, req.isRead ? deps.auditWriter : undefined);
    const record = recorder.record;
    let isCommitted = false;
    // R-OPS-1: the commit's span runs from the last statement to the end of the transaction.
    let commit: SpanHandle | undefined;
    try {
      outcome = await tracing.span('scope', { 'ward.action': req.action, 'ward.phi_scopes': scope.phiScopes.length }, async () => {
        const done = await deps.db.scoped(scope, async (tx): Promise<Outcome<T>> => {
          // Authentication's writes, then (R-SESS-2) the live facts (with their one possible write, a
          // first-used network), read here so that they are the ones this decision commits with, then
          // (R-ELEV-1, R-ELEV-2, R-GOV-5) the locks and active elevations, then (group commit) the switch
          // that makes the rest of the transaction read-only, then the resource. None needs another's
          // answer: issued together, they leave with BEGIN and the scope in one write and run in this
          // order (one round trip instead of five; R-OPS-1). Each is awaited in this order, so a refusal
          // is the one it was when they ran one by one; any failure fails all.
          const settling = req.settle?.(tx);
          const assessing = deps.risk ? deps.risk.assess(tx, req.authenticated, { sourceIp: req.sourceIp ?? null }) : null;
          const personAssessing = deps.risk && delegation ? deps.risk.assess(tx, delegation.person, { sourceIp: null }) : null;
          // Group commit: nothing but authentication's writes and the risk facts' first-seen networks
          // commits here; they become durable with the writer's batch, before the response leaves
          // (docs/audit.md "The audited read"). The access state's statement switches the rest of the
          // transaction to read-only (READ_ONLY_FROM_HERE, as a function): every write above is issued
          // before it (settle's contract, authentication.ts), so it runs after them and before the load.
          const reading = readAccessState(tx, req.authenticated, deps.clock.now(), { thenReadOnly: recorder.isGrouped });
          // The resource as the standing scope shows it, loaded before the locks and elevations are known:
          // used only when no elevation is active (none can widen the scope or name a recording's call);
          // with one, it is loaded again after widening, as before. A locked request never uses it. The
          // load only reads (after the read-only switch, for a grouped read); nothing is decrypted here.
          const early = tracing.span('load', {}, () => req.load(tx));
          for (const pending of [settling, assessing, personAssessing, reading, early]) pending?.catch(() => {}); // each is awaited below
          await settling;
          const assessed = await assessing;
          const personAssessed = await personAssessing;
          const riskMeta = assessed ? riskAuditMetadata(assessed) : {};
          // A lock stops the request here; the active elevations covering the named target widen the
          // scope before anything is used.
          const access = await reading;
          if (access.locked) {
            counted(req.action, false, [access.locked]);
            await audited(() => record(tx, auditEvent(base, { targetType: req.target?.type ?? null, targetId: req.target?.id ?? null, decision: 'deny', reasons: [access.locked!], outcome: 'denied', metadata: { justified, ...rejected, ...riskMeta } }), decisionEvent));
            commit = tracing.start('commit', {});
            return { ok: false, error: new WardError('LOCKED', undefined, { reasons: [access.locked] }) };
          }
          // A recording is covered by an elevation of its call (0041): the database names the call.
          const named = await elevationTarget(tx, access, req.target);
          await widenScope(tx, access, req.authenticated, named, purpose);
          const loaded = await early;
          const resource = access.elevations.length === 0 ? loaded : await tracing.span('load', {}, () => req.load(tx));
          if (!resource || resource.tenant !== principal.tenantId) {
            counted(req.action, false, ['not-found']);
            // R-AUDIT-1: denials too. Invisible (another tenant, outside the scopes) reads as absent.
            await audited(() => record(tx, auditEvent(base, {
              targetType: req.target?.type ?? null,
              targetId: req.target?.id ?? null,
              decision: 'deny',
              reasons: ['not-found'],
              outcome: 'denied',
              metadata: { justified, ...rejected, ...riskMeta },
            }), decisionEvent));
            commit = tracing.start('commit', {});
            return { ok: false, error: new WardError('NOT_FOUND') };
          }
          attempted = resource;
          const target = { targetType: resource.type, targetId: resource.id, phiScope: resource.phiScope ?? null };
          // R-WORK-3: a delegation covers one patient or one call, for one purpose; anything else is refused.
          const outside = delegation ? outsideDelegation(delegation, resource, requestedPurpose) : null;
          if (outside) {
            counted(req.action, false, [outside]);
            await audited(() => record(tx, auditEvent(base, target, { decision: 'deny', reasons: [outside], outcome: 'denied', metadata: { justified, ...rejected, ...delegated, ...riskMeta } }), decisionEvent));
            commit = tracing.start('commit', {});
            return { ok: false, error: new WardError('FORBIDDEN', undefined, { reasons: [outside] }) };
          }
          const tenantPolicies = await deps.tenantPolicies?.(tx, principal.tenantId);
          const matched = asElevationTarget(resource, named);
          const elevated = elevate(req.authenticated, matched, req.action, access);
          const decideAs = (who: Authenticated, r: ResourceRef) => {
            const self = who === req.authenticated;
            return deps.pdp.decide(pdpRequest(self ? elevated.authenticated : who, req.action, r, {
              purpose, justification, risk: req.risk, elevation: req.elevation ?? (self ? elevated.context : undefined), assessed: self ? assessed : personAssessed,
            }), tenantPolicies);
          };
          // R-WORK-3: decided twice, for the agent and for the person as their session stands now; both must allow.
          const decideOn = (r: ResourceRef) => (delegation ? allOf([decideAs(req.authenticated, r), decideAs(delegation.person, r)]) : decideAs(req.authenticated, r));
          const decision = await tracing.span('decide', { 'ward.resource_type': resource.type }, async (span) => {
            const d = req.decidePerScope && !resource.phiScope && scope.phiScopes.length > 0
              ? allOf(scope.phiScopes.map((phiScope) => decideOn({ ...resource, phiScope })))
              : decideOn(resource);
            span.set({ 'ward.decision': d.allow ? 'allow' : 'deny' });
            return d;
          });
          counted(req.action, decision.allow, decision.reasons);
          if (!decision.allow) {
            await audited(() => record(tx, auditEvent(base, target, { decision: 'deny', policyIds: decision.policyIds, reasons: decision.reasons, outcome: 'denied', metadata: { justified, ...rejected, ...delegated, ...elevated.audit, ...policySetOf(decision), ...riskMeta } }), decisionEvent));
            commit = tracing.start('commit', {});
            return { ok: false, error: denialError(decision) };
          }
          const value = await tracing.span('handle', {}, () => req.handle(tx, { resource, decision, elevation: { ids: elevated.ids, target: matched } }));
          await audited(() => record(tx, auditEvent(base, target, {
            decision: 'allow',
            policyIds: decision.policyIds,
            reasons: decision.reasons,
            outcome: 'success',
            metadata: { justified, ...delegated, ...elevated.audit, ...(decision.obligations.maskFields ? { masked: decision.obligations.maskFields.join(',') } : {}), ...policySetOf(decision), ...riskMeta, ...req.auditMetadata?.(value) },
          }), decisionEvent));
          commit = tracing.start('commit', {});
          return { ok: true, value };
          }, recorder.scopedOptions);
        isCommitted = true;
        await recorder.durable();
        commit?.end();
        return done;
      });
    } catch (e) {
      commit?.fail(e);
      commit?.end();
      // The access rolled back with its (unwritten) event; record the failure on its own (fail closed).
      // A grouped read whose batch failed committed its transaction, and with it the proof's spend.
      await recordFailure(deps, { scope, base, attempted, error: e, isCommitted, settle: req.settle, metadata: { justified, ...rejected } });
      throw e instanceof WardError ? e : new WardError('INTERNAL', undefined, { cause: e });
    }
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  return { run, runTwoPhase: createTwoPhase({ db: deps.db, audit: deps.audit, clock: deps.clock, run }), pdpRequest };
}
