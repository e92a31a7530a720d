import { WardError, type AuthRequest } from '@ward/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.ts';

/**
 * The request as authentication sees it. The URL is rebuilt from WARD_ORIGIN, never from the Host
 * header, so that a device proof is checked against the one origin Ward serves.
 */
export function toAuthRequest(req: FastifyRequest, origin: URL): AuthRequest {
  const base = { method: req.method, url: `${origin.origin}${req.url}`, headers: req.headers, sourceIp: req.ip };
  return req.rawBody ? { ...base, body: req.rawBody } : base;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** R-SESS-1: a state-changing request must carry an `Origin` header equal to WARD_ORIGIN. */
export function requireSameOrigin(req: FastifyRequest, origin: URL): void {
  if (!SAFE_METHODS.has(req.method) && req.headers.origin !== origin.origin) throw new WardError('ORIGIN_NOT_ALLOWED');
}

/**
 * R-SESS-1: CSRF defence for the routes of this scope. A state-changing request must carry an
 * `Origin` header equal to WARD_ORIGIN (browsers send it on every cross-origin and same-origin
 * POST); together with SameSite=Strict cookies and the device proof a forged request is refused.
 * The answers also say the server's time (`Ward-Server-Time`, seconds) so that a page whose clock
 * is off can still make fresh device proofs.
 */
export function protectBrowserRoutes(app: FastifyInstance, deps: { origin: URL; clock: Clock }): void {
  app.addHook('onRequest', async (req) => requireSameOrigin(req, deps.origin));
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('ward-server-time', String(Math.floor(deps.clock.now().getTime() / 1000)));
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
