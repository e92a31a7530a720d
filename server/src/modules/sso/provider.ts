import { WardError, type TenantId } from '@ward/contracts';
import * as oidc from 'openid-client';
import type { Tx } from '../../db/types.ts';
import type { Kms } from '../crypto/index.ts';
import type { EgressFetch } from '../egress/index.ts';

/**
 * A tenant's OpenID provider (R-AUTHN-2): issuer, client, how first logins link, which `acr` values
 * mean MFA. The client secret is wrapped by the tenant's key-encryption key (R-DATA-1).
 */
export interface SsoProvider {
  tenantId: string;
  issuer: string;
  clientId: string;
  linkBy: 'email' | 'subject';
  mfaAcr: string[];
  allowHttpIssuer: boolean;
  secret: { kekId: string; wrapped: Buffer };
}

export async function loadProvider(tx: Tx, tenantId: string): Promise<SsoProvider | null> {
  const { rows } = await tx.query<{ issuer: string; client_id: string; link_by: 'email' | 'subject'; mfa_acr: string[]; allow_http_issuer: boolean; secret_kek_id: string; secret_wrapped: Buffer }>(
    'SELECT issuer, client_id, link_by, mfa_acr, allow_http_issuer, secret_kek_id, secret_wrapped FROM sso_providers WHERE tenant_id = $1', [tenantId]);
  const r = rows[0];
  return r ? {
    tenantId, issuer: r.issuer, clientId: r.client_id, linkBy: r.link_by, mfaAcr: r.mfa_acr, allowHttpIssuer: r.allow_http_issuer,
    secret: { kekId: r.secret_kek_id, wrapped: Buffer.from(r.secret_wrapped) },
  } : null;
}

/** Loopback issuers only may be plain http (tests and demos); everything else is https. */
export function isLoopbackUrl(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/**
 * A multi-tenant issuer (Entra ID's `common`, `organizations`, `consumers`, or a `{tenantid}`
 * template) lets anyone's directory assert any e-mail: never link by e-mail there.
 */
export function isMultiTenantIssuer(issuer: string): boolean {
  const lowered = issuer.toLowerCase();
  if (lowered.includes('{tenantid}') || lowered.includes('%7btenantid%7d')) return true;
  try {
    return new URL(issuer).pathname.split('/').some((s) => ['common', 'organizations', 'consumers'].includes(s.toLowerCase()));
  } catch {
    return true;
  }
}

export function checkIssuerUrl(issuer: string, allowHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new WardError('SSO_ISSUER_INVALID', 'The issuer is not a URL.');
  }
  if (url.search || url.hash || url.username || url.password) throw new WardError('SSO_ISSUER_INVALID', 'An issuer URL has no query, fragment or credentials.');
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && allowHttp && isLoopbackUrl(url)) return url;
  throw new WardError('SSO_ISSUER_INVALID', allowHttp ? 'A plain http issuer is allowed only on a loopback address.' : 'The issuer must use https (--allow-http-issuer allows http on a loopback address only).');
}

/**
 * Discovery through openid-client, cached for a few minutes per issuer, client and secret: one
 * metadata fetch serves many logins, and a changed configuration is picked up on its next use.
 */
const CACHE_MS = 5 * 60_000;
const cache = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

export async function discover(issuer: string, clientId: string, clientSecret: string, allowHttp: boolean, egress: EgressFetch): Promise<oidc.Configuration> {
  const url = checkIssuerUrl(issuer, allowHttp);
  const key = JSON.stringify([issuer, clientId, clientSecret, allowHttp]);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.config;
  const config = oidc.discovery(url, clientId, { client_secret: clientSecret }, oidc.ClientSecretBasic(clientSecret), {
    execute: allowHttp && url.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
    timeout: 10,
    // R-WORK-4: discovery and every later call to the IdP (token, JWKS) go through the egress policy.
    [oidc.customFetch]: egress as never,
  });
  if (cache.size > 1000) cache.clear();
  cache.set(key, { at: Date.now(), config });
  try {
    return await config;
  } catch (e) {
    cache.delete(key);
    throw new WardError('SSO_ISSUER_INVALID', "The issuer's discovery document did not load.", { cause: e });
  }
}

/**
 * The client secret, unwrapped once per wrapped value and kept as long as discovery's cache keeps it
 * (which holds it too). Every SSO step needs it, and two are public: a back-channel logout token that
 * merely names a tenant's issuer and client (both visible in its authorization URL) reached the KMS
 * before its signature was checked, so anyone could spend the tenant's KMS requests (AWS KMS: quota
 * and cost shared with the decryption of its PHI) at the endpoint's rate. A shredded tenant's secret
 * stops with the cache, as its data keys do (the field cipher's 300 s).
 */
const secrets = new Map<string, { at: number; secret: Promise<string> }>();

function clientSecret(provider: SsoProvider, kms: Kms): Promise<string> {
  const key = `${provider.tenantId}:${provider.secret.kekId}:${provider.secret.wrapped.toString('base64')}`;
  const hit = secrets.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.secret;
  const secret = kms.unwrap(provider.tenantId as TenantId, provider.secret.kekId, provider.secret.wrapped).then((b) => b.toString('utf8'));
  if (secrets.size >= 1000) secrets.clear();
  secrets.set(key, { at: Date.now(), secret });
  secret.catch(() => secrets.delete(key));
  return secret;
}

export async function configurationOf(provider: SsoProvider, deps: { kms: Kms; egress: EgressFetch }): Promise<oidc.Configuration> {
  return discover(provider.issuer, provider.clientId, await clientSecret(provider, deps.kms), provider.allowHttpIssuer, deps.egress);
}
