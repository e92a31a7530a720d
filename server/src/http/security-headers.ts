import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * Response headers every answer carries, whatever route (or refusal) wrote it (R-DATA-4, R-SESS-1).
 * The pages set their own Content-Security-Policy (routes/auth-pages.ts); anything else (JSON,
 * problem details, audio, exports) is data, which a browser must neither sniff into a script or
 * page, nor frame, nor name in a Referer:
 *   - `X-Content-Type-Options: nosniff` (a JSON body that echoes text is never read as HTML);
 *   - `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` unless the route set one
 *     (a response opened directly runs nothing and is framed by no one);
 *   - `Referrer-Policy: no-referrer` unless the route set one;
 *   - `Cache-Control: no-store` unless the route set one (a public key set, the assets): an enforced
 *     route's answers say it already, but its refusals did not, and a 404 is cacheable by default
 *     (RFC 9111 §4.2.2), so a shared cache could hand one person's answer to another;
 *   - `Strict-Transport-Security` when WARD_ORIGIN is https (RFC 6797: a browser that once reached
 *     Ward over TLS never sends the session cookie in clear); not on http://localhost;
 *   - `Cross-Origin-Opener-Policy: same-origin`: a page of another site that opened Ward's window
 *     keeps no handle on it (no navigating it to a look-alike after sign-in, no counting its frames),
 *     and `Cross-Origin-Resource-Policy: same-origin`: no other site embeds an answer as an image,
 *     script or media (HTML fetch standard; CORS requests are not affected).
 */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";
export const HSTS = 'max-age=63072000; includeSubDomains';

/** Sets the headers on one reply; also for Fastify's refusals before routing, which run no hooks. */
export function securityHeaders(origin: URL): (reply: FastifyReply) => void {
  const isHttps = origin.protocol === 'https:';
  return (reply) => {
    reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', DATA_CSP);
    if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'no-referrer');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    if (isHttps) reply.header('strict-transport-security', HSTS);
  };
}

export function registerSecurityHeaders(app: FastifyInstance, origin: URL): void {
  const set = securityHeaders(origin);
  app.addHook('onSend', async (_req, reply, payload) => {
    set(reply);
    return payload;
  });
}
