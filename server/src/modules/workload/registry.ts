import { randomBytes, randomUUID } from 'node:crypto';
import { isPhiScope, WardError, WORKLOAD_ROLE_KIND, isWorkloadRole, type PhiScope, type WorkloadRole } from '@ward/contracts';
import type { JSONWebKeySet } from 'jose';
import type { SystemDb } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import { MAX_TOKEN_SECONDS } from './signing-keys.ts';

/**
 * The workload registry (R-WORK-1): each AI agent, tool or job is its own principal with one
 * workload role, its public keys and its PHI scopes. The operator registers, re-keys and disables
 * (the one unscoped path, `systemDb`, from the CLI); every change is audited as the operator's.
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

export async function createWorkload(
  systemDb: SystemDb,
  deps: { audit: AuditLog },
  w: { tenantId: string; name: string; kind: string; role: string; jwks: JSONWebKeySet; scopes?: readonly string[]; maxTokenSeconds?: number },
): Promise<{ id: string; clientId: string }> {
  if (!NAME.test(w.name)) throw new WardError('USAGE', 'A workload name is 1 to 80 letters, digits, spaces, dots, dashes or underscores.');
  if (w.kind !== 'ai_agent' && w.kind !== 'service') throw new WardError('USAGE', '--kind is ai_agent or service.');
  if (!isWorkloadRole(w.role)) throw new WardError('USAGE', `--role is a workload role: ${Object.keys(WORKLOAD_ROLE_KIND).join(', ')}.`);
  // R-AUTHN-5: the SCIM client has no keys and a bearer token of its own: `ward scim token` registers it.
  if (w.role === 'ScimProvisioner') throw new WardError('USAGE', 'The SCIM client is registered by ward scim token --tenant <slug>.');
  // R-WORK-1: least privilege starts with the right kind; a tool never holds an agent's role.
  if (WORKLOAD_ROLE_KIND[w.role] !== w.kind) throw new WardError('USAGE', `The role ${w.role} is for kind ${WORKLOAD_ROLE_KIND[w.role]}.`);
  const scopes = [...new Set(w.scopes ?? [])];
  if (!scopes.every(isPhiScope)) throw new WardError('USAGE', '--scopes names an unknown PHI scope.');
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
    for (const scope of scopes) {
      await tx.query('INSERT INTO workload_phi_scopes (tenant_id, workload_id, phi_scope, granted_by) VALUES ($1, $2, $3, $4)', [w.tenantId, id, scope, OPERATOR.actorId]);
    }
    await deps.audit.append(tx, {
      tenantId: w.tenantId, ...OPERATOR, action: 'workload.create', targetType: 'workload', targetId: id, outcome: 'success',
      metadata: { clientId, kind: w.kind, role: w.role, scopes: scopes.join(','), keys: w.jwks.keys.length, maxTokenSeconds },
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
    const { rows } = await tx.query<{ id: string }>(
      'UPDATE workloads SET jwks = $3, keys_rotated_at = $4 WHERE tenant_id = $1 AND client_id = $2 RETURNING id', [tenantId, clientId, JSON.stringify(jwks), now]);
    if (!rows[0]) throw new WardError('NOT_FOUND', 'No workload of this tenant has that client_id (ward workload list shows them).');
    await deps.audit.append(tx, { tenantId, ...OPERATOR, action: 'workload.rotateKeys', targetType: 'workload', targetId: rows[0].id, outcome: 'success', metadata: { clientId, keys: jwks.keys.length } });
  });
}
