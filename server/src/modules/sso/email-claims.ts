import * as oidc from 'openid-client';

/** A person's address as the IdP asserts it, and whether the IdP says it verified it. */
export interface EmailClaim {
  email: string;
  isVerified: boolean;
}

/**
 * Core §5.1: `email_verified` is a boolean; a few providers (Amazon Cognito's UserInfo among them)
 * send the string "true". Both are the provider's own assertion; anything else, absence included, is
 * not a verified address.
 */
const isVerified = (v: unknown): boolean => v === true || v === 'true';

function fromClaims(claims: { readonly [claim: string]: unknown }): EmailClaim | null {
  return typeof claims.email === 'string' && claims.email !== '' ? { email: claims.email, isVerified: isVerified(claims.email_verified) } : null;
}

/**
 * The address a first link by e-mail reads (R-AUTHN-2). From the ID token when it carries `email`
 * and `email_verified`; otherwise from the UserInfo response (Core §5.3), where many providers put
 * the `email` scope's claims and nothing in the ID token (Core §5.4; oidc-provider's default), taken
 * as a pair. openid-client fetches it with the access token, through the egress policy, and refuses
 * a response whose `sub` is not the ID token's (§5.3.4: a substituted UserInfo response).
 */
export async function emailClaim(config: oidc.Configuration, tokens: oidc.TokenEndpointResponse, idToken: oidc.IDToken): Promise<EmailClaim | null> {
  const fromIdToken = fromClaims(idToken);
  if (fromIdToken && idToken.email_verified !== undefined) return fromIdToken;
  if (!config.serverMetadata().userinfo_endpoint) return fromIdToken;
  const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
  return fromClaims(userinfo) ?? fromIdToken;
}

export function emailRefusalReason(email: EmailClaim | null): string | null {
  if (!email) return 'email_missing';
  return email.isVerified ? null : 'email_unverified';
}
