import { WardError, workloadKeysNeedApproval, type PhiScope, type WorkloadRole } from '@ward/contracts';
import { calculateJwkThumbprint, type JSONWebKeySet, type JWK } from 'jose';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import { parseWorkloadJwks } from './jwks.ts';
import type { WorkloadKind } from './registry.ts';

/**
 * Workloads and their keys as the admin console sees and changes them (R-WORK-1, R-WORK-2, R-UX-1),
 * inside an Owner's or Admin's guarded transaction: the list reads through row-level security; a key
 * change goes through `ward_workload_set_keys` (0057), which checks the actor and swaps the JWK Set
 * only if it is the one read here. Public keys only: a private member refuses the set (jwks.ts).
 */
export interface WorkloadKeyView {
  kid: string | null;
  alg: string;
  /** RFC 7638 thumbprint: what an operator compares with the key they hold. */
  thumbprint: string;
}

export interface ConsoleWorkload {
  clientId: string;
  name: string;
  kind: WorkloadKind;
  role: WorkloadRole;
  status: 'active' | 'disabled';
  scopes: PhiScope[];
  maxTokenSeconds: number;
  createdAt: Date;
  keysRotatedAt: Date | null;
  lastUsedAt: Date | null;
  keys: WorkloadKeyView[];
}

export type Row = { client_id: string; name: string; kind: WorkloadKind; role: WorkloadRole; status: 'active' | 'disabled'; scopes: PhiScope[]; max_token_seconds: number; created_at: Date; keys_rotated_at: Date | null; last_used_at: Date | null; jwks: JSONWebKeySet };

export async function keysOf(jwks: JSONWebKeySet): Promise<WorkloadKeyView[]> {
  return Promise.all((jwks.keys ?? []).map(async (k) => ({ kid: k.kid ?? null, alg: k.alg ?? (k.kty === 'OKP' ? 'EdDSA' : k.kty === 'RSA' ? 'RS256 or PS256' : 'ES256'), thumbprint: await calculateJwkThumbprint(k as JWK, 'sha256') })));
}

async function rows(tx: Tx, clientId: string | null): Promise<Row[]> {
  return (await tx.query<Row>(
    `SELECT w.client_id, w.name, w.kind, w.role, w.status, w.max_token_seconds, w.created_at, w.keys_rotated_at, w.last_used_at, w.jwks,
            ARRAY(SELECT s.phi_scope FROM workload_phi_scopes s WHERE s.workload_id = w.id ORDER BY s.phi_scope) AS scopes
       FROM workloads w WHERE ($1::text IS NULL OR w.client_id = $1) ORDER BY w.name`, [clientId])).rows;
}

const view = async (r: Row): Promise<ConsoleWorkload> => ({
  clientId: r.client_id, name: r.name, kind: r.kind, role: r.role, status: r.status, scopes: r.scopes, maxTokenSeconds: Number(r.max_token_seconds),
  createdAt: new Date(r.created_at), keysRotatedAt: r.keys_rotated_at ? new Date(r.keys_rotated_at) : null, lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
  // The SCIM client holds a bearer token, not keys (`ward scim token`).
  keys: r.role === 'ScimProvisioner' ? [] : await keysOf(r.jwks),
});

/** The transaction tenant's workloads with their public keys' ids and thumbprints. */
export async function consoleWorkloads(tx: Tx): Promise<ConsoleWorkload[]> {
  return Promise.all((await rows(tx, null)).map(view));
}

export type KeyChange = { kind: 'add'; jwk: unknown } | { kind: 'revoke'; thumbprint: string } | { kind: 'replace'; jwks: unknown };

/**
 * Adds a key (rotation with overlap: the old key keeps working until revoked), revokes one key by its
 * thumbprint (never the last: disable the workload instead), or replaces the whole set at once. For a
 * workload with a PHI scope, or one that reads the audit trail, only the revocation is one person's
 * act; a new key is a proposal (key-requests.ts, 0096, 0119).
 * Assertions signed by a key no longer in the set are refused from the next token request.
 */
export async function changeWorkloadKeys(tx: Tx, clientId: string, change: KeyChange, now: Date): Promise<ConsoleWorkload> {
  const { current, next } = await nextKeySet(tx, clientId, change);
  // R-AUTHZ-5 (0096, 0119): a new key for a workload that reads PHI or the audit trail is proposed and approved by a second person.
  if (change.kind !== 'revoke' && workloadKeysNeedApproval({ role: current.role, phiScopes: current.scopes })) {
    throw new WardError('CHANGE_NEEDS_APPROVAL', 'A new key for a workload that reads PHI or the audit trail is proposed and approved by a second Owner or Admin (POST /v1/workloads/{clientId}/key-requests).');
  }
  await tx.query('SELECT ward_workload_set_keys($1, $2, $3, $4)', [clientId, JSON.stringify(current.jwks), JSON.stringify(next), now])
    .catch((e: unknown) => rethrowRefusal(e, { not_permitted: 'FORBIDDEN', not_found: 'NOT_FOUND', already_decided: new WardError('CONFLICT', 'The key set changed since it was read: reload and try again.') }));
  const [after] = await rows(tx, clientId);
  return view(after!);
}

/** The workload as read and the JWK Set a change makes of it (checked: public keys only, 1 to 5). */
export async function nextKeySet(tx: Tx, clientId: string, change: KeyChange): Promise<{ current: Row; next: JSONWebKeySet }> {
  const [current] = await rows(tx, clientId);
  if (!current || current.role === 'ScimProvisioner' || current.status !== 'active') throw new WardError('NOT_FOUND');
  let next: JSONWebKeySet;
  if (change.kind === 'add') {
    next = parseWorkloadJwks(JSON.stringify({ keys: [...current.jwks.keys, change.jwk] }));
  } else if (change.kind === 'replace') {
    next = parseWorkloadJwks(JSON.stringify(change.jwks));
  } else {
    const keep: JWK[] = [];
    for (const k of current.jwks.keys) if ((await calculateJwkThumbprint(k as JWK, 'sha256')) !== change.thumbprint) keep.push(k as JWK);
    if (keep.length === current.jwks.keys.length) throw new WardError('NOT_FOUND', 'No key of this workload has that thumbprint.');
    if (keep.length === 0) throw new WardError('CONFLICT', 'A workload keeps at least one key: add its new key first, or disable the workload.');
    next = parseWorkloadJwks(JSON.stringify({ keys: keep }));
  }
  return { current, next };
}
