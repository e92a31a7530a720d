import { WardError, type TenantId } from '@ward/contracts';
import type { Db } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import type { EgressFetch } from '../egress/index.ts';
import type { Kms } from '../crypto/index.ts';
import { checkIssuerUrl, discover, isMultiTenantIssuer } from './provider.ts';

export interface SsoConfiguration {
  tenantId: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  linkBy: 'email' | 'subject';
  mfaAcr: string[];
  allowHttpIssuer: boolean;
}

/**
 * `ward sso configure` (R-AUTHN-2): checks the issuer (https, or http on loopback when allowed;
 * e-mail linking never for a multi-tenant issuer), runs discovery once so that a typo fails here and
 * not at the first login, wraps the client secret under the tenant's key-encryption key (R-DATA-1)
 * and stores the provider, replacing any earlier one; audited with the operator as actor.
 */
export async function configureSso(deps: { db: Db; audit: AuditLog; kms: Kms; egress: EgressFetch }, c: SsoConfiguration, now: Date): Promise<void> {
  checkIssuerUrl(c.issuer, c.allowHttpIssuer);
  if (c.linkBy === 'email' && isMultiTenantIssuer(c.issuer)) {
    throw new WardError('SSO_ISSUER_INVALID', 'A multi-tenant issuer (common, organizations) never links by e-mail; use --link-by subject.');
  }
  if (!c.clientSecret) throw new WardError('USAGE', 'The client secret is read from standard input and was empty.');
  const config = await discover(c.issuer, c.clientId, c.clientSecret, c.allowHttpIssuer, deps.egress);
  if (config.serverMetadata().issuer !== c.issuer) throw new WardError('SSO_ISSUER_INVALID', 'The discovery document names another issuer.');
  const tenantId = c.tenantId as TenantId;
  await deps.kms.createTenantKey(tenantId);
  const { kekId, wrapped } = await deps.kms.wrap(tenantId, Buffer.from(c.clientSecret, 'utf8'));
  await deps.db.scoped({ tenantId, phiScopes: [], actorId: 'system:cli', actorKind: 'system' }, async (tx) => {
    await tx.query(
      `INSERT INTO sso_providers (tenant_id, issuer, client_id, secret_kek_id, secret_wrapped, link_by, mfa_acr, allow_http_issuer, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id) DO UPDATE SET issuer = $2, client_id = $3, secret_kek_id = $4, secret_wrapped = $5, link_by = $6,
         mfa_acr = $7, allow_http_issuer = $8, updated_at = $9`,
      [tenantId, c.issuer, c.clientId, kekId, wrapped, c.linkBy, c.mfaAcr, c.allowHttpIssuer, now]);
    await deps.audit.append(tx, {
      tenantId, actorKind: 'system', actorId: 'system:cli', action: 'sso.configure', targetType: 'tenant', targetId: tenantId, outcome: 'success',
      metadata: { issuer: c.issuer, clientId: c.clientId, linkBy: c.linkBy, mfaAcr: c.mfaAcr.join(','), allowHttpIssuer: c.allowHttpIssuer },
    });
  });
}
