import { WardError, type TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { Kms } from '../crypto/index.ts';
import type { EgressFetch } from '../egress/index.ts';
import { checkIssuerUrl, discover, isMultiTenantIssuer } from './provider.ts';

/**
 * The tenant's OpenID Connect connection as the admin console reads and changes it (R-AUTHN-2,
 * R-UX-1): never its client secret. A change is checked like `ward sso configure` (https issuer, or
 * http on loopback only where the operator allowed it; no e-mail linking with a multi-tenant issuer;
 * discovery must load and name the same issuer) outside the access transaction, the new secret, if
 * any, wrapped under the tenant's key-encryption key (R-DATA-1); without one the stored secret stays.
 */
export interface SsoConnection {
  issuer: string;
  clientId: string;
  linkBy: 'email' | 'subject';
  mfaAcr: string[];
  allowHttpIssuer: boolean;
  updatedAt: Date;
}

export interface SsoChange {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  linkBy: 'email' | 'subject';
  mfaAcr: string[];
}

type Stored = SsoConnection & { secret: { kekId: string; wrapped: Buffer } };

async function stored(tx: Tx): Promise<Stored | null> {
  const { rows } = await tx.query<{ issuer: string; client_id: string; link_by: 'email' | 'subject'; mfa_acr: string[]; allow_http_issuer: boolean; updated_at: Date; secret_kek_id: string; secret_wrapped: Buffer }>(
    'SELECT issuer, client_id, link_by, mfa_acr, allow_http_issuer, updated_at, secret_kek_id, secret_wrapped FROM sso_providers');
  const r = rows[0];
  return r ? {
    issuer: r.issuer, clientId: r.client_id, linkBy: r.link_by, mfaAcr: r.mfa_acr, allowHttpIssuer: r.allow_http_issuer, updatedAt: new Date(r.updated_at),
    secret: { kekId: r.secret_kek_id, wrapped: Buffer.from(r.secret_wrapped) },
  } : null;
}

/** The transaction tenant's connection without its secret, or null. */
export async function readSsoConnection(tx: Tx): Promise<SsoConnection | null> {
  const s = await stored(tx);
  if (!s) return null;
  const { secret: _secret, ...rest } = s;
  return rest;
}

export interface PreparedSsoChange { tenantId: TenantId; change: SsoChange; allowHttpIssuer: boolean; keep: Stored['secret'] | null }
export interface CheckedSsoChange { prepared: PreparedSsoChange; secret: { kekId: string; wrapped: Buffer } }

/** Phase 1, in the access transaction: what is stored now (the operator's http allowance, the secret to keep). */
export async function prepareSsoChange(tx: Tx, tenantId: TenantId, change: SsoChange): Promise<PreparedSsoChange> {
  const now = await stored(tx);
  if (!change.clientSecret && !now) throw new WardError('BAD_REQUEST', 'A first connection needs its client secret.');
  const allowHttpIssuer = now?.allowHttpIssuer ?? false;
  checkIssuerUrl(change.issuer, allowHttpIssuer);
  if (change.linkBy === 'email' && isMultiTenantIssuer(change.issuer)) {
    throw new WardError('SSO_ISSUER_INVALID', 'A multi-tenant issuer (common, organizations) never links by e-mail; link by subject.');
  }
  return { tenantId, change, allowHttpIssuer, keep: change.clientSecret ? null : now!.secret };
}

/** Phase 2, outside any transaction: discovery through the egress policy, and the new secret wrapped. */
export async function checkSsoChange(deps: { kms: Kms; egress: EgressFetch }, p: PreparedSsoChange): Promise<CheckedSsoChange> {
  const secret = p.change.clientSecret ?? (await deps.kms.unwrap(p.tenantId, p.keep!.kekId, p.keep!.wrapped)).toString('utf8');
  const config = await discover(p.change.issuer, p.change.clientId, secret, p.allowHttpIssuer, deps.egress);
  if (config.serverMetadata().issuer !== p.change.issuer) throw new WardError('SSO_ISSUER_INVALID', 'The discovery document names another issuer.');
  if (p.keep) return { prepared: p, secret: p.keep };
  await deps.kms.createTenantKey(p.tenantId);
  return { prepared: p, secret: await deps.kms.wrap(p.tenantId, Buffer.from(secret, 'utf8')) };
}

/** Phase 3, in the outcome's transaction: the connection written (replacing any earlier one). */
export async function writeSsoConnection(tx: Tx, c: CheckedSsoChange, now: Date): Promise<SsoConnection> {
  const { change, tenantId, allowHttpIssuer } = c.prepared;
  await tx.query(
    `INSERT INTO sso_providers (tenant_id, issuer, client_id, secret_kek_id, secret_wrapped, link_by, mfa_acr, allow_http_issuer, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (tenant_id) DO UPDATE SET issuer = $2, client_id = $3, secret_kek_id = $4, secret_wrapped = $5, link_by = $6, mfa_acr = $7, updated_at = $9`,
    [tenantId, change.issuer, change.clientId, c.secret.kekId, c.secret.wrapped, change.linkBy, change.mfaAcr, allowHttpIssuer, now])
    .catch((e: unknown) => {
      if ((e as { code?: string }).code === '23505') throw new WardError('CONFLICT', 'Another tenant uses this issuer and client id.', { cause: e });
      throw e;
    });
  return (await readSsoConnection(tx))!;
}
