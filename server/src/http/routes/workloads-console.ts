import { Type } from '@sinclair/typebox';
import {
  WorkloadKeyAdd, WorkloadKeyProposal, WorkloadKeyRequestItem, WorkloadKeyRequestsReply, WorkloadKeysReplace, WorkloadsReply, WorkloadView, workloadKeysNeedApproval, type Authenticated,
} from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import {
  approveWorkloadKey, cancelWorkloadKey, changeWorkloadKeys, consoleWorkloads, findWorkloadKeyRequest, listWorkloadKeyRequests, proposeWorkloadKey,
  type ConsoleWorkload, type KeyChange,
} from '../../modules/workload/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { actorOf, IdParams, tenantOf } from './common.ts';

/**
 * Workloads and their keys from the admin console (R-WORK-1, R-WORK-2, R-UX-1): an Owner or Admin
 * lists the tenant's AI agents, tools and jobs with their public keys (id and thumbprint), adds a key
 * (rotation with overlap), revokes one, or replaces the set, each a `policy.manage` decision on the
 * tenant (with its step-up, R-SESS-3); the database checks the actor again and swaps the set only if
 * it is the one read (0057). A new key for a workload with a PHI scope takes two people (R-AUTHZ-5,
 * R-ELEV-1, 0096): proposed here, approved by a second Owner or Admin through their own session (with
 * the step-up; Cedar's `sod-change-second-person` refuses the proposer, and the database again),
 * installed only then; revoking a key stays one person's act. Registering and disabling
 * a workload, and its PHI scopes (with their approver), stay with the operator's `ward workload` commands.
 */
const view = (w: ConsoleWorkload): WorkloadView => ({
  clientId: w.clientId, name: w.name, kind: w.kind, role: w.role, status: w.status, phiScopes: w.scopes, maxTokenSeconds: w.maxTokenSeconds,
  createdAt: w.createdAt.toISOString(), keysRotatedAt: w.keysRotatedAt?.toISOString() ?? null, lastUsedAt: w.lastUsedAt?.toISOString() ?? null, keys: w.keys,
  keysNeedApproval: workloadKeysNeedApproval({ role: w.role, phiScopes: w.scopes }),
  next: w.status === 'active' && w.keys.length > 1
    ? 'Revoke the old key once the workload signs with the new one (an Owner or Admin; no second approval)'
    : w.status === 'active' && workloadKeysNeedApproval({ role: w.role, phiScopes: w.scopes })
      ? 'A new key is proposed here and approved by a second Owner or Admin (it reads PHI or the audit trail)' : null,
});
const ClientParams = Type.Object({ clientId: Type.String({ pattern: '^wl_[A-Za-z0-9_-]{22}$' }) }, { additionalProperties: false });
const KeyParams = Type.Object({ clientId: Type.String({ pattern: '^wl_[A-Za-z0-9_-]{22}$' }), thumbprint: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }) }, { additionalProperties: false });

export function workloadConsoleRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const change = (tx: Parameters<typeof changeWorkloadKeys>[0], clientId: string, c: KeyChange) => changeWorkloadKeys(tx, clientId, c, deps.clock.now()).then(view);
  const keysAudit = (change: string) => (w: WorkloadView) => ({ change, clientId: w.clientId, keys: w.keys.length, thumbprints: w.keys.map((k) => k.thumbprint).join(' ') });

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/workloads',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: "The tenant's workloads (AI agents, tools, jobs), their status, PHI scopes and public keys' thumbprints", response: { 200: WorkloadsReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => ({ workloads: (await consoleWorkloads(tx)).map(view) }),
    auditMetadata: (r) => ({ workloads: r.workloads.length }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/workloads/:clientId/keys',
    action: 'policy.manage',
    credentials: ['session'],
    status: 201,
    schema: { summary: "Add a public key to a workload's JWK Set (rotation with overlap; at most five keys)", params: ClientParams, body: WorkloadKeyAdd, response: { 201: WorkloadView } },
    target: (req) => ({ type: 'workload', id: req.params.clientId }),
    load: async (_tx, _req, who) => tenantOf(who),
    handle: (tx, _ctx, req) => change(tx, req.params.clientId, { kind: 'add', jwk: req.body.jwk }),
    auditMetadata: keysAudit('workload-key-added'),
  });

  enforcedRoute(app, deps, {
    method: 'PUT',
    url: '/v1/workloads/:clientId/keys',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: "Replace a workload's JWK Set at once: assertions signed by a key not in it are refused from now on", params: ClientParams, body: WorkloadKeysReplace, response: { 200: WorkloadView } },
    target: (req) => ({ type: 'workload', id: req.params.clientId }),
    load: async (_tx, _req, who) => tenantOf(who),
    handle: (tx, _ctx, req) => change(tx, req.params.clientId, { kind: 'replace', jwks: { keys: req.body.keys } }),
    auditMetadata: keysAudit('workload-keys-replaced'),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/workloads/:clientId/keys/:thumbprint/revoke',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: "Revoke one of a workload's keys by its RFC 7638 thumbprint (never the last one)", params: KeyParams, response: { 200: WorkloadView } },
    target: (req) => ({ type: 'workload', id: req.params.clientId }),
    load: async (_tx, _req, who) => tenantOf(who),
    handle: (tx, _ctx, req) => change(tx, req.params.clientId, { kind: 'revoke', thumbprint: req.params.thumbprint }),
    auditMetadata: keysAudit('workload-key-revoked'),
  });

  // R-AUTHZ-5, R-ELEV-1 (0096): a new key for a workload with a PHI scope, by two people.
  const requestMeta = (r: WorkloadKeyRequestItem) => ({ requestId: r.id, clientId: r.clientId, state: r.state, thumbprints: r.keys.map((k) => k.thumbprint).join(' ') });
  // An approval tells Cedar whether the caller proposed it (`sod-change-second-person`); the database refuses the proposer again.
  const loadRequest = async (tx: Parameters<typeof findWorkloadKeyRequest>[0], id: string, who: Authenticated, isApproval: boolean) => {
    const r = await findWorkloadKeyRequest(tx, id, deps.clock.now());
    if (!r) return null;
    return tenantOf(who, isApproval ? { changeProposedByPrincipal: r.proposedBy === who.principal.id } : undefined);
  };

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/workload-key-requests',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'Key proposals for workloads with a PHI scope, newest first, with who must approve each next', response: { 200: WorkloadKeyRequestsReply } },
    load: async (_tx, _req, who) => tenantOf(who),
    handle: async (tx) => ({ requests: await listWorkloadKeyRequests(tx, deps.clock.now()) }),
    auditMetadata: (r) => ({ count: r.requests.length }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/workloads/:clientId/key-requests',
    action: 'policy.manage',
    credentials: ['session'],
    status: 201,
    schema: { summary: 'Propose a public key for a workload (with overlap); a second Owner or Admin approves it', params: ClientParams, body: WorkloadKeyProposal, response: { 201: WorkloadKeyRequestItem } },
    target: (req) => ({ type: 'workload', id: req.params.clientId }),
    load: async (_tx, _req, who) => tenantOf(who),
    handle: (tx, { who }, req) => proposeWorkloadKey(tx, deps, {
      actor: actorOf(who), clientId: req.params.clientId, jwk: req.body.jwk, ttlSeconds: req.body.ttlHours ? req.body.ttlHours * 3600 : undefined,
    }, deps.clock.now()),
    auditMetadata: (r) => ({ change: 'workload-key-proposed', ...requestMeta(r) }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/workload-key-requests/:id/approve',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: "Approve a workload key proposal (a second Owner or Admin): the key is added if the set is still the proposal's", params: IdParams, response: { 200: WorkloadKeyRequestItem } },
    load: (tx, req, who) => loadRequest(tx, req.params.id, who, true),
    handle: (tx, { who }, req) => approveWorkloadKey(tx, deps, { actor: actorOf(who), requestId: req.params.id }, deps.clock.now()),
    auditMetadata: (r) => ({ change: 'workload-key-added', ...requestMeta(r) }),
  });

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/workload-key-requests/:id/cancel',
    action: 'policy.manage',
    credentials: ['session'],
    schema: { summary: 'Cancel an open workload key proposal', params: IdParams, response: { 200: WorkloadKeyRequestItem } },
    load: (tx, req, who) => loadRequest(tx, req.params.id, who, false),
    handle: (tx, { who }, req) => cancelWorkloadKey(tx, deps, { actor: actorOf(who), requestId: req.params.id }, deps.clock.now()),
    auditMetadata: (r) => ({ change: 'workload-key-cancelled', ...requestMeta(r) }),
  });
}
