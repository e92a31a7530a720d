/**
 * An error of Ward's authorization server in OAuth's own terms (RFC 6749 §5.2): the `error` code, a
 * description for the client, the HTTP status and any headers (DPoP-Nonce, Retry-After). The cause
 * keeps the detail; the client sees only `{error, error_description}`.
 */
export class OAuthError extends Error {
  constructor(readonly error: string, readonly description: string, readonly status = 400, readonly headers: Record<string, string> = {}, options?: ErrorOptions) {
    super(`${error}: ${description}`, options);
    this.name = 'OAuthError';
  }
}
