import { isPhiScope, PHI_SCOPES, type PhiScope } from '@ward/contracts';
import { OAuthError } from './oauth-error.ts';

/**
 * The `scope` of a token request (RFC 6749 §3.3; R-WORK-2 "scoped", R-AUTHZ-2). Ward's scope tokens are
 * its PHI scopes: a workload that names some gets a token narrowed to those it holds (least privilege:
 * the token's `scope` claim, RFC 9068 §2.2.3, and the resource server reads no other scope with it).
 *   - No scope: the token carries the workload's grants as they stand at each request (as always).
 *   - Other scope tokens (`openid`, `mcp`, a scope of another server) are ignored, as §3.3 lets a server
 *     "fully or partially ignore the scope requested"; the token is then not narrowed.
 *   - A PHI scope the workload does not hold is left out (partially ignored); when it holds some PHI
 *     scopes but none of those named, the request is `invalid_scope` (RFC 6749 §5.2: exceeds what was
 *     granted), as is a value that is not a list of scope tokens. A workload that holds no PHI scope
 *     gets its token (with no PHI to read) whatever it names.
 * The response's `scope` names what the token grants whenever a scope was asked for (§5.1: REQUIRED
 * when it differs from the request); a token with no PHI scope at all has no scope token to name.
 */
export interface GrantedScope {
  /** The PHI scopes the token is narrowed to (its `scope` claim), or null when it is not narrowed. */
  narrowedTo: PhiScope[] | null;
  /** The token response's `scope`, when one is due. */
  response?: string;
}

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by spaces (runs of them are read as one). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function grantScope(requested: string | undefined, held: readonly PhiScope[]): GrantedScope {
  if (requested === undefined) return { narrowedTo: null };
  const tokens = requested.split(' ').filter((x) => x !== '');
  if (requested.length > 1024 || tokens.length === 0 || !tokens.every((x) => SCOPE_TOKEN.test(x))) throw new OAuthError('invalid_scope', 'The scope is not a space-separated list of scope tokens.');
  const named = new Set(tokens.filter(isPhiScope));
  if (named.size === 0) return { narrowedTo: null, ...(held.length > 0 ? { response: PHI_SCOPES.filter((s) => held.includes(s)).join(' ') } : {}) };
  const granted = PHI_SCOPES.filter((s) => named.has(s) && held.includes(s));
  // A workload without any PHI scope (a tool, a job) has nothing to narrow: a client that asks for every
  // scope the metadata lists still gets its token, which reads no PHI either way.
  if (granted.length === 0 && held.length === 0) return { narrowedTo: null };
  if (granted.length === 0) throw new OAuthError('invalid_scope', 'The workload holds none of the PHI scopes asked for.');
  return { narrowedTo: granted, response: granted.join(' ') };
}

/** The PHI scopes a token's `scope` claim narrows a principal to; null when the token has none, undefined when the claim is not Ward's. */
export function scopeClaim(claim: unknown): PhiScope[] | null | undefined {
  if (claim === undefined) return null;
  if (typeof claim !== 'string') return undefined;
  const scopes = claim.split(' ');
  return scopes.every(isPhiScope) ? scopes : undefined;
}
