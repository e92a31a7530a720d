import { randomBytes, randomUUID } from 'node:crypto';
import { isPhiScope, WardError, WORKLOAD_ROLE_KIND, isWorkloadRole, type PhiScope, type WorkloadRole } from '@ward/contracts';
import type { JSONWebKeySet } from 'jose';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Db, SystemDb } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { MAX_TOKEN_SECONDS } from './signing-keys.ts';

/**
 * The workload registry (R-WORK-1): each AI agent, tool or job is its own principal with one
 * workload role, its public keys and its PHI scopes. The operator registers, re-keys and disables
 * (the one unscoped path, `systemDb`, from the CLI); every change is audited as the operator's.
 * PHI scopes are granted like a member's (R-AUTHZ-5): through the SECURITY DEFINER function of
 * 0024_workload_scope_grants.sql, in the operator's verified scope, naming the active Owner or Admin
 * who approved; the database checks the approver again.
 */
export type WorkloadKind = 'ai_agent' | 'service';

export interface WorkloadSummary {
  clientId: string;
  name: string;
  kind: WorkloadKind;
  role: WorkloadRole;
  status: 'active' | 'disabled';
  scopes: PhiScope[];
  maxTokenSeconds: number;
  createdAt: Date;
}

const OPERATOR = { actorKind: 'system', actorId: 'system:cli' } as const;
const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$/;

export function newClientId(): string {
  return `wl_${randomBytes(16).toString('base64url')}`;
}

/**
 * Registers a workload; its PHI scopes, if any, are then granted one by one through
 * `grantWorkloadScope`, approved by `approverMemberId` (checked before anything is written).
 */
export async function createWorkload(
  db: Db,
  deps: { audit: AuditLog; clock: { now(): Date } },
  w: { tenantId: string; name: string; kind: string; role: string; jwks: JSONWebKeySet; scopes?: readonly string[]; approverMemberId?: string; maxTokenSeconds?: number },
): Promise<{ id: string; clientId: string }> {
  const scopes = [...new Set(w.scopes ?? [])];
  if (!scopes.every(isPhiScope)) throw new WardError('USAGE', '--scopes names an unknown PHI scope.');
  if (scopes.length > 0) await requireApprover(db.systemDb, w.tenantId, w.approverMemberId);
  const created = await insertWorkload(db.systemDb, deps, w);
  for (const scope of scopes) {
    await grantWorkloadScope(db, deps, { tenantId: w.tenantId, clientId: created.clientId, scope, approverMemberId: w.approverMemberId! }, deps.clock.now());
  }
  return created;
}

/** The approver of a workload's PHI scope: an active Owner or Admin of the tenant (R-AUTHZ-5; the database checks it again). */
async function requireApprover(systemDb: SystemDb, tenantId: string, memberId: string | undefined): Promise<void> {
  if (!memberId) throw new WardError('USAGE', 'A PHI scope for a workload needs --approver: the active Owner or Admin who approved it.');
  const { rows } = await systemDb.query(
    `SELECT 1 FROM members m WHERE m.id = $1 AND m.tenant_id = $2 AND m.status = 'active'
        AND EXISTS (SELECT 1 FROM member_roles r WHERE r.member_id = m.id AND r.role IN ('Owner', 'Admin'))`, [memberId, tenantId]);
  if (rows.length === 0) throw new WardError('FORBIDDEN', 'The approver is not an active Owner or Admin of this tenant.', { reasons: ['approver_not_owner_or_admin'] });
}

/**
 * R-AUTHZ-5: the operator grants a workload a PHI scope that `approverMemberId` (an active Owner or
 * Admin) approved; the database function checks both and writes the grant. False when it was held.
 */
export async function grantWorkloadScope(
  db: Db,
  deps: { audit: AuditLog },
  g: { tenantId: string; clientId: string; scope: string; approverMemberId: string },
  now: Date,
): Promise<boolean> {
  if (!isPhiScope(g.scope)) throw new WardError('USAGE', '--scope names an unknown PHI scope.');
  return db.scoped({ tenantId: g.tenantId, phiScopes: [], ...OPERATOR }, async (tx) => {
    let granted: boolean;
    try {
      const { rows } = await tx.query<{ granted: boolean }>('SELECT ward_grant_workload_phi_scope($1, $2, $3, $4) AS granted', [g.clientId, g.scope, g.approverMemberId, now]);
      granted = rows[0]!.granted;
    } catch (e) {
      return rethrowRefusal(e, { not_permitted: 'FORBIDDEN', not_found: 'NOT_FOUND' });
    }
    if (granted) {
      await deps.audit.append(tx, {
        tenantId: g.tenantId, ...OPERATOR, action: 'workload.scope.grant', targetType: 'workload', targetId: g.clientId, outcome: 'success',
        metadata: { clientId: g.clientId, scope: g.scope, approverClaim: g.approverMemberId },
      });
    }
    return granted;
  });
}

async function insertWorkload(
  systemDb: SystemDb,
  deps: { audit: AuditLog },
  w: { tenantId: string; name: string; kind: string; role: string; jwks: JSONWebKeySet; maxTokenSeconds?: number },
): Promise<{ id: string; clientId: string }> {
  if (!NAME.test(w.name)) throw new WardError('USAGE', 'A workload name is 1 to 80 letters, digits, spaces, dots, dashes or underscores.');
  if (w.kind !== 'ai_agent' && w.kind !== 'service') throw new WardError('USAGE', '--kind is ai_agent or service.');
  if (!isWorkloadRole(w.role)) throw new WardError('USAGE', `--role is a workload role: ${Object.keys(WORKLOAD_ROLE_KIND).join(', ')}.`);
  // R-AUTHN-5: the SCIM client has no keys and a bearer token of its own: `ward scim token` registers it.
  if (w.role === 'ScimProvisioner') throw new WardError('USAGE', 'The SCIM client is registered by ward scim token --tenant <slug>.');
  // R-WORK-1: least privilege starts with the right kind; a tool never holds an agent's role.
  if (WORKLOAD_ROLE_KIND[w.role] !== w.kind) throw new WardError('USAGE', `The role ${w.role} is for kind ${WORKLOAD_ROLE_KIND[w.role]}.`);
  const maxTokenSeconds = w.maxTokenSeconds ?? 3600;
  if (!Number.isInteger(maxTokenSeconds) || maxTokenSeconds < 60 || maxTokenSeconds > MAX_TOKEN_SECONDS) {
    throw new WardError('USAGE', `--max-token-lifetime is 60 to ${MAX_TOKEN_SECONDS} seconds.`);
  }
  const id = randomUUID();
  const clientId = newClientId();
  await systemDb.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `INSERT INTO workloads (tenant_id, id, client_id, name, kind, role, jwks, max_token_seconds)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id, name) DO NOTHING`,
      [w.tenantId, id, clientId, w.name, w.kind, w.role, JSON.stringify(w.jwks), maxTokenSeconds]);
    if (rowCount === 0) throw new WardError('WORKLOAD_EXISTS');
    await deps.audit.append(tx, {
      tenantId: w.tenantId, ...OPERATOR, action: 'workload.create', targetType: 'workload', targetId: id, outcome: 'success',
      metadata: { clientId, kind: w.kind, role: w.role, keys: w.jwks.keys.length, maxTokenSeconds },
    });
  });
  return { id, clientId };
}

export async function listWorkloads(systemDb: SystemDb, tenantId: string): Promise<WorkloadSummary[]> {
  const { rows } = await systemDb.query<{ client_id: string; name: string; kind: WorkloadKind; role: WorkloadRole; status: 'active' | 'disabled'; scopes: PhiScope[]; max_token_seconds: number; created_at: Date }>(
    `SELECT w.client_id, w.name, w.kind, w.role, w.status, w.max_token_seconds, w.created_at,
            ARRAY(SELECT s.phi_scope FROM workload_phi_scopes s WHERE s.workload_id = w.id ORDER BY s.phi_scope) AS scopes
       FROM workloads w WHERE w.tenant_id = $1 ORDER BY w.name`, [tenantId]);
  return rows.map((r) => ({ clientId: r.client_id, name: r.name, kind: r.kind, role: r.role, status: r.status, scopes: r.scopes, maxTokenSeconds: r.max_token_seconds, createdAt: r.created_at }));
}

/** R-WORK-1: a disabled workload gets no token, and its live tokens stop working on their next request. */
export async function disableWorkload(systemDb: SystemDb, deps: { audit: AuditLog }, tenantId: string, clientId: string, now: Date): Promise<boolean> {
  return systemDb.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      "UPDATE workloads SET status = 'disabled', disabled_at = $3 WHERE tenant_id = $1 AND client_id = $2 AND status = 'active' RETURNING id", [tenantId, clientId, now]);
    if (!rows[0]) {
      const { rowCount } = await tx.query('SELECT 1 FROM workloads WHERE tenant_id = $1 AND client_id = $2', [tenantId, clientId]);
      if (rowCount === 0) throw new WardError('NOT_FOUND', 'No workload of this tenant has that client_id (ward workload list shows them).');
      return false;
    }
    await deps.audit.append(tx, { tenantId, ...OPERATOR, action: 'workload.disable', targetType: 'workload', targetId: rows[0].id, outcome: 'success', metadata: { clientId } });
    return true;
  });
}

/** New client keys replace the old ones at once: assertions signed by an old key are refused from now on. */
export async function rotateWorkloadKeys(systemDb: SystemDb, deps: { audit: AuditLog }, tenantId: string, clientId: string, jwks: JSONWebKeySet, now: Date): Promise<void> {
  await systemDb.transaction(async (tx) => {
    // R-AUTHN-5: the SCIM client holds no keys (it would get OAuth tokens): its credential is `ward scim token`.
    const { rows } = await tx.query<{ id: string }>(
      "UPDATE workloads SET jwks = $3, keys_rotated_at = $4 WHERE tenant_id = $1 AND client_id = $2 AND role <> 'ScimProvisioner' RETURNING id", [tenantId, clientId, JSON.stringify(jwks), now]);
    if (!rows[0]) throw new WardError('NOT_FOUND', 'No workload of this tenant with keys has that client_id (ward workload list shows them; the SCIM client has none).');
    await deps.audit.append(tx, { tenantId, ...OPERATOR, action: 'workload.rotateKeys', targetType: 'workload', targetId: rows[0].id, outcome: 'success', metadata: { clientId, keys: jwks.keys.length } });
  });
}

/**
 * R-AI-3, R-AI-6: records the AI vendor (modules/ai vendors) behind an AI agent workload, the model
 * that reads what its MCP tools return; PHI tools work only while that vendor's BAA is in force.
 */
export async function setWorkloadVendor(systemDb: SystemDb, deps: { audit: AuditLog }, s: { tenantId: string; clientId: string; vendor: string }): Promise<void> {
  await systemDb.transaction(async (tx) => {
    const { rows: w } = await tx.query<{ id: string; kind: string }>('SELECT id, kind FROM workloads WHERE tenant_id = $1 AND client_id = $2 FOR UPDATE', [s.tenantId, s.clientId]);
    if (!w[0]) throw new WardError('NOT_FOUND', 'No workload of this tenant has this client_id.');
    if (w[0].kind !== 'ai_agent') throw new WardError('USAGE', 'Only an AI agent workload has a vendor.');
    const { rows: v } = await tx.query<{ id: string }>('SELECT id FROM ai_vendors WHERE tenant_id = $1 AND name = $2', [s.tenantId, s.vendor]);
    if (!v[0]) throw new WardError('NOT_FOUND', 'No AI vendor of this tenant has this name (ward ai vendor list).');
    await tx.query('UPDATE workloads SET ai_vendor_id = $3 WHERE tenant_id = $1 AND id = $2', [s.tenantId, w[0].id, v[0].id]);
    await deps.audit.append(tx, {
      tenantId: s.tenantId, ...OPERATOR, action: 'workload.vendor.set', targetType: 'workload', targetId: s.clientId, outcome: 'success',
      metadata: { clientId: s.clientId, vendor: s.vendor },
    });
  });
}
