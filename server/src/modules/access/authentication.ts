import type { Authenticated, AuthRequest } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';

/**
 * One link of the authentication chain (DESIGN.md step 1): a browser session with its device proof,
 * a DPoP-bound workload token, a workload's RFC 9421 signature on the signed hooks, or (on /scim/v2
 * only) the tenant SCIM client's bearer token. `presents` only looks (no I/O): the chain refuses a request that
 * presents two credentials before any authenticator runs. `authenticate` reads and checks, and throws
 * a 401 WardError for a credential that is present but not valid; it writes nothing itself.
 */
export interface Authenticator {
  readonly credential: 'session' | 'token' | 'signature' | 'scim';
  presents(req: AuthRequest): boolean;
  authenticate(req: AuthRequest): Promise<Authentication>;
}

export interface Authentication {
  authenticated: Authenticated;
  /**
   * The writes authentication owes, run inside the request's own transaction so that they cost no
   * commit of their own: spend the proof's jti (a replay at any server is refused; RFC 9449 §11.1)
   * and slide the session's idle timer (R-SESS-1). Throws DEVICE_PROOF_INVALID on a replay.
   * Every statement it sends is issued before its first await (R-OPS-1): the guard sends a grouped
   * read's read-only switch right behind them in the same round trip, so a write issued later fails
   * the request (fail closed).
   */
  settle(tx: Tx): Promise<void>;
  /** Headers for the request's answer, whatever it is: the next `DPoP-Nonce` for a DPoP-bound token (RFC 9449 §9). */
  answerHeaders?: Readonly<Record<string, string>>;
}
