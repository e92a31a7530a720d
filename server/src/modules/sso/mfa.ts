/**
 * R-AUTHN-2: whether an OpenID Connect login proved multi-factor authentication, from the ID token's
 * `amr` (RFC 8176) and `acr`. MFA when `amr` contains `mfa`, or methods of two different factor
 * classes (something you know, have, are), or when `acr` is one the tenant lists as MFA. A lone
 * `pwd` or `otp` is one factor; methods that name no class (`mca`, `sms`+`tel` alike) add nothing.
 */
const FACTOR_CLASS: Readonly<Record<string, 'know' | 'have' | 'are'>> = {
  pwd: 'know', pin: 'know', kba: 'know',
  otp: 'have', hwk: 'have', swk: 'have', sc: 'have', sms: 'have', tel: 'have', pop: 'have',
  fpt: 'are', face: 'are', iris: 'are', retina: 'are', vbm: 'are', bio: 'are',
};

export function provedMfa(claims: { readonly [claim: string]: unknown }, mfaAcr: readonly string[]): boolean {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string') : [];
  if (amr.includes('mfa')) return true;
  const classes = new Set(amr.map((m) => FACTOR_CLASS[m]).filter((c) => c !== undefined));
  if (classes.size >= 2) return true;
  return typeof claims.acr === 'string' && mfaAcr.includes(claims.acr);
}

/** The RFC 8176 methods kept on the session row: strings only, at most 16 of at most 32 characters. */
export function amrOf(claims: { readonly [claim: string]: unknown }): string[] {
  return Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string' && m.length <= 32).slice(0, 16) : [];
}

/**
 * R-SESS-3: when the IdP authenticated the person (the ID token's `auth_time`, OpenID Connect Core
 * §2), which is what an SSO sign-in proves of a recent verification. An IdP that answers from its own
 * session authenticated no one now, so Ward's sign-in time would make an hour-old login look fresh.
 * Without `auth_time` (or with one that is not a time) the login proves no time at all: the epoch,
 * never verified, so that every step-up window asks for a verification (fail closed).
 */
export function idpAuthenticatedAt(claims: { readonly [claim: string]: unknown }): Date {
  const t = claims.auth_time;
  return typeof t === 'number' && Number.isFinite(t) && t > 0 ? new Date(t * 1000) : new Date(0);
}
