import { WardError, type TenantId } from '@ward/contracts';
import type { JWK } from 'jose';
import type * as oidc from 'openid-client';
import type { Db } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import type { EgressFetch } from '../egress/index.ts';
import type { Kms } from '../crypto/index.ts';
import { chooseClientAuth, keySuits, newClientKey, usesSecret, type ClientAuthMethod } from './client-auth.ts';
import { checkIssuerUrl, discoverIssuer, isMultiTenantIssuer, loadProvider, saveProvider, type SsoProvider } from './provider.ts';

export interface SsoConfiguration {
  tenantId: string;
  issuer: string;
  clientId: string;
  /** Empty when none was given (private_key_jwt needs none). */
  clientSecret: string;
  /** Token endpoint authentication; `auto` (the default) picks from the discovery document. */
  clientAuth?: ClientAuthMethod | 'auto';
  linkBy: 'email' | 'subject';
  mfaAcr: string[];
  allowHttpIssuer: boolean;
}

export interface SsoConfigured {
  /** The issuer as the provider states it (a trailing slash may differ from what was typed). */
  issuer: string;
  clientAuth: ClientAuthMethod;
  /** private_key_jwt: the public key to register at the IdP (also published); otherwise null. */
  publicJwk: JWK | null;
}

export function checkLinking(issuer: string, linkBy: 'email' | 'subject'): void {
  if (linkBy === 'email' && isMultiTenantIssuer(issuer)) {
    throw new WardError('SSO_ISSUER_INVALID', 'A multi-tenant issuer (common, organizations) never links by e-mail; link by subject.');
  }
}

/**
 * The stored credential for a method: a new client secret wrapped under the tenant's key-encryption
 * key (R-DATA-1), or the stored one kept; for private_key_jwt the tenant's key pair, kept while its
 * algorithm suits the provider (the IdP has its public half registered), else a new one.
 */
export async function settleCredential(deps: { kms: Kms }, tenantId: TenantId, method: ClientAuthMethod, secret: string | null, metadata: oidc.ServerMetadata, stored: SsoProvider | null): Promise<Pick<SsoProvider, 'secret' | 'clientPublicJwk'>> {
  if (usesSecret(method)) {
    if (secret) {
      await deps.kms.createTenantKey(tenantId);
      return { secret: await deps.kms.wrap(tenantId, Buffer.from(secret, 'utf8')), clientPublicJwk: null };
    }
    if (stored && usesSecret(stored.clientAuth)) return { secret: stored.secret, clientPublicJwk: null };
    throw new WardError('USAGE', `${method} needs the client secret.`);
  }
  if (stored?.clientAuth === 'private_key_jwt' && keySuits(stored.clientPublicJwk, metadata)) return { secret: stored.secret, clientPublicJwk: stored.clientPublicJwk };
  const key = await newClientKey(metadata);
  await deps.kms.createTenantKey(tenantId);
  return { secret: await deps.kms.wrap(tenantId, Buffer.from(JSON.stringify(key.privateJwk), 'utf8')), clientPublicJwk: key.publicJwk };
}

/**
 * `ward sso configure` (R-AUTHN-2): checks the issuer (https, or http on loopback when allowed;
 * e-mail linking never for a multi-tenant issuer), runs discovery once so that a typo fails here and
 * not at the first login, chooses the token endpoint authentication, wraps the client secret (or the
 * private key it makes for private_key_jwt) under the tenant's key-encryption key (R-DATA-1) and
 * stores the provider, replacing any earlier one; audited with the operator as actor.
 */
export async function configureSso(deps: { db: Db; audit: AuditLog; kms: Kms; egress: EgressFetch }, c: SsoConfiguration, now: Date): Promise<SsoConfigured> {
  checkIssuerUrl(c.issuer, c.allowHttpIssuer);
  checkLinking(c.issuer, c.linkBy);
  const { issuer, metadata } = await discoverIssuer(c.issuer, c.allowHttpIssuer, deps.egress);
  checkLinking(issuer, c.linkBy);
  const clientAuth = chooseClientAuth(c.clientAuth ?? 'auto', metadata, c.clientSecret !== '');
  const tenantId = c.tenantId as TenantId;
  const scope = { tenantId, phiScopes: [], actorId: 'system:cli', actorKind: 'system' } as const;
  const stored = await deps.db.scoped(scope, (tx) => loadProvider(tx, tenantId));
  const credential = await settleCredential(deps, tenantId, clientAuth, usesSecret(clientAuth) ? c.clientSecret : null, metadata, stored);
  await deps.db.scoped(scope, async (tx) => {
    await saveProvider(tx, { tenantId, issuer, clientId: c.clientId, clientAuth, ...credential, linkBy: c.linkBy, mfaAcr: c.mfaAcr, allowHttpIssuer: c.allowHttpIssuer }, now);
    await deps.audit.append(tx, {
      tenantId, actorKind: 'system', actorId: 'system:cli', action: 'sso.configure', targetType: 'tenant', targetId: tenantId, outcome: 'success',
      metadata: { issuer, clientId: c.clientId, clientAuth, linkBy: c.linkBy, mfaAcr: c.mfaAcr.join(','), allowHttpIssuer: c.allowHttpIssuer },
    });
  });
  return { issuer, clientAuth, publicJwk: credential.clientPublicJwk };
}
