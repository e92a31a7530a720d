import { WardError, type TenantId } from '@ward/contracts';
import type { JWK } from 'jose';
import * as oidc from 'openid-client';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import type { Kms } from '../crypto/index.ts';
import { clientAuthentication, type ClientAuthMethod } from './client-auth.ts';
import type { EgressFetch } from '../egress/index.ts';

/**
 * A tenant's OpenID provider (R-AUTHN-2): issuer (as the provider states it), client, how Ward
 * authenticates at the token endpoint, how first logins link, which `acr` values mean MFA. The client
 * secret, or for private_key_jwt the private JWK, is wrapped by the tenant's key-encryption key (R-DATA-1).
 */
export interface SsoProvider {
  tenantId: string;
  issuer: string;
  clientId: string;
  clientAuth: ClientAuthMethod;
  /** private_key_jwt: the public half of Ward's key for this tenant, published; otherwise null. */
  clientPublicJwk: JWK | null;
  linkBy: 'email' | 'subject';
  mfaAcr: string[];
  allowHttpIssuer: boolean;
  /** The wrapped credential: the client secret, or (private_key_jwt) the private JWK as JSON. */
  secret: { kekId: string; wrapped: Buffer };
}

const COLUMNS = 'issuer, client_id, client_auth, client_public_jwk, link_by, mfa_acr, allow_http_issuer, secret_kek_id, secret_wrapped, updated_at';
type Row = { issuer: string; client_id: string; client_auth: ClientAuthMethod; client_public_jwk: JWK | null; link_by: 'email' | 'subject'; mfa_acr: string[]; allow_http_issuer: boolean; secret_kek_id: string; secret_wrapped: Buffer; updated_at: Date };

function fromRow(tenantId: string, r: Row): SsoProvider & { updatedAt: Date } {
  return {
    tenantId, issuer: r.issuer, clientId: r.client_id, clientAuth: r.client_auth, clientPublicJwk: r.client_public_jwk, linkBy: r.link_by, mfaAcr: r.mfa_acr,
    allowHttpIssuer: r.allow_http_issuer, secret: { kekId: r.secret_kek_id, wrapped: Buffer.from(r.secret_wrapped) }, updatedAt: new Date(r.updated_at),
  };
}

export async function loadProvider(tx: Tx, tenantId: string): Promise<SsoProvider | null> {
  const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM sso_providers WHERE tenant_id = $1`, [tenantId]);
  return rows[0] ? fromRow(tenantId, rows[0]) : null;
}

/** The transaction tenant's provider (row-level security names it), with when it last changed. */
export async function loadScopedProvider(tx: Tx): Promise<(SsoProvider & { updatedAt: Date }) | null> {
  const { rows } = await tx.query<Row & { tenant_id: string }>(`SELECT tenant_id, ${COLUMNS} FROM sso_providers`);
  return rows[0] ? fromRow(rows[0].tenant_id, rows[0]) : null;
}

/** A provider as the definer functions of 0120 take it: issuer … allow_http_issuer ($1–$9). */
export const providerArgs = (p: SsoProvider) => [p.issuer, p.clientId, p.clientAuth, p.clientPublicJwk === null ? null : JSON.stringify(p.clientPublicJwk),
  p.secret.kekId, p.secret.wrapped, p.linkBy, p.mfaAcr, p.allowHttpIssuer];

/** Another tenant's connection names this issuer and client already. */
export function rethrowTaken(e: unknown): never {
  if ((e as { code?: string }).code === '23505') throw new WardError('CONFLICT', 'Another tenant uses this issuer and client id.', { cause: e });
  throw e;
}

/**
 * Writes a tenant's provider, replacing any earlier one (`ward sso configure` and the console), through
 * `ward_sso_provider_save` (0120, 0122): the operator sets anything; a person only what keeps the
 * issuer and client and adds no MFA `acr` value (otherwise SSO_NEEDS_APPROVAL: proposed, requests.ts),
 * within the console's rules.
 */
export async function saveProvider(tx: Tx, p: SsoProvider, now: Date): Promise<void> {
  await tx.query('SELECT ward_sso_provider_save($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [...providerArgs(p), now])
    .catch((e: unknown) => rethrowRefusal(e, { not_permitted: 'SSO_NEEDS_APPROVAL' }))
    .catch(rethrowTaken);
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
 * Discovery through openid-client, its metadata cached for a minute per issuer: one fetch serves a
 * login's start and completion and a burst of logins, and a provider whose document changed (a
 * restart with other settings) is followed within the minute; `ward sso configure` and the console
 * always fetch it afresh. The cache belongs to one egress policy (one server's dependencies), so that
 * a call is never served by another policy's fetch.
 */
const METADATA_TTL_MS = 60_000;
type MetadataCache = Map<string, { at: number; metadata: Promise<oidc.ServerMetadata> }>;
const metadataByEgress = new WeakMap<EgressFetch, MetadataCache>();
const metadataCacheOf = (egress: EgressFetch): MetadataCache => {
  let c = metadataByEgress.get(egress);
  if (!c) metadataByEgress.set(egress, (c = new Map()));
  return c;
};
/** How long an unwrapped credential is kept (as the field cipher keeps data keys). */
const CACHE_MS = 5 * 60_000;

const isLoopbackHttp = (url: URL, allowHttp: boolean) => allowHttp && url.protocol === 'http:';

function fetchMetadata(url: URL, allowHttp: boolean, egress: EgressFetch): Promise<oidc.ServerMetadata> {
  return oidc.discovery(url, 'ward', undefined, oidc.None(), {
    execute: isLoopbackHttp(url, allowHttp) ? [oidc.allowInsecureRequests] : [],
    timeout: 10,
    // R-WORK-4: discovery and every later call to the IdP (token, JWKS, userinfo) go through the egress policy.
    [oidc.customFetch]: egress as never,
  }).then((c) => c.serverMetadata());
}

export async function discoverMetadata(issuer: string, allowHttp: boolean, egress: EgressFetch, opts: { isFresh?: boolean } = {}): Promise<oidc.ServerMetadata> {
  const url = checkIssuerUrl(issuer, allowHttp);
  const cache = metadataCacheOf(egress);
  const key = JSON.stringify([issuer, allowHttp]);
  const hit = cache.get(key);
  if (hit && !opts.isFresh && Date.now() - hit.at < METADATA_TTL_MS) return hit.metadata;
  const metadata = fetchMetadata(url, allowHttp, egress);
  if (cache.size > 1000) cache.clear();
  cache.set(key, { at: Date.now(), metadata });
  try {
    return await metadata;
  } catch (e) {
    cache.delete(key);
    throw new WardError('SSO_ISSUER_INVALID', "The issuer's discovery document did not load.", { cause: e });
  }
}

/** The same issuer up to a trailing slash, both read as URLs (a host's case, a default port). */
export function isSameIssuer(a: string, b: string): boolean {
  const norm = (s: string) => new URL(s).href.replace(/\/$/, '');
  try {
    return norm(a) === norm(b);
  } catch {
    return false;
  }
}

/**
 * The issuer as the provider states it, with its metadata (`ward sso configure`, the console).
 * Discovery §4.3: the document's `issuer` is the URL it was found under, which openid-client checks.
 * The one difference allowed is a trailing slash (Auth0 states `https://tenant.auth0.com/`; people
 * type it without, or add one to a Keycloak realm), besides what reading both as URLs removes (a
 * host's case): both find the same document, and the provider's spelling is the one kept, since its
 * ID tokens carry it in `iss`.
 */
export async function discoverIssuer(typed: string, allowHttp: boolean, egress: EgressFetch): Promise<{ issuer: string; metadata: oidc.ServerMetadata }> {
  checkIssuerUrl(typed, allowHttp);
  let metadata: oidc.ServerMetadata;
  try {
    metadata = await discoverMetadata(typed, allowHttp, egress, { isFresh: true });
  } catch (e) {
    const stated = statedIssuer(e);
    if (stated === null || stated === typed || !isSameIssuer(stated, typed)) throw e;
    metadata = await discoverMetadata(stated, allowHttp, egress, { isFresh: true });
  }
  checkIssuerUrl(metadata.issuer, allowHttp);
  if (!isSameIssuer(metadata.issuer, typed)) throw new WardError('SSO_ISSUER_INVALID', 'The discovery document names another issuer.');
  return { issuer: metadata.issuer, metadata };
}

/** oauth4webapi's code (openid-client does not re-export it) for a document naming another issuer. */
const ATTRIBUTE_MISMATCH = 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED';

/** The `issuer` of a discovery document openid-client refused for naming another issuer. */
function statedIssuer(e: unknown): string | null {
  const cause = (e as { cause?: { code?: string; cause?: { attribute?: string; body?: { issuer?: unknown } } } }).cause;
  const issuer = cause?.code === ATTRIBUTE_MISMATCH && cause.cause?.attribute === 'issuer' ? cause.cause.body?.issuer : undefined;
  return typeof issuer === 'string' ? issuer : null;
}

/**
 * The credential, unwrapped once per wrapped value and kept for five minutes. Every login
 * needs it; back-channel logout and RP-initiated logout do not (they use the public metadata only),
 * so no request that anyone may post reaches the KMS (whose quota and cost the tenant's PHI shares).
 * A shredded tenant's credential stops with the cache, as its data keys do (the field cipher's 300 s).
 */
const credentials = new Map<string, { at: number; credential: Promise<string> }>();

function credentialOf(provider: SsoProvider, kms: Kms): Promise<string> {
  const key = `${provider.tenantId}:${provider.secret.kekId}:${provider.secret.wrapped.toString('base64')}`;
  const hit = credentials.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.credential;
  const credential = kms.unwrap(provider.tenantId as TenantId, provider.secret.kekId, provider.secret.wrapped).then((b) => b.toString('utf8'));
  if (credentials.size >= 1000) credentials.clear();
  credentials.set(key, { at: Date.now(), credential });
  credential.catch(() => credentials.delete(key));
  return credential;
}

/**
 * openid-client's view of the provider for URLs and public keys only (no client authentication):
 * the end-session URL, the back-channel logout's keys.
 */
export async function publicConfigurationOf(provider: SsoProvider, egress: EgressFetch): Promise<oidc.Configuration> {
  const config = new oidc.Configuration(await discoverMetadata(provider.issuer, provider.allowHttpIssuer, egress), provider.clientId);
  if (isLoopbackHttp(new URL(provider.issuer), provider.allowHttpIssuer)) oidc.allowInsecureRequests(config);
  return config;
}

/**
 * A configuration for one login: the tenant's client authentication, the egress policy, a 10 s timeout,
 * and the ID token's signature checked against the issuer's JWKS (Core §3.1.3.7 step 6: openid-client
 * otherwise leans on TLS alone; Ward checks both). Each login gets its own configuration, and with it
 * the issuer's keys fetched afresh (one request beside the token request): a provider may sign with a
 * new key the moment it publishes it (Core §10.1.1), replace a key under the same `kid` (a restart
 * that makes new keys), or withdraw one, and a kept copy would refuse the first two and accept the
 * last. openid-client's own cache refetches for an unknown `kid` only after a minute.
 */
export async function configurationOf(provider: SsoProvider, deps: { kms: Kms; egress: EgressFetch }): Promise<oidc.Configuration> {
  const metadata = await discoverMetadata(provider.issuer, provider.allowHttpIssuer, deps.egress);
  const auth = await clientAuthentication(provider.clientAuth, await credentialOf(provider, deps.kms));
  const config = new oidc.Configuration(metadata, provider.clientId, undefined, auth);
  config.timeout = 10;
  config[oidc.customFetch] = deps.egress as never;
  if (isLoopbackHttp(new URL(provider.issuer), provider.allowHttpIssuer)) oidc.allowInsecureRequests(config);
  oidc.enableNonRepudiationChecks(config);
  return config;
}
