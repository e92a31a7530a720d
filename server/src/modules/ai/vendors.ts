import { createHash } from 'node:crypto';
import { WardError, type TenantId } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Db, Tx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Kms } from '../crypto/index.ts';
import type { EgressFetch } from '../egress/index.ts';
import { createLocalProvider, createOpenAiProvider, type Provider } from './providers.ts';
import { AI_PURPOSES, type AiPurpose, type AiTemplate } from './templates.ts';
import type { Vendor } from './gateway.ts';

/**
 * AI vendors and their BAAs (R-AI-3; docs/ai.md "Vendors and BAAs", migration 0034_ai_vendors.sql).
 * A vendor is a tenant's record: name, base URL, model, time budget and API key (wrapped by the
 * tenant's key-encryption key). Its BAA record (document hash, effective and expiry dates, attester)
 * is in force only once a second person approved it through their own session; a changed URL, model
 * or BAA record reopens approval (in the database). A tenant has one active vendor per template
 * purpose; the built-in local provider is the default until another is made active.
 * Fail closed: a PHI task goes only to a vendor whose BAA is approved and in force today; anything
 * that cannot be read (a key that does not unwrap) refuses the task.
 */
export const LOCAL_VENDOR = 'local';
const OPERATOR = { actorKind: 'system', actorId: 'system:cli' } as const;
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const DEFAULT_VENDOR_TIMEOUT_MS = 20_000;

export type BaaState = 'none' | 'pending' | 'active' | 'expired' | 'not-yet-effective';

export interface VendorRecord {
  id: string;
  name: string;
  baseUrl: string;
  model: string;
  timeoutMs: number;
  baa: null | {
    documentSha256: string;
    effective: string;
    expires: string;
    attestedBy: string;
    approvedBy: string | null;
    approvedAt: Date | null;
  };
  /** The BAA's state on the day asked about. */
  baaState: BaaState;
  /** The purposes this vendor is the tenant's active vendor for. */
  activeFor: AiPurpose[];
}

export interface NewVendor {
  tenantId: string;
  name: string;
  baseUrl: string;
  model: string;
  timeoutMs?: number;
  apiKey: string;
  baa?: { documentSha256: string; effective: string; expires: string; attestedBy?: string };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const day = (d: Date) => d.toISOString().slice(0, 10);

export function baaState(baa: VendorRecord['baa'], now: Date): BaaState {
  if (!baa) return 'none';
  if (!baa.approvedBy) return 'pending';
  const today = day(now);
  if (today < baa.effective) return 'not-yet-effective';
  if (today > baa.expires) return 'expired';
  return 'active';
}

function checkVendor(v: NewVendor): void {
  if (!NAME.test(v.name) || v.name === LOCAL_VENDOR) throw new WardError('USAGE', '--name: lower-case letters, digits and dashes, not "local".');
  let url: URL;
  try {
    url = new URL(v.baseUrl);
  } catch {
    throw new WardError('USAGE', '--base-url is not a URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WardError('USAGE', '--base-url must be http(s).');
  if (url.username || url.password) throw new WardError('USAGE', '--base-url must not carry credentials; the API key is read from standard input.');
  if (!v.model || v.model.length > 200) throw new WardError('USAGE', '--model is required (at most 200 characters).');
  if (!v.apiKey) throw new WardError('USAGE', 'The API key is read from standard input and was empty.');
  const t = v.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS;
  if (!Number.isInteger(t) || t < 100 || t > 120_000) throw new WardError('USAGE', '--timeout-ms: 100 to 120000.');
  if (v.baa) {
    if (!/^[0-9a-f]{64}$/.test(v.baa.documentSha256)) throw new WardError('USAGE', 'The BAA document hash is a SHA-256 in hex.');
    if (!DATE.test(v.baa.effective) || !DATE.test(v.baa.expires) || Number.isNaN(Date.parse(v.baa.effective)) || Number.isNaN(Date.parse(v.baa.expires))) {
      throw new WardError('USAGE', 'BAA dates are YYYY-MM-DD.');
    }
    if (v.baa.expires <= v.baa.effective) throw new WardError('USAGE', 'The BAA expires after it takes effect.');
  }
}

/**
 * Adds or changes a vendor, as the operator (naming the Owner or Admin who attests the BAA) or in a
 * person's scope. Audited; the API key never leaves this function unwrapped.
 */
export async function putVendor(deps: { db: Db; kms: Kms; audit: AuditLog }, v: NewVendor, now: Date, as?: { actorId: string; actorKind: 'human' }): Promise<{ id: string }> {
  checkVendor(v);
  const tenantId = v.tenantId as TenantId;
  await deps.kms.createTenantKey(tenantId);
  const { kekId, wrapped } = await deps.kms.wrap(tenantId, Buffer.from(v.apiKey, 'utf8'));
  const actor = as ?? OPERATOR;
  return deps.db.scoped({ tenantId, phiScopes: [], ...actor }, async (tx) => {
    let id: string;
    try {
      const { rows } = await tx.query<{ id: string }>('SELECT ward_ai_vendor_put($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS id', [
        v.name, v.baseUrl, v.model, v.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, kekId, wrapped,
        v.baa?.documentSha256 ?? null, v.baa?.effective ?? null, v.baa?.expires ?? null, v.baa?.attestedBy ?? null, now,
      ]);
      id = rows[0]!.id;
    } catch (e) {
      return rethrowRefusal(e, { not_permitted: new WardError('FORBIDDEN', 'A BAA is attested by an active Owner or Admin of the tenant.') });
    }
    await deps.audit.append(tx, {
      tenantId, ...actor, action: 'ai.vendor.put', targetType: 'ai_vendor', targetId: id, outcome: 'success',
      metadata: { name: v.name, baseUrl: v.baseUrl, model: v.model, baa: v.baa ? 'attested' : 'none', ...(v.baa ? { baaExpires: v.baa.expires } : {}) },
    });
    return { id };
  });
}

interface Row {
  id: string;
  name: string;
  base_url: string;
  model: string;
  timeout_ms: number;
  baa_document_sha256: string | null;
  baa_effective: string | null;
  baa_expires: string | null;
  baa_attested_by: string | null;
  baa_approved_by: string | null;
  baa_approved_at: Date | null;
  purposes: string[];
}

const SELECT = `SELECT v.id, v.name, v.base_url, v.model, v.timeout_ms, v.baa_document_sha256, to_char(v.baa_effective, 'YYYY-MM-DD') AS baa_effective,
  to_char(v.baa_expires, 'YYYY-MM-DD') AS baa_expires, v.baa_attested_by, v.baa_approved_by, v.baa_approved_at,
  ARRAY(SELECT a.purpose FROM ai_vendor_assignments a WHERE a.tenant_id = v.tenant_id AND a.vendor_id = v.id ORDER BY a.purpose) AS purposes
  FROM ai_vendors v WHERE v.tenant_id = $1`;

function toRecord(r: Row, now: Date): VendorRecord {
  const baa = r.baa_document_sha256
    ? { documentSha256: r.baa_document_sha256, effective: r.baa_effective!, expires: r.baa_expires!, attestedBy: r.baa_attested_by!, approvedBy: r.baa_approved_by, approvedAt: r.baa_approved_at ? new Date(r.baa_approved_at) : null }
    : null;
  return { id: r.id, name: r.name, baseUrl: r.base_url, model: r.model, timeoutMs: r.timeout_ms, baa, baaState: baaState(baa, now), activeFor: r.purposes as AiPurpose[] };
}

export async function listVendors(tx: Tx, tenantId: string, now: Date): Promise<VendorRecord[]> {
  const { rows } = await tx.query<Row>(`${SELECT} ORDER BY v.name`, [tenantId]);
  return rows.map((r) => toRecord(r, now));
}

export async function getVendor(tx: Tx, tenantId: string, name: string, now: Date): Promise<VendorRecord | null> {
  const { rows } = await tx.query<Row>(`${SELECT} AND v.name = $2`, [tenantId, name]);
  return rows[0] ? toRecord(rows[0], now) : null;
}

/** The BAA approved by the scope's person (an active Owner or Admin other than the attester). */
export async function approveVendorBaa(tx: Tx, tenantId: string, name: string, now: Date): Promise<VendorRecord> {
  try {
    await tx.query('SELECT ward_ai_vendor_approve_baa($1, $2)', [name, now]);
  } catch (e) {
    return rethrowRefusal(e, {
      not_permitted: 'FORBIDDEN', not_found: 'NOT_FOUND', self_approval: 'VENDOR_SELF_APPROVAL',
      already_decided: new WardError('CONFLICT', 'The vendor has no BAA record awaiting approval.'),
    });
  }
  return (await getVendor(tx, tenantId, name, now))!;
}

/** Makes `vendor` (or `local`: the built-in provider) the tenant's active vendor for `purpose`. Audited. */
export async function useVendor(
  deps: { db: Db; audit: AuditLog },
  u: { tenantId: string; purpose: string; vendor: string; byMemberId?: string },
  now: Date,
  as?: { actorId: string; actorKind: 'human' },
): Promise<void> {
  if (!(AI_PURPOSES as readonly string[]).includes(u.purpose)) throw new WardError('USAGE', `--purpose: one of ${AI_PURPOSES.join(', ')}.`);
  const actor = as ?? OPERATOR;
  await deps.db.scoped({ tenantId: u.tenantId, phiScopes: [], ...actor }, async (tx) => {
    try {
      await tx.query('SELECT ward_ai_vendor_use($1, $2, $3, $4)', [u.purpose, u.vendor === LOCAL_VENDOR ? null : u.vendor, u.byMemberId ?? null, now]);
    } catch (e) {
      return rethrowRefusal(e, {
        not_permitted: new WardError('FORBIDDEN', 'The active vendor is chosen by an active Owner or Admin of the tenant.'),
        not_found: new WardError('NOT_FOUND', 'No AI vendor of this tenant has this name.'),
      });
    }
    await deps.audit.append(tx, {
      tenantId: u.tenantId, ...actor, action: 'ai.vendor.use', targetType: 'tenant', targetId: u.tenantId, outcome: 'success',
      metadata: { purpose: u.purpose, vendor: u.vendor, ...(u.byMemberId ? { byClaim: u.byMemberId } : {}) },
    });
  });
}

interface ActiveRow extends Row {
  key_kek_id: string;
  key_wrapped: Buffer;
  updated_at: Date;
}

export interface VendorResolver {
  /** The tenant's active vendor for the template's purpose, with its provider; `local` when none is active. */
  vendorFor(tx: Tx, tenantId: TenantId, template: AiTemplate): Promise<Vendor>;
}

export const LOCAL: Vendor = { name: LOCAL_VENDOR, provider: createLocalProvider(), baaActive: false, timeoutMs: 5000 };

/**
 * Resolves vendors per task, with whether the BAA is in force today. Fail closed (R-AI-3, R-AI-7):
 * the gateway's `vendorInput` refuses a PHI template for a vendor without one (VENDOR_NOT_BAA, the
 * intent recorded as failed) unless the template allows fully de-identified input; a key that does
 * not unwrap refuses the task.
 */
export function createVendorResolver(deps: { kms: Kms; egress: EgressFetch; clock: { now(): Date } }): VendorResolver {
  // One client per vendor version; the key is unwrapped once per version (a change makes a new one).
  const providers = new Map<string, Provider>();
  return {
    async vendorFor(tx, tenantId, template) {
      const now = deps.clock.now();
      const { rows } = await tx.query<ActiveRow>(
        `${SELECT.replace('FROM ai_vendors v', ', v.key_kek_id, v.key_wrapped, v.updated_at FROM ai_vendors v')}
           AND v.id = (SELECT a.vendor_id FROM ai_vendor_assignments a WHERE a.tenant_id = $1 AND a.purpose = $2)`,
        [tenantId, template.purpose],
      );
      const row = rows[0];
      if (!row) return LOCAL;
      const rec = toRecord(row, now);
      const baaActive = rec.baaState === 'active';
      const cacheKey = `${row.id}:${new Date(row.updated_at).getTime()}`;
      let provider = providers.get(cacheKey);
      if (!provider) {
        const apiKey = (await deps.kms.unwrap(tenantId, row.key_kek_id, Buffer.from(row.key_wrapped))).toString('utf8');
        provider = createOpenAiProvider({ baseUrl: rec.baseUrl, model: rec.model, apiKey, timeoutMs: rec.timeoutMs }, deps.egress);
        providers.set(cacheKey, provider);
      }
      return { name: rec.name, provider, baaActive, timeoutMs: rec.timeoutMs };
    },
  };
}

/**
 * R-AI-3, R-AI-6: whether PHI may go to the AI agent workload `workloadId`: the vendor recorded on it
 * (`ward workload set-vendor`) has a BAA approved and in force today. No vendor recorded: no PHI.
 */
export async function agentVendorBaaActive(tx: Tx, tenantId: string, workloadId: string, now: Date): Promise<boolean> {
  const { rows } = await tx.query<Row>(`${SELECT} AND v.id = (SELECT w.ai_vendor_id FROM workloads w WHERE w.tenant_id = $1 AND w.id = $2)`, [tenantId, workloadId]);
  return rows[0] ? toRecord(rows[0], now).baaState === 'active' : false;
}

/**
 * For demo tenants only (`ward demo vendor`, the demo seed): a vendor with a one-year BAA attested by
 * `attester` (through the operator) and approved by `approver` in their own verified scope, the two
 * people of the two-person rule. Returns the BAA's document hash and expiry.
 */
export async function addApprovedDemoVendor(
  deps: { db: Db; kms: Kms; audit: AuditLog },
  v: Omit<NewVendor, 'baa'> & { attester: string; approver: string },
  now: Date,
): Promise<{ documentSha256: string; expires: string; state: BaaState }> {
  const effective = day(now);
  const expires = day(new Date(now.getTime() + 365 * 86_400_000));
  const documentSha256 = createHash('sha256').update(`demo BAA of ${v.tenantId} with ${v.name}, ${effective} to ${expires}`).digest('hex');
  const { attester, approver, ...vendor } = v;
  await putVendor(deps, { ...vendor, baa: { documentSha256, effective, expires, attestedBy: attester } }, now);
  const human = { actorKind: 'human', actorId: approver } as const;
  const r = await deps.db.scoped({ tenantId: v.tenantId, phiScopes: [], ...human }, async (tx) => {
    const rec = await approveVendorBaa(tx, v.tenantId, v.name, now);
    await deps.audit.append(tx, { tenantId: v.tenantId, ...human, action: 'ai.vendor.approveBaa', targetType: 'ai_vendor', targetId: rec.id, outcome: 'success', metadata: { vendor: v.name, demo: true } });
    return rec;
  });
  return { documentSha256, expires, state: r.baaState };
}
