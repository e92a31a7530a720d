import { WardError, type TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { Kms } from '../crypto/index.ts';
import type { EgressFetch } from '../egress/index.ts';
import { chooseClientAuth, type ClientAuthMethod } from './client-auth.ts';
import { checkLinking, settleCredential } from './configure.ts';
import { checkIssuerUrl, discoverIssuer, isSameIssuer, loadScopedProvider, saveProvider, type SsoProvider } from './provider.ts';

/**
 * The tenant's OpenID Connect connection as the admin console reads and changes it (R-AUTHN-2,
 * R-UX-1): never its client secret or private key. A change is checked like `ward sso configure`
 * (https issuer, or http on loopback only where the operator allowed it; no e-mail linking with a
 * multi-tenant issuer; discovery must load and name the same issuer, up to a trailing slash) outside
 * the access transaction. The token endpoint authentication stays as it was while the provider
 * accepts it, else is chosen again from its discovery document; a new secret, if any, is wrapped under
 * the tenant's key-encryption key (R-DATA-1); without one the stored secret (or key pair) stays.
 */
export interface SsoConnection {
  issuer: string;
  clientId: string;
  clientAuth: ClientAuthMethod;
  /** private_key_jwt: the path where the tenant's public key is published; otherwise null. */
  clientJwksPath: string | null;
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

type Stored = SsoProvider & { updatedAt: Date };

/** The transaction tenant's connection without its secret, or null. */
export async function readSsoConnection(tx: Tx): Promise<SsoConnection | null> {
  const s = await loadScopedProvider(tx);
  if (!s) return null;
  const slug = s.clientAuth === 'private_key_jwt' ? (await tx.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [s.tenantId])).rows[0]?.slug : undefined;
  return { issuer: s.issuer, clientId: s.clientId, clientAuth: s.clientAuth, clientJwksPath: slug ? `/sso/${slug}/jwks.json` : null, linkBy: s.linkBy, mfaAcr: s.mfaAcr, allowHttpIssuer: s.allowHttpIssuer, updatedAt: s.updatedAt };
}

export interface PreparedSsoChange { tenantId: TenantId; change: SsoChange; allowHttpIssuer: boolean; stored: Stored | null }
export interface CheckedSsoChange { prepared: PreparedSsoChange; provider: SsoProvider }

/**
 * Phase 1, in the access transaction: what is stored now (the operator's http allowance, the credential
 * to keep). R-AUTHZ-5: one step keeps the issuer and client and adds no MFA `acr` value; another
 * issuer or client (or a first connection), or an added `acr`, is SSO_NEEDS_APPROVAL unless
 * `proposal` (requests.ts: a second Owner or Admin approves it).
 */
export async function prepareSsoChange(tx: Tx, tenantId: TenantId, change: SsoChange, opts: { proposal?: boolean } = {}): Promise<PreparedSsoChange> {
  const stored = await loadScopedProvider(tx);
  if (!change.clientSecret && !stored) throw new WardError('BAD_REQUEST', 'A first connection needs its client secret.');
  const allowHttpIssuer = stored?.allowHttpIssuer ?? false;
  checkIssuerUrl(change.issuer, allowHttpIssuer);
  checkLinking(change.issuer, change.linkBy);
  checkConsoleLinking(stored, change.issuer, change.linkBy);
  if (!opts.proposal && !(stored && isSameIssuer(stored.issuer, change.issuer) && stored.clientId === change.clientId && addsNoMfaAcr(stored, change))) {
    throw new WardError('SSO_NEEDS_APPROVAL');
  }
  return { tenantId, change, allowHttpIssuer, stored };
}

/**
 * R-AUTHN-2, R-AUTHZ-5: an `acr` value listed as MFA makes every login the IdP gives it count as
 * multi-factor, so adding one takes a second person (0122 checks the same); removing one is stricter.
 */
const addsNoMfaAcr = (stored: Stored, change: SsoChange): boolean => change.mfaAcr.every((v) => stored.mfaAcr.includes(v));

/**
 * R-AUTHZ-5: linking by e-mail lets the IdP's e-mail claim choose which member a first login becomes.
 * From the console one Owner or Admin could point the connection at an IdP they run and then sign in
 * as any member not yet linked there, an Owner included. So the console never turns e-mail linking on
 * and never carries it to another issuer: it keeps it only as the operator set it (`ward sso configure
 * --link-by email`, on the host), for the same issuer. Checked on the typed issuer and again on the
 * one discovery names.
 */
function checkConsoleLinking(stored: Stored | null, issuer: string, linkBy: 'email' | 'subject'): void {
  if (linkBy === 'email' && !(stored?.linkBy === 'email' && isSameIssuer(stored.issuer, issuer))) throw new WardError('SSO_LINK_BY_EMAIL_OPERATOR');
}

/** Phase 2, outside any transaction: discovery through the egress policy, and a new secret wrapped. */
export async function checkSsoChange(deps: { kms: Kms; egress: EgressFetch }, p: PreparedSsoChange): Promise<CheckedSsoChange> {
  const { issuer, metadata } = await discoverIssuer(p.change.issuer, p.allowHttpIssuer, deps.egress);
  checkLinking(issuer, p.change.linkBy);
  checkConsoleLinking(p.stored, issuer, p.change.linkBy);
  const secret = p.change.clientSecret ?? null;
  // The stored method while the provider accepts it; a new secret in place of a key pair means a secret method.
  const wanted = p.stored && !(secret && p.stored.clientAuth === 'private_key_jwt') ? p.stored.clientAuth : 'auto';
  const hasSecret = secret !== null || (p.stored !== null && p.stored.clientAuth !== 'private_key_jwt');
  let clientAuth: ClientAuthMethod;
  try {
    clientAuth = chooseClientAuth(wanted, metadata, hasSecret);
  } catch {
    clientAuth = chooseClientAuth('auto', metadata, hasSecret);
  }
  const credential = await settleCredential(deps, p.tenantId, clientAuth, secret, metadata, p.stored);
  return {
    prepared: p,
    provider: { tenantId: p.tenantId, issuer, clientId: p.change.clientId, clientAuth, ...credential, linkBy: p.change.linkBy, mfaAcr: p.change.mfaAcr, allowHttpIssuer: p.allowHttpIssuer },
  };
}

/** Phase 3, in the outcome's transaction: the connection written (replacing any earlier one). */
export async function writeSsoConnection(tx: Tx, c: CheckedSsoChange, now: Date): Promise<SsoConnection> {
  await saveProvider(tx, c.provider, now);
  return (await readSsoConnection(tx))!;
}
