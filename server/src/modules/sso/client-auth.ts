import { WardError } from '@ward/contracts';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import * as oidc from 'openid-client';

/**
 * How Ward authenticates to the IdP's token endpoint (OpenID Connect Core §9; RFC 7523 for the JWT
 * assertions), each done by openid-client. `private_key_jwt` signs with a key pair Ward makes for the
 * tenant: the private JWK is wrapped by the tenant's key-encryption key (R-DATA-1) where the client
 * secret would be, the public JWK is stored beside it and published (`/sso/<slug>/jwks.json`).
 */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

export const isClientAuthMethod = (s: string): s is ClientAuthMethod => (CLIENT_AUTH_METHODS as readonly string[]).includes(s);

/** Methods whose credential is the client secret, in the order an automatic choice tries them. */
const SECRET_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'];
/** The key types Ward makes for private_key_jwt, in the order it prefers them. */
const KEY_ALGS = ['ES256', 'RS256', 'PS256'] as const;
type KeyAlg = (typeof KEY_ALGS)[number];

/** A list from a discovery document, kept only as plain names: its entries may reach an error message. */
function names(value: unknown): string[] | null {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(v)) : null;
}

/** Discovery §3: without `token_endpoint_auth_methods_supported` the provider accepts client_secret_basic. */
function acceptedMethods(metadata: oidc.ServerMetadata): { methods: string[]; isListed: boolean } {
  const listed = names(metadata.token_endpoint_auth_methods_supported);
  return listed ? { methods: listed, isListed: true } : { methods: ['client_secret_basic'], isListed: false };
}

/**
 * Discovery §3 gives `token_endpoint_auth_signing_alg_values_supported` no default; RS256 is what every
 * provider of JWT client authentication accepts, so an unlisted provider gets RS256 (and HS256 for
 * client_secret_jwt, the one algorithm openid-client signs it with).
 */
function assertionAlgs(metadata: oidc.ServerMetadata): string[] | null {
  return names(metadata.token_endpoint_auth_signing_alg_values_supported);
}

export function keyAlgFor(metadata: oidc.ServerMetadata): KeyAlg | null {
  const listed = assertionAlgs(metadata);
  if (!listed) return 'RS256';
  return KEY_ALGS.find((a) => listed.includes(a)) ?? null;
}

function usable(method: ClientAuthMethod, metadata: oidc.ServerMetadata): boolean {
  if (method === 'client_secret_jwt') return assertionAlgs(metadata)?.includes('HS256') ?? true;
  if (method === 'private_key_jwt') return keyAlgFor(metadata) !== null;
  return true;
}

export const usesSecret = (method: ClientAuthMethod): boolean => method !== 'private_key_jwt';

/**
 * The method for a provider: the one asked for, if the discovery document does not rule it out; or,
 * asked for none (`auto`), the first of basic, post, client_secret_jwt it accepts when a secret was
 * given, else private_key_jwt. A method the document omits is honoured only when it lists none.
 */
export function chooseClientAuth(requested: ClientAuthMethod | 'auto', metadata: oidc.ServerMetadata, hasSecret: boolean): ClientAuthMethod {
  const { methods, isListed } = acceptedMethods(metadata);
  const accepts = (m: ClientAuthMethod) => (methods.includes(m) || (!isListed && m === requested)) && usable(m, metadata);
  if (requested !== 'auto') {
    if (!accepts(requested)) {
      throw new WardError('SSO_ISSUER_INVALID', `The provider does not accept ${requested} at its token endpoint (its discovery document lists ${methods.join(', ') || 'nothing usable'}${requested.endsWith('_jwt') ? ` with ${assertionAlgs(metadata)?.join(', ') || 'no algorithm'}` : ''}).`);
    }
    if (usesSecret(requested) && !hasSecret) throw new WardError('USAGE', `${requested} needs the client secret on standard input.`);
    return requested;
  }
  const choice = [...(hasSecret ? SECRET_METHODS : []), 'private_key_jwt' as const].find(accepts);
  if (choice) return choice;
  if (!hasSecret && SECRET_METHODS.some(accepts)) throw new WardError('USAGE', 'Give the client secret, one line, on standard input.');
  throw new WardError('SSO_ISSUER_INVALID', `The provider accepts no token endpoint authentication Ward can use (its discovery document lists ${methods.join(', ') || 'nothing usable'}).`);
}

export interface ClientKey {
  /** Published: kty and key fields, `kid` (its RFC 7638 thumbprint), `alg`, `use: sig`. */
  publicJwk: JWK;
  /** Wrapped by the tenant's key-encryption key before it is stored; never logged or shown. */
  privateJwk: JWK;
}

/** A new key pair for private_key_jwt, of a type the provider accepts (ES256, else RS256, else PS256). */
export async function newClientKey(metadata: oidc.ServerMetadata): Promise<ClientKey> {
  const alg = keyAlgFor(metadata);
  if (!alg) throw new WardError('SSO_ISSUER_INVALID', 'The provider accepts none of ES256, RS256, PS256 for client assertions.');
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const { kty, crv, x, y, n, e } = await exportJWK(publicKey);
  const bare = Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, v]) => v !== undefined)) as JWK;
  const kid = await calculateJwkThumbprint(bare, 'sha256');
  return { publicJwk: { ...bare, kid, alg, use: 'sig' }, privateJwk: { ...(await exportJWK(privateKey)), kid, alg } };
}

/** Whether a stored public key still suits the provider (its algorithm still accepted). */
export function keySuits(publicJwk: JWK | null, metadata: oidc.ServerMetadata): boolean {
  const listed = assertionAlgs(metadata);
  return publicJwk !== null && typeof publicJwk.alg === 'string' && (listed ? listed.includes(publicJwk.alg) : publicJwk.alg === 'RS256');
}

/** openid-client's client authentication for a method and its unwrapped credential. */
export async function clientAuthentication(method: ClientAuthMethod, credential: string): Promise<oidc.ClientAuth> {
  switch (method) {
    case 'client_secret_basic':
      return oidc.ClientSecretBasic(credential);
    case 'client_secret_post':
      return oidc.ClientSecretPost(credential);
    case 'client_secret_jwt':
      return oidc.ClientSecretJwt(credential);
    case 'private_key_jwt': {
      const jwk = JSON.parse(credential) as JWK;
      const key = await importJWK(jwk, jwk.alg);
      return oidc.PrivateKeyJwt({ key: key as oidc.CryptoKey, kid: jwk.kid });
    }
  }
}
